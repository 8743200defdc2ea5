#pragma once
// When workers end and nothing else changes, the diagram's index follows from the one before:
// their page runs and map rows go, the frames stay where they were. Deriving it takes a comparison
// of the two snapshots instead of indexing 2 million entries again. Pure.
#include "core/session/snapshot.h"
#include "render/diagram_layout.h"

#include <cstdint>
#include <optional>

namespace shmviz::render {

// The index of `after`, from `before`'s index, when `after` differs from `before` only in that some
// workers ended (their attachments gone, their references dropped from the frames, no frame lost);
// nullopt otherwise, and the caller indexes `after` afresh.
// When after.pagesLessEnded names the pages `index` was made of, the session vouches for the rest
// and the two are not compared page by page.
std::optional<LayoutIndex> indexAfterWorkersEnded(LayoutIndex index, std::uint64_t indexStamp,
                                                  const core::Snapshot& before, const core::Snapshot& after);

} // namespace shmviz::render
