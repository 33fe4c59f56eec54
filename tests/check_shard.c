/* tests/check_shard.c - loading one shard of a scenario (cli_load_opts shard/nshards, issue
 * 12): the shards' generated tenants, concatenated, are the whole world's, with the same
 * labels and draws; shard 0 holds the hand-written part, the others only the catalog and
 * the tenant-less events; nshards 1 loads as no split. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/override.h"
#include "cli/scenario.h"
#include "suites.h"

/* Two groups of 7 and 6 (T = 13: no N below tested divides it evenly, nor either group),
 * subscription counts that are 0 for some tenants, EA agreements in the second group, two
 * hand-written tenants with a subscription and an agreement, a purchase, a set_rule, a
 * behaviour filtered to a hand-written tenant and an expect block. */
static const char scenario[] =
    "version: 1\n"
    "name: shard\n"
    "start: 2025-01-01\n"
    "end: 2025-04-01\n"
    "seed: 11\n"
    "offers:\n"
    "  - {id: bp, price: 22.00, terms: [P1M, P1Y]}\n"
    "  - {id: e3, price: 36.00, terms: [P1M, P1Y, P3Y]}\n"
    "partners:\n"
    "  - {id: contoso, region: europe}\n"
    "  - {id: litware, region: europe}\n"
    "tenants:\n"
    "  - id: fabrikam\n"
    "    region: europe\n"
    "    relationships: [contoso]\n"
    "    subscriptions:\n"
    "      - {id: f1, offer: e3, partner: contoso, licenses: 10, term: P1M, billing: monthly, start: 2024-12-15}\n"
    "  - id: northwind\n"
    "    region: europe\n"
    "    agreements:\n"
    "      - {id: nw-ea, end: 2025-02-28, subscriptions: [{id: nw1, offer: e3, licenses: 50}]}\n"
    "population:\n"
    "  - group: smb\n"
    "    tenants: 7\n"
    "    region: europe\n"
    "    relationships: [contoso, litware]\n"
    "    subscriptions:\n"
    "      count: {dist: poisson, mean: 1.5}\n"
    "      offer: {dist: choice, values: [bp, e3], weights: [7, 3]}\n"
    "      licenses: {dist: lognormal, median: 12, sigma: 1.0}\n"
    "      term: {dist: choice, values: [P1M, P1Y]}\n"
    "      billing: monthly\n"
    "      start: {dist: uniform, min: 2024-06-01, max: 2024-12-31}\n"
    "      autorenew: {p: 0.8}\n"
    "      state: {dist: choice, values: [active, suspended], weights: [9, 1]}\n"
    "  - group: ent\n"
    "    tenants: 6\n"
    "    region: europe\n"
    "    relationships: [litware]\n"
    "    subscriptions:\n"
    "      count: {dist: uniform, min: 0, max: 2}\n"
    "      offer: e3\n"
    "      licenses: {dist: uniform, min: 20, max: 400}\n"
    "      term: P1Y\n"
    "      billing: {dist: choice, values: [monthly, annual]}\n"
    "      start: {dist: uniform, min: 2024-02-01, max: 2024-12-31}\n"
    "    agreements:\n"
    "      count: {dist: uniform, min: 0, max: 1}\n"
    "      end: {dist: uniform, min: 2025-01-10, max: 2025-03-31}\n"
    "      subscriptions: {count: 2, offer: e3, licenses: 100}\n"
    "events:\n"
    "  - {at: +1d, action: purchase, partner: contoso, tenant: fabrikam, id: f2, offer: bp,\n"
    "     licenses: 3, term: P1M, billing: monthly}\n"
    "  - {at: +10d, action: set_rule, parameter: expired_grace, value: 15d}\n"
    "  - {at: +20d, action: cancel, subscription: f2}\n"
    "behaviours:\n"
    "  - {name: grow, on: renewal_completed, where: {tenant: fabrikam}, p: 1,\n"
    "     do: {action: change_licenses, delta: 5}}\n"
    "  - {name: give-up, on: expired, p: 0.5, after: 2d, do: {action: purchase, id: auto, offer: same,\n"
    "     licenses: same, term: same, billing: same}}\n"
    "expect:\n"
    "  - {event: accepted, action: purchase, tenant: fabrikam, min: 1}\n";

#define HAND 2u   /* hand-written tenants */
#define TOTAL 13u /* generated tenants */

