// The narration's sentence for what changed between steps, when others kill, attach or remove.
#include "core/session/outside_facts.h"

#include <gtest/gtest.h>

namespace shmviz::core {
namespace {

Snapshot twoWorkersOnOneSegment() {
    Snapshot s;
    for (int id : {0, 1}) {
        WorkerView w;
        w.id = id;
        w.pid = 100 + id;
        s.workers.push_back(w);
    }
    SegmentView seg;
    seg.id = 0;
    seg.nattch = 2;
    s.segments.push_back(seg);
    return s;
}

TEST(OutsideFacts, NothingToSayWhenNoWorkerOrSegmentChanged) {
    const Snapshot s = twoWorkersOnOneSegment();
    Snapshot later = s;
    later.machineSegments.emplace_back(); // another program's segment: not the session's business
    EXPECT_EQ(outsideChangeSentence(s, later), "");
}

TEST(OutsideFacts, AKilledWorkerAndTheAttachCountItTookWithIt) {
    const Snapshot s = twoWorkersOnOneSegment();
    Snapshot later = s;
    later.workers[1].alive = false;
    later.workers[1].endedHow = "killed by SIGKILL";
    later.segments[0].nattch = 1;
    EXPECT_EQ(outsideChangeSentence(s, later),
              "Worker 1 (pid 101) ended between steps, killed by SIGKILL; the kernel removed its mappings. "
              "Seg 0's attach count (nattch) went from 2 to 1.");
}

TEST(OutsideFacts, AnOutsideAttachRemovalAndTheEnd) {
    const Snapshot s = twoWorkersOnOneSegment();
    Snapshot attached = s;
    attached.segments[0].nattch = 3;
    EXPECT_EQ(outsideChangeSentence(s, attached),
              "Seg 0's attach count (nattch) went from 2 to 3: a process outside the session attached it.");
    Snapshot removed = s;
    removed.segments[0].dest = true;
    EXPECT_EQ(
        outsideChangeSentence(s, removed),
        "Seg 0 was marked for removal (IPC_RMID) by a process outside the session; the kernel frees it at "
        "the last detach.");
    Snapshot gone = s;
    gone.segments[0].exists = false;
    gone.segments[0].nattch = 0;
    EXPECT_EQ(outsideChangeSentence(s, gone), "Seg 0 no longer exists: the kernel freed it.");
}

TEST(OutsideFacts, AnUnlinkedPosixName) {
    Snapshot s = twoWorkersOnOneSegment();
    s.segments[0].kind = SegmentKind::Posix;
    s.segments[0].name = "/demo";
    s.segments[0].linked = true;
    Snapshot later = s;
    later.segments[0].linked = false;
    EXPECT_EQ(outsideChangeSentence(s, later),
              "Seg 0's name /demo was unlinked by a process outside the session; "
              "its memory stays while it is mapped.");
}

} // namespace
} // namespace shmviz::core
