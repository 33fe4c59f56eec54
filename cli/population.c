/* cli/population.c - reading `population:` groups: every value fixed or a distribution of the
 * kind its type allows, each checked where it is written; then the model generates them. */
#include "population.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "limits.h"
#include "model/population.h"

/* What a value is, which decides the forms it may take. */
typedef enum {
    V_COUNT,   /* whole number: fixed, uniform, poisson, exponential, lognormal, choice */
    V_INSTANT, /* an instant: fixed, uniform, choice */
    V_DAY,     /* a last day (date): fixed, uniform, choice */
    V_TERM,    /* P1M | P1Y | P3Y as months: fixed or choice */
    V_BOOL,    /* true | false: fixed, {p: X}, choice */
    V_WORD,    /* one of words: fixed or choice */
    V_REF,     /* an id of map (offer, partner): fixed or choice */
    V_REGION   /* a region some partner is in: fixed or choice, an index into the group's regions */
} vtype;

static const char *const type_names[] = {"a number", "an instant", "a date", "a term", "a boolean", "a word",
                                         "an id", "a region"};
/* The distributions each type takes, as a bit per sim_dist_kind. */
#define K(k) (1u << (k))
static const unsigned type_kinds[] = {
    K(SIM_DIST_UNIFORM) | K(SIM_DIST_EXPONENTIAL) | K(SIM_DIST_LOGNORMAL) | K(SIM_DIST_POISSON) | K(SIM_DIST_CHOICE),
    K(SIM_DIST_UNIFORM) | K(SIM_DIST_CHOICE),
    K(SIM_DIST_UNIFORM) | K(SIM_DIST_CHOICE),
    K(SIM_DIST_CHOICE),
    K(SIM_DIST_CHOICE) | K(SIM_DIST_BERNOULLI),
    K(SIM_DIST_CHOICE),
    K(SIM_DIST_CHOICE),
    K(SIM_DIST_CHOICE)};

typedef struct {
    vtype type;
    const char *what;
    int64_t lo, hi;           /* V_COUNT */
    const char *const *words; /* V_WORD */
    const cli_idmap *map;     /* V_REF */
    const char *kind;         /* V_REF: "offer", "partner" */
} vspec;

/* The regions a group's values index (V_REGION), kept while reading it. */
typedef struct {
    const char **names;
    size_t n, cap;
} regions;

/* The group whose region is being read (opt_value reads through a callback without room for
 * it). Per thread: sweep --jobs loads a scenario in every worker thread at once. */
static _Thread_local regions *cur_regions;

static int looks_like_instant(const char *t)
{
    return strlen(t) >= 5 && t[0] >= '0' && t[0] <= '9' && t[4] == '-';
}

static int looks_like_duration(const char *t)
{
    size_t n = strlen(t);
    return n >= 2 && (t[0] == 'P' || (t[0] >= '0' && t[0] <= '9' && ((t[n - 1] >= 'a' && t[n - 1] <= 'z'))));
}

static int region_index(cli_loader *L, const cli_ynode *n, int64_t *out)
{
    const char *id;
    if (cli_read_id(L, n, "region", &id))
        return -1;
    int known = 0;
    for (size_t p = 0; p < model_count_partners(L->w) && !known; p++)
        known = strcmp(model_partner_region(L->w, (uint32_t)p), id) == 0;
    if (!known)
        return CLI_FAIL_AT(L, n, "unknown region '%s': no partner is in it", id);
    regions *r = cur_regions;
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->names[i], id) == 0) {
            *out = (int64_t)i;
            return 0;
        }
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 8;
        const char **v = cli_arena_alloc(L->a, cap * sizeof *v);
        if (!v)
            return CLI_FAIL_AT(L, n, "out of memory");
        if (r->n)
            memcpy(v, r->names, r->n * sizeof *v);
        r->names = v;
        r->cap = cap;
    }
    r->names[r->n] = id;
    *out = (int64_t)r->n++;
    return 0;
}

