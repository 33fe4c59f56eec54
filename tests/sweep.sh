#!/bin/sh
# tests/sweep.sh CSPSIM - experiments (cspsim sweep, merge): --jobs 1 and --jobs 2 write the
# same bytes; shards merged equal one sweep; a sweep killed by its pid and resumed equals
# one sweep; --replications works without an experiment section; bad input (unknown vary
# path, a value of the wrong type, replications 0 or past the limit, --runs outside the
# runs, shards of different seeds, a resume of another experiment) exits 2 with one line
# and writes nothing. Prints one line per failure, then `N passed, N failed`.
set -u
if [ $# -ne 1 ]; then
    echo "usage: sh tests/sweep.sh CSPSIM" >&2
    exit 2
fi
cspsim=$1
case $cspsim in /*) ;; */*) cspsim=$(pwd)/$cspsim ;; esac
cd "$(dirname "$0")/.." || exit 2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cspsim-sweep.XXXXXX") || exit 2
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }
g=scenarios/studies/grace-experiment.yaml

same() { # same WHAT DIR1 DIR2
    if diff -r "$2" "$3" >"$tmp/diff.txt" 2>&1; then ok; else bad "$1: $2 and $3 differ: $(head -3 "$tmp/diff.txt")"; fi
}

"$cspsim" sweep $g -o "$tmp/j1" --jobs 1 --no-charts -q || bad "sweep --jobs 1 failed"
"$cspsim" sweep $g -o "$tmp/j2" --jobs 2 --no-charts -q || bad "sweep --jobs 2 failed"
same "--jobs 1 vs 2" "$tmp/j1" "$tmp/j2"
# a population and a behaviour, generated and drawn in every worker thread at once
p=scenarios/studies/grace-and-rebuy.yaml
"$cspsim" sweep $p -o "$tmp/p1" --replications 4 --jobs 1 --no-charts -q || bad "population sweep --jobs 1 failed"
"$cspsim" sweep $p -o "$tmp/p2" --replications 4 --jobs 2 --no-charts -q || bad "population sweep --jobs 2 failed"
same "a population's sweep, --jobs 1 vs 2" "$tmp/p1" "$tmp/p2"
[ "$(wc -l <"$tmp/j1/runs.csv")" -eq 21 ] && ok || bad "runs.csv has not 20 runs and a header"
head -1 "$tmp/j1/runs.csv" | grep -qx 'run,point,rules.expired_grace,rules.disabled_retention,replication,seed,data_loss_licenses,billed,rejections,interruption_days,fingerprint' &&
    ok || bad "runs.csv header: $(head -1 "$tmp/j1/runs.csv")"
head -1 "$tmp/j1/points.csv" | grep -qx 'point,rules.expired_grace,rules.disabled_retention,outcome,n,mean,sd,ci95_low,ci95_high,min,p5,p50,p95,max,diff_mean,diff_ci95_low,diff_ci95_high' &&
    ok || bad "points.csv header: $(head -1 "$tmp/j1/points.csv")"
# the answer: 90, 70, 40, 40 licenses lost; point 0 has no difference, point 2 is 50 fewer
grep -q '^0,P15D,P0D,data_loss_licenses,5,90.0000,0.0000,90.0000,90.0000,.*,,,$' "$tmp/j1/points.csv" && ok ||
    bad "point 0's data loss: $(grep '^0,.*data_loss' "$tmp/j1/points.csv")"
grep -q '^2,P30D,P0D,data_loss_licenses,5,40.0000,.*,-50.0000,-50.0000,-50.0000$' "$tmp/j1/points.csv" && ok ||
    bad "point 2's difference: $(grep '^2,.*data_loss' "$tmp/j1/points.csv")"
# replication 0 of point 2 (P30D, P0D: the defaults the file keeps) is `cspsim run`: the same fingerprint
"$cspsim" run $g -o "$tmp/run" -q --no-charts
fp=$(sed -n 's/.*"fingerprint": "\([0-9a-f]*\)".*/\1/p' "$tmp/run/summary.json")
grep -q "^10,2,P30D,P0D,0,11,.*,$fp\$" "$tmp/j1/runs.csv" && ok || bad "run 10 is not cspsim run's fingerprint $fp"

# charts and report
"$cspsim" sweep $g -o "$tmp/c" --jobs 2 -q || bad "sweep with charts failed"
for f in report.html charts/data_loss_licenses-means.dat charts/data_loss_licenses-means.gp \
         charts/data_loss_licenses-hist.dat charts/billed-heat.dat; do
    [ -s "$tmp/c/$f" ] && ok || bad "no $f"
done
grep -q 'Significant differences' "$tmp/c/report.html" && grep -q 'if the Expired grace' "$tmp/c/report.html" && ok ||
    bad "report.html lacks the question or the differences"

