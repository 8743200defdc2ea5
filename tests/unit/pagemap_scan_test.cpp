// PAGEMAP_SCAN and plain pread read the same entries from this process's own pagemap, for a mapping
// with present pages, pages never touched, and a part made read-only (a second mapping in the
// range). The fallback is chosen by the option, as the worker does when told to.
#include "core/kernel/pagemap.h"
#include "core/kernel/pagemap_scan.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

namespace shmviz::core {
namespace {

class PagemapScanTest : public ::testing::Test {
  protected:
    static constexpr std::size_t kPages = 1024;
    void SetUp() override {
        m_page = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
        m_base = static_cast<char*>(
            ::mmap(nullptr, kPages * m_page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
        ASSERT_NE(m_base, MAP_FAILED);
        m_fd = ::open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
        ASSERT_GE(m_fd, 0);
    }
    void TearDown() override {
        if (m_fd >= 0)
            ::close(m_fd);
        if (m_base != MAP_FAILED)
            ::munmap(m_base, kPages * m_page);
    }
    void touch(std::size_t first, std::size_t count) {
        for (std::size_t p = first; p < first + count; ++p)
            m_base[p * m_page] = 1;
    }
    std::vector<std::uint64_t> read(PagemapRead how, bool* scanned) {
        std::vector<std::uint64_t> out(kPages);
        const Status s = readPagemapEntries(m_fd, reinterpret_cast<std::uintptr_t>(m_base) / m_page, out,
                                            m_page, how, scanned);
        EXPECT_TRUE(s.ok()) << (s ? "" : s.error().message);
        return out;
    }
    std::uint64_t m_page = 4096;
    char* m_base = static_cast<char*>(MAP_FAILED);
    int m_fd = -1;
};

TEST_F(PagemapScanTest, ScanAndPreadReadTheSameEntries) {
    touch(0, 10);
    touch(20, 1);
    touch(300, 200);
    touch(kPages - 1, 1);
    ASSERT_EQ(::mprotect(m_base + 600 * m_page, 100 * m_page, PROT_READ), 0);
    bool scanned = false, preadScanned = true;
    const auto viaScan = read(PagemapRead::Scan, &scanned);
    const auto viaPread = read(PagemapRead::Pread, &preadScanned);
    EXPECT_FALSE(preadScanned) << "the option forces plain pread";
    ASSERT_EQ(viaScan, viaPread);
    std::size_t present = 0;
    for (std::uint64_t e : viaPread)
        present += decodePagemapEntry(e).present;
    EXPECT_EQ(present, 212u);
    auto runs = scanMappedRuns(m_fd, reinterpret_cast<std::uintptr_t>(m_base) / m_page, kPages, m_page);
    if (!runs && (runs.error().err == ENOTTY || runs.error().err == EINVAL))
        GTEST_SKIP() << "This kernel has no PAGEMAP_SCAN (Linux 6.7); pread alone was tested.";
    ASSERT_TRUE(runs.ok()) << runs.error().message;
    EXPECT_TRUE(scanned);
    ASSERT_EQ(runs->size(), 4u);
    EXPECT_EQ((*runs)[0].first, 0u);
    EXPECT_EQ((*runs)[0].count, 10u);
    EXPECT_EQ((*runs)[1].first, 20u);
    EXPECT_EQ((*runs)[2].first, 300u);
    EXPECT_EQ((*runs)[2].count, 200u);
    EXPECT_EQ((*runs)[3].first, kPages - 1);
}

TEST_F(PagemapScanTest, AnUntouchedRangeIsOneHole) {
    bool scanned = false;
    const auto viaScan = read(PagemapRead::Scan, &scanned);
    const auto viaPread = read(PagemapRead::Pread, nullptr);
    ASSERT_EQ(viaScan, viaPread);
    for (std::uint64_t e : viaScan)
        EXPECT_FALSE(decodePagemapEntry(e).present);
}

TEST_F(PagemapScanTest, ScatteredPagesNeedSeveralCalls) {
    for (std::size_t p = 0; p < kPages; p += 2) // 512 runs of one page: a whole buffer of regions
        touch(p, 1);
    bool scanned = false;
    ASSERT_EQ(read(PagemapRead::Scan, &scanned), read(PagemapRead::Pread, nullptr));
}

} // namespace
} // namespace shmviz::core