/* One value of the type (a fixed value, or one of a choice's values). */
static int read_atom(cli_loader *L, const cli_ynode *n, const vspec *vs, const char *what, int64_t *out)
{
    int i;
    uint32_t u;
    sim_time t;
    switch (vs->type) {
    case V_COUNT:
        if (n->kind == CLI_Y_SCALAR && n->plain && looks_like_instant(n->text))
            return CLI_FAIL_AT(L, n, "%s is a number, not an instant ('%s')", what, n->text);
        if (n->kind == CLI_Y_SCALAR && n->plain && looks_like_duration(n->text))
            return CLI_FAIL_AT(L, n, "%s is a number, not a duration ('%s')", what, n->text);
        return cli_read_int(L, n, what, vs->lo, vs->hi, out);
    case V_INSTANT:
    case V_DAY:
        if (n->kind == CLI_Y_SCALAR && n->plain && !looks_like_instant(n->text) && n->text[0] != '\0')
            return CLI_FAIL_AT(L, n, "%s is %s (like 2025-03-01), not '%s'", what, type_names[vs->type], n->text);
        if (vs->type == V_INSTANT ? cli_read_instant(L, n, what, &t) : cli_read_last_day(L, n, what, &t))
            return -1;
        *out = t;
        return 0;
    case V_TERM:
        if (cli_read_term(L, n, what, &i))
            return -1;
        *out = i;
        return 0;
    case V_BOOL:
        if (cli_read_bool(L, n, what, &i))
            return -1;
        *out = i;
        return 0;
    case V_WORD:
        if (cli_read_word(L, n, what, vs->words, &i))
            return -1;
        *out = i;
        return 0;
    case V_REF:
        if (cli_read_ref(L, n, vs->map, vs->kind, &u))
            return -1;
        *out = u;
        return 0;
    case V_REGION:
        return region_index(L, n, out);
    }
    return -1;
}

static int read_number(cli_loader *L, const cli_ynode *n, const char *what, double lo, double hi, double *out)
{
    if (cli_read_scalar(L, n, what))
        return -1;
    char *end;
    errno = 0;
    double x = strtod(n->text, &end);
    if (!n->plain || *end || errno || !(x >= lo) || x > hi)
        return CLI_FAIL_AT(L, n, "%s must be a number from %g to %g, not '%s'", what, lo, hi, n->text);
    *out = x;
    return 0;
}

static int read_weights(cli_loader *L, const cli_ynode *ws, size_t n, double **out)
{
    if (cli_read_list(L, ws, "weights"))
        return -1;
    if (ws->n != n)
        return CLI_FAIL_AT(L, ws, "weights has %zu entries for %zu values", ws->n, n);
    double *w = cli_arena_alloc(L->a, n * sizeof *w), total = 0.0;
    if (!w)
        return CLI_FAIL_AT(L, ws, "out of memory");
    for (size_t i = 0; i < n; i++) {
        if (read_number(L, ws->items[i], "a weight", 0.0, 1e12, &w[i]))
            return -1;
        total += w[i];
    }
    if (!(total > 0.0))
        return CLI_FAIL_AT(L, ws, "the weights add up to 0: at least one must be positive");
    *out = w;
    return 0;
}