static cli_scenario *load(uint32_t shard, uint32_t nshards)
{
    cli_load_opts o = {0, 0, NULL, 0, shard, nshards};
    cli_diag d;
    cli_scenario *s = cli_scenario_load_mem_opts("shard.yaml", scenario, strlen(scenario), &o, &d);
    if (!s)
        fprintf(stderr, "shard %u of %u: %d:%d: %s\n", shard, nshards, d.line, d.col, d.message);
    ck_assert_ptr_nonnull(s);
    return s;
}

typedef struct {
    char *p;
    size_t len, cap;
} rowbuf;

static void put(rowbuf *t, const char *line)
{
    size_t n = strlen(line);
    if (t->len + n + 1 > t->cap) {
        t->cap = 2 * (t->cap + n + 1);
        t->p = realloc(t->p, t->cap);
        ck_assert_ptr_nonnull(t->p);
    }
    memcpy(t->p + t->len, line, n + 1);
    t->len += n;
}

/* Tenant i's rows: its label, then per subscription (table order) label, offer, licenses,
 * term, start and end, state. */
static void tenant_rows(const model_world *w, uint32_t i, rowbuf *t)
{
    char line[512];
    snprintf(line, sizeof line, "T %s\n", model_tenant_id(w, i));
    put(t, line);
    for (uint32_t s = 0; s < model_count_subscriptions(w); s++) {
        if (model_subscription_tenant(w, s) != i)
            continue;
        model_sub_view v;
        model_subscription_view(w, s, &v);
        const char *id = model_subscription_id(w, s);
        snprintf(line, sizeof line, "  S %s offer=%s lic=%d term=%d start=%lld end=%lld state=%d\n", id ? id : "?",
                 model_offer_id(w, v.offer), (int)v.licenses, v.term_months, (long long)v.term_start,
                 (long long)v.term_end, (int)v.state);
        put(t, line);
    }
}

/* Rows of tenants [from, to) of w, appended. */
static void rows(const model_world *w, uint32_t from, uint32_t to, rowbuf *t)
{
    for (uint32_t i = from; i < to; i++)
        tenant_rows(w, i, t);
}

static size_t count_kind(const cli_scenario *s, model_action_kind k)
{
    size_t n = 0;
    for (size_t i = 0; i < s->nactions; i++)
        n += s->actions[i].kind == k;
    return n;
}

/* The concatenation over N shards equals the whole world, tenant by tenant, in order. */
static void check_split(uint32_t nshards)
{
    cli_scenario *whole = load(0, 0);
    ck_assert_uint_eq(model_count_tenants(whole->world), HAND + TOTAL);
    ck_assert_uint_eq(whole->pop_tenants, TOTAL);
    ck_assert_uint_eq(whole->hand_tenants, HAND);
    rowbuf want = {NULL, 0, 0}, got = {NULL, 0, 0};
    rows(whole->world, 0, HAND + TOTAL, &want);
    size_t subs = 0, set_rules = 0;
    for (uint32_t j = 0; j < nshards; j++) {
        cli_scenario *s = load(j, nshards);
        const model_world *w = s->world;
        uint64_t lo = (uint64_t)TOTAL * j / nshards, hi = (uint64_t)TOTAL * (j + 1) / nshards;
        ck_assert_uint_eq(s->shard, j);
        ck_assert_uint_eq(s->nshards, nshards);
        ck_assert_uint_eq(s->pop_tenants, TOTAL);
        ck_assert_uint_eq(s->pop_first, lo);
        ck_assert_uint_eq(s->hand_tenants, HAND);
        /* every group in every shard, under the same index */
        ck_assert_uint_eq(model_count_groups(w), 2);
        ck_assert_str_eq(model_group_name(w, 1), "ent");
        uint32_t first_gen = j == 0 ? HAND : 0;
        ck_assert_uint_eq(model_count_tenants(w), first_gen + (hi - lo));
        for (uint32_t i = 0; i < model_count_tenants(w); i++) {
            ck_assert_uint_eq(model_tenant_group(w, i) == MODEL_NONE, i < first_gen);
            /* the whole world's index: i in shard 0, hand + first + i elsewhere */
            uint32_t g = j == 0 ? i : HAND + (uint32_t)lo + i;
            char a[64];
            snprintf(a, sizeof a, "%s", model_tenant_id(w, i));
            ck_assert_str_eq(a, model_tenant_id(whole->world, g));
        }
        rows(w, 0, (uint32_t)model_count_tenants(w), &got);
        ck_assert_uint_eq(s->pop_first_sub, j == 0 ? 2 : 0); /* f1, nw1 before the generated */
        for (size_t k = s->pop_first_sub; k < s->pop_first_sub + s->pop_subscriptions; k++)
            ck_assert_uint_ne(model_tenant_group(w, model_subscription_tenant(w, (uint32_t)k)), MODEL_NONE);
        subs += s->pop_subscriptions;
        set_rules += count_kind(s, MODEL_ACT_SET_RULE);
        ck_assert_uint_eq(count_kind(s, MODEL_ACT_SET_RULE), 1); /* the tenant-less event: in every shard */
        if (j == 0) {
            ck_assert_uint_eq(s->nactions, whole->nactions);
            ck_assert_uint_eq(s->nexpects, whole->nexpects);
            ck_assert_uint_gt(s->nexpects, 0);
        } else {
            ck_assert_uint_eq(s->nactions, 1); /* no purchase nor cancel: they name fabrikam */
            ck_assert_uint_eq(s->nexpects, 0);
            for (size_t k = 0; k < model_count_subscriptions(w); k++)
                ck_assert_uint_ne(model_tenant_group(w, model_subscription_tenant(w, (uint32_t)k)), MODEL_NONE);
        }
        cli_scenario_free(s);
    }
    ck_assert_uint_eq(subs, whole->pop_subscriptions);
    /* unsplit, the purchase's f2 follows every generated subscription */
    ck_assert_str_eq(model_subscription_id(whole->world, (uint32_t)(whole->pop_first_sub + subs)), "f2");
    ck_assert_uint_gt(subs, TOTAL / 2); /* the rows compared hold subscriptions */
    ck_assert_uint_eq(set_rules, nshards);
    ck_assert_uint_eq(got.len, want.len);
    ck_assert_str_eq(got.p, want.p);
    free(want.p);
    free(got.p);
    cli_scenario_free(whole);
}

