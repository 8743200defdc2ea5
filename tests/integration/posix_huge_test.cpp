// Huge pages: one frame covering many 4 KiB slots. These need huge pages reserved
// (vm.nr_hugepages) and, for POSIX, a mounted hugetlbfs; they skip with the reason otherwise.
#include "posix_names.h"
#include "session_fixture.h"

#include "core/kernel/hugetlbfs.h"
#include "core/kernel/system_limits.h"
#include "written_json.h"

#include <sys/stat.h>

using namespace shmviz;
using shmviz::testing::SessionTest;
using shmviz::testing::uniqueShmName;

namespace {

std::uint64_t freeHugePages() {
    return core::readHugePages().free;
}

#define SKIP_WITHOUT_HUGE_PAGES()                                                                            \
    if (freeHugePages() == 0)                                                                                \
    GTEST_SKIP() << "No huge pages are free (HugePages_Free 0 in /proc/meminfo); reserve some with "         \
                    "`sudo sysctl vm.nr_hugepages=16` to run this test"

void expectOneHugeFrame(const core::AttachmentView& a, std::uint64_t slotsPerHugePage) {
    ASSERT_FALSE(a.entries.empty());
    core::PageEntry first = core::decodePagemapEntry(a.entries[0]);
    ASSERT_TRUE(first.present);
    EXPECT_EQ(first.pfnBits % slotsPerHugePage, 0u) << "a huge page starts at an aligned frame number";
    for (std::size_t i = 0; i < a.entries.size(); ++i) {
        core::PageEntry e = core::decodePagemapEntry(a.entries[i]);
        ASSERT_TRUE(e.present) << "slot " << i << ": one fault mapped the whole huge page";
        EXPECT_EQ(e.pfnBits, first.pfnBits + i) << "slot " << i;
    }
}

} // namespace

TEST_F(SessionTest, SysvHugetlbSegmentIsOneLargeFrame) {
    SKIP_WITHOUT_HUGE_PAGES();
    ok("shmget 16K hugetlb");
    ok("spawn 2");
    ok("shmat all");
    auto touched = ok("touch 0 0");
    EXPECT_NE(touched.explain.find("huge page"), std::string::npos) << touched.explain;
    auto s = snap();
    EXPECT_TRUE(segment(*s).hugetlb);
    EXPECT_EQ(segment(*s).hugePageSize, core::readHugePages().sizeBytes);
    SKIP_WITHOUT_FRAMES(*s);
    const std::uint64_t slots = segment(*s).hugePageSize / s->pageSize;
    expectOneHugeFrame(attachment(*s, 0), slots);
    EXPECT_FALSE(page(*s, 1, 0).present) << "worker 1 has not touched it yet";
    ok("touch 1 3");
    s = snap();
    expectOneHugeFrame(attachment(*s, 1), slots);
    EXPECT_EQ(page(*s, 1, 0).pfnBits, page(*s, 0, 0).pfnBits);
}

TEST_F(SessionTest, PosixObjectOnHugetlbfsIsOneLargeFrame) {
    SKIP_WITHOUT_HUGE_PAGES();
    if (!core::readHugetlbfsMount())
        GTEST_SKIP() << "No hugetlbfs is mounted; mount one with `" << core::kMountHugetlbfsCommand
                     << "` to run this test";
    const std::string n = uniqueShmName("huge");
    auto created = ok("shm_open " + n + " size=16K hugetlb");
    const std::string path = created.data["segment"]["path"];
    const std::uint64_t huge = core::readHugePages().sizeBytes;
    EXPECT_EQ(created.data["segment"]["size"], huge) << "sizes on hugetlbfs are whole huge pages";
    ok("spawn 2");
    ok("mmap all");
    ok("touch 0 0");
    ok("touch 1 100");
    auto s = snap();
    EXPECT_TRUE(segment(*s).linked);
    EXPECT_EQ(segment(*s).hugePageSize, huge);
    EXPECT_NE(attachment(*s, 0).va, attachment(*s, 1).va);
    SKIP_WITHOUT_FRAMES(*s);
    expectOneHugeFrame(attachment(*s, 0), huge / s->pageSize);
    expectOneHugeFrame(attachment(*s, 1), huge / s->pageSize);
    EXPECT_EQ(page(*s, 0, 7).pfnBits, page(*s, 1, 7).pfnBits);
    ok("shm_unlink");
    struct stat st {};
    EXPECT_NE(stat(path.c_str(), &st), 0) << path << " is unlinked";
}

TEST_F(SessionTest, TooFewHugePagesSaysHowManyAreFreeAndHowToReserve) {
    const core::HugePageInfo info = core::readHugePages();
    if (info.sizeBytes == 0)
        GTEST_SKIP() << "This kernel has no huge pages at all";
    const std::uint64_t tooMany = (info.free + 1) * info.sizeBytes;
    auto sysv = fails("shmget " + std::to_string(tooMany) + " hugetlb", ENOMEM);
    EXPECT_NE(sysv.error->message.find("free"), std::string::npos) << sysv.error->message;
    EXPECT_NE(sysv.error->message.find("vm.nr_hugepages"), std::string::npos) << sysv.error->message;
    auto posix = fails(
        "shm_open " + uniqueShmName("toomany") + " size=" + std::to_string(tooMany) + " hugetlb", ENOMEM);
    EXPECT_NE(posix.error->message.find(std::to_string(info.free) + " of"), std::string::npos)
        << posix.error->message;
    EXPECT_NE(posix.error->message.find("vm.nr_hugepages"), std::string::npos) << posix.error->message;
}

TEST_F(SessionTest, JsonWritesAHugePageAsOneFrameWithItsSlots) {
    SKIP_WITHOUT_HUGE_PAGES();
    ok("shmget 2M hugetlb"); // one whole huge page: every slot of it is mapped
    ok("spawn 2");
    ok("shmat all");
    ok("touch 0 0");
    ok("touch 1 7");
    auto s = snap();
    SKIP_WITHOUT_FRAMES(*s);
    const std::uint64_t slots = segment(*s).hugePageSize / s->pageSize;
    const nlohmann::json j = shmviz::testing::writtenSnapshot(*s);
    ASSERT_EQ(j["frames"].size(), 1u) << "one huge page, one frame: " << j["frames"].dump().substr(0, 400);
    const nlohmann::json& f = j["frames"][0];
    EXPECT_TRUE(f.value("huge", false));
    EXPECT_EQ(f["size"], segment(*s).hugePageSize);
    EXPECT_EQ(f["slots"].size(), slots);
    EXPECT_EQ(f["pfn"].get<std::uint64_t>() % slots, 0u);
    EXPECT_EQ(f["mapped_by"].size(), 2u);
    if (!f.contains("kpageflags"))
        GTEST_SKIP() << "/proc/kpageflags is not readable here (root only): head and tails unchecked";
    // The kernel agrees: one compound page, its head frame and slots - 1 tails.
    EXPECT_EQ(f["kpageflags"]["compound_head"], 1u);
    EXPECT_EQ(f["kpageflags"]["compound_tail"], slots - 1);
}
