/* tests/check_fixture.c - the model-world fixture of the rule suites (see model_fixture.h):
 * the world, the capturing sink, the clock, the common actions and the assertions. It gives
 * no suite of its own; the Makefile links it as one of tests/check_*.c. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_fixture.h"
#include "suites.h"

fixture F;

/* ---- the world --------------------------------------------------------------------------- */

static void capture_emit(void *ctx, const model_record *r)
{
    capture *c = ctx;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        model_record *v = realloc(c->v, cap * sizeof *v);
        if (!v)
            ck_abort_msg("out of memory capturing records");
        c->v = v;
        c->cap = cap;
    }
    c->v[c->n++] = *r;
}

void fx_new_world(const fx_world *kind, sim_time start, sim_time end)
{
    memset(&F, 0, sizeof F);
    F.w = model_world_new(start, end, kind->seed, 0);
    ck_assert_ptr_nonnull(F.w);
    F.now = start;
    model_sink sink = {capture_emit, &F.cap};
    model_set_sink(F.w, sink);
    if (kind->invariants)
        model_check_invariants(F.w, 1);
    kind->catalog();
    ck_assert_uint_eq(model_add_partner(F.w, "p1", "us"), P1);
    ck_assert_uint_eq(model_add_partner(F.w, "p2", "us"), P2);
    ck_assert_uint_eq(model_add_partner(F.w, "peu", "eu"), PEU);
    ck_assert_uint_eq(model_add_tenant(F.w, "t1", "us"), T1);
    ck_assert_uint_eq(model_add_tenant(F.w, "t2", "us"), T2);
    ck_assert_uint_eq(model_add_tenant(F.w, "teu", "eu"), TEU);
    for (uint32_t t = 0; t < NTENANTS; t++)
        for (int k = 0; k < NSUB; k++) {
            F.ids[t][k][0] = (char)('a' + t);
            F.ids[t][k][1] = (char)('0' + k / 10);
            F.ids[t][k][2] = (char)('0' + k % 10);
            F.ids[t][k][3] = '\0';
            F.sub[t][k] = model_declare_subscription(F.w, F.ids[t][k], t);
            ck_assert_uint_ne(F.sub[t][k], MODEL_NONE);
        }
    ck_assert_int_eq(model_add_relationship(F.w, T1, P1), 0);
}

void fx_start(void)
{
    ck_assert_int_eq(model_start(F.w), 0);
}

void fx_teardown(void)
{
    model_world_free(F.w);
    free(F.cap.v);
    memset(&F, 0, sizeof F);
}

model_params *P(void)
{
    return model_world_params(F.w);
}

model_offer_spec offer_spec(const char *id, const char *prov, int64_t price, unsigned terms)
{
    return (model_offer_spec){.id = id, .provisioning_id = prov, .price = price, .terms = terms,
                              .segment = MODEL_SEGMENT_ENTERPRISE, .csp_available = 1, .max_ratio = -1.0};
}

void add_offer(model_offer_spec o)
{
    uint32_t want = (uint32_t)model_count_offers(F.w);
    ck_assert_uint_eq(model_add_offer(F.w, &o), want);
}

/* ---- time -------------------------------------------------------------------------------- */

sim_time T(const char *s)
{
    sim_time t = 0;
    ck_assert_msg(sim_parse_instant(s, &t) == 0, "bad instant %s", s);
    return t;
}

sim_duration DUR(const char *s)
{
    sim_duration d = {0, 0};
    ck_assert_msg(sim_parse_duration(s, &d) == 0, "bad duration %s", s);
    return d;
}

const char *fmt_time(sim_time t, char *buf)
{
    return sim_format_instant(t, buf);
}

void run_to(sim_time t)
{
    char a[SIM_TIME_BUF], b[SIM_TIME_BUF];
    ck_assert_msg(t >= F.now, "test goes back in time: %s after %s", fmt_time(t, a), fmt_time(F.now, b));
    F.now = t;
    int rc = model_run_until(F.w, t);
    const model_breach *br = model_breach_found(F.w);
    ck_assert_msg(rc == 0, "model_run_until gave %d (%s: %s)", rc, br ? br->invariant : "-", br ? br->detail : "");
}

/* ---- actions ----------------------------------------------------------------------------- */

