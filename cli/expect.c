/* cli/expect.c - judging expectations: state at an instant, record counts, metrics. */
#include "expect.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct cli_checker {
    const cli_scenario *s;
    int64_t *counts;  /* per expectation: matching records */
    char **failure;   /* per expectation: message when failed, else NULL */
    int *judged;
    sim_time *probes;
    size_t nprobes;
    int has_fingerprint;
    uint64_t fingerprint;
};

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
    c->failure = calloc(n, sizeof *c->failure);
    c->judged = calloc(n, sizeof *c->judged);
    c->probes = calloc(n, sizeof *c->probes);
    if (!c->counts || !c->failure || !c->judged || !c->probes) {
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
    for (size_t i = 0; c->failure && i < c->s->nexpects; i++)
        free(c->failure[i]);
    free(c->counts);
    free(c->failure);
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
    return 1;
}

void cli_checker_record(void *checker, const model_record *r)
{
    cli_checker *c = checker;
    for (size_t i = 0; i < c->s->nexpects; i++)
        if (c->s->expects[i].kind == CLI_EXPECT_EVENT && matches(&c->s->expects[i], r))
            c->counts[i]++;
}

static void fail(cli_checker *c, size_t i, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void fail(cli_checker *c, size_t i, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    free(c->failure[i]);
    c->failure[i] = strdup(buf);
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

size_t cli_checker_finish(cli_checker *c)
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
            if (!c->has_fingerprint)
                fail(c, i, "the trace was not hashed");
            else if (c->fingerprint != x->fingerprint)
                fail(c, i, "expected fingerprint %016llx, saw %016llx", (unsigned long long)x->fingerprint,
                     (unsigned long long)c->fingerprint);
        } else if (!c->judged[i]) {
            fail(c, i, "this state expectation was never judged");
        }
        failed += c->failure[i] != NULL;
    }
    return failed;
}

void cli_checker_set_fingerprint(cli_checker *c, uint64_t fingerprint)
{
    c->has_fingerprint = 1;
    c->fingerprint = fingerprint;
}

const char *cli_checker_failure(const cli_checker *c, size_t i)
{
    return i < c->s->nexpects ? c->failure[i] : NULL;
}

void cli_checker_report(const cli_checker *c, FILE *to)
{
    for (size_t i = 0; i < c->s->nexpects; i++)
        if (c->failure[i])
            fprintf(to, "  %s:%d: %s\n", c->s->path, c->s->expects[i].line, c->failure[i]);
}
