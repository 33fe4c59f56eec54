/* tests/check_union.c - the union world over shards (model/union.h): global numbering of
 * tenants and subscriptions (first mention numbers a later one), translated records and
 * their seq, accessors dispatched to the shard or summed over shards, and a union of one
 * shard answering every accessor exactly as the shard. */
#include <stdlib.h>
#include <string.h>

#include "model/population.h"
#include "model/store.h"
#include "model/union.h"
#include "suites.h"

#define T0 1735689600 /* 2025-01-01 */
#define DAY 86400
#define END (T0 + 60 * DAY)

typedef struct {
    model_record *v;
    size_t n, cap;
} capture;

static void capture_emit(void *ctx, const model_record *r)
{
    capture *c = ctx;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->v = realloc(c->v, c->cap * sizeof *c->v);
        ck_assert_ptr_nonnull(c->v);
    }
    c->v[c->n++] = *r;
}

/* A world with the common catalog: offer e3 (10.00 a license-month, every term), partners
 * p1 (us, direct) and p2 (us, an indirect reseller), and a sink into c. */
static model_world *shard_world(capture *c)
{
    model_world *w = model_world_new(T0, END, 7, 0);
    ck_assert_ptr_nonnull(w);
    model_offer_spec o;
    memset(&o, 0, sizeof o);
    o.id = "e3";
    o.price = 1000;
    o.terms = MODEL_TERM_P1M | MODEL_TERM_P1Y | MODEL_TERM_P3Y;
    o.segment = MODEL_SEGMENT_ENTERPRISE;
    o.csp_available = 1;
    o.max_ratio = -1.0;
    ck_assert_uint_eq(model_add_offer(w, &o), 0);
    ck_assert_uint_eq(model_add_partner(w, "p1", "us"), 0);
    ck_assert_uint_eq(model_add_partner(w, "p2", "us"), 1);
    model_set_partner_type(w, 1, MODEL_PARTNER_INDIRECT_RESELLER);
    model_set_sink(w, (model_sink){capture_emit, c});
    return w;
}

static uint32_t tenant(model_world *w, const char *id, uint32_t partner)
{
    uint32_t t = model_add_tenant(w, id, "us");
    ck_assert_uint_ne(t, MODEL_NONE);
    ck_assert_int_eq(model_add_relationship(w, t, partner), 0);
    return t;
}

/* A subscription existing at the start: a yearly term begun 10 days before, billed monthly. */
static uint32_t sub(model_world *w, const char *id, uint32_t t, uint32_t partner, int32_t licenses)
{
    uint32_t s = model_declare_subscription(w, id, t);
    ck_assert_uint_ne(s, MODEL_NONE);
    model_sub_spec spec = {0, partner, MODEL_CHANNEL_CSP, licenses, 12, MODEL_BILLING_MONTHLY,
                           T0 - 10 * DAY, 1, MODEL_STATE_ACTIVE};
    ck_assert_int_eq(model_init_subscription(w, s, &spec), 0);
    return s;
}

static void buy(model_world *w, sim_time at, uint32_t t, uint32_t partner, uint32_t s, int32_t licenses)
{
    ck_assert_int_eq(model_run_until(w, at), 0);
    model_action a;
    model_action_init(&a, MODEL_ACT_PURCHASE);
    a.tenant = t;
    a.partner = partner;
    a.new_subscription = s;
    a.offer = 0;
    a.licenses = licenses;
    a.has_licenses = 1;
    a.term_months = 1;
    a.has_term = 1;
    a.billing = MODEL_BILLING_MONTHLY;
    a.has_billing = 1;
    model_apply(w, at, &a);
}

/* A translated record with the shard and the record it came from. */
typedef struct {
    model_record r, orig;
    size_t shard;
} merged;

