/* cli/expect.c - the `expect` block: reading each expectation (with the typed readers of
 * cli/readers.h) and judging it: state at an instant, record counts, metrics, fingerprint. */
#include "expect.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "limits.h"

/* ---- reading ----------------------------------------------------------------------------- */

static int read_bounds(cli_loader *L, const cli_ynode *e, const char *exact_key, int money, cli_expect *x)
{
    const cli_ynode *v;
    struct {
        const char *key;
        int *has;
        int64_t *val;
    } b[] = {{exact_key, &x->has_exact, &x->exact}, {"min", &x->has_min, &x->min}, {"max", &x->has_max, &x->max}};
    for (int i = 0; i < 3; i++) {
        if (!(v = cli_ymap_get(e, b[i].key)))
            continue;
        if (money ? cli_read_money(L, v, b[i].key, 1, b[i].val) : cli_read_int(L, v, b[i].key, 0, INT64_MAX, b[i].val))
            return -1;
        *b[i].has = 1;
    }
    if (!x->has_exact && !x->has_min && !x->has_max)
        return CLI_FAIL_AT(L, e, "this expectation needs '%s', 'min' or 'max'", exact_key);
    if (x->has_exact && (x->has_min || x->has_max))
        return CLI_FAIL_AT(L, e, "give either '%s' or 'min'/'max', not both", exact_key);
    return 0;
}

