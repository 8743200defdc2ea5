#!/usr/bin/env bash
# Issue 15: SIGKILL of the app at random points of touch, race, ipcbench and torn runs, each run in a
# private IPC and mount namespace (so the first segment is shmid 0, and /dev/shm and /dev/mqueue are
# fresh), and each must leave 0 segments, semaphore sets, message queues, /dev/shm objects and
# processes behind once the guardian has cleaned up.
# Usage: app_kill_runs.sh SHMVIZ_BINARY [RUNS]; exit 77 (skipped) where namespaces cannot be made.
set -u
app=$1
runs=${2:-20}
if ! unshare --ipc --mount --fork true 2>/dev/null; then
    echo "SKIP: unshare --ipc --mount is not permitted here (needs root or user namespaces)."
    exit 77
fi
scripts=(
    "spawn 2\nshmget 64M\nshmat all\ntouch all all\nshmget 16K\nshmat all\ntouch all all\nshm_open /shmviz-fault size=1M\nmmap all\ntouch all all\nsnapshot"
    "race sysv-sem 4 2000000\nrace posix-sem 3 2000000\nrace mutex 4 2000000"
    "ipcbench mqueue 256M\nipcbench shm 1G\nipcbench socket 1G\nipcbench pipe 1G"
    "torn seqlock 2\ntorn mutex 2"
)
names=(touch race ipcbench torn)
failures=0
for ((i = 0; i < runs; i++)); do
    kind=$((i % 4))
    # A random point in the first 1.5 s of the run.
    delay=$(awk -v seed="$RANDOM" 'BEGIN { srand(seed); printf "%.2f", 0.05 + rand() * 1.45 }')
    left=$(unshare --ipc --mount --fork bash -s "$app" "$delay" "${scripts[$kind]}" <<'RUN'
app=$1 delay=$2 steps=$3
mount --make-rprivate / 2>/dev/null
mount -t tmpfs tmpfs /dev/shm
[ -d /dev/mqueue ] && mount -t mqueue mqueue /dev/mqueue 2>/dev/null
printf "$steps\n" > /dev/shm/.steps
cp /dev/shm/.steps /tmp/.shmviz-fault-steps.$$ && rm /dev/shm/.steps
"$app" --headless --script /tmp/.shmviz-fault-steps.$$ > /dev/null 2>&1 &
pid=$!
sleep "$delay"
kill -KILL "$pid"
wait "$pid" 2>/dev/null
rm -f /tmp/.shmviz-fault-steps.$$
count() { local n; n=$(($(wc -l < "$1") - 1)); echo $((n < 0 ? 0 : n)); }
ours() { # live processes started for that app: workers, lab workers, guardian, pagemap helper
    local n=0 p
    for p in $(pgrep -f -- "--parent $pid( |\$)"); do
        [ "$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)" = Z ] || n=$((n + 1))
    done
    echo $n
}
for _ in $(seq 1 30); do
    shm=$(count /proc/sysvipc/shm) sem=$(count /proc/sysvipc/sem) msg=$(count /proc/sysvipc/msg)
    files=$(find /dev/shm /dev/mqueue -mindepth 1 2>/dev/null | wc -l)
    procs=$(ours)
    [ $((shm + sem + msg + files + procs)) -eq 0 ] && break
    sleep 0.1
done
echo "$shm $sem $msg $files $procs"
RUN
)
    echo "run $((i + 1)) (${names[$kind]}, SIGKILL after ${delay} s): left segments semaphores queues files processes = $left"
    [ "$left" = "0 0 0 0 0" ] || failures=$((failures + 1))
done
echo "$failures of $runs runs left something behind."
[ "$failures" -eq 0 ]