# shards + merge = whole
"$cspsim" sweep $g -o "$tmp/s1" --runs 0-6 --jobs 2 -q || bad "shard 0-6 failed"
"$cspsim" sweep $g -o "$tmp/s2" --runs 7-19 --jobs 1 -q || bad "shard 7-19 failed"
[ ! -e "$tmp/s1/points.csv" ] && ok || bad "a shard wrote points.csv"
"$cspsim" merge "$tmp/s2" "$tmp/s1" -o "$tmp/m" --no-charts -q || bad "merge failed"
same "shards + merge" "$tmp/j1" "$tmp/m"
"$cspsim" merge "$tmp/s1" -o "$tmp/m1" -q 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q 'runs 7-19 are in no shard' "$tmp/err" && [ ! -e "$tmp/m1" ] && ok ||
    bad "merge of one shard: exit $rc, $(cat "$tmp/err")"
"$cspsim" sweep $g -o "$tmp/s3" --runs 7-19 --seed 12 -q
"$cspsim" merge "$tmp/s1" "$tmp/s3" -o "$tmp/m2" -q 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q 'seed 11 and seed 12' "$tmp/err" && [ ! -e "$tmp/m2" ] && ok ||
    bad "merge of different seeds: exit $rc, $(cat "$tmp/err")"

# resume after a kill (by pid) equals one sweep
"$cspsim" sweep $g -o "$tmp/whole" --replications 300 --jobs 1 --no-charts -q || bad "sweep of 160 runs failed"
"$cspsim" sweep $g -o "$tmp/k" --replications 300 --jobs 1 --no-charts -q &
pid=$!
n=0
while [ "$(cat "$tmp/k/runs.csv" 2>/dev/null | wc -l)" -lt 20 ] && [ $n -lt 2000 ]; do
    sleep 0.01
    n=$((n + 1))
done
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
pid=
rows=$(wc -l <"$tmp/k/runs.csv")
[ "$rows" -lt 1201 ] && ok || bad "the sweep finished before it was killed ($rows rows)"
printf '99,4,P15D,P0' >>"$tmp/k/runs.csv" # a row cut in the middle by the kill
"$cspsim" sweep --resume "$tmp/k" --jobs 2 --no-charts -q || bad "resume failed"
same "resume" "$tmp/whole" "$tmp/k"
"$cspsim" sweep scenarios/demo.yaml --resume "$tmp/k" -q 2>"$tmp/err"; rc=$?
[ $rc -eq 2 ] && grep -q 'sweep of another experiment' "$tmp/err" && ok || bad "resume of another: exit $rc, $(cat "$tmp/err")"

# without an experiment section only the seed varies
"$cspsim" sweep scenarios/demo.yaml -o "$tmp/d" --replications 3 --no-charts -q || bad "demo sweep failed"
[ "$(wc -l <"$tmp/d/runs.csv")" -eq 4 ] && [ "$(cut -d, -f2 "$tmp/d/runs.csv" | sort -u | tr '\n' ' ')" = "0 point " ] &&
    ok || bad "demo --replications 3: $(cat "$tmp/d/runs.csv")"

# bad input: exit 2, one line, nothing written
refuse() { # refuse WHAT PATTERN ARGS...
    what=$1 pat=$2
    shift 2
    rm -rf "$tmp/bad"
    "$cspsim" sweep "$@" -o "$tmp/bad" -q >"$tmp/out" 2>"$tmp/err"; rc=$?
    if [ $rc -eq 2 ] && grep -q -- "$pat" "$tmp/err" && [ ! -e "$tmp/bad" ]; then ok; else
        bad "$what: exit $rc, wrote $(ls "$tmp/bad" 2>/dev/null), said: $(head -2 "$tmp/err")"
    fi
}
mk() { # mk NAME EXPERIMENT-LINES: the grace scenario with another experiment section
    sed '/^experiment:/,$d' $g >"$tmp/$1.yaml"
    printf 'experiment:\n%s\n' "$2" >>"$tmp/$1.yaml"
}
mk unknown-path '  vary: {rules.expired_grase: [P15D]}'
refuse "unknown vary path" "expired_grase" "$tmp/unknown-path.yaml"
mk wrong-type '  vary: {rules.expired_grace: [P15D, 12]}'
refuse "wrong value type" "wrong-type.yaml:[0-9]*:[0-9]*: error" "$tmp/wrong-type.yaml"
mk zero '  replications: 0'
refuse "replications 0" "from 1 to 1000000" "$tmp/zero.yaml"
mk many '  replications: 1000001'
refuse "replications past the limit" "limit" "$tmp/many.yaml"
mk outcome '  outcomes: [data_loss, billed]'
refuse "unknown outcome" "unknown outcome 'data_loss'" "$tmp/outcome.yaml"
refuse "--replications 0" "--replications needs" $g --replications 0
refuse "--runs outside" "outside the runs of this sweep: 0-19" $g --runs 5-20

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
