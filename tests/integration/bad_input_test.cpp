#include "session_fixture.h"

#include <unistd.h>

using namespace shmviz;
using shmviz::testing::SessionTest;

TEST_F(SessionTest, BadInputGetsAClearErrorAndTheSessionGoesOn) {
    fails("frobnicate", EINVAL);
    fails("shmat 0", ENOENT);                  // no segment yet
    fails("shmget 0", EINVAL);                 // size zero
    auto huge = fails("shmget 4096G", ENOMEM); // beyond this machine's memory
    EXPECT_NE(huge.error->message.find("memory"), std::string::npos);
    ok("shmget 16K");
    fails("shmat 0", ESRCH); // no worker yet
    ok("spawn 2");
    fails("shmat 5", ESRCH);    // worker out of range
    fails("touch 0 0", EINVAL); // not attached
    fails("shmdt 0", EINVAL);   // detach of something not attached
    ok("shmat all");
    fails("touch 0 4", ERANGE); // page out of range (pages 0-3)
    fails("read 1 99", ERANGE);
    fails("shmat 0 seg=7", ENOENT); // segment out of range
    auto s = snap();
    EXPECT_EQ(segment(*s).nattch, 2u) << "nothing was lost";
}

TEST_F(SessionTest, WriteToReadOnlyAttachmentFaultsButTheWorkerSurvives) {
    ok("shmget 8K");
    ok("spawn 1");
    ok("shmat 0 rdonly");
    auto r = fails("write 0 0 nope", EACCES);
    EXPECT_NE(r.error->message.find("SIGSEGV"), std::string::npos) << r.error->message;
    fails("touch 0 0", EACCES);
    auto s = snap();
    EXPECT_TRUE(s->workers[0].alive) << "the worker caught the fault";
    EXPECT_EQ(ok("read 0 0").data["text"], "");
}

TEST_F(SessionTest, AttachToARemovedSegmentIsExplained) {
    ok("shmget 8K");
    ok("spawn 1");
    ok("rmid");
    auto r = fails("shmat 0", EINVAL);
    EXPECT_NE(r.error->message.find("no longer exists"), std::string::npos) << r.error->message;
    ok("shmget 8K");
    ok("shmat 0");
}

TEST_F(SessionTest, DeadWorkerIsReportedNotUsed) {
    ok("shmget 8K");
    ok("spawn 2");
    ok("kill 0");
    auto r = fails("shmat 0", ESRCH);
    EXPECT_NE(r.error->message.find("killed by SIGKILL"), std::string::npos) << r.error->message;
    fails("kill 0", ESRCH);
    ok("shmat 1");
    ok("shmat all"); // only the live worker
}

TEST_F(SessionTest, PermissionFailureIsEacces) {
    // Workers drop every capability, so a segment without write permission refuses a read-write attach.
    ok("shmget 8K mode=0400");
    ok("spawn 1");
    auto r = fails("shmat 0", EACCES);
    EXPECT_NE(r.error->message.find("0400"), std::string::npos) << r.error->message;
    ok("shmat 0 rdonly");
}

TEST_F(SessionTest, OpeningAnExistingKeyFindsTheSameSegment) {
    ok("shmget 8K key=0x5356a002");
    auto again = ok("shmget 8K key=0x5356a002");
    EXPECT_FALSE(again.data["segment"]["created"].get<bool>());
    // One kernel object, one segment: the session returns the one it has, and says who made it.
    EXPECT_EQ(again.data["segment"]["id"].get<int>(), 0);
    auto s = snap();
    ASSERT_EQ(s->segments.size(), 1u);
    EXPECT_EQ(again.data["segment"]["shmid"].get<int>(), segment(*s, 0).shmid);
    EXPECT_NE(again.explain.find("made by pid " + std::to_string(getpid()) + ", this shmviz"),
              std::string::npos)
        << again.explain;
    EXPECT_NE(again.explain.find("no new one"), std::string::npos) << again.explain;
    fails("shmget 8K key=0x5356a002 excl", EEXIST);
}
