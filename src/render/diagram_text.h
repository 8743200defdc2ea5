#pragma once
// The words the diagram and its tooltips use for segments, mappings and frames. Pure.
#include "core/session/snapshot.h"

#include <cstdint>
#include <string>

namespace shmviz::render {

const core::SegmentView* segmentById(const core::Snapshot& snapshot, int id);
std::string shortHex(std::uint64_t v);                           // "0x1f"
std::string pagesText(std::uint64_t first, std::uint64_t count); // "page 3", "pages 0-15"

// "seg 0  shmid 42", "seg 1  /shmviz-demo", "anonymous memory".
std::string segmentTitle(const core::Snapshot& snapshot, int segment);

// How an attachment maps its memory, in the words of the call that made it.
struct MappingText {
    std::string full;
    std::string brief;
    bool emphasised = false; // a contrast the lesson is about: private, inherited, a second mapping
};
MappingText mappingText(const core::WorkerView& worker, std::size_t index, const core::SegmentView* seg);

// Who maps a frame: "W0, W1", "W0 twice", "copy for W1"; empty when nobody does.
std::string frameCaption(const core::Snapshot& snapshot, const core::FrameView& frame);

} // namespace shmviz::render
