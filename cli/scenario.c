/* cli/scenario.c - the scenario loader: YAML tree -> model world and scripted actions.
 *
 * The sections (rules, offers, partners, tenants with their subscriptions and agreements,
 * events) and the top level are loaded here; values are read with the typed readers of
 * cli/readers.h, which check every mapping against a table of allowed keys before any value
 * is read, and the `expect` block by cli/expect.c. Errors stop the load at the first one.
 * Nothing here prints or writes files.
 */
#include "scenario.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "behaviour.h"
#include "expect.h"
#include "experiment.h"
#include "idmap.h"
#include "limits.h"
#include "population.h"
#include "override.h"
#include "readers.h"
#include "ytree.h"

/* ---- sections -------------------------------------------------------------------------- */

/* The rule parameter named by node k (an unknown one is an error naming every parameter). */
static int find_param(cli_loader *L, const cli_ynode *k, const model_param_info **out)
{
    if ((*out = model_param_find(k->text)))
        return 0;
    size_t np, len = 0;
    const model_param_info *tab = model_param_table(&np);
    char names[600] = "";
    for (size_t j = 0; j < np && len < sizeof names - 40; j++)
        len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", j ? ", " : "", tab[j].name);
    return CLI_FAIL_AT(L, k, "unknown rule parameter '%s' (parameters: %s)", k->text, names);
}

/* v as parameter pi's value into slot (a model_params field, or a model_param_value). */
static int read_param(cli_loader *L, const cli_ynode *v, const model_param_info *pi, void *slot)
{
    switch (pi->kind) {
    case MODEL_PARAM_DURATION:
        return cli_read_duration(L, v, pi->name, slot);
    case MODEL_PARAM_DIST:
        return cli_read_dist(L, v, pi->name, slot);
    case MODEL_PARAM_COUNT:
        return cli_read_int(L, v, pi->name, 0, INT32_MAX, slot);
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
        if (cli_read_word(L, v, pi->name, wp, &idx))
            return -1;
        *(int64_t *)slot = idx;
        return 0;
    }
    }
    return 0;
}

static int load_rules(cli_loader *L, const cli_ynode *n)
{
    if (n->kind != CLI_Y_MAP)
        return CLI_FAIL_AT(L, n, "rules must be a mapping of rule parameters, not a %s", cli_ykind_name(n));
    model_params *p = model_world_params(L->w);
    for (size_t i = 0; i < n->n; i++) {
        const cli_ynode *k = n->items[2 * i], *v = n->items[2 * i + 1];
        const model_param_info *pi;
        if (find_param(L, k, &pi) || read_param(L, v, pi, (char *)p + pi->offset))
            return -1;
    }
    return 0;
}

static int load_offers(cli_loader *L, const cli_ynode *list)
{
    static const cli_keyspec keys[] = {{"id", 1}, {"name", 0}, {"provisioning_id", 0}, {"price", 0}, {"terms", 0},
                                   {"segment", 0}, {"one_per_tenant", 0}, {"csp_available", 0}, {"end_of_sale", 0},
                                   {"equivalent_to", 0}, {"upgrades_to", 0}, {"addon", 0}, CLI_KEYS_END};
    if (cli_read_list(L, list, "offers"))
        return -1;
    if (list->n > CLI_MAX_OFFERS)
        return CLI_FAIL_AT(L, list, "more than %d offers (limit)", CLI_MAX_OFFERS);
    /* first the ids, so that equivalent_to, upgrades_to and addon.base may name later offers */
    for (size_t i = 0; i < list->n; i++) {
        const cli_ynode *o = list->items[i];
        const char *id;
        if (cli_check_keys(L, o, keys, "an offer") || cli_read_id(L, cli_ymap_get(o, "id"), "offer id", &id) ||
            cli_define_id(L, &L->offers, cli_ymap_get(o, "id"), id, (uint32_t)i, "offer"))
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
        if ((v = cli_ymap_get(o, "name")) && cli_read_text(L, v, "name", &sp.name))
            return -1;
        if ((v = cli_ymap_get(o, "provisioning_id")) && cli_read_text(L, v, "provisioning_id", &sp.provisioning_id))
            return -1;
        if ((v = cli_ymap_get(o, "price")) && cli_read_money(L, v, "price", 0, &sp.price))
            return -1;
        if (v && sp.price > CLI_MAX_PRICE)
            return CLI_FAIL_AT(L, v, "price is more than %lld.00 (limit)", CLI_MAX_PRICE / 100);
        if ((v = cli_ymap_get(o, "terms"))) {
            if (cli_read_list(L, v, "terms"))
                return -1;
            if (v->n == 0)
                return CLI_FAIL_AT(L, v, "terms must name at least one term");
            sp.terms = 0;
            for (size_t j = 0; j < v->n; j++) {
                int m;
                if (cli_read_term(L, v->items[j], "a term", &m))
                    return -1;
                sp.terms |= m == 1 ? MODEL_TERM_P1M : m == 12 ? MODEL_TERM_P1Y : MODEL_TERM_P3Y;
            }
        }
        int seg = 0, b;
        if ((v = cli_ymap_get(o, "segment")) && cli_read_word(L, v, "segment", cli_segment_words, &seg))
            return -1;
        sp.segment = (model_segment)seg;
        if ((v = cli_ymap_get(o, "one_per_tenant")) && cli_read_bool(L, v, "one_per_tenant", &sp.one_per_tenant))
            return -1;
        if ((v = cli_ymap_get(o, "csp_available")) && cli_read_bool(L, v, "csp_available", &sp.csp_available))
            return -1;
        if ((v = cli_ymap_get(o, "end_of_sale")) && cli_read_bool(L, v, "end_of_sale", &sp.end_of_sale))
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
                static const cli_keyspec akeys[] = {{"base", 1}, {"max_ratio", 0}, {"min_ratio", 0}, CLI_KEYS_END};
                if (cli_check_keys(L, addon, akeys, "addon"))
                    return -1;
                lv = cli_ymap_get(addon, "base");
                outp = &sp.addon_base;
                np = &sp.naddon_base;
                sp.is_addon = 1;
            }
            if (!lv)
                continue;
            if (cli_read_list(L, lv, li == 2 ? "base" : lists[li].key))
                return -1;
            uint32_t *ids = cli_arena_alloc(L->a, (lv->n ? lv->n : 1) * sizeof *ids);
            if (!ids)
                return CLI_FAIL_AT(L, lv, "out of memory");
            for (size_t j = 0; j < lv->n; j++)
                if (cli_read_ref(L, lv->items[j], &L->offers, "offer", &ids[j]))
                    return -1;
            *outp = ids;
            *np = lv->n;
        }
        if (addon) {
            const cli_ynode *r;
            if ((r = cli_ymap_get(addon, "max_ratio")) && cli_read_real(L, r, "max_ratio", 0.0, CLI_MAX_RATIO, &sp.max_ratio))
                return -1;
            if ((r = cli_ymap_get(addon, "min_ratio")) && cli_read_real(L, r, "min_ratio", 0.0, CLI_MAX_RATIO, &sp.min_ratio))
                return -1;
        }
        if (model_add_offer(L->w, &sp) == MODEL_NONE)
            return CLI_FAIL_AT(L, o, "out of memory");
    }
    return 0;
}

