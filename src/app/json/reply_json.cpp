#include "app/json/json_stream.h"
#include "app/json/json_writer.h"
#include "app/json/snapshot_writer.h"

#include <cmath>

namespace shmviz::app::json {

namespace {

double round3(double v) {
    return std::round(v * 1000.0) / 1000.0;
}

void cpu(Writer& w, const core::labs::ProcessCpu& c) {
    w.StartObject();
    field(w, "user_s", round3(c.userSeconds));
    field(w, "sys_s", round3(c.systemSeconds));
    field(w, "context_switches", c.contextSwitches);
    w.EndObject();
}

void lab(Writer& w, const core::labs::RaceResult& r) {
    key(w, "race");
    w.StartObject();
    field(w, "mode", nameOf(r.mode));
    field(w, "workers", r.workers);
    field(w, "per_worker", r.perWorker);
    field(w, "expected", r.expected);
    field(w, "actual", r.actual);
    field(w, "lost", r.lost);
    field(w, "seconds", round3(r.seconds));
    field(w, "increments_per_s", std::round(r.perSecond));
    if (const auto& rec = r.recovery) {
        key(w, "recovery");
        w.StartObject();
        field(w, "killed_worker", rec->killedWorker);
        field(w, "killed_pid", rec->killedPid);
        field(w, "killed_completed", rec->killedCompleted);
        field(w, "eownerdead", rec->ownerDead);
        field(w, "rolled_back", rec->rolledBack);
        w.EndObject();
    }
    w.EndObject();
}

void lab(Writer& w, const core::labs::TornResult& r) {
    key(w, "torn");
    w.StartObject();
    field(w, "mode", nameOf(r.mode));
    field(w, "seconds", round3(r.seconds));
    field(w, "readers", r.readers);
    field(w, "writes", r.writes);
    field(w, "reads", r.reads);
    field(w, "torn", r.torn);
    field(w, "torn_fraction", r.reads ? static_cast<double>(r.torn) / static_cast<double>(r.reads) : 0.0);
    field(w, "retries", r.retries);
    field(w, "record_bytes", core::labs::tornRecordBytes());
    w.EndObject();
}

void lab(Writer& w, const core::labs::IpcResult& r) {
    key(w, "ipcbench");
    w.StartObject();
    field(w, "method", nameOf(r.method));
    field(w, "bytes", r.bytes);
    field(w, "seconds", std::round(r.seconds * 1e6) / 1e6);
    field(w, "mb_per_s", std::round(r.megabytesPerSecond * 10) / 10);
    key(w, "cpu");
    w.StartObject();
    key(w, "sender");
    cpu(w, r.sender);
    double total = r.sender.userSeconds + r.sender.systemSeconds;
    if (r.receiver) {
        key(w, "receiver");
        cpu(w, *r.receiver);
        total += r.receiver->userSeconds + r.receiver->systemSeconds;
    }
    field(w, "total_s", round3(total));
    w.EndObject();
    field(w, "copies_per_byte", r.copiesPerByte);
    field(w, "chunk_bytes", r.chunkBytes);
    field(w, "bytes_received", r.bytesReceived);
    key(w, "checksum_sent");
    hex(w, r.checksumSent, 16);
    key(w, "checksum_received");
    hex(w, r.checksumReceived, 16);
    field(w, "verified", r.verified());
    w.EndObject();
}

} // namespace

void writeReply(std::FILE* out, const core::StepReply& reply) {
    {
        FileStream stream(out);
        Writer w(stream);
        w.StartObject();
        field(w, "step", reply.number);
        field(w, "cmd", reply.cmd);
        field(w, "ok", reply.ok);
        if (reply.error) {
            key(w, "error");
            w.StartObject();
            field(w, "errno", core::errnoName(reply.error->err));
            field(w, "message", reply.error->message);
            w.EndObject();
        }
        for (const auto& [k, v] : reply.data.items()) {
            key(w, k);
            value(w, v);
        }
        if (const auto* r = std::get_if<core::labs::RaceResult>(&reply.result))
            lab(w, *r);
        if (const auto* r = std::get_if<core::labs::TornResult>(&reply.result))
            lab(w, *r);
        if (const auto* r = std::get_if<core::labs::IpcResult>(&reply.result))
            lab(w, *r);
        if (reply.endsScript)
            field(w, "skipped_rest", true);
        field(w, "explain", reply.explain);
        const auto* report = std::get_if<core::SnapshotReport>(&reply.result);
        if (report && reply.ok && reply.snapshot) {
            key(w, "snapshot");
            snapshot(w, *reply.snapshot, report->runs);
        }
        w.EndObject();
        stream.Put('\n');
    }
    std::fflush(out);
}

void writeLine(std::FILE* out, const nlohmann::json& j) {
    {
        FileStream stream(out);
        Writer w(stream);
        value(w, j);
        stream.Put('\n');
    }
    std::fflush(out);
}

void writeSnapshot(std::FILE* out, const core::Snapshot& s, bool runs) {
    FileStream stream(out);
    Writer w(stream);
    snapshot(w, s, runs);
}

} // namespace shmviz::app::json
