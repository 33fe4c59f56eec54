/* model/record.c - names of record kinds, states and actions. */
#include "record.h"

#include <string.h>

static const char *const kinds[] = {
#define X(name, text) text,
    MODEL_KINDS(X)
#undef X
};
static const char *const states[] = {
#define X(name, text) text,
    MODEL_STATES(X)
#undef X
};
static const char *const actions[] = {
#define X(name, text) text,
    MODEL_ACTIONS(X)
#undef X
};

const char *model_kind_name(model_kind k)
{
    return k < MODEL_KIND_COUNT ? kinds[k] : "";
}

const char *model_state_name(int s)
{
    return s >= 0 && s < MODEL_STATE_COUNT ? states[s] : "";
}

const char *model_action_name(int a)
{
    return a >= 0 && a < MODEL_ACT_COUNT ? actions[a] : "";
}

static int find(const char *const *names, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

int model_state_find(const char *name)
{
    return find(states, MODEL_STATE_COUNT, name);
}

int model_kind_find(const char *name)
{
    return find(kinds, MODEL_KIND_COUNT, name);
}

int model_action_find(const char *name)
{
    return find(actions, MODEL_ACT_COUNT, name);
}
