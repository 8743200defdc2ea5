// What a step changed, arrow by arrow and frame by frame: the diff walks attachments side by side
// (two million entries at 1 GiB x 8), so it is checked here against a plain map of every arrow.
#include "core/session/snapshot_diff.h"

#include <gtest/gtest.h>
#include <map>
#include <optional>
#include <random>

namespace shmviz::core {
namespace {

constexpr std::uint64_t kPresent = std::uint64_t{1} << 63;

AttachmentView attachment(std::uint32_t id, std::vector<std::uint64_t> entries) {
    AttachmentView a;
    a.id = id;
    a.size = entries.size() * 4096;
    a.entries = std::move(entries);
    return a;
}

WorkerView worker(int id, std::vector<AttachmentView> attachments) {
    WorkerView w;
    w.id = id;
    w.attachments = std::move(attachments);
    return w;
}

// The arrows of a snapshot as the diff once computed them: every present entry in a map.
std::map<PageRef, std::optional<std::uint64_t>> everyArrow(const Snapshot& snap) {
    std::map<PageRef, std::optional<std::uint64_t>> out;
    for (const WorkerView& w : snap.workers)
        for (const AttachmentView& a : w.attachments)
            for (std::size_t i = 0; i < a.entries.size(); ++i)
                if (a.entries[i] & kPresent)
                    out[{w.id, a.id, i}] = snap.pfnVisible
                                               ? std::optional(a.entries[i] & ((std::uint64_t{1} << 55) - 1))
                                               : std::nullopt;
    return out;
}

std::vector<PageRef> onlyIn(const std::map<PageRef, std::optional<std::uint64_t>>& a,
                            const std::map<PageRef, std::optional<std::uint64_t>>& b) {
    std::vector<PageRef> out;
    for (const auto& [ref, pfn] : a)
        if (auto it = b.find(ref); it == b.end() || it->second != pfn)
            out.push_back(ref);
    return out;
}

TEST(SnapshotDiff, NamesEachArrowAddedRemovedOrMovedInWorkerAttachmentPageOrder) {
    Snapshot before, after;
    before.pfnVisible = after.pfnVisible = true;
    // Worker 1 is listed before worker 0 in one snapshot: the order of the result does not follow it.
    before.workers = {
        worker(1, {attachment(0, {kPresent | 5, 0})}),
        worker(0, {attachment(2, {kPresent | 9}), attachment(1, {kPresent | 7, kPresent | 8})})};
    after.workers = {worker(0, {attachment(1, {kPresent | 7, kPresent | 6, kPresent | 3})}),
                     worker(1, {attachment(0, {kPresent | 5, kPresent | 4})}),
                     worker(2, {attachment(0, {0})})};
    const SnapshotDiff d = diffSnapshots(before, after);
    EXPECT_EQ(d.arrowsAdded, (std::vector<PageRef>{{0, 1, 1}, {0, 1, 2}, {1, 0, 1}}));
    EXPECT_EQ(d.arrowsRemoved, (std::vector<PageRef>{{0, 1, 1}, {0, 2, 0}}));
    EXPECT_EQ(d.workersNew, std::vector<int>{2});
}

TEST(SnapshotDiff, FramesThatBecomeHiddenCountAsChangedArrows) {
    Snapshot before, after;
    before.pfnVisible = true;
    after.pfnVisible = false;
    before.workers = after.workers = {worker(0, {attachment(0, {kPresent | 5})})};
    after.workers[0].attachments[0].entries = {kPresent}; // the kernel zeroes the frame number
    const SnapshotDiff d = diffSnapshots(before, after);
    EXPECT_EQ(d.arrowsAdded, (std::vector<PageRef>{PageRef{0, 0, 0}}));
    EXPECT_EQ(d.arrowsRemoved, (std::vector<PageRef>{PageRef{0, 0, 0}}));
}

TEST(SnapshotDiff, FramesAppearedAndFreedWhateverTheOrderTheyAreListedIn) {
    Snapshot before, after;
    for (std::uint64_t pfn : {9, 3, 5}) {
        before.frames.emplace_back();
        before.frames.back().pfn = pfn;
    }
    for (std::uint64_t pfn : {5, 11, 3, 11}) {
        after.frames.emplace_back();
        after.frames.back().pfn = pfn;
    }
    const SnapshotDiff d = diffSnapshots(before, after);
    EXPECT_EQ(d.framesAppeared, std::vector<std::uint64_t>{11});
    EXPECT_EQ(d.framesFreed, std::vector<std::uint64_t>{9});
}

TEST(SnapshotDiff, AgreesWithAMapOfEveryArrowOnRandomSnapshots) {
    std::mt19937 random(12);
    const auto randomSnapshot = [&] {
        Snapshot s;
        s.pfnVisible = random() % 4 != 0;
        for (int w = 0; w < 3; ++w) {
            if (random() % 4 == 0)
                continue;
            std::vector<AttachmentView> attachments;
            for (std::uint32_t a = 0; a < 3; ++a) {
                if (random() % 3 == 0)
                    continue;
                std::vector<std::uint64_t> entries(random() % 40);
                for (std::uint64_t& e : entries)
                    e = random() % 3 ? kPresent | (s.pfnVisible ? random() % 6 : 0) : 0;
                attachments.push_back(attachment(a, std::move(entries)));
            }
            s.workers.push_back(worker(w, std::move(attachments)));
        }
        return s;
    };
    for (int round = 0; round < 200; ++round) {
        const Snapshot before = randomSnapshot();
        const Snapshot after = randomSnapshot();
        const SnapshotDiff d = diffSnapshots(before, after);
        const auto was = everyArrow(before);
        const auto is = everyArrow(after);
        ASSERT_EQ(d.arrowsAdded, onlyIn(is, was)) << "round " << round;
        ASSERT_EQ(d.arrowsRemoved, onlyIn(was, is)) << "round " << round;
    }
}

} // namespace
} // namespace shmviz::core
