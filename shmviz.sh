#!/usr/bin/env bash
# The two commands of the README:
#   ./shmviz.sh run    install missing Debian packages, build, open shmviz (the headless demo without a display)
#   ./shmviz.sh test   install missing Debian packages, build, run every test
# Also: ./shmviz.sh bench   (benchmarks; see README "Performance")
set -euo pipefail
cd "$(dirname "$0")"

BUILD_DIR=${SHMVIZ_BUILD_DIR:-build}
PACKAGES=(
    cmake g++ make pkg-config
    libimgui-dev libglfw3-dev python3-glad libstb-dev libgl-dev libgl1-mesa-dri fonts-dejavu-core
    libcap-dev nlohmann-json3-dev rapidjson-dev libcli11-dev
    libgtest-dev libbenchmark-dev
    xvfb xauth xdotool
)

install_missing() {
    local missing=()
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "shmviz: installing missing Debian packages: ${missing[*]}"
    $sudo apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

build() {
    cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$BUILD_DIR" -j"$(nproc)"
}

case "${1:-run}" in
run)
    install_missing
    build
    shift || true
    exec "$BUILD_DIR/bin/shmviz" "$@"
    ;;
test)
    install_missing
    build
    cd "$BUILD_DIR"
    ctest --output-on-failure --timeout 300
    ;;
bench)
    install_missing
    build
    "$BUILD_DIR/bin/shmviz_pagemap_bench"
    if [ -x "$BUILD_DIR/bin/shmviz_lab_bench" ]; then "$BUILD_DIR/bin/shmviz_lab_bench"; fi
    if [ -x benchmarks/idle_cpu.sh ]; then benchmarks/idle_cpu.sh "$BUILD_DIR/bin/shmviz"; fi
    ;;
*)
    echo "usage: ./shmviz.sh run | test | bench" >&2
    exit 2
    ;;
esac
