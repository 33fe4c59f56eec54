/* cli/readers.c - typed value readers: one YAML node -> one checked value, or a located
 * error. Nothing here knows a section; nothing prints. */
#include "readers.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "limits.h"

/* Checks that node is a mapping whose keys are all in specs and that required ones are there. */
int cli_check_keys(cli_loader *L, const cli_ynode *node, const cli_keyspec *specs, const char *what)
{
    if (node->kind != CLI_Y_MAP)
        return CLI_FAIL_AT(L, node, "%s must be a mapping, not a %s", what, cli_ykind_name(node));
    for (size_t i = 0; i < node->n; i++) {
        const cli_ynode *k = node->items[2 * i];
        const cli_keyspec *s = specs;
        while (s->key && strcmp(s->key, k->text) != 0)
            s++;
        if (!s->key) {
            char allowed[400] = "";
            size_t n = 0;
            for (s = specs; s->key && n < sizeof allowed - 70; s++)
                n += (size_t)snprintf(allowed + n, sizeof allowed - n, "%s%s", n ? ", " : "", s->key);
            return CLI_FAIL_AT(L, k, "unknown key '%s' in %s (allowed: %s)", k->text, what, allowed);
        }
    }
    for (const cli_keyspec *s = specs; s->key; s++)
        if (s->required && !cli_ymap_get(node, s->key))
            return CLI_FAIL_AT(L, node, "%s is missing the required key '%s'", what, s->key);
    return 0;
}

/* ---- typed readers --------------------------------------------------------------------- */

int cli_read_scalar(cli_loader *L, const cli_ynode *n, const char *what)
{
    if (n->kind != CLI_Y_SCALAR)
        return CLI_FAIL_AT(L, n, "%s must be a single value, not a %s", what, cli_ykind_name(n));
    if (n->plain && n->len == 0)
        return CLI_FAIL_AT(L, n, "%s has no value", what);
    return 0;
}

int cli_read_id(cli_loader *L, const cli_ynode *n, const char *what, const char **out)
{
    if (cli_read_scalar(L, n, what))
        return -1;
    size_t len = strlen(n->text);
    if (len == 0)
        return CLI_FAIL_AT(L, n, "%s is empty", what);
    if (len > CLI_MAX_ID)
        return CLI_FAIL_AT(L, n, "%s '%.20s...' is longer than %d characters", what, n->text, CLI_MAX_ID);
    for (const char *p = n->text; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-'))
            return CLI_FAIL_AT(L, n, "%s '%s' may only use letters, digits, '.', '_' and '-'", what, n->text);
    }
    *out = n->text;
    return 0;
}

int cli_read_text(cli_loader *L, const cli_ynode *n, const char *what, const char **out)
{
    if (n->kind != CLI_Y_SCALAR)
        return CLI_FAIL_AT(L, n, "%s must be text, not a %s", what, cli_ykind_name(n));
    *out = n->text;
    return 0;
}

int cli_read_bool(cli_loader *L, const cli_ynode *n, const char *what, int *out)
{
    if (cli_read_scalar(L, n, what))
        return -1;
    if (n->plain && strcmp(n->text, "true") == 0)
        *out = 1;
    else if (n->plain && strcmp(n->text, "false") == 0)
        *out = 0;
    else if (!n->plain)
        return CLI_FAIL_AT(L, n, "%s must be true or false, written without quotes (not \"%s\")", what, n->text);
    else
        return CLI_FAIL_AT(L, n, "%s must be true or false, not '%s'", what, n->text);
    return 0;
}

int cli_read_int(cli_loader *L, const cli_ynode *n, const char *what, int64_t lo, int64_t hi, int64_t *out)
{
    if (cli_read_scalar(L, n, what))
        return -1;
    const char *p = n->text;
    int neg = *p == '-';
    if (*p == '-' || *p == '+')
        p++;
    if (!n->plain)
        return CLI_FAIL_AT(L, n, "%s must be a whole number, written without quotes (not \"%s\")", what, n->text);
    if (!*p)
        return CLI_FAIL_AT(L, n, "%s must be a whole number, not '%s'", what, n->text);
    int64_t v = 0;
    for (; *p; p++) {
        if (*p < '0' || *p > '9')
            return CLI_FAIL_AT(L, n, "%s must be a whole number, not '%s'", what, n->text);
        if (v > (INT64_MAX - (*p - '0')) / 10) /* exact: INT64_MAX itself is accepted */
            return CLI_FAIL_AT(L, n, "%s must be at most %lld, not '%s'", what, (long long)hi, n->text);
        v = v * 10 + (*p - '0');
    }
    if (neg)
        v = -v;
    if (v < lo)
        return CLI_FAIL_AT(L, n, "%s must be at least %lld, not %lld", what, (long long)lo, (long long)v);
    if (v > hi)
        return CLI_FAIL_AT(L, n, "%s must be at most %lld, not %lld", what, (long long)hi, (long long)v);
    *out = v;
    return 0;
}

