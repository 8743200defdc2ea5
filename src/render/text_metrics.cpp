#include "render/text_metrics.h"

#include "core/kernel/file_text.h"

// Our own static copy: nothing to link, and no clash with the one inside Dear ImGui.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#define STBTT_STATIC
#define STB_TRUETYPE_IMPLEMENTATION
#include <stb_truetype.h>
#pragma GCC diagnostic pop

#include <string>

namespace shmviz::render {
namespace {

constexpr const char* kFontDirs[] = {"/usr/share/fonts/truetype/dejavu/",
                                     "/usr/local/share/fonts/truetype/dejavu/"};
constexpr float kLargeFactor = 1.15f; // ui/theme.cpp: the large font is 1.15 times the regular

// The next code point of UTF-8 `s` at `i`; a malformed byte counts as one U+FFFD.
unsigned nextCodePoint(std::string_view s, std::size_t& i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned c = byte(i);
    int extra = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
    if (extra < 0 || i + static_cast<std::size_t>(extra) >= s.size()) {
        ++i;
        return 0xFFFD;
    }
    unsigned cp = extra == 0 ? c : c & (0x3F >> extra);
    for (int k = 1; k <= extra; ++k)
        cp = (cp << 6) | (byte(i + k) & 0x3F);
    i += extra + 1;
    return cp;
}

} // namespace

struct TextMetrics::Face {
    std::string bytes;
    stbtt_fontinfo info{};
    float unitsPerHeight = 0; // ascent - descent, in font units
};

TextMetrics::TextMetrics() {
    const char* files[3] = {"DejaVuSans.ttf", "DejaVuSansMono.ttf", "DejaVuSans-Bold.ttf"};
    for (int f = 0; f < 3; ++f)
        for (const char* dir : kFontDirs) {
            auto bytes = core::readFileText(std::string(dir) + files[f]);
            if (!bytes)
                continue;
            auto face = std::make_unique<Face>();
            face->bytes = std::move(*bytes);
            const auto* data = reinterpret_cast<const unsigned char*>(face->bytes.data());
            if (!stbtt_InitFont(&face->info, data, stbtt_GetFontOffsetForIndex(data, 0)))
                continue;
            int ascent = 0, descent = 0, gap = 0;
            stbtt_GetFontVMetrics(&face->info, &ascent, &descent, &gap);
            face->unitsPerHeight = static_cast<float>(ascent - descent);
            m_faces[f] = std::move(face);
            break;
        }
}

TextMetrics::~TextMetrics() = default;

const TextMetrics& TextMetrics::dejaVu() {
    static const TextMetrics metrics;
    return metrics;
}

float TextMetrics::width(LabelFont font, std::string_view text, float pixelHeight) const {
    const Face* face = m_faces[static_cast<int>(font)].get();
    float units = 0;
    std::size_t count = 0;
    for (std::size_t i = 0; i < text.size(); ++count) {
        const unsigned cp = nextCodePoint(text, i);
        if (face) {
            int advance = 0, bearing = 0;
            stbtt_GetCodepointHMetrics(&face->info, static_cast<int>(cp), &advance, &bearing);
            units += static_cast<float>(advance);
        }
    }
    if (!face)
        return static_cast<float>(count) * 0.6f * pixelHeight;
    return units * pixelHeight / face->unitsPerHeight;
}

FontSpec fontSpec(LabelFont font) {
    switch (font) {
    case LabelFont::Mono:
        return {"'DejaVu Sans Mono', 'Bitstream Vera Sans Mono', monospace", "normal"};
    case LabelFont::Large:
        return {"'DejaVu Sans', 'Bitstream Vera Sans', Verdana, sans-serif", "bold"};
    case LabelFont::Regular:
        break;
    }
    return {"'DejaVu Sans', 'Bitstream Vera Sans', Verdana, sans-serif", "normal"};
}

float fontPixelHeight(LabelFont font, float lineHeight) {
    return font == LabelFont::Large ? lineHeight * kLargeFactor : lineHeight;
}

MeasureText figureMeasure(float lineHeight) {
    return [lineHeight](LabelFont font, std::string_view text) {
        return TextMetrics::dejaVu().width(font, text, fontPixelHeight(font, lineHeight));
    };
}

} // namespace shmviz::render
