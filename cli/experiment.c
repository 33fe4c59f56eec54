/* cli/experiment.c - the `experiment:` section read with the typed readers; vary keys
 * checked against the override module's table of paths. */
#include "experiment.h"

#include <string.h>

#include "limits.h"
#include "override.h"

static const char *const outcome_names[] = {
#define X(e, name, field, money) name,
    CLI_OUTCOMES(X)
#undef X
};
static const int outcome_money[] = {
#define X(e, name, field, money) money,
    CLI_OUTCOMES(X)
#undef X
};

const char *cli_outcome_name(int o)
{
    return o >= 0 && o < CLI_OUTCOME_COUNT ? outcome_names[o] : "";
}

int cli_outcome_is_money(int o)
{
    return o >= 0 && o < CLI_OUTCOME_COUNT && outcome_money[o];
}

int64_t cli_outcome_value(const model_metrics *m, int o)
{
    switch (o) {
#define X(e, name, field, money)                                                                   \
    case CLI_OUTCOME_##e:                                                                          \
        return m->field;
        CLI_OUTCOMES(X)
#undef X
    }
    return 0;
}

int cli_outcome_find(const char *name, size_t len)
{
    for (int o = 0; o < CLI_OUTCOME_COUNT; o++)
        if (strlen(outcome_names[o]) == len && strncmp(outcome_names[o], name, len) == 0)
            return o;
    return -1;
}

void cli_experiment_default(cli_experiment *e)
{
    memset(e, 0, sizeof *e);
    e->replications = 1;
    for (int o = 0; o < CLI_OUTCOME_COUNT; o++)
        e->outcomes[e->noutcomes++] = o;
}

/* A value as one line of text: a scalar as written, a collection in flow style. */
static size_t node_text(const cli_ynode *n, char *buf, size_t size, size_t at)
{
#define PUT(s)                                                                                     \
    do {                                                                                           \
        const char *s_ = (s);                                                                      \
        size_t l_ = strlen(s_);                                                                    \
        if (at + l_ < size)                                                                        \
            memcpy(buf + at, s_, l_ + 1);                                                          \
        at += l_;                                                                                  \
    } while (0)
    if (n->kind == CLI_Y_SCALAR) {
        PUT(n->text);
    } else if (n->kind == CLI_Y_SEQ) {
        PUT("[");
        for (size_t i = 0; i < n->n; i++) {
            if (i)
                PUT(", ");
            at = node_text(n->items[i], buf, size, at);
        }
        PUT("]");
    } else {
        PUT("{");
        for (size_t i = 0; i < n->n; i++) {
            if (i)
                PUT(", ");
            at = node_text(n->items[2 * i], buf, size, at);
            PUT(": ");
            at = node_text(n->items[2 * i + 1], buf, size, at);
        }
        PUT("}");
    }
    return at;
#undef PUT
}

static int load_vary(cli_loader *L, cli_experiment *e, const cli_ynode *n)
{
    if (n->kind != CLI_Y_MAP)
        return CLI_FAIL_AT(L, n, "experiment.vary must be a mapping of key paths to lists of values, not a %s",
                           cli_ykind_name(n));
    if (n->n == 0)
        return CLI_FAIL_AT(L, n, "experiment.vary is empty: give a key path and its values, or leave vary out");
    if (n->n > CLI_MAX_VARY_KEYS)
        return CLI_FAIL_AT(L, n->items[2 * CLI_MAX_VARY_KEYS], "experiment.vary has more than %d keys (limit)",
                           CLI_MAX_VARY_KEYS);
    for (size_t i = 0; i < n->n; i++) {
        const cli_ynode *k = n->items[2 * i], *v = n->items[2 * i + 1];
        cli_vary *vy = &e->vary[e->nvary++];
        vy->key = k->text;
        vy->path = k->text;
        if (!strchr(k->text, '.') && model_param_find(k->text)) { /* a bare rule parameter */
            char *p = cli_arena_alloc(L->a, strlen(k->text) + 7);
            if (!p)
                return CLI_FAIL_AT(L, k, "out of memory");
            memcpy(p, "rules.", 6);
            memcpy(p + 6, k->text, strlen(k->text) + 1);
            vy->path = p;
        }
        char err[600];
        if (cli_path_check(vy->path, err, sizeof err))
            return CLI_FAIL_AT(L, k, "experiment.vary: %s", err);
        for (size_t j = 0; j < i; j++)
            if (strcmp(e->vary[j].path, vy->path) == 0)
                return CLI_FAIL_AT(L, k, "experiment.vary names %s twice (line %d)", vy->path, n->items[2 * j]->line);
        if (v->kind != CLI_Y_SEQ)
            return CLI_FAIL_AT(L, v, "experiment.vary %s needs a list of values ([A, B, ...]), not a %s", k->text,
                               cli_ykind_name(v));
        if (v->n == 0)
            return CLI_FAIL_AT(L, v, "experiment.vary %s has no values", k->text);
        vy->values = (const cli_ynode *const *)v->items;
        vy->nvalues = v->n;
        vy->texts = cli_arena_alloc(L->a, v->n * sizeof *vy->texts);
        if (!vy->texts)
            return CLI_FAIL_AT(L, v, "out of memory");
        for (size_t j = 0; j < v->n; j++) {
            char buf[CLI_MAX_SCALAR + 1];
            size_t len = node_text(v->items[j], buf, sizeof buf, 0);
            if (len >= sizeof buf)
                return CLI_FAIL_AT(L, v->items[j], "this value is longer than %d bytes as text (limit)", CLI_MAX_SCALAR);
            for (size_t m = 0; m < j; m++)
                if (strcmp(vy->texts[m], buf) == 0)
                    return CLI_FAIL_AT(L, v->items[j], "experiment.vary %s lists %s twice", k->text, buf);
            if (!(vy->texts[j] = cli_arena_strndup(L->a, buf, len)))
                return CLI_FAIL_AT(L, v, "out of memory");
        }
    }
    return 0;
}

