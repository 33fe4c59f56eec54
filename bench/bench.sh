#!/bin/sh
# bench/bench.sh CSPSIM - the performance table of issue 14: `CSPSIM run` on the reference
# workload (bench/reference*.yaml: tenants x 10 subscriptions x 3 years) at 100,000 and
# 1,000,000 tenants with `--trace none` (summary, series and charts written), then the same
# workload in SimPy 2 (bench/peer/) on fewer tenants, and prints one table: events, events/s,
# ns/event, peak RSS, bytes per subscription, the --jobs 2 speedup, SimPy's time per
# subscription and the ratio. A measurement, never a test: it fails only when a run fails.
#
# The workload is bench/reference-behaviour.yaml (with the 3% cancel behaviour) when CSPSIM
# accepts it, else bench/reference.yaml, and the peer follows (--cancel-p 0.03 or 0). The
# tenant count is changed in a copy of the file (a build with --set could say
# `--set population.ref.tenants=N`; the copy works with every build).
# Events are cspsim's own count (summary.json "events", the count `run` prints); per
# subscription means per subscription created at the start (series.csv's first day). Rates
# use CPU time (user + sys, from GNU time), so that a shared machine's load changes them less
# than wall time; wall is shown beside. The --jobs 2 speedup is wall over wall, and the two
# runs must give the same fingerprint.
#
# Environment: BENCH_QUICK=1 runs 100,000 tenants only and the peer at 1,000; the 1,000,000
# run is skipped when 10 x the 100,000 run's CPU time exceeds BENCH_BUDGET seconds (default
# 600, to keep `make bench` near 10 minutes) unless BENCH_FULL=1; BENCH_PEER_TENANTS sets the
# peer's tenants (default 10,000). Exit 1 when a run fails, 2 on a usage error.
set -u
if [ $# -ne 1 ]; then
    echo "usage: sh bench/bench.sh CSPSIM" >&2
    exit 2
fi
cspsim=$1
here=$(dirname "$0")
quick=${BENCH_QUICK:-0}
full=${BENCH_FULL:-0}
budget=${BENCH_BUDGET:-600}
if [ "$quick" = 1 ]; then peer_tenants=${BENCH_PEER_TENANTS:-1000}; else peer_tenants=${BENCH_PEER_TENANTS:-10000}; fi
python=/usr/bin/python3
gtime=/usr/bin/time
[ -x "$gtime" ] || { echo "bench.sh: $gtime (GNU time) is missing: sh scripts/deps.sh bench" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cspsim-bench.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

# The behaviour file must be the reference plus its behaviours: compare from `start:` on.
sed -n '/^start:/,$p' "$here/reference.yaml" > "$tmp/ref.tail"
sed -n '/^start:/,/^behaviours:/p' "$here/reference-behaviour.yaml" | sed '$d' > "$tmp/refb.tail"
if ! cmp -s "$tmp/ref.tail" "$tmp/refb.tail"; then
    echo "bench.sh: bench/reference-behaviour.yaml no longer equals bench/reference.yaml before behaviours:" >&2
    exit 1
fi
if "$cspsim" check "$here/reference-behaviour.yaml" >/dev/null 2>&1; then
    ref=$here/reference-behaviour.yaml cancel_p=0.03 what="reference-behaviour.yaml (3% of renewals cancelled)"
else
    ref=$here/reference.yaml cancel_p=0 what="reference.yaml (no cancels: this build has no behaviours:)"
fi
has_jobs=0
"$cspsim" run --help 2>&1 | grep -q -- '--jobs' && has_jobs=1

echo "cspsim bench (issue 14): $what"
echo "machine: $(uname -m), $(nproc) cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)"
echo "load at start: $(uptime | sed 's/.*load average: //')"

# variant N: the workload file with N tenants, printed as its path
variant() {
    f=$tmp/ref-$1.yaml
    sed "s/^    tenants: 1000000\$/    tenants: $1/" "$ref" > "$f"
    grep -q "^    tenants: $1\$" "$f" || { echo "bench.sh: no 'tenants: 1000000' line in $ref" >&2; exit 1; }
    echo "$f"
}

# run N JOBS: one timed run; sets wall cpu rss_kb events subs fp
run() {
    f=$(variant "$1") || exit 1
    out=$tmp/out-$1-$2
    jobs=""
    [ "$2" != 0 ] && jobs="--jobs $2"
    # shellcheck disable=SC2086
    if ! "$gtime" -f '%e %U %S %M' -o "$tmp/time" "$cspsim" run "$f" --trace none -q -o "$out" $jobs \
        > "$tmp/log" 2>&1; then
        echo "bench.sh: cspsim run failed on $1 tenants:" >&2
        cat "$tmp/log" >&2
        exit 1
    fi
    read -r wall user sys rss_kb < "$tmp/time"
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
    events=$(sed -n 's/^  "events": \([0-9]*\),$/\1/p' "$out/summary.json")
    fp=$(sed -n 's/^  "fingerprint": "\([0-9a-f]*\)",$/\1/p' "$out/summary.json")
    # subscriptions at the start: the states of series.csv's first day (columns 2..9)
    subs=$(awk -F, 'NR == 2 { for (i = 2; i <= 9; i++) n += $i; print n }' "$out/series.csv")
    rm -rf "$out"
    if [ -z "$events" ] || [ -z "$subs" ]; then
        echo "bench.sh: no events or series in the run's output" >&2
        exit 1
    fi
}

rows=$tmp/rows
: > "$rows"
# row LABEL: a table row from the last run's figures, and JOBS2 (text)
row() {
    awk -v l="$1" -v e="$events" -v c="$cpu" -v w="$wall" -v r="$rss_kb" -v n="$subs" -v j="$2" 'BEGIN {
        printf "%-18s %12d %8.1f %8.1f %12.0f %8.0f %9.1f %9.1f  %s\n", l, e, w, c, e / c, c * 1e9 / e,
            r / 1024, r * 1024 / n, j }' >> "$rows"
}

jobs2() {
    if [ "$has_jobs" = 0 ]; then
        echo "n/a (run --jobs not built yet)"
        return
    fi
    run "$1" 1; w1=$wall f1=$fp
    run "$1" 2; w2=$wall f2=$fp
    if [ "$f1" != "$f2" ]; then
        echo "DIFFERENT bytes ($f1 vs $f2)"
    else
        awk -v a="$w1" -v b="$w2" 'BEGIN { printf "%.2fx\n", a / b }'
    fi
}

run 100000 0
cpu100k=$cpu sub100k=$subs
j=$(jobs2 100000) || exit 1 # in a subshell: the figures of the run above still stand
row "100,000 tenants" "$j"
cpu_ref=$cpu100k sub_ref=$sub100k ref_label="100,000"
if [ "$quick" = 1 ]; then
    echo "1,000,000 tenants  not run (BENCH_QUICK=1)" >> "$rows"
else
    projected=$(awk -v c="$cpu100k" 'BEGIN { printf "%.0f", c * 10 }')
    if [ "$full" = 1 ] || [ "$projected" -le "$budget" ]; then
        run 1000000 0
        j=$(jobs2 1000000) || exit 1
        row "1,000,000 tenants" "$j"
        cpu_ref=$cpu sub_ref=$subs ref_label="1,000,000"
    else
        echo "1,000,000 tenants  skipped: projected ~${projected} s CPU > BENCH_BUDGET=${budget} s (BENCH_FULL=1 runs it)" >> "$rows"
    fi
fi

echo
printf "%-18s %12s %8s %8s %12s %8s %9s %9s  %s\n" workload events "wall s" "cpu s" "events/s" ns/event \
    "RSS MiB" "B/sub" "jobs-2 speedup"
cat "$rows"

echo
if ! "$python" -c 'import SimPy.Simulation' 2>/dev/null; then
    echo "SKIP: SimPy peer (python3-simpy missing for $python: sh scripts/deps.sh bench)"
else
    if ! "$gtime" -f '%e %U %S %M' -o "$tmp/time" "$python" "$here/peer/reference_simpy.py" \
        --tenants "$peer_tenants" --cancel-p "$cancel_p" > "$tmp/peer" 2>&1; then
        echo "bench.sh: the SimPy peer failed:" >&2
        cat "$tmp/peer" >&2
        exit 1
    fi
    read -r pwall puser psys prss < "$tmp/time"
    psubs=$(sed -n 's/.* subscriptions=\([0-9]*\) .*/\1/p' "$tmp/peer")
    precs=$(sed -n 's/.* records=\([0-9]*\) .*/\1/p' "$tmp/peer")
    awk -v t="$peer_tenants" -v n="$psubs" -v rc="$precs" -v w="$pwall" -v u="$puser" -v s="$psys" \
        -v r="$prss" -v c="$cpu_ref" -v m="$sub_ref" -v l="$ref_label" 'BEGIN {
        pc = u + s
        printf "SimPy 2.3.1 peer   %d tenants, %d subscriptions, %d records, %.1f s wall, %.1f s cpu, %.0f MiB\n", t, n, rc, w, pc, r / 1024
        printf "per subscription   SimPy %.1f us, cspsim %.1f us (%s tenants): cspsim %.1fx faster\n",
            pc * 1e6 / n, c * 1e6 / m, l, (pc / n) / (c / m) }'
fi
echo "load at end: $(uptime | sed 's/.*load average: //')"
