#pragma once
// When the window is drawn. An idle window sleeps in the event wait; input, a new snapshot, a
// reply or a change of busy state asks for a few frames (ImGui needs a frame or two to size
// windows after a change), and an animation draws every frame until it ends. No GLFW here.
#include <cstdint>

namespace shmviz::app {

class RedrawScheduler {
  public:
    static constexpr int kSettleFrames = 3;

    // Asks for at least `frames` more frames.
    void request(int frames = kSettleFrames);
    // Each asks for frames when its value differs from the one seen last.
    void noteEvents(unsigned events);
    void noteGeneration(std::uint64_t generation);
    void noteBusy(bool busy);

    // True when the loop should poll rather than wait for an event.
    bool wantsPolling(bool animating) const { return m_framesToDraw > 0 || animating; }
    // True when a frame should be drawn now; counts it.
    bool takeFrame(bool animating);
    // True when no more settle frames are owed (a saved screenshot then shows the final state).
    bool settled() const { return m_framesToDraw == 0; }

  private:
    int m_framesToDraw = kSettleFrames;
    unsigned m_events = 0;
    std::uint64_t m_generation = ~std::uint64_t{0};
    bool m_busy = false;
};

} // namespace shmviz::app
