/* reports/charts.c - the four gnuplot charts (charts.h). Records update small running
 * figures (a subscription's current state, a tenant's live count, a partner's day totals,
 * the population's state counts); closed state intervals and action markers are the only
 * per-event storage, capped. Rows, tenants and partners are chosen at write time. */
#include "charts.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"

const char *const rep_chart_names[REP_CHARTS_COUNT] = {"lifecycle", "tenant-count", "billing", "states",
                                                       "data-loss"};
const char *const rep_chart_titles[REP_CHARTS_COUNT] = {
    "Subscription lifecycles", "Live subscriptions per tenant", "Cumulative billed and refunded per partner",
    "Subscriptions by state (whole population, per day)", "Licenses with data loss (cumulative, per day)"};
const char *const rep_chart_scripts[REP_CHARTS_COUNT] = {"lifecycle.gp", "tenant-count.gp", "billing.gp",
                                                         "states.gp", "data-loss.gp"};

#define FROM_START INT64_MIN /* an interval of a subscription that existed before its first record */
#define NSTATES MODEL_STATE_COUNT

/* Fixed colour per state (index: model_state), the same on every chart. */
static const char *const state_colour[NSTATES] = {
    "#ffffff", /* none: never drawn */
    "#f2c744", /* pending */
    "#7fb8e6", /* trial */
    "#3a9e4f", /* active */
    "#e68a2e", /* suspended */
    "#c94c4c", /* expired */
    "#8c5ba8", /* disabled */
    "#404040", /* deleted */
    "#a0a0a0", /* canceled */
};
/* Eight distinct line colours for tenants and partners. */
static const char *const line_colour[8] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd",
                                           "#ff7f0e", "#17becf", "#8c564b", "#e377c2"};

typedef struct {
    sim_time since;
    uint32_t tenant;
    uint32_t records;
    uint8_t state, seen, truncated;
    uint8_t notable; /* a rejected action or data loss: the lifecycle chart shows it first */
} ch_sub;

typedef struct {
    sim_time from, to;
    uint32_t sub;
    uint8_t state;
} ch_interval;

/* A scripted action (kind MODEL_KIND_ACTION) or one of the lifecycle events drawn on the
 * bars (is_event_kind): data lost, data kept, licenses reassigned, renewed. */
typedef struct {
    sim_time time;
    int64_t licenses;
    uint32_t sub;
    int16_t action;
    uint8_t kind;
    uint8_t rejected;
    uint8_t reason;
} ch_marker;

typedef struct {
    int64_t day, billed, refunded;
} ch_money;

typedef struct {
    ch_money *v;
    size_t n, cap;
    int64_t billed, refunded;
} ch_partner;

typedef struct {
    uint32_t live, peak;
} ch_tenant;

struct rep_charts {
    const model_world *w;
    rep_chart_opts opts;
    ch_sub *subs;
    size_t nsubs;
    ch_tenant *tenants;
    size_t ntenants;
    ch_partner *partners; /* [0]: web-direct, [p + 1]: partner p */
    size_t npartners;
    ch_interval *iv;
    size_t niv, cap_iv;
    ch_marker *mk;
    size_t nmk, cap_mk;
    int64_t counts[NSTATES];
    int64_t (*snap)[NSTATES]; /* snap[k]: counts at the end of day day0 + k */
    size_t nsnap, cap_snap;
    int64_t loss;       /* licenses with data loss so far */
    int64_t *snap_loss; /* beside snap: loss at the end of each day */
    size_t cap_snap_loss;
    uint64_t *hist;     /* hist[v]: tenants with v >= 1 live subscriptions now */
    size_t nhist;
    uint64_t *peak_hist; /* hist at the end of the day with the most live subscriptions */
    size_t npeak_hist;
    int64_t peak_live, peak_day;
    int64_t day0, cur_day;
    int started, failed; /* failed: memory ran out */
};

/* ---- growing arrays --------------------------------------------------------------------- */


static int64_t day_of(sim_time t)
{
    return (t - ((t % SIM_DAY) + SIM_DAY) % SIM_DAY) / SIM_DAY; /* sim_day_start's, inline: once a record */
}

/* ---- recording -------------------------------------------------------------------------- */

static int is_live(int s);
static void hist_move(rep_charts *c, uint32_t from, uint32_t to);

/* The record kinds the lifecycle chart marks on the bars besides actions: what a trainer
 * points at (SUB-4 data loss, SUB-12 kept or reassigned, SUB-3 renewals). */
static int is_event_kind(model_kind k)
{
    return k == MODEL_KIND_DATA_LOSS || k == MODEL_KIND_DATA_KEPT || k == MODEL_KIND_LICENSE_REASSIGNMENT ||
           k == MODEL_KIND_RENEWAL_COMPLETED;
}

rep_charts *rep_charts_new(const model_world *w, const rep_chart_opts *o)
{
    rep_charts *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->w = w;
    if (o)
        c->opts = *o;
    if (c->opts.max_rows == 0)
        c->opts.max_rows = REP_CHARTS_DEFAULT_ROWS;
    /* subscriptions that exist at the start are drawn and counted from the start */
    size_t n = model_count_subscriptions(w);
    if (n && (rep_grow((void **)&c->subs, &c->nsubs, n, sizeof *c->subs) < 0 ||
              rep_grow((void **)&c->tenants, &c->ntenants, model_count_tenants(w), sizeof *c->tenants) < 0)) {
        rep_charts_free(c);
        return NULL;
    }
    for (uint32_t i = 0; i < n; i++) {
        model_sub_view v;
        model_subscription_view(w, i, &v);
        if (v.state == MODEL_STATE_NONE || v.tenant >= c->ntenants)
            continue;
        ch_sub *s = &c->subs[i];
        s->seen = 1;
        s->tenant = v.tenant;
        s->state = (uint8_t)v.state;
        s->since = FROM_START;
        c->counts[v.state]++;
        if (is_live(v.state)) {
            ch_tenant *t = &c->tenants[v.tenant];
            hist_move(c, t->live, t->live + 1);
            if (++t->live > t->peak)
                t->peak = t->live;
        }
    }
    return c;
}

/* Moves a tenant's live count from `from` to `to` in the histogram of tenants by live count. */
static void hist_move(rep_charts *c, uint32_t from, uint32_t to)
{
    if (to >= c->nhist && rep_grow((void **)&c->hist, &c->nhist, (size_t)to + 1, sizeof *c->hist) < 0) {
        c->failed = 1;
        return;
    }
    if (from > 0 && c->hist[from] > 0)
        c->hist[from]--;
    if (to > 0)
        c->hist[to]++;
}

