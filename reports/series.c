/* reports/series.c - series.csv (series.h). Records update running figures (a state per
 * subscription, a live count per tenant, a histogram of tenants by live count, three
 * totals); at each day's end they are copied into that day's row, the percentiles read
 * off the histogram. The alternative, sorting every tenant's count each day, would cost
 * tenants x days. */
#include "series.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"

#define NSTATES MODEL_STATE_COUNT

typedef struct {
    int64_t states[NSTATES];
    int64_t live_max, p50, p95, p99;
    int64_t data_loss, double_billing, billed;
} day_row;

struct rep_series {
    const model_world *w;
    uint8_t *sub_state;
    size_t nsubs;
    uint32_t *live; /* per tenant */
    size_t ntenants, cap_live; /* tenants counted (the world's, and any met later) */
    uint64_t *hist; /* hist[v]: tenants with v live subscriptions */
    size_t nhist;
    int64_t states[NSTATES];
    int64_t data_loss, double_billing, billed;
    day_row *rows;
    size_t nrows, cap_rows;
    int64_t first, last, cur; /* days: first row, one past the last, the day being recorded */
    int failed;
};

static int64_t day_of(sim_time t)
{
    return sim_day_start(t) / SIM_DAY;
}

static int is_live(int s)
{
    return s == MODEL_STATE_PENDING || s == MODEL_STATE_TRIAL || s == MODEL_STATE_ACTIVE ||
           s == MODEL_STATE_SUSPENDED;
}

/* Moves tenant t's live count by delta (+1 or -1), keeping the histogram. */
static void move_live(rep_series *s, uint32_t t, int delta)
{
    if (t == MODEL_NONE)
        return;
    if ((size_t)t >= s->ntenants) {
        if (rep_grow((void **)&s->live, &s->cap_live, (size_t)t + 1, sizeof *s->live) < 0) {
            s->failed = 1;
            return;
        }
        s->hist[0] += (size_t)t + 1 - s->ntenants; /* tenants met late start at zero */
        s->ntenants = (size_t)t + 1;
    }
    uint32_t v = s->live[t];
    if (delta < 0 && v == 0)
        return;
    uint32_t nv = delta > 0 ? v + 1 : v - 1;
    if ((size_t)nv >= s->nhist && rep_grow((void **)&s->hist, &s->nhist, (size_t)nv + 1, sizeof *s->hist) < 0) {
        s->failed = 1;
        return;
    }
    s->hist[v]--;
    s->hist[nv]++;
    s->live[t] = nv;
}

rep_series *rep_series_new(const model_world *w, sim_time start, sim_time end)
{
    rep_series *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->w = w;
    if (end < start)
        end = start;
    s->first = s->cur = day_of(start);
    s->last = day_of(end) + (sim_day_start(end) < end ? 1 : 0); /* exclusive, as the states chart */
    if (s->last <= s->first)
        s->last = s->first + 1;
    if (s->last - s->first > REP_SERIES_MAX_DAYS)
        s->last = s->first + REP_SERIES_MAX_DAYS;
    size_t nt = model_count_tenants(w), ns = model_count_subscriptions(w);
    if (rep_grow((void **)&s->hist, &s->nhist, 1, sizeof *s->hist) < 0 ||
        (nt && rep_grow((void **)&s->live, &s->cap_live, nt, sizeof *s->live) < 0) ||
        (ns && rep_grow((void **)&s->sub_state, &s->nsubs, ns, 1) < 0)) {
        rep_series_free(s);
        return NULL;
    }
    s->ntenants = nt;
    s->hist[0] = nt;
    for (uint32_t i = 0; i < ns; i++) {
        model_sub_view v;
        model_subscription_view(w, i, &v);
        if (v.state == MODEL_STATE_NONE || v.tenant >= s->ntenants)
            continue;
        s->sub_state[i] = (uint8_t)v.state;
        s->states[v.state]++;
        if (is_live(v.state))
            move_live(s, v.tenant, 1);
    }
    if (s->failed) {
        rep_series_free(s);
        return NULL;
    }
    return s;
}

/* The nearest-rank p-th percentile of the live counts: the smallest v with at least
 * ceil(p * tenants / 100) tenants at v or below; 0 without tenants. */
