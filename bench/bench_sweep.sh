#!/bin/sh
# bench/bench_sweep.sh CSPSIM - a 24-run experiment (tenant-limit-move, 24 replications) at
# --jobs 1 and --jobs 2: the wall times, the speedup, and that both wrote the same bytes.
set -u
cspsim=${1:?usage: sh bench/bench_sweep.sh CSPSIM}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cspsim-bench-sweep.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
f=scenarios/studies/tenant-limit-move.yaml
now() { date +%s.%N; }
t0=$(now); "$cspsim" sweep $f --replications 24 --jobs 1 --no-charts -q -o "$tmp/j1" || exit 1
t1=$(now); "$cspsim" sweep $f --replications 24 --jobs 2 --no-charts -q -o "$tmp/j2" || exit 1
t2=$(now)
diff -r "$tmp/j1" "$tmp/j2" >/dev/null || { echo "bench_sweep: --jobs 1 and 2 differ" >&2; exit 1; }
awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { j1 = b - a; j2 = c - b;
    printf "sweep of 24 runs: --jobs 1 %.2f s, --jobs 2 %.2f s, speedup %.2fx (same bytes)\n", j1, j2, j1 / j2 }'
