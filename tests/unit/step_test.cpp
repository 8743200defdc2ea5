#include "core/steps/step.h"

#include <gtest/gtest.h>

using namespace shmviz::core;

TEST(Step, ShmgetWithKeyModeAndExcl) {
    auto s = parseStep("shmget 16K key=0x5348560a mode=0640 excl");
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_EQ(s->verb, Verb::Shmget);
    EXPECT_EQ(*s->size, 16384u);
    EXPECT_EQ(*s->key, 0x5348560au);
    EXPECT_EQ(*s->mode, 0640u);
    EXPECT_TRUE(s->excl);
}

TEST(Step, ShmgetPrivateKey) {
    auto s = parseStep("shmget 4096 key=private");
    ASSERT_TRUE(s.ok());
    EXPECT_FALSE(s->key.has_value());
}

TEST(Step, WorkerAndPageTargets) {
    auto all = parseStep("touch all");
    ASSERT_TRUE(all.ok());
    EXPECT_TRUE(all->worker.all);
    EXPECT_TRUE(all->page->all);
    auto one = parseStep("touch 1 3 seg=2 at=1");
    ASSERT_TRUE(one.ok());
    EXPECT_EQ(one->worker.index, 1);
    EXPECT_EQ(one->page->index, 3u);
    EXPECT_EQ(*one->segment, 2);
    EXPECT_EQ(*one->attachment, 1);
}

TEST(Step, ShmatOptions) {
    auto s = parseStep("shmat 0 seg=1 addr=0x7f0000000000 rdonly");
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(*s->address, 0x7f0000000000u);
    EXPECT_TRUE(s->rdonly);
    EXPECT_EQ(*s->segment, 1);
}

TEST(Step, WriteKeepsTheTextsSpacing) {
    auto s = parseStep("write 0 1 hello   shared  world seg=0");
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_EQ(s->text, "hello   shared  world");
    EXPECT_EQ(*s->segment, 0);
}

TEST(Step, SayAndComments) {
    auto s = parseStep("say Two processes, one frame.");
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s->text, "Two processes, one frame.");
    EXPECT_TRUE(isSkippableLine("   # a comment"));
    EXPECT_TRUE(isSkippableLine("   "));
    EXPECT_FALSE(isSkippableLine("spawn 2"));
}

TEST(Step, SpawnDefaultsToOne) {
    auto s = parseStep("spawn");
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s->count, 1u);
    EXPECT_EQ(parseStep("spawn 3")->count, 3u);
}

TEST(Step, MalformedInputGetsOnePlainSentence) {
    struct Case {
        const char* line;
        const char* mentions;
    };
    const Case cases[] = {
        {"", "empty"},
        {"frobnicate 3", "not a step"},
        {"shmget", "size is missing"},
        {"shmget 12Q", "not a size"},
        {"shmget 4K key=banana", "hexadecimal"},
        {"shmget 4K key=0x1ffffffff", "32 bits"},
        {"shmget 4K mode=999", "not a valid number"},
        {"shmget 4K colour=red", "not an option"},
        {"shmat", "Which worker"},
        {"shmat x", "not a number"},
        {"touch 0 lots", "not a valid number"},
        {"write 0 1", "text to write is missing"},
        {"read 0", "Which page"},
        {"kill all", "not all"},
        {"snapshot now", "Unexpected"},
    };
    for (const Case& c : cases) {
        auto s = parseStep(c.line);
        ASSERT_FALSE(s.ok()) << c.line;
        EXPECT_EQ(s.error().err, EINVAL) << c.line;
        EXPECT_NE(s.error().message.find(c.mentions), std::string::npos)
            << c.line << " -> " << s.error().message;
    }
}

TEST(Step, EveryVerbHasUsage) {
    EXPECT_GE(stepUsage().size(), 14u);
    EXPECT_STREQ(verbName(Verb::Shmdt), "shmdt");
}

TEST(Step, RequireNamesWhatALessonNeeds) {
    auto s = parseStep("require hugepages 2");
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_EQ(s->verb, Verb::Require);
    EXPECT_EQ(s->word, "hugepages");
    EXPECT_EQ(s->count, 2u);
    EXPECT_FALSE(parseStep("require").ok());
}

TEST(Step, AskTakesAKindItsTargetAndTheQuestionAfterTheColon) {
    auto s = parseStep("ask present 1 5 seg=1: Will page 5 be present?");
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_EQ(s->verb, Verb::Ask);
    EXPECT_EQ(s->word, "present");
    EXPECT_EQ(s->worker.index, 1);
    ASSERT_TRUE(s->page);
    EXPECT_EQ(s->page->index, 5u);
    EXPECT_EQ(s->segment, 1);
    EXPECT_EQ(s->text, "Will page 5 be present?");

    auto n = parseStep("ask nattch: What will nattch be: 0, 1 or 2?");
    ASSERT_TRUE(n.ok()) << n.error().message;
    EXPECT_EQ(n->word, "nattch");
    EXPECT_FALSE(n->page);
    EXPECT_EQ(n->text, "What will nattch be: 0, 1 or 2?") << "only the first colon ends the words";

    for (const char* bad :
         {"ask present 1 0", "ask present 1 0:", "ask present 1: page?", "ask colour 1 0: red?",
          "ask nattch 1: how many?", "ask frame all 0: which?", "ask visible 1 0 bogus=1: seen?"}) {
        auto r = parseStep(bad);
        ASSERT_FALSE(r.ok()) << bad;
        EXPECT_EQ(r.error().err, EINVAL) << bad;
        EXPECT_NE(r.error().message.find("ask"), std::string::npos) << bad << ": " << r.error().message;
    }
}

TEST(Step, SnapshotRunsAsksForRuns) {
    auto s = parseStep("snapshot runs");
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_TRUE(s->runs);
    EXPECT_FALSE(parseStep("snapshot")->runs);
}
