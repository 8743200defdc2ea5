#!/usr/bin/env bash
# The two commands of the README:
#   ./shmviz.sh run    install missing Debian packages, build, open shmviz (the headless demo without a display)
#   ./shmviz.sh test   install missing Debian packages, build, run every test
# Also: ./shmviz.sh bench   (benchmarks; see README "Performance")
#       ./shmviz.sh format [--check]   clang-format every tracked C++ file (--check: change nothing,
#                                      fail on any difference, as CI does)
#       sudo ./shmviz.sh install [PREFIX]     build and install under PREFIX (default /usr/local)
#       sudo ./shmviz.sh uninstall [PREFIX]   remove exactly what install put there
set -euo pipefail
cd "$(dirname "$0")"

BUILD_DIR=${SHMVIZ_BUILD_DIR:-build}
PACKAGES=(
    cmake g++ make pkg-config
    libimgui-dev libglfw3-dev python3-glad libstb-dev libgl-dev libgl1-mesa-dri fonts-dejavu-core
    libcap-dev libcap2-bin nlohmann-json3-dev rapidjson-dev libcli11-dev
    libgtest-dev libbenchmark-dev
    xvfb xauth xdotool
    libxml2-dev librsvg2-bin chromium
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

# SHMVIZ_CMAKE_ARGS: extra configure options (CI passes -DSHMVIZ_WERROR=ON).
build() {
    # shellcheck disable=SC2086 # word splitting of the extra options is intended
    cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo ${SHMVIZ_CMAKE_ARGS:-} >/dev/null
    cmake --build "$BUILD_DIR" -j"$(nproc)"
}

need_root() {
    if [ "$(id -u)" -ne 0 ]; then
        echo "shmviz: $1 needs root (it sets a capability and a group): sudo ./shmviz.sh $1 ${2:-}" >&2
        exit 1
    fi
}

# A prefix as an absolute path without a trailing slash; refuses / and relative paths.
absolute_prefix() {
    local p=${1:-/usr/local}
    case "$p" in /*) ;; *) echo "shmviz: PREFIX must be an absolute path, not $p" >&2; exit 2 ;; esac
    p=$(realpath -m "$p")
    [ "$p" != "/" ] || { echo "shmviz: refusing to use / as PREFIX" >&2; exit 2; }
    echo "$p"
}

GROUP=shmviz
manifest_of() { echo "$1/share/shmviz/install-manifest.txt"; }

# Builds in its own directory (root-owned files stay out of the tree you build in), installs with
# CMake's rules, then gives shmviz-pagemap, and nothing else, its group and its capability.
install_shmviz() {
    local prefix helper manifest created_group=no dirs_before
    prefix=$(absolute_prefix "${1:-}")
    need_root install "$prefix"
    install_missing
    # SHMVIZ_INSTALL_BUILD_DIR: install from a build directory that is already configured (the tests do).
    local dir=${SHMVIZ_INSTALL_BUILD_DIR:-build-install}
    if [ ! -f "$dir/CMakeCache.txt" ]; then
        cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSHMVIZ_TESTS=OFF -DSHMVIZ_BENCHMARKS=OFF >/dev/null
    fi
    cmake --build "$dir" -j"$(nproc)" --target shmviz shmviz-worker shmviz-pagemap
    manifest=$(manifest_of "$prefix")
    if [ -e "$manifest" ]; then
        echo "shmviz: already installed in $prefix; run sudo ./shmviz.sh uninstall $prefix first" >&2
        exit 1
    fi
    dirs_before=$(mktemp)
    find "$prefix" -type d 2>/dev/null | sort >"$dirs_before" || true
    cmake --install "$dir" --prefix "$prefix"
    if ! getent group "$GROUP" >/dev/null; then
        groupadd --system "$GROUP"
        created_group=yes
    fi
    helper="$prefix/libexec/shmviz/shmviz-pagemap"
    chown root:"$GROUP" "$helper"
    chmod 0750 "$helper"
    setcap cap_sys_admin+ep "$helper"
    # The manifest: every file CMake installed, the directories this install created (deepest
    # first), and whether it created the group.
    mkdir -p "$(dirname "$manifest")"
    {
        echo "# shmviz install manifest: sudo ./shmviz.sh uninstall $prefix removes what is listed here"
        echo "group-created $created_group"
        awk '{ print "file " $0 }' "$dir/install_manifest.txt"
        echo "file $manifest"
        find "$prefix" -type d | sort | comm -13 "$dirs_before" - | sort -r | sed 's/^/dir /'
    } >"$manifest"
    rm -f "$dirs_before"
    echo "shmviz: installed in $prefix. Frame numbers are shown to members of the group $GROUP only:"
    echo "  sudo usermod -aG $GROUP NAME    (then NAME logs in again)"
    echo "shmviz: file capabilities under $prefix/libexec/shmviz:"
    getcap -r "$prefix/libexec/shmviz"
}

uninstall_shmviz() {
    local prefix manifest listed kind path created_group
    prefix=$(absolute_prefix "${1:-}")
    need_root uninstall "$prefix"
    manifest=$(manifest_of "$prefix")
    if [ ! -f "$manifest" ]; then
        echo "shmviz: no install manifest at $manifest, so nothing to remove" >&2
        exit 1
    fi
    listed=$(cat "$manifest")
    created_group=$(awk '$1 == "group-created" { print $2 }' <<<"$listed")
    # Only paths under PREFIX; every file first, then each directory the install made, deepest
    # first, and only if it is empty (rmdir never removes what someone else put there).
    while read -r kind path; do
        case "$path" in "$prefix"/*) ;; *) continue ;; esac
        if [ "$kind" = file ]; then rm -f -- "$path"; fi
    done <<<"$listed"
    while read -r kind path; do
        case "$path" in "$prefix"/*) ;; *) continue ;; esac
        if [ "$kind" = dir ]; then rmdir -- "$path" 2>/dev/null || true; fi
    done <<<"$listed"
    echo "shmviz: removed what the install put in $prefix"
    if [ "$created_group" = yes ] && getent group "$GROUP" >/dev/null; then
        groupdel "$GROUP" && echo "shmviz: removed the group $GROUP, which the install created"
    fi
    return 0
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
    status=0
    (cd "$BUILD_DIR" && ctest --output-on-failure --timeout 300) || status=$?
    sh tests/skip_reasons.sh "$BUILD_DIR"
    exit $status
    ;;
format)
    PACKAGES=(clang-format git)
    install_missing
    mapfile -t files < <(git ls-files '*.cpp' '*.h' ':!:third_party/*')
    if [ "${2:-}" = --check ]; then
        clang-format --dry-run -Werror "${files[@]}"
        echo "shmviz: ${#files[@]} C++ files are formatted as .clang-format says"
    else
        clang-format -i "${files[@]}"
    fi
    ;;
bench)
    install_missing
    build
    "$BUILD_DIR/bin/shmviz_pagemap_bench"
    if [ -x "$BUILD_DIR/bin/shmviz_lab_bench" ]; then "$BUILD_DIR/bin/shmviz_lab_bench"; fi
    if [ -x benchmarks/idle_cpu.sh ]; then benchmarks/idle_cpu.sh "$BUILD_DIR/bin/shmviz"; fi
    ;;
install)
    install_shmviz "${2:-}"
    ;;
uninstall)
    uninstall_shmviz "${2:-}"
    ;;
*)
    echo "usage: ./shmviz.sh run | test | bench | format [--check] | install [PREFIX] | uninstall [PREFIX]" >&2
    exit 2
    ;;
esac
