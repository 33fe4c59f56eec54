#!/bin/sh
# tests/mpi.sh CSPSIM-MPI CSPSIM - the Open MPI transport (make MPI=1): `mpirun
# --oversubscribe -n 2` of the MPI build writes the bytes the plain build writes with
# --jobs 1 (every file: runs.csv, points.csv, report.html, charts), for a whole sweep and a
# shard; a sweep whose rank is killed (by its pid) stops, and --resume finishes it with the
# bytes of one sweep; the MPI build outside mpirun is the plain one; under mpirun a bad
# command line is said once, an output that cannot be made ends the job, and `run` says in
# one line that it needs the population split (exit 2). Every mpirun runs under timeout(1),
# which ends a hanging one by its pid. Prints one line per failure, then `N passed, N failed`.
set -u
if [ $# -ne 2 ]; then
    echo "usage: sh tests/mpi.sh CSPSIM-MPI CSPSIM" >&2
    exit 2
fi
mpi=$1 plain=$2
case $mpi in /*) ;; */*) mpi=$(pwd)/$mpi ;; esac
case $plain in /*) ;; */*) plain=$(pwd)/$plain ;; esac
cd "$(dirname "$0")/.." || exit 2
if ! command -v mpirun >/dev/null 2>&1; then
    echo "FAIL mpirun is not installed (sh scripts/deps.sh mpi)"
    echo "0 passed, 1 failed"
    exit 1
fi
# Open MPI refuses to run as root without these; they change nothing for other users.
OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_ALLOW_RUN_AS_ROOT OMPI_ALLOW_RUN_AS_ROOT_CONFIRM
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cspsim-mpi.XXXXXX") || exit 2
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }
g=scenarios/studies/grace-experiment.yaml
limit=120 # seconds for one mpirun; the longest here takes a few

mpirun2() { # mpirun2 ARGS...: two ranks of the MPI build, ended by timeout(1) if it hangs
    timeout -k 10 $limit mpirun --oversubscribe -n 2 "$mpi" "$@"
}
same() { # same WHAT DIR1 DIR2
    if diff -r "$2" "$3" >"$tmp/diff.txt" 2>&1; then ok; else bad "$1: $2 and $3 differ: $(head -3 "$tmp/diff.txt")"; fi
}

# a whole sweep, charts and report included, and a shard
"$plain" sweep $g -o "$tmp/j1" --jobs 1 -q || bad "plain sweep --jobs 1 failed"
mpirun2 sweep $g -o "$tmp/m" -q >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 0 ] && ok || bad "mpirun -n 2 sweep: exit $rc, $(head -3 "$tmp/err")"
[ -s "$tmp/m/report.html" ] && [ -s "$tmp/m/charts/data_loss_licenses-means.dat" ] && ok ||
    bad "mpirun -n 2 sweep wrote no report or charts"
same "mpirun -n 2 vs --jobs 1" "$tmp/j1" "$tmp/m"
"$plain" sweep $g -o "$tmp/s1" --runs 7-19 --jobs 1 --no-charts -q || bad "plain shard 7-19 failed"
mpirun2 sweep $g -o "$tmp/s2" --runs 7-19 --no-charts -q 2>"$tmp/err" || bad "mpirun shard 7-19: $(head -3 "$tmp/err")"
same "shard 7-19 under mpirun" "$tmp/s1" "$tmp/s2"
# the MPI build without a launcher is the plain cspsim (threads)
"$mpi" sweep $g -o "$tmp/p" --jobs 2 -q || bad "MPI build outside mpirun failed"
same "MPI build outside mpirun" "$tmp/j1" "$tmp/p"

# a rank killed by its pid: the job ends, runs.csv keeps the finished runs, --resume completes
"$plain" sweep $g -o "$tmp/whole" --replications 500 --jobs 2 --no-charts -q || bad "sweep of 2000 runs failed"
timeout -k 10 $limit mpirun --oversubscribe -n 2 "$mpi" sweep $g -o "$tmp/k" --replications 500 --no-charts -q \
    >/dev/null 2>"$tmp/err" &
pid=$!
n=0
while [ "$(cat "$tmp/k/runs.csv" 2>/dev/null | wc -l)" -lt 50 ] && [ $n -lt 2000 ]; do
    sleep 0.01
    n=$((n + 1))
done
runner=$(ps -o pid= --ppid "$pid" 2>/dev/null | tr -d " " | head -1) # mpirun, under timeout
rank=
[ -n "$runner" ] && rank=$(ps -o pid= --ppid "$runner" 2>/dev/null | tr -d " " | tail -1)
if [ -n "$rank" ]; then
    kill $rank
    wait "$pid"
    rc=$?
    pid=
    rows=$(wc -l <"$tmp/k/runs.csv")
    [ $rc -ne 0 ] && [ $rc -ne 124 ] && ok || bad "mpirun with a killed rank: exit $rc (124: it hung)"
    [ "$rows" -lt 2001 ] && ok || bad "the sweep finished before its rank was killed ($rows rows)"
    mpirun2 sweep --resume "$tmp/k" --no-charts -q 2>"$tmp/err" || bad "resume under mpirun: $(head -3 "$tmp/err")"
    same "killed rank + resume" "$tmp/whole" "$tmp/k"
else
    bad "no rank of mpirun found to kill"
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    pid=
fi

# bad input is said once (ranks other than 0 print nothing), exit 2, nothing written
mpirun2 sweep $g --runs 5-20 -o "$tmp/bad" -q >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && [ "$(grep -c '^cspsim: --runs 5-20 is outside' "$tmp/err")" -eq 1 ] && [ ! -e "$tmp/bad" ] && ok ||
    bad "bad --runs under mpirun: exit $rc, $(grep -c '^cspsim:' "$tmp/err") cspsim lines, wrote $(ls "$tmp/bad" 2>/dev/null)"
# rank 0 cannot write its output before any run: the job ends (no rank left waiting)
: >"$tmp/file"
mpirun2 sweep $g -o "$tmp/file/d" -q >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 74 ] && grep -q "cannot create $tmp/file/d" "$tmp/err" && ok || bad "unwritable -o under mpirun: exit $rc (124: it hung)"
# other commands run once, on rank 0
mpirun2 --version >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 0 ] && [ "$(grep -c '^cspsim ' "$tmp/out")" -eq 1 ] && ok || bad "--version under mpirun: exit $rc, $(cat "$tmp/out")"
# run over ranks needs the population split: one line, exit 2, nothing written
mpirun2 run scenarios/demo.yaml -o "$tmp/run" -q >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && [ "$(grep -c '^cspsim: run over MPI ranks needs the population split' "$tmp/err")" -eq 1 ] &&
    [ "$(grep -c '^cspsim:' "$tmp/err")" -eq 1 ] && [ ! -e "$tmp/run" ] && ok ||
    bad "run under mpirun: exit $rc, $(grep '^cspsim:' "$tmp/err")"

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