model_record act(sim_time t, const model_action *a)
{
    run_to(t);
    size_t mark = F.cap.n;
    model_apply(F.w, t, a);
    for (size_t i = mark; i < F.cap.n; i++)
        if (F.cap.v[i].kind == MODEL_KIND_ACTION)
            return F.cap.v[i];
    ck_abort_msg("no action record for %s", model_action_name((int)a->kind));
    return F.cap.v[0];
}

void set_terms(model_action *a, int32_t licenses, int months, model_billing billing)
{
    a->licenses = licenses;
    a->has_licenses = 1;
    a->term_months = months;
    a->has_term = 1;
    a->billing = billing;
    a->has_billing = 1;
}

model_action purchase(uint32_t tenant, uint32_t partner, uint32_t sub, uint32_t offer)
{
    model_action a;
    model_action_init(&a, MODEL_ACT_PURCHASE);
    a.tenant = tenant;
    a.partner = partner;
    a.new_subscription = sub;
    a.offer = offer;
    return a;
}

model_record buy_aligned(sim_time t, uint32_t tenant, uint32_t partner, uint32_t sub, uint32_t offer,
                         int32_t licenses, int months, model_billing billing, int autorenew, uint32_t align)
{
    model_action a = purchase(tenant, partner, sub, offer);
    set_terms(&a, licenses, months, billing);
    a.autorenew = autorenew;
    a.align = align;
    return act(t, &a);
}

model_record buy(sim_time t, uint32_t tenant, uint32_t partner, uint32_t sub, uint32_t offer, int32_t licenses,
                 int months, model_billing billing, int autorenew)
{
    return buy_aligned(t, tenant, partner, sub, offer, licenses, months, billing, autorenew, MODEL_NONE);
}

model_record buy_trial(sim_time t, uint32_t tenant, uint32_t partner, uint32_t sub, uint32_t offer)
{
    model_action a = purchase(tenant, partner, sub, offer);
    a.trial = 1;
    a.term_months = 1;
    a.billing = MODEL_BILLING_MONTHLY;
    return act(t, &a);
}

model_record on_sub(sim_time t, model_action_kind kind, uint32_t sub)
{
    model_action a;
    model_action_init(&a, kind);
    a.subscription = sub;
    return act(t, &a);
}

model_record set_autorenew(sim_time t, uint32_t sub, int value)
{
    model_action a;
    model_action_init(&a, MODEL_ACT_SET_AUTORENEW);
    a.subscription = sub;
    a.value = value;
    return act(t, &a);
}

model_record rel_action(sim_time t, model_action_kind kind, uint32_t tenant, uint32_t partner)
{
    model_action a;
    model_action_init(&a, kind);
    a.tenant = tenant;
    a.partner = partner;
    return act(t, &a);
}

/* ---- subscriptions that exist at the start ----------------------------------------------- */

model_sub_spec sub_spec(uint32_t offer, uint32_t partner, int32_t licenses, int months, model_billing billing,
                        const char *start, int autorenew)
{
    return (model_sub_spec){.offer = offer, .partner = partner, .channel = MODEL_CHANNEL_CSP, .licenses = licenses,
                            .term_months = months, .billing = billing, .start = T(start), .autorenew = autorenew,
                            .state = MODEL_STATE_ACTIVE};
}

void init_sub_spec(uint32_t sub, const model_sub_spec *sp, int expect)
{
    char buf[SIM_TIME_BUF];
    int got = model_init_subscription(F.w, sub, sp);
    ck_assert_msg(got == expect, "model_init_subscription(%s, start %s, autorenew %d) gave %d, want %d",
                  model_subscription_id(F.w, sub), fmt_time(sp->start, buf), sp->autorenew, got, expect);
}

void init_sub(uint32_t sub, uint32_t offer, uint32_t partner, int32_t licenses, int months, model_billing billing,
              const char *start, int autorenew)
{
    model_sub_spec sp = sub_spec(offer, partner, licenses, months, billing, start, autorenew);
    init_sub_spec(sub, &sp, 0);
}

void init_web_direct(uint32_t sub, uint32_t offer, int32_t licenses, int months, model_billing billing,
                     const char *start, int autorenew)
{
    model_sub_spec sp = sub_spec(offer, MODEL_NONE, licenses, months, billing, start, autorenew);
    sp.channel = MODEL_CHANNEL_WEB_DIRECT;
    init_sub_spec(sub, &sp, 0);
}