/* Merges the shards' captures by time (ties: the lower shard first) and translates each. */
static merged *merge(model_union *u, capture *c, size_t n, size_t *count)
{
    size_t total = 0, at[8] = {0};
    for (size_t j = 0; j < n; j++)
        total += c[j].n;
    merged *m = calloc(total ? total : 1, sizeof *m);
    ck_assert_ptr_nonnull(m);
    for (size_t k = 0; k < total; k++) {
        size_t best = n;
        for (size_t j = 0; j < n; j++)
            if (at[j] < c[j].n && (best == n || c[j].v[at[j]].time < c[best].v[at[best]].time))
                best = j;
        m[k].shard = best;
        m[k].orig = m[k].r = c[best].v[at[best]++];
        ck_assert_int_eq(model_union_translate(u, best, &m[k].r), 0);
    }
    *count = total;
    return m;
}

static void finish(model_world *w)
{
    ck_assert_int_eq(model_run_until(w, END), 0);
    ck_assert_int_eq(model_finish(w), 0);
}

/* Three shards: A holds ta0, ta1 (a0, a1, a2), B tb0 (b0), C tc0, tc1 (c0, at p2). Global:
 * tenants ta0 0, ta1 1, tb0 2, tc0 3, tc1 4; subscriptions a0..a2 0..2, b0 3, c0 4. After the
 * union is made, B declares bnew (its local 1) and buys it on day 5, A declares anew (its
 * local 3) and buys it on day 20, C declares cnever and never uses it: in merged order bnew
 * is mentioned first (5), anew next (6), though A is shard 0; cnever is not in the union. */
