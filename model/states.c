/* model/states.c - the subscription state machine: predicates and the legal transitions. */
#include "states.h"

int sub_is_live(int state)
{
    return state == MODEL_STATE_PENDING || state == MODEL_STATE_TRIAL ||
           state == MODEL_STATE_ACTIVE || state == MODEL_STATE_SUSPENDED;
}

int sub_is_paid(int state)
{
    return state == MODEL_STATE_ACTIVE || state == MODEL_STATE_SUSPENDED;
}

int sub_no_access(int state)
{
    return state == MODEL_STATE_SUSPENDED || state == MODEL_STATE_DISABLED;
}

/* legal[from][to]: the subscription state machine (RULES.md SUB-2..SUB-5, SUB-8, EA-6) */
static const unsigned char legal[MODEL_STATE_COUNT][MODEL_STATE_COUNT] = {
    [MODEL_STATE_NONE] = {[MODEL_STATE_PENDING] = 1, [MODEL_STATE_TRIAL] = 1, [MODEL_STATE_ACTIVE] = 1,
                          [MODEL_STATE_SUSPENDED] = 1},
    [MODEL_STATE_PENDING] = {[MODEL_STATE_ACTIVE] = 1, [MODEL_STATE_CANCELED] = 1},
    [MODEL_STATE_TRIAL] = {[MODEL_STATE_ACTIVE] = 1, [MODEL_STATE_EXPIRED] = 1, [MODEL_STATE_CANCELED] = 1},
    [MODEL_STATE_ACTIVE] = {[MODEL_STATE_SUSPENDED] = 1, [MODEL_STATE_EXPIRED] = 1, [MODEL_STATE_CANCELED] = 1},
    [MODEL_STATE_SUSPENDED] = {[MODEL_STATE_ACTIVE] = 1, [MODEL_STATE_CANCELED] = 1, [MODEL_STATE_DELETED] = 1,
                               [MODEL_STATE_DISABLED] = 1},
    [MODEL_STATE_EXPIRED] = {[MODEL_STATE_DISABLED] = 1},
    [MODEL_STATE_DISABLED] = {[MODEL_STATE_DELETED] = 1},
    [MODEL_STATE_CANCELED] = {[MODEL_STATE_DELETED] = 1},
};

int sub_transition_legal(int from, int to)
{
    return from >= 0 && from < MODEL_STATE_COUNT && to >= 0 && to < MODEL_STATE_COUNT && legal[from][to];
}
