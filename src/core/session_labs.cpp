#include "core/session.h"

namespace shmviz::core {

Session::Outcome Session::lab(const Step& step) {
    Outcome o;
    o.error = makeError(ENOSYS, std::string(verbName(step.verb)) + " is not available in this build yet.");
    return o;
}

} // namespace shmviz::core