/* A value of type vs: a scalar (fixed), {p: X} or {dist: KIND, ...}. */
static int read_value(cli_loader *L, const cli_ynode *n, const vspec *vs, sim_dist *out)
{
    static const char *const kinds[] = {"fixed", "uniform", "exponential", "lognormal", "choice", "poisson", NULL};
    static const char *const needs[][3] = {{NULL}, {"min", "max", NULL}, {"mean", NULL}, {"median", "sigma", NULL},
                                           {"values", NULL}, {"mean", NULL}};
    int64_t v, v2;
    memset(out, 0, sizeof *out);
    if (n->kind != CLI_Y_MAP) {
        if (read_atom(L, n, vs, vs->what, &v))
            return -1;
        *out = sim_dist_fixed(v);
        return 0;
    }
    const cli_ynode *pn = cli_ymap_get(n, "p");
    if (pn) {
        static const cli_keyspec pkeys[] = {{"p", 1}, CLI_KEYS_END};
        if (vs->type != V_BOOL)
            return CLI_FAIL_AT(L, n, "%s is %s: {p: X} gives a boolean", vs->what, type_names[vs->type]);
        double p;
        if (cli_check_keys(L, n, pkeys, "a {p: X} boolean") || read_number(L, pn, "p", 0.0, 1.0, &p))
            return -1;
        *out = sim_dist_bernoulli(p);
        return 0;
    }
    static const cli_keyspec keys[] = {{"dist", 1}, {"min", 0}, {"max", 0}, {"mean", 0}, {"median", 0},
                                       {"sigma", 0}, {"values", 0}, {"weights", 0}, CLI_KEYS_END};
    if (cli_check_keys(L, n, keys, "a distribution"))
        return -1;
    int k;
    const cli_ynode *dn = cli_ymap_get(n, "dist");
    if (cli_read_word(L, dn, "dist", kinds + 1, &k))
        return -1;
    k += 1;
    if (!(type_kinds[vs->type] & K(k))) {
        char list[120] = "";
        size_t len = 0;
        for (int j = 1; kinds[j]; j++)
            if (type_kinds[vs->type] & K(j))
                len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", len ? ", " : "", kinds[j]);
        if (type_kinds[vs->type] & K(SIM_DIST_BERNOULLI))
            snprintf(list + len, sizeof list - len, "%s{p: X}", len ? ", " : "");
        return CLI_FAIL_AT(L, dn, "%s is %s: a %s distribution does not give one (use %s)", vs->what,
                           type_names[vs->type], kinds[k], list);
    }
    for (int i = 0; needs[k][i]; i++)
        if (!cli_ymap_get(n, needs[k][i]))
            return CLI_FAIL_AT(L, n, "a %s distribution needs '%s'", kinds[k], needs[k][i]);
    for (size_t i = 0; i < n->n; i++) {
        const char *key = n->items[2 * i]->text;
        int ok = strcmp(key, "dist") == 0 || (k == SIM_DIST_CHOICE && strcmp(key, "weights") == 0);
        for (int j = 0; needs[k][j]; j++)
            ok = ok || strcmp(key, needs[k][j]) == 0;
        if (!ok)
            return CLI_FAIL_AT(L, n->items[2 * i], "'%s' does not apply to a %s distribution", key, kinds[k]);
    }
    out->kind = (sim_dist_kind)k;
    switch (out->kind) {
    case SIM_DIST_UNIFORM:
        if (read_atom(L, cli_ymap_get(n, "min"), vs, "min", &v) || read_atom(L, cli_ymap_get(n, "max"), vs, "max", &v2))
            return -1;
        if (v2 < v)
            return CLI_FAIL_AT(L, cli_ymap_get(n, "max"), "max is below min");
        out->a = v;
        out->b = v2;
        return 0;
    case SIM_DIST_EXPONENTIAL:
        return read_atom(L, cli_ymap_get(n, "mean"), vs, "mean", &out->a);
    case SIM_DIST_LOGNORMAL:
        if (read_atom(L, cli_ymap_get(n, "median"), vs, "median", &out->a))
            return -1;
        return read_number(L, cli_ymap_get(n, "sigma"), "sigma", 0.0, 10.0, &out->sigma);
    case SIM_DIST_POISSON:
        return read_number(L, cli_ymap_get(n, "mean"), "mean", 0.0, (double)vs->hi, &out->x);
    case SIM_DIST_CHOICE: {
        const cli_ynode *vals = cli_ymap_get(n, "values"), *ws = cli_ymap_get(n, "weights");
        if (cli_read_list(L, vals, "values"))
            return -1;
        if (vals->n == 0)
            return CLI_FAIL_AT(L, vals, "values must not be empty");
        int64_t *values = cli_arena_alloc(L->a, vals->n * sizeof *values);
        double *weights = NULL;
        if (!values)
            return CLI_FAIL_AT(L, n, "out of memory");
        for (size_t i = 0; i < vals->n; i++)
            if (read_atom(L, vals->items[i], vs, vs->what, &values[i]))
                return -1;
        if (ws && read_weights(L, ws, vals->n, &weights))
            return -1;
        out->n = vals->n;
        out->values = values;
        out->weights = weights;
        return 0;
    }
    default:
        return 0;
    }
}

