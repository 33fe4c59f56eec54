/* cli/behaviour.c - reading `behaviours:`: the trigger (on, and for on: action its action,
 * outcome and reason), the where filters, p, after and the do action, whose keys are the
 * events' own (cli_action_key) with `same` and `auto` besides fixed values. Every mistake is
 * reported where it is written; nothing is set on the world until all are read. */
#include "behaviour.h"

#include <stdio.h>
#include <string.h>

#include "limits.h"
#include "model/behaviour.h"
#include "population.h"

/* Actions a behaviour cannot do: their ids (transfers, agreements) are declared at load with
 * what they move, which a reaction cannot know. */
static int doable(int kind)
{
    return kind != MODEL_ACT_REQUEST_TRANSFER && kind != MODEL_ACT_ACCEPT_TRANSFER &&
           kind != MODEL_ACT_REJECT_TRANSFER && kind != MODEL_ACT_RENEW_EA_AGREEMENT;
}

static int is_same(const cli_ynode *v)
{
    return v->kind == CLI_Y_SCALAR && v->plain && strcmp(v->text, "same") == 0;
}

static int read_on(cli_loader *L, const cli_ynode *n, model_kind *out)
{
    if (cli_read_scalar(L, n, "on"))
        return -1;
    int k = model_kind_find(n->text);
    if (k < 0) {
        char names[600] = "";
        size_t len = 0;
        for (int j = 0; j < MODEL_KIND_COUNT && len < sizeof names; j++)
            len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", j ? ", " : "", model_kind_name((model_kind)j));
        return CLI_FAIL_AT(L, n, "on: '%s' names no record kind (kinds: %s)", n->text, names);
    }
    *out = (model_kind)k;
    return 0;
}

static int read_action_kind(cli_loader *L, const cli_ynode *n, const char *what, int *out)
{
    if (cli_read_scalar(L, n, what))
        return -1;
    *out = model_action_find(n->text);
    if (*out >= 0)
        return 0;
    char names[400] = "";
    size_t len = 0;
    for (int j = 0; j < MODEL_ACT_COUNT && len < sizeof names; j++)
        len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", j ? ", " : "", model_action_name(j));
    return CLI_FAIL_AT(L, n, "unknown action '%s' (actions: %s)", n->text, names);
}

static int read_where(cli_loader *L, const cli_ynode *n, model_behaviour *b)
{
    static const cli_keyspec keys[] = {{"group", 0}, {"tenant", 0}, {"offer", 0}, {"partner", 0}, {"channel", 0},
                                       CLI_KEYS_END};
    if (cli_check_keys(L, n, keys, "where"))
        return -1;
    const cli_ynode *v;
    if ((v = cli_ymap_get(n, "group"))) {
        const char *id;
        if (cli_read_id(L, v, "group", &id))
            return -1;
        for (size_t g = 0; g < model_count_groups(L->w) && b->group == MODEL_NONE; g++)
            if (strcmp(model_group_name(L->w, (uint32_t)g), id) == 0)
                b->group = (uint32_t)g;
        if (b->group == MODEL_NONE)
            return CLI_FAIL_AT(L, v, "unknown group '%s': no population group has that name", id);
    }
    if ((v = cli_ymap_get(n, "tenant")) && cli_read_ref(L, v, &L->tenants, "tenant", &b->tenant))
        return -1;
    if ((v = cli_ymap_get(n, "offer")) && cli_read_ref(L, v, &L->offers, "offer", &b->offer))
        return -1;
    if ((v = cli_ymap_get(n, "partner")) && cli_read_ref(L, v, &L->partners, "partner", &b->partner))
        return -1;
    if ((v = cli_ymap_get(n, "channel")) && cli_read_word(L, v, "channel", cli_channel_words, &b->channel))
        return -1;
    return 0;
}

/* What the trigger's record is, for messages: "an expired record", "a purchase action record". */
static void trigger_words(const model_behaviour *b, char *buf, size_t size)
{
    const char *k = b->on == MODEL_KIND_ACTION && b->action >= 0 ? model_action_name(b->action) : model_kind_name(b->on);
    snprintf(buf, size, "%s %s%s record", strchr("aeiou", k[0]) ? "an" : "a", k,
             b->on == MODEL_KIND_ACTION && b->action >= 0 ? " action" : "");
}

