#!/usr/bin/env bash
# Fuzzes every target for SECONDS each, one after another, at the lowest CPU priority:
#   tests/fuzz/run.sh SECONDS [TARGET...]
# Builds the libFuzzer targets first (clang-14, build-fuzz/, SHMVIZ_FUZZ=ON) if needed. New
# inputs go to build-fuzz/found/TARGET, never into the seed corpus; crashes are saved as
# build-fuzz/crashes/TARGET/crash-* and end the run with status 1. To keep an input that found
# a bug, copy it into tests/fuzz/corpus/TARGET/ (then ./shmviz.sh test replays it forever).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${SHMVIZ_FUZZ_BUILD:-$root/build-fuzz}
seconds=${1:?usage: tests/fuzz/run.sh SECONDS [TARGET...]}
shift
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=($(ls "$here/corpus"))
fi

if [ ! -f "$build/CMakeCache.txt" ]; then
    CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DSHMVIZ_FUZZ=ON -DSHMVIZ_GUI=OFF -DSHMVIZ_TESTS=OFF -DSHMVIZ_BENCHMARKS=OFF >/dev/null
fi
nice cmake --build "$build" -j2 --target "${targets[@]/#/fuzz_}" >/dev/null

status=0
for t in "${targets[@]}"; do
    mkdir -p "$build/found/$t" "$build/crashes/$t"
    echo "== $t: ${seconds}s"
    if ! ASAN_OPTIONS=abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
        nice -n 19 "$build/bin/fuzz_$t" -max_total_time="$seconds" -print_final_stats=1 \
        -artifact_prefix="$build/crashes/$t/" "$build/found/$t" "$here/corpus/$t" \
        2>"$build/fuzz_$t.log"; then
        echo "   CRASH: see $build/fuzz_$t.log and $build/crashes/$t/"
        status=1
    fi
    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb|^#[0-9]+[[:space:]]+DONE' "$build/fuzz_$t.log" |
        sed 's/^/   /' || true
done
exit $status
