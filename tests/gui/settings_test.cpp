#include "ui/settings.h"

#include <gtest/gtest.h>

namespace shmviz::ui {
namespace {

TEST(Settings, RoundTrip) {
    Settings s;
    s.width = 1280;
    s.height = 720;
    s.theme = render::ThemeKind::Light;
    s.zoom = 1.5f;
    const Settings back = parseSettings(formatSettings(s));
    EXPECT_EQ(back.width, 1280);
    EXPECT_EQ(back.height, 720);
    EXPECT_EQ(back.theme, render::ThemeKind::Light);
    EXPECT_FLOAT_EQ(back.zoom, 1.5f);
}

TEST(Settings, NonsenseFallsBackToDefaultsOrLimits) {
    const Settings s = parseSettings("width = banana\nheight=99999999\nzoom=-4\ntheme=purple\n");
    EXPECT_EQ(s.width, Settings{}.width);
    EXPECT_EQ(s.height, 16384);
    EXPECT_FLOAT_EQ(s.zoom, 0.5f);
    EXPECT_EQ(s.theme, render::ThemeKind::Dark);
}

} // namespace
} // namespace shmviz::ui
