#!/bin/sh
# tests/breach.sh CSPSIM - the exit-70 path: a broken invariant (a bug of cspsim) stops the run
# and writes nothing. CSPSIM is the fault build (make FAULT=1: build-fault/cspsim), whose
# CSPSIM_FAULT_BREACH=M makes the M-th invariant check report a breach (tests/fault_hook.c),
# since no valid input breaks one. Checked, for `run` (fresh, over an older run directory,
# --jobs 2), `test` and `sweep`: exit 70, the "invariant broken" message naming the check,
# no sanitizer report, and for `run` nothing written: a fresh target and its parent absent,
# an older run directory the same directory with the same bytes, no temporary left beside it.
# Prints one line per failure and `breach: N cases, N failed`; exits 1 on a failure.
set -u
if [ $# -ne 1 ]; then
    echo "usage: sh tests/breach.sh CSPSIM" >&2
    exit 2
fi
cspsim=$1
case $cspsim in /*) ;; */*) cspsim=$(pwd)/$cspsim ;; esac
cd "$(dirname "$0")/.." || exit 2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cspsim-breach.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
. tests/sanitizer.sh
cases=0
failed=0
bad() {
    echo "FAIL breach: $*"
    failed=$((failed + 1))
}

# expect70 NAME M COMMAND...: with the M-th check broken, COMMAND exits 70 with the message
expect70() {
    name=$1 m=$2
    shift 2
    cases=$((cases + 1))
    CSPSIM_FAULT_BREACH=$m "$@" > "$tmp/out" 2> "$tmp/err"
    rc=$?
    [ $rc -eq 70 ] || { bad "$name: exit $rc, not 70: $(head -c 300 "$tmp/err")"; return 1; }
    grep -q "invariant broken: injected by CSPSIM_FAULT_BREACH .*check $m" "$tmp/err" "$tmp/out" ||
        { bad "$name: no 'invariant broken ... check $m' message: $(head -c 300 "$tmp/err")"; return 1; }
    sanitizer_clean "$name"
}

# a fresh target: neither it nor the parent it would have made exists afterwards
expect70 "run, fresh" 5 "$cspsim" run scenarios/demo.yaml --check-invariants -q -o "$tmp/fresh/out" &&
    { [ ! -e "$tmp/fresh" ] || bad "run, fresh: $(find "$tmp/fresh" | head -3 | tr '\n' ' ') left behind"; }

# over an older run directory: the same directory (inode) with the same bytes, nothing beside it
if "$cspsim" run scenarios/demo.yaml -q -o "$tmp/old/out" > /dev/null 2>&1; then
    ino=$(ls -di "$tmp/old/out" | cut -d' ' -f1)
    (cd "$tmp/old/out" && find . -type f | sort | xargs cksum) > "$tmp/before"
    expect70 "run, over an older run" 40 "$cspsim" run scenarios/demo.yaml --check-invariants -q -o "$tmp/old/out" && {
        [ "$(ls -di "$tmp/old/out" | cut -d' ' -f1)" = "$ino" ] || bad "run, over an older run: the directory was replaced"
        (cd "$tmp/old/out" && find . -type f | sort | xargs cksum) > "$tmp/after"
        cmp -s "$tmp/before" "$tmp/after" || bad "run, over an older run: its files changed"
        [ "$(ls "$tmp/old")" = out ] || bad "run, over an older run: left beside it: $(ls "$tmp/old" | tr '\n' ' ')"
    }
else
    cases=$((cases + 1))
    bad "run without an injected breach failed"
fi

# a split run: the breach in one shard's thread stops the whole run
expect70 "run --jobs 2" 40 "$cspsim" run tests/jobs/mixed.yaml --jobs 2 --check-invariants -q -o "$tmp/jobs/out" &&
    { [ ! -e "$tmp/jobs" ] || bad "run --jobs 2: $(find "$tmp/jobs" | head -3 | tr '\n' ' ') left behind"; }

# test: the scenario fails with the breach named
expect70 "test" 5 "$cspsim" test scenarios/demo.yaml

# sweep (invariants on in this build): exit 70; the finished runs stay in runs.csv (--resume)
expect70 "sweep --jobs 2" 40 "$cspsim" sweep scenarios/studies/grace-experiment.yaml --jobs 2 --no-charts -q -o "$tmp/sweep"

echo "breach: $cases cases, $failed failed"
[ $failed -eq 0 ]
