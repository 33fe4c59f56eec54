#!/bin/sh
# tests/determinism.sh SEEDS CSPSIM... - every scenario under seeds 1..SEEDS, run by each
# given build of cspsim (e.g. -O0, -O2, sanitizers, another compiler): every output file
# must be byte-identical across builds. Charts are skipped here (4 gnuplot runs per run
# would cost minutes); check_charts golden-tests their bytes. Prints one line per
# difference, then "N passed, N failed" (one check per scenario and seed).
set -u
seeds=${1:?usage: tests/determinism.sh SEEDS CSPSIM...}
shift
[ $# -ge 2 ] || { echo "usage: tests/determinism.sh SEEDS CSPSIM CSPSIM..." >&2; exit 2; }
cd "$(dirname "$0")/.." || exit 2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
for scenario in scenarios/*.yaml scenarios/*/*.yaml; do
    [ -f "$scenario" ] || continue
    s=1
    while [ "$s" -le "$seeds" ]; do
        b=0 same=1
        for bin in "$@"; do
            b=$((b + 1))
            if ! "$bin" run "$scenario" --seed "$s" -o "$tmp/$b" -q --no-charts 2>"$tmp/err"; then
                echo "FAIL $scenario seed $s: $bin did not run: $(head -1 "$tmp/err")"
                same=0
            elif [ "$b" -gt 1 ]; then
                for f in trace.jsonl trace.csv timeline.txt summary.json report.html; do
                    if ! cmp -s "$tmp/1/$f" "$tmp/$b/$f"; then
                        echo "FAIL $scenario seed $s: $f differs between $1 and $bin"
                        same=0
                    fi
                done
            fi
        done
        if [ "$same" -eq 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
        rm -rf "$tmp"/[0-9]*
        s=$((s + 1))
    done
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