/* A money amount ("36", "36.5", "36.00") into minor units; negative allowed when signed. */
int cli_read_money(cli_loader *L, const cli_ynode *n, const char *what, int sign_ok, int64_t *out)
{
    if (cli_read_scalar(L, n, what))
        return -1;
    const char *p = n->text;
    int neg = *p == '-';
    if (neg && !sign_ok)
        return CLI_FAIL_AT(L, n, "%s must not be negative", what);
    if (neg)
        p++;
    int64_t units = 0, cents = 0;
    int digits = 0, decimals = -1;
    for (; *p; p++) {
        if (*p == '.' && decimals < 0) {
            decimals = 0;
            continue;
        }
        if (*p < '0' || *p > '9' || !n->plain || (decimals < 0 && digits > 16))
            return CLI_FAIL_AT(L, n, "%s must be an amount like 36.00, not '%s'", what, n->text);
        if (decimals >= 0) {
            if (++decimals > 2)
                return CLI_FAIL_AT(L, n, "%s has more than two decimals: '%s'", what, n->text);
            cents = cents * 10 + (*p - '0');
        } else {
            units = units * 10 + (*p - '0');
            digits++;
        }
    }
    if (!digits)
        return CLI_FAIL_AT(L, n, "%s must be an amount like 36.00, not '%s'", what, n->text);
    if (decimals == 1)
        cents *= 10;
    /* up to 17 digits: every total the model can write (INT64_MAX minor units) can be read */
    if (units > INT64_MAX / 100 || (units == INT64_MAX / 100 && cents > INT64_MAX % 100))
        return CLI_FAIL_AT(L, n, "%s is more than 92233720368547758.07: '%s'", what, n->text);
    *out = (units * 100 + cents) * (neg ? -1 : 1);
    return 0;
}

/* Only decimal text reaches strtod: "inf", "nan", hex floats and leading spaces, which strtod
 * would take, are refused here, and a value that overflows (1e400) is caught by isfinite. */
int cli_read_real(cli_loader *L, const cli_ynode *n, const char *what, double lo, double hi, double *out)
{
    if (cli_read_scalar(L, n, what))
        return -1;
    const char *p = n->text;
    int digits = 0;
    if (*p == '-' || *p == '+')
        p++;
    for (; *p >= '0' && *p <= '9'; p++)
        digits++;
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++)
            digits++;
    if (digits && (*p == 'e' || *p == 'E')) {
        p++;
        if (*p == '-' || *p == '+')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            digits = 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (!n->plain || !digits || *p)
        return CLI_FAIL_AT(L, n, "%s must be a number from %.0f to %.0f, not '%s'", what, lo, hi, n->text);
    errno = 0;
    double v = strtod(n->text, NULL);
    if (!isfinite(v) || !(v >= lo) || !(v <= hi))
        return CLI_FAIL_AT(L, n, "%s must be a number from %.0f to %.0f, not '%s'", what, lo, hi, n->text);
    *out = v;
    return 0;
}

int cli_read_instant(cli_loader *L, const cli_ynode *n, const char *what, sim_time *out)
{
    if (cli_read_scalar(L, n, what))
        return -1;
    if (sim_parse_instant(n->text, out))
        return CLI_FAIL_AT(L, n, "%s '%s' is not an instant (2025-03-01, 2025-03-01T09:30:00Z or 2025-03-01T09:30Z, UTC)",
                       what, n->text);
    return 0;
}

int cli_read_duration(cli_loader *L, const cli_ynode *n, const char *what, sim_duration *out)
{
    if (cli_read_scalar(L, n, what))
        return -1;
    if (strcmp(n->text, "m") == 0 || (n->len > 1 && n->text[n->len - 1] == 'm' && n->text[0] != 'P'))
        return CLI_FAIL_AT(L, n, "%s '%s' is ambiguous: write min for minutes or P1M for a month", what, n->text);
    if (sim_parse_duration(n->text, out))
        return CLI_FAIL_AT(L, n, "%s '%s' is not a duration (P30D, PT168H, P1M, 30d, 168h, 90min, 45s, 2w)", what,
                       n->text);
    return 0;
}