/* ---- look-ups ---------------------------------------------------------------------------- */

model_sub_view view(uint32_t sub)
{
    model_sub_view v;
    model_subscription_view(F.w, sub, &v);
    return v;
}

model_metrics tenant_metrics(uint32_t tenant)
{
    model_metrics m;
    model_metrics_tenant(F.w, tenant, &m);
    return m;
}

model_partner_figures figures(uint32_t partner)
{
    model_partner_figures f;
    model_partner_figures_get(F.w, partner, &f);
    return f;
}

size_t count_kind(model_kind kind, uint32_t sub)
{
    size_t n = 0;
    for (size_t i = 0; i < F.cap.n; i++)
        if (F.cap.v[i].kind == kind && (sub == MODEL_NONE || F.cap.v[i].subscription == sub))
            n++;
    return n;
}

model_record nth_kind(model_kind kind, uint32_t sub, size_t nth)
{
    size_t want = nth;
    for (size_t i = 0; i < F.cap.n; i++)
        if (F.cap.v[i].kind == kind && (sub == MODEL_NONE || F.cap.v[i].subscription == sub) && nth-- == 0)
            return F.cap.v[i];
    ck_abort_msg("no %s record #%zu for subscription %s", model_kind_name(kind), want,
                 sub == MODEL_NONE ? "(any)" : model_subscription_id(F.w, sub));
    return F.cap.v[0];
}

model_record after(model_record r)
{
    for (size_t i = 0; i + 1 < F.cap.n; i++)
        if (F.cap.v[i].seq == r.seq)
            return F.cap.v[i + 1];
    ck_abort_msg("no record after seq %llu", (unsigned long long)r.seq);
    return r;
}

/* ---- assertions -------------------------------------------------------------------------- */

#define CHECK(line, cond, ...)                                                                     \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            char m_[512];                                                                          \
            snprintf(m_, sizeof m_, __VA_ARGS__);                                                  \
            ck_abort_msg("line %d: %s", (line), m_);                                               \
        }                                                                                          \
    } while (0)

void accepted_at(int line, model_record r, model_action_kind kind, model_rule rule)
{
    CHECK(line, r.kind == MODEL_KIND_ACTION, "record is %s, want action", model_kind_name(r.kind));
    CHECK(line, r.action == (int)kind, "action %s, want %s", model_action_name(r.action),
          model_action_name((int)kind));
    CHECK(line, r.outcome == MODEL_OUTCOME_ACCEPTED && r.reason == MODEL_REASON_NONE, "%s refused: %s (%s)",
          model_action_name(r.action), model_reason_code(r.reason), model_rule_id(r.rule));
    CHECK(line, r.rule == rule, "%s accepted under %s, want %s", model_action_name(r.action), model_rule_id(r.rule),
          model_rule_id(rule));
}

void refused_at(int line, model_record r, model_action_kind kind, model_reason reason, model_rule rule)
{
    CHECK(line, r.kind == MODEL_KIND_ACTION, "record is %s, want action", model_kind_name(r.kind));
    CHECK(line, r.action == (int)kind, "action %s, want %s", model_action_name(r.action),
          model_action_name((int)kind));
    CHECK(line, r.outcome == MODEL_OUTCOME_REJECTED, "%s accepted (%s), want refusal %s", model_action_name(r.action),
          model_rule_id(r.rule), model_reason_code(reason));
    CHECK(line, r.reason == reason, "%s refused %s (%s), want %s", model_action_name(r.action),
          model_reason_code(r.reason), model_rule_id(r.rule), model_reason_code(reason));
    CHECK(line, rule == ANY_RULE || r.rule == rule, "%s refused under %s, want %s", model_action_name(r.action),
          model_rule_id(r.rule), model_rule_id(rule));
    CHECK(line, r.from_state == -1 && r.to_state == -1, "a refusal changes no state (%s -> %s)",
          model_state_name(r.from_state), model_state_name(r.to_state));
    CHECK(line, !r.has_amount, "a refusal has no amount");
}

