// What counts as a change of the pages (the window rebuilds its index) and what is only a new
// reading of the kernel's (held back while nothing shows it).
#include "core/session/snapshot.h"

#include <gtest/gtest.h>

namespace shmviz::core {
namespace {

Snapshot twoWorkersSharingOnePage() {
    Snapshot s;
    s.generation = s.pagesGeneration = 7;
    s.pfnVisible = true;
    s.mapcountVisible = true;
    s.flagsVisible = true;
    SegmentView seg;
    seg.shmid = 42;
    seg.size = 4096;
    s.segments.push_back(seg);
    for (int w = 0; w < 2; ++w) {
        WorkerView view;
        view.id = w;
        view.pid = 1000 + w;
        AttachmentView a;
        a.segment = 0;
        a.va = 0x7f0000000000 + static_cast<std::uint64_t>(w) * 0x10000;
        a.size = 4096;
        a.maps = "7f00 rw-s";
        a.entries = {(std::uint64_t{1} << 63) | 0x1234};
        a.memory = MemoryCounts{};
        view.attachments.push_back(a);
        view.memory.pageTables = 4096;
        s.workers.push_back(view);
    }
    FrameView f;
    f.pfn = 0x1234;
    f.segment = 0;
    f.mapcount = 2;
    f.kpageflags = 1u << 5;
    f.mappedBy = {{0, 0, s.workers[0].attachments[0].va}, {1, 0, s.workers[1].attachments[0].va}};
    s.frames.push_back(f);
    return s;
}

TEST(SnapshotCompare, NewReadingsOfTheSameFramesKeepThePages) {
    const Snapshot a = twoWorkersSharingOnePage();
    Snapshot b = a;
    b.generation = 8;
    b.frames[0].mapcount = 3;                        // an outside mapping
    b.frames[0].kpageflags = (1u << 5) | (1u << 25); // the kernel marked it idle
    b.workers[1].memory.pageTables = 8192;
    b.workers[0].attachments[0].memory->rss = 4096;
    EXPECT_TRUE(samePages(a, b));
    EXPECT_TRUE(differsInReadingsOnly(a, b));
    EXPECT_FALSE(a.sameContent(b)) << "still a different snapshot, for whoever shows the readings";
}

TEST(SnapshotCompare, AMovedFrameOrAnotherMapperChangesThePages) {
    const Snapshot a = twoWorkersSharingOnePage();
    Snapshot moved = a;
    moved.frames[0].pfn = 0x9999; // the kernel migrated the page
    moved.workers[0].attachments[0].entries[0] = (std::uint64_t{1} << 63) | 0x9999;
    EXPECT_FALSE(samePages(a, moved));
    Snapshot fewer = a;
    fewer.frames[0].mappedBy.pop_back();
    EXPECT_FALSE(samePages(a, fewer));
}

TEST(SnapshotCompare, WhatTheDiagramShowsIsNeverOnlyAReading) {
    const Snapshot a = twoWorkersSharingOnePage();
    auto differs = [&](auto change) {
        Snapshot b = a;
        b.generation = 8;
        change(b);
        return !differsInReadingsOnly(a, b);
    };
    EXPECT_TRUE(differs([](Snapshot& b) { b.segments[0].nattch = 3; }));
    EXPECT_TRUE(differs([](Snapshot& b) { b.segments[0].residentBytes = 8192; }));
    EXPECT_TRUE(differs([](Snapshot& b) { b.machineSegments.push_back({}); }));
    EXPECT_TRUE(differs([](Snapshot& b) {
        b.workers[1].alive = false;
        b.workers[1].endedHow = "killed by SIGKILL";
    }));
    EXPECT_TRUE(differs([](Snapshot& b) { b.workers[0].problem = "worker 0 is not answering"; }));
    EXPECT_TRUE(differs([](Snapshot& b) { b.workers[0].attachments[0].maps = "7f00 r--s"; }));
    EXPECT_TRUE(differs([](Snapshot& b) { b.pagesGeneration = 8; }));
    EXPECT_TRUE(differs([](Snapshot& b) { b.flagsVisible = false; }));
}

} // namespace
} // namespace shmviz::core