static int load_expect(cli_loader *L, const cli_ynode *e, cli_expect *x)
{
    static const cli_keyspec state_keys[] = {{"at", 1}, {"subscription", 1}, {"state", 0}, {"licenses", 0}, {"offer", 0},
                                         {"partner", 0}, {"autorenew", 0}, {"term_end", 0}, CLI_KEYS_END};
    static const cli_keyspec event_keys_[] = {{"event", 1}, {"action", 0}, {"reason", 0}, {"rule", 0}, {"tenant", 0},
                                          {"partner", 0}, {"subscription", 0}, {"from", 0}, {"to", 0},
                                          {"amount", 0}, {"detail", 0}, {"count", 0}, {"min", 0},
                                          {"max", 0}, CLI_KEYS_END};
    static const cli_keyspec metric_keys[] = {{"metric", 1}, {"tenant", 0}, {"partner", 0}, {"value", 0}, {"min", 0},
                                          {"max", 0}, CLI_KEYS_END};
    const cli_ynode *v;
    memset(x, 0, sizeof *x);
    x->line = e->line;
    x->subscription = x->tenant = x->partner = x->offer = MODEL_NONE;
    x->action = x->reason = x->rule = x->event_kind = -1;
    if (e->kind != CLI_Y_MAP)
        return CLI_FAIL_AT(L, e, "an expectation must be a mapping, not a %s", cli_ykind_name(e));
    if (cli_ymap_get(e, "event")) {
        x->kind = CLI_EXPECT_EVENT;
        if (cli_check_keys(L, e, event_keys_, "an event expectation"))
            return -1;
        v = cli_ymap_get(e, "event");
        if (cli_read_scalar(L, v, "event"))
            return -1;
        if (strcmp(v->text, "accepted") == 0 || strcmp(v->text, "rejected") == 0) {
            x->outcome = v->text[0] == 'a' ? MODEL_OUTCOME_ACCEPTED : MODEL_OUTCOME_REJECTED;
        } else if ((x->event_kind = model_kind_find(v->text)) < 0) {
            return CLI_FAIL_AT(L, v, "unknown event kind '%s' (a record kind, accepted or rejected)", v->text);
        }
        if ((v = cli_ymap_get(e, "action")) && (cli_read_scalar(L, v, "action") || (x->action = model_action_find(v->text)) < 0))
            return x->action < 0 && v->kind == CLI_Y_SCALAR ? CLI_FAIL_AT(L, v, "unknown action '%s'", v->text) : -1;
        if ((v = cli_ymap_get(e, "reason"))) {
            if (cli_read_scalar(L, v, "reason"))
                return -1;
            x->reason = (int)model_reason_find(v->text);
            if (x->reason == MODEL_REASON_COUNT)
                return CLI_FAIL_AT(L, v, "unknown reason code '%s'", v->text);
        }
        if ((v = cli_ymap_get(e, "rule"))) {
            if (cli_read_scalar(L, v, "rule"))
                return -1;
            x->rule = (int)model_rule_find(v->text);
            if (x->rule == MODEL_RULE_COUNT)
                return CLI_FAIL_AT(L, v, "unknown rule id '%s'", v->text);
        }
        if ((v = cli_ymap_get(e, "tenant")) && cli_read_ref(L, v, &L->tenants, "tenant", &x->tenant))
            return -1;
        if ((v = cli_ymap_get(e, "partner")) && cli_read_ref(L, v, &L->partners, "partner", &x->partner))
            return -1;
        if ((v = cli_ymap_get(e, "subscription")) && cli_read_ref(L, v, &L->subs, "subscription", &x->subscription))
            return -1;
        if ((v = cli_ymap_get(e, "from")) && cli_read_when(L, v, "from", &x->from))
            return -1;
        x->has_from = v != NULL;
        if ((v = cli_ymap_get(e, "to")) && cli_read_when(L, v, "to", &x->to))
            return -1;
        x->has_to = v != NULL;
        /* amount pins one charge or refund: exact, in currency units like prices */
        if ((v = cli_ymap_get(e, "amount")) && cli_read_money(L, v, "amount", 1, &x->amount))
            return -1;
        x->has_amount = v != NULL;
        if ((v = cli_ymap_get(e, "detail")) && (cli_read_text(L, v, "detail", &x->detail) || cli_read_scalar(L, v, "detail")))
            return -1;
        return read_bounds(L, e, "count", 0, x);
    }
    if (cli_ymap_get(e, "metric")) {
        x->kind = CLI_EXPECT_METRIC;
        if (cli_check_keys(L, e, metric_keys, "a metric expectation"))
            return -1;
        v = cli_ymap_get(e, "metric");
        if (cli_read_scalar(L, v, "metric"))
            return -1;
        for (x->metric = 0; x->metric < CLI_METRIC_COUNT && strcmp(cli_metric_name(x->metric), v->text); x->metric++)
            ;
        if (x->metric == CLI_METRIC_COUNT) {
            char names[300] = "";
            size_t len = 0;
            for (int j = 0; j < CLI_METRIC_COUNT; j++)
                len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", j ? ", " : "", cli_metric_name(j));
            return CLI_FAIL_AT(L, v, "unknown metric '%s' (%s)", v->text, names);
        }
        const char *mname = v->text;
        if ((v = cli_ymap_get(e, "tenant")) && cli_read_ref(L, v, &L->tenants, "tenant", &x->tenant))
            return -1;
        if (v && !(cli_metric_scope(x->metric) & CLI_PER_TENANT))
            return CLI_FAIL_AT(L, v, "%s is kept per partner, not per tenant", mname);
        if ((v = cli_ymap_get(e, "partner")) && cli_read_ref(L, v, &L->partners, "partner", &x->partner))
            return -1;
        if (v && !(cli_metric_scope(x->metric) & CLI_PER_PARTNER))
            return CLI_FAIL_AT(L, v, "%s is kept per tenant, not per partner", mname);
        if (x->tenant != MODEL_NONE && x->partner != MODEL_NONE)
            return CLI_FAIL_AT(L, e, "a metric is of a tenant or of a partner, not both");
        return read_bounds(L, e, "value", cli_metric_is_money(x->metric), x);
    }
    if (cli_ymap_get(e, "fingerprint")) {
        static const cli_keyspec fp_keys[] = {{"fingerprint", 1}, {"seed", 0}, CLI_KEYS_END};
        x->kind = CLI_EXPECT_FINGERPRINT;
        if (cli_check_keys(L, e, fp_keys, "a fingerprint expectation"))
            return -1;
        v = cli_ymap_get(e, "fingerprint");
        if (cli_read_scalar(L, v, "fingerprint"))
            return -1;
        char *end;
        errno = 0;
        unsigned long long fp = strtoull(v->text, &end, 16);
        if (v->len != 16 || *end || errno)
            return CLI_FAIL_AT(L, v, "fingerprint must be 16 hexadecimal digits (as `cspsim run` prints), not '%s'",
                           v->text);
        x->fingerprint = fp;
        int64_t seed;
        if ((v = cli_ymap_get(e, "seed")) && cli_read_int(L, v, "seed", 0, INT64_MAX, &seed))
            return -1;
        x->has_seed = v != NULL;
        x->seed = v ? (uint64_t)seed : 0;
        return 0;
    }
    if (cli_ymap_get(e, "at") || cli_ymap_get(e, "subscription")) {
        x->kind = CLI_EXPECT_STATE;
        if (cli_check_keys(L, e, state_keys, "a state expectation") || cli_read_when(L, cli_ymap_get(e, "at"), "at", &x->at) ||
            cli_read_ref(L, cli_ymap_get(e, "subscription"), &L->subs, "subscription", &x->subscription))
            return -1;
        if ((v = cli_ymap_get(e, "state")) && cli_read_state(L, v, "state", &x->state))
            return -1;
        x->has |= v ? CLI_HAS_STATE : 0;
        if ((v = cli_ymap_get(e, "licenses")) && cli_read_int(L, v, "licenses", 0, CLI_MAX_LICENSES, &x->licenses))
            return -1;
        x->has |= v ? CLI_HAS_LICENSES : 0;
        if ((v = cli_ymap_get(e, "offer")) && cli_read_ref(L, v, &L->offers, "offer", &x->offer))
            return -1;
        x->has |= v ? CLI_HAS_OFFER : 0;
        if ((v = cli_ymap_get(e, "partner")) && cli_read_ref(L, v, &L->partners, "partner", &x->partner))
            return -1;
        x->has |= v ? CLI_HAS_PARTNER : 0;
        if ((v = cli_ymap_get(e, "autorenew")) && cli_read_bool(L, v, "autorenew", &x->autorenew))
            return -1;
        x->has |= v ? CLI_HAS_AUTORENEW : 0;
        if ((v = cli_ymap_get(e, "term_end")) && cli_read_instant(L, v, "term_end", &x->term_end))
            return -1;
        x->has |= v ? CLI_HAS_TERM_END : 0;
        if (!x->has)
            return CLI_FAIL_AT(L, e, "a state expectation needs state, licenses, offer, partner, autorenew or term_end");
        if (x->at > L->s->end)
            x->at = L->s->end; /* nothing changes after the end */
        return 0;
    }
    return CLI_FAIL_AT(L, e, "an expectation needs 'at' and 'subscription', 'event', 'metric' or 'fingerprint'");
}

