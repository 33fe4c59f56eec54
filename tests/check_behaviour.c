/* tests/check_behaviour.c - behaviours per trigger (expired, subscription_created,
 * renewal_completed, action with outcome and reason), where filters, p = 0 and p = 1, a
 * binomial count within derived bounds, the chain limit, and records built for matching
 * without a sink. Scenarios are loaded from memory and run to their end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/scenario.h"
#include "cli/simulate.h"
#include "model/behaviour.h"
#include "suites.h"

#define MAX_RECS 4096

typedef struct {
    model_kind kind;
    int action;
    model_outcome outcome;
    model_reason reason;
    uint32_t tenant, subscription;
    sim_time time;
    int64_t licenses;
    char detail[MODEL_DETAIL_MAX];
} rec;

typedef struct {
    rec r[MAX_RECS];
    size_t n;
} capture;

static void on_rec(void *ctx, const model_record *r)
{
    capture *c = ctx;
    if (c->n == MAX_RECS)
        return;
    rec *x = &c->r[c->n++];
    x->kind = r->kind;
    x->action = r->action;
    x->outcome = r->outcome;
    x->reason = r->reason;
    x->tenant = r->tenant;
    x->subscription = r->subscription;
    x->time = r->time;
    x->licenses = r->licenses;
    memcpy(x->detail, r->detail, sizeof x->detail);
}

static const char HEAD[] = "version: 1\nname: b\nstart: 2025-01-01\nend: 2025-05-01\nseed: 7\n"
                           "offers: [{id: e3, price: 36.00, terms: [P1M, P1Y]}, {id: bp, price: 22.00, terms: [P1M, P1Y]}]\n"
                           "partners: [{id: contoso, region: europe}, {id: adatum, region: europe}]\n";

/* Loads HEAD + body (ck_assert on a load error, printing it), runs it with a capture (or no
 * sink when c is NULL) and returns the scenario for inspection. */
static cli_scenario *run(const char *body, capture *c)
{
    static char text[16384];
    snprintf(text, sizeof text, "%s%s", HEAD, body);
    cli_diag d;
    memset(&d, 0, sizeof d);
    cli_scenario *s = cli_scenario_load_mem("behaviour", text, strlen(text), 0, 0, &d);
    if (!s)
        fprintf(stderr, "load: %d:%d: %s\n", d.line, d.col, d.message);
    ck_assert_ptr_nonnull(s);
    if (c) {
        c->n = 0;
        model_sink sink = {on_rec, c};
        model_set_sink(s->world, sink);
    }
    ck_assert_int_eq(cli_simulate(s, NULL, NULL, NULL), 0);
    return s;
}

/* Records of kind (and action kind when >= 0) whose detail contains text (NULL: any). */
static size_t count(const capture *c, model_kind kind, int action, model_outcome outcome, const char *text)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n; i++) {
        const rec *r = &c->r[i];
        if (r->kind == kind && (action < 0 || r->action == action) && (outcome == MODEL_OUTCOME_NONE || r->outcome == outcome) &&
            (!text || strstr(r->detail, text)))
            n++;
    }
    return n;
}

static const rec *find(const capture *c, model_kind kind, int action, const char *text)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->r[i].kind == kind && (action < 0 || c->r[i].action == action) && (!text || strstr(c->r[i].detail, text)))
            return &c->r[i];
    return NULL;
}

#define T(y, m, d) ((sim_time)(sim_days_from_civil((y), (m), (d)) * 86400))

static const char ONE_EXPIRY[] =
    "tenants: [{id: fabrikam, region: europe, relationships: [contoso]}]\n"
    "events:\n"
    "  - {at: 2025-01-02, action: purchase, partner: contoso, tenant: fabrikam, id: f1, offer: bp, licenses: 7,\n"
    "     term: P1M, billing: monthly, autorenew: false}\n";

/* expired -> purchase with the same offer, licenses, term and billing, 5 days after the
 * expiry (f1 bought 01-02 P1M: its term ends 02-02 00:00, SUB-4), as fabrikam/r1. */