static int load_partners(cli_loader *L, const cli_ynode *list)
{
    static const cli_keyspec keys[] = {{"id", 1}, {"type", 0}, {"region", 1}, CLI_KEYS_END};
    if (cli_read_list(L, list, "partners"))
        return -1;
    if (list->n > CLI_MAX_PARTNERS)
        return CLI_FAIL_AT(L, list, "more than %d partners (limit)", CLI_MAX_PARTNERS);
    for (size_t i = 0; i < list->n; i++) {
        const cli_ynode *p = list->items[i], *v;
        const char *id, *region;
        int type;
        if (cli_check_keys(L, p, keys, "a partner") || cli_read_id(L, cli_ymap_get(p, "id"), "partner id", &id) ||
            cli_read_id(L, cli_ymap_get(p, "region"), "region", &region))
            return -1;
        if ((v = cli_ymap_get(p, "type")) && cli_read_word(L, v, "type", cli_partner_types, &type))
            return -1;
        uint32_t idx = model_add_partner(L->w, id, region);
        if (idx == MODEL_NONE)
            return CLI_FAIL_AT(L, p, "out of memory");
        if (v) /* REL-6: the words are in model_partner_type's order */
            model_set_partner_type(L->w, idx, (model_partner_type)type);
        if (cli_define_id(L, &L->partners, cli_ymap_get(p, "id"), id, idx, "partner"))
            return -1;
    }
    return 0;
}

static int declare_sub(cli_loader *L, const cli_ynode *idnode, uint32_t tenant, uint32_t *out)
{
    const char *id;
    if (cli_read_id(L, idnode, "subscription id", &id))
        return -1;
    if (L->nsubs >= CLI_MAX_SUBSCRIPTIONS)
        return CLI_FAIL_AT(L, idnode, "more than %d subscriptions (limit)", CLI_MAX_SUBSCRIPTIONS);
    const cli_identry *old = cli_idmap_get(&L->subs, id);
    if (old)
        return CLI_FAIL_AT(L, idnode, "duplicate subscription id '%s' (first defined at line %d)", id, old->where->line);
    uint32_t idx = model_declare_subscription(L->w, id, tenant);
    if (idx == MODEL_NONE)
        return CLI_FAIL_AT(L, idnode, "out of memory");
    L->nsubs++;
    *out = idx;
    return cli_define_id(L, &L->subs, idnode, id, idx, "subscription");
}

/* LIM-1 at the start: a tenant may not begin holding more live subscriptions than the limit
 * (the model would find the breach at its first invariant check, exit 70); n is the
 * subscription just added, the first one past the limit. */
static int check_start_limit(cli_loader *L, const cli_ynode *n, uint32_t tenant)
{
    int64_t limit = model_world_params(L->w)->tenant_subscription_limit;
    if ((int64_t)model_live_subscriptions(L->w, tenant) <= limit)
        return 0;
    return CLI_FAIL_AT(L, n, "this tenant holds more than tenant_subscription_limit (%lld) live subscriptions at the start (LIM-1)",
                       (long long)limit);
}

static int load_tenant_sub(cli_loader *L, const cli_ynode *n, uint32_t tenant)
{
    static const cli_keyspec keys[] = {{"id", 1}, {"offer", 1}, {"channel", 0}, {"partner", 0}, {"licenses", 1},
                                   {"term", 1}, {"billing", 1}, {"start", 1}, {"autorenew", 0}, {"state", 0},
                                   CLI_KEYS_END};
    model_sub_spec sp;
    memset(&sp, 0, sizeof sp);
    sp.partner = MODEL_NONE;
    sp.autorenew = 1;
    sp.state = MODEL_STATE_ACTIVE;
    int64_t lic;
    int ch = 0, bill, st = 0;
    uint32_t idx;
    const cli_ynode *v;
    if (cli_check_keys(L, n, keys, "a subscription") || declare_sub(L, cli_ymap_get(n, "id"), tenant, &idx) ||
        cli_read_ref(L, cli_ymap_get(n, "offer"), &L->offers, "offer", &sp.offer))
        return -1;
    if ((v = cli_ymap_get(n, "channel")) && cli_read_word(L, v, "channel", cli_channel_words, &ch))
        return -1;
    sp.channel = (model_channel)ch;
    v = cli_ymap_get(n, "partner");
    if (sp.channel == MODEL_CHANNEL_CSP && !v)
        return CLI_FAIL_AT(L, n, "a csp subscription needs 'partner'");
    if (v && sp.channel != MODEL_CHANNEL_CSP)
        return CLI_FAIL_AT(L, v, "only csp subscriptions have a partner (this one is %s)", cli_channel_words[ch]);
    if (v && cli_read_ref(L, v, &L->partners, "partner", &sp.partner))
        return -1;
    if (cli_read_int(L, cli_ymap_get(n, "licenses"), "licenses", 1, CLI_MAX_LICENSES, &lic) ||
        cli_read_term(L, cli_ymap_get(n, "term"), "term", &sp.term_months) ||
        cli_read_word(L, cli_ymap_get(n, "billing"), "billing", cli_billing_words, &bill) ||
        cli_read_instant(L, cli_ymap_get(n, "start"), "start", &sp.start))
        return -1;
    sp.licenses = (int32_t)lic;
    sp.billing = (model_billing)bill;
    if ((v = cli_ymap_get(n, "autorenew")) && cli_read_bool(L, v, "autorenew", &sp.autorenew))
        return -1;
    if ((v = cli_ymap_get(n, "state")) && cli_read_word(L, v, "state", cli_start_state_words, &st))
        return -1;
    sp.state = cli_start_state_values[st];
    if (sp.start > L->s->start)
        return CLI_FAIL_AT(L, cli_ymap_get(n, "start"), "start is after the scenario start: buy it with a purchase event");
    if ((sp.billing == MODEL_BILLING_ANNUAL && sp.term_months < 12) ||
        (sp.billing == MODEL_BILLING_TRIENNIAL && sp.term_months != 36))
        return CLI_FAIL_AT(L, cli_ymap_get(n, "billing"),
                       "%s billing is not offered for a %s term (SUB-1: annual needs P1Y or P3Y, triennial P3Y)",
                       cli_billing_words[bill], sp.term_months == 1 ? "P1M" : sp.term_months == 12 ? "P1Y" : "P3Y");
    if (model_init_subscription(L->w, idx, &sp))
        return CLI_FAIL_AT(L, cli_ymap_get(n, "start"),
                       "this term ended before the scenario start and does not renew: give the current term's start");
    return check_start_limit(L, n, tenant);
}

