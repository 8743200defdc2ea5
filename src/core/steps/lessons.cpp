#include "core/steps/lessons.h"

namespace shmviz::core {

std::vector<Lesson> builtinLessons() {
    std::vector<Lesson> lessons;
    for (const EmbeddedFile& file : builtinLessonFiles()) {
        std::string_view name = file.name;
        if (name.size() > 6 && name.substr(name.size() - 6) == ".steps")
            name.remove_suffix(6);
        std::string title(name);
        std::string_view text = file.contents;
        if (text.starts_with("# ")) {
            std::size_t nl = text.find('\n');
            title =
                std::string(text.substr(2, nl == std::string_view::npos ? std::string_view::npos : nl - 2));
        }
        lessons.push_back({std::string(name), title, file.contents});
    }
    return lessons;
}

std::optional<Lesson> findLesson(std::string_view name) {
    for (Lesson& lesson : builtinLessons())
        if (lesson.name == name)
            return lesson;
    return std::nullopt;
}

} // namespace shmviz::core
