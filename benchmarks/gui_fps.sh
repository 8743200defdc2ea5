#!/bin/sh
# Frames per second of the GUI with a 1 GiB System V segment attached and touched in 8 workers,
# under Xvfb's software OpenGL (llvmpipe). shmviz runs the script, then redraws without pause for
# SECONDS, laying the diagram out anew every frame as while panning, and prints the rate.
# usage: benchmarks/gui_fps.sh [path/to/shmviz] [SECONDS] [WIDTHxHEIGHT]     (target: above 30)
# Needs about 1 GiB of free memory. Set NO_RELAYOUT=1 to time drawing alone.
set -eu
app=${1:-build/bin/shmviz}
seconds=${2:-10}
size=${3:-1600x900}
command -v xvfb-run >/dev/null || { echo "gui_fps.sh: needs xvfb-run (Debian package xvfb)" >&2; exit 2; }

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
printf 'shmget 1G\nspawn 8\nshmat all\ntouch all all\n' > "$dir/gib.steps"
XDG_CONFIG_HOME=$dir xvfb-run -a -s "-screen 0 2560x1600x24" \
    "$app" --config-dir "$dir" --script "$dir/gib.steps" --size "$size" --measure-fps "$seconds" \
    ${NO_RELAYOUT:+--measure-no-relayout}