static int load_agreement(cli_loader *L, const cli_ynode *n, uint32_t tenant)
{
    static const cli_keyspec keys[] = {{"id", 1}, {"end", 1}, {"extended_term", 0}, {"public_sector", 0},
                                   {"subscriptions", 0}, CLI_KEYS_END};
    static const cli_keyspec skeys[] = {{"id", 1}, {"offer", 1}, {"licenses", 1}, CLI_KEYS_END};
    const char *id;
    sim_time end;
    int ext = 0, pub = 0;
    const cli_ynode *v;
    if (cli_check_keys(L, n, keys, "an agreement") || cli_read_id(L, cli_ymap_get(n, "id"), "agreement id", &id) ||
        cli_read_last_day(L, cli_ymap_get(n, "end"), "end", &end))
        return -1;
    if ((v = cli_ymap_get(n, "extended_term")) && cli_read_bool(L, v, "extended_term", &ext))
        return -1;
    if ((v = cli_ymap_get(n, "public_sector")) && cli_read_bool(L, v, "public_sector", &pub))
        return -1;
    if (end + SIM_DAY <= L->s->start)
        return CLI_FAIL_AT(L, cli_ymap_get(n, "end"), "the agreement ended before the scenario start");
    uint32_t ag = model_add_agreement(L->w, id, tenant, end, ext, pub);
    if (ag == MODEL_NONE || cli_define_id(L, &L->agreements, cli_ymap_get(n, "id"), id, ag, "agreement"))
        return ag == MODEL_NONE ? CLI_FAIL_AT(L, n, "out of memory") : -1;
    if (!(v = cli_ymap_get(n, "subscriptions")))
        return 0;
    if (cli_read_list(L, v, "subscriptions"))
        return -1;
    for (size_t i = 0; i < v->n; i++) {
        const cli_ynode *s = v->items[i];
        uint32_t idx, offer;
        int64_t lic;
        if (cli_check_keys(L, s, skeys, "an EA subscription") || declare_sub(L, cli_ymap_get(s, "id"), tenant, &idx) ||
            cli_read_ref(L, cli_ymap_get(s, "offer"), &L->offers, "offer", &offer) ||
            cli_read_int(L, cli_ymap_get(s, "licenses"), "licenses", 1, CLI_MAX_LICENSES, &lic))
            return -1;
        if (model_init_ea_subscription(L->w, idx, ag, offer, (int32_t)lic))
            return CLI_FAIL_AT(L, s, "out of memory");
        if (check_start_limit(L, s, tenant))
            return -1;
    }
    return 0;
}

static int load_tenants(cli_loader *L, const cli_ynode *list)
{
    static const cli_keyspec keys[] = {{"id", 1}, {"region", 1}, {"relationships", 0}, {"subscriptions", 0},
                                   {"agreements", 0}, CLI_KEYS_END};
    if (cli_read_list(L, list, "tenants"))
        return -1;
    if (list->n > CLI_MAX_TENANTS)
        return CLI_FAIL_AT(L, list, "more than %d tenants (limit)", CLI_MAX_TENANTS);
    for (size_t i = 0; i < list->n; i++) {
        const cli_ynode *t = list->items[i], *v;
        const char *id, *region;
        if (cli_check_keys(L, t, keys, "a tenant") || cli_read_id(L, cli_ymap_get(t, "id"), "tenant id", &id) ||
            cli_read_id(L, cli_ymap_get(t, "region"), "region", &region))
            return -1;
        uint32_t ti = model_add_tenant(L->w, id, region);
        if (ti == MODEL_NONE)
            return CLI_FAIL_AT(L, t, "out of memory");
        if (cli_define_id(L, &L->tenants, cli_ymap_get(t, "id"), id, ti, "tenant"))
            return -1;
        if ((v = cli_ymap_get(t, "relationships"))) {
            if (cli_read_list(L, v, "relationships"))
                return -1;
            for (size_t j = 0; j < v->n; j++) {
                uint32_t p;
                if (cli_read_ref(L, v->items[j], &L->partners, "partner", &p))
                    return -1;
                for (size_t k = 0; k < j; k++)
                    if (strcmp(v->items[k]->text, v->items[j]->text) == 0)
                        return CLI_FAIL_AT(L, v->items[j], "partner '%s' is listed twice", v->items[j]->text);
                const char *pr = model_partner_region(L->w, p);
                if (strcmp(pr, region) != 0)
                    return CLI_FAIL_AT(L, v->items[j], "partner '%s' is in region %s, tenant '%s' in %s (REL-2)",
                                   v->items[j]->text, pr, id, region);
                if (model_add_relationship(L->w, ti, p))
                    return CLI_FAIL_AT(L, v->items[j], "out of memory");
            }
        }
        if ((v = cli_ymap_get(t, "subscriptions"))) {
            if (cli_read_list(L, v, "subscriptions"))
                return -1;
            for (size_t j = 0; j < v->n; j++)
                if (load_tenant_sub(L, v->items[j], ti))
                    return -1;
        }
        if ((v = cli_ymap_get(t, "agreements"))) {
            if (cli_read_list(L, v, "agreements"))
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
    F_TRIAL, F_VALUE, F_TARGET, F_ALIGN, F_AGREEMENT, F_END, F_FROM, F_TO_PARTNER, F_SUBS, F_NEW_ID, F_TRANSFER,
    F_RESELLER, F_PARAMETER, F_PARAM_VALUE
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
                            {"align_end_with", 0, F_ALIGN}, {"reseller", 0, F_RESELLER}},
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
                                    {"align_end_with", 0, F_ALIGN}, {"reseller", 0, F_RESELLER}},
    [MODEL_ACT_CANCEL_EA_CLAIM] = {{"partner", 1, F_PARTNER}, {"subscription", 1, F_SUB}},
    [MODEL_ACT_RENEW_EA_AGREEMENT] = {{"agreement", 1, F_AGREEMENT}, {"end", 1, F_END}},
    [MODEL_ACT_REQUEST_TRANSFER] = {{"from", 1, F_FROM}, {"to", 1, F_TO_PARTNER}, {"tenant", 1, F_TENANT},
                                    {"subscriptions", 1, F_SUBS}, {"id", 1, F_NEW_ID}, {"reseller", 0, F_RESELLER}},
    [MODEL_ACT_ACCEPT_TRANSFER] = {{"transfer", 1, F_TRANSFER}, {"subscriptions", 0, F_SUBS}},
    [MODEL_ACT_REJECT_TRANSFER] = {{"transfer", 1, F_TRANSFER}},
    /* a policy change: `parameter` before `value`, which is read as that parameter's type */
    [MODEL_ACT_SET_RULE] = {{"parameter", 1, F_PARAMETER}, {"value", 1, F_PARAM_VALUE}},
};

