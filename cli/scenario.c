/* cli/scenario.c - the scenario loader: YAML tree -> model world, actions, expectations.
 *
 * Every mapping is checked against a table of allowed keys before any value is read, so an
 * unknown or misspelt key is an error at that key. Values are parsed by small typed
 * readers that set a located diag on failure. Errors stop the load at the first one.
 * Nothing here prints or writes files.
 */
#include "scenario.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "idmap.h"
#include "limits.h"
#include "ytree.h"

typedef struct {
    cli_scenario *s;
    cli_arena *a;
    cli_diag *d;
    model_world *w;
    cli_idmap offers, partners, tenants, subs, agreements;
    cli_idmap transfers;  /* transfer id -> index into xfers (and the model's transfers) */
    cli_idmap claim_ids;  /* a claim's new subscription id -> the EA subscription it claims */
    size_t nsubs;
    struct xfer_list {
        const uint32_t *subs;
        size_t n;
    } *xfers;
    size_t nxfers, cap_xfers;
} loader;

#define FAIL_AT(L, node, ...) (cli_diag_set((L)->d, (node)->line, (node)->col, __VA_ARGS__), -1)

/* ---- keys ------------------------------------------------------------------------------ */

typedef struct {
    const char *key;
    int required;
} keyspec;

#define KEYS_END {NULL, 0}

/* Checks that node is a mapping whose keys are all in specs and that required ones are there. */
static int check_keys(loader *L, const cli_ynode *node, const keyspec *specs, const char *what)
{
    if (node->kind != CLI_Y_MAP)
        return FAIL_AT(L, node, "%s must be a mapping, not a %s", what, cli_ykind_name(node));
    for (size_t i = 0; i < node->n; i++) {
        const cli_ynode *k = node->items[2 * i];
        const keyspec *s = specs;
        while (s->key && strcmp(s->key, k->text) != 0)
            s++;
        if (!s->key) {
            char allowed[400] = "";
            size_t n = 0;
            for (s = specs; s->key && n < sizeof allowed - 70; s++)
                n += (size_t)snprintf(allowed + n, sizeof allowed - n, "%s%s", n ? ", " : "", s->key);
            return FAIL_AT(L, k, "unknown key '%s' in %s (allowed: %s)", k->text, what, allowed);
        }
    }
    for (const keyspec *s = specs; s->key; s++)
        if (s->required && !cli_ymap_get(node, s->key))
            return FAIL_AT(L, node, "%s is missing the required key '%s'", what, s->key);
    return 0;
}

/* ---- typed readers --------------------------------------------------------------------- */

static int scalar(loader *L, const cli_ynode *n, const char *what)
{
    if (n->kind != CLI_Y_SCALAR)
        return FAIL_AT(L, n, "%s must be a single value, not a %s", what, cli_ykind_name(n));
    if (n->plain && n->len == 0)
        return FAIL_AT(L, n, "%s has no value", what);
    return 0;
}

static int read_id(loader *L, const cli_ynode *n, const char *what, const char **out)
{
    if (scalar(L, n, what))
        return -1;
    size_t len = strlen(n->text);
    if (len == 0)
        return FAIL_AT(L, n, "%s is empty", what);
    if (len > CLI_MAX_ID)
        return FAIL_AT(L, n, "%s '%.20s...' is longer than %d characters", what, n->text, CLI_MAX_ID);
    for (const char *p = n->text; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-'))
            return FAIL_AT(L, n, "%s '%s' may only use letters, digits, '.', '_' and '-'", what, n->text);
    }
    *out = n->text;
    return 0;
}

static int read_text(loader *L, const cli_ynode *n, const char *what, const char **out)
{
    if (n->kind != CLI_Y_SCALAR)
        return FAIL_AT(L, n, "%s must be text, not a %s", what, cli_ykind_name(n));
    *out = n->text;
    return 0;
}

static int read_bool(loader *L, const cli_ynode *n, const char *what, int *out)
{
    if (scalar(L, n, what))
        return -1;
    if (n->plain && strcmp(n->text, "true") == 0)
        *out = 1;
    else if (n->plain && strcmp(n->text, "false") == 0)
        *out = 0;
    else if (!n->plain)
        return FAIL_AT(L, n, "%s must be true or false, written without quotes (not \"%s\")", what, n->text);
    else
        return FAIL_AT(L, n, "%s must be true or false, not '%s'", what, n->text);
    return 0;
}

static int read_int(loader *L, const cli_ynode *n, const char *what, int64_t lo, int64_t hi, int64_t *out)
{
    if (scalar(L, n, what))
        return -1;
    const char *p = n->text;
    int neg = *p == '-';
    if (*p == '-' || *p == '+')
        p++;
    if (!n->plain)
        return FAIL_AT(L, n, "%s must be a whole number, written without quotes (not \"%s\")", what, n->text);
    if (!*p)
        return FAIL_AT(L, n, "%s must be a whole number, not '%s'", what, n->text);
    int64_t v = 0;
    for (; *p; p++) {
        if (*p < '0' || *p > '9')
            return FAIL_AT(L, n, "%s must be a whole number, not '%s'", what, n->text);
        if (v > (INT64_MAX - 9) / 10)
            return FAIL_AT(L, n, "%s '%s' is too large", what, n->text);
        v = v * 10 + (*p - '0');
    }
    if (neg)
        v = -v;
    if (v < lo)
        return FAIL_AT(L, n, "%s must be at least %lld, not %lld", what, (long long)lo, (long long)v);
    if (v > hi)
        return FAIL_AT(L, n, "%s must be at most %lld, not %lld", what, (long long)hi, (long long)v);
    *out = v;
    return 0;
}

/* A money amount ("36", "36.5", "36.00") into minor units; negative allowed when signed. */
static int read_money(loader *L, const cli_ynode *n, const char *what, int sign_ok, int64_t *out)
{
    if (scalar(L, n, what))
        return -1;
    const char *p = n->text;
    int neg = *p == '-';
    if (neg && !sign_ok)
        return FAIL_AT(L, n, "%s must not be negative", what);
    if (neg)
        p++;
    int64_t units = 0, cents = 0;
    int digits = 0, decimals = -1;
    for (; *p; p++) {
        if (*p == '.' && decimals < 0) {
            decimals = 0;
            continue;
        }
        if (*p < '0' || *p > '9' || !n->plain || digits > 15)
            return FAIL_AT(L, n, "%s must be an amount like 36.00, not '%s'", what, n->text);
        if (decimals >= 0) {
            if (++decimals > 2)
                return FAIL_AT(L, n, "%s has more than two decimals: '%s'", what, n->text);
            cents = cents * 10 + (*p - '0');
        } else {
            units = units * 10 + (*p - '0');
            digits++;
        }
    }
    if (!digits)
        return FAIL_AT(L, n, "%s must be an amount like 36.00, not '%s'", what, n->text);
    if (decimals == 1)
        cents *= 10;
    *out = (units * 100 + cents) * (neg ? -1 : 1);
    return 0;
}

static int read_instant(loader *L, const cli_ynode *n, const char *what, sim_time *out)
{
    if (scalar(L, n, what))
        return -1;
    if (sim_parse_instant(n->text, out))
        return FAIL_AT(L, n, "%s '%s' is not an instant (2025-03-01, 2025-03-01T09:30:00Z or 2025-03-01T09:30Z, UTC)",
                       what, n->text);
    return 0;
}

static int read_duration(loader *L, const cli_ynode *n, const char *what, sim_duration *out)
{
    if (scalar(L, n, what))
        return -1;
    if (strcmp(n->text, "m") == 0 || (n->len > 1 && n->text[n->len - 1] == 'm' && n->text[0] != 'P'))
        return FAIL_AT(L, n, "%s '%s' is ambiguous: write min for minutes or P1M for a month", what, n->text);
    if (sim_parse_duration(n->text, out))
        return FAIL_AT(L, n, "%s '%s' is not a duration (P30D, PT168H, P1M, 30d, 168h, 90min, 45s, 2w)", what,
                       n->text);
    return 0;
}

/* `at` of events and expectations: an instant or +duration relative to start */
static int read_when(loader *L, const cli_ynode *n, const char *what, sim_time *out)
{
    if (scalar(L, n, what))
        return -1;
    if (n->text[0] == '+') {
        sim_duration d;
        cli_ynode tmp = *n;
        tmp.text = n->text + 1;
        tmp.len = n->len - 1;
        if (tmp.len == 0)
            return FAIL_AT(L, n, "%s '+' needs a duration after it, like +10d or +PT36H", what);
        if (sim_parse_duration(tmp.text, &d) || strcmp(tmp.text, "m") == 0 ||
            (tmp.text[0] != 'P' && tmp.text[tmp.len - 1] == 'm'))
            return FAIL_AT(L, n, "%s '%s' is not a relative instant (+10d, +PT36H, +P2M, +90min; 'm' alone is ambiguous)",
                           what, n->text);
        *out = sim_add_duration(L->s->start, d);
        return 0;
    }
    return read_instant(L, n, what, out);
}

static int read_term(loader *L, const cli_ynode *n, const char *what, int *months)
{
    sim_duration d;
    if (scalar(L, n, what))
        return -1;
    if (sim_parse_duration(n->text, &d) || d.seconds != 0 || (d.months != 1 && d.months != 12 && d.months != 36))
        return FAIL_AT(L, n, "%s must be P1M, P1Y or P3Y, not '%s'", what, n->text);
    *months = d.months;
    return 0;
}

