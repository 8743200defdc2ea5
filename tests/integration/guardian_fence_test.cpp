// The guardian removes and kills only what the app that started it registered: given someone
// else's pid as --parent it does nothing, and it spares a segment this user did not create.
#include "core/wire/child_process.h"
#include "core/wire/worker_client.h"

#include <csignal>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/ipc.h>
#include <sys/prctl.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace shmviz::core;
using namespace std::chrono_literals;

namespace {

// Runs `shmviz-worker --guardian --parent claimed` as our child, feeds it `lines`, closes its pipe
// (what the app's death looks like to it) and waits for it. Returns its wait status.
int runGuardian(int claimed, const std::string& lines) {
    // A guardian that refuses exits at once, maybe before the lines are written: the write must
    // then fail with EPIPE, not end this test with SIGPIPE.
    std::signal(SIGPIPE, SIG_IGN);
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return -1;
    auto pid = forkExec({SHMVIZ_WORKER_PATH, "--fd", "3", "--parent", std::to_string(claimed), "--guardian"},
                        fds[0]);
    close(fds[0]);
    if (!pid) {
        close(fds[1]);
        return -1;
    }
    (void)!::write(fds[1], lines.data(), lines.size());
    close(fds[1]);
    int status = 0;
    waitpid(*pid, &status, 0);
    return status;
}

bool segmentExists(int shmid) {
    shmid_ds ds{};
    return shmctl(shmid, IPC_STAT, &ds) == 0;
}

} // namespace

TEST(GuardianFence, SomeoneElsesPidAsParentRemovesAndKillsNothing) {
    // A child made the segment, so its pid is the segment's creator pid: exactly what the
    // guardian's ledger accepts from its real parent.
    int ready[2];
    ASSERT_EQ(pipe(ready), 0);
    const pid_t creator = fork();
    ASSERT_GE(creator, 0);
    if (creator == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL); // never outlive the test, even if it fails half-way
        int shmid = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
        (void)!::write(ready[1], &shmid, sizeof shmid);
        pause();
        _exit(0);
    }
    int shmid = -1;
    ASSERT_EQ(::read(ready[0], &shmid, sizeof shmid), static_cast<ssize_t>(sizeof shmid));
    ASSERT_GE(shmid, 0);
    auto worker = WorkerClient::start(SHMVIZ_WORKER_PATH);
    ASSERT_TRUE(worker) << worker.error().message;

    const int status = runGuardian(creator, "pid " + std::to_string(worker->pid()) + "\nshm " +
                                                std::to_string(shmid) + "\n");
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 1) << describeWaitStatus(status);
    EXPECT_TRUE(segmentExists(shmid)) << "the guardian removed a segment it was not its parent's to remove";
    worker->pollExit();
    EXPECT_TRUE(worker->alive()) << "the guardian killed a worker it had no right to";
    EXPECT_EQ(::kill(worker->pid(), 0), 0);

    // The same lines with its real parent (us) as --parent: the worker is ours and dies.
    EXPECT_EQ(runGuardian(getpid(), "pid " + std::to_string(worker->pid()) + "\n"), 0);
    worker->pollExit();
    for (int i = 0; i < 100 && worker->alive(); ++i) {
        std::this_thread::sleep_for(10ms);
        worker->pollExit();
    }
    EXPECT_FALSE(worker->alive());

    shmctl(shmid, IPC_RMID, nullptr);
    ::kill(creator, SIGKILL);
    waitpid(creator, nullptr, 0);
    close(ready[0]);
    close(ready[1]);
}

TEST(GuardianFence, ASegmentThisUserDidNotCreateIsSpared) {
    if (geteuid() != 0)
        GTEST_SKIP() << "needs root to make a segment whose creator is another user";
    constexpr uid_t kStudent = 64011; // a throwaway uid with no account
    int done[2];
    ASSERT_EQ(pipe(done), 0);
    // Root creates it (creator uid 0) in a child, so the creator pid is that child's, then hands
    // ownership to the student (IPC_SET), so the student could remove it; the child becomes the
    // student and starts a guardian, which must spare it.
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        const int own = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
        shmid_ds d{};
        shmctl(own, IPC_STAT, &d);
        d.shm_perm.uid = kStudent;
        shmctl(own, IPC_SET, &d);
        if (setresgid(kStudent, kStudent, kStudent) != 0 || setresuid(kStudent, kStudent, kStudent) != 0)
            _exit(90);
        const int status = runGuardian(getpid(), "shm " + std::to_string(own) + "\n");
        (void)!::write(done[1], &own, sizeof own);
        _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 91);
    }
    int status = 0;
    waitpid(child, &status, 0);
    int own = -1;
    ASSERT_EQ(::read(done[0], &own, sizeof own), static_cast<ssize_t>(sizeof own));
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << describeWaitStatus(status);
    EXPECT_TRUE(segmentExists(own)) << "the guardian removed a segment root created";
    shmctl(own, IPC_RMID, nullptr);
    close(done[0]);
    close(done[1]);
}

TEST(GuardianFence, AnAppKilledBeforeItsGuardianCheckedIsStillCleanedUpAfter) {
    // Under load the app can be killed before its guardian has run a line: the guardian then finds
    // itself re-parented to init. Its app no longer runs, so it must still remove what it was told.
    int ready[2];
    ASSERT_EQ(pipe(ready), 0);
    const pid_t app = fork();
    ASSERT_GE(app, 0);
    if (app == 0) {
        int shmid = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
        (void)!::write(ready[1], &shmid, sizeof shmid);
        _exit(0);
    }
    int shmid = -1;
    ASSERT_EQ(::read(ready[0], &shmid, sizeof shmid), static_cast<ssize_t>(sizeof shmid));
    ASSERT_GE(shmid, 0);
    waitpid(app, nullptr, 0); // gone: no process runs with that pid now

    const int status = runGuardian(app, "shm " + std::to_string(shmid) + "\n");
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << describeWaitStatus(status);
    EXPECT_FALSE(segmentExists(shmid)) << "the guardian left the dead app's segment behind";
    shmctl(shmid, IPC_RMID, nullptr);
    close(ready[0]);
    close(ready[1]);
}