/* Reads key of m with vs into out; when absent, out keeps its default. */
static int opt_value(cli_loader *L, const cli_ynode *m, const char *key, vspec vs, sim_dist *out)
{
    const cli_ynode *n = cli_ymap_get(m, key);
    vs.what = key;
    return n ? read_value(L, n, &vs, out) : 0;
}

/* Every value the distribution can give satisfies pred(value, arg). */
static int all_values(const sim_dist *d, int (*pred)(int64_t, const void *), const void *arg)
{
    if (d->kind == SIM_DIST_CHOICE) {
        for (size_t i = 0; i < d->n; i++)
            if (!pred(d->values[i], arg))
                return 0;
        return 1;
    }
    if (d->kind == SIM_DIST_BERNOULLI)
        return (d->x <= 0.0 || pred(1, arg)) && (d->x >= 1.0 || pred(0, arg));
    return pred(d->a, arg);
}

static int may_give(const sim_dist *d, int64_t v)
{
    if (d->kind == SIM_DIST_CHOICE) {
        for (size_t i = 0; i < d->n; i++)
            if (d->values[i] == v && (!d->weights || d->weights[i] > 0.0))
                return 1;
        return 0;
    }
    return d->a == v;
}

typedef struct {
    const model_pop_group *grp;
    model_world *w;
    const char *region; /* for in_region */
} group_ctx;

static int is_related(int64_t partner, const void *arg)
{
    const model_pop_group *g = arg;
    for (size_t i = 0; i < g->nrels; i++)
        if (g->rels[i] == (uint32_t)partner)
            return 1;
    return 0;
}

static int load_subs(cli_loader *L, const cli_ynode *n, model_pop_group *g)
{
    static const cli_keyspec keys[] = {{"count", 1}, {"offer", 1}, {"partner", 0}, {"channel", 0}, {"licenses", 1},
                                       {"term", 1}, {"billing", 1}, {"start", 1}, {"autorenew", 0}, {"state", 0},
                                       CLI_KEYS_END};
    model_pop_subs *s = &g->subs;
    const vspec count = {V_COUNT, "count", 0, CLI_MAX_POP_COUNT, NULL, NULL, NULL};
    const vspec lic = {V_COUNT, "licenses", 1, CLI_MAX_LICENSES, NULL, NULL, NULL};
    const vspec offer = {V_REF, "offer", 0, 0, NULL, &L->offers, "offer"};
    const vspec partner = {V_REF, "partner", 0, 0, NULL, &L->partners, "partner"};
    const vspec channel = {V_WORD, "channel", 0, 0, cli_channel_words, NULL, NULL};
    const vspec billing = {V_WORD, "billing", 0, 0, cli_billing_words, NULL, NULL};
    const vspec state = {V_WORD, "state", 0, 0, cli_start_state_words, NULL, NULL};
    const vspec term = {V_TERM, "term", 0, 0, NULL, NULL, NULL};
    const vspec start = {V_INSTANT, "start", 0, 0, NULL, NULL, NULL};
    const vspec boolean = {V_BOOL, "autorenew", 0, 0, NULL, NULL, NULL};
    s->channel = sim_dist_fixed(MODEL_CHANNEL_CSP);
    s->autorenew = sim_dist_fixed(1);
    s->state = sim_dist_fixed(0);
    if (cli_check_keys(L, n, keys, "a population's subscriptions") || opt_value(L, n, "count", count, &s->count) ||
        opt_value(L, n, "offer", offer, &s->offer) || opt_value(L, n, "channel", channel, &s->channel) ||
        opt_value(L, n, "partner", partner, &s->partner) || opt_value(L, n, "licenses", lic, &s->licenses) ||
        opt_value(L, n, "term", term, &s->term) || opt_value(L, n, "billing", billing, &s->billing) ||
        opt_value(L, n, "start", start, &s->start) || opt_value(L, n, "autorenew", boolean, &s->autorenew) ||
        opt_value(L, n, "state", state, &s->state))
        return -1;
    /* the state words' indices become model states */
    if (s->state.kind == SIM_DIST_CHOICE) {
        int64_t *v = (int64_t *)s->state.values;
        for (size_t i = 0; i < s->state.n; i++)
            v[i] = cli_start_state_values[v[i]];
    } else {
        s->state = sim_dist_fixed(cli_start_state_values[s->state.a]);
    }
    const cli_ynode *pn = cli_ymap_get(n, "partner");
    s->has_partner = pn != NULL;
    if (pn && !all_values(&s->partner, is_related, g))
        return CLI_FAIL_AT(L, pn, "partner: every partner drawn must be one of the group's relationships");
    if (sim_dist_max(&s->start) > L->s->start)
        return CLI_FAIL_AT(L, cli_ymap_get(n, "start"),
                           "start can be after the scenario start: generated subscriptions exist at the start");
    if (may_give(&s->billing, MODEL_BILLING_TRIENNIAL) && !may_give(&s->term, 36))
        return CLI_FAIL_AT(L, cli_ymap_get(n, "billing"),
                           "triennial billing needs a P3Y term, and term never draws P3Y (SUB-1)");
    if (may_give(&s->billing, MODEL_BILLING_ANNUAL) && !may_give(&s->term, 12) && !may_give(&s->term, 36))
        return CLI_FAIL_AT(L, cli_ymap_get(n, "billing"),
                           "annual billing needs a P1Y or P3Y term, and term never draws one (SUB-1)");
    g->has_subs = 1;
    return 0;
}

