#include "core/steps/lessons.h"

namespace shmviz::core {

Lesson lessonFromFile(std::string_view fileName, std::string_view text) {
    std::string_view name = fileName;
    if (name.size() > 6 && name.substr(name.size() - 6) == ".steps")
        name.remove_suffix(6);
    std::string title(name);
    if (text.starts_with("# ")) {
        const std::size_t nl = text.find('\n');
        title = std::string(text.substr(2, nl == std::string_view::npos ? std::string_view::npos : nl - 2));
    }
    return {std::string(name), title, text};
}

std::vector<Lesson> builtinLessons() {
    std::vector<Lesson> lessons;
    for (const EmbeddedFile& file : builtinLessonFiles())
        lessons.push_back(lessonFromFile(file.name, file.contents));
    return lessons;
}

std::optional<Lesson> findLesson(std::string_view name) {
    for (Lesson& lesson : builtinLessons())
        if (lesson.name == name)
            return lesson;
    return std::nullopt;
}

} // namespace shmviz::core
