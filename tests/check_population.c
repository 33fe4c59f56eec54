/* tests/check_population.c - generated populations: per-tenant streams (a prefix of a group
 * generates identically whatever follows), generated labels, drawn totals within bounds. */
#include <stdlib.h>
#include <string.h>

#include "model/population.h"
#include "suites.h"

#define T0 1735689600 /* 2025-01-01 */
#define DAY 86400

static const char *const regions[] = {"europe"};
static const int64_t offer_values[] = {0, 1};
static const double offer_weights[] = {7.0, 3.0};

static model_world *world(uint32_t *partners)
{
    model_world *w = model_world_new(T0, T0 + 60 * DAY, 9, 0);
    ck_assert_ptr_nonnull(w);
    model_offer_spec o;
    memset(&o, 0, sizeof o);
    o.terms = MODEL_TERM_P1M | MODEL_TERM_P1Y;
    o.max_ratio = -1.0;
    o.csp_available = 1;
    o.id = "bp";
    ck_assert_uint_ne(model_add_offer(w, &o), MODEL_NONE);
    o.id = "e3";
    ck_assert_uint_ne(model_add_offer(w, &o), MODEL_NONE);
    partners[0] = model_add_partner(w, "contoso", "europe");
    partners[1] = model_add_partner(w, "fabrikam", "europe");
    ck_assert_uint_ne(model_add_tenant(w, "hand", "europe"), MODEL_NONE); /* a hand-written one first */
    return w;
}

static model_pop_group group(uint32_t tenants, const uint32_t *rels, double mean)
{
    model_pop_group g;
    memset(&g, 0, sizeof g);
    g.name = "smb";
    g.tenants = tenants;
    g.region = sim_dist_fixed(0);
    g.regions = regions;
    g.nregions = 1;
    g.rels = rels;
    g.nrels = 2;
    g.has_subs = 1;
    g.subs.count = sim_dist_poisson(mean);
    g.subs.channel = sim_dist_fixed(MODEL_CHANNEL_CSP);
    sim_dist offer = {SIM_DIST_CHOICE, 0, 0, 0.0, 2, offer_values, offer_weights, 0.0};
    g.subs.offer = offer;
    sim_dist lic = {SIM_DIST_LOGNORMAL, 12, 0, 1.0, 0, NULL, NULL, 0.0};
    g.subs.licenses = lic;
    g.subs.term = sim_dist_fixed(12);
    g.subs.billing = sim_dist_fixed(MODEL_BILLING_MONTHLY);
    g.subs.start = sim_dist_uniform(T0 - 300 * DAY, T0 - DAY);
    g.subs.autorenew = sim_dist_bernoulli(0.85);
    g.subs.state = sim_dist_fixed(MODEL_STATE_ACTIVE);
    return g;
}

static const model_pop_limits LIM = {10000, 1000000000, 100000000};

/* Tenants 0..49 of a 50-tenant group and of a 120-tenant group draw the same subscriptions:
 * each tenant's stream depends only on (seed, replication, group, index). */
START_TEST(test_pop_prefix_identical)
{
    uint32_t pa[2], pb[2];
    model_world *a = world(pa), *b = world(pb);
    model_pop_group ga = group(50, pa, 3.0), gb = group(120, pb, 3.0);
    ck_assert_int_eq(model_pop_generate(a, &ga, 0, 42, 0, &LIM), 0);
    ck_assert_int_eq(model_pop_generate(b, &gb, 0, 42, 0, &LIM), 0);
    ck_assert_uint_eq(model_count_tenants(a), 51);
    ck_assert_uint_eq(model_count_tenants(b), 121);
    size_t n = model_count_subscriptions(a);
    ck_assert_uint_gt(n, 50);
    for (uint32_t i = 0; i < n; i++) {
        model_sub_view x, y;
        model_subscription_view(a, i, &x);
        model_subscription_view(b, i, &y);
        ck_assert_uint_eq(x.tenant, y.tenant);
        ck_assert_uint_eq(x.offer, y.offer);
        ck_assert_uint_eq(x.partner, y.partner);
        ck_assert_int_eq(x.licenses, y.licenses);
        ck_assert_int_eq(x.autorenew, y.autorenew);
        ck_assert(x.term_end == y.term_end);
        ck_assert(x.licenses >= 1);
    }
    /* a different group index is a different stream */
    uint32_t pc[2];
    model_world *c = world(pc);
    model_pop_group gc = group(50, pc, 3.0);
    ck_assert_int_eq(model_pop_generate(c, &gc, 1, 42, 0, &LIM), 0);
    int differ = model_count_subscriptions(c) != n;
    for (uint32_t i = 0; i < n && i < model_count_subscriptions(c) && !differ; i++) {
        model_sub_view x, y;
        model_subscription_view(a, i, &x);
        model_subscription_view(c, i, &y);
        differ = x.licenses != y.licenses || x.tenant != y.tenant;
    }
    ck_assert(differ);
    model_world_free(a);
    model_world_free(b);
    model_world_free(c);
}
END_TEST

