#include "render/palette.h"

#include <array>

namespace shmviz::render {
namespace {

constexpr Rgba rgb(int r, int g, int b) {
    return {r / 255.0f, g / 255.0f, b / 255.0f, 1.0f};
}

// Hues chosen to stay distinguishable for the common colour-vision deficiencies (Okabe-Ito order).
constexpr std::array<Rgba, 8> kDarkSegments = {rgb(86, 180, 233),  rgb(230, 159, 0),  rgb(0, 190, 140),
                                               rgb(204, 121, 167), rgb(240, 228, 66), rgb(213, 94, 0),
                                               rgb(0, 114, 178),   rgb(170, 170, 255)};
constexpr std::array<Rgba, 8> kLightSegments = {rgb(0, 95, 170),   rgb(190, 110, 0), rgb(0, 125, 90),
                                                rgb(170, 50, 130), rgb(130, 120, 0), rgb(190, 60, 0),
                                                rgb(40, 40, 160),  rgb(110, 60, 170)};

const Palette kDark = {
    .background = rgb(24, 26, 31),
    .canvas = rgb(30, 33, 39),
    .columnFill = rgb(38, 42, 50),
    .outline = rgb(120, 128, 140),
    .notPresentFill = rgb(44, 48, 56),
    .text = rgb(230, 232, 236),
    .mutedText = rgb(150, 156, 166),
    .destroyed = rgb(255, 90, 90),
    .selection = rgb(255, 255, 255),
};

const Palette kLight = {
    .background = rgb(255, 255, 255),
    .canvas = rgb(255, 255, 255),
    .columnFill = rgb(238, 240, 244),
    .outline = rgb(40, 40, 40),
    .notPresentFill = rgb(255, 255, 255),
    .text = rgb(0, 0, 0),
    .mutedText = rgb(70, 70, 70),
    .destroyed = rgb(200, 0, 0),
    .selection = rgb(0, 0, 0),
};

Rgba scaled(Rgba c, float f) {
    return {c.r * f, c.g * f, c.b * f, c.a};
}

} // namespace

const Palette& paletteFor(ThemeKind theme) {
    return theme == ThemeKind::Dark ? kDark : kLight;
}

Rgba segmentColor(ThemeKind theme, int segment, std::uint64_t page) {
    Rgba base = segment < 0 ? rgb(150, 150, 150)
                            : (theme == ThemeKind::Dark ? kDarkSegments : kLightSegments)[segment % 8];
    return page % 2 == 0 ? base : scaled(base, theme == ThemeKind::Dark ? 0.78f : 0.82f);
}

Rgba arrowColor(ThemeKind theme, int segment) {
    return segmentColor(theme, segment, 0);
}

Rgba withAlpha(Rgba color, float alpha) {
    return {color.r, color.g, color.b, color.a * alpha};
}

} // namespace shmviz::render
