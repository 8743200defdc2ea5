#!/bin/sh
# How long a change made outside shmviz takes to reach the window: under Xvfb it opens shmviz on a
# System V segment of SIZE attached and touched in WORKERS workers, then makes changes from
# outside (another process attaches the segment, it detaches, `kill -9` of a worker, `ipcrm`) and
# polls the window's pixels (ImageMagick's import) until they change. Prints each latency in ms;
# the capture itself takes some ms, so each figure is an upper bound by that much. Each change is
# also timed from the app's --trace (the wall clock when the frame showing it was presented), which
# needs no capture.
# It lets the window settle for 10 s before the first change. Idle CPU is benchmarks/idle_cpu.sh's
# measure (this script once printed one over those 10 s, before the window had settled).
# usage: benchmarks/window_latency.sh [path/to/shmviz] [SIZE] [WORKERS]      (run as root)
set -eu
app=${1:-build/bin/shmviz}
size=${2:-4M}
workers=${3:-2}
if [ -z "${SHMVIZ_LATENCY_UNDER_XVFB:-}" ]; then
    SHMVIZ_LATENCY_UNDER_XVFB=1 exec xvfb-run -a -s "-screen 0 1280x800x24" "$0" "$app" "$size" "$workers"
fi
dir=$(mktemp -d)
key=0x5ca1$(printf '%04x' $$ | tail -c 4)
printf 'shmget %s key=%s\nspawn %s\nshmat all\ntouch all all\n' "$size" "$key" "$workers" > "$dir/s.steps"
XDG_CONFIG_HOME=$dir "$app" --config-dir "$dir" --script "$dir/s.steps" --trace "$dir/trace" --size 1280x800 &
pid=$!
outside=
trap 'kill $outside $pid 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
until grep -q '"window"' "$dir/trace" 2>/dev/null; do sleep 0.1; done
window=$(xdotool search --sync --onlyvisible --name '^shmviz' | head -n 1)
xdotool mousemove --window "$window" 20 20 windowfocus --sync "$window"
sleep 0.5
for n in 1 2 3 4; do
    xdotool key --clearmodifiers space
    until [ "$(grep -c '"cmd"' "$dir/trace")" -ge $n ]; do sleep 0.1; done
done
sleep 3
shmid=$(awk -v k=$((key)) 'NR > 1 && $1 == k { print $2 }' /proc/sysvipc/shm)
frame() { import -window root -depth 8 rgb:- 2>/dev/null | md5sum; }
now() { date +%s%N; }
attach() {
    python3 -c "import ctypes,time,sys; l=ctypes.CDLL(None); l.shmat.restype=ctypes.c_void_p; l.shmat($shmid,None,0); sys.stdout.write('x'); sys.stdout.flush(); time.sleep(3600)" > "$dir/attached" &
    outside=$!
    until [ -s "$dir/attached" ]; do :; done
}
detach() { kill $outside; wait $outside 2>/dev/null || true; outside=; rm -f "$dir/attached"; }
killworker() { kill -9 "$(pgrep -P $pid -f shmviz-worker | tail -n 1)"; }
rmid() { ipcrm -m "$shmid"; }
# The "drawn" lines of the trace (one per snapshot generation, written right after the frame that
# shows it was presented, with the wall clock then): FIELD's value in the last one.
drawnField() {
    python3 -c 'import json, sys
d = [json.loads(l)["drawn"] for l in open(sys.argv[1]) if "\"drawn\"" in l]
print(d[-1][sys.argv[2]] if d else -1)' "$dir/trace" "$1"
}
# Runs "$@" (after FIELD) and prints two figures: the ms until the window's pixels change (an upper
# bound: one capture takes some ms), and from the trace the ms until the app presented the first
# frame whose FIELD differs from before (alive: live workers; nattch: attach counts summed; removed:
# segments marked for removal or gone), which needs no capture.
measure() {
    field=$1
    shift
    sleep 1
    old=$(drawnField "$field")
    skip=$(grep -c '"drawn"' "$dir/trace" || true)
    before=$(frame)
    "$@"
    start=$(now)
    while [ "$(frame)" = "$before" ]; do
        [ $(( ($(now) - start) / 1000000 )) -gt 10000 ] && { echo "$1: no change in 10 s"; return; }
    done
    pixels=$(( ($(now) - start) / 1000000 ))
    python3 - "$dir/trace" "$field" "$old" "$skip" "$start" "$1" "$pixels" <<'PY'
import json, sys, time
path, field, old, skip, start, what, pixels = sys.argv[1:8]
old, skip, start = int(old), int(skip), int(start)
while time.time_ns() - start < 10e9:
    for d in [json.loads(l)["drawn"] for l in open(path) if '"drawn"' in l][skip:]:
        if d[field] != old:
            print(f"{what} {pixels} ms (pixels), {(d['realtime_ns'] - start) / 1e6:.0f} ms (trace)")
            sys.exit(0)
    time.sleep(0.005)
print(f"{what} {pixels} ms (pixels), trace: no change of {field} in 10 s")
PY
}
sleep 10
capture_start=$(now); frame >/dev/null; echo "one capture $(( ($(now) - capture_start) / 1000000 )) ms"
for i in 1 2 3; do measure nattch attach; measure nattch detach; done
for i in $(seq 1 $((workers > 4 ? 4 : workers - 1))); do measure alive killworker; done
measure removed rmid
