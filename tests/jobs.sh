#!/bin/sh
# tests/jobs.sh CSPSIM - `run --jobs N` splits the tenants over N threads and must write the
# same bytes as one thread: every file of the run directory (trace, timeline, summary,
# series, report, chart data and scripts) compared with --jobs 1 for N = 2, 3 and 5, over
# the populations (generated tenants, behaviours with auto ids, EA agreements), a
# hand-written scenario (its tenants all in shard 0, the other shards empty), a set_rule
# scenario (global steps are in every shard, written once) and a sampled trace. Prints
# one line per failure, then `N passed, N failed`.
set -u
if [ $# -ne 1 ]; then
    echo "usage: sh tests/jobs.sh CSPSIM" >&2
    exit 2
fi
cspsim=$1
case $cspsim in /*) ;; */*) cspsim=$(pwd)/$cspsim ;; esac
cd "$(dirname "$0")/.." || exit 2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cspsim-jobs.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }

# split NAME FILE [OPTIONS...]: --jobs 1 against 2, 3 and 5, every byte of every file
split() {
    name=$1 file=$2
    shift 2
    if ! "$cspsim" run "$file" -o "$tmp/$name-1" -q --jobs 1 "$@" 2>"$tmp/err"; then
        bad "$name: --jobs 1 failed: $(head -2 "$tmp/err")"
        return
    fi
    for n in 2 3 5; do
        if ! "$cspsim" run "$file" -o "$tmp/$name-$n" -q --jobs $n "$@" 2>"$tmp/err"; then
            bad "$name: --jobs $n failed: $(head -2 "$tmp/err")"
            continue
        fi
        if diff -r "$tmp/$name-1" "$tmp/$name-$n" >"$tmp/diff" 2>&1; then ok; else
            bad "$name: --jobs $n differs from --jobs 1: $(head -4 "$tmp/diff")"
        fi
    done
}

split basic scenarios/population/population-basic.yaml --no-charts --trace all
split rebuy scenarios/studies/grace-and-rebuy.yaml --no-charts --trace all --set population.smb.tenants=300
split behaviour bench/reference-behaviour.yaml --no-charts --trace all --set population.ref.tenants=400 \
    --set end=2025-12-31
split sampled scenarios/studies/grace-and-rebuy.yaml --no-charts --trace sample:7 --set population.smb.tenants=200
split demo scenarios/demo.yaml --no-charts
split set-rule scenarios/rules/set-rule.yaml --no-charts
split behaviours scenarios/rules/behaviours.yaml --no-charts
split charts scenarios/population/population-basic.yaml
split mixed tests/jobs/mixed.yaml
# the split really ran: the two-thread run of the basic population did its work in both
# shards (a population of several tenants, so shard 1 is not empty), and wrote the same
# fingerprint line as one thread
out1=$("$cspsim" run scenarios/population/population-basic.yaml -o "$tmp/fp1" --no-charts --jobs 1 | grep '^fingerprint')
out2=$("$cspsim" run scenarios/population/population-basic.yaml -o "$tmp/fp2" --no-charts --jobs 2 | grep '^fingerprint')
[ -n "$out1" ] && [ "$out1" = "$out2" ] && ok || bad "fingerprint lines differ: '$out1' / '$out2'"
# bad input: --jobs 0, past the limit, not a number; --step with --jobs
for a in 0 257 two; do
    if "$cspsim" run scenarios/demo.yaml -o "$tmp/bad" --jobs $a 2>"$tmp/err"; then bad "--jobs $a accepted"
    elif [ $? -eq 2 ] && grep -q -- '--jobs needs a number of threads from 1 to 256' "$tmp/err" && [ ! -e "$tmp/bad" ]; then ok
    else bad "--jobs $a: $(head -1 "$tmp/err")"; fi
done
if "$cspsim" run scenarios/demo.yaml -o "$tmp/bad" --jobs 2 --step </dev/null >/dev/null 2>"$tmp/err"; then bad "--step --jobs 2 accepted"
elif grep -q 'takes no --jobs' "$tmp/err" && [ ! -e "$tmp/bad" ]; then ok; else bad "--step --jobs: $(head -1 "$tmp/err")"; fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
