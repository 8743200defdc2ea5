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

TEST(StepCommands, PosixButtonsIssueTheirLinesAndNameTheMappingWhenAWorkerHasTwo) {
    core::Snapshot s = test::makeSnapshot(2, 2);
    s.segments[0].kind = core::SegmentKind::Posix;
    s.segments[0].name = "/demo";
    s.segments[0].linked = true;
    const StepLines lines(s, -1);
    EXPECT_EQ(lines.shmOpen("/demo", 2), "shm_open /demo size=8K");
    EXPECT_EQ(lines.mmap(1, true), "mmap 1 private");
    EXPECT_EQ(lines.munmap(0), "munmap 0");
    EXPECT_EQ(lines.fork(0), "fork 0");
    EXPECT_EQ(lines.anon(1, 2), "anon 1 2");
    EXPECT_EQ(lines.shmUnlink(), "shm_unlink");
    EXPECT_EQ(lines.ftruncate(1), "ftruncate 4K");
    WorkerActions a = workerActions(s, 0, -1);
    EXPECT_TRUE(a.mmap && a.munmap && a.touch && a.fork);
    EXPECT_FALSE(a.shmat || a.shmdt);
    EXPECT_TRUE(segmentActions(s, -1).shmUnlink);
    s.segments[0].linked = false; // shm_unlink: nobody can open the name any more
    EXPECT_FALSE(workerActions(s, 0, -1).mmap);
    EXPECT_FALSE(segmentActions(s, -1).shmUnlink);

    s.workers[1].attachments.push_back(s.workers[1].attachments[0]);
    s.workers[1].attachments[1].privateMapping = true;
    EXPECT_EQ(StepLines(s, -1, {false, 1}).write(1, 0, "x"), "write 1 0 x at=1");
    EXPECT_EQ(StepLines(s, -1, {false, 1}).read(0, 0), "read 0 0");
    core::AttachmentView anon;
    anon.anonymous = true;
    s.workers[0].attachments.push_back(anon);
    EXPECT_EQ(StepLines(s, -1, {true, 0}).touch(0, 1), "touch 0 1 seg=anon");
    EXPECT_TRUE(workerActions(s, 0, -1).anonPages);
    EXPECT_FALSE(workerActions(s, 1, -1).anonPages);
}

} // namespace
} // namespace shmviz::ui
