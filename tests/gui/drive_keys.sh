#!/bin/sh
# Drives a real shmviz window with synthetic key presses (xdotool); run inside xvfb-run.
# usage: drive_keys.sh APP SCRIPT TRACE KEY...   (window size: $SHMVIZ_TEST_SIZE, else 1100x700)
# After each KEY argument it waits for one more reply in TRACE; an argument may hold several keys
# separated by spaces ("3 k": select worker 3, then kill it), pressed in order. An argument
# "@COMMAND" runs COMMAND in the shell at that point instead (to look at ipcs or ps between keys),
# and waits for no reply; "~KEY" presses KEY and waits for one more "timeline" line (the diagram
# shows another step of the timeline) instead of a reply. The word `save` presses Ctrl+S (File ->
# Save steps) and waits for the shmviz-session-*.steps file instead. `click:NAME` clicks the button
# the trace names NAME (ui/widget_places.h) and waits for its reply; `open:NAME` clicks it and waits
# for nothing (a menu that opens: "open:menu:Lessons"); `pick:NAME` clicks it and waits for the new
# session it starts ("pick:lesson:lifecycle"). An @COMMAND finds the app's pid in $SHMVIZ_APP_PID
# (its workers: ps --ppid "$SHMVIZ_APP_PID"). At the end it quits with Ctrl+Q.
set -u
app=$1 script=$2 trace=$3
shift 3
# SHMVIZ_TEST_CONFIG_DIR: the test's own settings dir, named outright (as root shmviz ignores
# XDG_CONFIG_HOME, which may be another user's).
"$app" --script "$script" --trace "$trace" --size "${SHMVIZ_TEST_SIZE:-1100x700}" ${SHMVIZ_TEST_CONFIG_DIR:+--config-dir "$SHMVIZ_TEST_CONFIG_DIR"} &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT
export SHMVIZ_APP_PID=$pid

replies() { # a step's reply, or a saved screenshot (F12), SVG (Shift+F12) or steps file (Ctrl+S)
    n=$(grep -cE '"(cmd|screenshot|steps|svg)"' "$trace" 2>/dev/null)
    echo "${n:-0}"
}
click() { # clicks the middle of the place the trace last gave the widget named $1
    i=0
    until grep -q "\"widget\":\"$1\"" "$trace"; do
        i=$((i + 1))
        [ $i -gt 100 ] && { echo "no button $1 on screen in 10 s" >&2; exit 6; }
        sleep 0.1
    done
    sleep 0.3 # a frame after the panel appeared, so the place is final
    place=$(grep "\"widget\":\"$1\"" "$trace" | tail -n 1 | sed -n 's/.*"rect":\[\([^]]*\)\].*/\1/p')
    x=$(echo "$place" | awk -F, '{ printf "%d", ($1 + $3) / 2 }')
    y=$(echo "$place" | awk -F, '{ printf "%d", ($2 + $4) / 2 }')
    xdotool mousemove --window "$window" "$x" "$y"
    sleep 0.2
    xdotool click 1
}
wait_replies() {
    i=0
    while [ "$(replies)" -lt "$1" ]; do
        i=$((i + 1))
        [ $i -gt 600 ] && { echo "no reply to key $2 after 60 s" >&2; exit 3; }
        sleep 0.1
    done
}

i=0
until grep -q '"window"' "$trace" 2>/dev/null; do # the first frame is on screen
    i=$((i + 1))
    [ $i -gt 300 ] && { echo "shmviz drew no frame in 30 s" >&2; exit 2; }
    sleep 0.1
done
window=$(xdotool search --sync --onlyvisible --name '^shmviz' | head -n 1)
[ -n "$window" ] || { echo "no shmviz window" >&2; exit 2; }
xdotool mousemove --window "$window" 20 20 windowfocus --sync "$window"
sleep 0.5
n=0
for key in "$@"; do
    if [ "$key" = save ]; then
        xdotool key --clearmodifiers ctrl+s
        i=0
        until ls shmviz-session-*.steps >/dev/null 2>&1; do
            i=$((i + 1))
            [ $i -gt 100 ] && { echo "Ctrl+S saved no steps in 10 s" >&2; exit 5; }
            sleep 0.1
        done
        continue
    fi
    case $key in
    @*)
        sh -c "${key#@}"
        continue
        ;;
    open:*)
        click "${key#open:}"
        continue
        ;;
    pick:*)
        before=$(grep -c '"session":"new"' "$trace")
        click "${key#pick:}"
        i=0
        while [ "$(grep -c '"session":"new"' "$trace")" -le "$before" ]; do
            i=$((i + 1))
            [ $i -gt 100 ] && { echo "clicking ${key#pick:} started no new session in 10 s" >&2; exit 7; }
            sleep 0.1
        done
        continue
        ;;
    "~"*)
        before=$(grep -c '"timeline"' "$trace")
        xdotool key --clearmodifiers "${key#"~"}"
        i=0
        while [ "$(grep -c '"timeline"' "$trace")" -le "$before" ]; do
            i=$((i + 1))
            [ $i -gt 300 ] && { echo "the view did not change on key ${key#"~"} in 30 s" >&2; exit 3; }
            sleep 0.1
        done
        continue
        ;;
    esac
    n=$((n + 1))
    case $key in
    click:*)
        click "${key#click:}"
        ;;
    *)
        # shellcheck disable=SC2086 # several keys in one argument are meant to split
        xdotool key --clearmodifiers $key
        ;;
    esac
    wait_replies $n "$key"
done
xdotool key ctrl+q
i=0
while kill -0 $pid 2>/dev/null; do
    i=$((i + 1))
    [ $i -gt 100 ] && { echo "shmviz did not quit on Ctrl+Q" >&2; exit 4; }
    sleep 0.1
done
trap - EXIT
wait $pid