static int read_word(loader *L, const cli_ynode *n, const char *what, const char *const *words, int *out)
{
    if (scalar(L, n, what))
        return -1;
    char list[200] = "";
    size_t len = 0;
    for (int i = 0; words[i]; i++) {
        if (strcmp(words[i], n->text) == 0) {
            *out = i;
            return 0;
        }
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", words[i]);
    }
    return FAIL_AT(L, n, "%s must be one of %s, not '%s'", what, list, n->text);
}

static const char *const billing_words[] = {"monthly", "annual", "triennial", NULL};
static const char *const channel_words[] = {"csp", "web-direct", "ea", NULL};
static const char *const segment_words[] = {"enterprise", "smb", "education", "government", NULL};
static const char *const partner_types[] = {"direct", "indirect-provider", "indirect-reseller", NULL};

static int read_list(loader *L, const cli_ynode *n, const char *what)
{
    if (n->kind == CLI_Y_SCALAR)
        return FAIL_AT(L, n, "%s must be a list like [a, b], not '%s'", what, n->text);
    if (n->kind != CLI_Y_SEQ)
        return FAIL_AT(L, n, "%s must be a list, not a %s", what, cli_ykind_name(n));
    return 0;
}

/* An agreement's last day: a date, no time of day. */
static int read_last_day(loader *L, const cli_ynode *n, const char *what, sim_time *out)
{
    if (read_instant(L, n, what, out))
        return -1;
    if (*out != sim_day_start(*out))
        return FAIL_AT(L, n, "%s is the agreement's last day, a date like 2026-06-30, not an instant with a time", what);
    return 0;
}

/* A reference to an id of a kind. */
static int read_ref(loader *L, const cli_ynode *n, const cli_idmap *m, const char *kind, uint32_t *out)
{
    const char *id;
    if (read_id(L, n, kind, &id))
        return -1;
    const cli_identry *e = cli_idmap_get(m, id);
    if (!e)
        return FAIL_AT(L, n, "unknown %s '%s'", kind, id);
    *out = e->value;
    return 0;
}

static int define(loader *L, cli_idmap *m, const cli_ynode *n, const char *id, uint32_t value, const char *kind)
{
    const cli_identry *old = NULL;
    int rc = cli_idmap_put(m, id, value, n, &old);
    if (rc < 0)
        return FAIL_AT(L, n, "out of memory");
    if (rc > 0)
        return FAIL_AT(L, n, "duplicate %s id '%s' (first defined at line %d)", kind, id, old->where->line);
    return 0;
}

/* A duration in days, hours, minutes or seconds (distributions draw seconds). */
static int read_seconds(loader *L, const cli_ynode *n, const char *what, sim_duration *out)
{
    if (read_duration(L, n, what, out))
        return -1;
    if (out->months)
        return FAIL_AT(L, n, "%s must be in days, hours, minutes or seconds, not months or years", what);
    return 0;
}

/* A distribution: a fixed duration, or {dist: ..., ...} */
static int read_dist(loader *L, const cli_ynode *n, const char *what, sim_dist *out)
{
    if (n->kind == CLI_Y_SCALAR) {
        sim_duration d;
        if (read_seconds(L, n, what, &d))
            return -1;
        *out = sim_dist_fixed(d.seconds);
        return 0;
    }
    static const keyspec keys[] = {{"dist", 1}, {"min", 0}, {"max", 0}, {"mean", 0}, {"median", 0},
                                   {"sigma", 0}, {"values", 0}, {"weights", 0}, KEYS_END};
    if (check_keys(L, n, keys, what))
        return -1;
    static const char *const kinds[] = {"fixed", "uniform", "exponential", "lognormal", "choice", NULL};
    static const char *const needs[][3] = {{"value", NULL, NULL}, {"min", "max", NULL}, {"mean", NULL, NULL},
                                           {"median", "sigma", NULL}, {"values", NULL, NULL}};
    int k;
    if (read_word(L, cli_ymap_get(n, "dist"), "dist", kinds + 1, &k))
        return -1;
    k += 1;
    for (int i = 0; needs[k][i]; i++)
        if (!cli_ymap_get(n, needs[k][i]))
            return FAIL_AT(L, n, "a %s distribution needs '%s'", kinds[k], needs[k][i]);
    for (size_t i = 0; i < n->n; i++) { /* keys of another kind are a mistake */
        const char *key = n->items[2 * i]->text;
        int ok = strcmp(key, "dist") == 0 || (k == 4 && strcmp(key, "weights") == 0);
        for (int j = 0; needs[k][j]; j++)
            ok = ok || strcmp(key, needs[k][j]) == 0;
        if (!ok)
            return FAIL_AT(L, n->items[2 * i], "'%s' does not apply to a %s distribution", key, kinds[k]);
    }
    memset(out, 0, sizeof *out);
    out->kind = (sim_dist_kind)k;
    sim_duration d1, d2;
    switch (out->kind) {
    case SIM_DIST_UNIFORM:
        if (read_seconds(L, cli_ymap_get(n, "min"), "min", &d1) || read_seconds(L, cli_ymap_get(n, "max"), "max", &d2))
            return -1;
        if (d2.seconds < d1.seconds)
            return FAIL_AT(L, cli_ymap_get(n, "max"), "max is below min");
        out->a = d1.seconds;
        out->b = d2.seconds;
        return 0;
    case SIM_DIST_EXPONENTIAL:
        if (read_seconds(L, cli_ymap_get(n, "mean"), "mean", &d1))
            return -1;
        out->a = d1.seconds;
        return 0;
    case SIM_DIST_LOGNORMAL: {
        const cli_ynode *sg = cli_ymap_get(n, "sigma");
        if (read_seconds(L, cli_ymap_get(n, "median"), "median", &d1) || scalar(L, sg, "sigma"))
            return -1;
        char *end;
        errno = 0;
        double sigma = strtod(sg->text, &end);
        if (*end || errno || !(sigma >= 0.0) || sigma > 10.0)
            return FAIL_AT(L, sg, "sigma must be a number from 0 to 10, not '%s'", sg->text);
        out->a = d1.seconds;
        out->sigma = sigma;
        return 0;
    }
    case SIM_DIST_CHOICE: {
        const cli_ynode *vs = cli_ymap_get(n, "values"), *ws = cli_ymap_get(n, "weights");
        if (read_list(L, vs, "values"))
            return -1;
        if (vs->n == 0)
            return FAIL_AT(L, vs, "values must not be empty");
        int64_t *values = cli_arena_alloc(L->a, vs->n * sizeof *values);
        double *weights = ws ? cli_arena_alloc(L->a, vs->n * sizeof *weights) : NULL;
        if (!values || (ws && !weights))
            return FAIL_AT(L, n, "out of memory");
        for (size_t i = 0; i < vs->n; i++) {
            if (read_seconds(L, vs->items[i], "a value", &d1))
                return -1;
            values[i] = d1.seconds;
        }
        if (ws) {
            if (read_list(L, ws, "weights"))
                return -1;
            if (ws->n != vs->n)
                return FAIL_AT(L, ws, "weights has %zu entries for %zu values", ws->n, vs->n);
            double total = 0.0;
            for (size_t i = 0; i < ws->n; i++) {
                char *end;
                if (scalar(L, ws->items[i], "a weight"))
                    return -1;
                weights[i] = strtod(ws->items[i]->text, &end);
                if (*end || !(weights[i] >= 0.0) || weights[i] > 1e12)
                    return FAIL_AT(L, ws->items[i], "a weight must be a number from 0 to 1e12, not '%s'",
                                   ws->items[i]->text);
                total += weights[i];
            }
            if (!(total > 0.0))
                return FAIL_AT(L, ws, "the weights add up to 0: at least one must be positive");
        }
        out->n = vs->n;
        out->values = values;
        out->weights = weights;
        return 0;
    }
    default:
        return 0;
    }
}

/* ---- sections -------------------------------------------------------------------------- */

static int load_rules(loader *L, const cli_ynode *n)
{
    if (n->kind != CLI_Y_MAP)
        return FAIL_AT(L, n, "rules must be a mapping of rule parameters, not a %s", cli_ykind_name(n));
    model_params *p = model_world_params(L->w);
    for (size_t i = 0; i < n->n; i++) {
        const cli_ynode *k = n->items[2 * i], *v = n->items[2 * i + 1];
        const model_param_info *pi = model_param_find(k->text);
        if (!pi) {
            size_t np, len = 0;
            const model_param_info *tab = model_param_table(&np);
            char names[600] = "";
            for (size_t j = 0; j < np && len < sizeof names - 40; j++)
                len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", j ? ", " : "", tab[j].name);
            return FAIL_AT(L, k, "unknown rule parameter '%s' (parameters: %s)", k->text, names);
        }
        void *slot = (char *)p + pi->offset;
        switch (pi->kind) {
        case MODEL_PARAM_DURATION:
            if (read_duration(L, v, k->text, slot))
                return -1;
            break;
        case MODEL_PARAM_DIST:
            if (read_dist(L, v, k->text, slot))
                return -1;
            break;
        case MODEL_PARAM_COUNT:
            if (read_int(L, v, k->text, 0, INT32_MAX, slot))
                return -1;
            break;
        case MODEL_PARAM_CHOICE: {
            char words[4][24] = {{0}};
            const char *wp[5] = {NULL};
            const char *s = pi->default_text;
            for (int j = 0; j < 4 && *s; j++) {
                size_t len = strcspn(s, "|");
                snprintf(words[j], sizeof words[j], "%.*s", (int)len, s);
                wp[j] = words[j];
                s += len + (s[len] == '|');
            }
            int idx;
            if (read_word(L, v, k->text, wp, &idx))
                return -1;
            *(int64_t *)slot = idx;
            break;
        }
        }
    }
    return 0;
}

