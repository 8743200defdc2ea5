#!/usr/bin/env bash
# Issue 15: lowered limits and three instances on one key, each in a private IPC and mount
# namespace. Errors caused by a limit must name it with its value; nothing may be left behind.
# Usage: limits_and_instances.sh SHMVIZ_BINARY; exit 77 (skipped) where namespaces cannot be made.
set -u
app=$1
if ! unshare --ipc --mount --fork true 2>/dev/null; then
    echo "SKIP: unshare --ipc --mount is not permitted here (needs root or user namespaces)."
    exit 77
fi
export app
unshare --ipc --mount --fork bash -s <<'RUN'
set -u
failures=0
mount -t tmpfs tmpfs /dev/shm
[ -d /dev/mqueue ] && mount -t mqueue mqueue /dev/mqueue 2>/dev/null
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
left() { echo $(($(wc -l < /proc/sysvipc/shm) - 1 + $(wc -l < /proc/sysvipc/sem) - 1 + $(wc -l < /proc/sysvipc/msg) - 1 + $(find /dev/shm /dev/mqueue -mindepth 1 2>/dev/null | wc -l))); }

# 1. ulimit -n 16: workers, labs and spawn hit EMFILE, and every such error names RLIMIT_NOFILE = 16.
out=$( (ulimit -n 16; printf 'spawn 8\nkill 0\nkill 1\nspawn 2\nrace sysv-sem 4 1000\nipcbench socket 1M\nsnapshot\n' |
    "$app" --headless) 2>&1)
emfile=$(grep -c '"errno":"EMFILE"' <<< "$out")
named=$(grep '"errno":"EMFILE"' <<< "$out" | grep -c 'RLIMIT_NOFILE = 16')
echo "ulimit -n 16: $emfile EMFILE replies, $named of them name RLIMIT_NOFILE = 16"
[ "$emfile" -gt 0 ] || fail "no step reached the open-file limit"
[ "$emfile" -eq "$named" ] || fail "an EMFILE reply did not name the limit: $(grep EMFILE <<< "$out" | grep -v 'RLIMIT_NOFILE = 16' | head -1)"
grep -q 'exited with status 127' <<< "$out" && fail "a worker failing to start was reported only as status 127"
[ "$(grep -c '"step"' <<< "$out")" -eq 7 ] || fail "not one reply per step under ulimit -n 16"

# 2. kernel.shmmni = 2 in this namespace: the third segment, and a lab needing one, name it.
sysctl -qw kernel.shmmni=2
out=$(printf 'shmget 4K\nshmget 4K\nshmget 4K\nrace sysv-sem 2 100\n' | "$app" --headless 2>&1)
grep '"step":3' <<< "$out" | grep -q '"errno":"ENOSPC".*kernel.shmmni = 2' || fail "shmget over shmmni: $(grep '"step":3' <<< "$out" | cut -c1-300)"
grep '"step":4' <<< "$out" | grep -q 'kernel.shmmni = 2' || fail "lab over shmmni: $(grep '"step":4' <<< "$out" | cut -c1-300)"
echo "kernel.shmmni = 2: $(grep '"step":3' <<< "$out" | grep -o '"message":"[^"]*"' | cut -c1-200)"
sysctl -qw kernel.shmmni=4096

# 3. ulimit -u: a user's processes (root ignores RLIMIT_NPROC, so run as nobody when root).
run_as=()
[ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null && run_as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
if "${run_as[@]}" test -x "$app"; then
    out=$( (ulimit -u 3; printf 'spawn 8\nsnapshot\n' | "${run_as[@]}" "$app" --headless) 2>&1)
    if grep -q '"errno":"EAGAIN"' <<< "$out"; then
        grep '"errno":"EAGAIN"' <<< "$out" | grep -q 'RLIMIT_NPROC = 3' || fail "EAGAIN from fork did not name RLIMIT_NPROC"
        echo "ulimit -u 3: $(grep -o '"message":"[^"]*RLIMIT_NPROC[^"]*"' <<< "$out" | head -1 | cut -c1-200)"
    else
        echo "ulimit -u 3: no fork failed (another user's processes count too); not checked"
    fi
else
    echo "ulimit -u: the app is not executable by nobody here; not checked"
fi

# 4. Three instances on one key and one POSIX name, all attached at once: each works, none
# disturbs the others, and whichever created the objects removes them when it quits.
steps='shmget 64K key=0x5356fa17\nspawn 2\nshmat all\ntouch all all\nshm_open /shmviz-fault-three size=64K\nmmap all\ntouch all all\nsnapshot\n'
dir=$(mktemp -d)
for n in 1 2 3; do
    mkfifo "$dir/in.$n"
    ("$app" --headless < "$dir/in.$n" > "$dir/out.$n" 2>&1; echo "exit $?" >> "$dir/out.$n") &
    eval "exec {fd$n}>\"$dir/in.$n\""
done
for n in 1 2 3; do eval "printf \"\$steps\" >&\$fd$n"; done
for _ in $(seq 1 100); do
    [ "$(cat "$dir"/out.* | grep -c '"step"')" -ge 24 ] && break
    sleep 0.1
done
for n in 1 2 3; do eval "echo quit >&\$fd$n; exec {fd$n}>&-"; done
wait
for n in 1 2 3; do
    [ "$(grep -c '"ok":true' "$dir/out.$n")" -eq 9 ] && grep -q "exit 0" "$dir/out.$n" ||
        fail "instance $n: $(grep '"ok":false' "$dir/out.$n" | head -1 | cut -c1-300)"
done
echo "three instances on key 0x5356fa17 and /shmviz-fault-three, attached at once: $(cat "$dir"/out.* | grep -c '"ok":true') of 27 steps ok"
rm -rf "$dir"
sleep 0.5
[ "$(left)" -eq 0 ] || fail "objects left after the runs: $(cat /proc/sysvipc/shm /proc/sysvipc/sem; ls /dev/shm)"
echo "$failures failure(s)"
[ "$failures" -eq 0 ]
RUN