static int64_t percentile(const rep_series *s, unsigned p)
{
    uint64_t total = s->ntenants, rank = (p * total + 99) / 100, seen = 0;
    if (rank == 0)
        return 0;
    for (size_t v = 0; v < s->nhist; v++)
        if ((seen += s->hist[v]) >= rank)
            return (int64_t)v;
    return (int64_t)s->nhist - 1;
}

/* Writes the rows of every day before `day` not yet written. */
static void close_days(rep_series *s, int64_t day)
{
    if (day > s->last)
        day = s->last;
    while (s->cur < day && !s->failed) {
        if (rep_grow((void **)&s->rows, &s->cap_rows, s->nrows + 1, sizeof *s->rows) < 0) {
            s->failed = 1;
            return;
        }
        day_row *r = &s->rows[s->nrows++];
        memcpy(r->states, s->states, sizeof r->states);
        r->live_max = 0;
        for (size_t v = s->nhist; v-- > 0;)
            if (s->hist[v]) {
                r->live_max = (int64_t)v;
                break;
            }
        r->p50 = percentile(s, 50);
        r->p95 = percentile(s, 95);
        r->p99 = percentile(s, 99);
        r->data_loss = s->data_loss;
        r->double_billing = s->double_billing;
        r->billed = s->billed;
        s->cur++;
    }
}

/* Cumulative sums stop at the int64 limits, as the model's money totals do (docs/rules.md,
 * reading 29), rather than wrap. */
static int64_t sum_sat(int64_t a, int64_t b)
{
    int64_t r;
    if (__builtin_add_overflow(a, b, &r))
        return b > 0 ? INT64_MAX : INT64_MIN;
    return r;
}

void rep_series_record(rep_series *s, const model_record *r)
{
    if (s->failed)
        return;
    close_days(s, day_of(r->time));
    if (r->kind == MODEL_KIND_DATA_LOSS && r->has_licenses)
        s->data_loss = sum_sat(s->data_loss, r->licenses);
    else if (r->kind == MODEL_KIND_CHARGE && r->has_amount)
        s->billed = sum_sat(s->billed, r->amount);
    else if (r->kind == MODEL_KIND_DOUBLE_BILLING_ENDED) {
        const char *d = strstr(r->detail, "days=");
        if (d)
            s->double_billing = sum_sat(s->double_billing, strtoll(d + 5, NULL, 10));
    }
    if (r->subscription == MODEL_NONE || r->to_state <= MODEL_STATE_NONE || r->to_state >= NSTATES)
        return;
    uint32_t i = r->subscription;
    if ((size_t)i >= s->nsubs && rep_grow((void **)&s->sub_state, &s->nsubs, (size_t)i + 1, 1) < 0) {
        s->failed = 1;
        return;
    }
    int old = s->sub_state[i], to = r->to_state;
    if (old == to)
        return;
    if (old != MODEL_STATE_NONE)
        s->states[old]--;
    s->states[to]++;
    if (is_live(old) != is_live(to))
        move_live(s, r->tenant != MODEL_NONE ? r->tenant : model_subscription_tenant(s->w, i), is_live(to) ? 1 : -1);
    s->sub_state[i] = (uint8_t)to;
}

int rep_series_write(rep_series *s, rep_out *out)
{
    close_days(s, s->last);
    if (s->failed) {
        rep_out_fail(out, ENOMEM);
        return -1;
    }
    rep_puts(out, "date");
    for (int k = 1; k < NSTATES; k++)
        rep_printf(out, ",%s", model_state_name(k));
    rep_puts(out, ",live_max,live_p50,live_p95,live_p99,data_loss_licenses,double_billing_days,billed\n");
    for (size_t d = 0; d < s->nrows && !rep_out_failed(out); d++) {
        const day_row *r = &s->rows[d];
        char date[SIM_TIME_BUF], money[REP_MONEY_BUF];
        rep_puts(out, sim_format_date((s->first + (int64_t)d) * SIM_DAY, date));
        for (int k = 1; k < NSTATES; k++)
            rep_printf(out, ",%" PRId64, r->states[k]);
        rep_money(money, sizeof money, r->billed);
        rep_printf(out, ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%" PRId64 ",%s\n", r->live_max,
                   r->p50, r->p95, r->p99, r->data_loss, r->double_billing, money);
    }
    return rep_out_failed(out) ? -1 : 0;
}

void rep_series_free(rep_series *s)
{
    if (!s)
        return;
    free(s->sub_state);
    free(s->live);
    free(s->hist);
    free(s->rows);
    free(s);
}