const char *cli_action_key(int kind, int i, int *required)
{
    if (kind < 0 || kind >= MODEL_ACT_COUNT || i < 0 || i >= AKEYS_MAX || !action_keys[kind][i].key)
        return NULL;
    *required = action_keys[kind][i].required;
    return action_keys[kind][i].key;
}

static int event_keys(cli_loader *L, const cli_ynode *e, int kind)
{
    cli_keyspec keys[AKEYS_MAX + 3];
    size_t n = 0;
    keys[n++] = (cli_keyspec){"at", 1};
    keys[n++] = (cli_keyspec){"action", 1};
    for (int i = 0; i < AKEYS_MAX && action_keys[kind][i].key; i++)
        keys[n++] = (cli_keyspec){action_keys[kind][i].key, action_keys[kind][i].required};
    keys[n] = (cli_keyspec)CLI_KEYS_END;
    char what[64];
    const char *name = model_action_name(kind);
    snprintf(what, sizeof what, "%s %s event", strchr("aeiou", name[0]) ? "an" : "a", name);
    return cli_check_keys(L, e, keys, what);
}

static int event_action(cli_loader *L, const cli_ynode *e, int *kind)
{
    if (e->kind != CLI_Y_MAP)
        return CLI_FAIL_AT(L, e, "an event must be a mapping, not a %s", cli_ykind_name(e));
    const cli_ynode *a = cli_ymap_get(e, "action");
    if (!a)
        return CLI_FAIL_AT(L, e, "an event is missing the required key 'action'");
    if (cli_read_scalar(L, a, "action"))
        return -1;
    *kind = model_action_find(a->text);
    if (*kind < 0)
    {
        char names[400] = "";
        size_t len = 0;
        for (int j = 0; j < MODEL_ACT_COUNT; j++)
            len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", j ? ", " : "", model_action_name(j));
        return CLI_FAIL_AT(L, a, "unknown action '%s' (actions: %s)", a->text, names);
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

/* Stamps subscription idx with gen, growing the stamp array (zeroed) as needed; returns its
 * previous stamp, or -1 when memory ran out. */
static int64_t stamp_sub(cli_loader *L, uint32_t idx, uint32_t gen)
{
    if (idx >= L->cap_mark) {
        size_t cap = L->cap_mark ? L->cap_mark : 1024;
        while (cap <= idx)
            cap *= 2;
        uint32_t *m = realloc(L->sub_mark, cap * sizeof *m);
        if (!m)
            return -1;
        memset(m + L->cap_mark, 0, (cap - L->cap_mark) * sizeof *m);
        L->sub_mark = m;
        L->cap_mark = cap;
    }
    uint32_t old = L->sub_mark[idx];
    L->sub_mark[idx] = gen;
    return old;
}

/* A list of subscription ids: a transfer's, or the subset an accept_transfer takes. Linear:
 * each list gets a fresh stamp (and an accept's transfer list one of its own before it), so
 * a repeat is a subscription already holding this list's stamp and a stranger to the
 * transfer one not holding the transfer's; the pairwise scans this replaces took 32 s for
 * 40,000 subscriptions. The first offending item in list order is reported, as before. */
static int read_sub_list(cli_loader *L, const cli_ynode *v, int kind, model_action *a)
{
    if (cli_read_list(L, v, "subscriptions"))
        return -1;
    if (v->n == 0)
        return CLI_FAIL_AT(L, v, "subscriptions must name at least one subscription");
    uint32_t *subs = cli_arena_alloc(L->a, v->n * sizeof *subs);
    if (!subs)
        return CLI_FAIL_AT(L, v, "out of memory");
    uint32_t in_xfer = 0;
    if (kind == MODEL_ACT_ACCEPT_TRANSFER) { /* a subset of the transfer's own list */
        const struct cli_xfer_list *x = &L->xfers[a->transfer];
        in_xfer = ++L->mark_gen;
        for (size_t k = 0; k < x->n; k++)
            if (stamp_sub(L, x->subs[k], in_xfer) < 0)
                return CLI_FAIL_AT(L, v, "out of memory");
    }
    uint32_t mine = ++L->mark_gen;
    for (size_t i = 0; i < v->n; i++) {
        if (cli_read_ref(L, v->items[i], &L->subs, "subscription", &subs[i]))
            return -1;
        int64_t old = stamp_sub(L, subs[i], mine);
        if (old < 0)
            return CLI_FAIL_AT(L, v, "out of memory");
        if (old == mine)
            return CLI_FAIL_AT(L, v->items[i], "subscription '%s' is listed twice", v->items[i]->text);
        if (kind == MODEL_ACT_ACCEPT_TRANSFER && old != in_xfer)
            return CLI_FAIL_AT(L, v->items[i], "subscription '%s' is not part of this transfer", v->items[i]->text);
    }
    a->subs = subs;
    a->nsubs = v->n;
    return 0;
}

/* `id`: a claim's or partial upgrade's new subscription, or a transfer's own id; all were
 * declared by the first pass, which skipped the invalid ones this explains. */
static int read_new_id(cli_loader *L, const cli_ynode *v, int kind, model_action *a)
{
    const char *idtext;
    if (kind == MODEL_ACT_REQUEST_TRANSFER) {
        if (cli_read_id(L, v, "transfer id", &idtext))
            return -1;
        const cli_identry *d = cli_idmap_get(&L->transfers, idtext);
        if (d && d->where != v)
            return CLI_FAIL_AT(L, v, "duplicate transfer id '%s' (first defined at line %d)", idtext, d->where->line);
        if (!d) { /* the first pass could not name the subscriptions at the target */
            for (size_t i = 0; i < a->nsubs; i++) {
                char buf[2 * CLI_MAX_ID + 2];
                const char *sid = model_subscription_id(L->w, a->subs[i]);
                if (transfer_sub_id(buf, sizeof buf, idtext, sid))
                    return CLI_FAIL_AT(L, v, "transfer id '%s' makes the target's subscription id '%s.%s' longer than %d "
                                         "characters: use a shorter transfer id", idtext, idtext, sid, CLI_MAX_ID);
                const cli_identry *old = cli_idmap_get(&L->subs, buf);
                if (old)
                    return CLI_FAIL_AT(L, v, "transfer id '%s' names subscription '%s' at the target, already defined at "
                                         "line %d", idtext, buf, old->where->line);
            }
            return CLI_FAIL_AT(L, v, "out of memory");
        }
        a->transfer = d->value;
        return 0;
    }
    if (cli_read_id(L, v, "subscription id", &idtext))
        return -1;
    const cli_identry *d = cli_idmap_get(&L->subs, idtext);
    if (!d)
        return CLI_FAIL_AT(L, v, "out of memory"); /* the first pass declares every valid one */
    if (d->where != v) {
        /* a claim may repeat its id: the same partner editing its claim on one EA subscription */
        const cli_identry *c = cli_idmap_get(&L->claim_ids, idtext);
        if (kind != MODEL_ACT_CLAIM_EA_RENEWAL || !c || c->value != a->subscription)
            return CLI_FAIL_AT(L, v, "duplicate subscription id '%s' (first defined at line %d)", idtext, d->where->line);
    }
    a->new_subscription = d->value;
    return 0;
}

/* REL-6: `reseller` names an indirect-reseller partner, and only an indirect provider acts
 * for one (a direct partner bills its customers itself; a reseller cannot name another).
 * Both are facts of the file, so both are load errors, not refusals. */
static int check_reseller(cli_loader *L, const cli_ynode *e, int kind, const model_action *a)
{
    static const char *const type_words[] = {"a direct", "an indirect-provider", "an indirect-reseller"};
    const cli_ynode *r = cli_ymap_get(e, "reseller");
    model_partner_type rt = model_partner_type_get(L->w, a->reseller);
    if (rt != MODEL_PARTNER_INDIRECT_RESELLER)
        return CLI_FAIL_AT(L, r, "reseller '%s' is %s partner: reseller must name an indirect-reseller partner", r->text,
                           type_words[rt]);
    uint32_t actor = kind == MODEL_ACT_REQUEST_TRANSFER ? a->to_partner : a->partner;
    model_partner_type at = model_partner_type_get(L->w, actor);
    if (at != MODEL_PARTNER_INDIRECT_PROVIDER)
        return CLI_FAIL_AT(L, r, "only an indirect-provider partner acts for a reseller; '%s' is %s partner",
                           model_partner_id(L->w, actor), type_words[at]);
    return 0;
}

static int load_event(cli_loader *L, const cli_ynode *e, size_t i)
{
    cli_scenario *s = L->s;
    int kind;
    if (event_action(L, e, &kind) || event_keys(L, e, kind))
        return -1;
    const cli_ynode *atn = cli_ymap_get(e, "at");
    if (cli_read_when(L, atn, "at", &s->at[i]))
        return -1;
    if (s->at[i] < s->start)
        return CLI_FAIL_AT(L, atn, "at is before the scenario start");
    if (s->at[i] > s->end)
        return CLI_FAIL_AT(L, atn, "at is after the scenario end: nothing after the end runs");
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
        const char *idtext_align;
        switch (ak->f) {
        case F_PARTNER:
            if (cli_read_ref(L, v, &L->partners, "partner", &a->partner))
                return -1;
            break;
        case F_TENANT:
            if (cli_read_ref(L, v, &L->tenants, "tenant", &a->tenant))
                return -1;
            break;
        case F_SUB:
            if (cli_read_ref(L, v, &L->subs, "subscription", &a->subscription))
                return -1;
            break;
        case F_NEW_SUB: {
            /* declared in the first pass over the events; here only its owner is checked */
            const char *idtext;
            if (cli_read_id(L, v, "subscription id", &idtext))
                return -1;
            const cli_identry *d = cli_idmap_get(&L->subs, idtext);
            if (d && d->where != v)
                return CLI_FAIL_AT(L, v, "duplicate subscription id '%s' (first defined at line %d)", v->text,
                               d->where->line);
            if (!d)
                return CLI_FAIL_AT(L, v, "out of memory"); /* the first pass declares every valid one */
            a->new_subscription = d->value;
            break;
        }
        case F_OFFER:
            if (cli_read_ref(L, v, &L->offers, "offer", &a->offer))
                return -1;
            break;
        case F_LICENSES:
            if (cli_read_int(L, v, "licenses", 1, CLI_MAX_LICENSES, &num))
                return -1;
            a->licenses = (int32_t)num;
            a->has_licenses = 1;
            break;
        case F_DELTA:
            if (cli_read_int(L, v, "delta", -CLI_MAX_LICENSES, CLI_MAX_LICENSES, &num))
                return -1;
            a->delta = (int32_t)num;
            a->has_delta = 1;
            break;
        case F_TERM:
            if (cli_read_term(L, v, "term", &a->term_months))
                return -1;
            a->has_term = 1;
            break;
        case F_BILLING:
            if (cli_read_word(L, v, "billing", cli_billing_words, &word))
                return -1;
            a->billing = (model_billing)word;
            a->has_billing = 1;
            break;
        case F_AUTORENEW:
            if (cli_read_bool(L, v, "autorenew", &a->autorenew))
                return -1;
            break;
        case F_TRIAL:
            if (cli_read_bool(L, v, "trial", &a->trial))
                return -1;
            break;
        case F_VALUE:
            if (cli_read_bool(L, v, "value", &a->value))
                return -1;
            break;
        case F_TARGET:
            if (cli_read_ref(L, v, &L->subs, "subscription", &a->target))
                return -1;
            break;
        case F_ALIGN: /* SUB-11: a subscription id, or the word calendar_month (the word wins) */
            if (v->kind == CLI_Y_SCALAR && strcmp(v->text, "calendar_month") == 0) {
                a->align = MODEL_ALIGN_CALENDAR_MONTH;
                break;
            }
            if (cli_read_id(L, v, "align_end_with", &idtext_align))
                return -1;
            if (!cli_idmap_get(&L->subs, idtext_align))
                return CLI_FAIL_AT(L, v, "unknown subscription '%s' (align_end_with takes a subscription id or "
                                         "calendar_month)", idtext_align);
            cli_read_ref(L, v, &L->subs, "subscription", &a->align);
            break;
        case F_AGREEMENT:
            if (cli_read_ref(L, v, &L->agreements, "agreement", &a->agreement))
                return -1;
            break;
        case F_END:
            if (cli_read_last_day(L, v, "end", &a->end))
                return -1;
            break;
        case F_FROM:
            if (cli_read_ref(L, v, &L->partners, "partner", &a->from_partner))
                return -1;
            break;
        case F_TO_PARTNER:
            if (cli_read_ref(L, v, &L->partners, "partner", &a->to_partner))
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
            if (cli_read_ref(L, v, &L->transfers, "transfer", &a->transfer))
                return -1;
            break;
        case F_RESELLER:
            if (cli_read_ref(L, v, &L->partners, "partner", &a->reseller))
                return -1;
            break;
        case F_PARAMETER: {
            const model_param_info *pi;
            size_t np;
            if (cli_read_scalar(L, v, "parameter") || find_param(L, v, &pi))
                return -1;
            a->param = (size_t)(pi - model_param_table(&np));
            break;
        }
        case F_PARAM_VALUE: {
            size_t np;
            if (read_param(L, v, &model_param_table(&np)[a->param], &a->param_value))
                return -1;
            break;
        }
        }
    }
    /* detail: every key but the ones with their own trace column, in file order (set_rule's
     * is the model's: parameter, old and new value) */
    detail[0] = '\0';
    for (size_t k = 0; kind != MODEL_ACT_SET_RULE && k < e->n; k++) {
        const char *key = e->items[2 * k]->text;
        if (strcmp(key, "at") && strcmp(key, "action") && strcmp(key, "tenant") && strcmp(key, "partner") &&
            strcmp(key, "subscription") && !(kind == MODEL_ACT_PURCHASE && strcmp(key, "id") == 0))
            detail_add(detail, sizeof detail, e->items[2 * k], e->items[2 * k + 1]);
    }
    if (detail[0] && !(a->detail = cli_arena_strndup(L->a, detail, strlen(detail))))
        return CLI_FAIL_AT(L, e, "out of memory");
    if (kind == MODEL_ACT_CHANGE_LICENSES && a->has_licenses == a->has_delta)
        return CLI_FAIL_AT(L, e, "change_licenses takes one of 'licenses' (new total) or 'delta'");
    if (kind == MODEL_ACT_CHANGE_LICENSES && a->has_delta && a->delta == 0)
        return CLI_FAIL_AT(L, cli_ymap_get(e, "delta"), "delta must not be 0");
    if (kind == MODEL_ACT_SCHEDULE_CHANGE && a->offer == MODEL_NONE && !a->has_licenses && !a->has_term &&
        !a->has_billing && a->align == MODEL_NONE)
        return CLI_FAIL_AT(L, e, "schedule_change needs at least one of offer, licenses, term, billing, align_end_with");
    if (kind == MODEL_ACT_REQUEST_TRANSFER && a->from_partner == a->to_partner)
        return CLI_FAIL_AT(L, cli_ymap_get(e, "to"), "a transfer goes from one partner to another, not to '%s' itself",
                       cli_ymap_get(e, "to")->text);
    if (a->reseller != MODEL_NONE && check_reseller(L, e, kind, a))
        return -1;
    if (kind == MODEL_ACT_UPGRADE && a->target != MODEL_NONE && cli_ymap_get(e, "id"))
        return CLI_FAIL_AT(L, cli_ymap_get(e, "id"), "an upgrade into an existing target takes no new 'id'");
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
static int declare_transfer(cli_loader *L, const cli_ynode *e)
{
    const cli_ynode *idn = cli_ymap_get(e, "id"), *list = cli_ymap_get(e, "subscriptions");
    const cli_identry *te = text_of(e, "tenant") ? cli_idmap_get(&L->tenants, text_of(e, "tenant")) : NULL;
    const cli_identry *fe = text_of(e, "from") ? cli_idmap_get(&L->partners, text_of(e, "from")) : NULL;
    const cli_identry *pe = text_of(e, "to") ? cli_idmap_get(&L->partners, text_of(e, "to")) : NULL;
    const char *idtext;
    if (!te || !fe || !pe || !idn || !list || list->kind != CLI_Y_SEQ || list->n == 0 ||
        cli_read_id(L, idn, "transfer id", &idtext) || cli_idmap_get(&L->transfers, idtext))
        return 0;
    uint32_t *subs = cli_arena_alloc(L->a, list->n * sizeof *subs), *news = cli_arena_alloc(L->a, list->n * sizeof *news);
    if (!subs || !news)
        return CLI_FAIL_AT(L, list, "out of memory");
    uint32_t mine = ++L->mark_gen; /* repeats by stamp, as in read_sub_list */
    for (size_t i = 0; i < list->n; i++) {
        const cli_ynode *it = list->items[i];
        const cli_identry *se = it->kind == CLI_Y_SCALAR ? cli_idmap_get(&L->subs, it->text) : NULL;
        char buf[2 * CLI_MAX_ID + 2];
        if (!se || transfer_sub_id(buf, sizeof buf, idtext, it->text) || cli_idmap_get(&L->subs, buf))
            return 0;
        int64_t old = stamp_sub(L, se->value, mine);
        if (old < 0)
            return CLI_FAIL_AT(L, list, "out of memory");
        if (old == mine)
            return 0;
        subs[i] = se->value;
    }
    for (size_t i = 0; i < list->n; i++) {
        char buf[2 * CLI_MAX_ID + 2];
        transfer_sub_id(buf, sizeof buf, idtext, list->items[i]->text);
        const char *name = cli_arena_strndup(L->a, buf, strlen(buf));
        if (!name)
            return CLI_FAIL_AT(L, list, "out of memory");
        if (L->nsubs >= CLI_MAX_SUBSCRIPTIONS)
            return CLI_FAIL_AT(L, list, "more than %d subscriptions (limit)", CLI_MAX_SUBSCRIPTIONS);
        news[i] = model_declare_subscription(L->w, name, te->value);
        if (news[i] == MODEL_NONE)
            return CLI_FAIL_AT(L, list, "out of memory");
        L->nsubs++;
        if (cli_define_id(L, &L->subs, idn, name, news[i], "subscription"))
            return -1;
    }
    uint32_t xi = model_add_transfer(L->w, idtext, te->value, fe->value, pe->value, subs, news, list->n);
    if (xi == MODEL_NONE || xi != L->nxfers)
        return CLI_FAIL_AT(L, idn, "out of memory");
    if (L->nxfers == L->cap_xfers) {
        size_t cap = L->cap_xfers ? 2 * L->cap_xfers : 8;
        struct cli_xfer_list *x = realloc(L->xfers, cap * sizeof *x);
        if (!x)
            return CLI_FAIL_AT(L, idn, "out of memory");
        L->xfers = x;
        L->cap_xfers = cap;
    }
    L->xfers[L->nxfers++] = (struct cli_xfer_list){subs, list->n};
    return cli_define_id(L, &L->transfers, idn, idtext, xi, "transfer");
}

/* First pass: declare what events create, so that any event may name it: subscriptions
 * bought (purchase), claimed (claim_ea_renewal), split off (a partial upgrade's id) or
 * moved (a transfer's, named TRANSFER.SUBSCRIPTION), and transfer ids. Purchases go first,
 * as the others may name purchased subscriptions. Problems are left for the second pass,
 * which reports them in file order. */
static int declare_event_ids(cli_loader *L, const cli_ynode *list)
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
            if (!owner || cli_read_id(L, id, "subscription id", &idtext) || cli_idmap_get(&L->subs, idtext))
                continue;
            uint32_t tenant = kind == MODEL_ACT_PURCHASE ? owner->value : model_subscription_tenant(L->w, owner->value);
            uint32_t idx;
            if (declare_sub(L, id, tenant, &idx))
                return -1; /* the limit or memory */
            if (kind == MODEL_ACT_CLAIM_EA_RENEWAL &&
                cli_idmap_put(&L->claim_ids, idtext, owner->value, id, NULL) < 0)
                return CLI_FAIL_AT(L, id, "out of memory");
        }
    }
    return 0;
}