static int load_offers(loader *L, const cli_ynode *list)
{
    static const keyspec keys[] = {{"id", 1}, {"name", 0}, {"provisioning_id", 0}, {"price", 0}, {"terms", 0},
                                   {"segment", 0}, {"one_per_tenant", 0}, {"csp_available", 0}, {"end_of_sale", 0},
                                   {"equivalent_to", 0}, {"upgrades_to", 0}, {"addon", 0}, KEYS_END};
    if (read_list(L, list, "offers"))
        return -1;
    if (list->n > CLI_MAX_OFFERS)
        return FAIL_AT(L, list, "more than %d offers (limit)", CLI_MAX_OFFERS);
    /* first the ids, so that equivalent_to, upgrades_to and addon.base may name later offers */
    for (size_t i = 0; i < list->n; i++) {
        const cli_ynode *o = list->items[i];
        const char *id;
        if (check_keys(L, o, keys, "an offer") || read_id(L, cli_ymap_get(o, "id"), "offer id", &id) ||
            define(L, &L->offers, cli_ymap_get(o, "id"), id, (uint32_t)i, "offer"))
            return -1;
    }
    for (size_t i = 0; i < list->n; i++) {
        const cli_ynode *o = list->items[i], *v;
        model_offer_spec sp;
        memset(&sp, 0, sizeof sp);
        sp.id = cli_ymap_get(o, "id")->text;
        sp.csp_available = 1;
        sp.terms = MODEL_TERM_P1M | MODEL_TERM_P1Y;
        sp.max_ratio = -1.0;
        if ((v = cli_ymap_get(o, "name")) && read_text(L, v, "name", &sp.name))
            return -1;
        if ((v = cli_ymap_get(o, "provisioning_id")) && read_text(L, v, "provisioning_id", &sp.provisioning_id))
            return -1;
        if ((v = cli_ymap_get(o, "price")) && read_money(L, v, "price", 0, &sp.price))
            return -1;
        if ((v = cli_ymap_get(o, "terms"))) {
            if (read_list(L, v, "terms"))
                return -1;
            if (v->n == 0)
                return FAIL_AT(L, v, "terms must name at least one term");
            sp.terms = 0;
            for (size_t j = 0; j < v->n; j++) {
                int m;
                if (read_term(L, v->items[j], "a term", &m))
                    return -1;
                sp.terms |= m == 1 ? MODEL_TERM_P1M : m == 12 ? MODEL_TERM_P1Y : MODEL_TERM_P3Y;
            }
        }
        int seg = 0, b;
        if ((v = cli_ymap_get(o, "segment")) && read_word(L, v, "segment", segment_words, &seg))
            return -1;
        sp.segment = (model_segment)seg;
        if ((v = cli_ymap_get(o, "one_per_tenant")) && read_bool(L, v, "one_per_tenant", &sp.one_per_tenant))
            return -1;
        if ((v = cli_ymap_get(o, "csp_available")) && read_bool(L, v, "csp_available", &sp.csp_available))
            return -1;
        if ((v = cli_ymap_get(o, "end_of_sale")) && read_bool(L, v, "end_of_sale", &sp.end_of_sale))
            return -1;
        (void)b;
        struct {
            const char *key;
            const uint32_t **out;
            size_t *n;
        } lists[] = {{"equivalent_to", &sp.equivalent_to, &sp.nequivalent}, {"upgrades_to", &sp.upgrades_to, &sp.nupgrades}};
        const cli_ynode *addon = cli_ymap_get(o, "addon");
        for (size_t li = 0; li < 3; li++) {
            const cli_ynode *lv;
            const uint32_t **outp;
            size_t *np;
            if (li < 2) {
                lv = cli_ymap_get(o, lists[li].key);
                outp = lists[li].out;
                np = lists[li].n;
            } else {
                if (!addon)
                    break;
                static const keyspec akeys[] = {{"base", 1}, {"max_ratio", 0}, {"min_ratio", 0}, KEYS_END};
                if (check_keys(L, addon, akeys, "addon"))
                    return -1;
                lv = cli_ymap_get(addon, "base");
                outp = &sp.addon_base;
                np = &sp.naddon_base;
                sp.is_addon = 1;
            }
            if (!lv)
                continue;
            if (read_list(L, lv, li == 2 ? "base" : lists[li].key))
                return -1;
            uint32_t *ids = cli_arena_alloc(L->a, (lv->n ? lv->n : 1) * sizeof *ids);
            if (!ids)
                return FAIL_AT(L, lv, "out of memory");
            for (size_t j = 0; j < lv->n; j++)
                if (read_ref(L, lv->items[j], &L->offers, "offer", &ids[j]))
                    return -1;
            *outp = ids;
            *np = lv->n;
        }
        if (addon) {
            const cli_ynode *r;
            if ((r = cli_ymap_get(addon, "max_ratio"))) {
                char *end;
                if (scalar(L, r, "max_ratio"))
                    return -1;
                sp.max_ratio = strtod(r->text, &end);
                if (*end || !(sp.max_ratio >= 0.0))
                    return FAIL_AT(L, r, "max_ratio must be a number >= 0, not '%s'", r->text);
            }
            if ((r = cli_ymap_get(addon, "min_ratio"))) {
                char *end;
                if (scalar(L, r, "min_ratio"))
                    return -1;
                sp.min_ratio = strtod(r->text, &end);
                if (*end || !(sp.min_ratio >= 0.0))
                    return FAIL_AT(L, r, "min_ratio must be a number >= 0, not '%s'", r->text);
            }
        }
        if (model_add_offer(L->w, &sp) == MODEL_NONE)
            return FAIL_AT(L, o, "out of memory");
    }
    return 0;
}

static int load_partners(loader *L, const cli_ynode *list)
{
    static const keyspec keys[] = {{"id", 1}, {"type", 0}, {"region", 1}, KEYS_END};
    if (read_list(L, list, "partners"))
        return -1;
    if (list->n > CLI_MAX_PARTNERS)
        return FAIL_AT(L, list, "more than %d partners (limit)", CLI_MAX_PARTNERS);
    for (size_t i = 0; i < list->n; i++) {
        const cli_ynode *p = list->items[i], *v;
        const char *id, *region;
        int type;
        if (check_keys(L, p, keys, "a partner") || read_id(L, cli_ymap_get(p, "id"), "partner id", &id) ||
            read_id(L, cli_ymap_get(p, "region"), "region", &region))
            return -1;
        if ((v = cli_ymap_get(p, "type")) && read_word(L, v, "type", partner_types, &type))
            return -1;
        uint32_t idx = model_add_partner(L->w, id, region);
        if (idx == MODEL_NONE)
            return FAIL_AT(L, p, "out of memory");
        if (define(L, &L->partners, cli_ymap_get(p, "id"), id, idx, "partner"))
            return -1;
    }
    return 0;
}

static int declare_sub(loader *L, const cli_ynode *idnode, uint32_t tenant, uint32_t *out)
{
    const char *id;
    if (read_id(L, idnode, "subscription id", &id))
        return -1;
    if (L->nsubs >= CLI_MAX_SUBSCRIPTIONS)
        return FAIL_AT(L, idnode, "more than %d subscriptions (limit)", CLI_MAX_SUBSCRIPTIONS);
    const cli_identry *old = cli_idmap_get(&L->subs, id);
    if (old)
        return FAIL_AT(L, idnode, "duplicate subscription id '%s' (first defined at line %d)", id, old->where->line);
    uint32_t idx = model_declare_subscription(L->w, id, tenant);
    if (idx == MODEL_NONE)
        return FAIL_AT(L, idnode, "out of memory");
    L->nsubs++;
    *out = idx;
    return define(L, &L->subs, idnode, id, idx, "subscription");
}

