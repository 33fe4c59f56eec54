#!/bin/sh
# tests/step_pty.sh CSPSIM - `run --step` through a pseudo-terminal made by script(1)
# (util-linux): the introduction with the trainer notes, the state panel, the keys (Enter,
# n, b, j, ?, q), the colour of a data loss and NO_COLOR; and, without a terminal, the
# records printed straight through with no prompt and no colour. Prints one line per failed
# check, then "N passed, N failed"; without script(1) a visible SKIP (and exit 0).
set -u
CSPSIM=${1:?usage: tests/step_pty.sh CSPSIM}
cd "$(dirname "$0")/.." || exit 2
if ! command -v script >/dev/null 2>&1; then
    echo "SKIP tests/step_pty.sh: script(1) (util-linux) is not installed"
    exit 0
fi
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL $*"; }
has() { # description, fixed string, file
    if grep -qF -- "$2" "$3"; then ok; else no "$1"; fi
}
lacks() {
    if grep -qF -- "$2" "$3"; then no "$1"; else ok; fi
}
esc=$(printf '\033')
scenario=scenarios/training/expiry-and-grace.yaml

# KEYS typed into the terminal, the rest of the command line; output in $tmp/pty (no CRs)
on_pty() {
    keys=$1; shift
    printf "$keys" | timeout 60 script -qec "$*" /dev/null >"$tmp/raw" 2>&1
    rc=$?
    tr -d '\r' <"$tmp/raw" >"$tmp/pty"
}

on_pty '\nn\nb\nj 2025-03-20\n?\nq\n' env TERM=xterm NO_COLOR= "$CSPSIM" run "$scenario" --step --no-charts -o "$tmp/a"
[ "$rc" -eq 0 ] && ok || no "the stepped run exits 0 on a terminal (got $rc)"
has "the introduction names the scenario" "== expiry-and-grace ==" "$tmp/pty"
has "the description is shown" "Expiry, the 30-day grace period and data loss (SUB-4)" "$tmp/pty"
has "the trainer notes are shown" "Trainer notes:" "$tmp/pty"
has "the keys are listed" "keys: Enter next record, n next notable" "$tmp/pty"
has "the state panel follows the first record" "   states: fab-e3 active, fab-visio active" "$tmp/pty"
has "a prompt waits for a key" "step> " "$tmp/pty"
has "Enter shows the second record" "fab-visio  charged 150.00" "$tmp/pty"
has "n says what it passed" "(15 records passed)" "$tmp/pty"
has "n stops at the data loss, in colour" "${esc}[1;35m2025-03-31 00:00  fabrikam  fab-visio  DATA LOSS: 10 licenses" "$tmp/pty"
has "the panel at the data loss" "   states: fab-e3 deleted, fab-visio deleted, nw-e3 active" "$tmp/pty"
has "b goes back one" "fab-e3     deleted: data removed [disabled -> deleted] (SUB-4)" "$tmp/pty"
has "j jumps to the purchase" "2025-03-20 00:00  fabrikam  nw-e3      purchase via northwind accepted" "$tmp/pty"
has "the panel after the jump" "   states: fab-e3 expired, fab-visio expired, nw-e3 active" "$tmp/pty"
has "? repeats the keys" "b back one, q quit, ? help" "$tmp/pty"
has "q ends the walk and the run reports" "expiry-and-grace: 14 events, 19 records" "$tmp/pty"
[ -s "$tmp/a/trace.jsonl" ] && ok || no "the stepped run still writes its trace"

on_pty 'n\nq\n' env TERM=xterm NO_COLOR=1 "$CSPSIM" run "$scenario" --step --no-charts -o "$tmp/b"
[ "$rc" -eq 0 ] && ok || no "the NO_COLOR run exits 0 (got $rc)"
has "NO_COLOR still stops at the data loss" "DATA LOSS: 10 licenses" "$tmp/pty"
lacks "NO_COLOR: no colour" "${esc}[1;35m" "$tmp/pty"

on_pty '' env TERM=xterm "$CSPSIM" run "$scenario" --step --no-charts -o "$tmp/c"
[ "$rc" -eq 0 ] && ok || no "the end of the input ends the walk (got $rc)"

# no terminal: straight through, no prompt, no panel, no colour, the input never read
printf 'n\n' | "$CSPSIM" run "$scenario" --step --no-charts -o "$tmp/d" >"$tmp/plain" 2>&1
rc=$?
[ "$rc" -eq 0 ] && ok || no "the piped run exits 0 (got $rc)"
has "piped: the introduction" "== expiry-and-grace ==" "$tmp/plain"
has "piped: the data loss line" "fab-visio  DATA LOSS: 10 licenses (unreplaced) (SUB-12)" "$tmp/plain"
lacks "piped: no prompt" "step> " "$tmp/plain"
lacks "piped: no panel" "states:" "$tmp/plain"
lacks "piped: no colour" "$esc" "$tmp/plain"
n=$(grep -c '^2025-' "$tmp/plain")
[ "$n" -eq 19 ] && ok || no "piped: one line per record (19, got $n)"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