START_TEST(test_expired_rebuy)
{
    static capture c;
    char body[2048];
    snprintf(body, sizeof body, "%s%s", ONE_EXPIRY,
             "behaviours:\n  - {name: rebuy, on: expired, p: 1, after: 5d,\n"
             "     do: {action: purchase, id: auto, offer: same, licenses: same, term: same, billing: same}}\n");
    cli_scenario *s = run(body, &c);
    ck_assert_uint_eq(count(&c, MODEL_KIND_EXPIRED, -1, MODEL_OUTCOME_NONE, NULL), 1);
    const rec *p = find(&c, MODEL_KIND_ACTION, MODEL_ACT_PURCHASE, "behaviour=rebuy");
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(p->outcome, MODEL_OUTCOME_ACCEPTED);
    ck_assert_int_eq(p->time, T(2025, 2, 7));
    ck_assert_int_eq(p->licenses, 7);
    ck_assert_str_eq(p->detail, "behaviour=rebuy offer=bp licenses=7 term=P1M billing=monthly");
    model_sub_view v;
    model_subscription_view(s->world, p->subscription, &v);
    ck_assert_int_eq(v.state, MODEL_STATE_ACTIVE);
    ck_assert_str_eq(model_offer_id(s->world, v.offer), "bp");
    ck_assert_int_eq(v.term_end, T(2025, 5, 7)); /* P1M from 02-07, autorenew on: renewed 03-07 and 04-07 */
    char buf[MODEL_LABEL_BUF];
    ck_assert_str_eq(model_subscription_label(s->world, p->subscription, buf), "fabrikam/r1");
    ck_assert_uint_eq(model_behaviour_reactions(s->world), 1);
    cli_scenario_free(s);
}
END_TEST

/* subscription_created -> cancel: 24 h after is inside the 168 h window (SUB-2: accepted,
 * refunded); 200 h after is past it: refused cancel_window_closed, traced with behaviour=NAME. */
START_TEST(test_created_cancel_window)
{
    static capture c;
    static const char body[] =
        "tenants: [{id: fabrikam, region: europe, relationships: [contoso]},\n"
        "          {id: northwind, region: europe, relationships: [contoso]}]\n"
        "events:\n"
        "  - {at: 2025-01-02, action: purchase, partner: contoso, tenant: fabrikam, id: f1, offer: e3, licenses: 10,\n"
        "     term: P1Y, billing: annual}\n"
        "  - {at: 2025-01-02, action: purchase, partner: contoso, tenant: northwind, id: n1, offer: e3, licenses: 10,\n"
        "     term: P1Y, billing: annual}\n"
        "behaviours:\n"
        "  - {name: quick, on: subscription_created, where: {tenant: fabrikam}, p: 1, after: 24h, do: {action: cancel}}\n"
        "  - {name: late, on: subscription_created, where: {tenant: northwind}, p: 1, after: 200h, do: {action: cancel}}\n";
    cli_scenario *s = run(body, &c);
    const rec *q = find(&c, MODEL_KIND_ACTION, MODEL_ACT_CANCEL, "behaviour=quick");
    const rec *l = find(&c, MODEL_KIND_ACTION, MODEL_ACT_CANCEL, "behaviour=late");
    ck_assert_ptr_nonnull(q);
    ck_assert_ptr_nonnull(l);
    ck_assert_int_eq(q->outcome, MODEL_OUTCOME_ACCEPTED);
    ck_assert_int_eq(q->time, T(2025, 1, 3));
    ck_assert_int_eq(l->outcome, MODEL_OUTCOME_REJECTED);
    ck_assert_int_eq(l->reason, MODEL_REASON_CANCEL_WINDOW_CLOSED);
    ck_assert_int_eq(l->time, T(2025, 1, 2) + 200 * 3600);
    ck_assert_str_eq(l->detail, "behaviour=late");
    ck_assert_uint_eq(count(&c, MODEL_KIND_REFUND, -1, MODEL_OUTCOME_NONE, NULL), 1);
    model_metrics m;
    model_metrics_tenant(s->world, 1, &m);
    ck_assert_int_eq(m.rejections, 1);
    cli_scenario_free(s);
}
END_TEST

/* renewal_completed -> change_licenses delta 5: a P1M subscription bought 01-02 renews on
 * 02-02, 03-02 and 04-02 before the 05-01 end: 10 + 3 x 5 = 25 licenses. */
START_TEST(test_renewal_grow)
{
    static capture c;
    static const char body[] =
        "tenants: [{id: fabrikam, region: europe, relationships: [contoso]}]\n"
        "events:\n"
        "  - {at: 2025-01-02, action: purchase, partner: contoso, tenant: fabrikam, id: f1, offer: e3, licenses: 10,\n"
        "     term: P1M, billing: monthly}\n"
        "behaviours:\n"
        "  - {name: grow, on: renewal_completed, p: 1, do: {action: change_licenses, delta: 5}}\n";
    cli_scenario *s = run(body, &c);
    ck_assert_uint_eq(count(&c, MODEL_KIND_RENEWAL_COMPLETED, -1, MODEL_OUTCOME_NONE, NULL), 3);
    ck_assert_uint_eq(count(&c, MODEL_KIND_ACTION, MODEL_ACT_CHANGE_LICENSES, MODEL_OUTCOME_ACCEPTED, "behaviour=grow delta=5"), 3);
    model_sub_view v;
    model_subscription_view(s->world, 0, &v);
    ck_assert_int_eq(v.licenses, 25);
    cli_scenario_free(s);
}
END_TEST

