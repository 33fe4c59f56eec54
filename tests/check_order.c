/* tests/check_order.c - the canonical order and the per-tenant streams (issue 12): the step
 * keys a sink sees never decrease in (time, group); a world holding one tenant writes, for
 * it, exactly the records the whole world writes (fields other than seq and indices); and
 * behaviour's reaction cap counts per tenant. Scenarios are loaded from memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/scenario.h"
#include "cli/simulate.h"
#include "model/behaviour.h"
#include "suites.h"

/* One record as a world-independent line: every field but seq, with ids for the indices. */
typedef struct {
    char **v;
    size_t n, cap;
    uint32_t only;       /* keep the records of this tenant id's index only; MODEL_NONE: all */
    const char *only_id; /* the tenant kept, by id (resolved on the first record) */
    const model_world *w;
    sim_time last_t;     /* step keys seen so far */
    uint32_t last_g;
    size_t keys, global; /* records seen; records of group 0 */
    uint32_t base;       /* the world's model_set_tenant_base */
} lines;

static void on_rec(void *ctx, const model_record *r)
{
    lines *c = ctx;
    sim_time t;
    uint32_t g;
    model_step_key(c->w, &t, &g);
    /* the keys never decrease, and a record about a tenant comes from that tenant's group */
    ck_assert_msg(t > c->last_t || (t == c->last_t && g >= c->last_g),
                  "step key (%lld, %u) after (%lld, %u) at record %llu", (long long)t, g, (long long)c->last_t,
                  c->last_g, (unsigned long long)r->seq);
    if (r->tenant != MODEL_NONE) /* groups number tenants in the whole scenario */
        ck_assert_uint_eq(g, c->base + r->tenant + 1);
    c->last_t = t;
    c->last_g = g;
    c->keys++;
    c->global += g == 0;
    const char *tenant = r->tenant == MODEL_NONE ? "-" : model_tenant_id(c->w, r->tenant);
    if (c->only_id && strcmp(tenant, c->only_id) != 0)
        return;
    const char *sub = r->subscription == MODEL_NONE ? "-" : model_subscription_id(c->w, r->subscription);
    char buf[512];
    snprintf(buf, sizeof buf, "%lld %s a%d o%d r%d u%d %s %s %s %d>%d l%d:%lld m%d:%lld %s", (long long)r->time,
             model_kind_name(r->kind), r->action, (int)r->outcome, (int)r->reason, (int)r->rule, tenant,
             r->partner == MODEL_NONE ? "-" : model_partner_id(c->w, r->partner), sub ? sub : "?", r->from_state,
             r->to_state, r->has_licenses, (long long)r->licenses, r->has_amount, (long long)r->amount, r->detail);
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 256;
        c->v = realloc(c->v, c->cap * sizeof *c->v);
        ck_assert_ptr_nonnull(c->v);
    }
    c->v[c->n] = strdup(buf);
    ck_assert_ptr_nonnull(c->v[c->n]);
    c->n++;
}

static void lines_free(lines *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->v[i]);
    free(c->v);
}

/* Loads text, runs it to its end into c (keeping only tenant `only`'s records when not NULL),
 * its tenants numbered from base in the whole scenario (model_set_tenant_base). */
static void run_text(const char *text, const char *only, uint32_t base, lines *c)
{
    memset(c, 0, sizeof *c);
    c->only_id = only;
    c->last_t = INT64_MIN;
    cli_diag d;
    memset(&d, 0, sizeof d);
    cli_scenario *s = cli_scenario_load_mem("order", text, strlen(text), 0, 0, &d);
    if (!s)
        fprintf(stderr, "load: %d:%d: %s\n", d.line, d.col, d.message);
    ck_assert_ptr_nonnull(s);
    c->w = s->world;
    model_set_tenant_base(s->world, base);
    c->base = base;
    model_sink sink = {on_rec, c};
    model_set_sink(s->world, sink);
    ck_assert_int_eq(cli_simulate(s, NULL, NULL, NULL), 0);
    cli_scenario_free(s);
}

