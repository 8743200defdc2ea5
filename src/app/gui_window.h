#pragma once
// The window backend: a GLFW window with an OpenGL 3.3 core context and ImGui's GLFW and OpenGL
// backends. Counts input events (any of them asks for a redraw) and queues key presses for the UI.
// Main thread only, except wake().
#include "ui/ui_state.h"

#include <string>
#include <vector>

struct GLFWwindow;

namespace shmviz::app {

class GuiWindow {
  public:
    GuiWindow() = default;
    ~GuiWindow(); // closes the window and ends GLFW
    GuiWindow(const GuiWindow&) = delete;
    GuiWindow& operator=(const GuiWindow&) = delete;

    // Opens the window and sets up ImGui; false (with a message on stderr) when there is no
    // display or no OpenGL 3.3. `noMouse`: ImGui ignores the pointer (figures show no hover).
    // `fitToMonitor`: the size is kept only if the window, title bar included, fits the primary
    // monitor's work area; otherwise it shrinks to fit. Either way it is centred there.
    bool open(int width, int height, const std::string& title, bool noMouse, bool fitToMonitor);

    // Handles pending events; waits up to `timeoutSeconds` for one when `wait` is true.
    void pollEvents(bool wait, double timeoutSeconds);
    // Any thread: makes a waiting pollEvents return (the session runner calls it on new results).
    static void wake();
    // Grows by one with every input or window event.
    unsigned events() const;
    // Key presses since the last call, oldest first.
    std::vector<ui::KeyPress> takeKeys();

    bool shouldClose() const;
    float contentScale() const;
    void framebufferSize(int& width, int& height) const;
    // The window's size when worth remembering in the settings (not iconified or maximised).
    bool restorableSize(int& width, int& height) const;

    void reloadFontsTexture(); // after ui::loadFonts rebuilt the atlas
    void beginFrame();         // ImGui::NewFrame with both backends
    void renderImGui();        // draws ImGui's draw data into the current framebuffer
    void present();            // swaps buffers

  private:
    GLFWwindow* m_window = nullptr;
    bool m_imgui = false;
};

} // namespace shmviz::app
