#!/bin/sh
# tests/golden.sh CSPSIM [--update] - every scenario under scenarios/ has its trace stored as
# tests/golden/<path below scenarios/ without .yaml>.jsonl. Without --update the run's trace
# must equal it byte for byte (cspsim diff shows the differing records); with --update
# the stored traces are rewritten for review (git diff tests/golden). Ends with
# "N passed, N failed". Runs with --no-charts: only trace.jsonl is compared, and the trace
# does not depend on charts (rendering them took 11 s, the traces alone 0.3 s); check_charts compares
# the chart files with tests/golden-charts/.
set -u
CSPSIM=${1:?usage: tests/golden.sh CSPSIM [--update]}
update=${2:-}
cd "$(dirname "$0")/.." || exit 2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
for scenario in scenarios/*.yaml scenarios/*/*.yaml; do
    [ -f "$scenario" ] || continue
    rel=${scenario#scenarios/}
    golden=tests/golden/${rel%.yaml}.jsonl
    rm -rf "$tmp/out"
    if ! "$CSPSIM" run "$scenario" -o "$tmp/out" -q --no-charts; then
        echo "FAIL $scenario: did not run"
        fail=$((fail + 1))
        continue
    fi
    if [ "$update" = "--update" ]; then
        mkdir -p "$(dirname "$golden")"
        cp "$tmp/out/trace.jsonl" "$golden"
        pass=$((pass + 1))
    elif [ ! -f "$golden" ]; then
        echo "FAIL $scenario: no golden trace $golden (make golden-update, then review and commit it)"
        fail=$((fail + 1))
    elif cmp -s "$golden" "$tmp/out/trace.jsonl"; then
        pass=$((pass + 1))
    else
        echo "FAIL $scenario: trace differs from $golden"
        "$CSPSIM" diff "$golden" "$tmp/out/trace.jsonl" | sed 's/^/    /'
        fail=$((fail + 1))
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