static int load_tenant_sub(loader *L, const cli_ynode *n, uint32_t tenant)
{
    static const keyspec keys[] = {{"id", 1}, {"offer", 1}, {"channel", 0}, {"partner", 0}, {"licenses", 1},
                                   {"term", 1}, {"billing", 1}, {"start", 1}, {"autorenew", 0}, {"state", 0},
                                   KEYS_END};
    static const char *const start_states[] = {"active", "suspended", "trial", NULL};
    static const model_state start_state_values[] = {MODEL_STATE_ACTIVE, MODEL_STATE_SUSPENDED, MODEL_STATE_TRIAL};
    model_sub_spec sp;
    memset(&sp, 0, sizeof sp);
    sp.partner = MODEL_NONE;
    sp.autorenew = 1;
    sp.state = MODEL_STATE_ACTIVE;
    int64_t lic;
    int ch = 0, bill, st = 0;
    uint32_t idx;
    const cli_ynode *v;
    if (check_keys(L, n, keys, "a subscription") || declare_sub(L, cli_ymap_get(n, "id"), tenant, &idx) ||
        read_ref(L, cli_ymap_get(n, "offer"), &L->offers, "offer", &sp.offer))
        return -1;
    if ((v = cli_ymap_get(n, "channel")) && read_word(L, v, "channel", channel_words, &ch))
        return -1;
    sp.channel = (model_channel)ch;
    v = cli_ymap_get(n, "partner");
    if (sp.channel == MODEL_CHANNEL_CSP && !v)
        return FAIL_AT(L, n, "a csp subscription needs 'partner'");
    if (v && sp.channel != MODEL_CHANNEL_CSP)
        return FAIL_AT(L, v, "only csp subscriptions have a partner (this one is %s)", channel_words[ch]);
    if (v && read_ref(L, v, &L->partners, "partner", &sp.partner))
        return -1;
    if (read_int(L, cli_ymap_get(n, "licenses"), "licenses", 1, CLI_MAX_LICENSES, &lic) ||
        read_term(L, cli_ymap_get(n, "term"), "term", &sp.term_months) ||
        read_word(L, cli_ymap_get(n, "billing"), "billing", billing_words, &bill) ||
        read_instant(L, cli_ymap_get(n, "start"), "start", &sp.start))
        return -1;
    sp.licenses = (int32_t)lic;
    sp.billing = (model_billing)bill;
    if ((v = cli_ymap_get(n, "autorenew")) && read_bool(L, v, "autorenew", &sp.autorenew))
        return -1;
    if ((v = cli_ymap_get(n, "state")) && read_word(L, v, "state", start_states, &st))
        return -1;
    sp.state = start_state_values[st];
    if (sp.start > L->s->start)
        return FAIL_AT(L, cli_ymap_get(n, "start"), "start is after the scenario start: buy it with a purchase event");
    if ((sp.billing == MODEL_BILLING_ANNUAL && sp.term_months < 12) ||
        (sp.billing == MODEL_BILLING_TRIENNIAL && sp.term_months != 36))
        return FAIL_AT(L, cli_ymap_get(n, "billing"),
                       "%s billing is not offered for a %s term (SUB-1: annual needs P1Y or P3Y, triennial P3Y)",
                       billing_words[bill], sp.term_months == 1 ? "P1M" : sp.term_months == 12 ? "P1Y" : "P3Y");
    if (model_init_subscription(L->w, idx, &sp))
        return FAIL_AT(L, cli_ymap_get(n, "start"),
                       "this term ended before the scenario start and does not renew: give the current term's start");
    return 0;
}

static int load_agreement(loader *L, const cli_ynode *n, uint32_t tenant)
{
    static const keyspec keys[] = {{"id", 1}, {"end", 1}, {"extended_term", 0}, {"public_sector", 0},
                                   {"subscriptions", 0}, KEYS_END};
    static const keyspec skeys[] = {{"id", 1}, {"offer", 1}, {"licenses", 1}, KEYS_END};
    const char *id;
    sim_time end;
    int ext = 0, pub = 0;
    const cli_ynode *v;
    if (check_keys(L, n, keys, "an agreement") || read_id(L, cli_ymap_get(n, "id"), "agreement id", &id) ||
        read_last_day(L, cli_ymap_get(n, "end"), "end", &end))
        return -1;
    if ((v = cli_ymap_get(n, "extended_term")) && read_bool(L, v, "extended_term", &ext))
        return -1;
    if ((v = cli_ymap_get(n, "public_sector")) && read_bool(L, v, "public_sector", &pub))
        return -1;
    if (end + SIM_DAY <= L->s->start)
        return FAIL_AT(L, cli_ymap_get(n, "end"), "the agreement ended before the scenario start");
    uint32_t ag = model_add_agreement(L->w, id, tenant, end, ext, pub);
    if (ag == MODEL_NONE || define(L, &L->agreements, cli_ymap_get(n, "id"), id, ag, "agreement"))
        return ag == MODEL_NONE ? FAIL_AT(L, n, "out of memory") : -1;
    if (!(v = cli_ymap_get(n, "subscriptions")))
        return 0;
    if (read_list(L, v, "subscriptions"))
        return -1;
    for (size_t i = 0; i < v->n; i++) {
        const cli_ynode *s = v->items[i];
        uint32_t idx, offer;
        int64_t lic;
        if (check_keys(L, s, skeys, "an EA subscription") || declare_sub(L, cli_ymap_get(s, "id"), tenant, &idx) ||
            read_ref(L, cli_ymap_get(s, "offer"), &L->offers, "offer", &offer) ||
            read_int(L, cli_ymap_get(s, "licenses"), "licenses", 1, CLI_MAX_LICENSES, &lic))
            return -1;
        if (model_init_ea_subscription(L->w, idx, ag, offer, (int32_t)lic))
            return FAIL_AT(L, s, "out of memory");
    }
    return 0;
}

static int load_tenants(loader *L, const cli_ynode *list)
{
    static const keyspec keys[] = {{"id", 1}, {"region", 1}, {"relationships", 0}, {"subscriptions", 0},
                                   {"agreements", 0}, KEYS_END};
    if (read_list(L, list, "tenants"))
        return -1;
    if (list->n > CLI_MAX_TENANTS)
        return FAIL_AT(L, list, "more than %d tenants (limit)", CLI_MAX_TENANTS);
    for (size_t i = 0; i < list->n; i++) {
        const cli_ynode *t = list->items[i], *v;
        const char *id, *region;
        if (check_keys(L, t, keys, "a tenant") || read_id(L, cli_ymap_get(t, "id"), "tenant id", &id) ||
            read_id(L, cli_ymap_get(t, "region"), "region", &region))
            return -1;
        uint32_t ti = model_add_tenant(L->w, id, region);
        if (ti == MODEL_NONE)
            return FAIL_AT(L, t, "out of memory");
        if (define(L, &L->tenants, cli_ymap_get(t, "id"), id, ti, "tenant"))
            return -1;
        if ((v = cli_ymap_get(t, "relationships"))) {
            if (read_list(L, v, "relationships"))
                return -1;
            for (size_t j = 0; j < v->n; j++) {
                uint32_t p;
                if (read_ref(L, v->items[j], &L->partners, "partner", &p))
                    return -1;
                for (size_t k = 0; k < j; k++)
                    if (strcmp(v->items[k]->text, v->items[j]->text) == 0)
                        return FAIL_AT(L, v->items[j], "partner '%s' is listed twice", v->items[j]->text);
                const char *pr = model_partner_region(L->w, p);
                if (strcmp(pr, region) != 0)
                    return FAIL_AT(L, v->items[j], "partner '%s' is in region %s, tenant '%s' in %s (REL-2)",
                                   v->items[j]->text, pr, id, region);
                if (model_add_relationship(L->w, ti, p))
                    return FAIL_AT(L, v->items[j], "out of memory");
            }
        }
        if ((v = cli_ymap_get(t, "subscriptions"))) {
            if (read_list(L, v, "subscriptions"))
                return -1;
            for (size_t j = 0; j < v->n; j++)
                if (load_tenant_sub(L, v->items[j], ti))
                    return -1;
        }
        if ((v = cli_ymap_get(t, "agreements"))) {
            if (read_list(L, v, "agreements"))
                return -1;
            for (size_t j = 0; j < v->n; j++)
                if (load_agreement(L, v->items[j], ti))
                    return -1;
        }
    }
    return 0;
}

/* ---- events ---------------------------------------------------------------------------- */

typedef enum {
    F_PARTNER, F_TENANT, F_SUB, F_NEW_SUB, F_OFFER, F_LICENSES, F_DELTA, F_TERM, F_BILLING, F_AUTORENEW,
    F_TRIAL, F_VALUE, F_TARGET, F_ALIGN, F_AGREEMENT, F_END, F_FROM, F_TO_PARTNER, F_SUBS, F_NEW_ID, F_TRANSFER
} field;

typedef struct {
    const char *key;
    int required;
    field f;
} akey;

