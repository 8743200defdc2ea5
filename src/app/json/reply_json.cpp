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
    key(w, "user_s");
    number(w, round3(c.userSeconds));
    key(w, "sys_s");
    number(w, round3(c.systemSeconds));
    key(w, "context_switches");
    w.Uint64(c.contextSwitches);
    w.EndObject();
}

void lab(Writer& w, const core::labs::RaceResult& r) {
    key(w, "race");
    w.StartObject();
    key(w, "mode");
    string(w, nameOf(r.mode));
    key(w, "workers");
    w.Int(r.workers);
    key(w, "per_worker");
    w.Uint64(r.perWorker);
    key(w, "expected");
    w.Uint64(r.expected);
    key(w, "actual");
    w.Uint64(r.actual);
    key(w, "lost");
    w.Int64(r.lost);
    key(w, "seconds");
    number(w, round3(r.seconds));
    key(w, "increments_per_s");
    number(w, std::round(r.perSecond));
    if (r.recovery) {
        key(w, "recovery");
        w.StartObject();
        key(w, "killed_worker");
        w.Int(r.recovery->killedWorker);
        key(w, "killed_pid");
        w.Int(r.recovery->killedPid);
        key(w, "killed_completed");
        w.Uint64(r.recovery->killedCompleted);
        key(w, "eownerdead");
        w.Int(r.recovery->ownerDead);
        key(w, "rolled_back");
        w.Int(r.recovery->rolledBack);
        w.EndObject();
    }
    w.EndObject();
}

void lab(Writer& w, const core::labs::TornResult& r) {
    key(w, "torn");
    w.StartObject();
    key(w, "mode");
    string(w, nameOf(r.mode));
    key(w, "seconds");
    number(w, round3(r.seconds));
    key(w, "readers");
    w.Int(r.readers);
    key(w, "writes");
    w.Uint64(r.writes);
    key(w, "reads");
    w.Uint64(r.reads);
    key(w, "torn");
    w.Uint64(r.torn);
    key(w, "torn_fraction");
    number(w, r.reads ? static_cast<double>(r.torn) / static_cast<double>(r.reads) : 0.0);
    key(w, "retries");
    w.Uint64(r.retries);
    key(w, "record_bytes");
    w.Uint64(core::labs::tornRecordBytes());
    w.EndObject();
}

void lab(Writer& w, const core::labs::IpcResult& r) {
    key(w, "ipcbench");
    w.StartObject();
    key(w, "method");
    string(w, nameOf(r.method));
    key(w, "bytes");
    w.Uint64(r.bytes);
    key(w, "seconds");
    number(w, std::round(r.seconds * 1e6) / 1e6);
    key(w, "mb_per_s");
    number(w, std::round(r.megabytesPerSecond * 10) / 10);
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
    key(w, "total_s");
    number(w, round3(total));
    w.EndObject();
    key(w, "copies_per_byte");
    w.Int(r.copiesPerByte);
    key(w, "chunk_bytes");
    w.Uint64(r.chunkBytes);
    key(w, "bytes_received");
    w.Uint64(r.bytesReceived);
    key(w, "checksum_sent");
    hex(w, r.checksumSent, 16);
    key(w, "checksum_received");
    hex(w, r.checksumReceived, 16);
    key(w, "verified");
    w.Bool(r.verified());
    w.EndObject();
}

} // namespace

void writeReply(std::FILE* out, const core::StepReply& reply) {
    {
        FileStream stream(out);
        Writer w(stream);
        w.StartObject();
        key(w, "step");
        w.Int(reply.number);
        key(w, "cmd");
        string(w, reply.cmd);
        key(w, "ok");
        w.Bool(reply.ok);
        if (reply.error) {
            key(w, "error");
            w.StartObject();
            key(w, "errno");
            string(w, core::errnoName(reply.error->err));
            key(w, "message");
            string(w, reply.error->message);
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
        if (reply.endsScript) {
            key(w, "skipped_rest");
            w.Bool(true);
        }
        key(w, "explain");
        string(w, reply.explain);
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
