#include "worker/privileges.h"

#include <fcntl.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace shmviz::worker {

namespace {

bool holdsEffective(cap_value_t cap) {
    cap_t caps = cap_get_proc();
    if (!caps)
        return false;
    cap_flag_value_t value = CAP_CLEAR;
    cap_get_flag(caps, cap, CAP_EFFECTIVE, &value);
    cap_free(caps);
    return value == CAP_SET;
}

} // namespace

PagemapHandle openOwnPagemap() {
    PagemapHandle h;
    const bool privileged = holdsEffective(CAP_SYS_ADMIN);
    h.fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    if (h.fd < 0) {
        h.openErrno = errno;
        h.access = core::proto::PagemapAccess::Unreadable;
        return h;
    }
    h.access =
        privileged ? core::proto::PagemapAccess::FramesVisible : core::proto::PagemapAccess::FramesHidden;
    return h;
}

bool dropAllCapabilities() {
    cap_reset_ambient();
    cap_t none = cap_init();
    const bool cleared = none && cap_set_proc(none) == 0;
    if (none)
        cap_free(none);
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    cap_t now = cap_get_proc();
    bool empty = false;
    if (now) {
        cap_t reference = cap_init();
        empty = cap_compare(now, reference) == 0;
        cap_free(reference);
        cap_free(now);
    }
    return cleared && empty;
}

} // namespace shmviz::worker
