#!/bin/sh
# tests/gen-population.sh TENANTS SUBS [MONTHS] - prints a hand-written scenario of TENANTS
# tenants (t1..tN) with SUBS subscriptions each (tI-J), for the scale tests: every 10th
# tenant lets one P1M subscription expire without renewal (data loss after the grace), every
# 7th cancels on 2025-02-20 (inside the window its 02-15 renewal opened: accepted, and its
# data lost at the deletion), the rest renew monthly. awk only.
n=${1:?tenants} k=${2:?subscriptions per tenant} months=${3:-6}
awk -v n="$n" -v k="$k" -v months="$months" 'BEGIN {
    end = sprintf("2025-%02d-28", months > 12 ? 12 : months)
    print "version: 1"
    print "name: population-" n
    print "start: 2025-01-01"
    print "end: " end
    print "offers: [{id: m365-bp, price: 22.00, terms: [P1M, P1Y]}]"
    print "partners: [{id: contoso, region: europe}]"
    print "tenants:"
    for (t = 1; t <= n; t++) {
        print "  - {id: t" t ", region: europe, relationships: [contoso], subscriptions: ["
        for (j = 1; j <= k; j++) {
            ar = (t % 10 == 0 && j == 1) ? "false" : "true"
            printf "      {id: t%d-%d, offer: m365-bp, partner: contoso, licenses: %d, term: P1M, billing: monthly, start: 2024-12-15, autorenew: %s}%s\n", t, j, 1 + (t + j) % 9, ar, j < k ? "," : "]}"
        }
    }
    print (n >= 7 ? "events:" : "events: []")
    for (t = 7; t <= n; t += 7)
        print "  - {at: 2025-02-20, action: cancel, subscription: t" t "-1}"
}'
