// Work split across two threads: both parts run once, whether split or not, and a part's
// exception reaches the caller after both are done.
#include "core/base/two_threads.h"

#include <atomic>
#include <gtest/gtest.h>
#include <new>

namespace shmviz::core {
namespace {

TEST(TwoThreads, BothPartsRunOnceSplitOrNot) {
    for (bool split : {true, false}) {
        std::atomic<int> ran[2] = {0, 0};
        onTwoThreads(split, [&](int part) { ++ran[part]; });
        EXPECT_EQ(ran[0], 1);
        EXPECT_EQ(ran[1], 1);
    }
}

TEST(TwoThreads, AnExceptionInEitherPartReachesTheCallerAfterBoth) {
    for (int throwing : {0, 1}) {
        std::atomic<int> finished{0};
        EXPECT_THROW(onTwoThreads(true,
                                  [&](int part) {
                                      if (part == throwing)
                                          throw std::bad_alloc();
                                      ++finished;
                                  }),
                     std::bad_alloc);
        EXPECT_EQ(finished, 1) << "the other part was not waited for";
    }
}

} // namespace
} // namespace shmviz::core
