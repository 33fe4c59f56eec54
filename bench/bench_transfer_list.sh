#!/bin/sh
# bench/bench_transfer_list.sh CSPSIM [N] - the loader on one long transfer list: times
# `CSPSIM check` of a generated scenario whose request_transfer and accept_transfer name N
# subscriptions (default 4000), then 10 x N, and prints both times and their ratio. The
# lists are checked for repeats and membership by stamps (cli/scenario.c read_sub_list),
# so 10x the input should cost about 10x (the pairwise scans before gave ~100x: 40,000
# subscriptions took 32 s). Exits 1 when the ratio is above 25 (linear with slack for
# timer noise), 2 on a usage error or a failed check.
set -u
if [ $# -lt 1 ]; then
    echo "usage: sh bench/bench_transfer_list.sh CSPSIM [N]" >&2
    exit 2
fi
cspsim=$1
n=${2:-4000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cspsim-bench.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

# gen COUNT FILE: one tenant holding COUNT subscriptions, all requested and all accepted
gen() {
    awk -v n="$1" 'BEGIN {
        print "version: 1\nname: bench-transfer-list\nstart: 2025-01-01\nend: 2025-02-01"
        print "rules: {tenant_subscription_limit: " 2 * n + 10 "}"
        print "offers: [{id: svc, price: 1.00}]"
        print "partners: [{id: contoso, region: europe}, {id: northwind, region: europe}]"
        print "tenants:\n  - id: big\n    region: europe\n    relationships: [contoso, northwind]\n    subscriptions:"
        for (i = 1; i <= n; i++)
            printf "      - {id: s%d, offer: svc, partner: contoso, licenses: 1, term: P1Y, billing: monthly, start: 2024-06-10}\n", i
        print "events:\n  - {at: 2025-01-10, action: request_transfer, from: contoso, to: northwind, tenant: big, id: tr,\n     subscriptions: ["
        for (i = 1; i <= n; i++)
            printf "       s%d%s\n", i, i < n ? "," : "]}"
        print "  - {at: 2025-01-12, action: accept_transfer, transfer: tr,\n     subscriptions: ["
        for (i = 1; i <= n; i++)
            printf "       s%d%s\n", i, i < n ? "," : "]}"
    }' > "$2"
}

. "$(dirname "$0")/growth.sh"
growth_check "transfer list" subscriptions "$n" "$cspsim" check
