#pragma once
// Failures are values: an errno and one plain sentence saying what was being done.
#include <cerrno>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace shmviz::core {

struct Error {
    int err = EINVAL;
    std::string message; // one plain sentence, ends with a full stop
};

// "EINVAL" for EINVAL; "E<number>" for an errno glibc does not name.
std::string errnoName(int err);

// Builds an Error from the current errno: "<doing>: <strerror> (ENAME)." style sentence.
Error systemError(int err, const std::string& doing);

template <class T> class [[nodiscard]] Result {
  public:
    Result(T value) : m_state(std::move(value)) {}
    Result(Error error) : m_state(std::move(error)) {}

    bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() { return std::get<0>(m_state); }
    const T& value() const { return std::get<0>(m_state); }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    const Error& error() const { return std::get<1>(m_state); }

  private:
    std::variant<T, Error> m_state;
};

struct Ok {};
using Status = Result<Ok>;

inline Error makeError(int err, std::string message) {
    return Error{err, std::move(message)};
}

} // namespace shmviz::core