/* `same` on key (field bit f): something to copy from the trigger's record. */
static int read_same(cli_loader *L, const cli_ynode *k, const cli_ynode *v, unsigned f, model_behaviour *b)
{
    if (!f)
        return CLI_FAIL_AT(L, v, "%s: same has no value to copy: same copies tenant, partner, subscription, offer, "
                                 "licenses, term, billing or autorenew", k->text);
    if ((f & BEHAV_F_OF_SUB) && !model_kind_has_subscription(b->on, b->action)) {
        char t[80];
        trigger_words(b, t, sizeof t);
        return CLI_FAIL_AT(L, v, "%s: same has nothing to copy: %s is about no subscription", k->text, t);
    }
    b->same |= f;
    return 0;
}

/* Appends "key=value" to the fixed part of the detail. */
static void detail_add(char *buf, size_t size, const cli_ynode *k, const cli_ynode *v)
{
    size_t n = strlen(buf);
    if (n + 2 >= size || v->kind != CLI_Y_SCALAR)
        return;
    snprintf(buf + n, size - n, "%s%s=%s", n ? " " : "", k->text, v->text);
}

/* One key of do. */
static int read_do_key(cli_loader *L, const cli_ynode *k, const cli_ynode *v, model_behaviour *b, char *detail,
                       size_t dsize)
{
    model_action *a = &b->act;
    const char *key = k->text;
    int kind = (int)a->kind;
    int word;
    static const struct {
        const char *key;
        unsigned f;
    } copyable[] = {{"tenant", BEHAV_F_TENANT},   {"partner", BEHAV_F_PARTNER},    {"subscription", BEHAV_F_SUBSCRIPTION},
                    {"offer", BEHAV_F_OFFER},     {"to", BEHAV_F_OFFER},           {"licenses", BEHAV_F_LICENSES},
                    {"term", BEHAV_F_TERM},       {"billing", BEHAV_F_BILLING},    {"autorenew", BEHAV_F_AUTORENEW}};
    if (is_same(v)) {
        unsigned f = 0;
        for (size_t i = 0; i < sizeof copyable / sizeof copyable[0]; i++)
            if (strcmp(copyable[i].key, key) == 0 && !(kind == MODEL_ACT_UPGRADE && strcmp(key, "offer") == 0))
                f = copyable[i].f;
        return read_same(L, k, v, f, b);
    }
    int shown = 1; /* fixed values go into the detail text, as for events */
    if (strcmp(key, "id") == 0) {
        if (v->kind != CLI_Y_SCALAR || strcmp(v->text, "auto") != 0)
            return CLI_FAIL_AT(L, v, "id in do must be auto: a behaviour makes a fresh subscription each time it acts");
        b->auto_id = 1;
        shown = 0;
    } else if (strcmp(key, "tenant") == 0) {
        if (cli_read_ref(L, v, &L->tenants, "tenant", &a->tenant))
            return -1;
        shown = 0;
    } else if (strcmp(key, "partner") == 0) {
        if (cli_read_ref(L, v, &L->partners, "partner", &a->partner))
            return -1;
        shown = 0;
    } else if (strcmp(key, "subscription") == 0) {
        if (cli_read_ref(L, v, &L->subs, "subscription", &a->subscription))
            return -1;
        shown = 0;
    } else if (strcmp(key, "offer") == 0 || strcmp(key, "to") == 0) {
        if (cli_read_ref(L, v, &L->offers, "offer", &a->offer))
            return -1;
    } else if (strcmp(key, "licenses") == 0 || strcmp(key, "delta") == 0) {
        int delta = key[0] == 'd';
        sim_dist d;
        if (cli_read_number_dist(L, v, key, delta ? -CLI_MAX_LICENSES : 1, CLI_MAX_LICENSES, &d))
            return -1;
        if (d.kind == SIM_DIST_FIXED) {
            if (delta && d.a == 0)
                return CLI_FAIL_AT(L, v, "delta must not be 0");
            *(delta ? &a->delta : &a->licenses) = (int32_t)d.a;
        } else {
            *(delta ? &b->delta_dist : &b->licenses_dist) = d;
            *(delta ? &b->has_delta_dist : &b->has_licenses_dist) = 1;
            shown = 0; /* the drawn value is written when the action runs */
        }
        *(delta ? &a->has_delta : &a->has_licenses) = 1;
    } else if (strcmp(key, "term") == 0) {
        if (cli_read_term(L, v, "term", &a->term_months))
            return -1;
        a->has_term = 1;
    } else if (strcmp(key, "billing") == 0) {
        if (cli_read_word(L, v, "billing", cli_billing_words, &word))
            return -1;
        a->billing = (model_billing)word;
        a->has_billing = 1;
    } else if (strcmp(key, "autorenew") == 0) {
        if (cli_read_bool(L, v, "autorenew", &a->autorenew))
            return -1;
    } else if (strcmp(key, "trial") == 0) {
        if (cli_read_bool(L, v, "trial", &a->trial))
            return -1;
    } else if (strcmp(key, "value") == 0) {
        if (cli_read_bool(L, v, "value", &a->value))
            return -1;
    } else if (strcmp(key, "target") == 0) {
        if (cli_read_ref(L, v, &L->subs, "subscription", &a->target))
            return -1;
    } else if (strcmp(key, "align_end_with") == 0) {
        if (v->kind == CLI_Y_SCALAR && strcmp(v->text, "calendar_month") == 0)
            a->align = MODEL_ALIGN_CALENDAR_MONTH;
        else if (cli_read_ref(L, v, &L->subs, "subscription", &a->align))
            return -1;
    } else if (strcmp(key, "reseller") == 0) {
        if (cli_read_ref(L, v, &L->partners, "partner", &a->reseller))
            return -1;
    } else {
        return CLI_FAIL_AT(L, k, "a behaviour's %s cannot take '%s'", model_action_name(kind), key);
    }
    if (shown)
        detail_add(detail, dsize, k, v);
    return 0;
}