int cli_expect_load(cli_loader *L, const cli_ynode *list)
{
    cli_scenario *s = L->s;
    if (cli_read_list(L, list, "expect"))
        return -1;
    if (list->n > CLI_MAX_EXPECT)
        return CLI_FAIL_AT(L, list, "more than %d expectations (limit)", CLI_MAX_EXPECT);
    s->expects = calloc(list->n ? list->n : 1, sizeof *s->expects);
    if (!s->expects)
        return CLI_FAIL_AT(L, list, "out of memory");
    for (size_t i = 0; i < list->n; i++) {
        if (load_expect(L, list->items[i], &s->expects[i]))
            return -1;
        s->nexpects++;
    }
    return 0;
}

int cli_scenario_wants_fingerprint(const cli_scenario *s)
{
    for (size_t i = 0; i < s->nexpects; i++)
        if (s->expects[i].kind == CLI_EXPECT_FINGERPRINT)
            return 1;
    return 0;
}

/* ---- metrics ----------------------------------------------------------------------------- */

const char *cli_metric_name(int m)
{
    static const char *const names[] = {
#define X(name, text, money, scope) text,
        CLI_METRICS(X)
#undef X
    };
    return m >= 0 && m < CLI_METRIC_COUNT ? names[m] : "";
}

int cli_metric_is_money(int m)
{
    static const int money[] = {
#define X(name, text, is_money, scope) is_money,
        CLI_METRICS(X)
#undef X
    };
    return m >= 0 && m < CLI_METRIC_COUNT && money[m];
}

int cli_metric_scope(int m)
{
    static const int scope[] = {
#define X(name, text, money, sc) sc,
        CLI_METRICS(X)
#undef X
    };
    return m >= 0 && m < CLI_METRIC_COUNT ? scope[m] : 0;
}

