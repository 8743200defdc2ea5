#include "core/labs/lab_message.h"

#include <gtest/gtest.h>

using namespace shmviz::core::labs;

TEST(LabMessage, ParsesEveryVerb) {
    auto ready = parseLabMessage("ready");
    ASSERT_TRUE(ready);
    EXPECT_EQ(ready->verb, "ready");
    auto progress = parseLabMessage("progress 12345");
    ASSERT_TRUE(progress);
    EXPECT_EQ(progress->number, 12345u);
    auto error = parseLabMessage("error 22 The mode is unknown.");
    ASSERT_TRUE(error);
    EXPECT_EQ(error->number, 22u);
    EXPECT_EQ(error->text, "The mode is unknown.");
    auto result = parseLabMessage("result completed=10 start_ns=5 sent_sum=18446744073709551615");
    ASSERT_TRUE(result);
    EXPECT_EQ(result->get("completed"), 10u);
    EXPECT_EQ(result->get("sent_sum"), UINT64_MAX);
    EXPECT_EQ(result->get("absent", 7), 7u);
    EXPECT_TRUE(result->has("start_ns"));
    EXPECT_TRUE(parseLabMessage("result"));
    EXPECT_TRUE(parseLabMessage("holding"));
}

TEST(LabMessage, RejectsMalformedLines) {
    for (const char* bad :
         {"", "ready now", "progress", "progress -1", "progress 1x", "error", "error x text", "error 5",
          "result a", "result =1", "result a=b", "result a=1  b=2", "launch"})
        EXPECT_FALSE(parseLabMessage(bad)) << "\"" << bad << "\"";
}

TEST(LabMessage, FormatsWhatItParses) {
    const std::string line = formatLabLine("result", {{"a", 1}, {"b", 18446744073709551615ull}});
    EXPECT_EQ(line, "result a=1 b=18446744073709551615\n");
    auto m = parseLabMessage(std::string_view(line).substr(0, line.size() - 1));
    ASSERT_TRUE(m);
    EXPECT_EQ(m->get("b"), UINT64_MAX);
}