static int read_do(cli_loader *L, const cli_ynode *n, model_behaviour *b)
{
    if (n->kind != CLI_Y_MAP)
        return CLI_FAIL_AT(L, n, "do must be a mapping, not a %s", cli_ykind_name(n));
    const cli_ynode *an = cli_ymap_get(n, "action");
    if (!an)
        return CLI_FAIL_AT(L, n, "do is missing the required key 'action'");
    int kind;
    if (read_action_kind(L, an, "action", &kind))
        return -1;
    if (kind == MODEL_ACT_SET_RULE)
        return CLI_FAIL_AT(L, an, "a behaviour cannot do set_rule: a policy change is an event of the scenario "
                                  "(events:), not a customer's reaction");
    if (!doable(kind))
        return CLI_FAIL_AT(L, an, "a behaviour cannot do %s: its ids are declared with what it moves when the file "
                                  "is loaded", an->text);
    model_action_init(&b->act, (model_action_kind)kind);
    /* the events' keys of this action, none required here: the record gives tenant, partner
     * and subscription, the rest is checked below */
    cli_keyspec keys[16];
    size_t nk = 0;
    keys[nk++] = (cli_keyspec){"action", 1};
    int required;
    const char *key;
    for (int i = 0; (key = cli_action_key(kind, i, &required)) && nk < 15; i++) {
        keys[nk++] = (cli_keyspec){key, 0};
        if (strcmp(key, "tenant") == 0)
            b->takes |= BEHAV_F_TENANT;
        else if (strcmp(key, "partner") == 0)
            b->takes |= BEHAV_F_PARTNER;
        else if (strcmp(key, "subscription") == 0)
            b->takes |= BEHAV_F_SUBSCRIPTION;
    }
    keys[nk] = (cli_keyspec)CLI_KEYS_END;
    char what[64];
    snprintf(what, sizeof what, "do (a %s action)", an->text);
    if (cli_check_keys(L, n, keys, what))
        return -1;
    char detail[MODEL_DETAIL_MAX] = "";
    for (size_t i = 0; i < n->n; i++) {
        const cli_ynode *k = n->items[2 * i], *v = n->items[2 * i + 1];
        if (strcmp(k->text, "action") && read_do_key(L, k, v, b, detail, sizeof detail))
            return -1;
    }
    /* required keys the record cannot give */
    for (int i = 0; (key = cli_action_key(kind, i, &required)); i++) {
        if (!required || cli_ymap_get(n, key))
            continue;
        if (strcmp(key, "tenant") == 0 || strcmp(key, "partner") == 0)
            continue; /* every record the trigger matches names them, or the reaction does not happen */
        if (strcmp(key, "subscription") == 0) {
            if (!model_kind_has_subscription(b->on, b->action)) {
                char t[80];
                trigger_words(b, t, sizeof t);
                return CLI_FAIL_AT(L, n, "do (a %s action) needs a subscription and %s names none: give subscription",
                                   an->text, t);
            }
            continue;
        }
        return CLI_FAIL_AT(L, n, "%s is missing the required key '%s' (a value, or same)", what, key);
    }
    if (kind == MODEL_ACT_CHANGE_LICENSES && b->act.has_licenses + !!(b->same & BEHAV_F_LICENSES) + b->act.has_delta != 1)
        return CLI_FAIL_AT(L, n, "change_licenses takes one of 'licenses' (new total) or 'delta'");
    if (detail[0] && !(b->act.detail = cli_arena_strndup(L->a, detail, strlen(detail))))
        return CLI_FAIL_AT(L, n, "out of memory");
    return 0;
}