void states_at(int line, model_record r, int from, int to)
{
    CHECK(line, r.from_state == from && r.to_state == to, "%s: %s -> %s, want %s -> %s", model_kind_name(r.kind),
          model_state_name(r.from_state), model_state_name(r.to_state), model_state_name(from),
          model_state_name(to));
}

void expect_state_at(int line, uint32_t sub, model_state want)
{
    model_sub_view v = view(sub);
    CHECK(line, v.state == want, "subscription %s is %s, want %s", model_subscription_id(F.w, sub),
          model_state_name(v.state), model_state_name(want));
}

void expect_time_at(int line, sim_time got, const char *want)
{
    char a[SIM_TIME_BUF], b[SIM_TIME_BUF];
    CHECK(line, got == T(want), "time %s, want %s", fmt_time(got, a), fmt_time(T(want), b));
}

void expect_amount_at(int line, model_record r, model_kind kind, int64_t amount)
{
    CHECK(line, r.kind == kind, "record is %s, want %s", model_kind_name(r.kind), model_kind_name(kind));
    CHECK(line, r.has_amount && r.amount == amount, "%s amount %lld (has_amount %d), want %lld",
          model_kind_name(r.kind), (long long)r.amount, r.has_amount, (long long)amount);
}

void expect_licenses_at(int line, model_record r, model_kind kind, int64_t licenses)
{
    CHECK(line, r.kind == kind, "record is %s, want %s", model_kind_name(r.kind), model_kind_name(kind));
    CHECK(line, r.has_licenses && r.licenses == licenses, "%s licenses %lld (has_licenses %d), want %lld",
          model_kind_name(r.kind), (long long)r.licenses, r.has_licenses, (long long)licenses);
}

void expect_detail_at(int line, model_record r, const char *part)
{
    CHECK(line, strstr(r.detail, part) != NULL, "%s detail \"%s\" lacks \"%s\"", model_kind_name(r.kind), r.detail,
          part);
}

void expect_record_at(int line, model_record r, model_kind kind, model_rule rule, uint32_t sub)
{
    CHECK(line, r.kind == kind, "record is %s, want %s", model_kind_name(r.kind), model_kind_name(kind));
    CHECK(line, rule == ANY_RULE || r.rule == rule, "%s under %s, want %s", model_kind_name(r.kind),
          model_rule_id(r.rule), model_rule_id(rule));
    CHECK(line, sub == MODEL_NONE || r.subscription == sub, "%s for subscription %s, want %s",
          model_kind_name(r.kind), r.subscription == MODEL_NONE ? "(none)" : model_subscription_id(F.w, r.subscription),
          model_subscription_id(F.w, sub));
}

void expect_money_at(int line, model_record r, model_kind kind, int64_t amount, model_rule rule, uint32_t sub,
                     const char *detail)
{
    expect_record_at(line, r, kind, rule, sub);
    expect_amount_at(line, r, kind, amount);
    CHECK(line, !detail || strcmp(r.detail, detail) == 0, "%s detail \"%s\", want \"%s\"", model_kind_name(r.kind),
          r.detail, detail ? detail : "");
}

void expect_system_at_at(int line, sim_time t, const model_kind *kinds, size_t n)
{
    char buf[SIM_TIME_BUF];
    size_t j = 0;
    for (size_t i = 0; i < F.cap.n; i++) {
        const model_record *r = &F.cap.v[i];
        if (r->time != t || r->kind == MODEL_KIND_ACTION)
            continue;
        CHECK(line, j < n, "extra %s record at %s", model_kind_name(r->kind), fmt_time(t, buf));
        CHECK(line, r->kind == kinds[j], "record %zu at %s is %s, want %s", j, fmt_time(t, buf),
              model_kind_name(r->kind), model_kind_name(kinds[j]));
        j++;
    }
    CHECK(line, j == n, "%zu system records at %s, want %zu", j, fmt_time(t, buf), n);
}

void expect_nothing_at(sim_time t)
{
    char buf[SIM_TIME_BUF];
    for (size_t i = 0; i < F.cap.n; i++)
        ck_assert_msg(F.cap.v[i].time != t || F.cap.v[i].kind == MODEL_KIND_ACTION, "unexpected %s at %s",
                      model_kind_name(F.cap.v[i].kind), fmt_time(t, buf));
}