START_TEST(split_2) { check_split(2); }
END_TEST
START_TEST(split_3) { check_split(3); }
END_TEST
START_TEST(split_5) { check_split(5); }
END_TEST
START_TEST(split_more_shards_than_tenants) { check_split(20); }
END_TEST

/* A shard's slice can cut a group: with N = 3 the shards hold smb-1..4, smb-5..7 + ent-1,
 * ent-2..6 (13 * 1 / 3 = 4, 13 * 2 / 3 = 8). */
START_TEST(slices_cut_groups)
{
    static const char *const first[] = {"fabrikam", "smb-5", "ent-2"};
    static const char *const last[] = {"smb-4", "ent-1", "ent-6"};
    for (uint32_t j = 0; j < 3; j++) {
        cli_scenario *s = load(j, 3);
        size_t n = model_count_tenants(s->world);
        ck_assert_str_eq(model_tenant_id(s->world, 0), first[j]);
        ck_assert_str_eq(model_tenant_id(s->world, (uint32_t)n - 1), last[j]);
        cli_scenario_free(s);
    }
}
END_TEST

/* nshards 1 is the whole load: the same rows, actions and expectations as nshards 0. */
START_TEST(one_shard_is_whole)
{
    cli_scenario *a = load(0, 0), *b = load(0, 1);
    rowbuf x = {NULL, 0, 0}, y = {NULL, 0, 0};
    rows(a->world, 0, (uint32_t)model_count_tenants(a->world), &x);
    rows(b->world, 0, (uint32_t)model_count_tenants(b->world), &y);
    ck_assert_str_eq(x.p, y.p);
    ck_assert_uint_eq(model_count_subscriptions(a->world), model_count_subscriptions(b->world));
    ck_assert_uint_eq(a->nactions, b->nactions);
    ck_assert_uint_eq(a->nexpects, b->nexpects);
    ck_assert_uint_eq(b->nshards, 1);
    free(x.p);
    free(y.p);
    cli_scenario_free(a);
    cli_scenario_free(b);
}
END_TEST

/* Every shard runs to its end with invariants on: in shards j > 0 the behaviour filtered to a
 * hand-written tenant (`grow`, on fabrikam's renewals) is loaded with an id that matches no
 * tenant there. */