START_TEST(test_union_three_shards)
{
    capture c[3] = {{0}};
    model_world *s[3];
    for (int j = 0; j < 3; j++)
        s[j] = shard_world(&c[j]);
    uint32_t ta0 = tenant(s[0], "ta0", 0), ta1 = tenant(s[0], "ta1", 0);
    sub(s[0], "a0", ta0, 0, 10);
    sub(s[0], "a1", ta1, 0, 20);
    sub(s[0], "a2", ta0, 0, 30);
    uint32_t tb0 = tenant(s[1], "tb0", 0);
    sub(s[1], "b0", tb0, 0, 40);
    tenant(s[2], "tc0", 0);
    uint32_t tc1 = tenant(s[2], "tc1", 1);
    sub(s[2], "c0", tc1, 1, 50);

    model_union *u = model_union_new(s, NULL, 3);
    ck_assert_ptr_nonnull(u);
    const model_world *U = model_union_world(u);
    ck_assert_uint_eq(model_count_tenants(U), 5);
    ck_assert_uint_eq(model_count_subscriptions(U), 5);
    uint32_t bnew = model_declare_subscription(s[1], "bnew", tb0);
    uint32_t anew = model_declare_subscription(s[0], "anew", ta1);
    uint32_t cnever = model_declare_subscription(s[2], "cnever", tc1);
    ck_assert_uint_eq(bnew, 1);
    ck_assert_uint_eq(anew, 3);
    ck_assert_uint_eq(cnever, 1);
    ck_assert_uint_eq(model_count_subscriptions(U), 5); /* declared, not yet mentioned */

    for (int j = 0; j < 3; j++)
        ck_assert_int_eq(model_start(s[j]), 0);
    buy(s[1], T0 + 5 * DAY, tb0, 0, bnew, 5);
    buy(s[0], T0 + 20 * DAY, ta1, 0, anew, 6);
    for (int j = 0; j < 3; j++)
        finish(s[j]);

    size_t n;
    merged *m = merge(u, c, 3, &n);
    ck_assert_uint_eq(n, c[0].n + c[1].n + c[2].n);
    ck_assert_uint_gt(c[1].n, 0);
    ck_assert_uint_eq(model_records_emitted(U), n);
    const uint32_t tb[3] = {0, 2, 3};
    for (size_t k = 0; k < n; k++) {
        const model_record *r = &m[k].r, *o = &m[k].orig;
        const model_world *w = s[m[k].shard];
        ck_assert_uint_eq(r->seq, k + 1); /* 1-based, as the world numbers its own */
        ck_assert_uint_eq(r->partner, o->partner);
        ck_assert_uint_eq(r->tenant, o->tenant == MODEL_NONE ? MODEL_NONE : tb[m[k].shard] + o->tenant);
        if (o->tenant != MODEL_NONE)
            ck_assert_str_eq(model_tenant_id(U, r->tenant), model_tenant_id(w, o->tenant));
        ck_assert_uint_eq(r->subscription == MODEL_NONE, o->subscription == MODEL_NONE);
        if (o->subscription != MODEL_NONE) {
            ck_assert_str_eq(model_subscription_id(U, r->subscription), model_subscription_id(w, o->subscription));
            ck_assert_uint_eq(model_subscription_tenant(U, r->subscription), r->tenant);
        }
    }
    uint64_t last_b = 0; /* the union's number of B's last record */
    for (size_t k = 0; k < n; k++)
        if (m[k].shard == 1)
            last_b = m[k].r.seq;
    free(m);

    /* first mention: bnew then anew; cnever never named */
    ck_assert_uint_eq(model_count_subscriptions(U), 7);
    const char *want[7] = {"a0", "a1", "a2", "b0", "c0", "bnew", "anew"};
    const uint32_t owner[7] = {0, 1, 0, 2, 4, 2, 1};
    for (uint32_t g = 0; g < 7; g++) {
        char buf[MODEL_LABEL_BUF];
        ck_assert_str_eq(model_subscription_id(U, g), want[g]);
        ck_assert_str_eq(model_subscription_label(U, g, buf), want[g]);
        ck_assert_uint_eq(model_subscription_tenant(U, g), owner[g]);
    }
    ck_assert_ptr_null(model_subscription_id(U, 7));
    const char *tids[5] = {"ta0", "ta1", "tb0", "tc0", "tc1"};
    for (uint32_t t = 0; t < 5; t++) {
        char buf[MODEL_LABEL_BUF];
        ck_assert_str_eq(model_tenant_id(U, t), tids[t]);
        ck_assert_str_eq(model_tenant_label(U, t, buf), tids[t]);
        ck_assert_uint_eq(model_tenant_group(U, t), MODEL_NONE);
    }
    ck_assert_str_eq(model_tenant_id(U, 5), "");

    /* views: the shard's, the tenant global */
    const struct {
        size_t shard;
        uint32_t local;
    } where[7] = {{0, 0}, {0, 1}, {0, 2}, {1, 0}, {2, 0}, {1, 1}, {0, 3}};
    for (uint32_t g = 0; g < 7; g++) {
        model_sub_view v, sv;
        model_subscription_view(U, g, &v);
        model_subscription_view(s[where[g].shard], where[g].local, &sv);
        ck_assert_uint_eq(v.tenant, owner[g]);
        sv.tenant = v.tenant;
        ck_assert_mem_eq(&v, &sv, sizeof v);
        ck_assert_uint_eq(model_subscription_reseller(U, g), MODEL_NONE);
    }
    model_sub_view v;
    model_subscription_view(U, 6, &v);
    ck_assert_int_eq(v.state, MODEL_STATE_ACTIVE);
    ck_assert_int_eq(v.licenses, 6);
    ck_assert_uint_eq(model_live_subscriptions(U, 2), 2); /* b0 and bnew */
    ck_assert_uint_eq(model_live_subscriptions(U, 1), 2); /* a1 and anew */
    ck_assert_uint_eq(model_live_subscriptions(U, 3), 0);

    /* per tenant: dispatched; totals: summed */
    model_metrics sum = {0};
    for (uint32_t t = 0; t < 5; t++) {
        static const size_t sh[5] = {0, 0, 1, 2, 2};
        model_metrics a, b;
        model_metrics_tenant(U, t, &a);
        model_metrics_tenant(s[sh[t]], t - tb[sh[t]], &b);
        ck_assert_mem_eq(&a, &b, sizeof a);
    }
    for (int j = 0; j < 3; j++) {
        model_metrics t;
        model_metrics_total(s[j], &t);
        sum.billed += t.billed;
        sum.refunded += t.refunded;
        sum.rejections += t.rejections;
        sum.interruption_days += t.interruption_days;
    }
    model_metrics tot;
    model_metrics_total(U, &tot);
    ck_assert_int_gt(tot.billed, 0);
    ck_assert_int_eq(tot.billed, sum.billed);
    ck_assert_int_eq(tot.refunded, sum.refunded);
    ck_assert_int_eq(tot.rejections, sum.rejections);
    ck_assert_int_eq(tot.interruption_days, sum.interruption_days);
    for (uint32_t p = 0; p < 2; p++) {
        int64_t b = 0, r = 0, ub, ur;
        for (int j = 0; j < 3; j++) {
            int64_t sb, sr;
            model_metrics_partner(s[j], p, &sb, &sr);
            b += sb;
            r += sr;
        }
        model_metrics_partner(U, p, &ub, &ur);
        ck_assert_int_eq(ub, b);
        ck_assert_int_eq(ur, r);
        ck_assert_int_eq(model_partner_type_get(U, p), model_partner_type_get(s[0], p));
    }
    int64_t b1, r1, b2, r2;
    model_metrics_partner(U, 0, &b1, &r1);
    model_metrics_partner(U, 1, &b2, &r2);
    ck_assert_int_gt(b1, 0);
    ck_assert_int_gt(b2, 0); /* c0 in shard C only */
    ck_assert_int_eq(b1 + b2, tot.billed);

    uint64_t ev = 0;
    size_t bytes = 0;
    for (int j = 0; j < 3; j++) {
        ev += model_events_processed(s[j]);
        bytes += model_world_bytes(s[j]);
    }
    ck_assert_uint_eq(model_events_processed(U), ev);
    ck_assert_uint_eq(model_world_bytes(U), bytes);
    ck_assert_uint_eq(model_count_offers(U), 1);
    ck_assert_uint_eq(model_count_partners(U), 2);
    ck_assert_str_eq(model_offer_id(U, 0), "e3");
    ck_assert_str_eq(model_partner_id(U, 1), "p2");
    ck_assert_str_eq(model_partner_region(U, 1), "us");
    ck_assert_str_eq(model_partner_id(U, 2), "");
    ck_assert_uint_eq(model_count_groups(U), 0);
    ck_assert_ptr_eq(model_world_params((model_world *)U), model_world_params(s[0]));
    ck_assert_ptr_null(model_breach_found(U));

    /* a breach (set by hand): the first broken shard's, its subscription global and its
     * record the union's number once translated */
    s[2]->broken = s[1]->broken = 1;
    s[1]->breach.invariant = "test";
    s[1]->breach.subscription = bnew;
    s[1]->breach.after_record = c[1].v[c[1].n - 1].seq;
    s[2]->breach.invariant = "later shard";
    const model_breach *br = model_breach_found(U);
    ck_assert_ptr_nonnull(br);
    ck_assert_str_eq(br->invariant, "test");
    ck_assert_uint_eq(br->subscription, 5);
    ck_assert_uint_eq(br->after_record, last_b);
    ck_assert_uint_ne(last_b, c[1].v[c[1].n - 1].seq); /* B's own number differs: A's came between */
    s[1]->breach.after_record = 1; /* not the last translated: the shard's own number stays */
    ck_assert_uint_eq(model_breach_found(U)->after_record, 1);

    model_union_free(u);
    for (int j = 0; j < 3; j++) {
        model_world_free(s[j]);
        free(c[j].v);
    }
}
END_TEST

