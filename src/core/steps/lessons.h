#pragma once
// Lessons are step scripts in assets/lessons, compiled into the binary.
#include "core/base/embedded_file.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shmviz {
std::span<const EmbeddedFile> builtinLessonFiles();
}

namespace shmviz::core {

struct Lesson {
    std::string name;  // file name without .steps: "lifecycle"
    std::string title; // the first "# " comment line
    std::string_view text;
};

// One lesson from its file name ("lifecycle.steps") and text; the title is the first line
// when it is a "# " comment, else the name.
Lesson lessonFromFile(std::string_view fileName, std::string_view text);

std::vector<Lesson> builtinLessons();
std::optional<Lesson> findLesson(std::string_view name);

} // namespace shmviz::core