/* At a day's end: keeps the histogram of the day with the most live subscriptions. */
static void note_peak(rep_charts *c, int64_t day)
{
    int64_t live = c->counts[MODEL_STATE_PENDING] + c->counts[MODEL_STATE_TRIAL] + c->counts[MODEL_STATE_ACTIVE] +
                   c->counts[MODEL_STATE_SUSPENDED];
    if (live <= c->peak_live)
        return;
    if (rep_grow((void **)&c->peak_hist, &c->npeak_hist, c->nhist, sizeof *c->peak_hist) < 0) {
        c->failed = 1;
        return;
    }
    memset(c->peak_hist, 0, c->npeak_hist * sizeof *c->peak_hist);
    if (c->nhist)
        memcpy(c->peak_hist, c->hist, c->nhist * sizeof *c->hist);
    c->peak_live = live;
    c->peak_day = day;
}

/* Snapshots the counts of every day before `day` not yet snapshot. */
static void advance_days(rep_charts *c, int64_t day)
{
    if (!c->started) {
        c->started = 1;
        c->day0 = c->cur_day = day;
    }
    while (c->cur_day < day && c->nsnap < REP_CHARTS_MAX_DAYS) {
        if (rep_grow((void **)&c->snap, &c->cap_snap, c->nsnap + 1, sizeof *c->snap) < 0) {
            c->failed = 1;
            return;
        }
        if (rep_grow((void **)&c->snap_loss, &c->cap_snap_loss, c->nsnap + 1, sizeof *c->snap_loss) < 0) {
            c->failed = 1;
            return;
        }
        note_peak(c, c->cur_day);
        c->snap_loss[c->nsnap] = c->loss;
        memcpy(c->snap[c->nsnap++], c->counts, sizeof c->counts);
        c->cur_day++;
    }
    if (c->cur_day < day)
        c->cur_day = day; /* past the day cap: later days read the current counts */
}

static void add_interval(rep_charts *c, ch_sub *s, uint32_t sub, sim_time from, sim_time to, int state)
{
    if (s->truncated)
        return;
    if (c->niv >= REP_CHARTS_MAX_INTERVALS) {
        s->truncated = 1;
        return;
    }
    if (rep_grow((void **)&c->iv, &c->cap_iv, c->niv + 1, sizeof *c->iv) < 0) {
        c->failed = 1;
        return;
    }
    ch_interval *i = &c->iv[c->niv++];
    i->from = from;
    i->to = to;
    i->sub = sub;
    i->state = (uint8_t)state;
}

static int is_live(int s)
{
    return s == MODEL_STATE_PENDING || s == MODEL_STATE_TRIAL || s == MODEL_STATE_ACTIVE ||
           s == MODEL_STATE_SUSPENDED;
}

static void change_state(rep_charts *c, const model_record *r)
{
    uint32_t i = r->subscription;
    ch_sub *s = &c->subs[i];
    int old = s->state, to = r->to_state;
    if (old == MODEL_STATE_NONE && r->from_state > MODEL_STATE_NONE && r->from_state < NSTATES) {
        /* existed before its first record: drawn from the start, not counted before */
        old = r->from_state;
        s->since = FROM_START;
    }
    if (old != MODEL_STATE_NONE)
        add_interval(c, s, i, s->since, r->time, old);
    if (s->state != MODEL_STATE_NONE)
        c->counts[s->state]--;
    c->counts[to]++;
    if (s->tenant < c->ntenants) {
        ch_tenant *t = &c->tenants[s->tenant];
        int was = is_live(s->state); /* a subscription from before its first record was not counted */
        if (was && !is_live(to) && t->live > 0) {
            hist_move(c, t->live, t->live - 1);
            t->live--;
        } else if (!was && is_live(to)) {
            hist_move(c, t->live, t->live + 1);
            t->live++;
        }
        if (t->live > t->peak)
            t->peak = t->live;
    }
    s->state = (uint8_t)to;
    s->since = r->time;
}

static void add_money(rep_charts *c, const model_record *r)
{
    size_t p = r->partner == MODEL_NONE ? 0 : (size_t)r->partner + 1;
    if (rep_grow((void **)&c->partners, &c->npartners, p + 1, sizeof *c->partners) < 0) {
        c->failed = 1;
        return;
    }
    ch_partner *cp = &c->partners[p];
    int64_t day = day_of(r->time);
    if (cp->n == 0 || cp->v[cp->n - 1].day != day) {
        if (rep_grow((void **)&cp->v, &cp->cap, cp->n + 1, sizeof *cp->v) < 0) {
            c->failed = 1;
            return;
        }
        cp->v[cp->n++].day = day;
    }
    if (r->kind == MODEL_KIND_CHARGE) {
        cp->v[cp->n - 1].billed += r->amount;
        cp->billed += r->amount;
    } else {
        cp->v[cp->n - 1].refunded += r->amount;
        cp->refunded += r->amount;
    }
}

void rep_charts_record(rep_charts *c, const model_record *r)
{
    if (c->failed)
        return;
    advance_days(c, day_of(r->time));
    if ((r->kind == MODEL_KIND_CHARGE || r->kind == MODEL_KIND_REFUND) && r->has_amount)
        add_money(c, r);
    if (r->kind == MODEL_KIND_DATA_LOSS && r->has_licenses)
        c->loss += r->licenses;
    if (r->subscription == MODEL_NONE || c->failed)
        return;
    uint32_t i = r->subscription;
    if (rep_grow((void **)&c->subs, &c->nsubs, (size_t)i + 1, sizeof *c->subs) < 0) {
        c->failed = 1;
        return;
    }
    ch_sub *s = &c->subs[i];
    if (!s->seen) {
        s->seen = 1;
        s->tenant = r->tenant;
        if (r->tenant != MODEL_NONE &&
            rep_grow((void **)&c->tenants, &c->ntenants, (size_t)r->tenant + 1, sizeof *c->tenants) < 0) {
            c->failed = 1;
            return;
        }
    }
    if (s->records < UINT32_MAX)
        s->records++;
    if (r->outcome == MODEL_OUTCOME_REJECTED || r->kind == MODEL_KIND_DATA_LOSS)
        s->notable = 1;
    if (r->to_state > MODEL_STATE_NONE && r->to_state < NSTATES && r->to_state != s->state)
        change_state(c, r);
    if (((r->kind == MODEL_KIND_ACTION && r->action >= 0) || is_event_kind(r->kind)) && !s->truncated) {
        if (c->nmk >= REP_CHARTS_MAX_MARKERS) {
            /* a renewal marker is a reminder, not a lesson: past the cap it is dropped
             * rather than taking the row (a large run renews far more than it acts) */
            if (r->kind != MODEL_KIND_RENEWAL_COMPLETED)
                s->truncated = 1;
        } else if (rep_grow((void **)&c->mk, &c->cap_mk, c->nmk + 1, sizeof *c->mk) < 0) {
            c->failed = 1;
        } else {
            ch_marker *m = &c->mk[c->nmk++];
            m->time = r->time;
            m->licenses = r->has_licenses ? r->licenses : 0;
            m->sub = i;
            m->kind = (uint8_t)r->kind;
            m->action = (int16_t)r->action;
            m->rejected = r->outcome == MODEL_OUTCOME_REJECTED;
            m->reason = (uint8_t)r->reason;
        }
    }
}