/* Records about no tenant nor subscription keep MODEL_NONE; seq counts on from the union's
 * last; union_new refuses no shards. */
START_TEST(test_union_none_and_seq)
{
    capture c = {0};
    model_world *w = shard_world(&c);
    tenant(w, "t", 0);
    ck_assert_ptr_null(model_union_new(&w, NULL, 0));
    model_union *u = model_union_new(&w, NULL, 1);
    ck_assert_ptr_nonnull(u);
    model_record r;
    memset(&r, 0, sizeof r);
    r.seq = 42;
    r.tenant = r.subscription = MODEL_NONE;
    r.partner = 1;
    ck_assert_int_eq(model_union_translate(u, 0, &r), 0);
    ck_assert_uint_eq(r.seq, 1);
    ck_assert_uint_eq(r.tenant, MODEL_NONE);
    ck_assert_uint_eq(r.subscription, MODEL_NONE);
    ck_assert_uint_eq(r.partner, 1);
    r.tenant = 0;
    ck_assert_int_eq(model_union_translate(u, 0, &r), 0);
    ck_assert_uint_eq(r.seq, 2);
    ck_assert_uint_eq(r.tenant, 0);
    ck_assert_uint_eq(model_records_emitted(model_union_world(u)), 2);
    model_union_free(u);
    model_union_free(NULL);
    model_world_free(w);
    free(c.v);
}
END_TEST

