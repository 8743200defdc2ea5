#!/bin/sh
# How much CPU the GUI uses while nobody touches it: starts shmviz under Xvfb, lets it settle, then
# reads the CPU time of the app and its children (workers, guardian) from /proc over SECONDS and
# prints it as a share of one core. Without SIZE it opens the embedded default (the lifecycle
# lesson, two workers); with SIZE (e.g. 60M, 1G) it runs a script that makes one System V segment
# of that size, attaches it in WORKERS workers (default 2) and touches every page.
# usage: benchmarks/idle_cpu.sh [path/to/shmviz] [SECONDS] [SIZE [WORKERS]]   (target: under 1 %)
set -eu
app=${1:-build/bin/shmviz}
seconds=${2:-10}
size=${3:-}
workers=${4:-2}

if [ -z "${SHMVIZ_IDLE_UNDER_XVFB:-}" ]; then
    command -v xvfb-run >/dev/null || { echo "idle_cpu.sh: needs xvfb-run (Debian package xvfb)" >&2; exit 2; }
    SHMVIZ_IDLE_UNDER_XVFB=1 exec xvfb-run -a -s "-screen 0 1920x1080x24" "$0" "$app" "$seconds" "$size" "$workers"
fi

config=$(mktemp -d)
if [ -n "$size" ]; then
    key=0x1d1e$(printf '%04x' $$ | tail -c 4)
    printf 'shmget %s key=%s\nspawn %s\nshmat all\ntouch all all\n' "$size" "$key" "$workers" > "$config/s.steps"
    XDG_CONFIG_HOME=$config "$app" --config-dir "$config" --script "$config/s.steps" --trace "$config/trace" \
        >/dev/null 2>&1 &
else
    XDG_CONFIG_HOME=$config "$app" --config-dir "$config" --trace "$config/trace" >/dev/null 2>&1 &
fi
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$config"' EXIT

ticks() { # utime + stime of the app and its direct children (workers, guardian), in clock ticks
    total=0
    for p in $pid $(pgrep -P $pid || true); do
        t=$(awk '{print $14 + $15}' /proc/$p/stat 2>/dev/null || echo 0)
        total=$((total + t))
    done
    echo $total
}

if [ -n "$size" ]; then # step through the script: Space runs the next step
    until grep -q '"window"' "$config/trace" 2>/dev/null; do sleep 0.1; done
    window=$(xdotool search --sync --onlyvisible --name '^shmviz' | head -n 1)
    xdotool mousemove --window "$window" 20 20 windowfocus --sync "$window"
    sleep 0.5
    for n in 1 2 3 4; do
        xdotool key --clearmodifiers space
        until [ "$(grep -c '"cmd"' "$config/trace")" -ge $n ]; do sleep 0.1; done
    done
fi
# Settled: the last step's snapshot drawn and the first full refreshes after it done, so no new
# snapshot reached the window for 5 s (at most 120 s; 1 GiB in 8 workers takes a while).
until grep -q '"window"' "$config/trace" 2>/dev/null; do sleep 0.1; done
drawn() { grep -c '"drawn"' "$config/trace" || true; }
waited=0
last=$(drawn)
quiet=0
while [ $quiet -lt 5 ] && [ $waited -lt 120 ]; do
    sleep 1
    waited=$((waited + 1))
    now=$(drawn)
    if [ "$now" = "$last" ]; then quiet=$((quiet + 1)); else quiet=0; last=$now; fi
done
kill -0 $pid 2>/dev/null || { echo "idle_cpu.sh: shmviz exited early" >&2; exit 1; }
before=$(ticks)
sleep "$seconds"
after=$(ticks)
hz=$(getconf CLK_TCK)
redrawn=$(( $(drawn) - last ))
awk -v d=$((after - before)) -v hz="$hz" -v s="$seconds" -v what="${size:-default}${size:+ x $workers}" -v r="$redrawn" \
    'BEGIN { printf "idle CPU (%s): %.2f %% of one core over %d s (app and workers), %d new snapshots drawn\n", what, 100 * d / hz / s, s, r }'