static const char HEAD[] =
    "version: 1\nname: order\nstart: 2025-01-01\nend: 2025-08-01\nseed: 11\n"
    "rules:\n"
    "  renewal_processing: {dist: uniform, min: 0h, max: 48h}\n"
    "  ea_processing: {dist: uniform, min: 0h, max: 30h}\n"
    "  ea_visibility_delay: {dist: uniform, min: 1h, max: 20h}\n"
    "offers:\n"
    "  - {id: e3, price: 36.00, terms: [P1M, P1Y]}\n"
    "  - {id: bp, price: 22.00, terms: [P1M, P1Y]}\n"
    "  - {id: visio, price: 15.00, terms: [P1M, P1Y]}\n"
    "partners: [{id: contoso, region: europe}, {id: adatum, region: europe}]\n"
    "behaviours:\n"
    "  - {name: rebuy, on: expired, p: 0.6, after: {dist: uniform, min: 1d, max: 20d},\n"
    "     do: {action: purchase, id: auto, offer: same, licenses: same, term: same, billing: same, partner: same}}\n";

/* Three tenants: each with several subscriptions bought at the same instants as the others',
 * autorenew on (monthly renewals with drawn delays) and off (expiry, grace, data loss, a
 * drawn rebuy); fab also accepts a relationship (a drawn visibility delay), cont claims an EA
 * renewal (a drawn processing delay). */
static const char *const TENANTS[3] = {
    "  - {id: fab, region: europe, relationships: [contoso]}\n",
    "  - {id: north, region: europe, relationships: [contoso, adatum]}\n",
    "  - id: cont\n    region: europe\n    relationships: [adatum]\n"
    "    agreements:\n      - id: ea1\n        end: 2025-03-31\n"
    "        subscriptions: [{id: ea-e3, offer: e3, licenses: 50}]\n",
};

static const char *const EVENTS[3] = {
    "  - {at: 2025-01-02T09:00Z, action: purchase, partner: contoso, tenant: fab, id: f1, offer: e3, licenses: 10, term: P1M, billing: monthly}\n"
    "  - {at: 2025-01-02T09:00Z, action: purchase, partner: contoso, tenant: fab, id: f2, offer: bp, licenses: 4, term: P1M, billing: monthly, autorenew: false}\n"
    "  - {at: 2025-01-05, action: request_relationship, partner: adatum, tenant: fab}\n"
    "  - {at: 2025-01-06, action: accept_relationship, partner: adatum, tenant: fab}\n"
    "  - {at: 2025-02-10, action: purchase, partner: adatum, tenant: fab, id: f3, offer: visio, licenses: 3, term: P1M, billing: monthly}\n",
    "  - {at: 2025-01-02T09:00Z, action: purchase, partner: contoso, tenant: north, id: n1, offer: e3, licenses: 7, term: P1M, billing: monthly}\n"
    "  - {at: 2025-01-02T09:00Z, action: purchase, partner: adatum, tenant: north, id: n2, offer: visio, licenses: 2, term: P1M, billing: monthly, autorenew: false}\n"
    "  - {at: 2025-01-02T09:00Z, action: purchase, partner: adatum, tenant: north, id: n3, offer: bp, licenses: 9, term: P1M, billing: monthly, autorenew: false}\n"
    "  - {at: 2025-03-02T09:00Z, action: change_licenses, subscription: n1, delta: 3}\n",
    "  - {at: 2025-01-02T09:00Z, action: purchase, partner: adatum, tenant: cont, id: c1, offer: bp, licenses: 5, term: P1M, billing: monthly}\n"
    "  - {at: 2025-02-03, action: claim_ea_renewal, partner: adatum, subscription: ea-e3, id: c-e3, licenses: 50, term: P1M, billing: monthly}\n"
    "  - {at: 2025-03-02T09:00Z, action: set_autorenew, subscription: c1, value: false}\n",
};

