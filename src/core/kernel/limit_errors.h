#pragma once
// Errors a limit caused name that limit and its value now, so the user knows what to raise:
// "Open files per process are limited to RLIMIT_NOFILE = 16 (ulimit -n)."
#include "core/base/error.h"

#include <string>
#include <string_view>

namespace shmviz::core {

// The sentence naming the limit behind `err` returned by `call` ("shmget", "fork", "mq_open", ...),
// or "" when that errno from that call is not a limit.
std::string limitSentence(int err, std::string_view call);

// systemError(err, doing), followed by limitSentence(err, call) when there is one.
Error limitError(int err, const std::string& doing, std::string_view call);

} // namespace shmviz::core
