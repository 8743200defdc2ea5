#include "core/session/session.h"

#include "core/base/memory_reserve.h"
#include "core/session/page_facts.h"
#include "core/session/snapshot_diff.h"
#include "core/steps/units.h"

#include <sys/mman.h>
#include <sys/shm.h>
#include <unistd.h>

namespace shmviz::core {

Session::Session(SessionOptions options)
    : m_options(std::move(options)), m_generation(m_options.firstGeneration) {
    if (m_options.guardian)
        (void)m_guardian.start(m_options.workerPath); // without it, clean-up still runs on a normal end
    m_latest = gather();
}

Session::~Session() {
    end();
}

std::shared_ptr<const Snapshot> Session::refresh() {
    try {
        m_latest = gather();
    } catch (const std::bad_alloc&) {
        // Keep showing the last snapshot; the next step that runs out of memory says so.
        refillMemoryReserve();
    }
    return m_latest;
}

std::shared_ptr<const Snapshot> Session::quickRefresh() {
    try {
        // The one it replaces may be a large snapshot nobody else holds (the window was never shown
        // it): freeing it waits until after the new one is published (prepareSpare).
        auto next = quickGather();
        m_retired = std::exchange(m_latest, std::move(next));
    } catch (const std::bad_alloc&) {
        refillMemoryReserve();
    }
    return m_latest;
}

Error Session::outOfMemory() {
    return makeError(ENOMEM, "shmviz ran out of memory during this step (an allocation failed, "
                             "std::bad_alloc); the step stopped there, and the session goes on with what "
                             "it had. Detach or remove something, or raise the memory limit (ulimit -v, "
                             "a cgroup's memory.max), and try again.");
}

StepReply Session::execute(std::string_view line) {
    auto step = parseStep(line);
    if (!step) {
        StepReply reply;
        reply.number = ++m_stepNumber;
        reply.cmd = std::string(line);
        while (!reply.cmd.empty() && (reply.cmd.back() == '\n' || reply.cmd.back() == '\r'))
            reply.cmd.pop_back();
        reply.ok = false;
        reply.error = step.error();
        reply.explain = "Nothing was done; the session goes on.";
        reply.snapshot = m_latest;
        ++m_failures;
        return reply;
    }
    return run(*step);
}

StepReply Session::run(const Step& step) {
    StepReply reply;
    reply.number = ++m_stepNumber;
    reply.cmd = step.line;
    m_stepDeadline = std::chrono::steady_clock::now() + kStepBound;
    // Lesson text and looking around do not answer a question; the next step that acts does.
    const bool answers = m_question && step.verb != Verb::Say && step.verb != Verb::Ask &&
                         step.verb != Verb::Help && step.verb != Verb::Require &&
                         step.verb != Verb::Snapshot && step.verb != Verb::Quit;
    const auto before = m_latest;
    Outcome outcome;
    // The step boundary: memory running out anywhere in a step ends that step, never the session.
    try {
        outcome = dispatch(step);
        const bool readOnlyStep = step.verb == Verb::Help || step.verb == Verb::Say ||
                                  step.verb == Verb::Quit || step.verb == Verb::Require ||
                                  step.verb == Verb::Ask;
        if (!outcome.gathered && !readOnlyStep)
            m_latest = gather();
        if (answers && before && m_latest) {
            nlohmann::json answer = this->answer(*m_question, *before, *m_latest, outcome.data);
            outcome.explain += (outcome.explain.empty() ? "" : " ") + std::string("Answer: ") +
                               answer["text"].get<std::string>();
            outcome.data["answer"] = std::move(answer);
            m_question.reset();
        }
    } catch (const std::bad_alloc&) {
        outcome = Outcome{};
        outcome.error = outOfMemory();
        refillMemoryReserve();
    }
    reply.ok = !outcome.error.has_value();
    reply.error = std::move(outcome.error);
    reply.data = std::move(outcome.data);
    reply.result = std::move(outcome.result);
    reply.explain = std::move(outcome.explain);
    reply.quit = outcome.quit;
    reply.endsScript = outcome.endsScript;
    if (!reply.ok) {
        ++m_failures;
        if (reply.explain.empty())
            reply.explain = failedStepSentence(before.get(), m_latest.get());
    }
    reply.snapshot = m_latest;
    return reply;
}

Session::Outcome Session::dispatch(const Step& step) {
    switch (step.verb) {
    case Verb::Shmget:
        return shmget(step);
    case Verb::Spawn:
        return spawn(step);
    case Verb::Shmat:
        return withTargets(step, segmentOfKind(step, SegmentKind::Sysv, "map it with mmap"), &Session::shmat);
    case Verb::Touch:
        return withTargets(step, pageSegmentFor(step), &Session::touch);
    case Verb::Write:
        return withPage(step, &Session::write);
    case Verb::Read:
        return withPage(step, &Session::read);
    case Verb::Shmdt:
        return withTargets(step, segmentOfKind(step, SegmentKind::Sysv, "unmap it with munmap"),
                           &Session::shmdt);
    case Verb::Rmid:
        return withSegment(step, segmentOfKind(step, SegmentKind::Sysv, "remove its name with shm_unlink"),
                           &Session::rmid);
    case Verb::Keep:
        return withSegment(step, segmentFor(step), &Session::keep);
    case Verb::Kill:
        return withWorker(step, &Session::kill);
    case Verb::ShmOpen:
        return shmOpen(step);
    case Verb::Ftruncate:
        return withSegment(step, openablePosix(step), &Session::ftruncate);
    case Verb::Mmap:
        return withSegment(step, openablePosix(step), &Session::mmap);
    case Verb::Munmap:
        return withSegment(step, pageSegmentFor(step), &Session::munmap);
    case Verb::ShmUnlink:
        return withSegment(step, segmentOfKind(step, SegmentKind::Posix, "remove it with rmid"),
                           &Session::shmUnlink);
    case Verb::Fork:
        return withWorker(step, &Session::fork);
    case Verb::Anon:
        return withWorker(step, &Session::anon);
    case Verb::Race:
    case Verb::Torn:
    case Verb::IpcBench:
        return lab(step);
    case Verb::Require:
        return require(step);
    case Verb::Ask:
        return ask(step);
    case Verb::Help:
        return help();
    case Verb::Say:
        return say(step);
    case Verb::Snapshot:
        return snapshotStep(step);
    case Verb::Quit:
        return quit();
    }
    Outcome o;
    o.error = makeError(EINVAL, "This step is not supported.");
    return o;
}

Session::Outcome Session::withSegment(const Step& step, Result<SegmentRecord*> segment,
                                      SegmentHandler handler) {
    if (!segment)
        return Outcome().fail(segment.error());
    return (this->*handler)(step, **segment);
}

Session::Outcome Session::withTargets(const Step& step, Result<SegmentRecord*> segment,
                                      TargetsHandler handler) {
    if (!segment)
        return Outcome().fail(segment.error());
    auto workers = workersFor(step.worker);
    if (!workers)
        return Outcome().fail(workers.error());
    return (this->*handler)(step, **segment, *workers);
}

Session::Outcome Session::withWorker(const Step& step, WorkerHandler handler) {
    auto worker = workerAt(step.worker.index);
    if (!worker)
        return Outcome().fail(worker.error());
    return (this->*handler)(step, **worker);
}

Session::Outcome Session::withPage(const Step& step, PageHandler handler) {
    auto access = pageAccess(step);
    if (!access)
        return Outcome().fail(access.error());
    return (this->*handler)(step, *access);
}

Session::Outcome Session::say(const Step& step) {
    Outcome o;
    o.data["say"] = step.text;
    o.explain = step.text;
    return o;
}

Session::Outcome Session::snapshotStep(const Step& step) {
    Outcome o;
    const auto before = m_latest;
    m_latest = gather();
    o.gathered = true;
    o.result = SnapshotReport{step.runs};
    o.explain = snapshotSummary(*m_latest);
    if (before) {
        const std::string changed = diffSummary(diffSnapshots(*before, *m_latest));
        o.explain += changed == "nothing changed" ? " Nothing changed since the step before."
                                                  : " Since the step before: " + changed + ".";
    }
    for (const WorkerView& w : m_latest->workers)
        if (w.alive && !w.problem.empty() && !o.error) {
            o.error = makeError(w.problemErr, "Worker " + std::to_string(w.id) + ": " + w.problem);
            o.explain = "The snapshot holds fresh reports from the other workers; worker " +
                        std::to_string(w.id) + " is shown as it last reported.";
        }
    return o;
}

Session::Outcome Session::quit() {
    Outcome o;
    o.quit = true;
    o.explain = "The session ends: workers stop, and segments it created are removed unless kept.";
    return o;
}

Result<Session::SegmentRecord*> Session::segmentFor(const Step& step) {
    if (step.segment && *step.segment < 0)
        return makeError(EINVAL,
                         "seg=anon names a worker's private anonymous memory; only touch, write, read and "
                         "munmap take it.");
    if (m_segments.empty())
        return makeError(ENOENT, "There is no segment yet; create one first with shmget (or shm_open).");
    if (!step.segment)
        return &m_segments.back();
    if (*step.segment < 0 || *step.segment >= static_cast<int>(m_segments.size()))
        return makeError(ENOENT, "There is no segment " + std::to_string(*step.segment) +
                                     "; segments are numbered 0 to " + std::to_string(m_segments.size() - 1) +
                                     ".");
    return &m_segments[static_cast<std::size_t>(*step.segment)];
}

Result<Session::SegmentRecord*> Session::segmentOfKind(const Step& step, SegmentKind kind,
                                                       const std::string& instead) {
    auto segment = segmentFor(step);
    if (segment && (*segment)->kind != kind)
        return makeError(EINVAL, "Segment " + std::to_string((*segment)->id) +
                                     ((*segment)->kind == SegmentKind::Sysv ? " is a System V segment; "
                                                                            : " is a POSIX object; ") +
                                     instead + ".");
    return segment;
}

Result<Session::WorkerRecord*> Session::workerAt(int index) {
    if (m_workers.empty())
        return makeError(ESRCH,
                         "There is no worker " + std::to_string(index) + "; start workers first with spawn.");
    if (index < 0 || index >= static_cast<int>(m_workers.size()))
        return makeError(ESRCH, "There is no worker " + std::to_string(index) +
                                    "; workers are numbered 0 to " + std::to_string(m_workers.size() - 1) +
                                    ".");
    WorkerRecord& w = m_workers[static_cast<std::size_t>(index)];
    w.client.pollExit();
    if (!w.client.alive())
        return makeError(ESRCH, "Worker " + std::to_string(index) + " (pid " +
                                    std::to_string(w.client.pid()) + ") has ended (" + w.client.endedHow() +
                                    "); spawn a new worker to go on.");
    return &w;
}

Result<std::vector<Session::WorkerRecord*>> Session::workersFor(const WorkerTarget& target) {
    std::vector<WorkerRecord*> out;
    if (!target.all) {
        auto w = workerAt(target.index);
        if (!w)
            return w.error();
        out.push_back(*w);
        return out;
    }
    for (WorkerRecord& w : m_workers) {
        w.client.pollExit();
        if (w.client.alive())
            out.push_back(&w);
    }
    if (out.empty())
        return makeError(ESRCH, "No worker is running; start some with spawn.");
    return out;
}

Result<Session::AttachmentRef*> Session::attachmentFor(WorkerRecord& worker, const SegmentRecord& segment,
                                                       std::optional<int> which, bool newestByDefault) {
    std::vector<AttachmentRef*> matches;
    for (AttachmentRef& a : worker.attachments)
        if (a.segment == segment.id)
            matches.push_back(&a);
    if (matches.empty() && segment.id < 0)
        return makeError(EINVAL, workerName(worker) + " has no anonymous memory; map some first with anon " +
                                     std::to_string(worker.id) + " PAGES.");
    if (matches.empty())
        return makeError(EINVAL, workerName(worker) + " has no attachment of segment " +
                                     std::to_string(segment.id) + "; attach it first with " +
                                     (segment.kind == SegmentKind::Sysv ? "shmat" : "mmap") + ".");
    if (!which)
        return newestByDefault ? matches.back() : matches.front();
    if (*which >= static_cast<int>(matches.size()))
        return makeError(EINVAL, workerName(worker) + " has " + std::to_string(matches.size()) +
                                     " attachment(s) of segment " + std::to_string(segment.id) +
                                     ", so at=" + std::to_string(*which) + " is out of range.");
    return matches[static_cast<std::size_t>(*which)];
}

std::vector<int> Session::detachEach(const std::vector<WorkerRecord*>& workers, const SegmentRecord& seg,
                                     const Step& step, const char* call, std::optional<Error>& error) {
    std::vector<std::pair<WorkerRecord*, std::uint32_t>> pending;
    for (WorkerRecord* w : workers) {
        auto ref = attachmentFor(*w, seg, step.attachment, true);
        if (!ref) {
            if (!step.worker.all && !error)
                error = ref.error();
            continue;
        }
        proto::DetachRequest request{(*ref)->id, 0};
        if (w->client.send(proto::MsgType::Detach, proto::bytesOf(request)))
            pending.emplace_back(w, (*ref)->id);
    }
    std::vector<int> done;
    for (auto& [w, id] : pending) {
        auto reply = w->client.receive(waitBudget(kAnswerTimeout));
        if (!reply || reply->status.err) {
            if (!error)
                error = reply ? systemError(reply->status.err, workerName(*w) + " calling " + call)
                              : reply.error();
            continue;
        }
        std::erase_if(w->attachments, [id = id](const AttachmentRef& a) { return a.id == id; });
        done.push_back(w->id);
    }
    return done;
}

std::chrono::milliseconds Session::waitBudget(std::chrono::milliseconds wanted) const {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(m_stepDeadline -
                                                                            std::chrono::steady_clock::now());
    return std::max(std::chrono::milliseconds(0), std::min(wanted, left));
}

std::string Session::workerName(const WorkerRecord& w) const {
    return "Worker " + std::to_string(w.id) + " (pid " + std::to_string(w.client.pid()) + ")";
}

void Session::end() {
    if (m_ended)
        return;
    m_ended = true;
    closeWatches();
    for (WorkerRecord& w : m_workers) {
        w.client.stop();
        m_guardian.forgetWorker(w.client.pid());
    }
    for (SegmentRecord& s : m_segments) {
        if (!s.created || s.kept || s.removed)
            continue;
        if (s.kind == SegmentKind::Sysv) {
            shmctl(s.shmid, IPC_RMID, nullptr);
            m_guardian.forgetSysv(s.shmid);
        } else if (!s.path.empty()) {
            ::unlink(s.path.c_str());
            m_guardian.forgetFile(s.path);
        } else {
            shm_unlink(s.name.c_str());
            m_guardian.forgetPosix(s.name);
        }
        s.removed = true;
    }
    m_guardian.stop();
}

} // namespace shmviz::core
