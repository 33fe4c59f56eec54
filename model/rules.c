/* model/rules.c - names and texts of rules and reasons; parameter defaults from the table. */
#include "rules.h"

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
