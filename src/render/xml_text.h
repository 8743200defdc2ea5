#pragma once
// Text for XML and HTML: the SVG painter's labels and the handout's paragraphs.
#include <string>
#include <string_view>

namespace shmviz::render {

// `text` with &, <, > and " written as entities, fit for element text and quoted attributes.
std::string escapedXml(std::string_view text);

} // namespace shmviz::render
