// The accounting parsers on text captured from a real process (tests/fixtures), and on edge cases.
#include "fixture.h"

#include "core/kernel/kpageflags.h"
#include "core/kernel/page_walk.h"
#include "core/kernel/proc_status.h"
#include "core/kernel/smaps.h"

using namespace shmviz::core;

TEST(Smaps, ReadsEveryAreaOfACapturedFile) {
    auto areas = parseSmaps(fixture("smaps.txt"));
    ASSERT_TRUE(areas.ok()) << areas.error().message;
    ASSERT_EQ(areas->size(), 4u);
    EXPECT_EQ((*areas)[0].path, "[heap]");
    EXPECT_EQ((*areas)[0].start, 0x55659a107000u);
    EXPECT_EQ((*areas)[0].end, 0x55659a296000u);
    EXPECT_EQ((*areas)[0].counts.rss, 1560u * 1024);
    EXPECT_EQ((*areas)[0].counts.privateDirty, 1560u * 1024);
    const SmapsArea& shm = (*areas)[1];
    EXPECT_EQ(shm.path, "/dev/shm/acct-fixture");
    EXPECT_EQ(shm.perms, "rw-s");
    EXPECT_EQ(shm.end - shm.start, 16384u);
    EXPECT_EQ(shm.counts.rss, 8192u) << "two of the four pages were touched";
    EXPECT_EQ(shm.counts.pss, 8192u);
    EXPECT_EQ(shm.counts.shared(), 0u) << "one mapper: the kernel counts shared memory as Private";
    EXPECT_EQ(shm.counts.privateDirty, 8192u);
}

TEST(Smaps, PathsWithSpacesAndDeletedSegments) {
    const char* text = "7f0000000000-7f0000004000 rw-s 00000000 00:01 65538                      "
                       "/SYSV00001234 (deleted)\n"
                       "Rss:                   4 kB\n"
                       "Pss:                   2 kB\n"
                       "Shared_Clean:          0 kB\n"
                       "Shared_Dirty:          4 kB\n"
                       "Shared_Hugetlb:     2048 kB\n"
                       "VmFlags: rd wr sh mr mw me ms sd\n"
                       "7f0000004000-7f0000005000 rw-p 00000000 00:00 0\n"
                       "Rss:                   4 kB\n";
    auto areas = parseSmaps(text);
    ASSERT_TRUE(areas.ok()) << areas.error().message;
    ASSERT_EQ(areas->size(), 2u);
    EXPECT_EQ((*areas)[0].path, "/SYSV00001234 (deleted)");
    EXPECT_EQ((*areas)[0].counts.pss, 2048u);
    EXPECT_EQ((*areas)[0].counts.sharedDirty, 4096u);
    EXPECT_EQ((*areas)[0].counts.sharedHugetlb, 2048u * 1024);
    EXPECT_EQ((*areas)[1].path, "");
    EXPECT_EQ((*areas)[1].counts.rss, 4096u);
}

TEST(Smaps, RefusesMalformedText) {
    EXPECT_FALSE(parseSmaps("Rss: 4 kB\n").ok()) << "a size before any area";
    EXPECT_FALSE(parseSmaps("7f00-7e00 rw-p 0 0:0 0\n").ok()) << "end before start";
    EXPECT_FALSE(parseSmaps("not a line at all\n").ok());
    auto r = parseSmaps("7f00-7f10 rw-p 0 0:0 0\nRss: lots kB\n");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().err, EINVAL);
    EXPECT_EQ(r.error().message.back(), '.');
    EXPECT_FALSE(parseSmaps("7f00-7f10 rw-p 0 0:0 0\nRss: 99999999999999999999 kB\n").ok());
}

TEST(SmapsRollup, ReadsTheSums) {
    auto r = parseSmapsRollup(fixture("smaps_rollup.txt"));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->rss, 14032u * 1024);
    EXPECT_EQ(r->pss, 11893u * 1024);
    EXPECT_EQ(r->sharedClean, 2196u * 1024);
    EXPECT_EQ(r->privateClean, 4488u * 1024);
    EXPECT_EQ(r->privateDirty, 7348u * 1024);
    EXPECT_EQ(r->rss, r->shared() + r->privateBytes()) << "Rss is exactly shared plus private";
    EXPECT_FALSE(parseSmapsRollup(fixture("smaps.txt")).ok()) << "many areas are not a rollup";
}

TEST(ProcStatus, ReadsVmPte) {
    auto pte = parseVmPte(fixture("status.txt"));
    ASSERT_TRUE(pte.ok()) << pte.error().message;
    EXPECT_EQ(*pte, 76u * 1024);
    EXPECT_FALSE(parseVmPte("Name:\tkthreadd\nState:\tS\n").ok()) << "kernel threads have no VmPTE";
    EXPECT_FALSE(parseVmPte("VmPTE:\t  12 MB\n").ok());
    EXPECT_FALSE(parseVmPte("VmPTE:\t\n").ok());
}

