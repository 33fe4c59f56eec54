#!/bin/sh
# tests/fault_loop.sh CSPSIM [full|sample] - fault loops, SQLite style, over `cspsim run` of the
# demo and five rule scenarios. CSPSIM is the fault build (make FAULT=1: build-fault/cspsim,
# ASan/UBSan and LeakSanitizer, tests/fault_hook.c linked in).
#   allocations: for N = 1, 2, ... until a run makes fewer than N allocations, the N-th fails;
#     the run must exit 1 with "out of memory" on stderr and write nothing (the run directory
#     and the parent it would have created absent), or, when the failure was absorbed (a stdio
#     buffer that falls back to stdio's own), exit 0 with outputs identical to a clean run's.
#   writes: for K = 1, 2, ... the K-th output operation fails (tests/fault_hook.c says which
#     count); the run must exit 74 with "cannot" on stderr and the older run directory
#     intact and not replaced (same inode, same bytes, no DIR.tmp-* or DIR.old-*), except when
#     the failure hit standard output after the swap (exit 74 with the new set in place) or
#     the renameat2 exchange (the two-rename fallback runs: exit 0, the new set in place).
#   Every run: no sanitizer report (LeakSanitizer included) on stderr.
# full: every N and K, charts on (make fault, about ten minutes). sample (make check): the demo
# with charts at N = 1..50 and every 7th N, every K; the five rule scenarios with --no-charts
# (no gnuplot: fast) at the same N and every K.
# Prints one line per failure and `fault loop: N runs, N failed`; exits 1 on a failure.
set -u
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: sh tests/fault_loop.sh CSPSIM [full|sample]" >&2
    exit 2
fi
cspsim=$1
mode=${2:-sample}
case $cspsim in /*) ;; */*) cspsim=$(pwd)/$cspsim ;; esac
cd "$(dirname "$0")/.." || exit 2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cspsim-fault.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
. tests/sanitizer.sh
runs=0
failed=0
bad() {
    echo "FAIL $*"
    failed=$((failed + 1))
}

# sampled N: all of the first 50, then every 7th (full: all)
wanted() {
    [ "$mode" = full ] || [ "$1" -le 50 ] || [ $(($1 % 7)) -eq 0 ]
}

# snapshot DIR: the names and bytes of every file under DIR, one line each
snapshot() {
    (cd "$1" && find . -type f | LC_ALL=C sort | while read -r f; do cksum "$f"; done)
}

# loop_alloc SCENARIO OPTIONS...
loop_alloc() {
    scen=$1
    shift
    rm -rf "$tmp/ref" && "$cspsim" run "$scen" -o "$tmp/ref" -q "$@" 2>"$tmp/err" ||
        { bad "$scen: the clean run failed: $(cat "$tmp/err")"; return; }
    snapshot "$tmp/ref" >"$tmp/ref.sum"
    n=0
    while :; do
        n=$((n + 1))
        wanted $n || continue
        rm -rf "$tmp/new" "$tmp/log"
        CSPSIM_FAULT_ALLOC=$n CSPSIM_FAULT_LOG="$tmp/log" "$cspsim" run "$scen" -o "$tmp/new/run" -q "$@" \
            >/dev/null 2>"$tmp/err"
        rc=$?
        runs=$((runs + 1))
        name="$scen $* alloc $n"
        sanitizer_clean "$name" || continue
        [ -f "$tmp/log" ] || { bad "$name: no fault log (is $cspsim the fault build?)"; return; }
        if ! grep -q '^injected' "$tmp/log"; then
            [ $rc -eq 0 ] || bad "$name: a run past the last allocation exited $rc: $(cat "$tmp/err")"
            break # the run made fewer than n allocations: done
        fi
        if [ $rc -eq 0 ]; then
            if [ -d "$tmp/new/run" ] && snapshot "$tmp/new/run" | cmp -s - "$tmp/ref.sum"; then
                continue
            fi
            bad "$name: exit 0 after a failed allocation with outputs unlike a clean run's"
        elif [ $rc -ne 1 ]; then
            bad "$name: exit $rc, not 1: $(head -c 300 "$tmp/err")"
        elif ! grep -q 'out of memory' "$tmp/err"; then
            bad "$name: no 'out of memory' on stderr: $(head -c 300 "$tmp/err")"
        elif [ -e "$tmp/new" ]; then
            bad "$name: wrote $(cd "$tmp" && find new | head -5 | tr '\n' ' ')"
        fi
    done
}