static int64_t partner_figure(const model_world *w, int metric, uint32_t p)
{
    model_partner_figures f;
    int64_t billed, refunded;
    model_metrics_partner(w, p, &billed, &refunded);
    if (p == MODEL_NONE)
        memset(&f, 0, sizeof f);
    else
        model_partner_figures_get(w, p, &f);
    switch (metric) {
    case CLI_METRIC_BILLED: return billed;
    case CLI_METRIC_REFUNDED: return refunded;
    case CLI_METRIC_CLAIMS_WON: return f.claims_won;
    case CLI_METRIC_CLAIMS_REFUSED: return f.claims_refused;
    case CLI_METRIC_TRANSFERS_ACCEPTED: return f.transfers_accepted;
    case CLI_METRIC_TRANSFERS_REFUSED: return f.transfers_refused;
    default: return 0;
    }
}

int64_t cli_metric_value(const model_world *w, int metric, uint32_t tenant, uint32_t partner)
{
    if (partner != MODEL_NONE)
        return partner_figure(w, metric, partner);
    if (!(cli_metric_scope(metric) & CLI_PER_TENANT)) { /* partner figures: their sum */
        int64_t sum = 0;
        for (uint32_t p = 0; p < model_count_partners(w); p++)
            sum += partner_figure(w, metric, p);
        return sum;
    }
    model_metrics m;
    if (tenant != MODEL_NONE)
        model_metrics_tenant(w, tenant, &m);
    else
        model_metrics_total(w, &m);
    switch (metric) {
    case CLI_METRIC_DATA_LOSS_LICENSES: return m.data_loss_licenses;
    case CLI_METRIC_INTERRUPTION_DAYS: return m.interruption_days;
    case CLI_METRIC_BILLED: return m.billed;
    case CLI_METRIC_REFUNDED: return m.refunded;
    case CLI_METRIC_REJECTIONS: return m.rejections;
    case CLI_METRIC_DOUBLE_BILLING_DAYS: return m.double_billing_days;
    default: return 0;
    }
}

/* ---- judging ----------------------------------------------------------------------------- */

struct cli_checker {
    const cli_scenario *s;
    int64_t *counts;  /* per expectation: matching records */
    unsigned char *verdict; /* per expectation: HELD, FAILED or SKIPPED; the truth */
    char **message;   /* per expectation: why it failed or was skipped, else NULL */
    int *judged;
    sim_time *probes;
    size_t nprobes;
};

enum { HELD, FAILED, SKIPPED };

/* The message when memory ran out for the real one: not freed. */
static char lost_message[] = "(out of memory: the message was lost)";

static int cmp_time(const void *a, const void *b)
{
    sim_time x = *(const sim_time *)a, y = *(const sim_time *)b;
    return x < y ? -1 : x > y;
}

cli_checker *cli_checker_new(const cli_scenario *s)
{
    cli_checker *c = calloc(1, sizeof *c);
    size_t n = s->nexpects ? s->nexpects : 1;
    if (!c)
        return NULL;
    c->s = s;
    c->counts = calloc(n, sizeof *c->counts);
    c->verdict = calloc(n, sizeof *c->verdict);
    c->message = calloc(n, sizeof *c->message);
    c->judged = calloc(n, sizeof *c->judged);
    c->probes = calloc(n, sizeof *c->probes);
    if (!c->counts || !c->verdict || !c->message || !c->judged || !c->probes) {
        cli_checker_free(c);
        return NULL;
    }
    for (size_t i = 0; i < s->nexpects; i++)
        if (s->expects[i].kind == CLI_EXPECT_STATE)
            c->probes[c->nprobes++] = s->expects[i].at;
    qsort(c->probes, c->nprobes, sizeof *c->probes, cmp_time);
    size_t k = 0;
    for (size_t i = 0; i < c->nprobes; i++)
        if (k == 0 || c->probes[k - 1] != c->probes[i])
            c->probes[k++] = c->probes[i];
    c->nprobes = k;
    return c;
}

void cli_checker_free(cli_checker *c)
{
    if (!c)
        return;
    for (size_t i = 0; c->message && i < c->s->nexpects; i++)
        if (c->message[i] != lost_message)
            free(c->message[i]);
    free(c->counts);
    free(c->verdict);
    free(c->message);
    free(c->judged);
    free(c->probes);
    free(c);
}

const sim_time *cli_checker_probes(const cli_checker *c, size_t *n)
{
    *n = c->nprobes;
    return c->probes;
}