START_TEST(shards_run)
{
    for (uint32_t j = 0; j < 3; j++) {
        cli_scenario *s = load(j, 3);
        model_check_invariants(s->world, 1);
        ck_assert_int_eq(model_run_until(s->world, s->end), 0);
        ck_assert_int_eq(model_finish(s->world), 0);
        ck_assert_ptr_null(model_breach_found(s->world));
        cli_scenario_free(s);
    }
}
END_TEST

static int loads(const char *text, uint32_t shard, uint32_t nshards, char *msg, size_t size)
{
    cli_load_opts o = {0, 0, NULL, 0, shard, nshards};
    cli_diag d;
    cli_scenario *s = cli_scenario_load_mem_opts("x.yaml", text, strlen(text), &o, &d);
    snprintf(msg, size, "%s", s ? "" : d.message);
    cli_scenario_free(s);
    return s != NULL;
}

START_TEST(shard_out_of_range)
{
    char msg[600];
    ck_assert(!loads(scenario, 3, 3, msg, sizeof msg));
    ck_assert_ptr_nonnull(strstr(msg, "shard 3 of 3"));
    ck_assert(loads(scenario, 2, 3, msg, sizeof msg));
    ck_assert(loads(scenario, 7, 1, msg, sizeof msg)); /* nshards 1: the whole scenario, shard unused */
}
END_TEST

/* Shards j > 0 still check the hand-written sections: an error there is refused in every shard. */
START_TEST(elsewhere_still_checks)
{
    char text[sizeof scenario + 64], msg[256];
    const char *at = strstr(scenario, "licenses: 10, term: P1M");
    ck_assert_ptr_nonnull(at);
    snprintf(text, sizeof text, "%.*slicenses: 0%s", (int)(at - scenario), scenario, at + strlen("licenses: 10"));
    for (uint32_t j = 0; j < 3; j++) {
        ck_assert(!loads(text, j, 3, msg, sizeof msg));
        ck_assert_ptr_nonnull(strstr(msg, "licenses"));
    }
    ck_assert(!loads(text, 0, 0, msg, sizeof msg));
}
END_TEST

/* A behaviour acting on a named tenant whatever record triggers it crosses tenants: the
 * whole load takes it, a split refuses it in every shard (with where: {tenant} it is fine). */
START_TEST(cross_tenant_behaviour)
{
    static const char text[] =
        "version: 1\nname: x\nstart: 2025-01-01\nend: 2025-02-01\n"
        "offers: [{id: e3, price: 1.00}]\npartners: [{id: contoso, region: europe}]\n"
        "tenants: [{id: fabrikam, region: europe, relationships: [contoso]}]\n"
        "population: [{group: smb, tenants: 3, region: europe, relationships: [contoso]}]\n"
        "behaviours:\n"
        "  - {name: b, on: expired, p: 1, after: 1d, do: {action: purchase, tenant: fabrikam, id: auto,\n"
        "     offer: e3, licenses: 1, term: P1M, billing: monthly}}\n";
    char msg[600];
    ck_assert(loads(text, 0, 0, msg, sizeof msg));
    ck_assert(loads(text, 0, 1, msg, sizeof msg));
    for (uint32_t j = 0; j < 2; j++) {
        ck_assert(!loads(text, j, 2, msg, sizeof msg));
        ck_assert_ptr_nonnull(strstr(msg, "split by tenant"));
    }
    char fixed[sizeof text + 64];
    const char *at = strstr(text, "p: 1,");
    snprintf(fixed, sizeof fixed, "%.*swhere: {tenant: fabrikam}, %s", (int)(at - text), text, at);
    for (uint32_t j = 0; j < 2; j++)
        ck_assert_msg(loads(fixed, j, 2, msg, sizeof msg), "%s", msg);
}
END_TEST

Suite *shard_suite(void)
{
    Suite *s = suite_create("shard");
    TCase *tc = tcase_create("shard");
    tcase_add_test(tc, split_2);
    tcase_add_test(tc, split_3);
    tcase_add_test(tc, split_5);
    tcase_add_test(tc, split_more_shards_than_tenants);
    tcase_add_test(tc, slices_cut_groups);
    tcase_add_test(tc, one_shard_is_whole);
    tcase_add_test(tc, shards_run);
    tcase_add_test(tc, shard_out_of_range);
    tcase_add_test(tc, elsewhere_still_checks);
    tcase_add_test(tc, cross_tenant_behaviour);
    suite_add_tcase(s, tc);
    return s;
}