/* `at` of events and expectations: an instant or +duration relative to start */
int cli_read_when(cli_loader *L, const cli_ynode *n, const char *what, sim_time *out)
{
    if (cli_read_scalar(L, n, what))
        return -1;
    if (n->text[0] == '+') {
        sim_duration d;
        cli_ynode tmp = *n;
        tmp.text = n->text + 1;
        tmp.len = n->len - 1;
        if (tmp.len == 0)
            return CLI_FAIL_AT(L, n, "%s '+' needs a duration after it, like +10d or +PT36H", what);
        if (sim_parse_duration(tmp.text, &d) || strcmp(tmp.text, "m") == 0 ||
            (tmp.text[0] != 'P' && tmp.text[tmp.len - 1] == 'm'))
            return CLI_FAIL_AT(L, n, "%s '%s' is not a relative instant (+10d, +PT36H, +P2M, +90min; 'm' alone is ambiguous)",
                           what, n->text);
        *out = sim_add_duration(L->s->start, d);
        return 0;
    }
    return cli_read_instant(L, n, what, out);
}

int cli_read_term(cli_loader *L, const cli_ynode *n, const char *what, int *months)
{
    sim_duration d;
    if (cli_read_scalar(L, n, what))
        return -1;
    if (sim_parse_duration(n->text, &d) || d.seconds != 0 || (d.months != 1 && d.months != 12 && d.months != 36))
        return CLI_FAIL_AT(L, n, "%s must be P1M, P1Y or P3Y, not '%s'", what, n->text);
    *months = d.months;
    return 0;
}

int cli_read_word(cli_loader *L, const cli_ynode *n, const char *what, const char *const *words, int *out)
{
    if (cli_read_scalar(L, n, what))
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
    return CLI_FAIL_AT(L, n, "%s must be one of %s, not '%s'", what, list, n->text);
}

const char *const cli_billing_words[] = {"monthly", "annual", "triennial", NULL};
const char *const cli_start_state_words[] = {"active", "suspended", "trial", NULL};
const model_state cli_start_state_values[] = {MODEL_STATE_ACTIVE, MODEL_STATE_SUSPENDED, MODEL_STATE_TRIAL};