TEST(KpageFlags, DecodesTheDocumentedBits) {
    // ANON (12), SWAPBACKED (14), LRU (5), UPTODATE (3), MMAP (11)
    const std::uint64_t cow = (1u << 12) | (1u << 14) | (1u << 5) | (1u << 3) | (1u << 11);
    EXPECT_EQ(decodeKpageFlags(cow),
              (std::vector<std::string>{"UPTODATE", "LRU", "MMAP", "ANON", "SWAPBACKED"}));
    const std::uint64_t hugeHead = (1u << 15) | (1u << 17);
    EXPECT_EQ(decodeKpageFlags(hugeHead), (std::vector<std::string>{"COMPOUND_HEAD", "HUGE"}));
    EXPECT_EQ(decodeKpageFlags(std::uint64_t{1} << 40), (std::vector<std::string>{"BIT40"}));
    EXPECT_TRUE(decodeKpageFlags(0).empty());
    EXPECT_NE(std::string(kpageFlagMeaning("ANON")), "");
    EXPECT_EQ(std::string(kpageFlagMeaning("BIT40")), "");
}

TEST(PagingMode, FourLevelsWhenTheKernelClearedLa57) {
    auto m = parseCpuinfoPaging(fixture("cpuinfo_4level.txt"));
    ASSERT_TRUE(m.ok()) << m.error().message;
    EXPECT_FALSE(m->la57);
    EXPECT_EQ(m->levels, 4);
    EXPECT_EQ(m->physicalBits, 48);
    EXPECT_EQ(m->virtualBits, 57) << "the CPU could do 5 levels; the kernel did not turn them on";
}

TEST(PagingMode, FiveLevelsWithLa57) {
    auto m = parseCpuinfoPaging(fixture("cpuinfo_la57.txt"));
    ASSERT_TRUE(m.ok()) << m.error().message;
    EXPECT_TRUE(m->la57);
    EXPECT_EQ(m->levels, 5);
    EXPECT_FALSE(parseCpuinfoPaging("processor\t: 0\nmodel name\t: x\n").ok());
    EXPECT_FALSE(parseCpuinfoPaging("flags\t: fpu\naddress sizes\t: lots\n").ok());
    EXPECT_FALSE(parseCpuinfoPaging("flags\t: fpu la57x\n")->la57) << "whole words only";
}

TEST(PageWalk, SplitsAnAddressIntoFourIndices) {
    const std::uint64_t va = 0x7f1234567abcULL;
    AddressSplit s = splitAddress(va, 4, 4096);
    ASSERT_EQ(s.levels.size(), 4u);
    EXPECT_STREQ(s.levels[0].linuxName, "PGD");
    EXPECT_STREQ(s.levels[3].intelName, "PT");
    EXPECT_EQ(s.levels[0].index, (va >> 39) & 511);
    EXPECT_EQ(s.levels[1].index, (va >> 30) & 511);
    EXPECT_EQ(s.levels[2].index, (va >> 21) & 511);
    EXPECT_EQ(s.levels[3].index, (va >> 12) & 511);
    EXPECT_EQ(s.levels[0].highBit, 47);
    EXPECT_EQ(s.levels[3].lowBit, 12);
    EXPECT_EQ(s.offset, 0xabcu);
    EXPECT_EQ(s.offsetBits, 12);
}

TEST(PageWalk, FiveLevelsAndHugePagesEndEarly) {
    const std::uint64_t va = 0x00ff7f1234567abcULL;
    AddressSplit five = splitAddress(va, 5, 4096);
    ASSERT_EQ(five.levels.size(), 5u);
    EXPECT_STREQ(five.levels[1].linuxName, "P4D");
    EXPECT_EQ(five.levels[0].index, (va >> 48) & 511);
    EXPECT_EQ(five.levels[0].highBit, 56);
    AddressSplit huge = splitAddress(va, 4, 2u << 20);
    ASSERT_EQ(huge.levels.size(), 3u) << "a 2 MiB page's entry is in the PMD";
    EXPECT_STREQ(huge.levels.back().linuxName, "PMD");
    EXPECT_EQ(huge.offsetBits, 21);
    EXPECT_EQ(huge.offset, va & ((1u << 21) - 1));
    AddressSplit gig = splitAddress(va, 4, std::uint64_t{1} << 30);
    ASSERT_EQ(gig.levels.size(), 2u);
    EXPECT_STREQ(gig.levels.back().linuxName, "PUD");
}
