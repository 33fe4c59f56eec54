#!/bin/sh
# tests/cli_outputs.sh CSPSIM - the CI-facing outputs of `cspsim test` (JUnit XML checked
# with xmllint, TAP, seed sweeps) and `cspsim run` (fingerprint, exit codes, nothing left
# behind), help and shell completion from the command table, and one-line usage errors.
# Prints one line per failed check, then "N passed, N skipped, N failed". A check
# whose tool (xmllint, gnuplot) is not on PATH prints a "SKIP:" line instead and appends it
# to $CSPSIM_SKIPS when that is set (make check counts them).
set -u
CSPSIM=${1:?usage: tests/cli_outputs.sh CSPSIM}
cd "$(dirname "$0")/.." || exit 2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0 skipped=0
ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL $*"; }
check() { # description, then a command that must succeed
    d=$1; shift
    if "$@" >/dev/null 2>&1; then ok; else no "$d"; fi
}
skip() { # description, missing tool
    skipped=$((skipped + 1))
    echo "SKIP: cli_outputs.sh: $1 ($2 not on PATH)"
    [ -z "${CSPSIM_SKIPS:-}" ] || echo "SKIP: cli_outputs.sh: $1 ($2 not on PATH)" >>"$CSPSIM_SKIPS"
}
have() { command -v "$1" >/dev/null 2>&1; }
have_xmllint=0 have_gnuplot=0
have xmllint && have_xmllint=1
have gnuplot && have_gnuplot=1
xml_check() { # description, file, xmllint options: well-formed (and valid, with --dtdvalid) XML
    d=$1 f=$2
    shift 2
    if [ $have_xmllint -eq 1 ]; then check "$d" xmllint --noout "$@" "$f"; else skip "$d" xmllint; fi
}

# JUnit: valid XML, one test case per expectation, the failure names its line
"$CSPSIM" test scenarios/rules/sub-2.yaml tests/fixtures/failing.yaml --seed 5 --junit "$tmp/j.xml" >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 1 ] && ok || no "test with a failing expectation exits 1 (got $rc)"
xml_check "junit is valid against tests/junit.dtd" "$tmp/j.xml" --dtdvalid tests/junit.dtd
n=$(grep -c '<testcase ' "$tmp/j.xml")
e=$(( $("$CSPSIM" test scenarios/rules/sub-2.yaml --tap | grep -c '^ok ') + 3 ))
[ "$n" -eq "$e" ] && ok || no "junit has one test case per expectation ($n, want $e)"
check "junit failure carries the expectation's line" grep -q 'tests/fixtures/failing.yaml:19: seed 5: expected s to hold 6 licenses' "$tmp/j.xml"
check "junit counts failures" grep -q '<testsuite name="tests/fixtures/failing.yaml (seed 5)" tests="3" failures="1" errors="0" skipped="0"' "$tmp/j.xml"
check "junit names the case by seed and line" grep -q 'name="seed 5, line 19: {at: 2025-01-15, subscription: s, licenses: 6}"' "$tmp/j.xml"

"$CSPSIM" test tests/bad/46-licenses-negative.yaml --junit "$tmp/jl.xml" >/dev/null 2>&1
rc=$?
[ $rc -eq 2 ] && ok || no "test of a file that does not load exits 2 (got $rc)"
xml_check "junit of a file that does not load is valid" "$tmp/jl.xml" --dtdvalid tests/junit.dtd
check "junit of a file that does not load is an error" grep -q '<testcase classname="tests/bad/46-licenses-negative.yaml" name="load">' "$tmp/jl.xml"

# TAP: a plan, ok and not ok lines
"$CSPSIM" test tests/fixtures/failing.yaml --seed 5 --tap >"$tmp/tap" 2>&1
check "tap has a version line" grep -q '^TAP version 13$' "$tmp/tap"
check "tap plans 3 tests" grep -q '^1\.\.3$' "$tmp/tap"
check "tap marks the failure" grep -q '^not ok 2 - tests/fixtures/failing.yaml:19' "$tmp/tap"
check "tap marks a success" grep -q '^ok 1 - tests/fixtures/failing.yaml:18' "$tmp/tap"

