#pragma once
// A session with real workers, for tests that watch the kernel.
#include "core/session/session.h"
#include "posix_names.h"

#include <gtest/gtest.h>
#include <string>
#include <sys/mman.h>
#include <vector>

namespace shmviz::testing {

class SessionTest : public ::testing::Test {
  protected:
    core::SessionOptions options() {
        core::SessionOptions o;
        o.workerPath = SHMVIZ_WORKER_PATH;
        return o;
    }
    void SetUp() override { m_session = std::make_unique<core::Session>(options()); }
    void TearDown() override { m_session.reset(); }

    // Runs a step that must succeed and returns its reply.
    core::StepReply ok(const std::string& line) {
        core::StepReply r = m_session->execute(line);
        EXPECT_TRUE(r.ok) << line << ": " << (r.error ? r.error->message : "");
        return r;
    }
    // Runs a step that must fail with `err`; the reply must carry one sentence.
    core::StepReply fails(const std::string& line, int err) {
        core::StepReply r = m_session->execute(line);
        EXPECT_FALSE(r.ok) << line;
        if (r.error) {
            EXPECT_EQ(r.error->err, err)
                << line << ": " << core::errnoName(r.error->err) << " " << r.error->message;
            EXPECT_FALSE(r.error->message.empty());
            EXPECT_EQ(r.error->message.back(), '.') << r.error->message;
        }
        return r;
    }
    std::shared_ptr<const core::Snapshot> snap() { return m_session->refresh(); }

    const core::AttachmentView& attachment(const core::Snapshot& s, int worker, std::size_t index = 0) {
        return s.workers.at(static_cast<std::size_t>(worker)).attachments.at(index);
    }
    core::PageEntry page(const core::Snapshot& s, int worker, std::size_t pageIndex, std::size_t at = 0) {
        return core::decodePagemapEntry(attachment(s, worker, at).entries.at(pageIndex));
    }
    const core::SegmentView& segment(const core::Snapshot& s, int id = 0) {
        return s.segments.at(static_cast<std::size_t>(id));
    }

    std::unique_ptr<core::Session> m_session;
};

#define SKIP_WITHOUT_FRAMES(snapshot)                                                                        \
    if (!(snapshot).pfnVisible)                                                                              \
    GTEST_SKIP() << "Frame numbers are hidden (no CAP_SYS_ADMIN): " << (snapshot).pfnHiddenReason

// A session whose POSIX objects carry names unique to this test process; none may be left in /dev/shm.
class PosixSessionTest : public SessionTest {
  protected:
    void TearDown() override {
        SessionTest::TearDown();
        for (const std::string& n : m_names)
            EXPECT_FALSE(inDevShm(n)) << n << " was left in /dev/shm";
    }
    std::string name(const std::string& what) {
        m_names.push_back(uniqueShmName(what));
        shm_unlink(m_names.back().c_str()); // a leftover from a crashed run
        return m_names.back();
    }
    std::vector<std::string> m_names;
};

} // namespace shmviz::testing
