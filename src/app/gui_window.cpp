#include "app/gui_window.h"

#include "app/window_fit.h"

#include <glad/gl.h>
// glad first: it provides the GL declarations GLFW would otherwise include.
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <atomic>
#include <cstdio>

namespace shmviz::app {
namespace {

std::atomic<unsigned> g_events{0};
std::vector<ui::KeyPress> g_keys; // main thread only: GLFW calls back from glfwPollEvents

void markEvent() {
    g_events.fetch_add(1, std::memory_order_relaxed);
}

void installEventCallbacks(GLFWwindow* window) {
    // Installed before ImGui's, which chain to these.
    glfwSetCursorPosCallback(window, [](GLFWwindow*, double, double) { markEvent(); });
    glfwSetWindowSizeCallback(window, [](GLFWwindow*, int, int) { markEvent(); });
    glfwSetFramebufferSizeCallback(window, [](GLFWwindow*, int, int) { markEvent(); });
    glfwSetWindowRefreshCallback(window, [](GLFWwindow*) { markEvent(); });
    glfwSetWindowContentScaleCallback(window, [](GLFWwindow*, float, float) { markEvent(); });
    glfwSetMouseButtonCallback(window, [](GLFWwindow*, int, int, int) { markEvent(); });
    glfwSetScrollCallback(window, [](GLFWwindow*, double, double) { markEvent(); });
    glfwSetKeyCallback(window, [](GLFWwindow*, int key, int, int action, int mods) {
        if (action != GLFW_RELEASE)
            g_keys.push_back({key, mods, action == GLFW_REPEAT});
        markEvent();
    });
    glfwSetCharCallback(window, [](GLFWwindow*, unsigned) { markEvent(); });
    glfwSetWindowFocusCallback(window, [](GLFWwindow*, int) { markEvent(); });
    glfwSetCursorEnterCallback(window, [](GLFWwindow*, int) { markEvent(); });
}

GLFWwindow* createContextWindow(int width, int height, const std::string& title) {
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
    GLFWwindow* window = glfwCreateWindow(width, height, title.c_str(), nullptr, nullptr);
    if (!window)
        return nullptr;
    glfwMakeContextCurrent(window);
    if (!gladLoadGL(glfwGetProcAddress)) {
        std::fprintf(stderr, "shmviz: could not load OpenGL 3.3 functions.\n");
        glfwDestroyWindow(window);
        return nullptr;
    }
    glfwSwapInterval(1);
    return window;
}

// The primary monitor's work area (the screen less panels and docks); empty when unknown.
WindowRect monitorWorkArea() {
    WindowRect area;
    if (GLFWmonitor* monitor = glfwGetPrimaryMonitor())
        glfwGetMonitorWorkarea(monitor, &area.x, &area.y, &area.width, &area.height);
    return area;
}

// Once the window exists the window manager's title bar and borders are known; they must fit too.
void placeInWorkArea(GLFWwindow* window, const WindowRect& area) {
    int width = 0, height = 0;
    glfwGetWindowSize(window, &width, &height);
    FrameExtents frame;
    glfwGetWindowFrameSize(window, &frame.left, &frame.top, &frame.right, &frame.bottom);
    const WindowRect fitted = fitWindow(width, height, area, frame);
    glfwSetWindowSize(window, fitted.width, fitted.height);
    glfwSetWindowPos(window, fitted.x, fitted.y);
}

} // namespace

GuiWindow::~GuiWindow() {
    if (m_imgui) {
        ImGui_ImplOpenGL3_Shutdown();
        ImGui_ImplGlfw_Shutdown();
        ImGui::DestroyContext();
    }
    if (m_window)
        glfwDestroyWindow(m_window);
    glfwTerminate();
}

bool GuiWindow::open(int width, int height, const std::string& title, bool noMouse, bool fitToMonitor) {
    glfwSetErrorCallback(
        [](int code, const char* text) { std::fprintf(stderr, "shmviz: GLFW %d: %s\n", code, text); });
    if (!glfwInit())
        return false;
    const WindowRect area = fitToMonitor ? monitorWorkArea() : WindowRect{};
    const bool fit = area.width > 0 && area.height > 0;
    if (fit) {
        const WindowRect first = fitWindow(width, height, area);
        width = first.width;
        height = first.height;
    }
    m_window = createContextWindow(width, height, title);
    if (!m_window)
        return false;
    if (fit)
        placeInWorkArea(m_window, area);
    installEventCallbacks(m_window);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr; // panels are placed by MainView; settings.ini holds the rest
    if (noMouse)
        ImGui::GetIO().ConfigFlags |= ImGuiConfigFlags_NoMouse;
    ImGui_ImplGlfw_InitForOpenGL(m_window, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");
    m_imgui = true;
    return true;
}

void GuiWindow::pollEvents(bool wait, double timeoutSeconds) {
    if (wait)
        glfwWaitEventsTimeout(timeoutSeconds);
    else
        glfwPollEvents();
}

void GuiWindow::wake() {
    glfwPostEmptyEvent();
}

unsigned GuiWindow::events() const {
    return g_events.load(std::memory_order_relaxed);
}

std::vector<ui::KeyPress> GuiWindow::takeKeys() {
    return std::exchange(g_keys, {});
}

bool GuiWindow::shouldClose() const {
    return glfwWindowShouldClose(m_window);
}

float GuiWindow::contentScale() const {
    float xs = 1, ys = 1;
    glfwGetWindowContentScale(m_window, &xs, &ys);
    return xs;
}

void GuiWindow::framebufferSize(int& width, int& height) const {
    glfwGetFramebufferSize(m_window, &width, &height);
}

bool GuiWindow::restorableSize(int& width, int& height) const {
    glfwGetWindowSize(m_window, &width, &height);
    return width > 0 && height > 0 && !glfwGetWindowAttrib(m_window, GLFW_ICONIFIED) &&
           !glfwGetWindowAttrib(m_window, GLFW_MAXIMIZED);
}

void GuiWindow::reloadFontsTexture() {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
}

void GuiWindow::beginFrame() {
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
}

void GuiWindow::renderImGui() {
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

void GuiWindow::present() {
    glfwSwapBuffers(m_window);
}

} // namespace shmviz::app