# seed sweep: the seed-dependent expectation fails for some seed, which is named
"$CSPSIM" test tests/fixtures/failing.yaml --seeds 1-20 >"$tmp/seeds" 2>&1
check "a sweep names the failing seed" grep -q 'failing.yaml:20: seed [0-9]*: expected exactly 1 matching records, saw 0' "$tmp/seeds"
check "a sweep lists every failing seed, capped" grep -q '^    failed for 17 of 20 seeds: 1, 2, 3, 4, 6, 7, 8, 10, 11, 12 and 7 more$' "$tmp/seeds"
check "a sweep lists a seed failing always" grep -q '^    failed for 20 of 20 seeds: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 10 more$' "$tmp/seeds"
"$CSPSIM" test tests/fixtures/failing.yaml --seeds 4-6 --tap --junit "$tmp/sweep.xml" >"$tmp/sweep.tap" 2>&1
xml_check "a sweep's junit is valid" "$tmp/sweep.xml" --dtdvalid tests/junit.dtd
n=$(grep -c '<testsuite name="tests/fixtures/failing.yaml (seed [4-6])" tests="3"' "$tmp/sweep.xml")
[ "$n" -eq 3 ] && ok || no "a sweep's junit has one suite per scenario and seed ($n, want 3)"
n=$(grep -c '<testcase ' "$tmp/sweep.xml")
[ "$n" -eq 9 ] && ok || no "a sweep's junit has one case per seed and expectation ($n, want 9)"
check "a sweep's junit totals the cases" grep -q '<testsuites name="cspsim" tests="9" failures="5" errors="0" skipped="0">' "$tmp/sweep.xml"
check "a sweep's tap plans every seed" grep -q '^1\.\.9$' "$tmp/sweep.tap"
check "a sweep's tap names the seed" grep -q '^not ok 8 - tests/fixtures/failing.yaml:19 (seed 6) ' "$tmp/sweep.tap"

# the demo's fingerprint is pinned to its seed 7: judged there, skipped (and said so) elsewhere
"$CSPSIM" test scenarios/demo.yaml --seeds 1-20 >"$tmp/demo-seeds" 2>&1 && ok || no "the demo holds for seeds 1-20"
check "the sweep says the fingerprint was skipped" grep -q '^  scenarios/demo.yaml:68: skipped for 19 of 20 seeds (pinned to seed 7)$' "$tmp/demo-seeds"
"$CSPSIM" test scenarios/demo.yaml --seed 8 --junit "$tmp/demo8.xml" --tap >"$tmp/demo8.tap" 2>&1 && ok || no "the demo holds for seed 8"
check "tap marks the skipped fingerprint" grep -q '^ok 12 - scenarios/demo.yaml:68 (seed 8) .* # SKIP pinned to seed 7$' "$tmp/demo8.tap"
check "junit marks the skipped fingerprint" grep -q '<skipped message="pinned to seed 7"/>' "$tmp/demo8.xml"
xml_check "junit with a skip is valid" "$tmp/demo8.xml" --dtdvalid tests/junit.dtd
"$CSPSIM" test scenarios/demo.yaml --seed 7 >"$tmp/demo7" 2>&1 && ok || no "the demo holds for seed 7"
check "under seed 7 the fingerprint is judged" sh -c "! grep -q skipped \"$tmp/demo7\""
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

# compare: two real runs' summaries; 0 against itself, 1 against a rule change, 0 within a
# large enough tolerance, 74 for a missing input; --json is JSON
sed 's/licenses: 10, term: P1Y, billing: monthly}$/licenses: 12, term: P1Y, billing: monthly}/' scenarios/demo.yaml >"$tmp/demo12.yaml"
"$CSPSIM" run "$tmp/demo12.yaml" -o "$tmp/demo12" -q --no-charts || no "the demo with 12 Visio licenses runs"
"$CSPSIM" compare "$tmp/demo" "$tmp/demo3/summary.json" >"$tmp/cmp.out" 2>&1 && ok || no "compare of a run with itself exits 0"
check "compare counts every figure the same" grep -q '^45 figures: 45 same, 0 within --tolerance 0, 0 beyond it' "$tmp/cmp.out"
"$CSPSIM" compare "$tmp/demo" "$tmp/demo12" >"$tmp/cmp.out" 2>&1
rc=$?
[ $rc -eq 1 ] && ok || no "compare against a changed run exits 1 (got $rc)"
check "compare shows the billed delta and change" grep -q '^\* total.billed  *38592.00  *38712.00  *+120.00  *+0.31%$' "$tmp/cmp.out"
"$CSPSIM" compare "$tmp/demo" "$tmp/demo12" --tolerance 0.01 >/dev/null 2>&1 && ok || no "compare --tolerance 0.01 exits 0"
"$CSPSIM" compare "$tmp/demo" "$tmp/demo12" --tolerance 0.001 >/dev/null 2>&1
rc=$?
[ $rc -eq 1 ] && ok || no "compare --tolerance 0.001 exits 1 for a 0.31% change (got $rc)"
"$CSPSIM" compare "$tmp/demo" "$tmp/missing" >/dev/null 2>&1
rc=$?
[ $rc -eq 74 ] && ok || no "compare of a missing input exits 74 (got $rc)"
"$CSPSIM" compare "$tmp/demo" "$tmp/demo12" --json >"$tmp/cmp.json" 2>&1
# a population's summary: figures per group (the tenants of each, their sums add up to the
# total), and no groups in a scenario without a population
"$CSPSIM" run scenarios/population/population-basic.yaml -o "$tmp/pop" -q --no-charts >/dev/null 2>&1 && ok ||
    no "the population scenario runs"