static int load_events(cli_loader *L, const cli_ynode *list)
{
    cli_scenario *s = L->s;
    if (cli_read_list(L, list, "events"))
        return -1;
    if (list->n > CLI_MAX_EVENTS)
        return CLI_FAIL_AT(L, list, "more than %d events (limit)", CLI_MAX_EVENTS);
    size_t n = list->n ? list->n : 1;
    s->actions = calloc(n, sizeof *s->actions);
    s->at = calloc(n, sizeof *s->at);
    s->action_line = calloc(n, sizeof *s->action_line);
    if (!s->actions || !s->at || !s->action_line)
        return CLI_FAIL_AT(L, list, "out of memory");
    if (declare_event_ids(L, list))
        return -1;
    for (size_t i = 0; i < list->n; i++)
        if (load_event(L, list->items[i], i))
            return -1;
    s->nactions = list->n;
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
    if (!buf)
        cli_diag_set(d, 0, 0, "out of memory");
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

/* ---- a shard of a run split by tenant (cli_load_opts, cli/override.h) ------------------ */

/* What the hand-written ids resolve to in a shard j > 0: no index of its tables (those
 * entities are in shard 0), and not MODEL_NONE ("any"), so a behaviour's `where: {tenant:
 * X}` matches no record here. */
#define SHARD_ELSEWHERE (MODEL_NONE - 1u)

/* Shard j > 0: reads the hand-written tenants (with their subscriptions and agreements) as
 * the whole load does, into the scratch world *scratch (the caller frees it) with the
 * catalog read again there under throwaway id maps (the same indices), so that every check
 * runs and the id maps know every hand-written id. L->w is the shard's world again after. */
static int load_tenants_elsewhere(cli_loader *L, const cli_ynode *root, model_world **scratch)
{
    cli_scenario *s = L->s;
    model_world *w = L->w;
    const cli_ynode *v;
    if (!(*scratch = model_world_new(s->start, s->end, s->seed, 0)))
        return CLI_FAIL_AT(L, root, "out of memory");
    cli_idmap offers = L->offers, partners = L->partners;
    memset(&L->offers, 0, sizeof L->offers);
    memset(&L->partners, 0, sizeof L->partners);
    L->w = *scratch;
    int rc = ((v = cli_ymap_get(root, "rules")) && load_rules(L, v)) ||
             ((v = cli_ymap_get(root, "offers")) && load_offers(L, v)) ||
             ((v = cli_ymap_get(root, "partners")) && load_partners(L, v));
    cli_idmap_free(&L->offers);
    cli_idmap_free(&L->partners);
    L->offers = offers;
    L->partners = partners;
    if (!rc && (v = cli_ymap_get(root, "tenants")))
        rc = load_tenants(L, v);
    s->hand_tenants = model_count_tenants(L->w);
    L->w = w;
    return rc ? -1 : 0;
}

/* Shard j > 0: reads every event as the whole load does (into the scratch world, where the
 * hand-written tenants are), then keeps only the tenant-less ones (set_rule), in file order. */
static int load_events_elsewhere(cli_loader *L, const cli_ynode *list, model_world *scratch)
{
    cli_scenario *s = L->s;
    model_world *w = L->w;
    L->w = scratch;
    int rc = load_events(L, list);
    L->w = w;
    if (rc)
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < s->nactions; i++)
        if (s->actions[i].kind == MODEL_ACT_SET_RULE) {
            s->actions[k] = s->actions[i];
            s->at[k] = s->at[i];
            s->action_line[k] = s->action_line[i];
            k++;
        }
    s->nactions = k;
    return 0;
}