# loop_write SCENARIO OPTIONS...
loop_write() {
    scen=$1
    shift
    rm -rf "$tmp/old" && "$cspsim" run "$scen" -o "$tmp/old" -q "$@" 2>"$tmp/err" ||
        { bad "$scen: the clean run failed: $(cat "$tmp/err")"; return; }
    snapshot "$tmp/old" >"$tmp/old.sum"
    k=0
    while :; do
        k=$((k + 1))
        inode=$(ls -di "$tmp/old" | cut -d' ' -f1)
        rm -f "$tmp/log"
        CSPSIM_FAULT_WRITE=$k CSPSIM_FAULT_LOG="$tmp/log" "$cspsim" run "$scen" -o "$tmp/old" "$@" \
            >"$tmp/stdout" 2>"$tmp/err"
        rc=$?
        runs=$((runs + 1))
        name="$scen $* write $k"
        sanitizer_clean "$name" || continue
        [ -f "$tmp/log" ] || { bad "$name: no fault log (is $cspsim the fault build?)"; return; }
        if ! grep -q '^injected' "$tmp/log"; then
            [ $rc -eq 0 ] || bad "$name: a run past the last write exited $rc: $(cat "$tmp/err")"
            break
        fi
        what=$(sed -n 's/^injected write [0-9]* //p' "$tmp/log")
        if [ "${what%% *}" = renameat2 ]; then
            # no exchange (a file system without RENAME_EXCHANGE): the two-rename fallback
            [ $rc -eq 0 ] && snapshot "$tmp/old" | cmp -s - "$tmp/old.sum" ||
                bad "$name ($what): exit $rc, or not the complete new set, after the fallback"
        elif [ $rc -ne 74 ]; then
            bad "$name ($what): exit $rc, not 74: $(head -c 300 "$tmp/err")"
        elif ! grep -q 'cannot' "$tmp/err"; then
            bad "$name ($what): no 'cannot' on stderr: $(head -c 300 "$tmp/err")"
        elif ls -d "$tmp"/old.tmp-* "$tmp"/old.old-* >/dev/null 2>&1; then
            bad "$name ($what): a temporary directory was left"
        elif ! snapshot "$tmp/old" | cmp -s - "$tmp/old.sum"; then
            bad "$name ($what): the run directory is not the complete older (or new) set"
        elif [ "${what#* }" != stdout ] && [ "$(ls -di "$tmp/old" | cut -d' ' -f1)" != "$inode" ]; then
            bad "$name ($what): the run directory was replaced although a file failed"
        fi
        find "$tmp/old" -name '.*.tmp' | grep -q . && bad "$name ($what): a .tmp file was left"
    done
}

demo=scenarios/demo.yaml
rules="scenarios/rules/ea-1.yaml scenarios/rules/xfer-1.yaml scenarios/rules/sub-9.yaml
       scenarios/rules/mig-1-double-billing.yaml scenarios/rules/sub-4.yaml"
loop_alloc "$demo"
loop_write "$demo"
for s in $rules; do
    if [ "$mode" = full ]; then
        loop_alloc "$s"
        loop_write "$s"
    else
        loop_alloc "$s" --no-charts
        loop_write "$s" --no-charts
    fi
done
echo "fault loop ($mode): $runs runs, $failed failed"
[ $failed -eq 0 ]
