#include "core/base/two_threads.h"

#include <exception>
#include <optional>
#include <system_error>
#include <thread>
#include <time.h>

namespace shmviz::core {

std::chrono::nanoseconds onTwoThreads(bool split, const std::function<void(int part)>& work) {
    std::exception_ptr failed;
    std::chrono::nanoseconds helperCpu{0};
    std::optional<std::thread> helper;
    if (split && std::thread::hardware_concurrency() > 1) {
        try {
            helper.emplace([&] {
                try {
                    work(0);
                } catch (...) {
                    failed = std::current_exception();
                }
                timespec cpu{};
                ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
                helperCpu = std::chrono::seconds(cpu.tv_sec) + std::chrono::nanoseconds(cpu.tv_nsec);
            });
        } catch (const std::system_error&) { // no thread to be had: this one does both parts
        }
    }
    try {
        if (!helper)
            work(0);
        work(1);
    } catch (...) {
        if (helper)
            helper->join();
        throw;
    }
    if (helper)
        helper->join();
    if (failed)
        std::rethrow_exception(failed);
    return helperCpu;
}

} // namespace shmviz::core
