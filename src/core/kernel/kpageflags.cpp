#include "core/kernel/kpageflags.h"

#include <iterator>

namespace shmviz::core {

namespace {

struct FlagName {
    const char* name;
    const char* meaning;
};

// Bit n of the word is kFlags[n] (kernel-page-flags.h, KPF_LOCKED = 0 .. KPF_PGTABLE = 26).
constexpr FlagName kFlags[] = {
    {"LOCKED", "locked for I/O at this moment"},
    {"ERROR", "an I/O error happened on it"},
    {"REFERENCED", "accessed recently"},
    {"UPTODATE", "its contents are valid"},
    {"DIRTY", "written and not yet cleaned"},
    {"LRU", "on a reclaim list: the kernel may evict it under pressure"},
    {"ACTIVE", "on the active reclaim list (in recent use)"},
    {"SLAB", "kernel slab memory"},
    {"WRITEBACK", "being written back"},
    {"RECLAIM", "about to be reclaimed"},
    {"BUDDY", "free, in the buddy allocator"},
    {"MMAP", "mapped into at least one process"},
    {"ANON", "anonymous memory: a process's private copy, not page cache"},
    {"SWAPCACHE", "also in the swap cache"},
    {"SWAPBACKED", "backed by swap (anonymous or shared memory, not a file)"},
    {"COMPOUND_HEAD", "first frame of a larger page"},
    {"COMPOUND_TAIL", "a later frame of a larger page"},
    {"HUGE", "part of a hugetlbfs huge page"},
    {"UNEVICTABLE", "cannot be evicted (locked or ramfs)"},
    {"HWPOISON", "hardware reported it as broken"},
    {"NOPAGE", "no frame at this number"},
    {"KSM", "merged by kernel same-page merging"},
    {"THP", "part of a transparent huge page"},
    {"OFFLINE", "offline memory"},
    {"ZERO_PAGE", "the shared zero page"},
    {"IDLE", "not accessed since idle tracking was armed"},
    {"PGTABLE", "holds a page table"},
};

} // namespace

std::vector<std::string> decodeKpageFlags(std::uint64_t flags) {
    std::vector<std::string> names;
    for (unsigned bit = 0; bit < 64; ++bit) {
        if (!(flags & (std::uint64_t{1} << bit)))
            continue;
        names.push_back(bit < std::size(kFlags) ? kFlags[bit].name : "BIT" + std::to_string(bit));
    }
    return names;
}

const char* kpageFlagMeaning(const std::string& name) {
    for (const FlagName& f : kFlags)
        if (name == f.name)
            return f.meaning;
    return "";
}

} // namespace shmviz::core