/* Labels: the hand-written tenant keeps its id; tenant index 3 is the group's third (smb-3);
 * its subscriptions are smb-3.s1.. in order, and a later subscription is not labelled. */
START_TEST(test_pop_labels)
{
    uint32_t p[2];
    model_world *w = world(p);
    model_pop_group g = group(10, p, 2.0);
    g.subs.count = sim_dist_fixed(2);
    ck_assert_int_eq(model_pop_generate(w, &g, 0, 1, 0, &LIM), 0);
    char buf[MODEL_LABEL_BUF];
    ck_assert_str_eq(model_tenant_id(w, 0), "hand");
    ck_assert_uint_eq(model_tenant_group(w, 0), MODEL_NONE);
    ck_assert_str_eq(model_tenant_label(w, 3, buf), "smb-3");
    ck_assert_str_eq(model_tenant_id(w, 10), "smb-10");
    ck_assert_uint_eq(model_tenant_group(w, 10), 0);
    ck_assert_uint_eq(model_count_groups(w), 1);
    ck_assert_str_eq(model_group_name(w, 0), "smb");
    ck_assert_uint_eq(model_count_subscriptions(w), 20);
    ck_assert_str_eq(model_subscription_label(w, 0, buf), "smb-1.s1");
    ck_assert_str_eq(model_subscription_label(w, 5, buf), "smb-3.s2");
    ck_assert_str_eq(model_subscription_id(w, 19), "smb-10.s2");
    uint32_t later = model_declare_subscription(w, NULL, 5);
    ck_assert_ptr_null(model_subscription_label(w, later, buf));
    /* the partner default is one of the two relationships */
    for (uint32_t i = 0; i < 20; i++) {
        model_sub_view v;
        model_subscription_view(w, i, &v);
        ck_assert(v.partner == p[0] || v.partner == p[1]);
    }
    model_world_free(w);
}
END_TEST

/* 2,000 tenants with Poisson(3) subscriptions: the total is Poisson(6000), sd 77.5, bound 349
 * (4.5 sd). Offer e3 has weight 3 of 10: its count given the total n is Binomial(n, 0.3),
 * sd sqrt(6000 * 0.21) = 35.5, bound 160 around 0.3 n. Autorenew {p: 0.85}: Binomial(n, 0.85),
 * sd 27.7, bound 125 around 0.85 n. */
START_TEST(test_pop_totals)
{
    uint32_t p[2];
    model_world *w = world(p);
    model_pop_group g = group(2000, p, 3.0);
    ck_assert_int_eq(model_pop_generate(w, &g, 0, 5, 0, &LIM), 0);
    long n = (long)model_count_subscriptions(w), e3 = 0, renew = 0;
    ck_assert_int_le(labs(n - 6000), 349);
    for (uint32_t i = 0; i < (uint32_t)n; i++) {
        model_sub_view v;
        model_subscription_view(w, i, &v);
        e3 += v.offer == 1;
        renew += v.autorenew;
    }
    ck_assert_int_le(labs(10 * e3 - 3 * n), 1600);
    ck_assert_int_le(labs(100 * renew - 85 * n), 12500);
    model_world_free(w);
}
END_TEST

/* Past the subscription limit generation stops with -2. */
START_TEST(test_pop_limit)
{
    uint32_t p[2];
    model_world *w = world(p);
    model_pop_group g = group(100, p, 3.0);
    g.subs.count = sim_dist_fixed(5);
    model_pop_limits lim = LIM;
    lim.max_subscriptions = 499;
    ck_assert_int_eq(model_pop_generate(w, &g, 0, 5, 0, &lim), -2);
    ck_assert_uint_eq(model_count_subscriptions(w), 499);
    model_world_free(w);
}
END_TEST

Suite *population_suite(void)
{
    Suite *s = suite_create("population");
    TCase *tc = tcase_create("generate");
    tcase_add_test(tc, test_pop_prefix_identical);
    tcase_add_test(tc, test_pop_labels);
    tcase_add_test(tc, test_pop_totals);
    tcase_add_test(tc, test_pop_limit);
    suite_add_tcase(s, tc);
    return s;
}