/* A drawn delta: each of the 3 renewals adds 1, 5 or 10 (and the record says which); a drawn
 * 0 makes no action at all. */
START_TEST(test_renewal_drawn_delta)
{
    static capture c;
    static const char head[] =
        "tenants: [{id: fabrikam, region: europe, relationships: [contoso]}]\n"
        "events:\n"
        "  - {at: 2025-01-02, action: purchase, partner: contoso, tenant: fabrikam, id: f1, offer: e3, licenses: 10,\n"
        "     term: P1M, billing: monthly}\n"
        "behaviours:\n";
    char body[2048];
    snprintf(body, sizeof body, "%s%s", head,
             "  - {name: grow, on: renewal_completed, p: 1, do: {action: change_licenses, delta: {dist: choice, values: [1, 5, 10]}}}\n");
    cli_scenario *s = run(body, &c);
    int64_t added = 0;
    size_t n = 0;
    for (size_t i = 0; i < c.n; i++)
        if (c.r[i].kind == MODEL_KIND_ACTION && strstr(c.r[i].detail, "behaviour=grow")) {
            int d = atoi(strstr(c.r[i].detail, "delta=") + 6);
            ck_assert(d == 1 || d == 5 || d == 10);
            added += d;
            n++;
        }
    ck_assert_uint_eq(n, 3);
    model_sub_view v;
    model_subscription_view(s->world, 0, &v);
    ck_assert_int_eq(v.licenses, 10 + added);
    cli_scenario_free(s);
    snprintf(body, sizeof body, "%s%s", head,
             "  - {name: grow, on: renewal_completed, p: 1, do: {action: change_licenses, delta: {dist: choice, values: [0]}}}\n");
    s = run(body, &c);
    ck_assert_uint_eq(count(&c, MODEL_KIND_ACTION, MODEL_ACT_CHANGE_LICENSES, MODEL_OUTCOME_NONE, NULL), 0);
    ck_assert_uint_eq(model_behaviour_reactions(s->world), 0);
    cli_scenario_free(s);
}
END_TEST

/* on: action with outcome rejected and a reason: a purchase refused no_relationship (adatum
 * has none with fabrikam) makes adatum ask for one; a behaviour on another reason does not fire. */
START_TEST(test_action_rejected_reason)
{
    static capture c;
    static const char body[] =
        "tenants: [{id: fabrikam, region: europe, relationships: [contoso]}]\n"
        "events:\n"
        "  - {at: 2025-01-02, action: purchase, partner: adatum, tenant: fabrikam, id: f1, offer: e3, licenses: 10,\n"
        "     term: P1Y, billing: annual}\n"
        "behaviours:\n"
        "  - {name: ask, on: action, action: purchase, outcome: rejected, reason: no_relationship, p: 1, after: 1h,\n"
        "     do: {action: request_relationship}}\n"
        "  - {name: other, on: action, outcome: rejected, reason: tenant_limit, p: 1, after: 1h,\n"
        "     do: {action: request_relationship}}\n"
        "  - {name: accepted-only, on: action, action: purchase, outcome: accepted, p: 1, after: 1h,\n"
        "     do: {action: request_relationship}}\n";
    cli_scenario *s = run(body, &c);
    ck_assert_uint_eq(count(&c, MODEL_KIND_ACTION, MODEL_ACT_PURCHASE, MODEL_OUTCOME_REJECTED, NULL), 1);
    const rec *r = find(&c, MODEL_KIND_ACTION, MODEL_ACT_REQUEST_RELATIONSHIP, NULL);
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(r->detail, "behaviour=ask");
    ck_assert_int_eq(r->outcome, MODEL_OUTCOME_ACCEPTED);
    ck_assert_int_eq(r->time, T(2025, 1, 2) + 3600);
    ck_assert_uint_eq(count(&c, MODEL_KIND_ACTION, MODEL_ACT_REQUEST_RELATIONSHIP, MODEL_OUTCOME_NONE, NULL), 1);
    ck_assert_uint_eq(model_behaviour_reactions(s->world), 1);
    cli_scenario_free(s);
}
END_TEST

/* A group of 5 generated tenants and 2 hand-written ones, each with one P1M subscription
 * ending in January without autorenew (the generated ones from 2024-12-02..12-31). */