static int after_start(int64_t day, const void *arg)
{
    return day + SIM_DAY > *(const sim_time *)arg;
}

static int load_agreements(cli_loader *L, const cli_ynode *n, model_pop_group *g)
{
    static const cli_keyspec keys[] = {{"count", 1}, {"end", 1}, {"extended_term", 0}, {"public_sector", 0},
                                       {"subscriptions", 0}, CLI_KEYS_END};
    static const cli_keyspec skeys[] = {{"count", 1}, {"offer", 1}, {"licenses", 1}, CLI_KEYS_END};
    model_pop_agreements *a = &g->agreements;
    const vspec count = {V_COUNT, "count", 0, CLI_MAX_POP_COUNT, NULL, NULL, NULL};
    const vspec lic = {V_COUNT, "licenses", 1, CLI_MAX_LICENSES, NULL, NULL, NULL};
    const vspec offer = {V_REF, "offer", 0, 0, NULL, &L->offers, "offer"};
    const vspec day = {V_DAY, "end", 0, 0, NULL, NULL, NULL};
    const vspec boolean = {V_BOOL, "extended_term", 0, 0, NULL, NULL, NULL};
    a->extended_term = a->public_sector = sim_dist_fixed(0);
    a->sub_count = sim_dist_fixed(0);
    const cli_ynode *sn;
    if (cli_check_keys(L, n, keys, "a population's agreements") || opt_value(L, n, "count", count, &a->count) ||
        opt_value(L, n, "end", day, &a->end) || opt_value(L, n, "extended_term", boolean, &a->extended_term) ||
        opt_value(L, n, "public_sector", boolean, &a->public_sector))
        return -1;
    if (!all_values(&a->end, after_start, &L->s->start))
        return CLI_FAIL_AT(L, cli_ymap_get(n, "end"), "end can be before the scenario start: the agreement would be over");
    if ((sn = cli_ymap_get(n, "subscriptions")) &&
        (cli_check_keys(L, sn, skeys, "an agreement's subscriptions") ||
         opt_value(L, sn, "count", count, &a->sub_count) || opt_value(L, sn, "offer", offer, &a->sub_offer) ||
         opt_value(L, sn, "licenses", lic, &a->sub_licenses)))
        return -1;
    g->has_agreements = 1;
    return 0;
}

static int in_region(int64_t r, const void *arg)
{
    const group_ctx *c = arg;
    const char *region = c->grp->regions[r];
    for (size_t i = 0; i < c->grp->nrels; i++)
        if (strcmp(model_partner_region(c->w, c->grp->rels[i]), region) == 0)
            return 1;
    return 0;
}