int cli_read_state(cli_loader *L, const cli_ynode *n, const char *what, int *out)
{
    if (cli_read_scalar(L, n, what))
        return -1;
    if ((*out = model_state_find(n->text)) >= 0)
        return 0;
    char list[200] = "";
    size_t len = 0;
    for (int i = 0; i < MODEL_STATE_COUNT; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", model_state_name(i));
    return CLI_FAIL_AT(L, n, "%s must be one of %s, not '%s'", what, list, n->text);
}
const char *const cli_channel_words[] = {"csp", "web-direct", "ea", NULL};
const char *const cli_segment_words[] = {"enterprise", "smb", "education", "government", NULL};
const char *const cli_partner_types[] = {"direct", "indirect-provider", "indirect-reseller", NULL};

int cli_read_list(cli_loader *L, const cli_ynode *n, const char *what)
{
    if (n->kind == CLI_Y_SCALAR)
        return CLI_FAIL_AT(L, n, "%s must be a list like [a, b], not '%s'", what, n->text);
    if (n->kind != CLI_Y_SEQ)
        return CLI_FAIL_AT(L, n, "%s must be a list, not a %s", what, cli_ykind_name(n));
    return 0;
}

/* An agreement's last day: a date, no time of day. */
int cli_read_last_day(cli_loader *L, const cli_ynode *n, const char *what, sim_time *out)
{
    if (cli_read_instant(L, n, what, out))
        return -1;
    /* the text, not the value: 2025-01-01T00:00:00Z is midnight but still an instant */
    if (*out != sim_day_start(*out) || strchr(n->text, 'T') || strchr(n->text, 't'))
        return CLI_FAIL_AT(L, n, "%s is the agreement's last day, a date like 2026-06-30, not an instant with a time", what);
    return 0;
}

/* A reference to an id of a kind. */
int cli_read_ref(cli_loader *L, const cli_ynode *n, const cli_idmap *m, const char *kind, uint32_t *out)
{
    const char *id;
    if (cli_read_id(L, n, kind, &id))
        return -1;
    const cli_identry *e = cli_idmap_get(m, id);
    if (!e)
        return CLI_FAIL_AT(L, n, "unknown %s '%s'", kind, id);
    *out = e->value;
    return 0;
}

int cli_define_id(cli_loader *L, cli_idmap *m, const cli_ynode *n, const char *id, uint32_t value, const char *kind)
{
    const cli_identry *old = NULL;
    int rc = cli_idmap_put(m, id, value, n, &old);
    if (rc < 0)
        return CLI_FAIL_AT(L, n, "out of memory");
    if (rc > 0)
        return CLI_FAIL_AT(L, n, "duplicate %s id '%s' (first defined at line %d)", kind, id, old->where->line);
    return 0;
}

/* A duration in days, hours, minutes or seconds (distributions draw seconds). */
int cli_read_seconds(cli_loader *L, const cli_ynode *n, const char *what, sim_duration *out)
{
    if (cli_read_duration(L, n, what, out))
        return -1;
    if (out->months)
        return CLI_FAIL_AT(L, n, "%s must be in days, hours, minutes or seconds, not months or years", what);
    return 0;
}

/* A distribution: a fixed duration, or {dist: ..., ...} */
int cli_read_dist(cli_loader *L, const cli_ynode *n, const char *what, sim_dist *out)
{
    if (n->kind == CLI_Y_SCALAR) {
        sim_duration d;
        if (cli_read_seconds(L, n, what, &d))
            return -1;
        *out = sim_dist_fixed(d.seconds);
        return 0;
    }
    static const cli_keyspec keys[] = {{"dist", 1}, {"min", 0}, {"max", 0}, {"mean", 0}, {"median", 0},
                                   {"sigma", 0}, {"values", 0}, {"weights", 0}, CLI_KEYS_END};
    if (cli_check_keys(L, n, keys, what))
        return -1;
    static const char *const kinds[] = {"fixed", "uniform", "exponential", "lognormal", "choice", NULL};
    static const char *const needs[][3] = {{"value", NULL, NULL}, {"min", "max", NULL}, {"mean", NULL, NULL},
                                           {"median", "sigma", NULL}, {"values", NULL, NULL}};
    int k;
    if (cli_read_word(L, cli_ymap_get(n, "dist"), "dist", kinds + 1, &k))
        return -1;
    k += 1;
    for (int i = 0; needs[k][i]; i++)
        if (!cli_ymap_get(n, needs[k][i]))
            return CLI_FAIL_AT(L, n, "a %s distribution needs '%s'", kinds[k], needs[k][i]);
    for (size_t i = 0; i < n->n; i++) { /* keys of another kind are a mistake */
        const char *key = n->items[2 * i]->text;
        int ok = strcmp(key, "dist") == 0 || (k == 4 && strcmp(key, "weights") == 0);
        for (int j = 0; needs[k][j]; j++)
            ok = ok || strcmp(key, needs[k][j]) == 0;
        if (!ok)
            return CLI_FAIL_AT(L, n->items[2 * i], "'%s' does not apply to a %s distribution", key, kinds[k]);
    }
    memset(out, 0, sizeof *out);
    out->kind = (sim_dist_kind)k;
    sim_duration d1, d2;
    switch (out->kind) {
    case SIM_DIST_UNIFORM:
        if (cli_read_seconds(L, cli_ymap_get(n, "min"), "min", &d1) || cli_read_seconds(L, cli_ymap_get(n, "max"), "max", &d2))
            return -1;
        if (d2.seconds < d1.seconds)
            return CLI_FAIL_AT(L, cli_ymap_get(n, "max"), "max is below min");
        out->a = d1.seconds;
        out->b = d2.seconds;
        return 0;
    case SIM_DIST_EXPONENTIAL:
        if (cli_read_seconds(L, cli_ymap_get(n, "mean"), "mean", &d1))
            return -1;
        out->a = d1.seconds;
        return 0;
    case SIM_DIST_LOGNORMAL: {
        const cli_ynode *sg = cli_ymap_get(n, "sigma");
        double sigma;
        if (cli_read_seconds(L, cli_ymap_get(n, "median"), "median", &d1) || cli_read_real(L, sg, "sigma", 0.0, 10.0, &sigma))
            return -1;
        out->a = d1.seconds;
        out->sigma = sigma;
        return 0;
    }
    case SIM_DIST_CHOICE: {
        const cli_ynode *vs = cli_ymap_get(n, "values"), *ws = cli_ymap_get(n, "weights");
        if (cli_read_list(L, vs, "values"))
            return -1;
        if (vs->n == 0)
            return CLI_FAIL_AT(L, vs, "values must not be empty");
        int64_t *values = cli_arena_alloc(L->a, vs->n * sizeof *values);
        double *weights = ws ? cli_arena_alloc(L->a, vs->n * sizeof *weights) : NULL;
        if (!values || (ws && !weights))
            return CLI_FAIL_AT(L, n, "out of memory");
        for (size_t i = 0; i < vs->n; i++) {
            if (cli_read_seconds(L, vs->items[i], "a value", &d1))
                return -1;
            values[i] = d1.seconds;
        }
        if (ws) {
            if (cli_read_list(L, ws, "weights"))
                return -1;
            if (ws->n != vs->n)
                return CLI_FAIL_AT(L, ws, "weights has %zu entries for %zu values", ws->n, vs->n);
            double total = 0.0;
            for (size_t i = 0; i < ws->n; i++) {
                if (cli_read_real(L, ws->items[i], "a weight", 0.0, 1e12, &weights[i]))
                    return -1;
                total += weights[i];
            }
            if (!(total > 0.0))
                return CLI_FAIL_AT(L, ws, "the weights add up to 0: at least one must be positive");
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