static int matches(const cli_expect *x, const model_record *r)
{
    if (x->event_kind >= 0 && (int)r->kind != x->event_kind)
        return 0;
    if (x->event_kind < 0 && (r->kind != MODEL_KIND_ACTION || (int)r->outcome != x->outcome))
        return 0;
    if (x->action >= 0 && r->action != x->action)
        return 0;
    if (x->reason >= 0 && (int)r->reason != x->reason)
        return 0;
    if (x->rule >= 0 && (int)r->rule != x->rule)
        return 0;
    if (x->tenant != MODEL_NONE && r->tenant != x->tenant)
        return 0;
    if (x->partner != MODEL_NONE && r->partner != x->partner)
        return 0;
    if (x->subscription != MODEL_NONE && r->subscription != x->subscription)
        return 0;
    if (x->has_from && r->time < x->from)
        return 0;
    if (x->has_to && r->time >= x->to)
        return 0;
    if (x->has_amount && (!r->has_amount || r->amount != x->amount))
        return 0;
    if (x->detail && !strstr(r->detail, x->detail))
        return 0;
    return 1;
}

void cli_checker_record(void *checker, const model_record *r)
{
    cli_checker *c = checker;
    for (size_t i = 0; i < c->s->nexpects; i++)
        if (c->s->expects[i].kind == CLI_EXPECT_EVENT && matches(&c->s->expects[i], r))
            c->counts[i]++;
}

/* Sets expectation i's verdict and its message; the verdict holds even when the copy of
 * the message cannot be made. */
static void judge(cli_checker *c, size_t i, int verdict, const char *fmt, va_list ap)
{
    char buf[512];
    vsnprintf(buf, sizeof buf, fmt, ap);
    if (c->message[i] != lost_message)
        free(c->message[i]);
    c->verdict[i] = (unsigned char)verdict;
    if (!(c->message[i] = strdup(buf)))
        c->message[i] = lost_message;
}

