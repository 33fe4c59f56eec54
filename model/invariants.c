/* model/invariants.c - what must hold after every step of a run. Checked when asked
 * (model_check_invariants; always in test builds): a breach is a bug of the simulator, so
 * the run stops at the first one and reports it with the instant and the last record. */
#include "invariants.h"

#include "overlap.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void model_check_invariants(model_world *w, int on)
{
    w->invariants = on;
}

const model_breach *model_breach_found(const model_world *w)
{
    uint32_t none = 0;
    w = store_at(w, UNION_BREACH, &none); /* a union world's: its first broken shard's (union.h) */
    return w->broken ? &w->breach : NULL;
}

static void breach(model_world *w, sim_time t, const char *what, uint32_t sub, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void breach(model_world *w, sim_time t, const char *what, uint32_t sub, const char *fmt, ...)
{
    if (w->broken)
        return;
    w->broken = 1;
    w->run.stop = 1;
    w->breach.invariant = what;
    w->breach.time = t;
    w->breach.after_record = w->seq;
    w->breach.subscription = sub;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->breach.detail, sizeof w->breach.detail, fmt, ap);
    va_end(ap);
}

void invariants_after_step(model_world *w, sim_time t)
{
    uint32_t sub = w->touched;
    w->touched = MODEL_NONE;
    if (t < w->last_time)
        breach(w, t, "time never goes back", sub, "a step at %lld after one at %lld", (long long)t,
               (long long)w->last_time);
    w->last_time = t;
    if (w->bad_transition) {
        w->bad_transition = 0;
        breach(w, t, "only legal state transitions", sub, "%s -> %s", model_state_name(w->bad_from),
               model_state_name(w->bad_to));
    }
    if (sub == MODEL_NONE)
        return;
    const sub_t *s = &w->subs[sub];
    if (s->licenses < 0)
        breach(w, t, "licenses never negative", sub, "%d licenses", (int)s->licenses);
    const tenant_t *tn = &w->tenants[s->tenant];
    /* a limit lowered by set_rule refuses new subscriptions; those held stay (docs/rules.md) */
    int64_t limit = w->params.tenant_subscription_limit > w->limit_high ? w->params.tenant_subscription_limit
                                                                         : w->limit_high;
    if ((int64_t)tn->live > limit)
        breach(w, t, "live subscriptions within the tenant limit", sub, "tenant %s has %u live, limit %lld",
               tn->id ? tn->id : "?", (unsigned)tn->live, (long long)limit);
}

void invariants_at_finish(model_world *w)
{
    if (!dbl_counts_hold(w))
        breach(w, w->end, "double billing's counters match a recount", MODEL_NONE, "%s", "overlap.c");
    if (w->ledger_billed == INT64_MAX || w->ledger_refunded == INT64_MAX)
        return; /* saturated (ledger_sum): every partial total is at most the ledger's, so
                 * below it nothing saturated and the sums below cannot overflow */
    model_metrics total;
    model_metrics_total(w, &total);
    int64_t partners = w->web_billed - w->web_refunded;
    for (size_t i = 0; i < w->npartners; i++)
        partners += w->partners[i].billed - w->partners[i].refunded;
    int64_t ledger = w->ledger_billed - w->ledger_refunded;
    if (total.billed - total.refunded != ledger || partners != ledger)
        breach(w, w->end, "money conserved", MODEL_NONE,
               "billed minus refunded: tenants %lld, partners %lld, ledger %lld",
               (long long)(total.billed - total.refunded), (long long)partners, (long long)ledger);
}
