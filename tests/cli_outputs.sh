#!/bin/sh
# tests/cli_outputs.sh CSPSIM - the CI-facing outputs of `cspsim test` (JUnit XML checked
# with xmllint, TAP, seed sweeps) and `cspsim run` (fingerprint, exit codes, nothing left
# behind), help and shell completion from the command table, and one-line usage errors. Prints one line per failed check, then "N passed, N failed".
set -u
CSPSIM=${1:?usage: tests/cli_outputs.sh CSPSIM}
cd "$(dirname "$0")/.." || exit 2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL $*"; }
check() { # description, then a command that must succeed
    d=$1; shift
    if "$@" >/dev/null 2>&1; then ok; else no "$d"; fi
}

# JUnit: valid XML, one test case per expectation, the failure names its line
"$CSPSIM" test scenarios/rules/sub-2.yaml tests/fixtures/failing.yaml --seed 2 --junit "$tmp/j.xml" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 1 ] && ok || no "test with a failing expectation exits 1 (got $rc)"
check "junit is well-formed XML" xmllint --noout "$tmp/j.xml"
n=$(grep -c '<testcase ' "$tmp/j.xml")
e=$(( $("$CSPSIM" test scenarios/rules/sub-2.yaml --tap | grep -c '^ok ') + 3 ))
[ "$n" -eq "$e" ] && ok || no "junit has one test case per expectation ($n, want $e)"
check "junit failure carries the expectation's line" grep -q 'tests/fixtures/failing.yaml:19: seed 2: expected s to hold 6 licenses' "$tmp/j.xml"
check "junit counts failures" grep -q '<testsuite name="tests/fixtures/failing.yaml" tests="3" failures="1"' "$tmp/j.xml"

# TAP: a plan, ok and not ok lines
"$CSPSIM" test tests/fixtures/failing.yaml --seed 2 --tap >"$tmp/tap" 2>&1
check "tap has a version line" grep -q '^TAP version 13$' "$tmp/tap"
check "tap plans 3 tests" grep -q '^1\.\.3$' "$tmp/tap"
check "tap marks the failure" grep -q '^not ok 2 - tests/fixtures/failing.yaml:19' "$tmp/tap"
check "tap marks a success" grep -q '^ok 1 - tests/fixtures/failing.yaml:18' "$tmp/tap"