static void idmap_elsewhere(cli_idmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key)
            m->slots[i].value = SHARD_ELSEWHERE;
}

/* A run split by tenant: a behaviour that can fire on any tenant's record (no `where:
 * {tenant: ...}`) and whose `do` names a tenant or subscription acts across tenants, which
 * shards cannot do. Called after the behaviours loaded (the list is well formed). */
static int check_split_behaviours(cli_loader *L, const cli_ynode *list)
{
    static const char *const named[] = {"tenant", "subscription", "target", "align_end_with"};
    for (size_t i = 0; i < list->n; i++) {
        const cli_ynode *b = list->items[i], *where = cli_ymap_get(b, "where"), *d = cli_ymap_get(b, "do");
        if (where && cli_ymap_get(where, "tenant"))
            continue;
        for (size_t k = 0; k < sizeof named / sizeof named[0]; k++) {
            const cli_ynode *v = cli_ymap_get(d, named[k]);
            if (v && v->kind == CLI_Y_SCALAR && strcmp(v->text, "same") != 0 &&
                !(k == 3 && strcmp(v->text, "calendar_month") == 0))
                return CLI_FAIL_AT(L, v,
                                   "behaviour '%s' acts on %s '%s' whatever tenant's record triggers it: a run "
                                   "split by tenant cannot do that (give where: {tenant: ...}, or run it unsplit)",
                                   cli_ymap_get(b, "name")->text, named[k] == named[0] ? "tenant" : "subscription",
                                   v->text);
        }
    }
    return 0;
}