/* 1 when id is one a group named `name` of `tenants` tenants generates: NAME-N for a tenant,
 * NAME-N.sK for a subscription (1 <= N <= tenants, K >= 1). */
static int generated_label(const char *id, const char *name, int64_t tenants, int subscription)
{
    size_t len = strlen(name);
    if (strncmp(id, name, len) != 0 || id[len] != '-' || id[len + 1] < '1' || id[len + 1] > '9')
        return 0;
    const char *p = id + len + 1;
    int64_t n = 0;
    for (; *p >= '0' && *p <= '9'; p++)
        if ((n = n * 10 + (*p - '0')) > tenants)
            return 0;
    if (!subscription)
        return *p == '\0';
    if (p[0] != '.' || p[1] != 's' || p[2] < '1' || p[2] > '9')
        return 0;
    for (p += 2; *p >= '0' && *p <= '9'; p++)
        ;
    return *p == '\0';
}

static int load_group(cli_loader *L, const cli_ynode *n, model_pop_group *g, size_t index, const cli_ynode *list)
{
    static const cli_keyspec keys[] = {{"group", 1}, {"tenants", 1}, {"region", 1}, {"relationships", 0},
                                       {"subscriptions", 0}, {"agreements", 0}, CLI_KEYS_END};
    const vspec region = {V_REGION, "region", 0, 0, NULL, NULL, NULL};
    int64_t tenants;
    const cli_ynode *v;
    memset(g, 0, sizeof *g);
    if (cli_check_keys(L, n, keys, "a population group") || cli_read_id(L, cli_ymap_get(n, "group"), "group", &g->name) ||
        cli_read_int(L, cli_ymap_get(n, "tenants"), "tenants", 0, CLI_MAX_POP_TENANTS, &tenants))
        return -1;
    for (size_t j = 0; j < index; j++)
        if (strcmp(cli_ymap_get(list->items[j], "group")->text, g->name) == 0)
            return CLI_FAIL_AT(L, cli_ymap_get(n, "group"), "duplicate group '%s' (first defined at line %d)", g->name,
                               cli_ymap_get(list->items[j], "group")->line);
    g->tenants = (uint32_t)tenants;
    /* generated ids are computed, not stored: a hand-written one must not read like them */
    for (size_t i = 0; i < model_count_tenants(L->w); i++) {
        if (model_tenant_group(L->w, (uint32_t)i) != MODEL_NONE)
            continue;
        const char *id = model_tenant_id(L->w, (uint32_t)i);
        if (generated_label(id, g->name, tenants, 0))
            return CLI_FAIL_AT(L, cli_ymap_get(n, "group"),
                               "group '%s' generates the tenant id '%s', which a hand-written tenant already has",
                               g->name, id);
    }
    for (size_t i = 0; i < model_count_subscriptions(L->w); i++) {
        const char *id = model_subscription_id(L->w, (uint32_t)i);
        if (id && model_tenant_group(L->w, model_subscription_tenant(L->w, (uint32_t)i)) == MODEL_NONE &&
            generated_label(id, g->name, tenants, 1))
            return CLI_FAIL_AT(L, cli_ymap_get(n, "group"),
                               "group '%s' generates the subscription id '%s', which a hand-written subscription "
                               "already has", g->name, id);
    }
    regions rg = {NULL, 0, 0};
    cur_regions = &rg;
    int rc = opt_value(L, n, "region", region, &g->region);
    cur_regions = NULL;
    if (rc)
        return -1;
    g->regions = rg.names;
    g->nregions = rg.n;
    if ((v = cli_ymap_get(n, "relationships"))) {
        if (cli_read_list(L, v, "relationships"))
            return -1;
        if (v->n > CLI_MAX_POP_RELATIONSHIPS)
            return CLI_FAIL_AT(L, v, "more than %d relationships (limit)", CLI_MAX_POP_RELATIONSHIPS);
        uint32_t *rels = cli_arena_alloc(L->a, (v->n ? v->n : 1) * sizeof *rels);
        if (!rels)
            return CLI_FAIL_AT(L, v, "out of memory");
        for (size_t j = 0; j < v->n; j++) {
            if (cli_read_ref(L, v->items[j], &L->partners, "partner", &rels[j]))
                return -1;
            for (size_t k = 0; k < j; k++)
                if (rels[k] == rels[j])
                    return CLI_FAIL_AT(L, v->items[j], "partner '%s' is listed twice", v->items[j]->text);
        }
        g->rels = rels;
        g->nrels = v->n;
    }
    if ((v = cli_ymap_get(n, "subscriptions")) && load_subs(L, v, g))
        return -1;
    if ((v = cli_ymap_get(n, "agreements")) && load_agreements(L, v, g))
        return -1;
    group_ctx c = {g, L->w, NULL};
    if (g->has_subs && !g->subs.has_partner && !(g->subs.channel.kind == SIM_DIST_FIXED && g->subs.channel.a != 0) &&
        !all_values(&g->region, in_region, &c))
        return CLI_FAIL_AT(L, cli_ymap_get(n, "region"),
                           "a tenant of this region has no relationship in it: its csp subscriptions need a partner");
    return 0;
}