check "the summary names group smb with its 200 tenants" \
    sh -c "grep -A1 '\"group\": \"smb\"' \"$tmp/pop/summary.json\" | grep -q '\"tenants\": 200'"
check "the summary names group ea with its 20 tenants" \
    sh -c "grep -A1 '\"group\": \"ea\"' \"$tmp/pop/summary.json\" | grep -q '\"tenants\": 20'"
check "the demo's summary has no groups" sh -c "[ -f \"$tmp/demo/summary.json\" ] && ! grep -q '\"groups\"' \"$tmp/demo/summary.json\""
if have python3; then
    check "the groups' billed add up to the total" python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
assert abs(sum(g['billed'] for g in d['groups']) - d['total']['billed']) < 0.005
assert sum(g['tenants'] for g in d['groups']) == len(d['tenants'])" "$tmp/pop/summary.json"
else
    skip "the groups' billed add up to the total" python3
fi

# test --json: one document, the verdicts and the failing seeds of each expectation
"$CSPSIM" test scenarios/demo.yaml tests/fixtures/failing.yaml --seeds 1-3 --json >"$tmp/t.json" 2>&1
rc=$?
[ $rc -eq 1 ] && ok || no "test --json with a failing scenario exits 1 (got $rc)"
check "test --json gives the demo's verdict" grep -q '"path": "scenarios/demo.yaml", "verdict": "pass"' "$tmp/t.json"
check "test --json gives the failing verdict" grep -q '"path": "tests/fixtures/failing.yaml", "verdict": "fail"' "$tmp/t.json"
check "test --json counts failing seeds" grep -q '"failed_seeds": 3, "skipped_seeds": 0, "first_failing_seeds": \[1, 2, 3\]' "$tmp/t.json"
if have python3; then
    check "test --json is JSON" python3 -m json.tool "$tmp/t.json"
else
    skip "test --json is JSON" python3
fi
if have python3; then
    check "compare --json is JSON" python3 -m json.tool "$tmp/cmp.json"
else
    skip "compare --json is JSON" python3
fi
check "compare --json names the figure" grep -q '"figure": "total.billed", "a": 38592.00, "b": 38712.00, "delta": 120.00, "change_pct": 0.31, "status": "beyond"' "$tmp/cmp.json"

# run --golden: 1 on a difference, --update rewrites the stored trace (a directory's or a
# file), 74 when the golden cannot be read or an output cannot be written, 2 for --update alone
"$CSPSIM" run scenarios/demo.yaml -o "$tmp/g8" -q --seed 8 --golden "$tmp/demo" >"$tmp/g.out" 2>&1
rc=$?
[ $rc -eq 1 ] && ok || no "run --golden with another seed's trace exits 1 (got $rc)"
"$CSPSIM" run scenarios/demo.yaml -o "$tmp/g8" --seed 8 --golden "$tmp/demo" --update >"$tmp/g.out" 2>&1 && ok ||
    no "run --golden DIR --update exits 0"
