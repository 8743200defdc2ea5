#include "core/steps/step.h"

#include <gtest/gtest.h>

using namespace shmviz::core;

TEST(PosixSteps, ShmOpenWithSizeModeAndFlags) {
    auto s = parseStep("shm_open /demo size=16K mode=0640 excl hugetlb");
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_EQ(s->verb, Verb::ShmOpen);
    EXPECT_EQ(s->word, "/demo");
    EXPECT_EQ(*s->size, 16384u);
    EXPECT_EQ(*s->mode, 0640u);
    EXPECT_TRUE(s->excl);
    EXPECT_TRUE(s->hugetlb);
    EXPECT_FALSE(parseStep("shm_open").ok()) << "the name is required";
}

TEST(PosixSteps, MmapPrivateAndSegAnon) {
    auto m = parseStep("mmap all seg=1 private rdonly");
    ASSERT_TRUE(m.ok());
    EXPECT_TRUE(m->worker.all);
    EXPECT_TRUE(m->privateMapping);
    EXPECT_TRUE(m->rdonly);
    auto t = parseStep("touch 1 0 seg=anon");
    ASSERT_TRUE(t.ok()) << t.error().message;
    EXPECT_EQ(*t->segment, -1);
    auto w = parseStep("write 0 2 hello there seg=anon");
    ASSERT_TRUE(w.ok());
    EXPECT_EQ(*w->segment, -1);
    EXPECT_EQ(w->text, "hello there");
    EXPECT_FALSE(parseStep("touch 0 0 seg=anonymous").ok());
}

TEST(PosixSteps, ForkAnonAndFtruncate) {
    auto f = parseStep("fork 2");
    ASSERT_TRUE(f.ok());
    EXPECT_EQ(f->worker.index, 2);
    EXPECT_FALSE(parseStep("fork all").ok());
    auto a = parseStep("anon 0 4");
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(a->count, 4u);
    EXPECT_FALSE(parseStep("anon 0").ok());
    auto t = parseStep("ftruncate 4K seg=0");
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(*t->size, 4096u);
    EXPECT_FALSE(parseStep("ftruncate").ok());
    EXPECT_FALSE(parseStep("ftruncate lots").ok());
}