int cli_load_population(cli_loader *L, const cli_ynode *list)
{
    if (cli_read_list(L, list, "population"))
        return -1;
    if (list->n > CLI_MAX_POP_GROUPS)
        return CLI_FAIL_AT(L, list, "more than %d groups (limit)", CLI_MAX_POP_GROUPS);
    model_pop_group *groups = cli_arena_alloc(L->a, (list->n ? list->n : 1) * sizeof *groups);
    if (!groups)
        return CLI_FAIL_AT(L, list, "out of memory");
    uint64_t total = 0;
    for (size_t i = 0; i < list->n; i++) {
        if (load_group(L, list->items[i], &groups[i], i, list))
            return -1;
        total += groups[i].tenants;
        if (total > CLI_MAX_POP_TENANTS)
            return CLI_FAIL_AT(L, cli_ymap_get(list->items[i], "tenants"),
                               "the population has more than %d tenants in total (limit)", CLI_MAX_POP_TENANTS);
    }
    size_t before = model_count_subscriptions(L->w);
    const model_pop_limits lim = {CLI_MAX_POP_COUNT, CLI_MAX_LICENSES, before + (size_t)CLI_MAX_POP_SUBSCRIPTIONS};
    /* a shard (cli_load_opts) holds the global tenants [lo, hi): of group i, those of
     * [base, base + tenants) in it, possibly none (the group is still opened) */
    uint64_t n = L->s->nshards > 1 ? L->s->nshards : 1, j = L->s->nshards > 1 ? L->s->shard : 0;
    uint64_t lo = total * j / n, hi = total * (j + 1) / n, base = 0;
    L->s->pop_tenants = total;
    L->s->pop_first = lo;
    L->s->pop_first_sub = before;
    for (size_t i = 0; i < list->n; i++) {
        uint64_t end = base + groups[i].tenants;
        uint64_t first = lo > base ? (lo < end ? lo : end) - base : 0;
        uint64_t last = hi > base ? (hi < end ? hi : end) - base : 0;
        base = end;
        int rc = model_pop_generate_range(L->w, &groups[i], (uint32_t)i, (uint32_t)first,
                                          (uint32_t)(last > first ? last - first : 0), L->s->seed, 0, &lim);
        if (rc == -2)
            return CLI_FAIL_AT(L, list->items[i], "the population draws more than %d subscriptions (limit)",
                               CLI_MAX_POP_SUBSCRIPTIONS);
        if (rc)
            return CLI_FAIL_AT(L, list->items[i], "out of memory");
    }
    L->s->pop_subscriptions = model_count_subscriptions(L->w) - before;
    return 0;
}

int cli_read_number_dist(cli_loader *L, const cli_ynode *n, const char *what, int64_t lo, int64_t hi, sim_dist *out)
{
    vspec vs = {V_COUNT, what, lo, hi, NULL, NULL, NULL};
    return read_value(L, n, &vs, out);
}
