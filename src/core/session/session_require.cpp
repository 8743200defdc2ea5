#include "core/kernel/hugetlbfs.h"
#include "core/kernel/system_limits.h"
#include "core/session/session.h"
#include "core/steps/units.h"

namespace shmviz::core {

// A lesson that needs something only an administrator can provide says so with `require`; on a
// machine without it the rest of the script is skipped with the reason, instead of failing step
// after step.
Session::Outcome Session::require(const Step& step) {
    Outcome o;
    if (step.word == "hugepages") {
        const HugePageInfo huge = readHugePages();
        const std::uint64_t wanted = std::max<std::uint64_t>(step.count, 1);
        o.data["hugepages"] = {{"free", huge.free}, {"total", huge.total}, {"size", huge.sizeBytes}};
        if (huge.free >= wanted) {
            o.explain = std::to_string(huge.free) + " huge pages of " + formatSize(huge.sizeBytes) +
                        " are free (/proc/meminfo HugePages_Free), so the lesson goes on.";
            return o;
        }
        o.endsScript = true;
        o.explain =
            "This lesson needs " + std::to_string(wanted) + " free huge page(s), but " +
            std::to_string(huge.free) + " of " + std::to_string(huge.total) +
            " are free (/proc/meminfo). Reserve some once with: sudo sysctl vm.nr_hugepages=64. The rest of "
            "the lesson is skipped.";
        return o;
    }
    if (step.word == "hugetlbfs") {
        auto mount = readHugetlbfsMount();
        if (mount) {
            o.data["hugetlbfs"] = *mount;
            o.explain = "A hugetlbfs is mounted at " + *mount + ", so the lesson goes on.";
            return o;
        }
        o.endsScript = true;
        o.explain =
            std::string("This part needs a mounted hugetlbfs and /proc/mounts lists none. Mount one with: ") +
            kMountHugetlbfsCommand + ". The rest of the lesson is skipped.";
        return o;
    }
    o.error = makeError(EINVAL, "\"" + step.word +
                                    "\" is not something a lesson can require; use hugepages or "
                                    "hugetlbfs.");
    return o;
}

} // namespace shmviz::core
