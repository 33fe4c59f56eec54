/* model/ledger.c - money (SUB-2's billing): each billing period is charged at its start,
 * an allowed cancel refunds the unused whole days of the last charged period. Amounts are
 * integer minor units; proration rounds the refund down, so the ledger never pays out more
 * than it took. EA subscriptions are billed by their agreement, outside the simulation. */
#include "ledger.h"

#include "calendar.h"
#include "emit.h"

#include <stdint.h>

static int period_months(const sub_t *s)
{
    int pm = s->billing == MODEL_BILLING_MONTHLY ? 1 : s->billing == MODEL_BILLING_ANNUAL ? 12 : 36;
    return pm < s->term_months ? pm : s->term_months;
}

static sim_time period_at(const sub_t *s, int32_t months)
{
    return sub_months_after_anchor(s, s->term_index + months);
}

/* Recomputes next_charge from charged_months. */
static void ledger_next_charge(sub_t *s)
{
    sim_time t = period_at(s, s->charged_months);
    s->next_charge = (s->channel == MODEL_CHANNEL_EA || s->state == MODEL_STATE_TRIAL || t >= s->term_end)
                         ? SIM_TIME_NEVER
                         : t;
}

/* v clamped to int64 (amounts are never negative here) */
__extension__ typedef __int128 i128; /* gcc and clang; __extension__ keeps -Wpedantic quiet */

static int64_t money_of(i128 v)
{
    return v > INT64_MAX ? INT64_MAX : v < 0 ? 0 : (int64_t)v;
}

typedef struct {
    sim_time start, end;
    int64_t amount;
} period;

/* The billing period that starts `months` into the current term. Its amount fits int64 by
 * MODEL_MAX_LICENSES x MODEL_MAX_PRICE x 36 (model.h); computed in 128 bits and saturated
 * all the same, so that a world built past those bounds stays defined. */
static period period_of(const model_world *w, const sub_t *s, int32_t months)
{
    int pm = period_months(s);
    period p = {period_at(s, months), period_at(s, months + pm),
                money_of((i128)s->licenses * w->offers[s->offer].price * pm)};
    if (p.end > s->term_end)
        p.end = s->term_end;
    return p;
}

int64_t ledger_sum(int64_t a, int64_t b)
{
    return a > INT64_MAX - b ? INT64_MAX : a + b;
}

static void add_sat(int64_t *total, int64_t v)
{
    *total = ledger_sum(*total, v);
}

static void book(model_world *w, sub_t *s, int64_t billed, int64_t refunded)
{
    add_sat(&s->billed, billed);
    add_sat(&w->ledger_billed, billed);
    add_sat(&w->ledger_refunded, refunded);
    if (refunded)
        add_sat(&w->tenants[s->tenant].m.refunded, refunded);
    if (s->partner == MODEL_NONE) {
        add_sat(&w->web_billed, billed);
        add_sat(&w->web_refunded, refunded);
    } else {
        add_sat(&w->partners[s->partner].billed, billed);
        add_sat(&w->partners[s->partner].refunded, refunded);
        if (s->ext != MODEL_NONE) { /* REL-6: also the reseller it was bought for */
            uint32_t r = w->ext_chunks[s->ext >> EXT_CHUNK_BITS][s->ext & (EXT_CHUNK - 1)].reseller;
            if (r != MODEL_NONE) {
                add_sat(&w->partners[r].r.billed, billed);
                add_sat(&w->partners[r].r.refunded, refunded);
            }
        }
    }
}

/* Whole days of a period, and the days of it left from instant t on (a started day counts
 * as used). */
static int64_t period_days(period p)
{
    return (p.end - p.start + SIM_DAY - 1) / SIM_DAY;
}

static int64_t days_left(period p, sim_time t)
{
    int64_t used = t > p.start ? (t - p.start + SIM_DAY - 1) / SIM_DAY : 0;
    int64_t days = period_days(p);
    return used >= days ? 0 : days - used;
}

/* Charges the next billing period at t; when `from` falls inside it (a term that starts
 * mid-period: coterminous, transferred, upgraded), only the days from `from` on. */