static int load_root(cli_loader *L, const cli_ynode *root, int has_seed, uint64_t seed_override)
{
    static const cli_keyspec keys[] = {{"version", 0}, {"name", 1}, {"description", 0}, {"start", 1}, {"end", 1},
                                   {"seed", 0}, {"rules", 0}, {"offers", 0}, {"partners", 0}, {"tenants", 0},
                                   {"population", 0}, {"events", 0}, {"behaviours", 0}, {"expect", 0}, {"experiment", 0}, CLI_KEYS_END};
    cli_scenario *s = L->s;
    const cli_ynode *v;
    if (!root)
    {
        cli_diag_set(L->d, 1, 1, "the file is empty: a scenario needs name, start and end");
        return -1;
    }
    if (cli_check_keys(L, root, keys, "a scenario"))
        return -1;
    int64_t version = 1, seed = 1;
    if ((v = cli_ymap_get(root, "version")) && cli_read_int(L, v, "version", 1, 1, &version))
        return -1;
    if (cli_read_text(L, cli_ymap_get(root, "name"), "name", &s->name))
        return -1;
    if (!s->name[0])
        return CLI_FAIL_AT(L, cli_ymap_get(root, "name"), "name is empty: give the scenario a name");
    if ((v = cli_ymap_get(root, "description")) && cli_read_text(L, v, "description", &s->description))
        return -1;
    if (cli_read_instant(L, cli_ymap_get(root, "start"), "start", &s->start) ||
        cli_read_instant(L, cli_ymap_get(root, "end"), "end", &s->end))
        return -1;
    if (s->end <= s->start)
        return CLI_FAIL_AT(L, cli_ymap_get(root, "end"), "end must be after start");
    if (s->end > sim_add_months(s->start, 12 * CLI_MAX_HORIZON_YEARS))
        return CLI_FAIL_AT(L, cli_ymap_get(root, "end"), "the horizon is longer than %d years (limit)", CLI_MAX_HORIZON_YEARS);
    if ((v = cli_ymap_get(root, "seed")) && cli_read_int(L, v, "seed", 0, INT64_MAX, &seed))
        return -1;
    s->seed = has_seed ? seed_override : (uint64_t)seed;
    L->w = s->world = model_world_new(s->start, s->end, s->seed, 0);
    if (!L->w)
        return CLI_FAIL_AT(L, root, "out of memory");
    if ((v = cli_ymap_get(root, "rules")) && load_rules(L, v))
        return -1;
    if ((v = cli_ymap_get(root, "offers")) && load_offers(L, v))
        return -1;
    if ((v = cli_ymap_get(root, "partners")) && load_partners(L, v))
        return -1;
    /* a shard j > 0 of a split run reads the hand-written sections into a scratch world */
    int elsewhere = s->nshards > 1 && s->shard > 0;
    model_world *scratch = NULL;
    int rc = -1;
    if (elsewhere ? load_tenants_elsewhere(L, root, &scratch)
                  : (v = cli_ymap_get(root, "tenants")) && load_tenants(L, v))
        goto done;
    if (!elsewhere)
        s->hand_tenants = model_count_tenants(L->w);
    if ((v = cli_ymap_get(root, "population")) && cli_load_population(L, v))
        goto done;
    if (elsewhere) /* its tenant 0 is the scenario's hand_tenants + pop_first: draw as that one */
        model_set_tenant_base(L->w, (uint32_t)(s->hand_tenants + s->pop_first));
    if ((v = cli_ymap_get(root, "events")) && (elsewhere ? load_events_elsewhere(L, v, scratch) : load_events(L, v)))
        goto done;
    if (elsewhere) {
        idmap_elsewhere(&L->tenants);
        idmap_elsewhere(&L->subs);
    }
    if ((v = cli_ymap_get(root, "behaviours")) &&
        (cli_load_behaviours(L, v) || (s->nshards > 1 && check_split_behaviours(L, v))))
        goto done;
    if (!elsewhere && (v = cli_ymap_get(root, "expect")) && cli_expect_load(L, v))
        goto done;
    if ((v = cli_ymap_get(root, "experiment")) && cli_experiment_load(L, v))
        goto done;
    rc = model_set_script(L->w, s->actions, s->at, s->nactions) || model_start(L->w)
             ? CLI_FAIL_AT(L, root, "out of memory") : 0;
done:
    model_world_free(scratch);
    return rc;
}

