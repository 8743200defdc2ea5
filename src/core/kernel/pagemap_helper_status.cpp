#include "core/kernel/pagemap_helper_status.h"

#include "core/base/error.h"

#include <cerrno>
#include <cstring>
#include <sys/capability.h>
#include <unistd.h>

namespace shmviz::core {

namespace {

bool fileGrantsSysAdmin(const std::string& path) {
    cap_t caps = cap_get_file(path.c_str());
    if (!caps)
        return false;
    cap_flag_value_t permitted = CAP_CLEAR, effective = CAP_CLEAR;
    cap_get_flag(caps, CAP_SYS_ADMIN, CAP_PERMITTED, &permitted);
    cap_get_flag(caps, CAP_SYS_ADMIN, CAP_EFFECTIVE, &effective);
    cap_free(caps);
    return permitted == CAP_SET && effective == CAP_SET;
}

} // namespace

std::string pagemapHelperPath(const std::string& workerPath) {
    return workerPath.substr(0, workerPath.rfind('/') + 1) + "shmviz-pagemap";
}

std::string helperExecFailure(int err) {
    if (err == EACCES || err == EPERM)
        return "you are not in the shmviz group, so you may not run shmviz-pagemap (" + errnoName(err) +
               "); an administrator adds you with: usermod -aG shmviz NAME (then log in again)";
    if (err == ENOENT)
        return "shmviz-pagemap is not installed beside shmviz-worker (ENOENT)";
    return "running shmviz-pagemap failed (" + errnoName(err) + ")";
}

std::string predictHiddenReason(const std::string& workerPath) {
    const std::string helper = pagemapHelperPath(workerPath);
    // access() checks with the real uid and groups, as exec's permission check does for us.
    if (access(helper.c_str(), X_OK) != 0)
        return helperExecFailure(errno);
    if (getuid() == 0 || fileGrantsSysAdmin(helper))
        return {};
    return "shmviz-pagemap is not installed with cap_sys_admin (install it with: sudo ./shmviz.sh install)";
}

} // namespace shmviz::core
