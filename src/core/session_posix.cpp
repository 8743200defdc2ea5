#include "core/session.h"

namespace shmviz::core {


Session::Outcome Session::shmOpen(const Step& step) {
    Outcome o;
    o.error = makeError(ENOSYS, std::string(verbName(step.verb)) + " is not available in this build yet.");
    return o;
}
Session::Outcome Session::ftruncate(const Step& step) { return shmOpen(step); }
Session::Outcome Session::mmap(const Step& step) { return shmOpen(step); }
Session::Outcome Session::munmap(const Step& step) { return shmOpen(step); }
Session::Outcome Session::shmUnlink(const Step& step) { return shmOpen(step); }
Session::Outcome Session::fork(const Step& step) { return shmOpen(step); }
Session::Outcome Session::anon(const Step& step) { return shmOpen(step); }

} // namespace shmviz::core
