#!/bin/sh
# tests/atomic.sh CSPSIM - a run directory is replaced as a whole (cli/rundir.h): fake
# gnuplot programs on PATH that hang (--chart-timeout kills them), kill themselves (the
# signal is named), or write a 0-byte PNG (the check catches it) each fail the run with the
# older run left complete and no DIR.tmp-*; a run killed with SIGTERM while gnuplot runs
# leaves no temporary directory; --no-charts over an older run leaves no charts; a full
# standard output exits 74. Prints one line per failure, then `N passed, N failed`.
set -u
if [ $# -ne 1 ]; then
    echo "usage: sh tests/atomic.sh CSPSIM" >&2
    exit 2
fi
cspsim=$1
case $cspsim in /*) ;; */*) cspsim=$(pwd)/$cspsim ;; esac
cd "$(dirname "$0")/.." || exit 2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cspsim-atomic.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }
demo=scenarios/demo.yaml

# fake NAME BODY: a directory holding a `gnuplot` shell script with BODY ($1 is the .gp)
fake() {
    mkdir -p "$tmp/$1"
    printf '#!/bin/sh\n%s\n' "$2" > "$tmp/$1/gnuplot"
    chmod +x "$tmp/$1/gnuplot"
}
fake hang 'exec sleep 30'
fake suicide 'kill -SEGV $$'
fake empty 'touch "${1%.gp}.png" "${1%.gp}.svg"'
fake slow 'echo $$ > "$PIDFILE"; exec sleep 30'

# the older run every case starts from
"$cspsim" run "$demo" -o "$tmp/base" -q --no-charts || bad "base run"
mkdir -p "$tmp/base/charts" && echo old > "$tmp/base/charts/old.txt"

# check_failed CASE PATTERN: the run failed with PATTERN on stderr, DIR is the older run, no .tmp
check_failed() {
    rc=$1 name=$2 pattern=$3
    if [ "$rc" -ne 74 ]; then bad "$name: exit $rc, not 74 (an output could not be written)"; return; fi
    grep -q "$pattern" "$tmp/err" || { bad "$name: no '$pattern' in: $(cat "$tmp/err")"; return; }
    cmp -s "$tmp/base/summary.json" "$tmp/out/summary.json" && [ -f "$tmp/out/charts/old.txt" ] ||
        { bad "$name: the older run was not kept whole"; return; }
    ls -d "$tmp"/out.tmp-* "$tmp"/out.old-* >/dev/null 2>&1 && { bad "$name: a temporary directory was left"; return; }
    ok
}
for c in "hang|did not finish in 1 s" "suicide|killed by SIGSEGV" "empty|wrote a broken"; do
    name=${c%%|*} pattern=${c#*|}
    rm -rf "$tmp/out" && cp -R "$tmp/base" "$tmp/out"
    PATH="$tmp/$name:$PATH" "$cspsim" run "$demo" -o "$tmp/out" -q --chart-timeout 1 2>"$tmp/err"
    check_failed $? "$name" "$pattern"
done

# SIGTERM while a slow gnuplot runs: no DIR.tmp-*, the older run whole, gnuplot gone
rm -rf "$tmp/out" && cp -R "$tmp/base" "$tmp/out"
PIDFILE="$tmp/gnuplot.pid" PATH="$tmp/slow:$PATH" "$cspsim" run "$demo" -o "$tmp/out" -q 2>"$tmp/err" &
pid=$!
i=0
while [ ! -s "$tmp/gnuplot.pid" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
if [ ! -s "$tmp/gnuplot.pid" ]; then
    bad "sigterm: the fake gnuplot never started"
    kill "$pid" 2>/dev/null
else
    ls -d "$tmp"/out.tmp-* >/dev/null 2>&1 || bad "sigterm: no DIR.tmp-* while running (not caught mid-run)"
    kill -TERM "$pid"
    wait "$pid"
    rc=$?
    gp=$(cat "$tmp/gnuplot.pid")
    sleep 0.2
    if [ "$rc" -eq 0 ]; then bad "sigterm: exit 0"
    elif ls -d "$tmp"/out.tmp-* >/dev/null 2>&1; then bad "sigterm: DIR.tmp-* left behind"
    elif ! cmp -s "$tmp/base/summary.json" "$tmp/out/summary.json"; then bad "sigterm: the older run was changed"
    elif [ -r "/proc/$gp/stat" ] && ! grep -q "^[0-9]* ([^)]*) Z" "/proc/$gp/stat"; then bad "sigterm: gnuplot $gp still runs"; kill "$gp"
    else ok; fi
fi

# --no-charts over an older run with charts: none left
rm -rf "$tmp/out" && cp -R "$tmp/base" "$tmp/out"
"$cspsim" run "$demo" -o "$tmp/out" -q --no-charts && [ ! -e "$tmp/out/charts" ] && [ -f "$tmp/out/trace.jsonl" ] ||
    bad "no-charts: old charts left"
[ -e "$tmp/out/charts" ] || ok

# a missing DIR with missing parents, failing: nothing at all is left
PATH="$tmp/hang:$PATH" "$cspsim" run "$demo" -o "$tmp/new/a/b" -q --chart-timeout 1 2>/dev/null
if [ $? -ne 0 ] && [ ! -e "$tmp/new" ]; then ok; else bad "failed fresh run: $tmp/new left"; fi

# standard output on a full device: exit 74
if [ -w /dev/full ]; then
    "$cspsim" run "$demo" -o "$tmp/full" --no-charts >/dev/full 2>"$tmp/err"
    rc=$?
    if [ $rc -eq 74 ] && grep -q "cannot write standard output" "$tmp/err"; then ok; else bad "/dev/full: exit $rc"; fi
else
    echo "SKIP /dev/full: not on this system"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