#define AKEYS_MAX 11
/* The keys each action takes (SCENARIO-FORMAT's events table), beside `at` and `action`. */
static const akey action_keys[MODEL_ACT_COUNT][AKEYS_MAX] = {
    [MODEL_ACT_REQUEST_RELATIONSHIP] = {{"partner", 1, F_PARTNER}, {"tenant", 1, F_TENANT}},
    [MODEL_ACT_ACCEPT_RELATIONSHIP] = {{"partner", 1, F_PARTNER}, {"tenant", 1, F_TENANT}},
    [MODEL_ACT_PURCHASE] = {{"partner", 1, F_PARTNER}, {"tenant", 1, F_TENANT}, {"id", 1, F_NEW_SUB},
                            {"offer", 1, F_OFFER}, {"licenses", 1, F_LICENSES}, {"term", 1, F_TERM},
                            {"billing", 1, F_BILLING}, {"autorenew", 0, F_AUTORENEW}, {"trial", 0, F_TRIAL},
                            {"align_end_with", 0, F_ALIGN}},
    [MODEL_ACT_CANCEL] = {{"subscription", 1, F_SUB}},
    [MODEL_ACT_SUSPEND] = {{"subscription", 1, F_SUB}},
    [MODEL_ACT_RESUME] = {{"subscription", 1, F_SUB}},
    [MODEL_ACT_SET_AUTORENEW] = {{"subscription", 1, F_SUB}, {"value", 1, F_VALUE}},
    [MODEL_ACT_CHANGE_LICENSES] = {{"subscription", 1, F_SUB}, {"licenses", 0, F_LICENSES}, {"delta", 0, F_DELTA}},
    [MODEL_ACT_UPGRADE] = {{"subscription", 1, F_SUB}, {"to", 1, F_OFFER}, {"licenses", 1, F_LICENSES},
                           {"term", 0, F_TERM}, {"target", 0, F_TARGET}, {"id", 0, F_NEW_ID}},
    [MODEL_ACT_SCHEDULE_CHANGE] = {{"subscription", 1, F_SUB}, {"offer", 0, F_OFFER}, {"licenses", 0, F_LICENSES},
                                   {"term", 0, F_TERM}, {"billing", 0, F_BILLING}, {"align_end_with", 0, F_ALIGN}},
    [MODEL_ACT_CONVERT_TRIAL] = {{"subscription", 1, F_SUB}, {"licenses", 1, F_LICENSES}, {"term", 1, F_TERM},
                                 {"billing", 1, F_BILLING}, {"target", 0, F_TARGET}},
    [MODEL_ACT_CLAIM_EA_RENEWAL] = {{"partner", 1, F_PARTNER}, {"subscription", 1, F_SUB}, {"id", 1, F_NEW_ID},
                                    {"licenses", 1, F_LICENSES}, {"term", 1, F_TERM}, {"billing", 1, F_BILLING},
                                    {"align_end_with", 0, F_ALIGN}},
    [MODEL_ACT_CANCEL_EA_CLAIM] = {{"partner", 1, F_PARTNER}, {"subscription", 1, F_SUB}},
    [MODEL_ACT_RENEW_EA_AGREEMENT] = {{"agreement", 1, F_AGREEMENT}, {"end", 1, F_END}},
    [MODEL_ACT_REQUEST_TRANSFER] = {{"from", 1, F_FROM}, {"to", 1, F_TO_PARTNER}, {"tenant", 1, F_TENANT},
                                    {"subscriptions", 1, F_SUBS}, {"id", 1, F_NEW_ID}},
    [MODEL_ACT_ACCEPT_TRANSFER] = {{"transfer", 1, F_TRANSFER}, {"subscriptions", 0, F_SUBS}},
    [MODEL_ACT_REJECT_TRANSFER] = {{"transfer", 1, F_TRANSFER}},
};

static int event_keys(loader *L, const cli_ynode *e, int kind)
{
    keyspec keys[AKEYS_MAX + 3];
    size_t n = 0;
    keys[n++] = (keyspec){"at", 1};
    keys[n++] = (keyspec){"action", 1};
    for (int i = 0; i < AKEYS_MAX && action_keys[kind][i].key; i++)
        keys[n++] = (keyspec){action_keys[kind][i].key, action_keys[kind][i].required};
    keys[n] = (keyspec)KEYS_END;
    char what[64];
    const char *name = model_action_name(kind);
    snprintf(what, sizeof what, "%s %s event", strchr("aeiou", name[0]) ? "an" : "a", name);
    return check_keys(L, e, keys, what);
}

static int event_action(loader *L, const cli_ynode *e, int *kind)
{
    if (e->kind != CLI_Y_MAP)
        return FAIL_AT(L, e, "an event must be a mapping, not a %s", cli_ykind_name(e));
    const cli_ynode *a = cli_ymap_get(e, "action");
    if (!a)
        return FAIL_AT(L, e, "an event is missing the required key 'action'");
    if (scalar(L, a, "action"))
        return -1;
    *kind = model_action_find(a->text);
    if (*kind < 0)
    {
        char names[400] = "";
        size_t len = 0;
        for (int j = 0; j < MODEL_ACT_COUNT; j++)
            len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", j ? ", " : "", model_action_name(j));
        return FAIL_AT(L, a, "unknown action '%s' (actions: %s)", a->text, names);
    }
    return 0;
}

/* Appends "key=value" (lists comma-joined) to the detail text. */
static void detail_add(char *buf, size_t size, const cli_ynode *k, const cli_ynode *v)
{
    size_t n = strlen(buf);
    if (n + 2 >= size)
        return;
    n += (size_t)snprintf(buf + n, size - n, "%s%s=", n ? " " : "", k->text);
    if (v->kind == CLI_Y_SCALAR) {
        snprintf(buf + n, size - n < size ? size - n : 0, "%s", v->text);
        return;
    }
    for (size_t i = 0; i < v->n && n < size; i++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? "," : "",
                              v->items[i]->kind == CLI_Y_SCALAR ? v->items[i]->text : "?");
}

/* The id a transferred subscription gets at the target: TRANSFER.SUBSCRIPTION. 0 when it
 * fits the id length. */
static int transfer_sub_id(char *buf, size_t size, const char *transfer, const char *sub)
{
    int n = snprintf(buf, size, "%s.%s", transfer, sub);
    return n > 0 && (size_t)n < size && n <= CLI_MAX_ID ? 0 : -1;
}

/* A list of subscription ids: a transfer's, or the subset an accept_transfer takes. */
static int read_sub_list(loader *L, const cli_ynode *v, int kind, model_action *a)
{
    if (read_list(L, v, "subscriptions"))
        return -1;
    if (v->n == 0)
        return FAIL_AT(L, v, "subscriptions must name at least one subscription");
    uint32_t *subs = cli_arena_alloc(L->a, v->n * sizeof *subs);
    if (!subs)
        return FAIL_AT(L, v, "out of memory");
    for (size_t i = 0; i < v->n; i++) {
        if (read_ref(L, v->items[i], &L->subs, "subscription", &subs[i]))
            return -1;
        for (size_t j = 0; j < i; j++)
            if (subs[j] == subs[i])
                return FAIL_AT(L, v->items[i], "subscription '%s' is listed twice", v->items[i]->text);
        if (kind == MODEL_ACT_ACCEPT_TRANSFER) { /* a subset of the transfer's own list */
            const struct xfer_list *x = &L->xfers[a->transfer];
            size_t k = 0;
            while (k < x->n && x->subs[k] != subs[i])
                k++;
            if (k == x->n)
                return FAIL_AT(L, v->items[i], "subscription '%s' is not part of this transfer", v->items[i]->text);
        }
    }
    a->subs = subs;
    a->nsubs = v->n;
    return 0;
}

/* `id`: a claim's or partial upgrade's new subscription, or a transfer's own id; all were
 * declared by the first pass, which skipped the invalid ones this explains. */
static int read_new_id(loader *L, const cli_ynode *v, int kind, model_action *a)
{
    const char *idtext;
    if (kind == MODEL_ACT_REQUEST_TRANSFER) {
        if (read_id(L, v, "transfer id", &idtext))
            return -1;
        const cli_identry *d = cli_idmap_get(&L->transfers, idtext);
        if (d && d->where != v)
            return FAIL_AT(L, v, "duplicate transfer id '%s' (first defined at line %d)", idtext, d->where->line);
        if (!d) { /* the first pass could not name the subscriptions at the target */
            for (size_t i = 0; i < a->nsubs; i++) {
                char buf[2 * CLI_MAX_ID + 2];
                const char *sid = model_subscription_id(L->w, a->subs[i]);
                if (transfer_sub_id(buf, sizeof buf, idtext, sid))
                    return FAIL_AT(L, v, "transfer id '%s' makes the target's subscription id '%s.%s' longer than %d "
                                         "characters: use a shorter transfer id", idtext, idtext, sid, CLI_MAX_ID);
                const cli_identry *old = cli_idmap_get(&L->subs, buf);
                if (old)
                    return FAIL_AT(L, v, "transfer id '%s' names subscription '%s' at the target, already defined at "
                                         "line %d", idtext, buf, old->where->line);
            }
            return FAIL_AT(L, v, "out of memory");
        }
        a->transfer = d->value;
        return 0;
    }
    if (read_id(L, v, "subscription id", &idtext))
        return -1;
    const cli_identry *d = cli_idmap_get(&L->subs, idtext);
    if (!d)
        return FAIL_AT(L, v, "out of memory"); /* the first pass declares every valid one */
    if (d->where != v) {
        /* a claim may repeat its id: the same partner editing its claim on one EA subscription */
        const cli_identry *c = cli_idmap_get(&L->claim_ids, idtext);
        if (kind != MODEL_ACT_CLAIM_EA_RENEWAL || !c || c->value != a->subscription)
            return FAIL_AT(L, v, "duplicate subscription id '%s' (first defined at line %d)", idtext, d->where->line);
    }
    a->new_subscription = d->value;
    return 0;
}