/* Loads text[0..len) (NUL-terminated, malloc'ed: the scenario takes it, also on failure). */
static cli_scenario *load_text(const char *path, char *text, size_t len, const cli_load_opts *o, cli_diag *d)
{
    cli_scenario *s = calloc(1, sizeof *s);
    if (!s) {
        free(text);
        cli_diag_set(d, 0, 0, "out of memory");
        return NULL;
    }
    s->path = path;
    s->text = text;
    s->len = len;
    s->arena = cli_arena_new();
    if (!s->arena) {
        cli_diag_set(d, 0, 0, "out of memory");
        cli_scenario_free(s);
        return NULL;
    }
    cli_loader L;
    memset(&L, 0, sizeof L);
    L.s = s;
    L.a = s->arena;
    L.d = d;
    s->shard = o->nshards > 1 ? o->shard : 0;
    s->nshards = o->nshards > 1 ? o->nshards : 1;
    if (o->nshards > 1 && o->shard >= o->nshards) {
        cli_diag_set(d, 0, 0, "shard %u of %u: a shard is numbered 0 to %u", (unsigned)o->shard,
                     (unsigned)o->nshards, (unsigned)o->nshards - 1);
        cli_scenario_free(s);
        return NULL;
    }
    cli_ynode *root;
    int rc = cli_ytree_parse(s->arena, s->text, s->len, &root, d);
    for (size_t i = 0; rc == 0 && i < o->noverrides; i++) /* --set: in order, a later one wins */
        rc = cli_override_apply(s->arena, root, &o->overrides[i], i, d);
    if (rc == 0)
        rc = load_root(&L, root, o->has_seed, o->seed);
    cli_idmap_free(&L.offers);
    cli_idmap_free(&L.partners);
    cli_idmap_free(&L.tenants);
    cli_idmap_free(&L.subs);
    cli_idmap_free(&L.agreements);
    cli_idmap_free(&L.transfers);
    cli_idmap_free(&L.claim_ids);
    free(L.xfers);
    free(L.sub_mark);
    if (rc) {
        cli_override_locate(d, o->overrides, o->noverrides); /* an override's value: its --set */
        cli_diag_capture(d, s->text);
        cli_scenario_free(s);
        return NULL;
    }
    return s;
}

static void diag_init(cli_diag *d, const char *path)
{
    d->file = path;
    d->line = d->col = 0;
    d->source[0] = '\0';
    snprintf(d->message, sizeof d->message, "invalid scenario");
}

cli_scenario *cli_scenario_load_mem(const char *name, const char *buf, size_t len, int has_seed_override,
                                    uint64_t seed_override, cli_diag *d)
{
    cli_load_opts o = {has_seed_override, seed_override, NULL, 0, 0, 0};
    return cli_scenario_load_mem_opts(name, buf, len, &o, d);
}

cli_scenario *cli_scenario_load_mem_opts(const char *name, const char *buf, size_t len, const cli_load_opts *o,
                                         cli_diag *d)
{
    static const cli_load_opts none = {0, 0, NULL, 0, 0, 0};
    diag_init(d, name);
    if (len > (size_t)CLI_MAX_FILE_BYTES) {
        cli_diag_set(d, 0, 0, "file is larger than %ld bytes (limit)", (long)CLI_MAX_FILE_BYTES);
        return NULL;
    }
    char *text = malloc(len + 1);
    if (!text) {
        cli_diag_set(d, 0, 0, "out of memory");
        return NULL;
    }
    if (len)
        memcpy(text, buf, len);
    text[len] = '\0';
    return load_text(name, text, len, o ? o : &none, d);
}

/* Reads the file, then loads its bytes as cli_scenario_load_mem does (without a copy). */
cli_scenario *cli_scenario_load_opts(const char *path, const cli_load_opts *o, cli_diag *d)
{
    static const cli_load_opts none = {0, 0, NULL, 0, 0, 0};
    diag_init(d, path);
    size_t len = 0;
    char *text = read_file(path, &len, d);
    if (!text)
        return NULL;
    return load_text(path, text, len, o ? o : &none, d);
}

cli_scenario *cli_scenario_load(const char *path, int has_seed_override, uint64_t seed_override, cli_diag *d)
{
    cli_load_opts o = {has_seed_override, seed_override, NULL, 0, 0, 0};
    return cli_scenario_load_opts(path, &o, d);
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
