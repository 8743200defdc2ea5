#!/bin/sh
# Prints why each skipped test skipped, from ctest's log: ctest itself prints only "(Skipped)".
# usage: tests/skip_reasons.sh BUILD_DIR        (after ctest ran there)
log=${1:-build}/Testing/Temporary/LastTest.log
[ -f "$log" ] || exit 0
# GoogleTest prints "<file>:<line>: Skipped", the reason on the next lines, then "[  SKIPPED ] Name".
awk '
    /: Skipped$/ { collecting = 1; reason = ""; next }
    collecting && /^\[  SKIPPED \]/ {
        name = $4
        sub(/^[ \t]+/, "", reason)
        printf "  %s: %s\n", name, (reason == "" ? "(no reason given)" : reason)
        collecting = 0
        count++
        next
    }
    collecting && NF { reason = reason (reason == "" ? "" : " ") $0 }
    END { if (count) printf "%d test(s) skipped; the reasons are above.\n", count }
' "$log" | { out=$(cat); [ -n "$out" ] && printf 'Skipped tests and why:\n%s\n' "$out"; true; }