static int load_event(loader *L, const cli_ynode *e, size_t i)
{
    cli_scenario *s = L->s;
    int kind;
    if (event_action(L, e, &kind) || event_keys(L, e, kind))
        return -1;
    const cli_ynode *atn = cli_ymap_get(e, "at");
    if (read_when(L, atn, "at", &s->at[i]))
        return -1;
    if (s->at[i] < s->start)
        return FAIL_AT(L, atn, "at is before the scenario start");
    if (s->at[i] > s->end)
        return FAIL_AT(L, atn, "at is after the scenario end: nothing after the end runs");
    model_action *a = &s->actions[i];
    model_action_init(a, (model_action_kind)kind);
    s->action_line[i] = e->line;
    char detail[MODEL_DETAIL_MAX] = "";
    for (int k = 0; k < AKEYS_MAX && action_keys[kind][k].key; k++) {
        const akey *ak = &action_keys[kind][k];
        const cli_ynode *v = cli_ymap_get(e, ak->key);
        if (!v)
            continue;
        int64_t num;
        int word;
        switch (ak->f) {
        case F_PARTNER:
            if (read_ref(L, v, &L->partners, "partner", &a->partner))
                return -1;
            break;
        case F_TENANT:
            if (read_ref(L, v, &L->tenants, "tenant", &a->tenant))
                return -1;
            break;
        case F_SUB:
            if (read_ref(L, v, &L->subs, "subscription", &a->subscription))
                return -1;
            break;
        case F_NEW_SUB: {
            /* declared in the first pass over the events; here only its owner is checked */
            const char *idtext;
            if (read_id(L, v, "subscription id", &idtext))
                return -1;
            const cli_identry *d = cli_idmap_get(&L->subs, idtext);
            if (d && d->where != v)
                return FAIL_AT(L, v, "duplicate subscription id '%s' (first defined at line %d)", v->text,
                               d->where->line);
            if (!d)
                return FAIL_AT(L, v, "out of memory"); /* the first pass declares every valid one */
            a->new_subscription = d->value;
            break;
        }
        case F_OFFER:
            if (read_ref(L, v, &L->offers, "offer", &a->offer))
                return -1;
            break;
        case F_LICENSES:
            if (read_int(L, v, "licenses", 1, CLI_MAX_LICENSES, &num))
                return -1;
            a->licenses = (int32_t)num;
            a->has_licenses = 1;
            break;
        case F_DELTA:
            if (read_int(L, v, "delta", -CLI_MAX_LICENSES, CLI_MAX_LICENSES, &num))
                return -1;
            a->delta = (int32_t)num;
            a->has_delta = 1;
            break;
        case F_TERM:
            if (read_term(L, v, "term", &a->term_months))
                return -1;
            a->has_term = 1;
            break;
        case F_BILLING:
            if (read_word(L, v, "billing", billing_words, &word))
                return -1;
            a->billing = (model_billing)word;
            a->has_billing = 1;
            break;
        case F_AUTORENEW:
            if (read_bool(L, v, "autorenew", &a->autorenew))
                return -1;
            break;
        case F_TRIAL:
            if (read_bool(L, v, "trial", &a->trial))
                return -1;
            break;
        case F_VALUE:
            if (read_bool(L, v, "value", &a->value))
                return -1;
            break;
        case F_TARGET:
            if (read_ref(L, v, &L->subs, "subscription", &a->target))
                return -1;
            break;
        case F_ALIGN:
            if (read_ref(L, v, &L->subs, "subscription", &a->align))
                return -1;
            break;
        case F_AGREEMENT:
            if (read_ref(L, v, &L->agreements, "agreement", &a->agreement))
                return -1;
            break;
        case F_END:
            if (read_last_day(L, v, "end", &a->end))
                return -1;
            break;
        case F_FROM:
            if (read_ref(L, v, &L->partners, "partner", &a->from_partner))
                return -1;
            break;
        case F_TO_PARTNER:
            if (read_ref(L, v, &L->partners, "partner", &a->to_partner))
                return -1;
            break;
        case F_SUBS:
            if (read_sub_list(L, v, kind, a))
                return -1;
            break;
        case F_NEW_ID:
            if (read_new_id(L, v, kind, a))
                return -1;
            break;
        case F_TRANSFER:
            if (read_ref(L, v, &L->transfers, "transfer", &a->transfer))
                return -1;
            break;
        }
    }
    /* detail: every key but the ones with their own trace column, in file order */
    detail[0] = '\0';
    for (size_t k = 0; k < e->n; k++) {
        const char *key = e->items[2 * k]->text;
        if (strcmp(key, "at") && strcmp(key, "action") && strcmp(key, "tenant") && strcmp(key, "partner") &&
            strcmp(key, "subscription") && !(kind == MODEL_ACT_PURCHASE && strcmp(key, "id") == 0))
            detail_add(detail, sizeof detail, e->items[2 * k], e->items[2 * k + 1]);
    }
    if (detail[0] && !(a->detail = cli_arena_strndup(L->a, detail, strlen(detail))))
        return FAIL_AT(L, e, "out of memory");
    if (kind == MODEL_ACT_CHANGE_LICENSES && a->has_licenses == a->has_delta)
        return FAIL_AT(L, e, "change_licenses takes one of 'licenses' (new total) or 'delta'");
    if (kind == MODEL_ACT_CHANGE_LICENSES && a->has_delta && a->delta == 0)
        return FAIL_AT(L, cli_ymap_get(e, "delta"), "delta must not be 0");
    if (kind == MODEL_ACT_SCHEDULE_CHANGE && a->offer == MODEL_NONE && !a->has_licenses && !a->has_term &&
        !a->has_billing && a->align == MODEL_NONE)
        return FAIL_AT(L, e, "schedule_change needs at least one of offer, licenses, term, billing, align_end_with");
    if (kind == MODEL_ACT_REQUEST_TRANSFER && a->from_partner == a->to_partner)
        return FAIL_AT(L, cli_ymap_get(e, "to"), "a transfer goes from one partner to another, not to '%s' itself",
                       cli_ymap_get(e, "to")->text);
    if (kind == MODEL_ACT_UPGRADE && a->target != MODEL_NONE && cli_ymap_get(e, "id"))
        return FAIL_AT(L, cli_ymap_get(e, "id"), "an upgrade into an existing target takes no new 'id'");
    return 0;
}

/* The scalar text of key k of event e, or NULL. */
static const char *text_of(const cli_ynode *e, const char *k)
{
    const cli_ynode *v = cli_ymap_get(e, k);
    return v && v->kind == CLI_Y_SCALAR ? v->text : NULL;
}

/* A transfer the first pass can declare: its source subscriptions and their ids at the
 * target. Anything invalid is skipped here and reported by the second pass. */
static int declare_transfer(loader *L, const cli_ynode *e)
{
    const cli_ynode *idn = cli_ymap_get(e, "id"), *list = cli_ymap_get(e, "subscriptions");
    const cli_identry *te = text_of(e, "tenant") ? cli_idmap_get(&L->tenants, text_of(e, "tenant")) : NULL;
    const cli_identry *fe = text_of(e, "from") ? cli_idmap_get(&L->partners, text_of(e, "from")) : NULL;
    const cli_identry *pe = text_of(e, "to") ? cli_idmap_get(&L->partners, text_of(e, "to")) : NULL;
    const char *idtext;
    if (!te || !fe || !pe || !idn || !list || list->kind != CLI_Y_SEQ || list->n == 0 ||
        read_id(L, idn, "transfer id", &idtext) || cli_idmap_get(&L->transfers, idtext))
        return 0;
    uint32_t *subs = cli_arena_alloc(L->a, list->n * sizeof *subs), *news = cli_arena_alloc(L->a, list->n * sizeof *news);
    if (!subs || !news)
        return FAIL_AT(L, list, "out of memory");
    for (size_t i = 0; i < list->n; i++) {
        const cli_ynode *it = list->items[i];
        const cli_identry *se = it->kind == CLI_Y_SCALAR ? cli_idmap_get(&L->subs, it->text) : NULL;
        char buf[2 * CLI_MAX_ID + 2];
        if (!se || transfer_sub_id(buf, sizeof buf, idtext, it->text) || cli_idmap_get(&L->subs, buf))
            return 0;
        for (size_t j = 0; j < i; j++)
            if (subs[j] == se->value)
                return 0;
        subs[i] = se->value;
    }
    for (size_t i = 0; i < list->n; i++) {
        char buf[2 * CLI_MAX_ID + 2];
        transfer_sub_id(buf, sizeof buf, idtext, list->items[i]->text);
        const char *name = cli_arena_strndup(L->a, buf, strlen(buf));
        if (!name)
            return FAIL_AT(L, list, "out of memory");
        if (L->nsubs >= CLI_MAX_SUBSCRIPTIONS)
            return FAIL_AT(L, list, "more than %d subscriptions (limit)", CLI_MAX_SUBSCRIPTIONS);
        news[i] = model_declare_subscription(L->w, name, te->value);
        if (news[i] == MODEL_NONE)
            return FAIL_AT(L, list, "out of memory");
        L->nsubs++;
        if (define(L, &L->subs, idn, name, news[i], "subscription"))
            return -1;
    }
    uint32_t xi = model_add_transfer(L->w, idtext, te->value, fe->value, pe->value, subs, news, list->n);
    if (xi == MODEL_NONE || xi != L->nxfers)
        return FAIL_AT(L, idn, "out of memory");
    if (L->nxfers == L->cap_xfers) {
        size_t cap = L->cap_xfers ? 2 * L->cap_xfers : 8;
        struct xfer_list *x = realloc(L->xfers, cap * sizeof *x);
        if (!x)
            return FAIL_AT(L, idn, "out of memory");
        L->xfers = x;
        L->cap_xfers = cap;
    }
    L->xfers[L->nxfers++] = (struct xfer_list){subs, list->n};
    return define(L, &L->transfers, idn, idtext, xi, "transfer");
}

