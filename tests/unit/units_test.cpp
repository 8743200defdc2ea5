#include "core/steps/units.h"

#include <gtest/gtest.h>

using namespace shmviz::core;

TEST(Units, ParsesSizesWithSuffixes) {
    EXPECT_EQ(*parseSize("4096"), 4096u);
    EXPECT_EQ(*parseSize("16K"), 16384u);
    EXPECT_EQ(*parseSize("16k"), 16384u);
    EXPECT_EQ(*parseSize("4M"), 4u << 20);
    EXPECT_EQ(*parseSize("1G"), 1u << 30);
    EXPECT_EQ(*parseSize("2KiB"), 2048u);
}

TEST(Units, RejectsMalformedAndHugeSizes) {
    EXPECT_EQ(parseSize("").error().err, EINVAL);
    EXPECT_EQ(parseSize("K").error().err, EINVAL);
    EXPECT_EQ(parseSize("12Q").error().err, EINVAL);
    EXPECT_EQ(parseSize("-4K").error().err, EINVAL);
    EXPECT_EQ(parseSize("99999999999999999999").error().err, ERANGE);
    EXPECT_EQ(parseSize("17179869184G").error().err, ERANGE);
}

TEST(Units, FormatsSizes) {
    EXPECT_EQ(formatSize(16384), "16 KiB");
    EXPECT_EQ(formatSize(1u << 30), "1 GiB");
    EXPECT_EQ(formatSize(4097), "4097 bytes");
    EXPECT_EQ(hex(0x5348560a, 8), "0x5348560a");
    EXPECT_EQ(hex(0, 8), "0x00000000");
}