static const char MIXED[] =
    "tenants:\n"
    "  - {id: fabrikam, region: europe, relationships: [contoso, adatum], subscriptions: [\n"
    "      {id: f1, offer: e3, partner: contoso, licenses: 3, term: P1M, billing: monthly, start: 2024-12-10, autorenew: false}]}\n"
    "  - {id: litware, region: europe, relationships: [adatum], subscriptions: [\n"
    "      {id: l1, offer: bp, partner: adatum, licenses: 4, term: P1M, billing: monthly, start: 2024-12-10, autorenew: false}]}\n"
    "population:\n"
    "  - group: smb\n"
    "    tenants: 5\n"
    "    region: europe\n"
    "    relationships: [contoso]\n"
    "    subscriptions: {count: 1, offer: e3, licenses: 2, term: P1M, billing: monthly,\n"
    "                    start: {dist: uniform, min: 2024-12-02, max: 2024-12-31}, autorenew: false}\n";

static size_t reactions_where(const char *where)
{
    static capture c;
    char body[4096];
    snprintf(body, sizeof body,
             "%sbehaviours:\n  - {name: w, on: expired, where: %s, p: 1, do: {action: set_autorenew, value: true}}\n", MIXED,
             where);
    cli_scenario *s = run(body, &c);
    ck_assert_uint_eq(count(&c, MODEL_KIND_EXPIRED, -1, MODEL_OUTCOME_NONE, NULL), 7);
    size_t n = count(&c, MODEL_KIND_ACTION, MODEL_ACT_SET_AUTORENEW, MODEL_OUTCOME_NONE, "behaviour=w");
    ck_assert_uint_eq(n, model_behaviour_reactions(s->world));
    cli_scenario_free(s);
    return n;
}

START_TEST(test_where_filters)
{
    ck_assert_uint_eq(reactions_where("{}"), 7);
    ck_assert_uint_eq(reactions_where("{group: smb}"), 5);
    ck_assert_uint_eq(reactions_where("{tenant: litware}"), 1);
    ck_assert_uint_eq(reactions_where("{offer: e3}"), 6);
    ck_assert_uint_eq(reactions_where("{partner: adatum}"), 1);
    ck_assert_uint_eq(reactions_where("{channel: csp}"), 7);
    ck_assert_uint_eq(reactions_where("{channel: web-direct}"), 0);
    ck_assert_uint_eq(reactions_where("{group: smb, offer: bp}"), 0);
}
END_TEST

/* p = 0 never fires, p = 1 always does, over 200 expiries. */
static uint64_t reactions_p(const char *p, int with_sink)
{
    static capture c;
    char body[4096];
    snprintf(body, sizeof body,
             "population:\n  - {group: g, tenants: 200, region: europe, relationships: [contoso],\n"
             "     subscriptions: {count: 1, offer: e3, licenses: 2, term: P1M, billing: monthly,\n"
             "                     start: {dist: uniform, min: 2024-12-02, max: 2024-12-31}, autorenew: false}}\n"
             "behaviours:\n  - {name: b, on: expired, p: %s, after: {dist: uniform, min: 0h, max: 48h},\n"
             "     do: {action: set_autorenew, value: true}}\n",
             p);
    cli_scenario *s = run(body, with_sink ? &c : NULL);
    uint64_t n = model_behaviour_reactions(s->world);
    if (with_sink)
        ck_assert_uint_eq(count(&c, MODEL_KIND_ACTION, MODEL_ACT_SET_AUTORENEW, MODEL_OUTCOME_NONE, "behaviour=b"), n);
    cli_scenario_free(s);
    return n;
}

START_TEST(test_p_zero_one)
{
    ck_assert_uint_eq(reactions_p("0", 1), 0);
    ck_assert_uint_eq(reactions_p("1", 1), 200);
    ck_assert_uint_eq(reactions_p("0.0", 0), 0);
    ck_assert_uint_eq(reactions_p("1.0", 0), 200);
}
END_TEST

/* Without a sink the records are still built for matching, and the decisions are the same
 * ones: they are keyed on (seed, tenant, counter), not on what is written. */
START_TEST(test_no_sink_same_decisions)
{
    uint64_t a = reactions_p("0.5", 1), b = reactions_p("0.5", 0);
    ck_assert_uint_eq(a, b);
    ck_assert_uint_gt(a, 0);
    ck_assert_uint_lt(a, 200);
}
END_TEST