/* First pass: declare what events create, so that any event may name it: subscriptions
 * bought (purchase), claimed (claim_ea_renewal), split off (a partial upgrade's id) or
 * moved (a transfer's, named TRANSFER.SUBSCRIPTION), and transfer ids. Purchases go first,
 * as the others may name purchased subscriptions. Problems are left for the second pass,
 * which reports them in file order. */
static int declare_event_ids(loader *L, const cli_ynode *list)
{
    for (int sweep = 0; sweep < 2; sweep++) {
        for (size_t i = 0; i < list->n; i++) {
            const cli_ynode *e = list->items[i];
            const char *action = e->kind == CLI_Y_MAP ? text_of(e, "action") : NULL;
            const cli_ynode *id = e->kind == CLI_Y_MAP ? cli_ymap_get(e, "id") : NULL;
            if (!action || !id)
                continue;
            int kind = model_action_find(action);
            if ((kind == MODEL_ACT_PURCHASE) != (sweep == 0))
                continue;
            if (kind == MODEL_ACT_REQUEST_TRANSFER) {
                if (declare_transfer(L, e))
                    return -1;
                continue;
            }
            const cli_identry *owner = NULL; /* the tenant's entry, or the subscription acted on */
            if (kind == MODEL_ACT_PURCHASE)
                owner = text_of(e, "tenant") ? cli_idmap_get(&L->tenants, text_of(e, "tenant")) : NULL;
            else if (kind == MODEL_ACT_CLAIM_EA_RENEWAL || kind == MODEL_ACT_UPGRADE)
                owner = text_of(e, "subscription") ? cli_idmap_get(&L->subs, text_of(e, "subscription")) : NULL;
            const char *idtext;
            if (!owner || read_id(L, id, "subscription id", &idtext) || cli_idmap_get(&L->subs, idtext))
                continue;
            uint32_t tenant = kind == MODEL_ACT_PURCHASE ? owner->value : model_subscription_tenant(L->w, owner->value);
            uint32_t idx;
            if (declare_sub(L, id, tenant, &idx))
                return -1; /* the limit or memory */
            if (kind == MODEL_ACT_CLAIM_EA_RENEWAL &&
                cli_idmap_put(&L->claim_ids, idtext, owner->value, id, NULL) < 0)
                return FAIL_AT(L, id, "out of memory");
        }
    }
    return 0;
}

static int load_events(loader *L, const cli_ynode *list)
{
    cli_scenario *s = L->s;
    if (read_list(L, list, "events"))
        return -1;
    if (list->n > CLI_MAX_EVENTS)
        return FAIL_AT(L, list, "more than %d events (limit)", CLI_MAX_EVENTS);
    size_t n = list->n ? list->n : 1;
    s->actions = calloc(n, sizeof *s->actions);
    s->at = calloc(n, sizeof *s->at);
    s->action_line = calloc(n, sizeof *s->action_line);
    if (!s->actions || !s->at || !s->action_line)
        return FAIL_AT(L, list, "out of memory");
    if (declare_event_ids(L, list))
        return -1;
    for (size_t i = 0; i < list->n; i++)
        if (load_event(L, list->items[i], i))
            return -1;
    s->nactions = list->n;
    return 0;
}

/* ---- expectations ---------------------------------------------------------------------- */

static int read_bounds(loader *L, const cli_ynode *e, const char *exact_key, int money, cli_expect *x)
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
        if (money ? read_money(L, v, b[i].key, 1, b[i].val) : read_int(L, v, b[i].key, 0, INT64_MAX, b[i].val))
            return -1;
        *b[i].has = 1;
    }
    if (!x->has_exact && !x->has_min && !x->has_max)
        return FAIL_AT(L, e, "this expectation needs '%s', 'min' or 'max'", exact_key);
    if (x->has_exact && (x->has_min || x->has_max))
        return FAIL_AT(L, e, "give either '%s' or 'min'/'max', not both", exact_key);
    return 0;
}

static int load_expect(loader *L, const cli_ynode *e, cli_expect *x)
{
    static const keyspec state_keys[] = {{"at", 1}, {"subscription", 1}, {"state", 0}, {"licenses", 0}, {"offer", 0},
                                         {"partner", 0}, {"autorenew", 0}, {"term_end", 0}, KEYS_END};
    static const keyspec event_keys_[] = {{"event", 1}, {"action", 0}, {"reason", 0}, {"rule", 0}, {"tenant", 0},
                                          {"partner", 0}, {"subscription", 0}, {"from", 0}, {"to", 0},
                                          {"count", 0}, {"min", 0}, {"max", 0}, KEYS_END};
    static const keyspec metric_keys[] = {{"metric", 1}, {"tenant", 0}, {"partner", 0}, {"value", 0}, {"min", 0},
                                          {"max", 0}, KEYS_END};
    const cli_ynode *v;
    memset(x, 0, sizeof *x);
    x->line = e->line;
    x->subscription = x->tenant = x->partner = x->offer = MODEL_NONE;
    x->action = x->reason = x->rule = x->event_kind = -1;
    if (e->kind != CLI_Y_MAP)
        return FAIL_AT(L, e, "an expectation must be a mapping, not a %s", cli_ykind_name(e));
    if (cli_ymap_get(e, "event")) {
        x->kind = CLI_EXPECT_EVENT;
        if (check_keys(L, e, event_keys_, "an event expectation"))
            return -1;
        v = cli_ymap_get(e, "event");
        if (scalar(L, v, "event"))
            return -1;
        if (strcmp(v->text, "accepted") == 0 || strcmp(v->text, "rejected") == 0) {
            x->outcome = v->text[0] == 'a' ? MODEL_OUTCOME_ACCEPTED : MODEL_OUTCOME_REJECTED;
        } else if ((x->event_kind = model_kind_find(v->text)) < 0) {
            return FAIL_AT(L, v, "unknown event kind '%s' (a record kind, accepted or rejected)", v->text);
        }
        if ((v = cli_ymap_get(e, "action")) && (scalar(L, v, "action") || (x->action = model_action_find(v->text)) < 0))
            return x->action < 0 && v->kind == CLI_Y_SCALAR ? FAIL_AT(L, v, "unknown action '%s'", v->text) : -1;
        if ((v = cli_ymap_get(e, "reason"))) {
            if (scalar(L, v, "reason"))
                return -1;
            x->reason = (int)model_reason_find(v->text);
            if (x->reason == MODEL_REASON_COUNT)
                return FAIL_AT(L, v, "unknown reason code '%s'", v->text);
        }
        if ((v = cli_ymap_get(e, "rule"))) {
            if (scalar(L, v, "rule"))
                return -1;
            x->rule = (int)model_rule_find(v->text);
            if (x->rule == MODEL_RULE_COUNT)
                return FAIL_AT(L, v, "unknown rule id '%s'", v->text);
        }
        if ((v = cli_ymap_get(e, "tenant")) && read_ref(L, v, &L->tenants, "tenant", &x->tenant))
            return -1;
        if ((v = cli_ymap_get(e, "partner")) && read_ref(L, v, &L->partners, "partner", &x->partner))
            return -1;
        if ((v = cli_ymap_get(e, "subscription")) && read_ref(L, v, &L->subs, "subscription", &x->subscription))
            return -1;
        if ((v = cli_ymap_get(e, "from")) && read_when(L, v, "from", &x->from))
            return -1;
        x->has_from = v != NULL;
        if ((v = cli_ymap_get(e, "to")) && read_when(L, v, "to", &x->to))
            return -1;
        x->has_to = v != NULL;
        return read_bounds(L, e, "count", 0, x);
    }
    if (cli_ymap_get(e, "metric")) {
        x->kind = CLI_EXPECT_METRIC;
        if (check_keys(L, e, metric_keys, "a metric expectation"))
            return -1;
        v = cli_ymap_get(e, "metric");
        if (scalar(L, v, "metric"))
            return -1;
        for (x->metric = 0; x->metric < CLI_METRIC_COUNT && strcmp(cli_metric_name(x->metric), v->text); x->metric++)
            ;
        if (x->metric == CLI_METRIC_COUNT) {
            char names[300] = "";
            size_t len = 0;
            for (int j = 0; j < CLI_METRIC_COUNT; j++)
                len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", j ? ", " : "", cli_metric_name(j));
            return FAIL_AT(L, v, "unknown metric '%s' (%s)", v->text, names);
        }
        const char *mname = v->text;
        if ((v = cli_ymap_get(e, "tenant")) && read_ref(L, v, &L->tenants, "tenant", &x->tenant))
            return -1;
        if (v && !(cli_metric_scope(x->metric) & CLI_PER_TENANT))
            return FAIL_AT(L, v, "%s is kept per partner, not per tenant", mname);
        if ((v = cli_ymap_get(e, "partner")) && read_ref(L, v, &L->partners, "partner", &x->partner))
            return -1;
        if (v && !(cli_metric_scope(x->metric) & CLI_PER_PARTNER))
            return FAIL_AT(L, v, "%s is kept per tenant, not per partner", mname);
        if (x->tenant != MODEL_NONE && x->partner != MODEL_NONE)
            return FAIL_AT(L, e, "a metric is of a tenant or of a partner, not both");
        return read_bounds(L, e, "value", cli_metric_is_money(x->metric), x);
    }
    if (cli_ymap_get(e, "fingerprint")) {
        static const keyspec fp_keys[] = {{"fingerprint", 1}, KEYS_END};
        x->kind = CLI_EXPECT_FINGERPRINT;
        if (check_keys(L, e, fp_keys, "a fingerprint expectation"))
            return -1;
        v = cli_ymap_get(e, "fingerprint");
        if (scalar(L, v, "fingerprint"))
            return -1;
        char *end;
        errno = 0;
        unsigned long long fp = strtoull(v->text, &end, 16);
        if (v->len != 16 || *end || errno)
            return FAIL_AT(L, v, "fingerprint must be 16 hexadecimal digits (as `cspsim run` prints), not '%s'",
                           v->text);
        x->fingerprint = fp;
        return 0;
    }
    if (cli_ymap_get(e, "at") || cli_ymap_get(e, "subscription")) {
        x->kind = CLI_EXPECT_STATE;
        if (check_keys(L, e, state_keys, "a state expectation") || read_when(L, cli_ymap_get(e, "at"), "at", &x->at) ||
            read_ref(L, cli_ymap_get(e, "subscription"), &L->subs, "subscription", &x->subscription))
            return -1;
        static const char *const states[] = {"none", "pending", "trial", "active", "suspended", "expired",
                                             "disabled", "deleted", "canceled", NULL};
        if ((v = cli_ymap_get(e, "state")) && read_word(L, v, "state", states, &x->state))
            return -1;
        x->has |= v ? CLI_HAS_STATE : 0;
        if ((v = cli_ymap_get(e, "licenses")) && read_int(L, v, "licenses", 0, CLI_MAX_LICENSES, &x->licenses))
            return -1;
        x->has |= v ? CLI_HAS_LICENSES : 0;
        if ((v = cli_ymap_get(e, "offer")) && read_ref(L, v, &L->offers, "offer", &x->offer))
            return -1;
        x->has |= v ? CLI_HAS_OFFER : 0;
        if ((v = cli_ymap_get(e, "partner")) && read_ref(L, v, &L->partners, "partner", &x->partner))
            return -1;
        x->has |= v ? CLI_HAS_PARTNER : 0;
        if ((v = cli_ymap_get(e, "autorenew")) && read_bool(L, v, "autorenew", &x->autorenew))
            return -1;
        x->has |= v ? CLI_HAS_AUTORENEW : 0;
        if ((v = cli_ymap_get(e, "term_end")) && read_instant(L, v, "term_end", &x->term_end))
            return -1;
        x->has |= v ? CLI_HAS_TERM_END : 0;
        if (!x->has)
            return FAIL_AT(L, e, "a state expectation needs state, licenses, offer, partner, autorenew or term_end");
        if (x->at > L->s->end)
            x->at = L->s->end; /* nothing changes after the end */
        return 0;
    }
    return FAIL_AT(L, e, "an expectation needs 'at' and 'subscription', 'event', 'metric' or 'fingerprint'");
}