/* A global step at an instant the tenants also use: it runs first in every world. */
static const char GLOBAL[] = "  - {at: 2025-03-02T09:00Z, action: set_rule, parameter: expired_grace, value: P20D}\n";

/* The scenario holding the tenants whose bit is set in mask. */
static char *scenario(unsigned mask)
{
    static char text[16384];
    size_t n = (size_t)snprintf(text, sizeof text, "%stenants:\n", HEAD);
    for (int k = 0; k < 3; k++)
        if (mask & (1u << k))
            n += (size_t)snprintf(text + n, sizeof text - n, "%s", TENANTS[k]);
    n += (size_t)snprintf(text + n, sizeof text - n, "events:\n%s", GLOBAL);
    for (int k = 0; k < 3; k++)
        if (mask & (1u << k))
            n += (size_t)snprintf(text + n, sizeof text - n, "%s", EVENTS[k]);
    ck_assert_uint_lt(n, sizeof text);
    return text;
}

static size_t count_with(const lines *c, const char *text)
{
    size_t k = 0;
    for (size_t i = 0; i < c->n; i++)
        k += strstr(c->v[i], text) != NULL;
    return k;
}

/* The whole world's keys never decrease (asserted record by record in on_rec) over a run
 * where three tenants act at the same instants, and the global set_rule is group 0. */
START_TEST(test_step_keys_never_decrease)
{
    lines all;
    run_text(scenario(7), NULL, 0, &all);
    ck_assert_uint_gt(all.keys, 100);
    ck_assert_uint_eq(all.global, 1); /* the set_rule's record */
    /* at 2025-01-02T09:00Z the purchases come tenant by tenant (group order), not file order */
    size_t f = 0, nn = 0, c = 0;
    for (size_t i = 0; i < all.n; i++) {
        if (strncmp(all.v[i], "1735808400 action", 17) != 0)
            continue;
        if (strstr(all.v[i], " fab "))
            ck_assert_msg(nn == 0 && c == 0 && ++f, "fab's purchase after another tenant's");
        else if (strstr(all.v[i], " north "))
            ck_assert_msg(c == 0 && ++nn, "north's purchase after cont's");
        else
            c++;
    }
    ck_assert_uint_eq(f, 2);
    ck_assert_uint_eq(nn, 3);
    ck_assert_uint_eq(c, 1);
    lines_free(&all);
}
END_TEST

/* The heart of issue 12: tenant k's records in the world of all three equal, line for line,
 * those of the world holding k alone and of a world holding k and its neighbour (a shard is
 * a contiguous range of the tenants, numbered from its first: model_set_tenant_base). */
START_TEST(test_tenant_records_independent_of_others)
{
    static const char *const ids[3] = {"fab", "north", "cont"};
    for (int k = 0; k < 3; k++) {
        lines all, one, two;
        uint32_t first = k == 2 ? 1 : (uint32_t)k; /* of the pair k, k + 1 (or 1, 2) */
        run_text(scenario(7), ids[k], 0, &all);
        run_text(scenario(1u << k), ids[k], (uint32_t)k, &one);
        run_text(scenario(3u << first), ids[k], first, &two);
        ck_assert_uint_gt(all.n, 20);
        ck_assert_uint_eq(all.n, one.n);
        ck_assert_uint_eq(all.n, two.n);
        for (size_t i = 0; i < all.n; i++) {
            ck_assert_msg(strcmp(all.v[i], one.v[i]) == 0, "%s record %zu: whole '%s', alone '%s'", ids[k], i,
                          all.v[i], one.v[i]);
            ck_assert_str_eq(all.v[i], two.v[i]);
        }
        /* the run really drew: renewals completed after a drawn delay, expiries and data loss */
        ck_assert_uint_gt(count_with(&all, "renewal_completed"), 0);
        lines_free(&all);
        lines_free(&one);
        lines_free(&two);
    }
}
END_TEST

/* The scenario of the tests above exercises what it claims: drawn renewals, an EA claim,
 * expiries and drawn rebuys. */
