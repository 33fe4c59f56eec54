#!/bin/sh
# tests/bad_inputs.sh CSPSIM - the bad-input corpus: every tests/bad/NN-name.yaml holds one
# defect, and tests/bad/NN-name.expected the exact first line cspsim must print for it
# (FILE:LINE:COLUMN: error: MESSAGE, FILE as tests/bad/NN-name.yaml).
#
# For each file, both `CSPSIM check FILE` and `CSPSIM run FILE -o TMP/out` must exit 2,
# print the expected line first on stderr, and `run` must write nothing (TMP/out must not
# exist afterwards). Prints one line per failed file, then `N passed, N failed`; exits 1
# when any failed (2 on a usage error). Runs from any directory: it changes to the
# repository root, so the paths in the messages are tests/bad/....
set -u

if [ $# -ne 1 ]; then
    echo "usage: sh tests/bad_inputs.sh CSPSIM" >&2
    exit 2
fi
cspsim=$1
case $cspsim in
/*) ;;
*/*) cspsim=$(pwd)/$cspsim ;;
esac
here=$(dirname "$0")
cd "$here/.." || exit 2
if [ ! -x "$cspsim" ] && ! command -v "$cspsim" >/dev/null 2>&1; then
    echo "bad_inputs.sh: $1 is not an executable" >&2
    exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cspsim-bad.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

passed=0
failed=0
for f in tests/bad/*.yaml; do
    if [ ! -f "$f" ]; then
        echo "FAIL tests/bad: no *.yaml files"
        failed=$((failed + 1))
        break
    fi
    exp=${f%.yaml}.expected
    why=
    if [ ! -f "$exp" ]; then
        why="no ${exp##*/}"
        want=
    else
        want=$(head -n 1 "$exp")
    fi

    "$cspsim" check "$f" >"$tmp/check.out" 2>"$tmp/check.err"
    rc=$?
    [ $rc -eq 2 ] || why="${why:+$why; }check exited $rc, not 2"
    got=$(head -n 1 "$tmp/check.err")
    [ -z "$want" ] || [ "$got" = "$want" ] || why="${why:+$why; }check printed '$got'"

    rm -rf "$tmp/out"
    "$cspsim" run "$f" -o "$tmp/out" >"$tmp/run.out" 2>"$tmp/run.err"
    rc=$?
    [ $rc -eq 2 ] || why="${why:+$why; }run exited $rc, not 2"
    got=$(head -n 1 "$tmp/run.err")
    [ -z "$want" ] || [ "$got" = "$want" ] || why="${why:+$why; }run printed '$got'"
    [ ! -e "$tmp/out" ] || why="${why:+$why; }run wrote $tmp/out"

    if [ -n "$why" ]; then
        [ -z "$want" ] || why="$why (expected '$want')"
        echo "FAIL $f: $why"
        failed=$((failed + 1))
    else
        passed=$((passed + 1))
    fi
done

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
