#include "app/redraw_scheduler.h"

#include <algorithm>

namespace shmviz::app {

void RedrawScheduler::request(int frames) {
    m_framesToDraw = std::max(m_framesToDraw, frames);
}

void RedrawScheduler::noteEvents(unsigned events) {
    if (events != m_events) {
        m_events = events;
        request();
    }
}

void RedrawScheduler::noteGeneration(std::uint64_t generation) {
    if (generation != m_generation) {
        m_generation = generation;
        request();
    }
}

void RedrawScheduler::noteBusy(bool busy) {
    if (busy != m_busy) {
        m_busy = busy;
        request();
    }
}

bool RedrawScheduler::takeFrame(bool animating) {
    if (m_framesToDraw <= 0 && !animating)
        return false;
    m_framesToDraw = std::max(0, m_framesToDraw - 1);
    return true;
}

} // namespace shmviz::app
