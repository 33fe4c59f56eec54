# tests/sanitizer.sh - sourced by the fault build's scripts (tests/fault_loop.sh,
# tests/breach.sh): the sanitizers' options (leaks checked, distinct exit codes) and
# sanitizer_clean NAME, which fails the case through the caller's bad() when the last run's
# stderr ($tmp/err) holds a sanitizer report.
export ASAN_OPTIONS=detect_leaks=1:exitcode=86 UBSAN_OPTIONS=exitcode=87:print_stacktrace=1

sanitizer_clean() {
    if grep -qE 'Sanitizer|runtime error:' "$tmp/err"; then
        bad "$1: sanitizer report: $(grep -m3 -E 'Sanitizer|runtime error:|#[0-4] ' "$tmp/err" | tr '\n' ' ')"
        return 1
    fi
}
