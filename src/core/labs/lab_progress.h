#pragma once
// How far the running lab is, for a progress bar. Written by the session thread, read by any thread
// (the GUI reads SessionRunner::progress() each frame). Units depend on the lab: increments for race,
// milliseconds for torn, bytes for ipcbench; only the fraction matters to a bar.
#include <atomic>
#include <cstdint>

namespace shmviz::core::labs {

struct LabProgress {
    std::atomic<std::uint64_t> done{0};
    std::atomic<std::uint64_t> total{0}; // 0 while no lab runs

    bool active() const { return total.load(std::memory_order_relaxed) != 0; }
    // 0..1; 0 while no lab runs.
    float fraction() const {
        const std::uint64_t t = total.load(std::memory_order_relaxed);
        const std::uint64_t d = done.load(std::memory_order_relaxed);
        return t == 0 ? 0.0f
                      : static_cast<float>(d >= t ? 1.0 : static_cast<double>(d) / static_cast<double>(t));
    }
    void begin(std::uint64_t units) {
        done.store(0, std::memory_order_relaxed);
        total.store(units, std::memory_order_relaxed);
    }
    void end() {
        total.store(0, std::memory_order_relaxed);
        done.store(0, std::memory_order_relaxed);
    }
};

} // namespace shmviz::core::labs
