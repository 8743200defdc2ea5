#pragma once
// Why frame numbers are hidden, in the words the worker and the app share. Frame numbers come
// only from shmviz-pagemap, the one program with a capability (cap_sys_admin), which only members
// of the group shmviz may run (README, "Frame numbers and the shmviz group").
#include <string>

namespace shmviz::core {

// shmviz-pagemap beside `workerPath`.
std::string pagemapHelperPath(const std::string& workerPath);

// Why running shmviz-pagemap failed with exec errno `err`.
std::string helperExecFailure(int err);

// Before any worker runs: "" when workers will see frame numbers, else why not (the same words a
// worker would report). Checks what exec will check: the file, our right to run it, its capability.
std::string predictHiddenReason(const std::string& workerPath);

} // namespace shmviz::core
