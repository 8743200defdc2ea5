// Buttons issue step-language lines and are enabled only when the step makes sense.
#include "snapshot_builder.h"
#include "ui/step_commands.h"

#include <gtest/gtest.h>

namespace shmviz::ui {
namespace {

TEST(StepCommands, ShmgetLineFromTheControls) {
    core::Snapshot s;
    const StepLines lines(s, -1);
    SegmentRequest r;
    r.pages = 4;
    EXPECT_EQ(lines.shmget(r), "shmget 16K");
    r.pages = 256;
    r.privateKey = false;
    r.keyHex = "0x1234";
    r.modeOctal = "640";
    EXPECT_EQ(lines.shmget(r), "shmget 1M key=0x1234 mode=640");
}

TEST(StepCommands, WorkerLinesNameTheSegmentOnlyWhenItIsNotTheNewest) {
    core::Snapshot s = test::makeSnapshot(2, 4);
    EXPECT_EQ(StepLines(s, -1).touch(1, 3), "touch 1 3");
    core::SegmentView second = s.segments[0];
    second.id = 1;
    s.segments.push_back(second);
    EXPECT_EQ(StepLines(s, 0).shmat(0), "shmat 0 seg=0");
    EXPECT_EQ(StepLines(s, 1).shmat(0), "shmat 0");
    EXPECT_EQ(StepLines(s, 0).rmid(), "rmid seg=0");
    EXPECT_EQ(StepLines(s, 0).write(1, 2, "hi there"), "write 1 2 hi there seg=0");
}

TEST(StepCommands, TouchNeedsAnAttachmentAndShmatNeedsASegment) {
    core::Snapshot none;
    none.workers.push_back({});
    EXPECT_FALSE(workerActions(none, 0, -1).shmat);
    EXPECT_TRUE(workerActions(none, 0, -1).kill);

    core::Snapshot s = test::makeSnapshot(2, 4);
    s.workers[1].attachments.clear();
    EXPECT_TRUE(workerActions(s, 0, -1).touch);
    EXPECT_TRUE(workerActions(s, 0, -1).shmdt);
    EXPECT_FALSE(workerActions(s, 1, -1).touch);
    EXPECT_FALSE(workerActions(s, 1, -1).shmdt);
    EXPECT_TRUE(workerActions(s, 1, -1).shmat);
    EXPECT_FALSE(workerActions(s, 7, -1).kill);
}

TEST(StepCommands, DeadWorkersAndDestroyedSegmentsDisableTheirButtons) {
    core::Snapshot s = test::makeSnapshot(1, 4);
    s.workers[0].alive = false;
    const WorkerActions a = workerActions(s, 0, -1);
    EXPECT_FALSE(a.kill || a.shmat || a.touch || a.shmdt);
    s.segments[0].created = true;
    EXPECT_TRUE(segmentActions(s, -1).rmid);
    EXPECT_TRUE(segmentActions(s, -1).keep);
    s.segments[0].dest = true;
    EXPECT_FALSE(segmentActions(s, -1).rmid);
    s.segments[0].exists = false;
    EXPECT_EQ(actionSegment(s, -1), nullptr);
}

} // namespace
} // namespace shmviz::ui