static int load_expects(loader *L, const cli_ynode *list)
{
    cli_scenario *s = L->s;
    if (read_list(L, list, "expect"))
        return -1;
    if (list->n > CLI_MAX_EXPECT)
        return FAIL_AT(L, list, "more than %d expectations (limit)", CLI_MAX_EXPECT);
    s->expects = calloc(list->n ? list->n : 1, sizeof *s->expects);
    if (!s->expects)
        return FAIL_AT(L, list, "out of memory");
    for (size_t i = 0; i < list->n; i++) {
        if (load_expect(L, list->items[i], &s->expects[i]))
            return -1;
        s->nexpects++;
    }
    return 0;
}

/* ---- the file -------------------------------------------------------------------------- */

static char *read_file(const char *path, size_t *len, cli_diag *d)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        cli_diag_set(d, 0, 0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n > (size_t)CLI_MAX_FILE_BYTES) {
            cli_diag_set(d, 0, 0, "file is larger than %ld bytes (limit)", (long)CLI_MAX_FILE_BYTES);
            free(buf);
            buf = NULL;
            break;
        }
        if (got == 0) {
            if (ferror(f)) {
                cli_diag_set(d, 0, 0, "cannot read: %s", strerror(errno));
                free(buf);
                buf = NULL;
            }
            break;
        }
        if (n == cap) {
            cap *= 2;
            char *nb = realloc(buf, cap + 1);
            if (!nb) {
                free(buf);
                buf = NULL;
                cli_diag_set(d, 0, 0, "out of memory");
            }
            buf = nb;
        }
    }
    fclose(f);
    if (!buf)
        return NULL;
    buf[n] = '\0';
    *len = n;
    return buf;
}

static int load_root(loader *L, const cli_ynode *root, int has_seed, uint64_t seed_override)
{
    static const keyspec keys[] = {{"version", 0}, {"name", 1}, {"description", 0}, {"start", 1}, {"end", 1},
                                   {"seed", 0}, {"rules", 0}, {"offers", 0}, {"partners", 0}, {"tenants", 0},
                                   {"events", 0}, {"expect", 0}, KEYS_END};
    cli_scenario *s = L->s;
    const cli_ynode *v;
    if (!root)
    {
        cli_diag_set(L->d, 1, 1, "the file is empty: a scenario needs name, start and end");
        return -1;
    }
    if (check_keys(L, root, keys, "a scenario"))
        return -1;
    int64_t version = 1, seed = 1;
    if ((v = cli_ymap_get(root, "version")) && read_int(L, v, "version", 1, 1, &version))
        return -1;
    if (read_text(L, cli_ymap_get(root, "name"), "name", &s->name))
        return -1;
    if (!s->name[0])
        return FAIL_AT(L, cli_ymap_get(root, "name"), "name is empty: give the scenario a name");
    if ((v = cli_ymap_get(root, "description")) && read_text(L, v, "description", &s->description))
        return -1;
    if (read_instant(L, cli_ymap_get(root, "start"), "start", &s->start) ||
        read_instant(L, cli_ymap_get(root, "end"), "end", &s->end))
        return -1;
    if (s->end <= s->start)
        return FAIL_AT(L, cli_ymap_get(root, "end"), "end must be after start");
    if (s->end > sim_add_months(s->start, 12 * CLI_MAX_HORIZON_YEARS))
        return FAIL_AT(L, cli_ymap_get(root, "end"), "the horizon is longer than %d years (limit)", CLI_MAX_HORIZON_YEARS);
    if ((v = cli_ymap_get(root, "seed")) && read_int(L, v, "seed", 0, INT64_MAX, &seed))
        return -1;
    s->seed = has_seed ? seed_override : (uint64_t)seed;
    L->w = s->world = model_world_new(s->start, s->end, s->seed, 0);
    if (!L->w)
        return FAIL_AT(L, root, "out of memory");
    if ((v = cli_ymap_get(root, "rules")) && load_rules(L, v))
        return -1;
    if ((v = cli_ymap_get(root, "offers")) && load_offers(L, v))
        return -1;
    if ((v = cli_ymap_get(root, "partners")) && load_partners(L, v))
        return -1;
    if ((v = cli_ymap_get(root, "tenants")) && load_tenants(L, v))
        return -1;
    if ((v = cli_ymap_get(root, "events")) && load_events(L, v))
        return -1;
    if ((v = cli_ymap_get(root, "expect")) && load_expects(L, v))
        return -1;
    if (model_set_script(L->w, s->actions, s->at, s->nactions) || model_start(L->w))
        return FAIL_AT(L, root, "out of memory");
    return 0;
}

cli_scenario *cli_scenario_load(const char *path, int has_seed_override, uint64_t seed_override, cli_diag *d)
{
    d->file = path;
    d->line = d->col = 0;
    d->source[0] = '\0';
    snprintf(d->message, sizeof d->message, "invalid scenario");
    cli_scenario *s = calloc(1, sizeof *s);
    if (!s) {
        cli_diag_set(d, 0, 0, "out of memory");
        return NULL;
    }
    s->path = path;
    s->arena = cli_arena_new();
    s->text = read_file(path, &s->len, d);
    if (!s->arena || !s->text) {
        if (!s->arena)
            cli_diag_set(d, 0, 0, "out of memory");
        cli_scenario_free(s);
        return NULL;
    }
    loader L;
    memset(&L, 0, sizeof L);
    L.s = s;
    L.a = s->arena;
    L.d = d;
    cli_ynode *root;
    int rc = cli_ytree_parse(s->arena, s->text, s->len, &root, d);
    if (rc == 0)
        rc = load_root(&L, root, has_seed_override, seed_override);
    cli_idmap_free(&L.offers);
    cli_idmap_free(&L.partners);
    cli_idmap_free(&L.tenants);
    cli_idmap_free(&L.subs);
    cli_idmap_free(&L.agreements);
    cli_idmap_free(&L.transfers);
    cli_idmap_free(&L.claim_ids);
    free(L.xfers);
    if (rc) {
        cli_diag_capture(d, s->text);
        cli_scenario_free(s);
        return NULL;
    }
    return s;
}

void cli_scenario_free(cli_scenario *s)
{
    if (!s)
        return;
    model_world_free(s->world);
    free(s->actions);
    free(s->at);
    free(s->action_line);
    free(s->expects);
    free(s->text);
    cli_arena_free(s->arena);
    free(s);
}

int cli_scenario_wants_fingerprint(const cli_scenario *s)
{
    for (size_t i = 0; i < s->nexpects; i++)
        if (s->expects[i].kind == CLI_EXPECT_FINGERPRINT)
            return 1;
    return 0;
}

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
