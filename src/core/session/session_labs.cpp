#include "core/labs/labs.h"
#include "core/session/session.h"

namespace shmviz::core {

// The labs run in their own lab worker processes (core/labs/), not in the session's workers; the
// session lends them its worker path, guardian, cancel flag and progress slot.
Session::Outcome Session::lab(const Step& step) {
    Outcome o;
    const labs::LabContext context{m_options.workerPath, m_guardian.running() ? &m_guardian : nullptr,
                                   m_options.cancel, m_options.progress};
    auto fail = [&](const Error& e) {
        o.error = e;
        return o;
    };
    switch (step.verb) {
    case Verb::Race: {
        auto params = labs::raceParams(step);
        if (!params)
            return fail(params.error());
        auto result = labs::runRace(*params, context);
        if (!result)
            return fail(result.error());
        o.result = *result;
        o.explain = labs::explain(*result);
        return o;
    }
    case Verb::Torn: {
        auto params = labs::tornParams(step);
        if (!params)
            return fail(params.error());
        auto result = labs::runTorn(*params, context);
        if (!result)
            return fail(result.error());
        o.result = *result;
        o.explain = labs::explain(*result);
        return o;
    }
    case Verb::IpcBench: {
        auto params = labs::ipcParams(step);
        if (!params)
            return fail(params.error());
        auto result = labs::runIpcBench(*params, context);
        if (!result)
            return fail(result.error());
        o.result = *result;
        o.explain = labs::explain(*result);
        return o;
    }
    default:
        break;
    }
    return fail(makeError(EINVAL, std::string(verbName(step.verb)) + " is not a lab."));
}

} // namespace shmviz::core
