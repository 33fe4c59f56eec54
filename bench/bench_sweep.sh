#!/bin/sh
# bench/bench_sweep.sh CSPSIM - the sweep speedup of issue 13: a 24-run experiment (the
# grace-and-rebuy study at 50,000 tenants through --set, 2 graces x 12 replications) at
# --jobs 1 and --jobs 2, three times each, alternating: the best wall time of each with its
# CPU time, the speedup (best wall over best wall), and that all six wrote the same bytes.
# The best of three, because this machine's (virtual) cores are shared: single runs here
# varied from 1.6x to 2.2x while the CPU time stayed equal. A measurement, never a test: it
# fails only when a run fails or the outputs differ; the speedup means something only on a
# quiet machine (the load at the start is printed).
set -u
cspsim=${1:?usage: sh bench/bench_sweep.sh CSPSIM}
gtime=/usr/bin/time
[ -x "$gtime" ] || { echo "bench_sweep.sh: $gtime (GNU time) is missing: sh scripts/deps.sh bench" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cspsim-bench-sweep.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
f=$(dirname "$0")/../scenarios/studies/grace-and-rebuy.yaml
echo "sweep of 24 runs (grace-and-rebuy, 50,000 tenants), load at start: $(uptime | sed 's/.*load average: //')"
for i in 1 2 3; do
    for j in 1 2; do
        rm -rf "$tmp/j$j"
        "$gtime" -f '%e %U %S' -a -o "$tmp/time$j" "$cspsim" sweep "$f" --set population.smb.tenants=50000 \
            --replications 12 --jobs $j --no-charts -q -o "$tmp/j$j" ||
            { echo "bench_sweep.sh: the --jobs $j sweep failed" >&2; exit 1; }
    done
    diff -r "$tmp/j1" "$tmp/j2" >/dev/null || { echo "bench_sweep.sh: --jobs 1 and 2 differ" >&2; exit 1; }
done
read -r w1 u1 s1 <<EOT
$(sort -n "$tmp/time1" | head -1)
EOT
read -r w2 u2 s2 <<EOT
$(sort -n "$tmp/time2" | head -1)
EOT
awk -v w1="$w1" -v u1="$u1" -v s1="$s1" -v w2="$w2" -v u2="$u2" -v s2="$s2" 'BEGIN {
    printf "  best of 3, --jobs 1: %.2f s wall, %.2f s CPU\n", w1, u1 + s1
    printf "  best of 3, --jobs 2: %.2f s wall, %.2f s CPU\n", w2, u2 + s2
    printf "  speedup %.2fx (target 1.8x), same bytes\n", w1 / w2 }'
