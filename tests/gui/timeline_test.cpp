// The timeline keeps every step's snapshot; PageUp goes back one step at a time, PageDown comes back
// to live one step at a time, and only when live does the caller go on with the script.
#include "ui/timeline.h"

#include <gtest/gtest.h>

namespace shmviz::ui {
namespace {

core::StepReply reply(int number) {
    core::StepReply r;
    r.number = number;
    r.cmd = "step " + std::to_string(number);
    r.explain = "did " + std::to_string(number);
    auto snap = std::make_shared<core::Snapshot>();
    snap->generation = static_cast<std::uint64_t>(number);
    r.snapshot = snap;
    return r;
}

TEST(Timeline, BackThreeThenForwardToLive) {
    Timeline t;
    EXPECT_FALSE(t.back());
    for (int i = 1; i <= 5; ++i)
        t.add(reply(i));
    EXPECT_FALSE(t.viewing());
    for (int i = 0; i < 3; ++i)
        EXPECT_TRUE(t.back());
    ASSERT_TRUE(t.viewing());
    EXPECT_EQ(t.at(*t.viewing()).number, 2);
    EXPECT_EQ(t.at(*t.viewing()).snapshot->generation, 2u);
    EXPECT_TRUE(t.forward());
    EXPECT_EQ(t.at(*t.viewing()).number, 3);
    EXPECT_TRUE(t.forward());
    EXPECT_TRUE(t.forward()); // step 4 was the one before live: now live
    EXPECT_FALSE(t.viewing());
    EXPECT_FALSE(t.forward()); // live: the caller runs the next script line
}

TEST(Timeline, NoFurtherBackThanTheFirstStepAndComparingTwoSteps) {
    Timeline t;
    for (int i = 1; i <= 3; ++i)
        t.add(reply(i));
    EXPECT_TRUE(t.back());
    EXPECT_TRUE(t.back());
    EXPECT_FALSE(t.back());
    EXPECT_EQ(t.at(*t.viewing()).number, 1);
    t.compare(0, 2);
    ASSERT_TRUE(t.viewing());
    EXPECT_EQ(*t.viewing(), 2u);
    EXPECT_EQ(t.compareFrom(), std::optional<std::size_t>(0));
    t.view(2);
    EXPECT_FALSE(t.viewing());
    t.clear();
    EXPECT_EQ(t.size(), 0u);
}

} // namespace
} // namespace shmviz::ui