static void charge_next(model_world *w, uint32_t sub, sim_time t, sim_time from)
{
    sub_t *s = &w->subs[sub];
    if (s->channel == MODEL_CHANNEL_EA || s->state == MODEL_STATE_TRIAL) {
        s->next_charge = SIM_TIME_NEVER;
        return;
    }
    period p = period_of(w, s, s->charged_months);
    int64_t days = 0, left = 0;
    if (from > p.start) { /* joined mid-period: only the days from `from` on */
        days = period_days(p);
        left = days_left(p, from);
        if (days > 0)
            p.amount = money_of((i128)p.amount * left / days); /* 3.6e18 x 1096 needs 128 bits */
    }
    s->charged_months += period_months(s);
    ledger_next_charge(s);
    book(w, s, p.amount, 0);
    if (!rec_skip(w)) {
        rec_t r;
        char a[SIM_TIME_BUF], b[SIM_TIME_BUF];
        rec_begin(w, &r, t, MODEL_KIND_CHARGE, MODEL_RULE_SUB_2);
        rec_sub(w, &r, sub);
        r.has_licenses = r.has_amount = 1;
        r.licenses = s->licenses;
        r.amount = p.amount;
        rec_detail(&r, "period=%s..%s", sim_format_date(from > p.start ? sim_day_start(from) : p.start, a),
                   sim_format_date(p.end - SIM_DAY, b));
        if (from > p.start)
            rec_detail(&r, "prorated_days=%lld/%lld", (long long)left, (long long)days);
        rec_emit(w, &r);
    }
}

void ledger_charge_period(model_world *w, uint32_t sub, sim_time t)
{
    charge_next(w, sub, t, INT64_MIN); /* the whole period */
}

void ledger_begin(model_world *w, uint32_t sub, sim_time t, sim_time from, int charge)
{
    sub_t *s = &w->subs[sub];
    int pm = period_months(s);
    s->charged_months = 0;
    for (sim_time next; from != INT64_MIN && (next = period_at(s, s->charged_months + pm)) <= from &&
                        next < s->term_end;)
        s->charged_months += pm;
    ledger_next_charge(s);
    if (charge && s->next_charge != SIM_TIME_NEVER)
        charge_next(w, sub, t, from);
}

/* Charges (n > 0) or refunds (n < 0) n licenses at `price` for the days of the running
 * billing period left at t; the record names the licenses when `show` is set. */
static void prorate(model_world *w, uint32_t sub, sim_time t, int32_t n, int64_t price, model_rule rule, int show)
{
    sub_t *s = &w->subs[sub];
    if (s->channel == MODEL_CHANNEL_EA || s->state == MODEL_STATE_TRIAL || s->charged_months <= 0 || n == 0)
        return; /* nothing of this term was charged */
    period p = period_of(w, s, s->charged_months - period_months(s)); /* the running one */
    int64_t days = period_days(p), left = days_left(p, t);
    if (t >= p.end || left <= 0 || days <= 0)
        return;
    int64_t count = n < 0 ? -(int64_t)n : n;
    int64_t amount = money_of((i128)count * price * period_months(s) * left / days); /* 128 bits, see period_of */
    if (amount <= 0)
        return;
    book(w, s, n > 0 ? amount : 0, n > 0 ? 0 : amount);
    if (!rec_skip(w)) {
        rec_t r;
        rec_begin(w, &r, t, n > 0 ? MODEL_KIND_CHARGE : MODEL_KIND_REFUND, rule);
        rec_sub(w, &r, sub);
        r.has_amount = 1;
        r.amount = amount;
        if (show) {
            r.has_licenses = 1;
            r.licenses = count;
        }
        rec_detail(&r, "%s=%lld/%lld", n > 0 ? "prorated_days" : "unused_days", (long long)left, (long long)days);
        rec_emit(w, &r);
    }
}

void ledger_prorate(model_world *w, uint32_t sub, sim_time t, int32_t licenses, int64_t price, model_rule rule)
{
    prorate(w, sub, t, licenses, price, rule, 1);
}

void ledger_prime(model_world *w, uint32_t sub)
{
    sub_t *s = &w->subs[sub];
    int pm = period_months(s);
    s->charged_months = 0;
    while (period_at(s, s->charged_months + pm) <= w->start)
        s->charged_months += pm;
    if (period_at(s, s->charged_months) < w->start)
        s->charged_months += pm; /* paid before the start: refundable, not booked */
    ledger_next_charge(s);
}

void ledger_refund_unused(model_world *w, uint32_t sub, sim_time t, model_rule rule)
{
    const sub_t *s = &w->subs[sub];
    prorate(w, sub, t, -s->licenses, w->offers[s->offer].price, rule, 0); /* every license, the rest of the period */
}