START_TEST(test_draws_differ_between_tenants)
{
    lines all;
    run_text(scenario(7), NULL, 0, &all);
    ck_assert_uint_gt(count_with(&all, "renewal_completed"), 6);
    ck_assert_uint_gt(count_with(&all, "claim"), 0);
    ck_assert_uint_gt(count_with(&all, "expired"), 2);
    ck_assert_uint_gt(count_with(&all, "behaviour=rebuy"), 0);
    lines_free(&all);
}
END_TEST

/* MODEL_BEHAV_REACTIONS_MAX counts per tenant: a tenant whose records fan out (three
 * behaviours on each of its action records, each reaction an action record: 3^d reactions
 * at depth d) is cut at the cap, while another tenant's chain of 16 reactions, later in the
 * run than the cap is reached, is whole. */
START_TEST(test_reaction_cap_per_tenant)
{
    static const char text[] =
        "version: 1\nname: cap\nstart: 2025-01-01\nend: 2025-03-01\nseed: 3\n"
        "offers: [{id: e3, price: 36.00, terms: [P1M, P1Y]}]\n"
        "partners: [{id: contoso, region: europe}]\n"
        "tenants:\n"
        "  - {id: loud, region: europe, relationships: [contoso]}\n"
        "  - {id: calm, region: europe, relationships: [contoso]}\n"
        "events:\n"
        "  - {at: 2025-01-02, action: purchase, partner: contoso, tenant: loud, id: l1, offer: e3, licenses: 1, term: P1M, billing: monthly}\n"
        "  - {at: 2025-01-02, action: purchase, partner: contoso, tenant: calm, id: c1, offer: e3, licenses: 1, term: P1M, billing: monthly}\n"
        "  - {at: 2025-01-03, action: set_autorenew, subscription: l1, value: true}\n"
        "  - {at: 2025-01-03T13:00Z, action: set_autorenew, subscription: c1, value: true}\n"
        "behaviours:\n"
        "  - {name: a, on: action, action: set_autorenew, where: {tenant: loud}, p: 1, after: 1h, do: {action: set_autorenew, value: true}}\n"
        "  - {name: b, on: action, action: set_autorenew, where: {tenant: loud}, p: 1, after: 1h, do: {action: set_autorenew, value: true}}\n"
        "  - {name: c, on: action, action: set_autorenew, where: {tenant: loud}, p: 1, after: 1h, do: {action: set_autorenew, value: true}}\n"
        "  - {name: d, on: action, action: set_autorenew, where: {tenant: calm}, p: 1, after: 1h, do: {action: set_autorenew, value: true}}\n";
    cli_diag d;
    memset(&d, 0, sizeof d);
    cli_scenario *s = cli_scenario_load_mem("cap", text, strlen(text), 0, 0, &d);
    if (!s)
        fprintf(stderr, "load: %d:%d: %s\n", d.line, d.col, d.message);
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(cli_simulate(s, NULL, NULL, NULL), 0);
    /* loud: 3 + 9 + ... + 3^12 = 797,160 scheduled by depth 12 (at 12:00); depth 13 (3^13 =
     * 1,594,323 asked) is cut at the cap: 1,000,000 in all, the rest dropped. calm: 16 links
     * from 14:00 to 05:00, after loud reached the cap (a run-wide cap would have cut them). */
    ck_assert_uint_eq(model_behaviour_reactions(s->world), MODEL_BEHAV_REACTIONS_MAX + 16);
    ck_assert_uint_gt(model_behaviour_dropped(s->world), 0);
    cli_scenario_free(s);
}
END_TEST

Suite *order_suite(void)
{
    Suite *s = suite_create("order");
    TCase *tc = tcase_create("order");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_step_keys_never_decrease);
    tcase_add_test(tc, test_tenant_records_independent_of_others);
    tcase_add_test(tc, test_draws_differ_between_tenants);
    tcase_add_test(tc, test_reaction_cap_per_tenant);
    suite_add_tcase(s, tc);
    return s;
}
