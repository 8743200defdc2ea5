#pragma once
// Writing files without being tricked by a link someone else planted (issue 8). The bytes go to
// a new file that mkostemp creates with O_EXCL beside the final name (an unpredictable name, so
// no link can wait there), are synced, then rename(2) moves the file over the final name in one
// step: readers see the old file or the new one, never half of it, and rename replaces a link
// at the final name instead of following it.
#include "core/base/error.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace shmviz::core {

// What to do when the final name is a symbolic link.
enum class LinkPolicy {
    // A name the app chose itself (F12's shmviz-DATE.png, settings.ini, saved steps): refuse.
    Refuse,
    // A name the user typed (--screenshot FILE): a link the user owns (same owner as the
    // effective uid) is the user's own doing, so the file it points to is replaced; a link
    // owned by anyone else is refused (in /tmp it may have been planted to aim a root run at a
    // victim file).
    FollowOwn,
};

// Replaces `path` with `bytes`; the new file gets mode 0666 minus the umask. `what` names the
// file in errors ("the screenshot"). Errors are one sentence with the errno name; on an error
// nothing at `path` changes and no temporary file is left behind.
Status writeFileAtomically(const std::string& path, std::span<const std::uint8_t> bytes,
                           LinkPolicy links = LinkPolicy::Refuse, std::string_view what = "the file");
Status writeFileAtomically(const std::string& path, std::string_view text,
                           LinkPolicy links = LinkPolicy::Refuse, std::string_view what = "the file");

// Opens `path` for writing from the start (a log the app appends to as it runs), with the same
// link rule; the descriptor is O_CLOEXEC and the caller closes it.
Result<int> openForWriting(const std::string& path, LinkPolicy links, std::string_view what = "the file");

// "open /x failed: permission denied (EACCES)." style: one sentence naming the errno.
Error fileError(int err, std::string_view doing, const std::string& path);

} // namespace shmviz::core
