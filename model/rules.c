/* model/rules.c - names and texts of rules and reasons; parameter defaults from the table. */
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const rule_ids[] = {
#define X(name, id, text, source, impl) id,
    MODEL_RULES(X)
#undef X
};

static const char *const rule_texts[] = {
#define X(name, id, text, source, impl) text,
    MODEL_RULES(X)
#undef X
};

static const char *const rule_sources[] = {
#define X(name, id, text, source, impl) source,
    MODEL_RULES(X)
#undef X
};

static const unsigned char rule_simulated[] = {
#define X(name, id, text, source, impl) impl,
    MODEL_RULES(X)
#undef X
};

static const unsigned char reason_simulated[] = {
#define X(name, code, impl) impl,
    MODEL_REASONS(X)
#undef X
};

static const char *const reason_codes[] = {
#define X(name, code, impl) code,
    MODEL_REASONS(X)
#undef X
};

static const model_param_info params[] = {
#define X(name, kind, def, rule) {#name, MODEL_PARAM_##kind, def, MODEL_RULE_##rule, offsetof(model_params, name)},
    MODEL_PARAMS(X)
#undef X
};

const char *model_rule_id(model_rule r)
{
    return r < MODEL_RULE_COUNT ? rule_ids[r] : "";
}

const char *model_rule_text(model_rule r)
{
    return r < MODEL_RULE_COUNT ? rule_texts[r] : "";
}

const char *model_rule_source(model_rule r)
{
    return r < MODEL_RULE_COUNT ? rule_sources[r] : "";
}

int model_rule_simulated(model_rule r)
{
    return r < MODEL_RULE_COUNT && rule_simulated[r];
}

int model_reason_simulated(model_reason r)
{
    return r < MODEL_REASON_COUNT && reason_simulated[r];
}

model_rule model_rule_find(const char *id)
{
    for (int r = 1; r < MODEL_RULE_COUNT; r++)
        if (strcmp(rule_ids[r], id) == 0)
            return (model_rule)r;
    return MODEL_RULE_COUNT;
}

const char *model_reason_code(model_reason r)
{
    return r < MODEL_REASON_COUNT ? reason_codes[r] : "";
}

model_reason model_reason_find(const char *code)
{
    for (int r = 1; r < MODEL_REASON_COUNT; r++)
        if (strcmp(reason_codes[r], code) == 0)
            return (model_reason)r;
    return MODEL_REASON_COUNT;
}

const model_param_info *model_param_table(size_t *n)
{
    *n = sizeof params / sizeof params[0];
    return params;
}

const model_param_info *model_param_find(const char *name)
{
    for (size_t i = 0; i < sizeof params / sizeof params[0]; i++)
        if (strcmp(params[i].name, name) == 0)
            return &params[i];
    return NULL;
}

void model_params_default(model_params *p)
{
    memset(p, 0, sizeof *p);
    for (size_t i = 0; i < sizeof params / sizeof params[0]; i++) {
        const model_param_info *pi = &params[i];
        char *slot = (char *)p + pi->offset;
        switch (pi->kind) {
        case MODEL_PARAM_DURATION:
            sim_parse_duration(pi->default_text, (sim_duration *)(void *)slot);
            break;
        case MODEL_PARAM_COUNT:
            *(int64_t *)(void *)slot = strtoll(pi->default_text, NULL, 10);
            break;
        case MODEL_PARAM_CHOICE:
            *(int64_t *)(void *)slot = 0; /* the first word */
            break;
        case MODEL_PARAM_DIST: {
            char lo[16], hi[16];
            const char *s = strchr(pi->default_text, ' ') + 1, *sp = strchr(s, ' ');
            size_t n = (size_t)(sp - s);
            memcpy(lo, s, n);
            lo[n] = '\0';
            strcpy(hi, sp + 1);
            sim_duration a, b;
            sim_parse_duration(lo, &a);
            sim_parse_duration(hi, &b);
            *(sim_dist *)(void *)slot = sim_dist_uniform(a.seconds, b.seconds);
            break;
        }
        }
    }
}

void model_param_get(const model_params *p, const model_param_info *pi, model_param_value *out)
{
    const char *slot = (const char *)p + pi->offset;
    memset(out, 0, sizeof *out);
    switch (pi->kind) {
    case MODEL_PARAM_DURATION:
        memcpy(&out->duration, slot, sizeof out->duration);
        break;
    case MODEL_PARAM_DIST:
        memcpy(&out->dist, slot, sizeof out->dist);
        break;
    case MODEL_PARAM_COUNT:
    case MODEL_PARAM_CHOICE:
        memcpy(&out->count, slot, sizeof out->count);
        break;
    }
}

void model_param_put(model_params *p, const model_param_info *pi, const model_param_value *v)
{
    char *slot = (char *)p + pi->offset;
    switch (pi->kind) {
    case MODEL_PARAM_DURATION:
        memcpy(slot, &v->duration, sizeof v->duration);
        break;
    case MODEL_PARAM_DIST:
        memcpy(slot, &v->dist, sizeof v->dist);
        break;
    case MODEL_PARAM_COUNT:
    case MODEL_PARAM_CHOICE:
        memcpy(slot, &v->count, sizeof v->count);
        break;
    }
}

/* seconds as a canonical duration */
static const char *secs(int64_t s, char *buf, size_t size)
{
    sim_duration d = {0, s};
    return sim_format_duration(d, buf, size);
}

char *model_param_format(const model_param_info *pi, const model_param_value *v, char *buf, size_t size)
{
    char x[SIM_DURATION_BUF], y[SIM_DURATION_BUF];
    switch (pi->kind) {
    case MODEL_PARAM_DURATION:
        return sim_format_duration(v->duration, buf, size);
    case MODEL_PARAM_COUNT:
        snprintf(buf, size, "%lld", (long long)v->count);
        return buf;
    case MODEL_PARAM_CHOICE: { /* the count-th word of "a|b|..." */
        const char *w = pi->default_text;
        for (int64_t i = 0; i < v->count && strchr(w, '|'); i++)
            w = strchr(w, '|') + 1;
        snprintf(buf, size, "%.*s", (int)strcspn(w, "|"), w);
        return buf;
    }
    case MODEL_PARAM_DIST:
        break;
    }
    const sim_dist *d = &v->dist;
    switch (d->kind) {
    case SIM_DIST_FIXED:
        snprintf(buf, size, "fixed:%s", secs(d->a, x, sizeof x));
        break;
    case SIM_DIST_UNIFORM:
        snprintf(buf, size, "uniform:%s..%s", secs(d->a, x, sizeof x), secs(d->b, y, sizeof y));
        break;
    case SIM_DIST_EXPONENTIAL:
        snprintf(buf, size, "exponential:%s", secs(d->a, x, sizeof x));
        break;
    case SIM_DIST_LOGNORMAL:
        snprintf(buf, size, "lognormal:%s/%g", secs(d->a, x, sizeof x), d->sigma); /* no locale: '.' */
        break;
    case SIM_DIST_POISSON: /* not a duration: a rule parameter never holds one */
        snprintf(buf, size, "poisson:%g", d->x);
        break;
    case SIM_DIST_BERNOULLI:
        snprintf(buf, size, "p:%g", d->x);
        break;
    case SIM_DIST_CHOICE: {
        size_t n = (size_t)snprintf(buf, size, "choice:");
        for (size_t i = 0; i < d->n && n < size; i++)
            n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? "," : "", secs(d->values[i], x, sizeof x));
        break;
    }
    }
    return buf;
}
