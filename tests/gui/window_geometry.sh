#!/bin/sh
# Starts shmviz with no --size, waits for its first frame, and prints the window's geometry as the
# X server sees it: "X Y WIDTH HEIGHT". Run inside xvfb-run.
# usage: window_geometry.sh APP SCRIPT TRACE CONFIG_DIR
set -u
app=$1 script=$2 trace=$3 config=$4
"$app" --script "$script" --trace "$trace" --config-dir "$config" &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT
i=0
until grep -q '"window"' "$trace" 2>/dev/null; do
    i=$((i + 1))
    [ $i -gt 300 ] && { echo "shmviz drew no frame in 30 s" >&2; exit 2; }
    sleep 0.1
done
window=$(xdotool search --sync --onlyvisible --name '^shmviz' | head -n 1)
[ -n "$window" ] || { echo "no shmviz window" >&2; exit 2; }
xwininfo -id "$window" | awk '/Absolute upper-left X/ {x=$4} /Absolute upper-left Y/ {y=$4}
    /Width:/ {w=$2} /Height:/ {h=$2} END {print x, y, w, h}'