static void fail(cli_checker *c, size_t i, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void fail(cli_checker *c, size_t i, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    judge(c, i, FAILED, fmt, ap);
    va_end(ap);
}

static void skip(cli_checker *c, size_t i, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void skip(cli_checker *c, size_t i, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    judge(c, i, SKIPPED, fmt, ap);
    va_end(ap);
}

static const char *name_or(const char *id, uint32_t idx, char *buf, size_t size)
{
    if (id)
        return id;
    snprintf(buf, size, "s%u", (unsigned)idx);
    return buf;
}

void cli_checker_probe(cli_checker *c, sim_time t)
{
    const model_world *w = c->s->world;
    for (size_t i = 0; i < c->s->nexpects; i++) {
        const cli_expect *x = &c->s->expects[i];
        if (x->kind != CLI_EXPECT_STATE || x->at != t)
            continue;
        c->judged[i] = 1;
        model_sub_view v;
        model_subscription_view(w, x->subscription, &v);
        char tb[SIM_TIME_BUF], nb[24], eb[SIM_TIME_BUF];
        const char *sub = name_or(model_subscription_id(w, x->subscription), x->subscription, nb, sizeof nb);
        sim_format_instant(t, tb);
        int exists = v.state != MODEL_STATE_NONE;
        if ((x->has & CLI_HAS_STATE) && (int)v.state != x->state)
            fail(c, i, "expected %s to be %s at %s, saw %s", sub, model_state_name(x->state), tb,
                 model_state_name(v.state));
        else if ((x->has & CLI_HAS_LICENSES) && (!exists || v.licenses != x->licenses))
            fail(c, i, "expected %s to hold %lld licenses at %s, saw %lld", sub, (long long)x->licenses, tb,
                 (long long)(exists ? v.licenses : 0));
        else if ((x->has & CLI_HAS_OFFER) && (!exists || v.offer != x->offer))
            fail(c, i, "expected %s to be offer %s at %s, saw %s", sub, model_offer_id(w, x->offer), tb,
                 exists ? model_offer_id(w, v.offer) : "none");
        else if ((x->has & CLI_HAS_PARTNER) && (!exists || v.partner != x->partner))
            fail(c, i, "expected %s to be with partner %s at %s, saw %s", sub, model_partner_id(w, x->partner), tb,
                 exists && v.partner != MODEL_NONE ? model_partner_id(w, v.partner) : "none");
        else if ((x->has & CLI_HAS_AUTORENEW) && (!exists || v.autorenew != x->autorenew))
            fail(c, i, "expected %s autorenew %s at %s, saw %s", sub, x->autorenew ? "true" : "false", tb,
                 v.autorenew ? "true" : "false");
        else if ((x->has & CLI_HAS_TERM_END) && (!exists || v.term_end - SIM_DAY != x->term_end))
            fail(c, i, "expected %s term_end %s at %s, saw %s", sub, sim_format_date(x->term_end, eb), tb,
                 exists ? sim_format_date(v.term_end - SIM_DAY, nb) : "none");
    }
}

static int within(const cli_expect *x, int64_t v)
{
    if (x->has_exact)
        return v == x->exact;
    return (!x->has_min || v >= x->min) && (!x->has_max || v <= x->max);
}

static void bounds_text(const cli_expect *x, int money, char *buf, size_t size)
{
    char a[32], b[32];
    if (money) {
        snprintf(a, sizeof a, "%lld.%02lld", (long long)(x->has_exact ? x->exact : x->min) / 100,
                 (long long)llabs((x->has_exact ? x->exact : x->min) % 100));
        snprintf(b, sizeof b, "%lld.%02lld", (long long)x->max / 100, (long long)llabs(x->max % 100));
    } else {
        snprintf(a, sizeof a, "%lld", (long long)(x->has_exact ? x->exact : x->min));
        snprintf(b, sizeof b, "%lld", (long long)x->max);
    }
    if (x->has_exact)
        snprintf(buf, size, "exactly %s", a);
    else if (x->has_min && x->has_max)
        snprintf(buf, size, "between %s and %s", a, b);
    else if (x->has_min)
        snprintf(buf, size, "at least %s", a);
    else
        snprintf(buf, size, "at most %s", b);
}

size_t cli_checker_finish(cli_checker *c, const uint64_t *fingerprint)
{
    const model_world *w = c->s->world;
    size_t failed = 0;
    for (size_t i = 0; i < c->s->nexpects; i++) {
        const cli_expect *x = &c->s->expects[i];
        char bt[96];
        if (x->kind == CLI_EXPECT_EVENT) {
            if (!within(x, c->counts[i])) {
                bounds_text(x, 0, bt, sizeof bt);
                fail(c, i, "expected %s matching records, saw %lld", bt, (long long)c->counts[i]);
            }
        } else if (x->kind == CLI_EXPECT_METRIC) {
            int64_t v = cli_metric_value(w, x->metric, x->tenant, x->partner);
            if (!within(x, v)) {
                int money = cli_metric_is_money(x->metric);
                bounds_text(x, money, bt, sizeof bt);
                if (money)
                    fail(c, i, "expected %s %s, saw %lld.%02lld", cli_metric_name(x->metric), bt, (long long)v / 100,
                         (long long)llabs(v % 100));
                else
                    fail(c, i, "expected %s %s, saw %lld", cli_metric_name(x->metric), bt, (long long)v);
            }
        } else if (x->kind == CLI_EXPECT_FINGERPRINT) {
            if (x->has_seed && x->seed != c->s->seed)
                skip(c, i, "pinned to seed %llu", (unsigned long long)x->seed);
            else if (!fingerprint)
                fail(c, i, "the trace was not hashed");
            else if (*fingerprint != x->fingerprint)
                fail(c, i, "expected fingerprint %016llx, saw %016llx", (unsigned long long)x->fingerprint,
                     (unsigned long long)*fingerprint);
        } else if (!c->judged[i]) {
            fail(c, i, "this state expectation was never judged");
        }
        failed += c->verdict[i] == FAILED;
    }
    return failed;
}

const char *cli_checker_failure(const cli_checker *c, size_t i)
{
    return i < c->s->nexpects && c->verdict[i] == FAILED ? c->message[i] : NULL;
}

const char *cli_checker_skipped(const cli_checker *c, size_t i)
{
    return i < c->s->nexpects && c->verdict[i] == SKIPPED ? c->message[i] : NULL;
}

void cli_checker_report(const cli_checker *c, FILE *to)
{
    for (size_t i = 0; i < c->s->nexpects; i++)
        if (c->verdict[i] == FAILED)
            fprintf(to, "  %s:%d: %s\n", c->s->path, c->s->expects[i].line, c->message[i]);
}
