#include "core/kernel/sysvipc_shm.h"
#include "fixture.h"

using namespace shmviz::core;

TEST(SysvShm, ParsesRowsAndTheDestBit) {
    auto rows = parseSysvShm(fixture("sysvipc_shm.txt"));
    ASSERT_TRUE(rows.ok()) << rows.error().message;
    ASSERT_EQ(rows->size(), 2u);
    const SysvShmRow& a = (*rows)[0];
    EXPECT_EQ(a.key32(), 0x5348560au);
    EXPECT_EQ(a.shmid, 32769);
    EXPECT_EQ(a.perms, 0600u);
    EXPECT_FALSE(a.dest());
    EXPECT_EQ(a.size, 16384u);
    EXPECT_EQ(a.nattch, 2u);
    EXPECT_EQ(a.cpid, 4242);
    EXPECT_EQ(a.rss, 8192u);
    const SysvShmRow& b = (*rows)[1];
    EXPECT_EQ(b.key, 0) << "IPC_RMID turns the key to IPC_PRIVATE";
    EXPECT_TRUE(b.dest());
    EXPECT_EQ(b.perms & 0777, 0600u);
    EXPECT_EQ(b.uid, 1000u);
}

TEST(SysvShm, HeaderOnlyMeansNoSegments) {
    auto rows = parseSysvShm("       key      shmid perms size cpid lpid nattch\n");
    ASSERT_TRUE(rows.ok());
    EXPECT_TRUE(rows->empty());
}

TEST(SysvShm, MalformedInputIsAnError) {
    auto bad = parseSysvShm(fixture("sysvipc_shm_malformed.txt"));
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().err, EINVAL);
    EXPECT_NE(bad.error().message.find("Line 2"), std::string::npos);
    EXPECT_FALSE(parseSysvShm("").ok()) << "no header";
    EXPECT_FALSE(parseSysvShm("1 2 3\n").ok()) << "no header";
}

TEST(SysvShm, ReadsTheLiveFile) {
    auto rows = readSysvShm();
    ASSERT_TRUE(rows.ok()) << rows.error().message;
}
