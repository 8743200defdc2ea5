#!/bin/sh
# How much CPU the GUI uses while nobody touches it: starts shmviz (the embedded default: the
# lifecycle lesson loaded, two workers) under Xvfb, lets it settle, then reads the CPU time of
# the app and its workers from /proc over SECONDS and prints it as a share of one core.
# usage: benchmarks/idle_cpu.sh [path/to/shmviz] [SECONDS]     (target: under 2 %)
set -eu
app=${1:-build/bin/shmviz}
seconds=${2:-10}

if [ -z "${SHMVIZ_IDLE_UNDER_XVFB:-}" ]; then
    command -v xvfb-run >/dev/null || { echo "idle_cpu.sh: needs xvfb-run (Debian package xvfb)" >&2; exit 2; }
    SHMVIZ_IDLE_UNDER_XVFB=1 exec xvfb-run -a -s "-screen 0 1920x1080x24" "$0" "$app" "$seconds"
fi

config=$(mktemp -d)
XDG_CONFIG_HOME=$config "$app" --config-dir "$config" >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$config"' EXIT

ticks() { # utime + stime of the app and its direct children (the workers), in clock ticks
    total=0
    for p in $pid $(pgrep -P $pid || true); do
        t=$(awk '{print $14 + $15}' /proc/$p/stat 2>/dev/null || echo 0)
        total=$((total + t))
    done
    echo $total
}

sleep 4 # window up, workers spawned, first frames drawn
kill -0 $pid 2>/dev/null || { echo "idle_cpu.sh: shmviz exited early" >&2; exit 1; }
before=$(ticks)
sleep "$seconds"
after=$(ticks)
hz=$(getconf CLK_TCK)
awk -v d=$((after - before)) -v hz="$hz" -v s="$seconds" \
    'BEGIN { printf "idle CPU: %.2f %% of one core over %d s (app and workers)\n", 100 * d / hz / s, s }'