static void sink_emit(void *ctx, const model_record *r)
{
    rep_charts_record(ctx, r);
}

model_sink rep_charts_sink(rep_charts *c)
{
    model_sink s = {sink_emit, c};
    return s;
}

void rep_charts_free(rep_charts *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->npartners; i++)
        free(c->partners[i].v);
    free(c->partners);
    free(c->subs);
    free(c->tenants);
    free(c->iv);
    free(c->mk);
    free(c->snap);
    free(c->snap_loss);
    free(c->hist);
    free(c->peak_hist);
    free(c);
}

/* ---- writing helpers -------------------------------------------------------------------- */

/* s as a gnuplot single-quoted string: '' for a quote, control characters as spaces. */
static void gp_string(rep_out *o, const char *s)
{
    rep_write(o, "'", 1);
    for (; *s; s++) {
        if (*s == '\'')
            rep_write(o, "''", 2);
        else if ((unsigned char)*s < 0x20 || *s == 0x7f)
            rep_write(o, " ", 1);
        else
            rep_write(o, s, 1);
    }
    rep_write(o, "'", 1);
}

static void put_instant(rep_out *o, sim_time t)
{
    char b[SIM_TIME_BUF];
    rep_puts(o, sim_format_instant(t, b));
}

static void put_date(rep_out *o, sim_time t)
{
    char b[SIM_TIME_BUF];
    rep_puts(o, sim_format_date(t, b));
}

/* The terminal lines, the plot (written by the caller between head and tail), then the same
 * plot again as SVG through replot. */
static void gp_head(rep_out *o, int chart, const char *scenario)
{
    const char *name = rep_chart_names[chart], *title = rep_chart_titles[chart];
    rep_printf(o, "# %s.gp - cspsim chart; run `gnuplot %s.gp` in this directory: writes %s.png and %s.svg\n",
               name, name, name, name);
    rep_puts(o, "reset\n");
    rep_puts(o, "if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
                "    set terminal pngcairo size 1280,720 noenhanced font 'sans,12'\n"
                "} else {\n"
                "    set terminal png size 1280,720 noenhanced\n"
                "}\n");
    rep_printf(o, "set output '%s.png'\n", name);
    rep_puts(o, "set title ");
    char buf[512];
    snprintf(buf, sizeof buf, "%s: %s", scenario && *scenario ? scenario : "cspsim", title);
    gp_string(o, buf);
    rep_puts(o, " font ',16'\n");
    rep_puts(o, "set grid xtics ytics lc rgb '#d0d0d0'\n");
    rep_puts(o, "set border 3\nset tics nomirror\n");
}

static void gp_tail(rep_out *o, const char *name)
{
    rep_printf(o, "set terminal svg size 1280,720 noenhanced font 'sans,12' background '#ffffff'\n"
                  "set output '%s.svg'\n"
                  "replot\n"
                  "unset output\n",
               name);
}

static void gp_time_axis(rep_out *o, const char *timefmt, sim_time start, sim_time end, int instants)
{
    rep_printf(o, "set xdata time\nset timefmt '%s'\nset format x '%%Y-%%m-%%d'\nset xtics rotate by -30\n", timefmt);
    rep_puts(o, "set xlabel 'date (UTC)'\n");
    rep_puts(o, "set xrange ['");
    if (instants)
        put_instant(o, start);
    else
        put_date(o, start);
    rep_puts(o, "':'");
    if (instants)
        put_instant(o, end);
    else
        put_date(o, end);
    rep_puts(o, "']\n");
}

/* Commits o (which must hold the whole file); frees it. -1 when it failed. */
static int finish(rep_out *o)
{
    int rc = rep_out_commit(o);
    rep_out_free(o);
    return rc;
}

/* DIR/NAME.EXT's sink; NULL (writes do nothing, the commit fails) with c->failed set when
 * memory ran out. */
static rep_out *open_file(rep_charts *c, const char *dir, const char *name, const char *ext)
{
    char file[64];
    snprintf(file, sizeof file, "%s.%s", name, ext);
    rep_out *o = rep_out_file(dir, file);
    if (!o)
        c->failed = 1;
    return o;
}

/* ---- lifecycle -------------------------------------------------------------------------- */

/* Sorting indices by keys computed up front (qsort has no context argument; a file-level
 * context would make writes non-reentrant). Ascending by (k1, k2, index). */
typedef struct {
    int64_t k1, k2;
    uint32_t idx;
} keyed;

typedef void (*key_fn)(const rep_charts *c, uint32_t i, int64_t *k1, int64_t *k2);

