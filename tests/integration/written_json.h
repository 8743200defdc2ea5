#pragma once
// A snapshot as the faces write it (the streaming writer), parsed back for a test to read.
#include "app/json/snapshot_writer.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace shmviz::testing {

inline nlohmann::json writtenSnapshot(const core::Snapshot& s) {
    char* data = nullptr;
    std::size_t size = 0;
    std::FILE* out = open_memstream(&data, &size);
    {
        app::json::FileStream stream(out);
        app::json::Writer w(stream);
        app::json::snapshot(w, s, false);
    }
    std::fclose(out);
    const std::string text(data, size);
    std::free(data);
    return nlohmann::json::parse(text);
}

} // namespace shmviz::testing