check "--update says what it rewrote" grep -q "^updated $tmp/demo\$" "$tmp/g.out"
check "--update rewrote DIR/trace.jsonl" cmp -s "$tmp/g8/trace.jsonl" "$tmp/demo/trace.jsonl"
check "--update leaves no temporary file" sh -c "! ls -a \"$tmp/demo\" | grep -q tmp"
"$CSPSIM" run scenarios/demo.yaml -o "$tmp/g8b" -q --seed 8 --golden "$tmp/demo" >/dev/null && ok || no "after --update the same run matches (exit 0)"
"$CSPSIM" run scenarios/demo.yaml -o "$tmp/g7" -q --golden "$tmp/pinned.jsonl" --update && ok || no "--update creates a missing golden file"
check "--update wrote the golden file" cmp -s "$tmp/g7/trace.jsonl" "$tmp/pinned.jsonl"
"$CSPSIM" run scenarios/demo.yaml -o "$tmp/g7b" -q --golden "$tmp/pinned.jsonl" >/dev/null && ok || no "a run matches the golden file it wrote"
"$CSPSIM" run scenarios/demo.yaml -o "$tmp/g7c" -q --golden "$tmp/missing.jsonl" >/dev/null 2>&1
rc=$?
[ $rc -eq 74 ] && ok || no "run --golden of a missing trace exits 74 (got $rc)"
: >"$tmp/plain"
"$CSPSIM" run scenarios/demo.yaml -o "$tmp/plain/out" -q >/dev/null 2>"$tmp/io.err"
rc=$?
[ $rc -eq 74 ] && ok || no "run -o under a non-directory exits 74 (got $rc)"
check "the write failure names the folder" grep -q "cannot create $tmp/plain/out" "$tmp/io.err"
"$CSPSIM" run scenarios/demo.yaml -o "$tmp/g7d" -q --golden "$tmp/plain/trace.jsonl" --update >/dev/null 2>&1
rc=$?
[ $rc -eq 74 ] && ok || no "--update into a non-directory exits 74 (got $rc)"
"$CSPSIM" test scenarios/demo.yaml --junit "$tmp/plain/j.xml" >/dev/null 2>&1
rc=$?
[ $rc -eq 74 ] && ok || no "test --junit under a non-directory exits 74 (got $rc)"

# run writes charts (data, scripts, images) and a well-formed report.html
xml_check "report.html is well-formed" "$tmp/demo/report.html"
check "the demo's report shows no failure" grep -q '<strong>12 passed, 0 failed</strong> of 12' "$tmp/demo/report.html"
check "the demo's report has no FAIL row" sh -c "! grep -q 'class=\"fail\"' \"$tmp/demo/report.html\""
check "under another seed the report shows the fingerprint skipped" grep -q '<strong>11 passed, 0 failed, 1 skipped</strong>' "$tmp/demo2/report.html"
check "report.html names a rule with its text" grep -q '<abbr title="Cancel with a prorated refund' "$tmp/demo/report.html"
check "report.html shows the expectations" grep -q 'fingerprint: &quot;63bb\|fingerprint' "$tmp/demo/report.html"
for c in lifecycle tenant-count billing states; do
    check "chart $c data and script" test -s "$tmp/demo/charts/$c.dat" -a -s "$tmp/demo/charts/$c.gp"
    if [ $have_gnuplot -eq 1 ]; then
        check "chart $c rendered to PNG 1280x720" sh -c "od -An -tx1 -j16 -N8 \"$tmp/demo/charts/$c.png\" | tr -d ' \n' | grep -q '00000500000002d0'"
        check "chart $c rendered to SVG" grep -q '<svg' "$tmp/demo/charts/$c.svg"
    else
        skip "chart $c rendered to PNG and SVG" gnuplot
    fi
done
if [ $have_gnuplot -eq 1 ]; then
    check "report.html inlines the charts" grep -q '<svg' "$tmp/demo/report.html"
else
    skip "report.html inlines the charts" gnuplot
fi
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
cmds="run check test rules explain diff compare sweep merge trace help completion version"
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
    [ "$got" = "--seed --seeds --set" ] && ok || no "bash completes test's options (got '$got')"
    got=$(complete_bash completion "")
    [ "$got" = "bash zsh" ] && ok || no "bash completes completion's shells (got '$got')"
    got=$(complete_bash help di)
    [ "$got" = "diff" ] && ok || no "bash completes help's commands (got '$got')"
else
    skip "bash completion" bash
fi
if command -v zsh >/dev/null 2>&1; then
    check "the zsh script parses" zsh -n "$tmp/comp.zsh"
else
    skip "zsh -n of the zsh completion" zsh
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
usage_error "cspsim: --update needs --golden FILE (the trace it rewrites); see 'cspsim run --help'" run x.yaml --update
usage_error "cspsim: --seed needs a whole number from 0 to 2^63-1; see 'cspsim run --help'" run x.yaml --seed -1
usage_error "cspsim: --chart-rows needs a number from 1 to 1000; see 'cspsim run --help'" run x.yaml --chart-rows 1001
usage_error "cspsim: check needs at least one scenario file; see 'cspsim check --help'" check
usage_error "cspsim: --seeds needs a range A-B of whole numbers, A <= B, at most 100000 seeds; see 'cspsim test --help'" \
    test scenarios/demo.yaml --seeds 5-1
