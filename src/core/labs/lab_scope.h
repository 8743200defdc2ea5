#pragma once
// Small RAII helpers shared by the lab runners.
#include "core/labs/lab_progress.h"

#include <cstdint>
#include <unistd.h>
#include <utility>

namespace shmviz::core::labs {

// Publishes a lab's total work for the progress bar and clears it however the lab ends.
class ProgressScope {
  public:
    ProgressScope(LabProgress* progress, std::uint64_t total) : m_progress(progress) {
        if (m_progress)
            m_progress->begin(total == 0 ? 1 : total);
    }
    ~ProgressScope() {
        if (m_progress)
            m_progress->end();
    }
    ProgressScope(const ProgressScope&) = delete;
    ProgressScope& operator=(const ProgressScope&) = delete;
    void set(std::uint64_t done) {
        if (m_progress)
            m_progress->done.store(done, std::memory_order_relaxed);
    }

  private:
    LabProgress* m_progress;
};

// Owns one descriptor.
class UniqueFd {
  public:
    explicit UniqueFd(int fd = -1) : m_fd(fd) {}
    UniqueFd(UniqueFd&& o) noexcept : m_fd(std::exchange(o.m_fd, -1)) {}
    UniqueFd& operator=(UniqueFd&& o) noexcept {
        reset(std::exchange(o.m_fd, -1));
        return *this;
    }
    ~UniqueFd() { reset(); }
    int get() const { return m_fd; }
    void reset(int fd = -1) {
        if (m_fd >= 0)
            close(m_fd);
        m_fd = fd;
    }

  private:
    int m_fd;
};

} // namespace shmviz::core::labs
