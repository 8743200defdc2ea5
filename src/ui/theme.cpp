#include "ui/theme.h"

#include <imgui.h>

#include <filesystem>

namespace shmviz::ui {
namespace {

constexpr float kBaseFontPx = 15.0f;
constexpr float kPresenterFontPx = 28.0f; // read from the back of a room at 1920x1080
constexpr const char* kFontDirs[] = {"/usr/share/fonts/truetype/dejavu",
                                     "/usr/local/share/fonts/truetype/dejavu"};

ImFont* addFont(const char* file, float px) {
    ImGuiIO& io = ImGui::GetIO();
    for (const char* dir : kFontDirs) {
        const std::filesystem::path path = std::filesystem::path(dir) / file;
        std::error_code ec;
        if (std::filesystem::exists(path, ec))
            if (ImFont* font = io.Fonts->AddFontFromFileTTF(path.c_str(), px))
                return font;
    }
    ImFontConfig config;
    config.SizePixels = px;
    return io.Fonts->AddFontDefault(&config);
}

void lightHighContrast(ImGuiStyle& style) {
    ImGui::StyleColorsLight(&style);
    ImVec4* c = style.Colors;
    c[ImGuiCol_Text] = ImVec4(0, 0, 0, 1);
    c[ImGuiCol_TextDisabled] = ImVec4(0.38f, 0.38f, 0.38f, 1);
    c[ImGuiCol_WindowBg] = ImVec4(1, 1, 1, 1);
    c[ImGuiCol_ChildBg] = ImVec4(1, 1, 1, 1);
    c[ImGuiCol_PopupBg] = ImVec4(1, 1, 0.94f, 1);
    c[ImGuiCol_Border] = ImVec4(0, 0, 0, 0.8f);
    c[ImGuiCol_FrameBg] = ImVec4(0.93f, 0.93f, 0.93f, 1);
    c[ImGuiCol_Button] = ImVec4(0.80f, 0.87f, 1.0f, 1);
    c[ImGuiCol_ButtonHovered] = ImVec4(0.62f, 0.76f, 1.0f, 1);
    c[ImGuiCol_ButtonActive] = ImVec4(0.45f, 0.62f, 1.0f, 1);
    c[ImGuiCol_Header] = ImVec4(0.80f, 0.87f, 1.0f, 1);
    c[ImGuiCol_TitleBg] = ImVec4(0.85f, 0.85f, 0.85f, 1);
    c[ImGuiCol_TitleBgActive] = ImVec4(0.75f, 0.80f, 0.90f, 1);
    c[ImGuiCol_MenuBarBg] = ImVec4(0.90f, 0.90f, 0.90f, 1);
    style.FrameBorderSize = 1;
    style.WindowBorderSize = 1;
}

} // namespace

void applyTheme(render::ThemeKind theme, float scale) {
    ImGuiStyle style;
    if (theme == render::ThemeKind::Dark) {
        ImGui::StyleColorsDark(&style);
        style.Colors[ImGuiCol_WindowBg] = ImVec4(0.11f, 0.12f, 0.14f, 1);
    } else {
        lightHighContrast(style);
    }
    style.WindowRounding = 0;
    style.FrameRounding = 3;
    style.ItemSpacing = ImVec2(8, 6);
    style.WindowPadding = ImVec2(10, 8);
    style.ScaleAllSizes(scale);
    ImGui::GetStyle() = style;
}

Fonts loadFonts(float scale) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    Fonts fonts;
    fonts.regular = addFont("DejaVuSans.ttf", kBaseFontPx * scale);
    fonts.mono = addFont("DejaVuSansMono.ttf", kBaseFontPx * scale);
    fonts.large = addFont("DejaVuSans-Bold.ttf", kBaseFontPx * 1.15f * scale);
    fonts.bigRegular = addFont("DejaVuSans.ttf", 2 * kBaseFontPx * scale);
    fonts.bigMono = addFont("DejaVuSansMono.ttf", 2 * kBaseFontPx * scale);
    fonts.bigLarge = addFont("DejaVuSans-Bold.ttf", 2 * kBaseFontPx * 1.15f * scale);
    fonts.presenter = addFont("DejaVuSans.ttf", kPresenterFontPx * scale);
    io.Fonts->Build();
    return fonts;
}

unsigned toImColor(render::Rgba c) {
    return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, c.a));
}

} // namespace shmviz::ui
