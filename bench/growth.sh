# bench/growth.sh - sourced by the growth benchmarks (bench_one_tenant.sh,
# bench_transfer_list.sh): times a command on a generated input of N and of 10 x N, prints
# both times and their ratio, and exits 1 when the ratio passes 25 (linear is ~10x; the
# slack absorbs timer noise), 2 when the command fails. The caller defines
# `gen COUNT FILE` and sets tmp (a directory it removes).

# growth_millis COUNT CMD...: milliseconds of CMD with the generated file as last argument
growth_millis() {
    count=$1
    shift
    gen "$count" "$tmp/s$count.yaml"
    t0=$(date +%s%N)
    "$@" "$tmp/s$count.yaml" >/dev/null || { echo "$growth_name: '$*' on $count failed" >&2; exit 2; }
    t1=$(date +%s%N)
    echo $(( (t1 - t0) / 1000000 ))
}

# growth_check NAME WHAT N CMD...: the two timings, the line, the verdict
growth_check() {
    growth_name=$1 what=$2 n=$3
    shift 3
    small=$(growth_millis "$n" "$@") || exit 2
    big=$(growth_millis $((10 * n)) "$@") || exit 2
    [ "$small" -gt 0 ] || small=1
    ratio=$(( (big * 10 / small + 5) / 10 ))
    echo "$growth_name: $n $what ${small} ms, $((10 * n)) $what ${big} ms, ratio ${ratio}x (linear: ~10x)"
    [ "$ratio" -le 25 ] || { echo "$growth_name: growth ${ratio}x for 10x input is not linear" >&2; exit 1; }
}
