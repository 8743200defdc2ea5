#include "core/base/safe_file.h"

#include <cctype>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace shmviz::core {
namespace {

// The umask without changing it (umask(2) can only be read by setting it, which races with
// other threads creating files). proc(5): the Umask field of /proc/self/status, since Linux 4.7.
mode_t currentUmask() {
    const int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 022;
    char buf[4096];
    const ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return 022;
    buf[n] = 0;
    const char* at = std::strstr(buf, "\nUmask:");
    return at ? static_cast<mode_t>(std::strtoul(at + 7, nullptr, 8) & 0777) : 022;
}

std::string directoryOf(const std::string& path) {
    const std::size_t slash = path.rfind('/');
    if (slash == std::string::npos)
        return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

// Where the bytes should really go: `path` itself, or for a link the policy allows, the file
// it points to. A dangling link the user owns names the file to create.
Result<std::string> finalTarget(const std::string& path, LinkPolicy links, std::string_view what,
                                int depth = 0) {
    struct stat st {};
    if (lstat(path.c_str(), &st) != 0) {
        if (errno == ENOENT)
            return path;
        return fileError(errno, "Checking " + std::string(what), path);
    }
    if (!S_ISLNK(st.st_mode))
        return path;
    if (links == LinkPolicy::Refuse)
        return makeError(ELOOP, "Did not save " + std::string(what) + ": " + path +
                                    " is a symbolic link, and shmviz does not write through a link at a "
                                    "name it chose itself; remove the link and try again (ELOOP).");
    if (st.st_uid != geteuid())
        return makeError(EPERM, "Did not save " + std::string(what) + ": " + path +
                                    " is a symbolic link owned by another user (uid " +
                                    std::to_string(st.st_uid) +
                                    "); name the file it points to if you mean it (EPERM).");
    if (depth >= 8)
        return makeError(ELOOP, "Did not save " + std::string(what) + ": " + path +
                                    " is one link too many in a chain of symbolic links (ELOOP).");
    char target[PATH_MAX];
    const ssize_t n = readlink(path.c_str(), target, sizeof target - 1);
    if (n <= 0)
        return fileError(errno, "Reading the link", path);
    std::string resolved(target, static_cast<std::size_t>(n));
    if (resolved.front() != '/')
        resolved = directoryOf(path) + "/" + resolved;
    // A link to a link is followed by the same rule, never blindly.
    return finalTarget(resolved, links, what, depth + 1);
}

Status writeAll(int fd, std::span<const std::uint8_t> bytes) {
    while (!bytes.empty()) {
        const ssize_t n = write(fd, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return Error{n < 0 ? errno : EIO, {}};
        bytes = bytes.subspan(static_cast<std::size_t>(n));
    }
    return Ok{};
}

} // namespace

Error fileError(int err, std::string_view doing, const std::string& path) {
    std::string text = std::strerror(err);
    if (!text.empty())
        text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
    return Error{err, std::string(doing) + " " + path + " failed: " + text + " (" + errnoName(err) + ")."};
}

Status writeFileAtomically(const std::string& path, std::span<const std::uint8_t> bytes, LinkPolicy links,
                           std::string_view what) {
    if (path.empty() || path.back() == '/')
        return makeError(EISDIR,
                         "Did not save " + std::string(what) + ": \"" + path + "\" names no file (EISDIR).");
    auto target = finalTarget(path, links, what);
    if (!target)
        return target.error();
    const std::string& dest = *target;
    const std::string base = dest.substr(dest.rfind('/') + 1);
    std::string temp = directoryOf(dest) + "/." + base + ".XXXXXX";
    // mkostemp opens with O_CREAT | O_EXCL, mode 0600: it never opens an existing file or link.
    const int fd = mkostemp(temp.data(), O_CLOEXEC);
    if (fd < 0)
        return fileError(errno, "Creating a temporary file to save " + std::string(what) + " beside", dest);
    auto fail = [&](int err, std::string_view doing) {
        close(fd);
        unlink(temp.c_str());
        return fileError(err, doing, dest);
    };
    if (fchmod(fd, 0666 & ~currentUmask()) != 0)
        return fail(errno, "Setting the mode of " + std::string(what));
    if (Status written = writeAll(fd, bytes); !written)
        return fail(written.error().err, "Writing " + std::string(what));
    if (fsync(fd) != 0)
        return fail(errno, "Syncing " + std::string(what));
    if (close(fd) != 0) {
        const int err = errno;
        unlink(temp.c_str());
        return fileError(err, "Closing " + std::string(what), dest);
    }
    if (rename(temp.c_str(), dest.c_str()) != 0) {
        const int err = errno;
        unlink(temp.c_str());
        return fileError(err, "Saving " + std::string(what) + " as", dest);
    }
    return Ok{};
}

Status writeFileAtomically(const std::string& path, std::string_view text, LinkPolicy links,
                           std::string_view what) {
    return writeFileAtomically(
        path, std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()), links, what);
}

Result<int> openForWriting(const std::string& path, LinkPolicy links, std::string_view what) {
    auto target = finalTarget(path, links, what);
    if (!target)
        return target.error();
    // O_NOFOLLOW: a link swapped in after the check makes the open fail instead of being followed.
    const int fd = open(target->c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0)
        return fileError(errno, "Opening " + std::string(what), *target);
    return fd;
}

} // namespace shmviz::core