static int cmp_keyed(const void *pa, const void *pb)
{
    const keyed *a = pa, *b = pb;
    if (a->k1 != b->k1)
        return a->k1 < b->k1 ? -1 : 1;
    if (a->k2 != b->k2)
        return a->k2 < b->k2 ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static int sort_keyed(const rep_charts *c, uint32_t *idx, size_t n, key_fn key)
{
    if (n < 2)
        return 0;
    keyed *k = malloc(n * sizeof *k);
    if (!k)
        return -1;
    for (size_t i = 0; i < n; i++) {
        k[i].idx = idx[i];
        k[i].k2 = 0;
        key(c, idx[i], &k[i].k1, &k[i].k2);
    }
    qsort(k, n, sizeof *k, cmp_keyed);
    for (size_t i = 0; i < n; i++)
        idx[i] = k[i].idx;
    free(k);
    return 0;
}

/* Rows with a rejected action or data loss first, then those with the most records. */
static void key_most_records(const rep_charts *c, uint32_t i, int64_t *k1, int64_t *k2)
{
    *k1 = -(int64_t)c->subs[i].notable;
    *k2 = -(int64_t)c->subs[i].records;
}

static void key_tenant(const rep_charts *c, uint32_t i, int64_t *k1, int64_t *k2)
{
    (void)k2;
    *k1 = c->subs[i].tenant;
}

static void key_highest_peak(const rep_charts *c, uint32_t i, int64_t *k1, int64_t *k2)
{
    (void)k2;
    *k1 = -(int64_t)c->tenants[i].peak;
}

static void key_most_billed(const rep_charts *c, uint32_t i, int64_t *k1, int64_t *k2)
{
    *k1 = -c->partners[i].billed;
    *k2 = -c->partners[i].refunded;
}



static const char *tenant_name(const model_world *w, uint32_t t)
{
    return t == MODEL_NONE ? "(no tenant)" : model_tenant_id(w, t);
}

/* How block 3's events are drawn, in plot (and legend) order; label: a sprintf format of
 * the licenses, NULL for a marker without a label (renewals recur on every term). */
typedef struct {
    model_kind kind;
    const char *point, *colour, *title, *label;
} ch_event_style;

static const ch_event_style event_styles[] = {
    {MODEL_KIND_DATA_LOSS, "pt 7 ps 2.6", "#b00000", "DATA LOST (deleted, not replaced)", "DATA LOST: %s licenses"},
    {MODEL_KIND_DATA_KEPT, "pt 5 ps 2.2", "#1a7f37", "data kept (a replacement took over)", "data kept: %s licenses"},
    {MODEL_KIND_LICENSE_REASSIGNMENT, "pt 13 ps 2.4", "#0050b0", "licenses reassigned", "reassigned: %s licenses"},
    {MODEL_KIND_RENEWAL_COMPLETED, "pt 6 ps 1.8 lw 2", "#000000", "renewed (new term)", NULL},
};

/* Labels of lifecycle.dat's block `index` (rows where `when` holds) next to their markers:
 * right of a marker in the chart's first half, left of it in the second, so that no label
 * runs off the plot; dy: the vertical offset in characters; n: how many markers fall in
 * each half. Needs `mid` (set by the caller). */
static void gp_labels(rep_out *o, int index, const char *when, const char *text, const char *dy,
                      const char *colour, const size_t n[2])
{
    for (int late = 0; late <= 1; late++)
        if (n[late]) /* gnuplot warns about a plot without points */
            rep_printf(o,
                   "    'lifecycle.dat' index %d using 1:((%s) && (timecolumn(1) %s mid) ? $2 : NaN):(%s) "
                   "with labels boxed %s offset %s,%s font ',11' tc rgb '%s' notitle, \\\n",
                   index, when, late ? ">=" : "<", text, late ? "right" : "left", late ? "-1.2" : "1.2", dy, colour);
}

static int write_lifecycle(rep_charts *c, const char *dir, const char *scenario, sim_time start, sim_time end)
{
    const model_world *w = c->w;
    char idbuf[REP_SUB_ID_BUF];
    uint32_t *rows = NULL;
    int32_t *row_of = NULL;
    size_t nrows = 0;
    if (c->nsubs > 0) {
        rows = malloc(c->nsubs * sizeof *rows);
        row_of = malloc(c->nsubs * sizeof *row_of);
        if (!rows || !row_of) {
            free(rows);
            free(row_of);
            c->failed = 1; /* memory ran out */
            return -1;
        }
    }
    for (size_t i = 0; i < c->nsubs; i++) {
        const ch_sub *s = &c->subs[i];
        row_of[i] = -1;
        if (!s->seen || s->truncated)
            continue;
        if (c->opts.tenant && strcmp(tenant_name(w, s->tenant), c->opts.tenant) != 0)
            continue;
        if (c->opts.subscription && strcmp(rep_sub_id(w, (uint32_t)i, idbuf), c->opts.subscription) != 0)
            continue;
        rows[nrows++] = (uint32_t)i;
    }
    int sorted = sort_keyed(c, rows, nrows, key_most_records);
    if (nrows > c->opts.max_rows)
        nrows = c->opts.max_rows;
    if (sorted || sort_keyed(c, rows, nrows, key_tenant)) {
        free(rows);
        free(row_of);
        c->failed = 1; /* memory ran out */
        return -1;
    }
    for (size_t r = 0; r < nrows; r++)
        row_of[rows[r]] = (int32_t)r;

    rep_out *o = open_file(c, dir, "lifecycle", "dat");
    size_t nbars = 0, nacc = 0, nrej = 0, nrej_half[2] = {0};
    sim_time mid = start + (end - start) / 2; /* labels of later markers go to their left */
    rep_puts(o, "# lifecycle: one row per subscription (row numbers as on the chart, 0 at the top)\n");
    rep_puts(o, "# block 0, state intervals: row from to state_number state\n");
    for (size_t k = 0; k < c->niv + c->nsubs; k++) {
        /* the closed intervals, then every row's still-open one */
        ch_interval x;
        if (k < c->niv) {
            x = c->iv[k];
        } else {
            size_t i = k - c->niv;
            if (row_of[i] < 0 || c->subs[i].state == MODEL_STATE_NONE)
                continue;
            x.from = c->subs[i].since;
            x.to = end;
            x.sub = (uint32_t)i;
            x.state = c->subs[i].state;
        }
        if (row_of[x.sub] < 0)
            continue;
        sim_time from = x.from == FROM_START || x.from < start ? start : x.from;
        sim_time to = x.to > end ? end : x.to;
        if (to <= from)
            continue;
        rep_printf(o, "%d ", (int)row_of[x.sub]);
        put_instant(o, from);
        rep_puts(o, " ");
        put_instant(o, to);
        rep_printf(o, " %d %s\n", (int)x.state, model_state_name(x.state));
        nbars++;
    }
    for (int rej = 0; rej <= 1; rej++) {
        rep_printf(o, "\n\n# block %d, %s actions: time row action%s\n", rej + 1,
                   rep_outcome_name(rej ? MODEL_OUTCOME_REJECTED : MODEL_OUTCOME_ACCEPTED), rej ? " reason" : "");
        for (size_t k = 0; k < c->nmk; k++) {
            const ch_marker *m = &c->mk[k];
            if (m->kind != MODEL_KIND_ACTION || m->rejected != rej || row_of[m->sub] < 0)
                continue;
            put_instant(o, m->time < start ? start : m->time);
            rep_printf(o, " %d %s", (int)row_of[m->sub], model_action_name(m->action));
            if (rej) {
                const char *code = model_reason_code((model_reason)m->reason);
                rep_printf(o, " %s", *code ? code : rep_outcome_name(MODEL_OUTCOME_REJECTED));
                nrej++;
                nrej_half[(m->time < start ? start : m->time) >= mid]++;
            } else {
                nacc++;
            }
            rep_puts(o, "\n");
        }
    }
    /* block 3: what happened to the data and the term, so that a subscription whose data
     * was lost and one whose data was kept look different on bars of the same colours */
    size_t nev[MODEL_KIND_COUNT] = {0}, nev_half[MODEL_KIND_COUNT][2] = {{0}};
    rep_puts(o, "\n\n# block 3, lifecycle events: time row event licenses\n");
    for (size_t k = 0; k < c->nmk; k++) {
        const ch_marker *m = &c->mk[k];
        if (m->kind == MODEL_KIND_ACTION || row_of[m->sub] < 0)
            continue;
        put_instant(o, m->time < start ? start : m->time);
        rep_printf(o, " %d %s %" PRId64 "\n", (int)row_of[m->sub], model_kind_name((model_kind)m->kind),
                   m->licenses);
        nev[m->kind]++;
        nev_half[m->kind][m->time >= mid]++;
    }
    int rc = finish(o);

    /* gnuplot's index counts only blocks with data: an empty block takes no number */
    int idx_acc = nbars > 0, idx_rej = idx_acc + (nacc > 0), idx_ev = idx_rej + (nrej > 0);

    o = open_file(c, dir, "lifecycle", "gp");
    gp_head(o, 0, scenario);
    gp_time_axis(o, "%Y-%m-%dT%H:%M:%SZ", start, end, 1);
    rep_puts(o, "set ylabel 'tenant / subscription'\n");
    rep_printf(o, "set yrange [%d.5:-0.5]\n", (int)(nrows > 0 ? nrows - 1 : 0));
    /* 11 px is the smallest text still read from a projected 1280x720 chart; rows are about
     * 600 / nrows px tall, so past LABELLED_ROWS rows only every step-th row is named */
    enum { LABELLED_ROWS = 45 };
    size_t step = (nrows + LABELLED_ROWS - 1) / LABELLED_ROWS;
    rep_printf(o, "set ytics font ',%d'\n", nrows > 15 ? 11 : 12);
    rep_puts(o, "set ytics (");
    for (size_t r = 0; r < nrows; r++) {
        char label[256];
        snprintf(label, sizeof label, "%s / %s", tenant_name(w, c->subs[rows[r]].tenant),
                 rep_sub_id(w, rows[r], idbuf));
        if (r > 0)
            rep_puts(o, ", ");
        gp_string(o, step > 1 && r % step ? "" : label);
        rep_printf(o, " %d", (int)r);
    }
    rep_puts(o, ")\nset grid noytics\n");
    rep_puts(o, "set key outside right top vertical box opaque\n");
    rep_puts(o, "set style textbox opaque fc rgb '#ffffff' noborder\n");
    rep_printf(o, "mid = %" PRId64 " # the chart's middle (seconds since 1970): labels turn left after it\n", mid);
    rep_puts(o, "set style fill solid 1.0 noborder\n");
    rep_puts(o, "statecolour(s) = ");
    for (int s = 1; s < NSTATES; s++) {
        unsigned long rgb = strtoul(state_colour[s] + 1, NULL, 16);
        rep_printf(o, "s == %d ? %lu : ", s, rgb);
    }
    rep_puts(o, "0\n");
    rep_puts(o, "plot \\\n");
    if (nbars > 0)
        rep_puts(o, "    'lifecycle.dat' index 0 using (timecolumn(2)):1:(timecolumn(2)):(timecolumn(3)):($1-0.35):($1+0.35):"
                    "(statecolour($4)) with boxxyerror lc rgb variable notitle, \\\n");
    else
        rep_puts(o, "    NaN notitle, \\\n");
    for (int s = 1; s < NSTATES; s++)
        rep_printf(o, "    keyentry with boxes lc rgb '%s' title '%s', \\\n", state_colour[s], model_state_name(s));
    if (nacc > 0)
        rep_printf(o, "    'lifecycle.dat' index %d using 1:2 with points pt 9 ps 1.8 lc rgb '#000000' "
                      "title 'scripted action', \\\n", idx_acc);
    if (nrej > 0)
        rep_printf(o, "    'lifecycle.dat' index %d using 1:2 with points pt 2 ps 2.2 lw 3 lc rgb '#e00000' "
                      "title 'rejected action (reason)', \\\n", idx_rej);
    if (nrej > 0)
        gp_labels(o, idx_rej, "1", "strcol(4)", "0.8", "#e00000", nrej_half);
    for (size_t e = 0; e < sizeof event_styles / sizeof *event_styles; e++) {
        const ch_event_style *st = &event_styles[e];
        const char *kind = model_kind_name(st->kind);
        if (nev[st->kind] == 0)
            continue;
        rep_printf(o, "    'lifecycle.dat' index %d using 1:(strcol(3) eq '%s' ? $2 : NaN) with points %s lc rgb '%s' "
                      "title '%s', \\\n",
                   idx_ev, kind, st->point, st->colour, st->title);
        if (st->label) {
            char when[64], text[128];
            snprintf(when, sizeof when, "strcol(3) eq '%s'", kind);
            snprintf(text, sizeof text, "sprintf('%s', strcol(4))", st->label);
            gp_labels(o, idx_ev, when, text, "-0.9", st->colour, nev_half[st->kind]);
        }
    }
    rep_puts(o, "    NaN notitle\n");
    gp_tail(o, "lifecycle");
    if (finish(o) < 0)
        rc = -1;
    free(rows);
    free(row_of);
    return rc;
}

/* ---- tenant-count ----------------------------------------------------------------------- */

typedef struct {
    sim_time t;
    int delta;
} ch_step;

static int by_time(const void *pa, const void *pb)
{
    const ch_step *a = pa, *b = pb;
    return a->t < b->t ? -1 : a->t > b->t;
}


/* Adds the live steps of tenant t's subscriptions to *steps. -1 when memory ran out. */
static int tenant_steps(const rep_charts *c, uint32_t t, sim_time start, sim_time end, ch_step **steps,
                        size_t *n, size_t *cap)
{
    for (size_t k = 0; k < c->niv + c->nsubs; k++) {
        sim_time from, to;
        uint32_t sub;
        int state;
        if (k < c->niv) {
            from = c->iv[k].from, to = c->iv[k].to, sub = c->iv[k].sub, state = c->iv[k].state;
        } else {
            sub = (uint32_t)(k - c->niv);
            from = c->subs[sub].since, to = end, state = c->subs[sub].state;
        }
        if (c->subs[sub].tenant != t || c->subs[sub].truncated || !is_live(state))
            continue;
        if (from == FROM_START || from < start)
            from = start;
        if (to > end)
            to = end;
        if (to <= from)
            continue;
        if (rep_grow((void **)steps, cap, *n + 2, sizeof **steps) < 0)
            return -1;
        (*steps)[(*n)++] = (ch_step){from, 1};
        if (to < end)
            (*steps)[(*n)++] = (ch_step){to, -1};
    }
    return 0;
}

/* A population's tenant-count: how many tenants have how many live subscriptions, at the
 * end and on the day with the most live subscriptions (bars side by side, bins of `bw`
 * counts so that the limit fits in about 80 bins), against the duplication line and the
 * limit. Tenants with none are left out (they would dwarf every bar). */
static int write_tenant_histogram(rep_charts *c, const char *dir, const char *scenario, int64_t limit, size_t ntenants)
{
    size_t top = 0; /* the largest live count with a tenant, at the end or the peak */
    for (size_t v = 1; v < c->nhist; v++)
        if (c->hist[v])
            top = v;
    for (size_t v = 1; v < c->npeak_hist; v++)
        if (c->peak_hist[v] && v > top)
            top = v;
    int64_t xmax = limit > 0 ? limit + limit / 10 + 1 : 10;
    if ((int64_t)top + 1 > xmax)
        xmax = (int64_t)top + 1;
    int64_t bw = (xmax + 79) / 80;
    uint64_t most = 0;
    char day[SIM_TIME_BUF];
    const char *peak_day = c->peak_live > 0 ? sim_format_date(c->peak_day * SIM_DAY, day) : "none";
    rep_out *o = open_file(c, dir, "tenant-count", "dat");
    rep_printf(o, "# tenant-count: tenants by live (pending, trial, active, suspended) subscriptions; %zu tenants "
                  "had any; bins of %" PRId64 "\n", ntenants, bw);
    rep_printf(o, "# from to tenants_at_end tenants_on_%s (the day with the most live subscriptions)\n", peak_day);
    for (int64_t lo = bw == 1 ? 1 : 0; lo <= (int64_t)top; lo += bw) {
        uint64_t at_end = 0, at_peak = 0;
        for (int64_t v = lo > 0 ? lo : 1; v < lo + bw; v++) {
            at_end += (size_t)v < c->nhist ? c->hist[v] : 0;
            at_peak += (size_t)v < c->npeak_hist ? c->peak_hist[v] : 0;
        }
        most = at_end > most ? at_end : most;
        most = at_peak > most ? at_peak : most;
        rep_printf(o, "%" PRId64 " %" PRId64, lo, lo + bw - 1);
        if (at_end) /* an empty bin is no bar, also on a log scale */
            rep_printf(o, " %" PRIu64, at_end);
        else
            rep_puts(o, " NaN");
        if (at_peak)
            rep_printf(o, " %" PRIu64 "\n", at_peak);
        else
            rep_puts(o, " NaN\n");
    }
    if (top == 0)
        rep_puts(o, "1 1 NaN NaN\n");
    int rc = finish(o);

    o = open_file(c, dir, "tenant-count", "gp");
    gp_head(o, 1, scenario);
    rep_printf(o, "set xlabel 'live subscriptions per tenant (bins of %" PRId64 ")'\n", bw);
    rep_puts(o, "set ylabel 'tenants'\nset key outside right top vertical box\n");
    rep_printf(o, "set xrange [0:%" PRId64 "]\n", xmax);
    if (most > 50)
        rep_puts(o, "set logscale y\nset yrange [0.8:*]\n");
    else
        rep_puts(o, "set yrange [0:*]\n");
    rep_puts(o, "set style fill solid 1.0 noborder\n");
    rep_printf(o, "bw = %" PRId64 ".0\n", bw);
    if (limit > 0) { /* the two lines as vertical arrows; their legend entries below */
        rep_printf(o, "set arrow 1 from %" PRId64 "%s, graph 0 to %" PRId64 "%s, graph 1 nohead dt 3 lw 2 lc rgb '#e08000'\n",
                   limit / 2, limit % 2 ? ".5" : "", limit / 2, limit % 2 ? ".5" : "");
        rep_printf(o, "set arrow 2 from %" PRId64 ", graph 0 to %" PRId64 ", graph 1 nohead dt 2 lw 2 lc rgb '#c00000'\n",
                   limit, limit);
    }
    char title[160];
    snprintf(title, sizeof title, "on %s (most live subscriptions)", peak_day);
    rep_puts(o, "plot \\\n");
    rep_puts(o, "    'tenant-count.dat' using (($1 + $2 + 1) / 2.0 - bw / 4):3:(bw / 2) with boxes lc rgb '#1f77b4' "
                "title 'at the end', \\\n");
    rep_puts(o, "    'tenant-count.dat' using (($1 + $2 + 1) / 2.0 + bw / 4):4:(bw / 2) with boxes lc rgb '#ff7f0e' "
                "title ");
    gp_string(o, title);
    if (limit > 0) {
        snprintf(title, sizeof title, "duplication line %" PRId64 "%s (moving all of more exceeds the limit)",
                 limit / 2, limit % 2 ? ".5" : "");
        rep_puts(o, ", \\\n    keyentry with lines dt 3 lw 2 lc rgb '#e08000' title ");
        gp_string(o, title);
        rep_printf(o, ", \\\n    keyentry with lines dt 2 lw 2 lc rgb '#c00000' title 'tenant limit (%" PRId64 ")'", limit);
    }
    rep_puts(o, "\n");
    gp_tail(o, "tenant-count");
    if (finish(o) < 0)
        rc = -1;
    return rc;
}

static int write_tenant_count(rep_charts *c, const char *dir, const char *scenario, sim_time start, sim_time end,
                              int64_t limit)
{
    const model_world *w = c->w;
    uint32_t chosen[REP_CHARTS_TENANT_LINES];
    size_t nchosen = 0;
    uint32_t *all = c->ntenants ? malloc(c->ntenants * sizeof *all) : NULL;
    if (c->ntenants && !all) {
        c->failed = 1; /* memory ran out */
        return -1;
    }
    size_t nall = 0;
    for (size_t i = 0; i < c->ntenants; i++) {
        if (c->opts.tenant ? strcmp(model_tenant_id(w, (uint32_t)i), c->opts.tenant) == 0 : c->tenants[i].peak > 0)
            all[nall++] = (uint32_t)i;
    }
    if (!c->opts.tenant && nall > REP_CHARTS_TENANT_LINES) { /* more than the lines can show */
        free(all);
        return write_tenant_histogram(c, dir, scenario, limit, nall);
    }
    if (sort_keyed(c, all, nall, key_highest_peak)) {
        free(all);
        c->failed = 1; /* memory ran out */
        return -1;
    }
    for (size_t i = 0; i < nall && nchosen < REP_CHARTS_TENANT_LINES; i++)
        chosen[nchosen++] = all[i];
    free(all);

    ch_step *steps = NULL;
    size_t cap = 0;
    int rc = 0;
    rep_out *o = open_file(c, dir, "tenant-count", "dat");
    rep_puts(o, "# tenant-count: live (pending, trial, active, suspended) subscriptions; one block per tenant\n");
    rep_puts(o, "# time live\n");
    for (size_t k = 0; k < nchosen || (k == 0 && nchosen == 0); k++) {
        size_t n = 0;
        if (k > 0)
            rep_puts(o, "\n\n");
        if (nchosen > 0) {
            rep_printf(o, "# tenant %s\n", model_tenant_id(w, chosen[k]));
            if (tenant_steps(c, chosen[k], start, end, &steps, &n, &cap) < 0) {
                rep_out_fail(o, ENOMEM);
                c->failed = 1;
                rc = -1;
                break;
            }
        }
        if (n > 0)
            qsort(steps, n, sizeof *steps, by_time);
        int64_t live = 0;
        put_instant(o, start);
        rep_puts(o, " 0\n");
        for (size_t i = 0; i < n;) {
            sim_time t = steps[i].t;
            while (i < n && steps[i].t == t)
                live += steps[i++].delta;
            put_instant(o, t);
            rep_printf(o, " %" PRId64 "\n", live);
        }
        put_instant(o, end);
        rep_printf(o, " %" PRId64 "\n", live);
    }
    free(steps);
    if (finish(o) < 0)
        rc = -1;

    o = open_file(c, dir, "tenant-count", "gp");
    gp_head(o, 1, scenario);
    gp_time_axis(o, "%Y-%m-%dT%H:%M:%SZ", start, end, 1);
    rep_puts(o, "set ylabel 'live subscriptions (pending, trial, active, suspended)'\n");
    rep_puts(o, "set key outside right top vertical box\n");
    /* far below the limit (a peak under a quarter of it) the axis fits the data, and the
     * two lines, off the scale, become labelled arrows pointing up at the top */
    int64_t peak = 0;
    for (size_t k = 0; k < nchosen; k++)
        peak = c->tenants[chosen[k]].peak > peak ? c->tenants[chosen[k]].peak : peak;
    int scaled = limit > 0 && peak < limit / 4;
    if (scaled) {
        int64_t top = peak + peak / 4 + 2; /* room above the data for the arrows */
        rep_printf(o, "set yrange [0:%" PRId64 "]\n", top);
        if (top <= 12)
            rep_puts(o, "set ytics 1\n");
        char text[200];
        snprintf(text, sizeof text, "tenant limit %" PRId64 " (off the scale, above)", limit);
        rep_puts(o, "set arrow 1 from graph 0.03, graph 0.86 to graph 0.03, graph 0.99 head filled size "
                    "screen 0.012,25 lw 2 lc rgb '#c00000'\n");
        rep_puts(o, "set label 1 ");
        gp_string(o, text);
        rep_puts(o, " at graph 0.045, graph 0.95 left font ',12' tc rgb '#c00000'\n");
        snprintf(text, sizeof text,
                 "duplication line %" PRId64 "%s: a move of more than %" PRId64 " subscriptions exceeds the limit",
                 limit / 2, limit % 2 ? ".5" : "", limit / 2);
        rep_puts(o, "set arrow 2 from graph 0.03, graph 0.72 to graph 0.03, graph 0.84 head filled size "
                    "screen 0.012,25 lw 2 dt 3 lc rgb '#e08000'\n");
        rep_puts(o, "set label 2 ");
        gp_string(o, text);
        rep_puts(o, " at graph 0.045, graph 0.80 left font ',12' tc rgb '#a05000'\n");
    } else {
        rep_printf(o, "set yrange [0:%" PRId64 "]\n", limit > 0 ? limit + limit / 10 + 1 : 10);
    }
    rep_puts(o, "plot \\\n");
    for (size_t k = 0; k < nchosen || (k == 0 && nchosen == 0); k++) {
        rep_printf(o, "    'tenant-count.dat' index %zu using 1:2 with steps lw 3 lc rgb '%s' title ", k,
                   line_colour[k % 8]);
        gp_string(o, nchosen ? model_tenant_id(w, chosen[k]) : "(no live subscriptions)");
        rep_puts(o, ", \\\n");
    }
    if (limit > 0 && !scaled) {
        char half[48], title[160];
        snprintf(half, sizeof half, "%" PRId64 "%s", limit / 2, limit % 2 ? ".5" : "");
        rep_printf(o, "    %" PRId64 " with lines dt 2 lw 2 lc rgb '#c00000' title 'tenant limit (%" PRId64 ")', \\\n",
                   limit, limit);
        /* moving m of a tenant's n live subscriptions holds n + m at once; moving all of them
         * exceeds the limit when 2n > limit, that is n > limit / 2 (integer division) */
        snprintf(title, sizeof title,
                 "duplication line (a move of more than %" PRId64 " subscriptions exceeds the limit)", limit / 2);
        rep_printf(o, "    %s with lines dt 3 lw 2 lc rgb '#e08000' title ", half);
        gp_string(o, title);
        rep_puts(o, "\n");
    } else {
        rep_puts(o, "    NaN notitle\n");
    }
    gp_tail(o, "tenant-count");
    if (finish(o) < 0)
        rc = -1;
    return rc;
}

/* ---- billing ---------------------------------------------------------------------------- */


static const char *partner_name(const model_world *w, size_t slot)
{
    return slot == 0 ? "web-direct" : model_partner_id(w, (uint32_t)(slot - 1));
}

static void put_money(rep_out *o, int64_t minor)
{
    char b[REP_MONEY_BUF];
    rep_money(b, sizeof b, minor);
    rep_puts(o, b);
}

static int write_billing(rep_charts *c, const char *dir, const char *scenario, sim_time start, sim_time end)
{
    const model_world *w = c->w;
    uint32_t chosen[REP_CHARTS_PARTNER_LINES];
    size_t nchosen = 0;
    uint32_t *all = c->npartners ? malloc(c->npartners * sizeof *all) : NULL;
    if (c->npartners && !all) {
        c->failed = 1; /* memory ran out */
        return -1;
    }
    size_t nall = 0;
    for (size_t i = 0; i < c->npartners; i++)
        if (c->partners[i].n > 0)
            all[nall++] = (uint32_t)i;
    if (sort_keyed(c, all, nall, key_most_billed)) {
        free(all);
        c->failed = 1; /* memory ran out */
        return -1;
    }
    for (size_t i = 0; i < nall && nchosen < REP_CHARTS_PARTNER_LINES; i++)
        chosen[nchosen++] = all[i];
    free(all);

    rep_out *o = open_file(c, dir, "billing", "dat");
    rep_puts(o, "# billing: cumulative billed and refunded per partner (currency units); one block per partner\n");
    rep_puts(o, "# date billed refunded\n");
    for (size_t k = 0; k < nchosen || (k == 0 && nchosen == 0); k++) {
        if (k > 0)
            rep_puts(o, "\n\n");
        int64_t billed = 0, refunded = 0;
        put_date(o, start);
        rep_puts(o, " 0.00 0.00\n");
        if (nchosen > 0) {
            const ch_partner *p = &c->partners[chosen[k]];
            rep_printf(o, "# partner %s\n", partner_name(w, chosen[k]));
            for (size_t i = 0; i < p->n; i++) {
                billed += p->v[i].billed;
                refunded += p->v[i].refunded;
                put_date(o, p->v[i].day * SIM_DAY);
                rep_puts(o, " ");
                put_money(o, billed);
                rep_puts(o, " ");
                put_money(o, refunded);
                rep_puts(o, "\n");
            }
        }
        put_date(o, end);
        rep_puts(o, " ");
        put_money(o, billed);
        rep_puts(o, " ");
        put_money(o, refunded);
        rep_puts(o, "\n");
    }
    int rc = finish(o);

    o = open_file(c, dir, "billing", "gp");
    gp_head(o, 2, scenario);
    gp_time_axis(o, "%Y-%m-%d", start, end, 0);
    rep_puts(o, "set ylabel 'amount (currency units)'\nset yrange [0:*]\n");
    rep_puts(o, "set key outside right top vertical box\n");
    rep_puts(o, "plot \\\n");
    for (size_t k = 0; k < nchosen || (k == 0 && nchosen == 0); k++) {
        char title[200];
        const char *name = nchosen ? partner_name(w, chosen[k]) : "(no billing)";
        snprintf(title, sizeof title, "%s billed", name);
        rep_printf(o, "    'billing.dat' index %zu using 1:2 with steps lw 3 lc rgb '%s' title ", k, line_colour[k % 8]);
        gp_string(o, title);
        snprintf(title, sizeof title, "%s refunded", name);
        rep_printf(o, ", \\\n    'billing.dat' index %zu using 1:3 with steps lw 3 dt 2 lc rgb '%s' title ", k,
                   line_colour[k % 8]);
        gp_string(o, title);
        rep_puts(o, k + 1 < nchosen ? ", \\\n" : "\n");
    }
    gp_tail(o, "billing");
    if (finish(o) < 0)
        rc = -1;
    return rc;
}

/* ---- states ----------------------------------------------------------------------------- */

static int write_states(rep_charts *c, const char *dir, const char *scenario, sim_time start, sim_time end)
{
    int64_t first = day_of(start);
    int64_t last = day_of(end) + (sim_day_start(end) < end ? 1 : 0); /* exclusive */
    if (last <= first)
        last = first + 1;
    if (last - first > REP_CHARTS_MAX_DAYS)
        last = first + REP_CHARTS_MAX_DAYS;
    rep_out *o = open_file(c, dir, "states", "dat");
    rep_puts(o, "# states: subscriptions in each state at the end of each day\n# date");
    for (int s = 1; s < NSTATES; s++)
        rep_printf(o, " %s", model_state_name(s));
    for (int s = 1; s < NSTATES; s++)
        rep_printf(o, " sum_to_%s", model_state_name(s));
    rep_puts(o, "\n");
    static const int64_t zero[NSTATES];
    int64_t peak = 0;
    for (int64_t d = first; d < last; d++) {
        const int64_t *v = !c->started || d < c->day0 ? zero
                           : (size_t)(d - c->day0) < c->nsnap ? c->snap[d - c->day0]
                                                              : c->counts;
        put_date(o, d * SIM_DAY);
        for (int s = 1; s < NSTATES; s++)
            rep_printf(o, " %" PRId64, v[s]);
        int64_t sum = 0;
        for (int s = 1; s < NSTATES; s++) {
            sum += v[s];
            rep_printf(o, " %" PRId64, sum);
        }
        peak = sum > peak ? sum : peak;
        rep_puts(o, "\n");
    }
    int rc = finish(o);

    o = open_file(c, dir, "states", "gp");
    gp_head(o, 3, scenario);
    gp_time_axis(o, "%Y-%m-%d", start, (last - 1) * SIM_DAY, 0);
    rep_puts(o, "set ylabel 'subscriptions'\nset yrange [0:*]\n");
    if (peak <= 10)
        rep_puts(o, "set ytics 1\n");
    rep_puts(o, "set key outside right top vertical box\n");
    rep_puts(o, "set style fill solid 1.0 noborder\n");
    /* fillsteps fills down to the axis, so the stack is drawn top first and each lower
     * state paints over the part below it: steps, because the counts hold for a whole day */
    rep_puts(o, "plot \\\n");
    for (int s = NSTATES - 1; s >= 1; s--)
        rep_printf(o, "    'states.dat' using 1:%d with fillsteps lc rgb '%s' title '%s'%s\n", 1 + (NSTATES - 1) + s,
                   state_colour[s], model_state_name(s), s > 1 ? ", \\" : "");
    gp_tail(o, "states");
    if (finish(o) < 0)
        rc = -1;
    return rc;
}

/* ---- data-loss -------------------------------------------------------------------------- */

static int write_data_loss(rep_charts *c, const char *dir, const char *scenario, sim_time start, sim_time end)
{
    int64_t first = day_of(start);
    int64_t last = day_of(end) + (sim_day_start(end) < end ? 1 : 0); /* exclusive, as states */
    if (last <= first)
        last = first + 1;
    if (last - first > REP_CHARTS_MAX_DAYS)
        last = first + REP_CHARTS_MAX_DAYS;
    rep_out *o = open_file(c, dir, "data-loss", "dat");
    rep_puts(o, "# data-loss: licenses whose data was lost (SUB-4, SUB-12), cumulative at the end of each day\n"
                "# date licenses\n");
    int64_t peak = 0;
    for (int64_t d = first; d < last; d++) {
        int64_t v = !c->started || d < c->day0                ? 0
                    : (size_t)(d - c->day0) < c->nsnap ? c->snap_loss[d - c->day0]
                                                       : c->loss;
        put_date(o, d * SIM_DAY);
        rep_printf(o, " %" PRId64 "\n", v);
        peak = v > peak ? v : peak;
    }
    int rc = finish(o);
    o = open_file(c, dir, "data-loss", "gp");
    gp_head(o, 4, scenario);
    gp_time_axis(o, "%Y-%m-%d", start, (last - 1) * SIM_DAY, 0);
    rep_puts(o, "set ylabel 'licenses with data loss'\n");
    rep_puts(o, peak < 10 ? "set yrange [0:10]\n" : "set yrange [0:*]\n");
    rep_puts(o, "set key outside right top vertical box\n");
    rep_puts(o, "plot 'data-loss.dat' using 1:2 with steps lw 3 lc rgb '#b00000' title 'licenses with data loss'\n");
    gp_tail(o, "data-loss");
    if (finish(o) < 0)
        rc = -1;
    return rc;
}

int rep_charts_write(rep_charts *c, const char *dir, const char *scenario_name, sim_time start, sim_time end,
                     int64_t tenant_limit)
{
    if (c->failed)
        return -2;
    if (end < start)
        end = start;
    int rc = 0;
    if (write_lifecycle(c, dir, scenario_name, start, end) < 0)
        rc = -1;
    if (write_tenant_count(c, dir, scenario_name, start, end, tenant_limit) < 0)
        rc = -1;
    if (write_billing(c, dir, scenario_name, start, end) < 0)
        rc = -1;
    if (write_states(c, dir, scenario_name, start, end) < 0)
        rc = -1;
    if (write_data_loss(c, dir, scenario_name, start, end) < 0)
        rc = -1;
    return c->failed ? -2 : rc;
}