static int load_behaviour(cli_loader *L, const cli_ynode *n, model_behaviour *b)
{
    static const cli_keyspec keys[] = {{"name", 1},  {"on", 1}, {"action", 0}, {"outcome", 0}, {"reason", 0},
                                       {"where", 0}, {"p", 1},  {"after", 0},  {"do", 1},      CLI_KEYS_END};
    if (cli_check_keys(L, n, keys, "a behaviour"))
        return -1;
    memset(b, 0, sizeof *b);
    b->group = b->tenant = b->offer = b->partner = MODEL_NONE;
    b->channel = -1;
    b->action = -1;
    b->after = sim_dist_fixed(0);
    if (cli_read_id(L, cli_ymap_get(n, "name"), "name", &b->name) || read_on(L, cli_ymap_get(n, "on"), &b->on))
        return -1;
    const cli_ynode *v;
    static const char *const outcomes[] = {"accepted", "rejected", NULL};
    for (int i = 0; i < 3; i++) {
        static const char *const only[] = {"action", "outcome", "reason"};
        if ((v = cli_ymap_get(n, only[i])) && b->on != MODEL_KIND_ACTION)
            return CLI_FAIL_AT(L, v, "%s applies only to on: action, not on: %s", only[i], model_kind_name(b->on));
    }
    if ((v = cli_ymap_get(n, "action")) && read_action_kind(L, v, "action", &b->action))
        return -1;
    int word;
    if ((v = cli_ymap_get(n, "outcome"))) {
        if (cli_read_word(L, v, "outcome", outcomes, &word))
            return -1;
        b->outcome = word ? MODEL_OUTCOME_REJECTED : MODEL_OUTCOME_ACCEPTED;
    }
    if ((v = cli_ymap_get(n, "reason"))) {
        if (cli_read_scalar(L, v, "reason"))
            return -1;
        b->reason = model_reason_find(v->text);
        if (b->reason == MODEL_REASON_COUNT || b->reason == MODEL_REASON_NONE)
            return CLI_FAIL_AT(L, v, "unknown reason code '%s' (cspsim rules lists them)", v->text);
        if (b->outcome == MODEL_OUTCOME_ACCEPTED)
            return CLI_FAIL_AT(L, v, "an accepted action has no reason: reason goes with outcome: rejected");
        b->outcome = MODEL_OUTCOME_REJECTED;
    }
    if ((v = cli_ymap_get(n, "where")) && read_where(L, v, b))
        return -1;
    if (cli_read_real(L, cli_ymap_get(n, "p"), "p", 0.0, 1.0, &b->p))
        return -1;
    if ((v = cli_ymap_get(n, "after")) && cli_read_dist(L, v, "after", &b->after))
        return -1;
    if (read_do(L, cli_ymap_get(n, "do"), b))
        return -1;
    if (b->p >= 1.0 && sim_dist_max(&b->after) == 0 && model_behaviour_self_triggers(b)) {
        const char *k = b->on == MODEL_KIND_ACTION && b->action >= 0 ? model_action_name(b->action) : model_kind_name(b->on);
        return CLI_FAIL_AT(L, cli_ymap_get(n, "on"),
                           "behaviour '%s' would trigger itself without end: its %s makes the %s%s record it reacts "
                           "to, at once (p: 1, after: 0): give a p below 1 or an after",
                           b->name, model_action_name((int)b->act.kind), k,
                           b->on == MODEL_KIND_ACTION && b->action >= 0 ? " action" : "");
    }
    return 0;
}

int cli_load_behaviours(cli_loader *L, const cli_ynode *list)
{
    if (cli_read_list(L, list, "behaviours"))
        return -1;
    if (list->n > MODEL_BEHAV_MAX)
        return CLI_FAIL_AT(L, list, "more than %d behaviours (limit)", MODEL_BEHAV_MAX);
    if (list->n == 0)
        return 0;
    model_behaviour *bs = cli_arena_alloc(L->a, list->n * sizeof *bs);
    if (!bs)
        return CLI_FAIL_AT(L, list, "out of memory");
    for (size_t i = 0; i < list->n; i++) {
        const cli_ynode *n = list->items[i];
        if (load_behaviour(L, n, &bs[i]))
            return -1;
        for (size_t j = 0; j < i; j++)
            if (strcmp(bs[j].name, bs[i].name) == 0)
                return CLI_FAIL_AT(L, cli_ymap_get(n, "name"), "duplicate behaviour name '%s' (first defined at line %d)",
                                   bs[i].name, cli_ymap_get(list->items[j], "name")->line);
    }
    if (model_set_behaviours(L->w, bs, list->n))
        return CLI_FAIL_AT(L, list, "out of memory");
    return 0;
}