usage_error "cspsim: rules takes no arguments, or --coverage and scenario files; see 'cspsim rules --help'" rules x
usage_error "cspsim: unknown option '--verbose'; see 'cspsim explain --help'" explain --verbose
usage_error "cspsim: diff needs two traces (files or run directories); see 'cspsim diff --help'" diff a
usage_error "cspsim: compare needs two summaries or points (files, run or sweep directories); see 'cspsim compare --help'" compare a
usage_error "cspsim: --tolerance needs a number such as 0.01 (0 or more); see 'cspsim compare --help'" compare a b --tolerance -1
usage_error "cspsim: trace needs a trace.jsonl file or a run directory; see 'cspsim trace --help'" trace
usage_error "cspsim: completion needs a shell: bash or zsh; see 'cspsim completion --help'" completion
usage_error "cspsim: unknown shell 'fish' (bash or zsh); see 'cspsim completion --help'" completion fish

# --set: an unknown key is a one-line usage error naming the valid keys; a bad value is the
# loader's message under the override's name; both exit 2 and write nothing
params="relationship_request_expiry, ea_visibility_delay, cancel_window, cancel_backup, renewal_processing, expired_grace, disabled_retention, suspended_at_term_end, reduce_window, update_limit, trial_licenses, trial_term, tenant_subscription_limit, smb_seat_cap, ea_lookahead, ea_lookback, ea_processing_start, ea_processing, ea_late_processing, transfer_expiry"
usage_error "cspsim: --set expired_grac=P15D: unknown key 'expired_grac' (keys: seed, end, rules, population, behaviours, offers, partners, tenants; or a rule parameter: $params); see 'cspsim run --help'" \
    run scenarios/demo.yaml -o "$tmp/set-bad" --set expired_grac=P15D
usage_error "cspsim: --set rules.grace=P15D: unknown rule parameter 'grace' (parameters: $params); see 'cspsim test --help'" \
    test scenarios/demo.yaml --set rules.grace=P15D
usage_error "cspsim: --set needs KEY=VALUE; see 'cspsim run --help'" run scenarios/demo.yaml --set
"$CSPSIM" run scenarios/demo.yaml -o "$tmp/set-bad" --set expired_grace=P15X >"$tmp/sb.out" 2>"$tmp/sb.err"
rc=$?
[ $rc -eq 2 ] && [ ! -e "$tmp/set-bad" ] && [ ! -s "$tmp/sb.out" ] &&
    [ "$(cat "$tmp/sb.err")" = "--set expired_grace=P15X: error: expired_grace 'P15X' is not a duration (P30D, PT168H, P1M, 30d, 168h, 90min, 45s, 2w)" ] &&
    ok || no "run --set expired_grace=P15X names the override and exits 2 (got $rc: $(cat "$tmp/sb.err"))"
"$CSPSIM" test scenarios/demo.yaml --set 'cancel_window={dist: fixed, value: 1d}' >"$tmp/sb.out" 2>"$tmp/sb.err"
rc=$?
[ $rc -eq 2 ] && grep -qx -- "--set cancel_window={dist: fixed, value: 1d}: error: cancel_window must be a single value, not a mapping" "$tmp/sb.err" &&
    ok || no "test --set with a bad value exits 2 naming it (got $rc: $(cat "$tmp/sb.err"))"
# --set changes the run, is listed in summary.json and report.html; without it nothing changes
"$CSPSIM" run scenarios/demo.yaml -o "$tmp/set-none" --no-charts --quiet
"$CSPSIM" run scenarios/demo.yaml -o "$tmp/set-on" --no-charts --quiet --set expired_grace=P5D --set seed=3 \
    --set expired_grace=P10D
if grep -q '"overrides"' "$tmp/set-none/summary.json" || grep -q 'overrides:' "$tmp/set-none/report.html"; then
    no "a run without --set mentions overrides"
else ok; fi
tr -d ' \n' <"$tmp/set-on/summary.json" | grep -q '"seed":3,"overrides":{"seed":"3","rules.expired_grace":"P10D"},' &&
    ok || no "summary.json lists the overrides in command-line order, the later value winning"
grep -q '<p class="meta">overrides: <code>seed=3</code>, <code>rules.expired_grace=P10D</code></p>' "$tmp/set-on/report.html" &&
    ok || no "report.html shows the overrides under the title"
cmp -s "$tmp/set-none/trace.jsonl" "$tmp/set-on/trace.jsonl" && no "--set expired_grace=P10D changed nothing" || ok

echo "$pass passed, $skipped skipped, $fail failed"
[ "$fail" -eq 0 ]