# seed sweep: the seed-dependent expectation fails for some seed, which is named
"$CSPSIM" test tests/fixtures/failing.yaml --seeds 1-20 >"$tmp/seeds" 2>&1
check "a sweep names the failing seed" grep -q 'failing.yaml:20: seed [0-9]*: expected exactly 1 matching records, saw 0' "$tmp/seeds"
"$CSPSIM" test scenarios/rules/*.yaml --seeds 1-3 >"$tmp/all" 2>&1 && ok || no "rule scenarios hold for seeds 1-3"
check "bad seed range refused" sh -c "! \"$CSPSIM\" test scenarios/demo.yaml --seeds 5-1"

# run: fingerprint printed, stored, and recomputable from the bytes of trace.jsonl
"$CSPSIM" run scenarios/demo.yaml -o "$tmp/demo" >"$tmp/run" 2>&1 || no "demo runs"
fp=$(awk '/^fingerprint/{print $2}' "$tmp/run")
check "fingerprint in summary.json" grep -q "\"fingerprint\": \"$fp\"" "$tmp/demo/summary.json"
check "no temporary files left" sh -c "! ls -a \"$tmp/demo\" | grep -q tmp"
"$CSPSIM" run scenarios/demo.yaml -o "$tmp/demo2" --seed 8 >"$tmp/run2" 2>&1
fp2=$(awk '/^fingerprint/{print $2}' "$tmp/run2")
[ -n "$fp" ] && [ "$fp" != "$fp2" ] && ok || no "another seed gives another fingerprint"
"$CSPSIM" run scenarios/demo.yaml -o "$tmp/demo3" --check-invariants >/dev/null 2>&1 && ok || no "demo holds its invariants"
cmp -s "$tmp/demo/trace.jsonl" "$tmp/demo3/trace.jsonl" && ok || no "same seed, same bytes"

# run writes charts (data, scripts, images) and a well-formed report.html
check "report.html is well-formed" xmllint --noout "$tmp/demo/report.html"
check "report.html names a rule with its text" grep -q '<abbr title="Cancel with a prorated refund' "$tmp/demo/report.html"
check "report.html shows the expectations" grep -q 'fingerprint: &quot;63bb\|fingerprint' "$tmp/demo/report.html"
for c in lifecycle tenant-count billing states; do
    check "chart $c data and script" test -s "$tmp/demo/charts/$c.dat" -a -s "$tmp/demo/charts/$c.gp"
    if command -v gnuplot >/dev/null 2>&1; then
        check "chart $c rendered to PNG 1280x720" sh -c "od -An -tx1 -j16 -N8 \"$tmp/demo/charts/$c.png\" | tr -d ' \n' | grep -q '00000500000002d0'"
        check "chart $c rendered to SVG" grep -q '<svg' "$tmp/demo/charts/$c.svg"
    fi
done
check "report.html inlines the charts" grep -q '<svg' "$tmp/demo/report.html"
"$CSPSIM" run scenarios/demo.yaml -o "$tmp/nocharts" -q --no-charts && ok || no "--no-charts runs"
check "--no-charts writes no charts" test ! -e "$tmp/nocharts/charts"
PATH=/nonexistent "$CSPSIM" run scenarios/demo.yaml -o "$tmp/nognuplot" -q >"$tmp/ng" 2>&1 && ok || no "a run without gnuplot still succeeds"
check "without gnuplot one line says how to render" grep -q 'gnuplot not found' "$tmp/ng"
check "without gnuplot the scripts are written" test -s "$tmp/nognuplot/charts/lifecycle.gp"

# the timeline's totals name double billing where it happened, and only there
"$CSPSIM" run scenarios/studies/ea-manual-path.yaml -o "$tmp/mp" -q --no-charts && ok || no "the manual-path study runs"
check "totals give a tenant's double billing days" grep -q '^t-early: .*, double billing 45 days$' "$tmp/mp/timeline.txt"
check "the report names the double billing" grep -q 'double billing 45 days' "$tmp/mp/report.html"
check "totals say nothing of double billing where there was none" sh -c "! grep -q '^t-aligned: .*double billing' \"$tmp/mp/timeline.txt\""

# help and completion come from one command table: every command is in the overview, has
# its help both ways, and is completed by both scripts; bash completes for real
cmds="run check test rules explain diff trace help completion version"
"$CSPSIM" --help >"$tmp/help" 2>&1 && ok || no "--help exits 0"
for c in $cmds; do
    check "the overview lists $c" grep -q "^  $c  *[a-z]" "$tmp/help"
    "$CSPSIM" help "$c" >"$tmp/h1" 2>&1 && "$CSPSIM" "$c" --help >"$tmp/h2" 2>&1 && ok || no "help $c exits 0"
    check "help $c is cspsim $c --help" cmp -s "$tmp/h1" "$tmp/h2"
    check "help $c is a usage" grep -q "^usage: cspsim $c" "$tmp/h1"
done
"$CSPSIM" completion bash >"$tmp/comp.bash" 2>&1 && ok || no "completion bash exits 0"
"$CSPSIM" completion zsh >"$tmp/comp.zsh" 2>&1 && ok || no "completion zsh exits 0"
for c in $cmds; do
    check "the bash script names $c" grep -q "^        $c) " "$tmp/comp.bash"
    check "the zsh script names $c" grep -q "^        '$c:" "$tmp/comp.zsh"
    check "the zsh script completes the options of $c" grep -q "^    $c) opts=(" "$tmp/comp.zsh"
done
complete_bash() { # the words bash completes after: cspsim WORD...
    bash -c '. "$1"; shift; COMP_WORDS=(cspsim "$@"); COMP_CWORD=$(($# )); _cspsim; echo "${COMPREPLY[*]}"' \
        sh "$tmp/comp.bash" "$@"
}
if command -v bash >/dev/null 2>&1; then
    check "the bash script parses" bash -n "$tmp/comp.bash"
    got=$(complete_bash "")
    [ "$got" = "$cmds -h --help --version" ] && ok || no "bash completes the commands (got '$got')"
    got=$(complete_bash run x.yaml --ch)
    [ "$got" = "--check-invariants --chart-rows --chart-timeout --chart-tenant --chart-subscription" ] && ok ||
        no "bash completes run's options (got '$got')"
    got=$(complete_bash test --se)
    [ "$got" = "--seed --seeds" ] && ok || no "bash completes test's options (got '$got')"
    got=$(complete_bash completion "")
    [ "$got" = "bash zsh" ] && ok || no "bash completes completion's shells (got '$got')"
    got=$(complete_bash help di)
    [ "$got" = "diff" ] && ok || no "bash completes help's commands (got '$got')"
else
    echo "SKIP bash completion: no bash"
fi
if command -v zsh >/dev/null 2>&1; then
    check "the zsh script parses" zsh -n "$tmp/comp.zsh"
else
    echo "SKIP zsh -n of the zsh completion: no zsh"
fi

# a wrong command line: one line naming the problem and the help to read, exit 2
usage_error() { # expected line, then the arguments
    want=$1; shift
    "$CSPSIM" "$@" >"$tmp/ue.out" 2>"$tmp/ue.err"
    rc=$?
    [ $rc -eq 2 ] && [ ! -s "$tmp/ue.out" ] && [ "$(cat "$tmp/ue.err")" = "$want" ] && ok ||
        no "cspsim $* prints '$want' and exits 2 (got $rc: $(cat "$tmp/ue.err"))"
}
usage_error "cspsim: no command given; see 'cspsim --help'"
usage_error "cspsim: unknown command 'frob'; see 'cspsim --help'" frob
usage_error "cspsim: unknown command 'frob'; see 'cspsim --help'" help frob
usage_error "cspsim: unknown option '--bogus'; see 'cspsim run --help'" run scenarios/demo.yaml --bogus
usage_error "cspsim: run needs a scenario file; see 'cspsim run --help'" run
usage_error "cspsim: --seed needs a whole number from 0 to 2^63-1; see 'cspsim run --help'" run x.yaml --seed -1
usage_error "cspsim: --chart-rows needs a number from 1 to 1000; see 'cspsim run --help'" run x.yaml --chart-rows 1001
usage_error "cspsim: check needs at least one scenario file; see 'cspsim check --help'" check
usage_error "cspsim: --seeds needs a range A-B of whole numbers, A <= B, at most 100000 seeds; see 'cspsim test --help'" \
    test scenarios/demo.yaml --seeds 5-1
usage_error "cspsim: rules takes no arguments, or --coverage and scenario files; see 'cspsim rules --help'" rules x
usage_error "cspsim: unknown option '--verbose'; see 'cspsim explain --help'" explain --verbose
usage_error "cspsim: diff needs two traces (files or run directories); see 'cspsim diff --help'" diff a
usage_error "cspsim: trace needs a trace.jsonl file or a run directory; see 'cspsim trace --help'" trace
usage_error "cspsim: completion needs a shell: bash or zsh; see 'cspsim completion --help'" completion
usage_error "cspsim: unknown shell 'fish' (bash or zsh); see 'cspsim completion --help'" completion fish

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