/* 10,000 expiries (one P1M subscription per generated tenant, autorenew off, all ending in
 * January), p = 0.3, seed 7: reactions ~ Binomial(10000, 0.3): mean 3,000, sd
 * sqrt(10000 x 0.3 x 0.7) = 45.8; bounds at 4.5 sd: 3000 +- 206 = 2794..3206. Run without a
 * sink (the fast path a sweep takes). */
START_TEST(test_binomial_bounds)
{
    static const char body[] =
        "population:\n  - {group: g, tenants: 10000, region: europe, relationships: [contoso],\n"
        "     subscriptions: {count: 1, offer: e3, licenses: 2, term: P1M, billing: monthly,\n"
        "                     start: {dist: uniform, min: 2024-12-02, max: 2024-12-31}, autorenew: false}}\n"
        "behaviours:\n  - {name: b, on: expired, p: 0.3, do: {action: set_autorenew, value: true}}\n";
    cli_scenario *s = run(body, NULL);
    uint64_t n = model_behaviour_reactions(s->world);
    ck_assert_uint_ge(n, 2794);
    ck_assert_uint_le(n, 3206);
    cli_scenario_free(s);
}
END_TEST

/* A reaction whose action emits its own trigger at once (on: charge, change_licenses
 * +1, which charges the prorated licenses) is cut after MODEL_BEHAV_CHAIN_MAX links: the
 * charge starts the chain, 16 reactions run, the 17th is dropped. The loader
 * refuses this behaviour (p 1, after 0); it is set through the model here. */
START_TEST(test_chain_limit)
{
    static capture c;
    static const char body[] =
        "rules: {update_limit: 100}\n"
        "tenants: [{id: fabrikam, region: europe, relationships: [contoso]}]\n"
        "events:\n"
        "  - {at: 2025-01-02, action: purchase, partner: contoso, tenant: fabrikam, id: f1, offer: e3, licenses: 10,\n"
        "     term: P1Y, billing: monthly}\n";
    char text[8192];
    snprintf(text, sizeof text, "%s%s", HEAD, body);
    cli_diag d;
    memset(&d, 0, sizeof d);
    cli_scenario *s = cli_scenario_load_mem("chain", text, strlen(text), 0, 0, &d);
    if (!s)
        fprintf(stderr, "load: %d:%d: %s\n", d.line, d.col, d.message);
    ck_assert_ptr_nonnull(s);
    model_behaviour b;
    memset(&b, 0, sizeof b);
    b.name = "loop";
    b.on = MODEL_KIND_CHARGE;
    b.action = -1;
    b.group = b.tenant = b.offer = b.partner = MODEL_NONE;
    b.channel = -1;
    b.p = 1.0;
    b.after = sim_dist_fixed(0);
    model_action_init(&b.act, MODEL_ACT_CHANGE_LICENSES);
    b.act.delta = 1;
    b.act.has_delta = 1;
    b.takes = BEHAV_F_SUBSCRIPTION;
    ck_assert_int_eq(model_behaviour_self_triggers(&b), 1);
    ck_assert_int_eq(model_set_behaviours(s->world, &b, 1), 0);
    c.n = 0;
    model_sink sink = {on_rec, &c};
    model_set_sink(s->world, sink);
    ck_assert_int_eq(cli_simulate(s, NULL, NULL, NULL), 0);
    /* the monthly charges of 01-02, 02-02, 03-02 and 04-02 (a timer's record begins a new
     * chain) each start a chain: 4 x 16 reactions run, 4 are dropped */
    ck_assert_uint_eq(model_behaviour_dropped(s->world), 4);
    ck_assert_uint_eq(model_behaviour_reactions(s->world), 4 * MODEL_BEHAV_CHAIN_MAX);
    ck_assert_uint_eq(count(&c, MODEL_KIND_ACTION, MODEL_ACT_CHANGE_LICENSES, MODEL_OUTCOME_ACCEPTED, "behaviour=loop"),
                      4 * MODEL_BEHAV_CHAIN_MAX);
    cli_scenario_free(s);
}
END_TEST

Suite *behaviour_suite(void)
{
    Suite *s = suite_create("behaviour");
    TCase *tc = tcase_create("triggers");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_expired_rebuy);
    tcase_add_test(tc, test_created_cancel_window);
    tcase_add_test(tc, test_renewal_grow);
    tcase_add_test(tc, test_renewal_drawn_delta);
    tcase_add_test(tc, test_action_rejected_reason);
    tcase_add_test(tc, test_where_filters);
    tcase_add_test(tc, test_p_zero_one);
    tcase_add_test(tc, test_no_sink_same_decisions);
    tcase_add_test(tc, test_binomial_bounds);
    tcase_add_test(tc, test_chain_limit);
    suite_add_tcase(s, tc);
    return s;
}