static const char *const regions[] = {"us"};

/* A union of one shard answers every accessor exactly as the shard: a hand-written tenant
 * with a subscription, ten generated tenants of group smb with two each, a subscription
 * declared after the union and bought on day 3. */
START_TEST(test_union_one_shard)
{
    capture c = {0};
    model_world *w = shard_world(&c);
    uint32_t hand = tenant(w, "hand", 0);
    sub(w, "h0", hand, 0, 3);
    const uint32_t rels[2] = {0, 1};
    model_pop_group g;
    memset(&g, 0, sizeof g);
    g.name = "smb";
    g.tenants = 10;
    g.region = sim_dist_fixed(0);
    g.regions = regions;
    g.nregions = 1;
    g.rels = rels;
    g.nrels = 2;
    g.has_subs = 1;
    g.subs.count = sim_dist_fixed(2);
    g.subs.channel = sim_dist_fixed(MODEL_CHANNEL_CSP);
    g.subs.offer = sim_dist_fixed(0);
    g.subs.licenses = sim_dist_uniform(1, 40);
    g.subs.term = sim_dist_fixed(1);
    g.subs.billing = sim_dist_fixed(MODEL_BILLING_MONTHLY);
    g.subs.start = sim_dist_uniform(T0 - 20 * DAY, T0 - DAY);
    g.subs.autorenew = sim_dist_bernoulli(0.5);
    g.subs.state = sim_dist_fixed(MODEL_STATE_ACTIVE);
    const model_pop_limits lim = {100, 1000, 1000000};
    ck_assert_int_eq(model_pop_generate(w, &g, 0, 7, 0, &lim), 0);

    model_union *u = model_union_new(&w, NULL, 1);
    ck_assert_ptr_nonnull(u);
    const model_world *U = model_union_world(u);
    uint32_t later = model_declare_subscription(w, "later", 4);
    ck_assert_int_eq(model_start(w), 0);
    buy(w, T0 + 3 * DAY, 4, 0, later, 2);
    finish(w);
    ck_assert_uint_gt(c.n, 20);
    for (size_t k = 0; k < c.n; k++) {
        model_record r = c.v[k];
        ck_assert_int_eq(model_union_translate(u, 0, &r), 0);
        ck_assert_mem_eq(&r, &c.v[k], sizeof r);
    }

    ck_assert_uint_eq(model_count_tenants(U), model_count_tenants(w));
    ck_assert_uint_eq(model_count_tenants(U), 11);
    ck_assert_uint_eq(model_count_subscriptions(U), model_count_subscriptions(w));
    ck_assert_uint_eq(model_count_subscriptions(U), 22);
    ck_assert_uint_eq(model_count_offers(U), model_count_offers(w));
    ck_assert_uint_eq(model_count_partners(U), model_count_partners(w));
    ck_assert_uint_eq(model_count_groups(U), 1);
    ck_assert_str_eq(model_group_name(U, 0), "smb");
    ck_assert_str_eq(model_group_name(U, 1), "");
    for (uint32_t t = 0; t <= 11; t++) {
        char a[MODEL_LABEL_BUF], b[MODEL_LABEL_BUF];
        ck_assert_str_eq(model_tenant_id(U, t), model_tenant_id(w, t));
        if (t == 11)
            break;
        ck_assert_str_eq(model_tenant_label(U, t, a), model_tenant_label(w, t, b));
        ck_assert_uint_eq(model_tenant_group(U, t), model_tenant_group(w, t));
        ck_assert_uint_eq(model_live_subscriptions(U, t), model_live_subscriptions(w, t));
        model_metrics x, y;
        model_metrics_tenant(U, t, &x);
        model_metrics_tenant(w, t, &y);
        ck_assert_mem_eq(&x, &y, sizeof x);
    }
    ck_assert_str_eq(model_tenant_id(U, 5), "smb-5");
    ck_assert_uint_eq(model_tenant_group(U, 5), 0);
    for (uint32_t i = 0; i <= 22; i++) {
        const char *x = model_subscription_id(U, i), *y = model_subscription_id(w, i);
        ck_assert(x == y || (x && y && strcmp(x, y) == 0));
        if (i == 22)
            break;
        char a[MODEL_LABEL_BUF], b[MODEL_LABEL_BUF];
        ck_assert_str_eq(model_subscription_label(U, i, a), model_subscription_label(w, i, b));
        ck_assert_uint_eq(model_subscription_tenant(U, i), model_subscription_tenant(w, i));
        ck_assert_uint_eq(model_subscription_reseller(U, i), model_subscription_reseller(w, i));
        model_sub_view p, q;
        model_subscription_view(U, i, &p);
        model_subscription_view(w, i, &q);
        ck_assert_mem_eq(&p, &q, sizeof p);
    }
    ck_assert_str_eq(model_subscription_id(U, 21), "later");
    for (uint32_t p = 0; p <= 2; p++) {
        uint32_t pi = p == 2 ? MODEL_NONE : p;
        int64_t b1, r1, b2, r2;
        model_metrics_partner(U, pi, &b1, &r1);
        model_metrics_partner(w, pi, &b2, &r2);
        ck_assert_int_eq(b1, b2);
        ck_assert_int_eq(r1, r2);
        if (p == 2)
            break;
        model_partner_figures f1, f2;
        model_partner_figures_get(U, p, &f1);
        model_partner_figures_get(w, p, &f2);
        ck_assert_mem_eq(&f1, &f2, sizeof f1);
        model_reseller_figures x, y;
        model_reseller_figures_get(U, p, &x);
        model_reseller_figures_get(w, p, &y);
        ck_assert_mem_eq(&x, &y, sizeof x);
        ck_assert_str_eq(model_partner_id(U, p), model_partner_id(w, p));
        ck_assert_str_eq(model_partner_region(U, p), model_partner_region(w, p));
        ck_assert_int_eq(model_partner_type_get(U, p), model_partner_type_get(w, p));
    }
    ck_assert_str_eq(model_offer_id(U, 0), model_offer_id(w, 0));
    model_metrics x, y;
    model_metrics_total(U, &x);
    model_metrics_total(w, &y);
    ck_assert_mem_eq(&x, &y, sizeof x);
    ck_assert_int_gt(x.billed, 0);
    ck_assert_uint_eq(model_events_processed(U), model_events_processed(w));
    ck_assert_uint_eq(model_records_emitted(U), model_records_emitted(w));
    ck_assert_uint_eq(model_world_bytes(U), model_world_bytes(w));
    ck_assert_ptr_eq(model_world_params((model_world *)U), model_world_params(w));
    ck_assert_ptr_null(model_breach_found(U));
    ck_assert_ptr_null(model_breach_found(w));
    model_union_free(u);
    model_world_free(w);
    free(c.v);
}
END_TEST

Suite *union_suite(void)
{
    Suite *s = suite_create("union");
    TCase *tc = tcase_create("union");
    tcase_add_test(tc, test_union_three_shards);
    tcase_add_test(tc, test_union_none_and_seq);
    tcase_add_test(tc, test_union_one_shard);
    suite_add_tcase(s, tc);
    return s;
}