static int load_outcomes(cli_loader *L, cli_experiment *e, const cli_ynode *n)
{
    if (cli_read_list(L, n, "experiment.outcomes"))
        return -1;
    if (n->n == 0)
        return CLI_FAIL_AT(L, n, "experiment.outcomes is empty: name outcomes, or leave it out for every total");
    e->noutcomes = 0;
    for (size_t i = 0; i < n->n; i++) {
        const cli_ynode *v = n->items[i];
        if (cli_read_scalar(L, v, "an outcome"))
            return -1;
        int o = cli_outcome_find(v->text, v->len);
        if (o < 0) {
            char names[300] = "";
            size_t len = 0;
            for (int j = 0; j < CLI_OUTCOME_COUNT; j++)
                len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", j ? ", " : "", cli_outcome_name(j));
            return CLI_FAIL_AT(L, v, "unknown outcome '%s' (outcomes: %s)", v->text, names);
        }
        for (size_t j = 0; j < e->noutcomes; j++)
            if (e->outcomes[j] == o)
                return CLI_FAIL_AT(L, v, "experiment.outcomes lists %s twice", v->text);
        e->outcomes[e->noutcomes++] = o;
    }
    return 0;
}

int cli_experiment_load(cli_loader *L, const cli_ynode *n)
{
    static const cli_keyspec keys[] = {{"replications", 0}, {"vary", 0}, {"outcomes", 0}, CLI_KEYS_END};
    if (cli_check_keys(L, n, keys, "experiment"))
        return -1;
    cli_experiment *e = cli_arena_alloc(L->a, sizeof *e);
    if (!e)
        return CLI_FAIL_AT(L, n, "out of memory");
    cli_experiment_default(e);
    const cli_ynode *v;
    if ((v = cli_ymap_get(n, "replications"))) {
        if (cli_read_int(L, v, "experiment.replications", INT64_MIN, INT64_MAX, &e->replications))
            return -1;
        if (e->replications < 1 || e->replications > CLI_MAX_REPLICATIONS)
            return CLI_FAIL_AT(L, v, "experiment.replications must be from 1 to %d (limit), not %lld",
                               CLI_MAX_REPLICATIONS, (long long)e->replications);
        e->replications_node = v;
    }
    if ((v = cli_ymap_get(n, "vary")) && load_vary(L, e, v))
        return -1;
    if ((v = cli_ymap_get(n, "outcomes")) && load_outcomes(L, e, v))
        return -1;
    uint64_t points = 1;
    for (size_t k = 0; k < e->nvary; k++) {
        if (points > (uint64_t)CLI_MAX_RUNS / e->vary[k].nvalues)
            return CLI_FAIL_AT(L, n, "the experiment has more than %d points (limit)", CLI_MAX_RUNS);
        points *= e->vary[k].nvalues;
    }
    if (points * (uint64_t)e->replications > (uint64_t)CLI_MAX_RUNS)
        return CLI_FAIL_AT(L, n, "the experiment has %llu points x %lld replications, more than %d runs (limit)",
                           (unsigned long long)points, (long long)e->replications, CLI_MAX_RUNS);
    L->s->experiment = e;
    return 0;
}
