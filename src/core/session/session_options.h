#pragma once
// How a Session is set up: which worker binary, whether a guardian cleans up after a crash, and
// where a long step (a lab) looks for cancellation and publishes progress.
#include "core/labs/lab_progress.h"

#include <atomic>
#include <cstdint>
#include <string>

namespace shmviz::core {

// $SHMVIZ_WORKER, else shmviz-worker next to the running executable (core/wire/child_process.cpp).
std::string defaultWorkerPath();

struct SessionOptions {
    std::string workerPath = defaultWorkerPath();
    bool guardian = true;                      // start the guardian that cleans up if the app is killed
    const std::atomic<bool>* cancel = nullptr; // long steps (labs) stop when this turns true
    labs::LabProgress* progress = nullptr;     // a running lab publishes how far it is here
    std::uint64_t firstGeneration = 0;         // snapshots count on from here (a new session after another)
};

} // namespace shmviz::core
