#!/bin/sh
# bench/bench_one_tenant.sh CSPSIM [N] - the model on one tenant holding many
# subscriptions: times `CSPSIM run` of a generated scenario in which two partners sell one
# tenant N subscriptions of one offer (default 10000), alternating, autorenew on, one
# purchase an hour; then 10 x N; prints both times and their ratio. Double billing keeps
# per (tenant, provisioning id) counters (model/overlap.c), so 10x the purchases should
# cost about 10x; the scan of the tenant at every step before gave ~100x (100,000
# purchases took 89 s). Exits 1 when the ratio is above 25 (linear with slack for timer
# noise), 2 on a usage error or a failed run.
set -u
if [ $# -lt 1 ]; then
    echo "usage: sh bench/bench_one_tenant.sh CSPSIM [N]" >&2
    exit 2
fi
cspsim=$1
n=${2:-10000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cspsim-bench.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

# gen COUNT FILE: COUNT purchases into one tenant, from two partners in turn
gen() {
    awk -v n="$1" 'BEGIN {
        print "version: 1\nname: bench-one-tenant\nstart: 2025-01-01\nend: 2037-01-01"
        print "rules: {tenant_subscription_limit: " n + 10 "}"
        print "offers: [{id: svc, price: 1.00, terms: [P1Y]}]"
        print "partners: [{id: contoso, region: europe}, {id: northwind, region: europe}]"
        print "tenants: [{id: big, region: europe, relationships: [contoso, northwind]}]"
        print "events:"
        for (i = 1; i <= n; i++)
            printf "  - {at: +%dh, action: purchase, partner: %s, tenant: big, id: s%d, offer: svc, licenses: 1, term: P1Y, billing: annual}\n", i, i % 2 ? "contoso" : "northwind", i
    }' > "$2"
}

. "$(dirname "$0")/growth.sh"
growth_check "one tenant" purchases "$n" "$cspsim" run --no-charts -o "$tmp/out"
