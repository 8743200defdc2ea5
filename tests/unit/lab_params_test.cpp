#include "core/labs/lab_params.h"

#include <gtest/gtest.h>

using namespace shmviz::core;
using namespace shmviz::core::labs;

namespace {

Step parsed(const std::string& line) {
    auto s = parseStep(line);
    EXPECT_TRUE(s) << line << ": " << (s ? "" : s.error().message);
    return s ? *s : Step{};
}

template <class R> void expectEinval(const R& r, const std::string& needle) {
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().err, EINVAL);
    EXPECT_NE(r.error().message.find(needle), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().message.back(), '.');
}

} // namespace

TEST(LabParams, RaceModesAndLimits) {
    auto r = raceParams(parsed("race mutex 16 10000000"));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->mode, RaceMode::Mutex);
    EXPECT_EQ(r->workers, 16);
    EXPECT_EQ(r->increments, 10'000'000u);
    for (const char* m : {"unsync", "atomic", "mutex", "mutex-kill", "sysv-sem", "posix-sem"}) {
        auto p = raceParams(parsed(std::string("race ") + m + " 2 10"));
        ASSERT_TRUE(p) << m;
        EXPECT_EQ(nameOf(p->mode), m);
    }
    expectEinval(raceParams(parsed("race atomic 0 10")), "between 1 and 16 workers, not 0");
    expectEinval(raceParams(parsed("race atomic 17 10")), "not 17");
    expectEinval(raceParams(parsed("race atomic 2 0")), "between 1 and 10000000");
    expectEinval(raceParams(parsed("race atomic 2 10000001")), "not 10000001");
    expectEinval(raceParams(parsed("race spin 2 10")), "\"spin\" is unknown");
    expectEinval(raceParams(parsed("race mutex-kill 1 10")), "at least 2 workers");
}

TEST(LabParams, TornModesAndLimits) {
    auto t = tornParams(parsed("torn seqlock 60"));
    ASSERT_TRUE(t);
    EXPECT_EQ(t->mode, TornMode::Seqlock);
    EXPECT_EQ(t->seconds, 60);
    expectEinval(tornParams(parsed("torn seqlock 0")), "between 1 and 60 seconds");
    expectEinval(tornParams(parsed("torn seqlock 61")), "not 61");
    expectEinval(tornParams(parsed("torn rcu 1")), "use unsync, seqlock or mutex");
}

TEST(LabParams, IpcMethodsAndLimits) {
    auto p = ipcParams(parsed("ipcbench shm 1G"));
    ASSERT_TRUE(p);
    EXPECT_EQ(p->method, IpcMethod::Shm);
    EXPECT_EQ(p->bytes, 1ull << 30);
    EXPECT_TRUE(ipcParams(parsed("ipcbench pipe 1M")));
    expectEinval(ipcParams(parsed("ipcbench pipe 0")), "not 0 bytes");
    expectEinval(ipcParams(parsed("ipcbench pipe 1048575")), "between 1 MiB and 1 GiB");
    expectEinval(ipcParams(parsed("ipcbench pipe 1025M")), "between 1 MiB and 1 GiB");
    expectEinval(ipcParams(parsed("ipcbench telegraph 1M")), "use pipe, socket, mqueue, shm or memcpy");
    EXPECT_EQ(copiesPerByte(IpcMethod::Pipe), 2);
    EXPECT_EQ(copiesPerByte(IpcMethod::Socket), 2);
    EXPECT_EQ(copiesPerByte(IpcMethod::Mqueue), 2);
    EXPECT_EQ(copiesPerByte(IpcMethod::Shm), 1);
    EXPECT_EQ(copiesPerByte(IpcMethod::Memcpy), 1);
}
