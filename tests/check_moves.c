/* tests/check_moves.c - the rules that change or move subscriptions, through the model's
 * public API: license changes and their reduce windows (SUB-6), the update limit (SUB-7),
 * trial conversions (SUB-8), upgrades (SUB-9), scheduled changes (SUB-10), coterminous
 * end dates (SUB-11), EA renewal claims (EA-1..EA-5, LIM-1 at processing), partner to
 * partner transfers (XFER-1) and double billing (MIG-1). Each test builds a small world
 * (tests/model_fixture.h), captures every record and asserts kinds, rules, reasons, states,
 * licenses, amounts and instants, with the boundaries computed by hand from RULES.md and the
 * model's readings (money: amount = licenses x price x period_months x days_left /
 * period_days, rounded down; a started day counts as used). */
#include <stdint.h>
#include <stdio.h>

#include "model/model.h"
#include "model_fixture.h"
#include "suites.h"

/* ---- the catalog: upgrade paths ---------------------------------------------------------- */

/* e3 -> e5, e5y (upgrades_to); e5y offers P1Y only; visio P1Y only; eos is reachable only
 * through EA claims (end of sale); gone is neither in the catalog nor end of sale; smb is
 * seat-capped (LIM-2). */
enum { O_E3, O_E5, O_E5Y, O_VISIO, O_EOS, O_GONE, O_SMB, NOFFERS };

static const uint32_t e3_upgrades[] = {O_E5, O_E5Y};

static void catalog(void)
{
    model_offer_spec o = offer_spec("e3", "prov-e3", 1000, ALL_TERMS);
    o.upgrades_to = e3_upgrades;
    o.nupgrades = 2;
    add_offer(o);
    add_offer(offer_spec("e5", "prov-e5", 2000, ALL_TERMS));
    add_offer(offer_spec("e5y", "prov-e5y", 2500, MODEL_TERM_P1Y));
    add_offer(offer_spec("visio", NULL, 500, MODEL_TERM_P1Y));
    o = offer_spec("eos", NULL, 700, ALL_TERMS);
    o.csp_available = 0;
    o.end_of_sale = 1;
    add_offer(o);
    o = offer_spec("gone", NULL, 800, ALL_TERMS);
    o.csp_available = 0;
    add_offer(o);
    o = offer_spec("smb", NULL, 100, ALL_TERMS);
    o.segment = MODEL_SEGMENT_SMB;
    add_offer(o);
}

/* The fixture's world over [start, end] with this catalog, seed 7 and the invariants on. */
static void fx_new(sim_time start, sim_time end)
{
    static const fx_world kind = {catalog, 7, 1};
    fx_new_world(&kind, start, end);
}

/* The usual world: 2025-01-01 to 2027-01-01. */
static void fx_std(void)
{
    fx_new(T("2025-01-01"), T("2027-01-01"));
}

/* The EA world: from 2024-12-01, so that a claim six months before an agreement ending
 * 2025-06-30 (E = 2025-07-01) lies inside it. */
static void fx_ea(void)
{
    fx_new(T("2024-12-01"), T("2026-01-01"));
}

/* ---- the actions of this suite ----------------------------------------------------------- */

/* change_licenses with a new total */
static model_record change_to(sim_time t, uint32_t sub, int32_t licenses)
{
    model_action a;
    model_action_init(&a, MODEL_ACT_CHANGE_LICENSES);
    a.subscription = sub;
    a.licenses = licenses;
    a.has_licenses = 1;
    return act(t, &a);
}

/* change_licenses with a delta */
static model_record change_by(sim_time t, uint32_t sub, int32_t delta)
{
    model_action a;
    model_action_init(&a, MODEL_ACT_CHANGE_LICENSES);
    a.subscription = sub;
    a.delta = delta;
    a.has_delta = 1;
    return act(t, &a);
}

/* Sets the fields given: licenses and months unless 0, billing unless -1. */
static void set_given(model_action *a, int32_t licenses, int months, int billing)
{
    if (licenses) {
        a->licenses = licenses;
        a->has_licenses = 1;
    }
    if (months) {
        a->term_months = months;
        a->has_term = 1;
    }
    if (billing >= 0) {
        a->billing = (model_billing)billing;
        a->has_billing = 1;
    }
}

/* upgrade: months 0 keeps the source's term; target and id MODEL_NONE when not given */
static model_record upgrade(sim_time t, uint32_t sub, uint32_t to, int32_t licenses, int months, uint32_t target,
                            uint32_t id)
{
    model_action a;
    model_action_init(&a, MODEL_ACT_UPGRADE);
    a.subscription = sub;
    a.offer = to;
    set_given(&a, licenses, months, -1);
    a.target = target;
    a.new_subscription = id;
    return act(t, &a);
}

/* schedule_change: offer/align MODEL_NONE, licenses/months 0 and billing -1 when not given */
static model_record schedule(sim_time t, uint32_t sub, uint32_t offer, int32_t licenses, int months, int billing,
                             uint32_t align)
{
    model_action a;
    model_action_init(&a, MODEL_ACT_SCHEDULE_CHANGE);
    a.subscription = sub;
    a.offer = offer;
    set_given(&a, licenses, months, billing);
    a.align = align;
    return act(t, &a);
}

static model_record convert(sim_time t, uint32_t sub, int32_t licenses, int months, model_billing billing,
                            uint32_t target)
{
    model_action a;
    model_action_init(&a, MODEL_ACT_CONVERT_TRIAL);
    a.subscription = sub;
    set_terms(&a, licenses, months, billing);
    a.target = target;
    return act(t, &a);
}

static model_record claim_aligned(sim_time t, uint32_t partner, uint32_t ea, uint32_t id, int32_t licenses,
                                  int months, model_billing billing, uint32_t align)
{
    model_action a;
    model_action_init(&a, MODEL_ACT_CLAIM_EA_RENEWAL);
    a.partner = partner;
    a.subscription = ea;
    a.new_subscription = id;
    set_terms(&a, licenses, months, billing);
    a.align = align;
    return act(t, &a);
}

/* A P1Y monthly claim. */
static model_record claim(sim_time t, uint32_t partner, uint32_t ea, uint32_t id, int32_t licenses)
{
    return claim_aligned(t, partner, ea, id, licenses, 12, MODEL_BILLING_MONTHLY, MODEL_NONE);
}

static model_record cancel_claim(sim_time t, uint32_t partner, uint32_t ea)
{
    model_action a;
    model_action_init(&a, MODEL_ACT_CANCEL_EA_CLAIM);
    a.partner = partner;
    a.subscription = ea;
    return act(t, &a);
}

static model_record renew_agreement(sim_time t, uint32_t agreement, sim_time end)
{
    model_action a;
    model_action_init(&a, MODEL_ACT_RENEW_EA_AGREEMENT);
    a.agreement = agreement;
    a.end = end;
    return act(t, &a);
}

/* request_transfer, accept_transfer (subs NULL: all), reject_transfer */
static model_record xfer(sim_time t, model_action_kind kind, uint32_t transfer, const uint32_t *subs, size_t n)
{
    model_action a;
    model_action_init(&a, kind);
    a.transfer = transfer;
    a.subs = subs;
    a.nsubs = n;
    return act(t, &a);
}

/* A subscription under an EA agreement, before fx_start (EA-6: active until the agreement ends). */
static void init_ea(uint32_t sub, uint32_t agreement, uint32_t offer, int32_t licenses)
{
    ck_assert_int_eq(model_init_ea_subscription(F.w, sub, agreement, offer, licenses), 0);
}

/* sub as an EA subscription of 50 e3 licenses under agreement ea-1 of t1, which runs through
 * 2025: a subscription CSP actions find not active. */
static uint32_t ea_through_2025(uint32_t sub)
{
    init_ea(sub, model_add_agreement(F.w, "ea-1", T1, T("2025-12-31"), 0, 0), O_E3, 50);
    return sub;
}

/* ---- SUB-6: license changes -------------------------------------------------------------- */

/* An increase is a new tranche charged at once, prorated to the end of the running period.
 * e3 at 10.00, P1Y monthly from 2025-01-10: period 01-10..02-09, 31 days. */
START_TEST(test_sub6_increase_prorated)
{
    fx_std();
    fx_start();
    uint32_t s = F.sub[T1][0], y = F.sub[T1][1];
    buy(T("2025-01-10"), T1, P1, s, O_E3, 10, 12, MODEL_BILLING_MONTHLY, 1);
    /* 01-20 12:00: 10.5 days = 11 started, 20 left: 5 x 1000 x 20 / 31 = 3225.8 -> 3225 */
    model_record r = change_by(T("2025-01-20T12:00Z"), s, 5);
    ACCEPTED(r, MODEL_ACT_CHANGE_LICENSES, MODEL_RULE_SUB_6);
    STATES(r, -1, -1);
    EXPECT_LICENSES(r, MODEL_KIND_ACTION, 15);
    model_record c = after(r);
    EXPECT_CHARGE(c, 3225, MODEL_RULE_SUB_6, s, "prorated_days=20/31");
    EXPECT_LICENSES(c, MODEL_KIND_CHARGE, 5);
    ck_assert_uint_eq(c.partner, P1);
    ck_assert_int_eq(view(s).licenses, 15);
    /* the new-total form: 15 -> 20 on 01-25 00:00, 15 days used, 16 left: 5000 x 16 / 31 = 2580.6 */
    r = change_to(T("2025-01-25"), s, 20);
    ACCEPTED(r, MODEL_ACT_CHANGE_LICENSES, MODEL_RULE_SUB_6);
    EXPECT_CHARGE(after(r), 2580, ANY_RULE, MODEL_NONE, "prorated_days=16/31");
    ck_assert_int_eq(view(s).licenses, 20);
    /* the next period is charged for the new count */
    run_to(T("2025-02-10"));
    model_record next = nth_kind(MODEL_KIND_CHARGE, s, 3);
    EXPECT_TIME(next.time, "2025-02-10");
    EXPECT_AMOUNT(next, MODEL_KIND_CHARGE, 20 * 1000);
    /* annual: 12 x 1000 x 10 = 120000 for 365 days; +2 three hours in: 364 left,
     * 2 x 1000 x 12 x 364 / 365 = 23934.2 */
    buy(T("2025-03-01"), T1, P1, y, O_E3, 10, 12, MODEL_BILLING_ANNUAL, 1);
    r = change_to(T("2025-03-01T03:00Z"), y, 12);
    ACCEPTED(r, MODEL_ACT_CHANGE_LICENSES, MODEL_RULE_SUB_6);
    EXPECT_CHARGE(after(r), 23934, ANY_RULE, MODEL_NONE, "prorated_days=364/365");
    model_metrics m = tenant_metrics(T1);
    ck_assert_int_eq(m.billed, 10000 + 3225 + 2580 + 20000 + 120000 + 23934);
    ck_assert_int_eq(m.refunded, 0);
}
END_TEST

/* A decrease inside the reduce window of the purchase refunds the unused days; the window
 * runs from the purchase instant (15:00), not from the start of the day: at exactly +168h
 * it is closed. */
START_TEST(test_sub6_decrease_window_boundary)
{
    fx_std();
    fx_start();
    uint32_t s = F.sub[T1][0];
    sim_time t0 = T("2025-01-10T15:00Z"), end = t0 + 168 * H;
    buy(t0, T1, P1, s, O_E3, 10, 12, MODEL_BILLING_MONTHLY, 1);
    /* 7d 23h59m59s after 00:00 = 8 started days, 23 left: 3 x 1000 x 23 / 31 = 2225.8 */
    model_record r = change_by(end - 1, s, -3);
    ACCEPTED(r, MODEL_ACT_CHANGE_LICENSES, MODEL_RULE_SUB_6);
    EXPECT_LICENSES(r, MODEL_KIND_ACTION, 7);
    model_record f = after(r);
    EXPECT_REFUND(f, 2225, MODEL_RULE_SUB_6, s, "unused_days=23/31");
    EXPECT_LICENSES(f, MODEL_KIND_REFUND, 3);
    ck_assert_int_eq(view(s).licenses, 7);
    size_t n = F.cap.n;
    REFUSED(change_by(end, s, -1), MODEL_ACT_CHANGE_LICENSES, MODEL_REASON_REDUCE_WINDOW_CLOSED, MODEL_RULE_SUB_6);
    REFUSED(change_to(end, s, 6), MODEL_ACT_CHANGE_LICENSES, MODEL_REASON_REDUCE_WINDOW_CLOSED, MODEL_RULE_SUB_6);
    ck_assert_uint_eq(count_kind(MODEL_KIND_REFUND, MODEL_NONE), 1);
    ck_assert_int_eq(view(s).licenses, 7);
    /* only the cancel window's record and the two refusals were written at `end` */
    ck_assert_uint_eq(F.cap.n, n + 3);
    model_metrics m = tenant_metrics(T1);
    ck_assert_int_eq(m.refunded, 2225);
    ck_assert_int_eq(m.rejections, 2);
    /* an increase is allowed any time */
    ACCEPTED(change_by(end, s, 1), MODEL_ACT_CHANGE_LICENSES, MODEL_RULE_SUB_6);
}
END_TEST

/* The opening tranche of a renewed term: its window runs from the renewal completion. */
START_TEST(test_sub6_renewal_tranche)
{
    fx_std();
    P()->renewal_processing = sim_dist_fixed(6 * H);
    fx_start();
    uint32_t s = F.sub[T1][0];
    buy(T("2025-01-10"), T1, P1, s, O_E3, 10, 1, MODEL_BILLING_MONTHLY, 1);
    REFUSED(change_by(T("2025-02-10T03:00Z"), s, -1), MODEL_ACT_CHANGE_LICENSES, MODEL_REASON_RENEWAL_IN_PROGRESS,
            MODEL_RULE_SUB_3);
    REFUSED(change_by(T("2025-02-10T03:00Z"), s, 1), MODEL_ACT_CHANGE_LICENSES, MODEL_REASON_RENEWAL_IN_PROGRESS,
            MODEL_RULE_SUB_3);
    /* completed 02-10 06:00: the new period 02-10..03-09 has 28 days; 7d 5h59m59s = 8
     * started, 20 left: 2 x 1000 x 20 / 28 = 1428.6 */
    sim_time done = T("2025-02-10T06:00Z");
    model_record r = change_by(done + 168 * H - 1, s, -2);
    ACCEPTED(r, MODEL_ACT_CHANGE_LICENSES, MODEL_RULE_SUB_6);
    EXPECT_REFUND(after(r), 1428, ANY_RULE, MODEL_NONE, "unused_days=20/28");
    REFUSED(change_by(done + 168 * H, s, -1), MODEL_ACT_CHANGE_LICENSES, MODEL_REASON_REDUCE_WINDOW_CLOSED,
            MODEL_RULE_SUB_6);
    ck_assert_int_eq(view(s).licenses, 8);
}
END_TEST

/* Each increase opens its own window; a decrease takes the newest tranche first and is
 * refused whole when it exceeds the licenses still in open windows. */
START_TEST(test_sub6_tranches_newest_first)
{
    fx_std();
    fx_start();
    uint32_t s = F.sub[T1][0];
    buy(T("2025-01-10"), T1, P1, s, O_E3, 10, 12, MODEL_BILLING_MONTHLY, 1); /* window to 01-17 */
    change_by(T("2025-01-12"), s, 5);                                         /* A: to 01-19 */
    change_by(T("2025-01-15"), s, 3);                                         /* B: to 01-22 */
    ck_assert_int_eq(view(s).licenses, 18);
    /* 01-18 12:00: the opening tranche is closed, A (5) and B (3) are open */
    sim_time t = T("2025-01-18T12:00Z");
    REFUSED(change_by(t, s, -9), MODEL_ACT_CHANGE_LICENSES, MODEL_REASON_REDUCE_WINDOW_CLOSED, MODEL_RULE_SUB_6);
    ck_assert_int_eq(view(s).licenses, 18);
    /* 4: B's 3, then 1 of A; 9 started days, 22 left: 4 x 1000 x 22 / 31 = 2838.7 */
    model_record r = change_by(t, s, -4);
    ACCEPTED(r, MODEL_ACT_CHANGE_LICENSES, MODEL_RULE_SUB_6);
    EXPECT_AMOUNT(after(r), MODEL_KIND_REFUND, 2838);
    EXPECT_LICENSES(after(r), MODEL_KIND_REFUND, 4);
    ck_assert_int_eq(view(s).licenses, 14);
    REFUSED(change_by(t, s, -5), MODEL_ACT_CHANGE_LICENSES, MODEL_REASON_REDUCE_WINDOW_CLOSED, MODEL_RULE_SUB_6);
    /* 01-19: A is closed and B, still open, is empty (oldest first would have left 3 in B) */
    REFUSED(change_by(T("2025-01-19"), s, -1), MODEL_ACT_CHANGE_LICENSES, MODEL_REASON_REDUCE_WINDOW_CLOSED,
            MODEL_RULE_SUB_6);
    /* a new tranche C can be taken back whole, not one more */
    ACCEPTED(change_by(T("2025-01-21"), s, 2), MODEL_ACT_CHANGE_LICENSES, MODEL_RULE_SUB_6);
    REFUSED(change_by(T("2025-01-21"), s, -3), MODEL_ACT_CHANGE_LICENSES, MODEL_REASON_REDUCE_WINDOW_CLOSED,
            MODEL_RULE_SUB_6);
    ACCEPTED(change_to(T("2025-01-21"), s, 14), MODEL_ACT_CHANGE_LICENSES, MODEL_RULE_SUB_6);
    REFUSED(change_by(T("2025-01-21"), s, -1), MODEL_ACT_CHANGE_LICENSES, MODEL_REASON_REDUCE_WINDOW_CLOSED,
            MODEL_RULE_SUB_6);
    ck_assert_int_eq(view(s).licenses, 14);
    ck_assert_uint_eq(count_kind(MODEL_KIND_REFUND, s), 2);
}
END_TEST

/* Licenses add in 64 bits and stop at MODEL_MAX_LICENSES (issue 15: 1e9 + 1e9 + 1e9 in
 * int32 tripped UBSan and was refused reduce_window_closed at -O2). 1 + 999,999,999 =
 * 1e9 is accepted and charged for the period 01-10..02-09 (31 days), 1 used on 01-10, 30
 * left: 999,999,999 x 10.00 x 30 / 31 = 9,677,419,345.16 (967741934516.1 minor units, rounded
 * down); one more, another 1e9 or a total of 1e9 + 1 is refused seat_cap (LIM-2, reading
 * 28), and so is an upgrade that would move 1e9 licenses into a target holding 1e9. */
START_TEST(test_sub6_license_total_bound)
{
    fx_std();
    fx_start();
    uint32_t s = F.sub[T1][0], src = F.sub[T1][1], tgt = F.sub[T1][2];
    buy(T("2025-01-10"), T1, P1, s, O_E3, 1, 1, MODEL_BILLING_MONTHLY, 1);
    model_record r = change_by(T("2025-01-10T06:00Z"), s, MODEL_MAX_LICENSES - 1);
    ACCEPTED(r, MODEL_ACT_CHANGE_LICENSES, MODEL_RULE_SUB_6);
    ck_assert_int_eq(view(s).licenses, 1000000000);
    EXPECT_CHARGE(after(r), 967741934516, MODEL_RULE_SUB_6, s, "prorated_days=30/31");
    REFUSED(change_by(T("2025-01-11"), s, 1), MODEL_ACT_CHANGE_LICENSES, MODEL_REASON_SEAT_CAP, MODEL_RULE_LIM_2);
    REFUSED(change_by(T("2025-01-11"), s, 1000000000), MODEL_ACT_CHANGE_LICENSES, MODEL_REASON_SEAT_CAP,
            MODEL_RULE_LIM_2);
    REFUSED(change_to(T("2025-01-11"), s, MODEL_MAX_LICENSES + 1), MODEL_ACT_CHANGE_LICENSES, MODEL_REASON_SEAT_CAP,
            MODEL_RULE_LIM_2);
    ck_assert_int_eq(view(s).licenses, 1000000000);
    /* a decrease from the bound still works inside the window */
    ACCEPTED(change_by(T("2025-01-11"), s, -5), MODEL_ACT_CHANGE_LICENSES, MODEL_RULE_SUB_6);
    buy(T("2025-01-12"), T1, P1, src, O_E3, 1000000000, 1, MODEL_BILLING_MONTHLY, 1);
    buy(T("2025-01-12"), T1, P1, tgt, O_E5, 1000000000, 1, MODEL_BILLING_MONTHLY, 1);
    REFUSED(upgrade(T("2025-01-20"), src, O_E5, 1000000000, 0, tgt, MODEL_NONE), MODEL_ACT_UPGRADE,
            MODEL_REASON_SEAT_CAP, MODEL_RULE_LIM_2);
    ck_assert_int_eq(view(tgt).licenses, 1000000000);
}
END_TEST

/* A decrease to 0 licenses is refused whole, even inside the window. */
START_TEST(test_sub6_decrease_to_zero)
{
    fx_std();
    fx_start();
    uint32_t s = F.sub[T1][0];
    sim_time t0 = T("2025-01-10");
    buy(t0, T1, P1, s, O_E3, 3, 12, MODEL_BILLING_MONTHLY, 1);
    REFUSED(change_by(t0 + H, s, -3), MODEL_ACT_CHANGE_LICENSES, MODEL_REASON_REDUCE_WINDOW_CLOSED, MODEL_RULE_SUB_6);
    REFUSED(change_to(t0 + H, s, 0), MODEL_ACT_CHANGE_LICENSES, MODEL_REASON_REDUCE_WINDOW_CLOSED, MODEL_RULE_SUB_6);
    ck_assert_int_eq(view(s).licenses, 3);
    ck_assert_uint_eq(count_kind(MODEL_KIND_REFUND, MODEL_NONE), 0);
    ACCEPTED(change_by(t0 + H, s, -2), MODEL_ACT_CHANGE_LICENSES, MODEL_RULE_SUB_6);
    ck_assert_int_eq(view(s).licenses, 1);
    REFUSED(change_by(t0 + 2 * H, s, -1), MODEL_ACT_CHANGE_LICENSES, MODEL_REASON_REDUCE_WINDOW_CLOSED,
            MODEL_RULE_SUB_6);
    EXPECT_STATE(s, MODEL_STATE_ACTIVE);
}
END_TEST

/* The refusals of change_licenses in their order (brief: unknown_entity, renewal, suspended,
 * trial_restricted, not_active (EA: EA-6), reduce window, update_limit, seat_cap). */
START_TEST(test_sub6_refusals)
{
    fx_std();
    uint32_t ea = ea_through_2025(F.sub[T1][9]);
    fx_start();
    uint32_t *s = F.sub[T1];
    sim_time t = T("2025-01-10");
    REFUSED(change_by(t, s[0], 1), MODEL_ACT_CHANGE_LICENSES, MODEL_REASON_UNKNOWN_ENTITY, ANY_RULE);
    buy(t, T1, P1, s[1], O_E3, 5, 12, MODEL_BILLING_MONTHLY, 1);
    on_sub(t, MODEL_ACT_SUSPEND, s[1]);
    buy_trial(t, T1, P1, s[2], O_E5);
    buy(t, T1, P1, s[3], O_E3, 5, 1, MODEL_BILLING_MONTHLY, 0); /* expires 02-10 */
    REFUSED(change_by(t + H, s[1], 1), MODEL_ACT_CHANGE_LICENSES, MODEL_REASON_SUSPENDED, MODEL_RULE_SUB_5);
    REFUSED(change_by(t + H, s[1], -1), MODEL_ACT_CHANGE_LICENSES, MODEL_REASON_SUSPENDED, MODEL_RULE_SUB_5);
    REFUSED(change_by(t + H, s[2], 1), MODEL_ACT_CHANGE_LICENSES, MODEL_REASON_TRIAL_RESTRICTED, MODEL_RULE_SUB_8);
    REFUSED(change_by(t + H, ea, 1), MODEL_ACT_CHANGE_LICENSES, MODEL_REASON_NOT_ACTIVE, MODEL_RULE_EA_6);
    REFUSED(change_by(T("2025-02-11"), s[3], 1), MODEL_ACT_CHANGE_LICENSES, MODEL_REASON_NOT_ACTIVE,
            MODEL_RULE_SUB_6);
    /* LIM-2 on increases: 290 + 10 = 300 fits, one more does not */
    buy(T("2025-02-11"), T1, P1, s[4], O_SMB, 290, 12, MODEL_BILLING_MONTHLY, 1);
    REFUSED(change_by(T("2025-02-12"), s[4], 11), MODEL_ACT_CHANGE_LICENSES, MODEL_REASON_SEAT_CAP, MODEL_RULE_LIM_2);
    ACCEPTED(change_by(T("2025-02-12"), s[4], 10), MODEL_ACT_CHANGE_LICENSES, MODEL_RULE_SUB_6);
    ck_assert_int_eq(view(s[4]).licenses, 300);
    ck_assert_int_eq(view(s[1]).licenses, 5);
    ck_assert_int_eq(view(s[2]).licenses, 25);
    ck_assert_int_eq(view(ea).licenses, 50);
}
END_TEST

/* ---- SUB-7: update limit ---------------------------------------------------------------- */

START_TEST(test_sub7_update_limit)
{
    fx_std();
    P()->update_limit = 2;
    fx_start();
    uint32_t a = F.sub[T1][0], b = F.sub[T1][1];
    buy(T("2025-01-10"), T1, P1, a, O_E3, 10, 12, MODEL_BILLING_MONTHLY, 1);
    buy(T("2025-01-10"), T1, P1, b, O_E3, 10, 12, MODEL_BILLING_MONTHLY, 1);
    ACCEPTED(change_by(T("2025-01-11"), a, 1), MODEL_ACT_CHANGE_LICENSES, MODEL_RULE_SUB_6); /* 1 */
    ACCEPTED(set_autorenew(T("2025-01-12"), a, 0), MODEL_ACT_SET_AUTORENEW, MODEL_RULE_SUB_3); /* 2 */
    sim_time t = T("2025-01-13");
    size_t charges = count_kind(MODEL_KIND_CHARGE, a);
    REFUSED(change_by(t, a, 1), MODEL_ACT_CHANGE_LICENSES, MODEL_REASON_UPDATE_LIMIT, MODEL_RULE_SUB_7);
    REFUSED(set_autorenew(t, a, 1), MODEL_ACT_SET_AUTORENEW, MODEL_REASON_UPDATE_LIMIT, MODEL_RULE_SUB_7);
    REFUSED(on_sub(t, MODEL_ACT_SUSPEND, a), MODEL_ACT_SUSPEND, MODEL_REASON_UPDATE_LIMIT, MODEL_RULE_SUB_7);
    REFUSED(upgrade(t, a, O_E5, 11, 0, MODEL_NONE, MODEL_NONE), MODEL_ACT_UPGRADE, MODEL_REASON_UPDATE_LIMIT,
            MODEL_RULE_SUB_7);
    /* a decrease the window allows is refused by the limit; one it does not allow (to 0), by the window */
    REFUSED(change_by(t, a, -1), MODEL_ACT_CHANGE_LICENSES, MODEL_REASON_UPDATE_LIMIT, MODEL_RULE_SUB_7);
    REFUSED(change_to(t, a, 0), MODEL_ACT_CHANGE_LICENSES, MODEL_REASON_REDUCE_WINDOW_CLOSED, MODEL_RULE_SUB_6);
    ck_assert_int_eq(view(a).licenses, 11);
    ck_assert_int_eq(view(a).autorenew, 0);
    ck_assert_uint_eq(count_kind(MODEL_KIND_CHARGE, a), charges);
    /* per subscription; refused actions do not count */
    ACCEPTED(change_by(t, b, 1), MODEL_ACT_CHANGE_LICENSES, MODEL_RULE_SUB_6);
    REFUSED(on_sub(t, MODEL_ACT_RESUME, b), MODEL_ACT_RESUME, MODEL_REASON_NOT_ACTIVE, MODEL_RULE_SUB_5);
    ACCEPTED(on_sub(t, MODEL_ACT_SUSPEND, b), MODEL_ACT_SUSPEND, MODEL_RULE_SUB_5);
    REFUSED(on_sub(t, MODEL_ACT_RESUME, b), MODEL_ACT_RESUME, MODEL_REASON_UPDATE_LIMIT, MODEL_RULE_SUB_7);
    EXPECT_STATE(b, MODEL_STATE_SUSPENDED);
}
END_TEST

/* ---- SUB-8: trial conversion ------------------------------------------------------------ */

START_TEST(test_sub8_convert_mid_term)
{
    fx_std();
    fx_start();
    uint32_t s = F.sub[T1][0], v = F.sub[T1][1], paid = F.sub[T1][2];
    buy_trial(T("2025-01-10"), T1, P1, s, O_E3);
    buy_trial(T("2025-01-10"), T1, P1, v, O_VISIO);
    buy(T("2025-01-10"), T1, P1, paid, O_E5, 5, 12, MODEL_BILLING_MONTHLY, 1);
    sim_time t = T("2025-01-20T10:00Z");
    REFUSED(convert(t, s, 24, 12, MODEL_BILLING_MONTHLY, MODEL_NONE), MODEL_ACT_CONVERT_TRIAL,
            MODEL_REASON_TRIAL_RESTRICTED, MODEL_RULE_SUB_8);
    REFUSED(convert(t, s, 25, 1, MODEL_BILLING_TRIENNIAL, MODEL_NONE), MODEL_ACT_CONVERT_TRIAL,
            MODEL_REASON_TERM_NOT_OFFERED, MODEL_RULE_SUB_1);
    REFUSED(convert(t, v, 25, 1, MODEL_BILLING_MONTHLY, MODEL_NONE), MODEL_ACT_CONVERT_TRIAL,
            MODEL_REASON_TERM_NOT_OFFERED, MODEL_RULE_SUB_1);
    REFUSED(convert(t, paid, 25, 12, MODEL_BILLING_MONTHLY, MODEL_NONE), MODEL_ACT_CONVERT_TRIAL,
            MODEL_REASON_NOT_ACTIVE, MODEL_RULE_SUB_8);
    EXPECT_STATE(s, MODEL_STATE_TRIAL);
    ck_assert_uint_eq(count_kind(MODEL_KIND_CHARGE, s), 0);
    /* 25: a new term from 00:00 of the day, charged at once */
    model_record r = convert(t, s, 25, 12, MODEL_BILLING_MONTHLY, MODEL_NONE);
    ACCEPTED(r, MODEL_ACT_CONVERT_TRIAL, MODEL_RULE_SUB_8);
    STATES(r, MODEL_STATE_TRIAL, MODEL_STATE_ACTIVE);
    model_record c = after(r);
    EXPECT_RECORD(c, MODEL_KIND_TRIAL_CONVERTED, MODEL_RULE_SUB_8, MODEL_NONE);
    STATES(c, MODEL_STATE_TRIAL, MODEL_STATE_ACTIVE);
    EXPECT_LICENSES(c, MODEL_KIND_TRIAL_CONVERTED, 25);
    EXPECT_CHARGE(after(c), 25 * 1000, ANY_RULE, s, "period=2025-01-20..2025-02-19");
    model_sub_view vw = view(s);
    ck_assert_int_eq(vw.state, MODEL_STATE_ACTIVE);
    ck_assert_int_eq(vw.licenses, 25);
    EXPECT_TIME(vw.term_start, "2025-01-20");
    EXPECT_TIME(vw.term_end, "2026-01-20");
    REFUSED(convert(t + H, s, 25, 12, MODEL_BILLING_MONTHLY, MODEL_NONE), MODEL_ACT_CONVERT_TRIAL,
            MODEL_REASON_NOT_ACTIVE, MODEL_RULE_SUB_8);
    /* the cancel window opens at the conversion */
    run_to(t + 168 * H - 1);
    ck_assert_uint_eq(count_kind(MODEL_KIND_CANCEL_WINDOW_CLOSED, s), 0);
    run_to(t + 168 * H);
    EXPECT_TIME(nth_kind(MODEL_KIND_CANCEL_WINDOW_CLOSED, s, 0).time, "2025-01-27T10:00Z");
    /* the old trial end converts nothing; the new calendar bills on the 20th */
    run_to(T("2025-02-20"));
    ck_assert_uint_eq(count_kind(MODEL_KIND_TRIAL_CONVERTED, s), 1);
    EXPECT_TIME(nth_kind(MODEL_KIND_CHARGE, s, 1).time, "2025-02-20");
    EXPECT_AMOUNT(nth_kind(MODEL_KIND_CHARGE, s, 1), MODEL_KIND_CHARGE, 25000);
}
END_TEST

/* Conversion into an existing subscription of the same offer whose end date is not before
 * the trial's: the licenses join it (prorated charge), the trial becomes canceled. */
START_TEST(test_sub8_convert_into_target)
{
    fx_std();
    fx_start();
    uint32_t *s = F.sub[T1];
    uint32_t trial = s[0], shortt = s[1], other = s[2], susp = s[3], g = s[4];
    buy(T("2025-01-05"), T1, P1, shortt, O_E3, 10, 1, MODEL_BILLING_MONTHLY, 1); /* ends 02-05 */
    buy(T("2025-01-05"), T1, P1, other, O_E5, 10, 12, MODEL_BILLING_MONTHLY, 1);
    buy(T("2025-01-05"), T1, P1, susp, O_E3, 10, 12, MODEL_BILLING_MONTHLY, 1);
    buy(T("2025-01-05"), T1, P1, g, O_E3, 10, 12, MODEL_BILLING_MONTHLY, 1); /* ends 2026-01-05 */
    on_sub(T("2025-01-06"), MODEL_ACT_SUSPEND, susp);
    buy_trial(T("2025-01-10"), T1, P1, trial, O_E3);                          /* ends 02-10 */
    sim_time t = T("2025-01-15");
    REFUSED(convert(t, trial, 30, 12, MODEL_BILLING_MONTHLY, shortt), MODEL_ACT_CONVERT_TRIAL,
            MODEL_REASON_COTERM_INVALID, MODEL_RULE_SUB_8);
    REFUSED(convert(t, trial, 30, 12, MODEL_BILLING_MONTHLY, other), MODEL_ACT_CONVERT_TRIAL,
            MODEL_REASON_COTERM_INVALID, MODEL_RULE_SUB_8);
    REFUSED(convert(t, trial, 30, 12, MODEL_BILLING_MONTHLY, susp), MODEL_ACT_CONVERT_TRIAL, MODEL_REASON_NOT_ACTIVE,
            MODEL_RULE_SUB_8);
    REFUSED(convert(t, trial, 24, 12, MODEL_BILLING_MONTHLY, g), MODEL_ACT_CONVERT_TRIAL,
            MODEL_REASON_TRIAL_RESTRICTED, MODEL_RULE_SUB_8);
    ck_assert_int_eq(view(shortt).licenses, 10);
    /* g's period 01-05..02-04 (31 days), 10 used, 21 left: 30 x 1000 x 21 / 31 = 20322.6 */
    model_record r = convert(t, trial, 30, 12, MODEL_BILLING_MONTHLY, g);
    ACCEPTED(r, MODEL_ACT_CONVERT_TRIAL, MODEL_RULE_SUB_8);
    STATES(r, MODEL_STATE_TRIAL, MODEL_STATE_CANCELED);
    ck_assert_uint_eq(r.subscription, trial);
    model_record c = after(r);
    EXPECT_RECORD(c, MODEL_KIND_TRIAL_CONVERTED, ANY_RULE, trial);
    STATES(c, MODEL_STATE_TRIAL, MODEL_STATE_CANCELED);
    model_record ch = after(c);
    EXPECT_CHARGE(ch, 20322, MODEL_RULE_SUB_8, g, "prorated_days=21/31");
    EXPECT_LICENSES(ch, MODEL_KIND_CHARGE, 30);
    ck_assert_int_eq(view(g).licenses, 40);
    EXPECT_TIME(view(g).term_end, "2026-01-05");
    EXPECT_STATE(trial, MODEL_STATE_CANCELED);
    ck_assert_uint_eq(count_kind(MODEL_KIND_CHARGE, trial), 0);
    /* the trial's data is kept by the target (same provisioning id) */
    run_to(T("2025-01-23"));
    EXPECT_STATE(trial, MODEL_STATE_DELETED);
    ck_assert_uint_eq(count_kind(MODEL_KIND_DATA_LOSS, trial), 0);
    EXPECT_LICENSES(nth_kind(MODEL_KIND_DATA_KEPT, trial, 0), MODEL_KIND_DATA_KEPT, 25);
    run_to(T("2025-02-05"));
    EXPECT_AMOUNT(nth_kind(MODEL_KIND_CHARGE, g, 2), MODEL_KIND_CHARGE, 40 * 1000);
}
END_TEST

/* A scheduled conversion (schedule_change on a trial) may set fewer than 25 licenses; it
 * applies at the trial's end (P1Y monthly by default). */
START_TEST(test_sub8_scheduled_conversion)
{
    fx_std();
    fx_start();
    uint32_t s = F.sub[T1][0], u = F.sub[T1][1];
    buy_trial(T("2025-01-10"), T1, P1, s, O_E3);
    buy_trial(T("2025-01-10"), T1, P1, u, O_E5);
    ACCEPTED(schedule(T("2025-01-12"), s, MODEL_NONE, 10, 0, -1, MODEL_NONE), MODEL_ACT_SCHEDULE_CHANGE,
             MODEL_RULE_SUB_10);
    ck_assert_int_eq(view(s).licenses, 25);
    ACCEPTED(schedule(T("2025-01-12"), u, MODEL_NONE, 5, 1, -1, MODEL_NONE), MODEL_ACT_SCHEDULE_CHANGE,
             MODEL_RULE_SUB_10);
    /* autorenew off removes u's scheduled conversion; then no schedule is allowed */
    model_record r = set_autorenew(T("2025-01-15"), u, 0);
    ACCEPTED(r, MODEL_ACT_SET_AUTORENEW, MODEL_RULE_SUB_3);
    EXPECT_RECORD(after(r), MODEL_KIND_SCHEDULED_CHANGE_REMOVED, MODEL_RULE_SUB_10, u);
    EXPECT_DETAIL(after(r), "by=autorenew_off");
    REFUSED(schedule(T("2025-01-16"), u, MODEL_NONE, 5, 0, -1, MODEL_NONE), MODEL_ACT_SCHEDULE_CHANGE,
            MODEL_REASON_NOT_ACTIVE, MODEL_RULE_SUB_10);
    run_to(T("2025-02-09T23:59:59Z"));
    EXPECT_STATE(s, MODEL_STATE_TRIAL);
    run_to(T("2025-02-10"));
    EXPECT_SYSTEM_AT(T("2025-02-10"), MODEL_KIND_SCHEDULED_CHANGE_APPLIED, MODEL_KIND_TRIAL_CONVERTED,
                     MODEL_KIND_CHARGE, MODEL_KIND_EXPIRED);
    model_record ap = nth_kind(MODEL_KIND_SCHEDULED_CHANGE_APPLIED, s, 0);
    ck_assert_int_eq(ap.rule, MODEL_RULE_SUB_10);
    EXPECT_DETAIL(ap, "licenses=10");
    model_record c = nth_kind(MODEL_KIND_TRIAL_CONVERTED, s, 0);
    STATES(c, MODEL_STATE_TRIAL, MODEL_STATE_ACTIVE);
    EXPECT_LICENSES(c, MODEL_KIND_TRIAL_CONVERTED, 10);
    EXPECT_CHARGE(nth_kind(MODEL_KIND_CHARGE, s, 0), 10 * 1000, ANY_RULE, MODEL_NONE,
                  "period=2025-02-10..2025-03-09");
    ck_assert_int_eq(view(s).licenses, 10);
    EXPECT_TIME(view(s).term_end, "2026-02-10");
    STATES(nth_kind(MODEL_KIND_EXPIRED, u, 0), MODEL_STATE_TRIAL, MODEL_STATE_EXPIRED);
    ck_assert_uint_eq(count_kind(MODEL_KIND_TRIAL_CONVERTED, u), 0);
    ck_assert_uint_eq(count_kind(MODEL_KIND_SCHEDULED_CHANGE_APPLIED, u), 0);
}
END_TEST

/* ---- SUB-9: upgrades --------------------------------------------------------------------- */

/* Full, same term: same id, offer changes, the rest of the period refunded at the old price
 * and charged at the new one (both SUB-9); the end date is kept; no cancel window after. */
START_TEST(test_sub9_full_upgrade)
{
    fx_std();
    fx_start();
    uint32_t s = F.sub[T1][0];
    buy(T("2025-01-10"), T1, P1, s, O_E3, 10, 12, MODEL_BILLING_MONTHLY, 1);
    /* 01-12: 2 used, 29 left of 31: refund 10 x 1000 x 29/31 = 9354.8, charge 10 x 2000 x 29/31 = 18709.7 */
    model_record r = upgrade(T("2025-01-12"), s, O_E5, 10, 0, MODEL_NONE, MODEL_NONE);
    ACCEPTED(r, MODEL_ACT_UPGRADE, MODEL_RULE_SUB_9);
    STATES(r, -1, -1);
    ck_assert_uint_eq(r.subscription, s);
    model_record f = after(r);
    EXPECT_REFUND(f, 9354, MODEL_RULE_SUB_9, MODEL_NONE, "unused_days=29/31");
    EXPECT_LICENSES(f, MODEL_KIND_REFUND, 10);
    EXPECT_CHARGE(after(f), 18709, MODEL_RULE_SUB_9, s, "prorated_days=29/31");
    model_sub_view v = view(s);
    ck_assert_int_eq(v.state, MODEL_STATE_ACTIVE);
    ck_assert_uint_eq(v.offer, O_E5);
    ck_assert_int_eq(v.licenses, 10);
    EXPECT_TIME(v.term_end, "2026-01-10");
    ck_assert_uint_eq(model_live_subscriptions(F.w, T1), 1);
    run_to(T("2025-02-10"));
    EXPECT_AMOUNT(nth_kind(MODEL_KIND_CHARGE, s, 2), MODEL_KIND_CHARGE, 10 * 2000);
}
END_TEST

/* Full to a longer term: the rest refunded, a full new term from 00:00 today, charged. */
START_TEST(test_sub9_full_upgrade_longer_term)
{
    fx_std();
    fx_start();
    uint32_t s = F.sub[T1][0];
    buy(T("2025-01-10"), T1, P1, s, O_E3, 10, 1, MODEL_BILLING_MONTHLY, 1);
    model_record r = upgrade(T("2025-01-20T09:00Z"), s, O_E5, 10, 12, MODEL_NONE, MODEL_NONE);
    ACCEPTED(r, MODEL_ACT_UPGRADE, MODEL_RULE_SUB_9);
    /* 10 days 9 hours = 11 started days, 20 left: 10 x 1000 x 20 / 31 = 6451.6 */
    model_record f = after(r);
    EXPECT_REFUND(f, 6451, MODEL_RULE_SUB_9, MODEL_NONE, "unused_days=20/31");
    EXPECT_CHARGE(after(f), 10 * 2000, ANY_RULE, MODEL_NONE, "period=2025-01-20..2025-02-19");
    model_sub_view v = view(s);
    ck_assert_uint_eq(v.offer, O_E5);
    EXPECT_TIME(v.term_start, "2025-01-20");
    EXPECT_TIME(v.term_end, "2026-01-20");
    run_to(T("2025-02-11"));
    ck_assert_uint_eq(count_kind(MODEL_KIND_RENEWAL_STARTED, s), 0); /* the P1M end is gone */
}
END_TEST

/* Partial: a new subscription, coterminous, copying billing and autorenew; the source loses
 * the licenses without a window check, refunded prorated; the new one charged prorated. */
START_TEST(test_sub9_partial_upgrade)
{
    fx_std();
    fx_start();
    uint32_t s = F.sub[T1][0], n = F.sub[T1][1], s2 = F.sub[T1][2], n2 = F.sub[T1][3];
    buy(T("2025-01-10"), T1, P1, s, O_E3, 10, 12, MODEL_BILLING_MONTHLY, 0);
    sim_time t = T("2025-01-20");
    model_record r = upgrade(t, s, O_E5, 4, 0, MODEL_NONE, n);
    ACCEPTED(r, MODEL_ACT_UPGRADE, MODEL_RULE_SUB_9);
    ck_assert_uint_eq(r.subscription, s);
    model_record cr = after(r);
    EXPECT_RECORD(cr, MODEL_KIND_SUBSCRIPTION_CREATED, MODEL_RULE_SUB_9, n);
    ck_assert_uint_eq(cr.partner, P1);
    STATES(cr, MODEL_STATE_NONE, MODEL_STATE_ACTIVE);
    EXPECT_LICENSES(cr, MODEL_KIND_SUBSCRIPTION_CREATED, 4);
    ck_assert_str_eq(cr.detail, "upgraded_from=a00");
    /* 21 of 31 days left: refund 4 x 1000 x 21/31 = 2709.7, charge 4 x 2000 x 21/31 = 5419.4 */
    model_record f = after(cr);
    EXPECT_REFUND(f, 2709, MODEL_RULE_SUB_9, s, NULL);
    EXPECT_CHARGE(after(f), 5419, ANY_RULE, n, NULL);
    EXPECT_DETAIL(after(f), "prorated_days=21/31");
    model_sub_view vs = view(s), vn = view(n);
    ck_assert_int_eq(vs.licenses, 6); /* the purchase's window closed on 01-17: no check */
    ck_assert_uint_eq(vs.offer, O_E3);
    ck_assert_int_eq(vn.state, MODEL_STATE_ACTIVE);
    ck_assert_uint_eq(vn.offer, O_E5);
    ck_assert_uint_eq(vn.partner, P1);
    ck_assert_int_eq(vn.licenses, 4);
    ck_assert_int_eq(vn.autorenew, 0);
    ck_assert_int_eq(vn.term_end, vs.term_end);
    EXPECT_TIME(vn.term_end, "2026-01-10");
    ck_assert_uint_eq(model_live_subscriptions(F.w, T1), 2);
    /* the id is now used: another partial upgrade under it is unknown_entity */
    REFUSED(upgrade(t + H, s, O_E5, 1, 0, MODEL_NONE, n), MODEL_ACT_UPGRADE, MODEL_REASON_UNKNOWN_ENTITY,
            MODEL_RULE_SUB_9);
    /* monthly billing copied: both billed on the source's calendar */
    run_to(T("2025-02-10"));
    model_record next = nth_kind(MODEL_KIND_CHARGE, n, 1);
    EXPECT_TIME(next.time, "2025-02-10");
    EXPECT_AMOUNT(next, MODEL_KIND_CHARGE, 4 * 2000);
    EXPECT_AMOUNT(nth_kind(MODEL_KIND_CHARGE, s, 1), MODEL_KIND_CHARGE, 6 * 1000);
    /* to a longer term: a new term from today */
    buy(T("2025-02-10"), T1, P1, s2, O_E3, 10, 1, MODEL_BILLING_MONTHLY, 1);
    ACCEPTED(upgrade(T("2025-02-20T05:00Z"), s2, O_E5, 3, 12, MODEL_NONE, n2), MODEL_ACT_UPGRADE, MODEL_RULE_SUB_9);
    EXPECT_TIME(view(n2).term_start, "2025-02-20");
    EXPECT_TIME(view(n2).term_end, "2026-02-20");
    EXPECT_TIME(view(s2).term_end, "2025-03-10");
    ck_assert_int_eq(view(s2).licenses, 7);
    run_to(T("2026-01-10"));
    EXPECT_TIME(nth_kind(MODEL_KIND_EXPIRED, n, 0).time, "2026-01-10");
    EXPECT_TIME(nth_kind(MODEL_KIND_EXPIRED, s, 0).time, "2026-01-10");
}
END_TEST

START_TEST(test_sub9_refusals)
{
    fx_std();
    P()->renewal_processing = sim_dist_fixed(6 * H);
    uint32_t ea = ea_through_2025(F.sub[T1][20]);
    fx_start();
    uint32_t *s = F.sub[T1];
    uint32_t a = s[0], e5 = s[1], m = s[2], susp = s[3], trial = s[4], gone = s[5], n = s[6], exp = s[7];
    sim_time t = T("2025-01-10");
    buy(t, T1, P1, a, O_E3, 10, 12, MODEL_BILLING_MONTHLY, 1);
    buy(t, T1, P1, e5, O_E5, 5, 12, MODEL_BILLING_MONTHLY, 1);
    buy(t, T1, P1, m, O_E3, 10, 1, MODEL_BILLING_MONTHLY, 1);
    buy(t, T1, P1, susp, O_E3, 10, 12, MODEL_BILLING_MONTHLY, 1);
    buy(t, T1, P1, exp, O_E3, 10, 1, MODEL_BILLING_MONTHLY, 0);
    on_sub(t, MODEL_ACT_SUSPEND, susp);
    buy_trial(t, T1, P1, trial, O_E3);
    t = T("2025-01-20");
    REFUSED(upgrade(t, gone, O_E5, 10, 0, MODEL_NONE, MODEL_NONE), MODEL_ACT_UPGRADE, MODEL_REASON_UNKNOWN_ENTITY,
            ANY_RULE);
    /* partial without a fresh id */
    REFUSED(upgrade(t, a, O_E5, 4, 0, MODEL_NONE, MODEL_NONE), MODEL_ACT_UPGRADE, MODEL_REASON_UNKNOWN_ENTITY,
            MODEL_RULE_SUB_9);
    REFUSED(upgrade(t, a, O_E5, 4, 0, MODEL_NONE, e5), MODEL_ACT_UPGRADE, MODEL_REASON_UNKNOWN_ENTITY,
            MODEL_RULE_SUB_9);
    REFUSED(upgrade(t, trial, O_E5, 25, 0, MODEL_NONE, MODEL_NONE), MODEL_ACT_UPGRADE, MODEL_REASON_TRIAL_RESTRICTED,
            MODEL_RULE_SUB_8);
    REFUSED(upgrade(t, susp, O_E5, 10, 0, MODEL_NONE, MODEL_NONE), MODEL_ACT_UPGRADE, MODEL_REASON_NOT_ACTIVE,
            MODEL_RULE_SUB_9);
    REFUSED(upgrade(t, ea, O_E5, 50, 0, MODEL_NONE, MODEL_NONE), MODEL_ACT_UPGRADE, MODEL_REASON_NOT_ACTIVE,
            MODEL_RULE_SUB_9);
    /* paths: e5 is reached from e3, so e5 -> e3 (and e5 -> e5) is a downgrade */
    REFUSED(upgrade(t, e5, O_E3, 5, 0, MODEL_NONE, MODEL_NONE), MODEL_ACT_UPGRADE, MODEL_REASON_DOWNGRADE_NOT_ALLOWED,
            MODEL_RULE_SUB_9);
    REFUSED(upgrade(t, e5, O_E5, 5, 0, MODEL_NONE, MODEL_NONE), MODEL_ACT_UPGRADE, MODEL_REASON_DOWNGRADE_NOT_ALLOWED,
            MODEL_RULE_SUB_9);
    REFUSED(upgrade(t, a, O_VISIO, 10, 0, MODEL_NONE, MODEL_NONE), MODEL_ACT_UPGRADE,
            MODEL_REASON_UPGRADE_PATH_UNSUPPORTED, MODEL_RULE_SUB_9);
    REFUSED(upgrade(t, e5, O_VISIO, 5, 0, MODEL_NONE, MODEL_NONE), MODEL_ACT_UPGRADE,
            MODEL_REASON_UPGRADE_PATH_UNSUPPORTED, MODEL_RULE_SUB_9);
    REFUSED(upgrade(t, a, O_E5, 11, 0, MODEL_NONE, MODEL_NONE), MODEL_ACT_UPGRADE,
            MODEL_REASON_UPGRADE_PATH_UNSUPPORTED, MODEL_RULE_SUB_9);
    /* terms: shorter than the source's, or not offered by the new offer */
    REFUSED(upgrade(t, a, O_E5, 10, 1, MODEL_NONE, MODEL_NONE), MODEL_ACT_UPGRADE, MODEL_REASON_TERM_NOT_OFFERED,
            MODEL_RULE_SUB_9);
    REFUSED(upgrade(t, m, O_E5Y, 10, 0, MODEL_NONE, MODEL_NONE), MODEL_ACT_UPGRADE, MODEL_REASON_TERM_NOT_OFFERED,
            MODEL_RULE_SUB_9);
    REFUSED(upgrade(t, a, O_E5Y, 10, 36, MODEL_NONE, MODEL_NONE), MODEL_ACT_UPGRADE, MODEL_REASON_TERM_NOT_OFFERED,
            MODEL_RULE_SUB_9);
    /* the same P1M to e5y for a P1Y term is fine */
    ACCEPTED(upgrade(t, m, O_E5Y, 10, 12, MODEL_NONE, MODEL_NONE), MODEL_ACT_UPGRADE, MODEL_RULE_SUB_9);
    REFUSED(upgrade(T("2025-02-11"), exp, O_E5, 10, 0, MODEL_NONE, MODEL_NONE), MODEL_ACT_UPGRADE,
            MODEL_REASON_NOT_ACTIVE, MODEL_RULE_SUB_9);
    ck_assert_uint_eq(view(a).offer, O_E3);
    ck_assert_int_eq(view(a).licenses, 10);
    ck_assert_uint_eq(view(e5).offer, O_E5);
    EXPECT_STATE(n, MODEL_STATE_NONE);
    ck_assert_uint_eq(count_kind(MODEL_KIND_REFUND, a), 0);
}
END_TEST

START_TEST(test_sub9_renewal_and_tenant_limit)
{
    fx_std();
    P()->renewal_processing = sim_dist_fixed(6 * H);
    P()->tenant_subscription_limit = 2;
    fx_start();
    uint32_t a = F.sub[T1][0], m = F.sub[T1][1], n = F.sub[T1][2];
    buy(T("2025-01-10"), T1, P1, a, O_E3, 10, 12, MODEL_BILLING_MONTHLY, 1);
    buy(T("2025-01-10"), T1, P1, m, O_E3, 10, 1, MODEL_BILLING_MONTHLY, 1);
    REFUSED(upgrade(T("2025-02-10T05:59:59Z"), m, O_E5, 10, 0, MODEL_NONE, MODEL_NONE), MODEL_ACT_UPGRADE,
            MODEL_REASON_RENEWAL_IN_PROGRESS, MODEL_RULE_SUB_3);
    /* a partial upgrade creates a subscription: LIM-1; a full one does not */
    REFUSED(upgrade(T("2025-02-11"), a, O_E5, 4, 0, MODEL_NONE, n), MODEL_ACT_UPGRADE, MODEL_REASON_TENANT_LIMIT,
            MODEL_RULE_LIM_1);
    EXPECT_STATE(n, MODEL_STATE_NONE);
    ck_assert_int_eq(view(a).licenses, 10);
    ACCEPTED(upgrade(T("2025-02-11"), a, O_E5, 10, 0, MODEL_NONE, MODEL_NONE), MODEL_ACT_UPGRADE, MODEL_RULE_SUB_9);
    ACCEPTED(upgrade(T("2025-02-11"), m, O_E5, 10, 0, MODEL_NONE, MODEL_NONE), MODEL_ACT_UPGRADE, MODEL_RULE_SUB_9);
    ck_assert_uint_eq(model_live_subscriptions(F.w, T1), 2);
}
END_TEST

/* Into an existing target: active, same tenant, offer `to`, same term, end date not before
 * the source's, not renewing, out of its cancel window; else coterm_invalid. */
START_TEST(test_sub9_target)
{
    fx_std();
    fx_start();
    uint32_t *s = F.sub[T1];
    uint32_t src = s[0], early = s[1], win = s[2], monthly = s[3], wrong = s[4], src2 = s[5];
    buy(T("2025-01-05"), T1, P1, early, O_E5, 2, 12, MODEL_BILLING_MONTHLY, 1);   /* ends 2026-01-05 */
    buy(T("2025-01-10"), T1, P1, src, O_E3, 10, 12, MODEL_BILLING_MONTHLY, 1);    /* ends 2026-01-10 */
    buy(T("2025-01-10"), T1, P1, src2, O_E3, 3, 12, MODEL_BILLING_MONTHLY, 1);
    buy(T("2025-01-11"), T1, P1, win, O_E5, 2, 12, MODEL_BILLING_MONTHLY, 1);     /* window to 01-18 */
    buy(T("2025-01-11"), T1, P1, monthly, O_E5, 2, 1, MODEL_BILLING_MONTHLY, 1);
    buy(T("2025-01-11"), T1, P1, wrong, O_E3, 2, 12, MODEL_BILLING_MONTHLY, 1);
    sim_time t = T("2025-01-18");
    REFUSED(upgrade(t - 1, src, O_E5, 4, 0, win, MODEL_NONE), MODEL_ACT_UPGRADE, MODEL_REASON_COTERM_INVALID,
            MODEL_RULE_SUB_9);
    REFUSED(upgrade(t, src, O_E5, 4, 0, early, MODEL_NONE), MODEL_ACT_UPGRADE, MODEL_REASON_COTERM_INVALID,
            MODEL_RULE_SUB_9);
    REFUSED(upgrade(t, src, O_E5, 4, 0, monthly, MODEL_NONE), MODEL_ACT_UPGRADE, MODEL_REASON_COTERM_INVALID,
            MODEL_RULE_SUB_9);
    REFUSED(upgrade(t, src, O_E5, 4, 0, wrong, MODEL_NONE), MODEL_ACT_UPGRADE, MODEL_REASON_COTERM_INVALID,
            MODEL_RULE_SUB_9);
    ck_assert_int_eq(view(src).licenses, 10);
    /* at the window's end: src's period 01-10..02-09, 8 used, 23 left: 4 x 1000 x 23/31 =
     * 2967.7; win's 01-11..02-10, 7 used, 24 left: 4 x 2000 x 24/31 = 6193.5 */
    model_record r = upgrade(t, src, O_E5, 4, 0, win, MODEL_NONE);
    ACCEPTED(r, MODEL_ACT_UPGRADE, MODEL_RULE_SUB_9);
    STATES(r, -1, -1);
    EXPECT_REFUND(after(r), 2967, MODEL_RULE_SUB_9, src, NULL);
    EXPECT_CHARGE(after(after(r)), 6193, MODEL_RULE_SUB_9, win, NULL);
    ck_assert_int_eq(view(src).licenses, 6);
    ck_assert_int_eq(view(win).licenses, 6);
    ck_assert_uint_eq(view(src).offer, O_E3);
    /* all licenses into a target: the source ends */
    r = upgrade(T("2025-01-19"), src2, O_E5, 3, 0, win, MODEL_NONE);
    ACCEPTED(r, MODEL_ACT_UPGRADE, MODEL_RULE_SUB_9);
    STATES(r, MODEL_STATE_ACTIVE, MODEL_STATE_CANCELED);
    EXPECT_STATE(src2, MODEL_STATE_CANCELED);
    ck_assert_int_eq(view(win).licenses, 9);
}
END_TEST

/* SUB-9: "No cancel window after an upgrade": neither the upgraded subscription (full, still
 * inside its purchase's window) nor the one a partial upgrade creates can be canceled. */
START_TEST(test_sub9_no_cancel_window_after_upgrade)
{
    fx_std();
    fx_start();
    uint32_t s = F.sub[T1][0], p = F.sub[T1][1], n = F.sub[T1][2];
    buy(T("2025-01-10"), T1, P1, s, O_E3, 10, 12, MODEL_BILLING_MONTHLY, 1);
    buy(T("2025-01-10"), T1, P1, p, O_E3, 10, 12, MODEL_BILLING_MONTHLY, 1);
    ACCEPTED(upgrade(T("2025-01-12"), s, O_E5, 10, 0, MODEL_NONE, MODEL_NONE), MODEL_ACT_UPGRADE, MODEL_RULE_SUB_9);
    ACCEPTED(upgrade(T("2025-01-12"), p, O_E5, 4, 0, MODEL_NONE, n), MODEL_ACT_UPGRADE, MODEL_RULE_SUB_9);
    REFUSED(on_sub(T("2025-01-13"), MODEL_ACT_CANCEL, s), MODEL_ACT_CANCEL, MODEL_REASON_CANCEL_WINDOW_CLOSED,
            MODEL_RULE_SUB_2);
    REFUSED(on_sub(T("2025-01-13"), MODEL_ACT_CANCEL, n), MODEL_ACT_CANCEL, MODEL_REASON_CANCEL_WINDOW_CLOSED,
            MODEL_RULE_SUB_2);
    EXPECT_STATE(s, MODEL_STATE_ACTIVE);
    EXPECT_STATE(n, MODEL_STATE_ACTIVE);
}
END_TEST

/* ---- SUB-10: scheduled changes ----------------------------------------------------------- */

START_TEST(test_sub10_applied_at_renewal)
{
    fx_std();
    P()->renewal_processing = sim_dist_fixed(6 * H);
    fx_start();
    uint32_t a = F.sub[T1][0], b = F.sub[T1][1];
    buy(T("2025-01-10"), T1, P1, a, O_E3, 10, 1, MODEL_BILLING_MONTHLY, 1);
    buy(T("2025-01-10"), T1, P1, b, O_E3, 2, 1, MODEL_BILLING_MONTHLY, 1);
    model_record r = schedule(T("2025-01-15"), a, MODEL_NONE, 8, 0, -1, MODEL_NONE);
    ACCEPTED(r, MODEL_ACT_SCHEDULE_CHANGE, MODEL_RULE_SUB_10);
    ck_assert_uint_eq(F.cap.v[F.cap.n - 1].seq, r.seq); /* nothing else written */
    /* a later schedule_change replaces the earlier one whole */
    ACCEPTED(schedule(T("2025-01-20"), a, O_E5, 12, 0, -1, MODEL_NONE), MODEL_ACT_SCHEDULE_CHANGE, MODEL_RULE_SUB_10);
    ACCEPTED(schedule(T("2025-01-20"), b, MODEL_NONE, 0, 12, MODEL_BILLING_ANNUAL, MODEL_NONE),
             MODEL_ACT_SCHEDULE_CHANGE, MODEL_RULE_SUB_10);
    ck_assert_uint_eq(view(a).offer, O_E3);
    ck_assert_int_eq(view(a).licenses, 10);
    run_to(T("2025-02-10T05:59:59Z"));
    ck_assert_uint_eq(count_kind(MODEL_KIND_SCHEDULED_CHANGE_APPLIED, MODEL_NONE), 0);
    sim_time done = T("2025-02-10T06:00Z");
    run_to(done);
    EXPECT_SYSTEM_AT(done, MODEL_KIND_SCHEDULED_CHANGE_APPLIED, MODEL_KIND_RENEWAL_COMPLETED, MODEL_KIND_CHARGE,
                     MODEL_KIND_SCHEDULED_CHANGE_APPLIED, MODEL_KIND_RENEWAL_COMPLETED, MODEL_KIND_CHARGE);
    model_record ap = nth_kind(MODEL_KIND_SCHEDULED_CHANGE_APPLIED, a, 0);
    ck_assert_int_eq(ap.rule, MODEL_RULE_SUB_10);
    ck_assert_str_eq(ap.detail, "offer=e5 licenses=12");
    model_record rc = after(ap);
    ck_assert_int_eq(rc.kind, MODEL_KIND_RENEWAL_COMPLETED);
    EXPECT_LICENSES(rc, MODEL_KIND_RENEWAL_COMPLETED, 12);
    EXPECT_AMOUNT(after(rc), MODEL_KIND_CHARGE, 12 * 2000);
    ck_assert_uint_eq(view(a).offer, O_E5);
    ck_assert_int_eq(view(a).licenses, 12);
    EXPECT_TIME(view(a).term_end, "2025-03-10");
    /* b: P1Y billed annually from the renewal on */
    EXPECT_CHARGE(nth_kind(MODEL_KIND_CHARGE, b, 1), 2 * 1000 * 12, ANY_RULE, MODEL_NONE,
                  "period=2025-02-10..2026-02-09");
    EXPECT_TIME(view(b).term_end, "2026-02-10");
    /* applied once: the next renewal keeps it */
    run_to(T("2025-03-11"));
    ck_assert_uint_eq(count_kind(MODEL_KIND_SCHEDULED_CHANGE_APPLIED, MODEL_NONE), 2);
    EXPECT_AMOUNT(nth_kind(MODEL_KIND_CHARGE, a, 2), MODEL_KIND_CHARGE, 12 * 2000);
    ck_assert_uint_eq(count_kind(MODEL_KIND_CHARGE, b), 2);
}
END_TEST

/* A license change, cancel, suspension, autorenew off or an upgrade removes the schedule. */
START_TEST(test_sub10_removed)
{
    fx_std();
    P()->renewal_processing = sim_dist_fixed(6 * H);
    fx_start();
    uint32_t *s = F.sub[T1];
    static const char *const by[] = {"by=license_change", "by=cancel", "by=suspend", "by=autorenew_off",
                                     "by=upgrade"};
    sim_time t = T("2025-01-10");
    for (int i = 0; i < 5; i++)
        buy(t, T1, P1, s[i], O_E3, 10, 1, MODEL_BILLING_MONTHLY, 1);
    for (int i = 0; i < 5; i++) {
        ACCEPTED(schedule(t + H, s[i], MODEL_NONE, 20, 0, -1, MODEL_NONE), MODEL_ACT_SCHEDULE_CHANGE,
                 MODEL_RULE_SUB_10);
    }
    model_record r[5];
    sim_time u = T("2025-01-12");
    r[0] = change_by(u, s[0], 1);
    r[1] = on_sub(u, MODEL_ACT_CANCEL, s[1]);
    r[2] = on_sub(u, MODEL_ACT_SUSPEND, s[2]);
    r[3] = set_autorenew(u, s[3], 0);
    r[4] = upgrade(u, s[4], O_E5, 10, 0, MODEL_NONE, MODEL_NONE);
    for (int i = 0; i < 5; i++) {
        ck_assert_int_eq(r[i].outcome, MODEL_OUTCOME_ACCEPTED);
        model_record rm = after(r[i]);
        ck_assert_msg(rm.kind == MODEL_KIND_SCHEDULED_CHANGE_REMOVED, "#%d: %s after the action", i,
                      model_kind_name(rm.kind));
        ck_assert_int_eq(rm.rule, MODEL_RULE_SUB_10);
        ck_assert_uint_eq(rm.subscription, s[i]);
        EXPECT_DETAIL(rm, "licenses=20");
        EXPECT_DETAIL(rm, by[i]);
    }
    /* a license change: removed, then the charge */
    EXPECT_AMOUNT(after(after(r[0])), MODEL_KIND_CHARGE, 1000 * 29 / 31);
    run_to(T("2025-02-11"));
    ck_assert_uint_eq(count_kind(MODEL_KIND_SCHEDULED_CHANGE_APPLIED, MODEL_NONE), 0);
    ck_assert_uint_eq(count_kind(MODEL_KIND_SCHEDULED_CHANGE_REMOVED, MODEL_NONE), 5);
    ck_assert_int_eq(view(s[0]).licenses, 11);
    ck_assert_int_eq(view(s[4]).licenses, 10);
    ck_assert_uint_eq(view(s[4]).offer, O_E5);
    EXPECT_LICENSES(nth_kind(MODEL_KIND_RENEWAL_COMPLETED, s[0], 0), MODEL_KIND_RENEWAL_COMPLETED, 11);
}
END_TEST

START_TEST(test_sub10_refusals)
{
    fx_std();
    P()->renewal_processing = sim_dist_fixed(1 * H);
    uint32_t ea = ea_through_2025(F.sub[T1][20]);
    fx_start();
    uint32_t *s = F.sub[T1];
    uint32_t a = s[0], off = s[1], susp = s[2], e5 = s[3], m = s[4], exp = s[5];
    sim_time t = T("2025-01-10");
    buy(t, T1, P1, a, O_E3, 10, 12, MODEL_BILLING_MONTHLY, 1);
    buy(t, T1, P1, off, O_E3, 10, 12, MODEL_BILLING_MONTHLY, 0);
    buy(t, T1, P1, susp, O_E3, 10, 12, MODEL_BILLING_MONTHLY, 1);
    on_sub(t, MODEL_ACT_SUSPEND, susp);
    buy(t, T1, P1, e5, O_E5, 10, 12, MODEL_BILLING_MONTHLY, 1);
    buy(t, T1, P1, m, O_E3, 10, 1, MODEL_BILLING_MONTHLY, 1);
    buy(t, T1, P1, exp, O_E3, 10, 1, MODEL_BILLING_MONTHLY, 0);
    t = T("2025-01-20");
    REFUSED(schedule(t, s[9], MODEL_NONE, 5, 0, -1, MODEL_NONE), MODEL_ACT_SCHEDULE_CHANGE,
            MODEL_REASON_UNKNOWN_ENTITY, ANY_RULE);
    REFUSED(schedule(t, off, MODEL_NONE, 5, 0, -1, MODEL_NONE), MODEL_ACT_SCHEDULE_CHANGE, MODEL_REASON_NOT_ACTIVE,
            MODEL_RULE_SUB_10);
    REFUSED(schedule(t, susp, MODEL_NONE, 5, 0, -1, MODEL_NONE), MODEL_ACT_SCHEDULE_CHANGE, MODEL_REASON_NOT_ACTIVE,
            MODEL_RULE_SUB_10);
    REFUSED(schedule(t, ea, MODEL_NONE, 5, 0, -1, MODEL_NONE), MODEL_ACT_SCHEDULE_CHANGE, MODEL_REASON_NOT_ACTIVE,
            MODEL_RULE_SUB_10);
    REFUSED(schedule(t, e5, O_E3, 0, 0, -1, MODEL_NONE), MODEL_ACT_SCHEDULE_CHANGE,
            MODEL_REASON_DOWNGRADE_NOT_ALLOWED, MODEL_RULE_SUB_9);
    REFUSED(schedule(t, a, O_VISIO, 0, 0, -1, MODEL_NONE), MODEL_ACT_SCHEDULE_CHANGE,
            MODEL_REASON_UPGRADE_PATH_UNSUPPORTED, MODEL_RULE_SUB_9);
    REFUSED(schedule(t, m, MODEL_NONE, 0, 0, MODEL_BILLING_ANNUAL, MODEL_NONE), MODEL_ACT_SCHEDULE_CHANGE,
            MODEL_REASON_TERM_NOT_OFFERED, ANY_RULE);
    REFUSED(schedule(t, m, O_E5Y, 0, 0, -1, MODEL_NONE), MODEL_ACT_SCHEDULE_CHANGE, MODEL_REASON_TERM_NOT_OFFERED,
            ANY_RULE);
    /* a P1Y term cannot align with a P1M subscription */
    REFUSED(schedule(t, a, MODEL_NONE, 0, 0, -1, m), MODEL_ACT_SCHEDULE_CHANGE, MODEL_REASON_COTERM_INVALID,
            MODEL_RULE_SUB_11);
    REFUSED(schedule(T("2025-02-11"), exp, MODEL_NONE, 5, 0, -1, MODEL_NONE), MODEL_ACT_SCHEDULE_CHANGE,
            MODEL_REASON_NOT_ACTIVE, MODEL_RULE_SUB_10);
    ACCEPTED(schedule(T("2025-02-11"), m, O_E5Y, 0, 12, -1, MODEL_NONE), MODEL_ACT_SCHEDULE_CHANGE, MODEL_RULE_SUB_10);
    ck_assert_int_eq(tenant_metrics(T1).rejections, 10);
}
END_TEST

/* A renewal whose processing draws INT64_MAX seconds (a lognormal with a huge median) is
 * an instant past the end of time: it never completes, and nothing overflows. */
START_TEST(test_sub3_renewal_past_the_end_of_time)
{
    fx_std();
    P()->renewal_processing = sim_dist_fixed(INT64_MAX);
    fx_start();
    uint32_t s = F.sub[T1][0];
    buy(T("2025-01-10"), T1, P1, s, O_E3, 5, 1, MODEL_BILLING_MONTHLY, 1);
    run_to(T("2025-02-10"));
    ck_assert_uint_eq(count_kind(MODEL_KIND_RENEWAL_STARTED, s), 1);
    run_to(T("2027-01-01"));
    ck_assert_int_eq(model_finish(F.w), 0);
    ck_assert_uint_eq(count_kind(MODEL_KIND_RENEWAL_COMPLETED, s), 0);
    ck_assert_uint_eq(count_kind(MODEL_KIND_CHARGE, s), 1);
    EXPECT_STATE(s, MODEL_STATE_ACTIVE);
}
END_TEST

/* ---- SUB-11: coterminous end dates -------------------------------------------------------- */

START_TEST(test_sub11_align)
{
    fx_std();
    P()->renewal_processing = sim_dist_fixed(1 * H);
    ck_assert_int_eq(model_add_relationship(F.w, T2, P1), 0);
    fx_start();
    uint32_t *s = F.sub[T1];
    uint32_t year = s[0], month = s[1], bad = s[2], d = s[3], e = s[4], f = s[5];
    buy(T("2025-01-10"), T1, P1, year, O_E3, 10, 12, MODEL_BILLING_MONTHLY, 1); /* ends 2026-01-10 */
    buy(T("2025-01-10"), T1, P1, month, O_E3, 2, 1, MODEL_BILLING_MONTHLY, 1);  /* ends 04-10 by 03-15 */
    sim_time t = T("2025-03-15T09:00Z");
    REFUSED(buy_aligned(t, T1, P1, bad, O_E5, 5, 12, MODEL_BILLING_MONTHLY, 1, month), MODEL_ACT_PURCHASE,
            MODEL_REASON_COTERM_INVALID, MODEL_RULE_SUB_11);
    REFUSED(buy_aligned(t, T1, P1, bad, O_E5, 5, 36, MODEL_BILLING_MONTHLY, 1, month), MODEL_ACT_PURCHASE,
            MODEL_REASON_COTERM_INVALID, MODEL_RULE_SUB_11);
    /* a P1M cannot end ten months away */
    REFUSED(buy_aligned(t, T1, P1, bad, O_E5, 5, 1, MODEL_BILLING_MONTHLY, 1, year), MODEL_ACT_PURCHASE,
            MODEL_REASON_COTERM_INVALID, MODEL_RULE_SUB_11);
    /* another tenant's subscription, or one that does not exist */
    REFUSED(buy_aligned(t, T2, P1, F.sub[T2][0], O_E5, 5, 12, MODEL_BILLING_MONTHLY, 1, year), MODEL_ACT_PURCHASE,
            MODEL_REASON_COTERM_INVALID, MODEL_RULE_SUB_11);
    REFUSED(buy_aligned(t, T1, P1, bad, O_E5, 5, 12, MODEL_BILLING_MONTHLY, 1, s[10]), MODEL_ACT_PURCHASE,
            MODEL_REASON_COTERM_INVALID, MODEL_RULE_SUB_11);
    EXPECT_STATE(bad, MODEL_STATE_NONE);
    /* P1Y with the P1Y: ends 2026-01-10; the period 03-10..04-09 (31 days) from 03-15:
     * 5 started days before, 26 left: 5 x 2000 x 26 / 31 = 8387.1 */
    model_record r = buy_aligned(t, T1, P1, d, O_E5, 5, 12, MODEL_BILLING_MONTHLY, 1, year);
    ACCEPTED(r, MODEL_ACT_PURCHASE, MODEL_RULE_SUB_11);
    STATES(r, MODEL_STATE_NONE, MODEL_STATE_ACTIVE);
    ck_assert_int_eq(after(r).kind, MODEL_KIND_SUBSCRIPTION_CREATED);
    EXPECT_CHARGE(nth_kind(MODEL_KIND_CHARGE, d, 0), 8387, ANY_RULE, MODEL_NONE,
                  "period=2025-03-15..2025-04-09 prorated_days=26/31");
    ck_assert_int_eq(view(d).term_end, view(year).term_end);
    EXPECT_TIME(view(d).term_end, "2026-01-10");
    /* P1M with the P1M (its term 03-10..04-09): 3 x 1000 x 26 / 31 = 2516.1 */
    ACCEPTED(buy_aligned(t, T1, P1, e, O_E3, 3, 1, MODEL_BILLING_MONTHLY, 1, month), MODEL_ACT_PURCHASE,
             MODEL_RULE_SUB_11);
    EXPECT_AMOUNT(nth_kind(MODEL_KIND_CHARGE, e, 0), MODEL_KIND_CHARGE, 2516);
    ck_assert_int_eq(view(e).term_end, view(month).term_end);
    EXPECT_TIME(view(e).term_end, "2025-04-10");
    /* annual billing: the first year 2025-01-10..2026-01-09 prorated, 64 days before 03-15,
     * 301 left: 12000 x 301 / 365 = 9895.9 */
    ACCEPTED(buy_aligned(t, T1, P1, f, O_E3, 1, 12, MODEL_BILLING_ANNUAL, 1, year), MODEL_ACT_PURCHASE,
             MODEL_RULE_SUB_11);
    EXPECT_AMOUNT(nth_kind(MODEL_KIND_CHARGE, f, 0), MODEL_KIND_CHARGE, 12000 * 301 / 365);
    /* later: whole periods on the target's calendar */
    run_to(T("2025-04-10T02:00Z"));
    EXPECT_TIME(nth_kind(MODEL_KIND_CHARGE, d, 1).time, "2025-04-10");
    EXPECT_AMOUNT(nth_kind(MODEL_KIND_CHARGE, d, 1), MODEL_KIND_CHARGE, 10000);
    EXPECT_TIME(nth_kind(MODEL_KIND_RENEWAL_STARTED, e, 0).time, "2025-04-10");
    EXPECT_TIME(view(e).term_end, "2025-05-10");
    run_to(T("2026-01-10"));
    EXPECT_TIME(nth_kind(MODEL_KIND_RENEWAL_STARTED, d, 0).time, "2026-01-10");
}
END_TEST

/* SUB-11 as Microsoft computes it ([Coterm], the worked examples of docs/rules.md). A view's
 * term_end is 00:00 after the inclusive end date. tgt: P1Y from 2021-10-02, autorenew on, so
 * its ends are 2022-10-01, 2023-10-01, 2024-10-01 (term_end 2022-10-02, ...). */
START_TEST(test_sub11_microsoft_examples)
{
    fx_new(T("2022-06-01"), T("2023-01-01"));
    P()->renewal_processing = sim_dist_fixed(1 * H);
    uint32_t *s = F.sub[T1];
    uint32_t tgt = s[0], jul30 = s[1], jun30 = s[2], p3y = s[3], p1y = s[4], caly = s[5], calm = s[6];
    uint32_t tr = s[7], bad = s[8], to_jun = s[9];
    init_sub(tgt, O_E3, P1, 10, 12, MODEL_BILLING_MONTHLY, "2021-10-02", 1);
    init_sub(jul30, O_E5, P1, 5, 12, MODEL_BILLING_MONTHLY, "2021-07-31", 1); /* ends 2022-07-30 */
    init_sub(jun30, O_E5, P1, 5, 12, MODEL_BILLING_MONTHLY, "2021-07-01", 1); /* ends 2022-06-30 */
    fx_start();
    /* a P1M bought 06-10 (unaligned end 07-09) aligned to an end on 30 June, a month end */
    ACCEPTED(buy_aligned(T("2022-06-10"), T1, P1, to_jun, O_E5, 2, 1, MODEL_BILLING_MONTHLY, 1, jun30),
             MODEL_ACT_PURCHASE, MODEL_RULE_SUB_11);
    EXPECT_TIME(view(to_jun).term_end, "2022-07-01");
    /* P3Y from 2022-07-01: unaligned end 2025-06-30; latest tgt end not after it 2024-10-01
     * (2025-10-01 is after): a first term of 27 months */
    ACCEPTED(buy_aligned(T("2022-07-01"), T1, P1, p3y, O_E3, 10, 36, MODEL_BILLING_MONTHLY, 1, tgt),
             MODEL_ACT_PURCHASE, MODEL_RULE_SUB_11);
    EXPECT_TIME(view(p3y).term_end, "2024-10-02");
    /* P1Y the same day: unaligned end 2023-06-30; 2023-10-01 is after it, so 2022-10-01 */
    ACCEPTED(buy_aligned(T("2022-07-01"), T1, P1, p1y, O_E3, 10, 12, MODEL_BILLING_MONTHLY, 1, tgt),
             MODEL_ACT_PURCHASE, MODEL_RULE_SUB_11);
    EXPECT_TIME(view(p1y).term_end, "2022-10-02");
    /* a trial as the target, or as the new subscription: coterm_invalid. The trial tr runs
     * 07-01..07-31 (a month end, so only its being a trial refuses the P1M aligned to it) */
    buy_trial(T("2022-07-01"), T1, P1, tr, O_E5);
    REFUSED(buy_aligned(T("2022-07-03"), T1, P1, bad, O_E5, 2, 1, MODEL_BILLING_MONTHLY, 1, tr),
            MODEL_ACT_PURCHASE, MODEL_REASON_COTERM_INVALID, MODEL_RULE_SUB_11);
    model_action ta = purchase(T1, P1, bad, O_E3);
    ta.trial = 1;
    ta.align = tgt;
    REFUSED(act(T("2022-07-03"), &ta), MODEL_ACT_PURCHASE, MODEL_REASON_COTERM_INVALID, MODEL_RULE_SUB_11);
    /* a P1M bought 07-10 (unaligned end 08-09) aligned to an end on 30 July, not July's
     * last day: a P1M renewing from there would drift */
    REFUSED(buy_aligned(T("2022-07-10"), T1, P1, bad, O_E5, 2, 1, MODEL_BILLING_MONTHLY, 1, jul30),
            MODEL_ACT_PURCHASE, MODEL_REASON_COTERM_INVALID, MODEL_RULE_SUB_11);
    EXPECT_STATE(bad, MODEL_STATE_NONE);
    /* calendar_month: a P1Y from 07-15 (unaligned end 2023-07-14) ends 2023-06-30; a P1M
     * (unaligned end 08-14) ends 07-31 and is charged 07-15..07-31: 10 x 1000 x 17/31 =
     * 5483.9, 5483 */
    ACCEPTED(buy_aligned(T("2022-07-15"), T1, P1, caly, O_E3, 10, 12, MODEL_BILLING_MONTHLY, 1,
                         MODEL_ALIGN_CALENDAR_MONTH),
             MODEL_ACT_PURCHASE, MODEL_RULE_SUB_11);
    EXPECT_TIME(view(caly).term_end, "2023-07-01");
    ACCEPTED(buy_aligned(T("2022-07-15"), T1, P1, calm, O_E3, 10, 1, MODEL_BILLING_MONTHLY, 1,
                         MODEL_ALIGN_CALENDAR_MONTH),
             MODEL_ACT_PURCHASE, MODEL_RULE_SUB_11);
    EXPECT_TIME(view(calm).term_end, "2022-08-01");
    EXPECT_CHARGE(nth_kind(MODEL_KIND_CHARGE, calm, 0), 5483, ANY_RULE, MODEL_NONE,
                  "period=2022-07-15..2022-07-31 prorated_days=17/31");
    /* then calendar months: 08-01..08-31, 09-01..09-30 */
    run_to(T("2022-08-02"));
    EXPECT_TIME(view(calm).term_start, "2022-08-01");
    EXPECT_TIME(view(calm).term_end, "2022-09-01");
    run_to(T("2022-09-02"));
    EXPECT_TIME(view(calm).term_end, "2022-10-01");
    /* p1y renews with tgt: 2022-10-02 .. 2023-10-01 */
    run_to(T("2022-10-03"));
    EXPECT_TIME(view(p1y).term_start, "2022-10-02");
    EXPECT_TIME(view(p1y).term_end, "2023-10-02");
    ck_assert_int_eq(view(p1y).term_end, view(tgt).term_end);
}
END_TEST

/* ---- EA claims --------------------------------------------------------------------------- */

/* E = 2025-07-01 00:00 (agreement ends 2025-06-30); the claim window is
 * [E - P6M, E + P90D) = [2025-01-01, 2025-09-29). */
START_TEST(test_ea1_window_boundaries)
{
    fx_ea();
    P()->ea_processing = sim_dist_fixed(0);
    P()->ea_late_processing = sim_dist_fixed(24 * H);
    uint32_t ag = model_add_agreement(F.w, "ea-1", T1, T("2025-06-30"), 0, 0);
    uint32_t *s = F.sub[T1];
    for (int i = 0; i < 4; i++)
        init_ea(s[i], ag, O_E3, 100);
    fx_start();
    REFUSED(claim(T("2024-12-31T23:59:59Z"), P1, s[0], s[10], 100), MODEL_ACT_CLAIM_EA_RENEWAL,
            MODEL_REASON_EA_NOT_ELIGIBLE, MODEL_RULE_EA_1);
    model_record r = claim(T("2025-01-01"), P1, s[0], s[10], 100);
    ACCEPTED(r, MODEL_ACT_CLAIM_EA_RENEWAL, MODEL_RULE_EA_1);
    ck_assert_uint_eq(r.subscription, s[0]);
    ck_assert_uint_eq(r.partner, P1);
    ck_assert_uint_eq(r.tenant, T1);
    EXPECT_STATE(s[10], MODEL_STATE_NONE);
    /* after E, whatever the EA subscription's state (deleted by now) */
    sim_time last = T("2025-09-29");
    ACCEPTED(claim(last - 1, P1, s[1], s[11], 100), MODEL_ACT_CLAIM_EA_RENEWAL, MODEL_RULE_EA_1);
    REFUSED(claim(last, P1, s[2], s[12], 100), MODEL_ACT_CLAIM_EA_RENEWAL, MODEL_REASON_EA_NOT_ELIGIBLE,
            MODEL_RULE_EA_1);
    EXPECT_STATE(s[1], MODEL_STATE_DELETED);
    run_to(last - 1 + 24 * H);
    EXPECT_STATE(s[11], MODEL_STATE_ACTIVE);
    EXPECT_STATE(s[10], MODEL_STATE_ACTIVE);
    EXPECT_STATE(s[12], MODEL_STATE_NONE);
    model_partner_figures pf = figures(P1);
    ck_assert_int_eq(pf.claims_won, 2);
    ck_assert_int_eq(pf.claims_refused, 2);
}
END_TEST

START_TEST(test_ea1_eligibility)
{
    fx_ea();
    P()->ea_processing = sim_dist_fixed(0);
    ck_assert_int_eq(model_add_relationship(F.w, T1, PEU), 0); /* across regions, through the API */
    uint32_t ag = model_add_agreement(F.w, "ea-1", T1, T("2025-06-30"), 0, 0);
    uint32_t pub = model_add_agreement(F.w, "ea-pub", T1, T("2025-06-30"), 0, 1);
    uint32_t ext = model_add_agreement(F.w, "ea-ext", T1, T("2025-06-30"), 1, 0);
    uint32_t *s = F.sub[T1];
    uint32_t ea = s[0], ps = s[1], gone = s[2], eos = s[3], xs = s[4], csp = s[5], m = s[6];
    init_ea(ea, ag, O_E3, 100);
    init_ea(ps, pub, O_E3, 100);
    init_ea(gone, ag, O_GONE, 10);
    init_ea(eos, ag, O_EOS, 10);
    init_ea(xs, ext, O_E5, 10);
    fx_start();
    sim_time t = T("2025-03-01");
    buy(T("2025-02-01"), T1, P1, csp, O_E3, 5, 12, MODEL_BILLING_MONTHLY, 1);
    buy(T("2025-02-01"), T1, P1, m, O_E3, 5, 1, MODEL_BILLING_MONTHLY, 1);
    REFUSED(claim(t, P1, ea, csp, 100), MODEL_ACT_CLAIM_EA_RENEWAL, MODEL_REASON_UNKNOWN_ENTITY, MODEL_RULE_EA_2);
    REFUSED(claim(t, P2, ea, s[10], 100), MODEL_ACT_CLAIM_EA_RENEWAL, MODEL_REASON_NO_RELATIONSHIP, MODEL_RULE_REL_1);
    REFUSED(claim(t, PEU, ea, s[10], 100), MODEL_ACT_CLAIM_EA_RENEWAL, MODEL_REASON_REGION_MISMATCH,
            MODEL_RULE_REL_2);
    REFUSED(claim(t, P1, ps, s[10], 100), MODEL_ACT_CLAIM_EA_RENEWAL, MODEL_REASON_EA_NOT_ELIGIBLE, MODEL_RULE_EA_1);
    REFUSED(claim(t, P1, csp, s[10], 5), MODEL_ACT_CLAIM_EA_RENEWAL, MODEL_REASON_EA_NOT_ELIGIBLE, MODEL_RULE_EA_1);
    REFUSED(claim(t, P1, gone, s[10], 10), MODEL_ACT_CLAIM_EA_RENEWAL, MODEL_REASON_EA_SKU_NOT_AVAILABLE,
            MODEL_RULE_EA_1);
    REFUSED(claim_aligned(t, P1, ea, s[10], 100, 1, MODEL_BILLING_ANNUAL, MODEL_NONE), MODEL_ACT_CLAIM_EA_RENEWAL,
            MODEL_REASON_TERM_NOT_OFFERED, ANY_RULE);
    REFUSED(claim_aligned(t, P1, ea, s[10], 100, 12, MODEL_BILLING_MONTHLY, m), MODEL_ACT_CLAIM_EA_RENEWAL,
            MODEL_REASON_COTERM_INVALID, MODEL_RULE_SUB_11);
    ck_assert_int_eq(figures(P1).claims_refused, 6);
    /* end of sale: reachable only this way; an extended-term agreement counts */
    ACCEPTED(claim(t, P1, eos, s[11], 10), MODEL_ACT_CLAIM_EA_RENEWAL, MODEL_RULE_EA_1);
    ACCEPTED(claim(t, P1, xs, s[12], 10), MODEL_ACT_CLAIM_EA_RENEWAL, MODEL_RULE_EA_1);
    ACCEPTED(claim(t, P1, ea, s[10], 100), MODEL_ACT_CLAIM_EA_RENEWAL, MODEL_RULE_EA_1);
    run_to(T("2025-07-01T12:00Z"));
    EXPECT_STATE(s[11], MODEL_STATE_ACTIVE);
    ck_assert_uint_eq(view(s[11]).offer, O_EOS);
    ck_assert_uint_eq(view(s[12]).offer, O_E5);
    ck_assert_uint_eq(view(s[10]).offer, O_E3);
    ck_assert_uint_eq(view(s[10]).partner, P1);
    ck_assert_int_eq(figures(P1).claims_won, 3);
}
END_TEST

/* REL-5: a relationship accepted during the run shows the EA after ea_visibility_delay. */
START_TEST(test_ea1_not_visible_yet)
{
    fx_ea();
    P()->ea_visibility_delay = sim_dist_fixed(10 * H);
    uint32_t ag = model_add_agreement(F.w, "ea-2", T2, T("2025-06-30"), 0, 0);
    uint32_t ea = F.sub[T2][0];
    init_ea(ea, ag, O_E3, 40);
    fx_start();
    rel_action(T("2025-02-01T08:00Z"), MODEL_ACT_REQUEST_RELATIONSHIP, T2, P2);
    REFUSED(claim(T("2025-02-01T08:30Z"), P2, ea, F.sub[T2][1], 40), MODEL_ACT_CLAIM_EA_RENEWAL,
            MODEL_REASON_RELATIONSHIP_PENDING, MODEL_RULE_REL_1);
    rel_action(T("2025-02-01T09:00Z"), MODEL_ACT_ACCEPT_RELATIONSHIP, T2, P2);
    sim_time visible = T("2025-02-01T19:00Z");
    REFUSED(claim(visible - 1, P2, ea, F.sub[T2][1], 40), MODEL_ACT_CLAIM_EA_RENEWAL, MODEL_REASON_EA_NOT_VISIBLE_YET,
            MODEL_RULE_REL_5);
    ACCEPTED(claim(visible, P2, ea, F.sub[T2][1], 40), MODEL_ACT_CLAIM_EA_RENEWAL, MODEL_RULE_EA_1);
    ck_assert_int_eq(figures(P2).claims_refused, 2);
}
END_TEST

START_TEST(test_ea2_claims)
{
    fx_ea();
    P()->ea_processing = sim_dist_fixed(0);
    ck_assert_int_eq(model_add_relationship(F.w, T1, P2), 0);
    uint32_t ag = model_add_agreement(F.w, "ea-1", T1, T("2025-06-30"), 0, 0);
    uint32_t *s = F.sub[T1];
    uint32_t x = s[0], y = s[1], n1 = s[10], n2 = s[11], n3 = s[12], n4 = s[13], n5 = s[14];
    init_ea(x, ag, O_E3, 100);
    init_ea(y, ag, O_E5, 50);
    fx_start();
    sim_time E = T("2025-07-01");
    ACCEPTED(claim(T("2025-03-01"), P1, x, n1, 20), MODEL_ACT_CLAIM_EA_RENEWAL, MODEL_RULE_EA_1);
    REFUSED(claim(T("2025-03-02"), P2, x, n2, 20), MODEL_ACT_CLAIM_EA_RENEWAL, MODEL_REASON_CLAIMED_BY_OTHER_PARTNER,
            MODEL_RULE_EA_2);
    /* the holder edits under the same id */
    ACCEPTED(claim(T("2025-03-03"), P1, x, n1, 30), MODEL_ACT_CLAIM_EA_RENEWAL, MODEL_RULE_EA_2);
    /* a partner without a claim cannot cancel one */
    REFUSED(cancel_claim(T("2025-03-04"), P2, x), MODEL_ACT_CANCEL_EA_CLAIM, MODEL_REASON_UNKNOWN_ENTITY,
            MODEL_RULE_EA_2);
    REFUSED(cancel_claim(T("2025-03-04"), P2, y), MODEL_ACT_CANCEL_EA_CLAIM, MODEL_REASON_UNKNOWN_ENTITY,
            MODEL_RULE_EA_2);
    /* y: claimed, then edited under a new id */
    ACCEPTED(claim(T("2025-03-05"), P1, y, n3, 50), MODEL_ACT_CLAIM_EA_RENEWAL, MODEL_RULE_EA_1);
    ACCEPTED(claim(T("2025-03-06"), P1, y, n4, 45), MODEL_ACT_CLAIM_EA_RENEWAL, MODEL_RULE_EA_2);
    /* cancel one second before E, then the other partner may claim */
    ACCEPTED(cancel_claim(E - 1, P1, x), MODEL_ACT_CANCEL_EA_CLAIM, MODEL_RULE_EA_2);
    ACCEPTED(claim(E - 1, P2, x, n2, 25), MODEL_ACT_CLAIM_EA_RENEWAL, MODEL_RULE_EA_1);
    /* from E on the holder can neither cancel nor edit */
    REFUSED(cancel_claim(E, P2, x), MODEL_ACT_CANCEL_EA_CLAIM, MODEL_REASON_CLAIM_LOCKED, MODEL_RULE_EA_2);
    REFUSED(claim(E, P2, x, n2, 10), MODEL_ACT_CLAIM_EA_RENEWAL, MODEL_REASON_CLAIM_LOCKED, MODEL_RULE_EA_2);
    REFUSED(cancel_claim(E, P1, y), MODEL_ACT_CANCEL_EA_CLAIM, MODEL_REASON_CLAIM_LOCKED, MODEL_RULE_EA_2);
    REFUSED(claim(E, P1, x, n5, 10), MODEL_ACT_CLAIM_EA_RENEWAL, MODEL_REASON_CLAIMED_BY_OTHER_PARTNER,
            MODEL_RULE_EA_2);
    /* processed at E + 12h: the holders' last claims */
    run_to(E + 12 * H);
    EXPECT_STATE(n2, MODEL_STATE_ACTIVE);
    ck_assert_uint_eq(view(n2).partner, P2);
    ck_assert_int_eq(view(n2).licenses, 25);
    EXPECT_STATE(n4, MODEL_STATE_ACTIVE);
    ck_assert_int_eq(view(n4).licenses, 45);
    ck_assert_uint_eq(view(n4).offer, O_E5);
    EXPECT_STATE(n1, MODEL_STATE_NONE);
    EXPECT_STATE(n3, MODEL_STATE_NONE);
    EXPECT_STATE(n5, MODEL_STATE_NONE);
    ck_assert_uint_eq(count_kind(MODEL_KIND_CLAIM_PROCESSED, MODEL_NONE), 2);
    run_to(T("2025-12-01"));
    EXPECT_STATE(n1, MODEL_STATE_NONE);
    ck_assert_int_eq(figures(P1).claims_won, 1);
    ck_assert_int_eq(figures(P2).claims_won, 1);
    ck_assert_int_eq(figures(P1).claims_refused, 1); /* refused cancels are not claims */
    ck_assert_int_eq(figures(P2).claims_refused, 2);
}
END_TEST

/* EA-3: before E, processed at E + ea_processing_start + ea_processing; at or after E,
 * ea_late_processing after the claim. Until then the id has state none. */
START_TEST(test_ea3_processing)
{
    fx_ea();
    P()->ea_processing = sim_dist_fixed(5 * H);
    P()->ea_late_processing = sim_dist_fixed(24 * H);
    uint32_t ag = model_add_agreement(F.w, "ea-1", T1, T("2025-06-30"), 0, 0);
    uint32_t *s = F.sub[T1];
    uint32_t x = s[0], y = s[1], z = s[2], nx = s[10], ny = s[11], nz = s[12];
    init_ea(x, ag, O_E3, 100);
    init_ea(y, ag, O_E3, 100);
    init_ea(z, ag, O_E5, 10);
    fx_start();
    sim_time E = T("2025-07-01");
    claim(T("2025-06-01"), P1, x, nx, 20);
    claim(E - 1, P1, z, nz, 10); /* one second before E: still E + 17h */
    run_to(E);
    EXPECT_STATE(x, MODEL_STATE_EXPIRED);
    EXPECT_STATE(nx, MODEL_STATE_NONE);
    claim(E, P1, y, ny, 7); /* at E: late */
    sim_time px = E + 17 * H;
    run_to(px - 1);
    EXPECT_STATE(nx, MODEL_STATE_NONE);
    ck_assert_uint_eq(count_kind(MODEL_KIND_CLAIM_PROCESSED, MODEL_NONE), 0);
    run_to(px);
    EXPECT_SYSTEM_AT(px, MODEL_KIND_CLAIM_PROCESSED, MODEL_KIND_SUBSCRIPTION_CREATED, MODEL_KIND_CHARGE,
                     MODEL_KIND_CLAIM_PROCESSED, MODEL_KIND_SUBSCRIPTION_CREATED, MODEL_KIND_CHARGE);
    model_record cp = nth_kind(MODEL_KIND_CLAIM_PROCESSED, nx, 0);
    ck_assert_int_eq(cp.rule, MODEL_RULE_EA_3);
    ck_assert_int_eq(cp.outcome, MODEL_OUTCOME_ACCEPTED);
    ck_assert_uint_eq(cp.partner, P1);
    EXPECT_LICENSES(cp, MODEL_KIND_CLAIM_PROCESSED, 20);
    EXPECT_DETAIL(cp, "ea_subscription=a00");
    model_record cr = after(cp);
    EXPECT_RECORD(cr, MODEL_KIND_SUBSCRIPTION_CREATED, MODEL_RULE_EA_4, nx);
    STATES(cr, MODEL_STATE_NONE, MODEL_STATE_ACTIVE);
    EXPECT_CHARGE(after(cr), 20 * 1000, ANY_RULE, MODEL_NONE, "period=2025-07-01..2025-07-31");
    model_sub_view v = view(nx);
    ck_assert_int_eq(v.channel, MODEL_CHANNEL_CSP);
    ck_assert_uint_eq(v.partner, P1);
    ck_assert_uint_eq(v.offer, O_E3);
    EXPECT_TIME(v.term_start, "2025-07-01");
    EXPECT_TIME(v.term_end, "2026-07-01");
    EXPECT_STATE(nz, MODEL_STATE_ACTIVE);
    /* the late one: E + 24h */
    run_to(E + 24 * H - 1);
    EXPECT_STATE(ny, MODEL_STATE_NONE);
    run_to(E + 24 * H);
    EXPECT_STATE(ny, MODEL_STATE_ACTIVE);
    EXPECT_TIME(nth_kind(MODEL_KIND_CLAIM_PROCESSED, ny, 0).time, "2025-07-02");
    /* an ordinary CSP subscription: its cancel window runs from the processing instant */
    run_to(px + 168 * H - 1);
    ck_assert_uint_eq(count_kind(MODEL_KIND_CANCEL_WINDOW_CLOSED, nx), 0);
    ACCEPTED(on_sub(px + 168 * H - 1, MODEL_ACT_CANCEL, nz), MODEL_ACT_CANCEL, MODEL_RULE_SUB_2);
    run_to(px + 168 * H);
    EXPECT_TIME(nth_kind(MODEL_KIND_CANCEL_WINDOW_CLOSED, nx, 0).time, "2025-07-08T17:00Z");
    ck_assert_int_eq(figures(P1).claims_won, 3);
}
END_TEST

/* EA-4 / LIM-1: the limit is checked when the claim is processed. */
START_TEST(test_ea4_tenant_limit_at_processing)
{
    fx_ea();
    P()->ea_processing = sim_dist_fixed(0);
    P()->ea_late_processing = sim_dist_fixed(24 * H);
    P()->tenant_subscription_limit = 2;
    uint32_t ag = model_add_agreement(F.w, "ea-1", T1, T("2025-06-30"), 0, 0);
    uint32_t *s = F.sub[T1];
    uint32_t x = s[0], c1 = s[1], c2 = s[2], n = s[10], n2 = s[11];
    init_ea(x, ag, O_E3, 100);
    fx_start();
    sim_time E = T("2025-07-01");
    buy(T("2024-12-05"), T1, P1, c1, O_E5, 5, 12, MODEL_BILLING_MONTHLY, 1);
    ACCEPTED(claim(T("2025-03-01"), P1, x, n, 100), MODEL_ACT_CLAIM_EA_RENEWAL, MODEL_RULE_EA_1);
    run_to(E);
    ck_assert_uint_eq(model_live_subscriptions(F.w, T1), 1); /* the EA one expired */
    ACCEPTED(buy(E + H, T1, P1, c2, O_E5, 5, 12, MODEL_BILLING_MONTHLY, 1), MODEL_ACT_PURCHASE, MODEL_RULE_SUB_1);
    int64_t rejections = tenant_metrics(T1).rejections;
    run_to(E + 12 * H);
    EXPECT_SYSTEM_AT(E + 12 * H, MODEL_KIND_CLAIM_PROCESSED);
    model_record cp = nth_kind(MODEL_KIND_CLAIM_PROCESSED, n, 0);
    ck_assert_int_eq(cp.outcome, MODEL_OUTCOME_REJECTED);
    ck_assert_int_eq(cp.reason, MODEL_REASON_TENANT_LIMIT);
    ck_assert_int_eq(cp.rule, MODEL_RULE_LIM_1);
    EXPECT_STATE(n, MODEL_STATE_NONE);
    ck_assert_uint_eq(count_kind(MODEL_KIND_SUBSCRIPTION_CREATED, n), 0);
    ck_assert_uint_eq(count_kind(MODEL_KIND_CHARGE, n), 0);
    ck_assert_uint_eq(model_live_subscriptions(F.w, T1), 2);
    ck_assert_int_eq(tenant_metrics(T1).rejections, rejections + 1);
    model_partner_figures pf = figures(P1);
    ck_assert_int_eq(pf.claims_won, 0);
    ck_assert_int_eq(pf.claims_refused, 1);
    /* the claim is released: a new (late) one may follow, and fits once room is made */
    ACCEPTED(on_sub(E + 13 * H, MODEL_ACT_CANCEL, c2), MODEL_ACT_CANCEL, MODEL_RULE_SUB_2);
    ACCEPTED(claim(E + 13 * H, P1, x, n2, 100), MODEL_ACT_CLAIM_EA_RENEWAL, MODEL_RULE_EA_1);
    run_to(E + 37 * H);
    EXPECT_STATE(n2, MODEL_STATE_ACTIVE);
    ck_assert_int_eq(figures(P1).claims_won, 1);
}
END_TEST

/* EA-4: E = 2025-07-01 (the agreement ends 2025-06-30). A claim one second before E is
 * processed at E + 12h + 5h = 07-01 17:00 and its term starts on E: P1Y 2025-07-01 ..
 * 2026-06-30, first period 07-01..07-31 charged whole, 20 x 10.00 = 200.00. A claim at E
 * is late (30h: 07-02 06:00) and its term starts at 00:00 of the processing day: P1Y
 * 2025-07-02 .. 2026-07-01, first period 07-02..08-01 charged whole, 7 x 10.00 = 70.00. */
START_TEST(test_ea4_term_starts_on_e)
{
    fx_ea();
    P()->ea_processing = sim_dist_fixed(5 * H);
    P()->ea_late_processing = sim_dist_fixed(30 * H);
    uint32_t ag = model_add_agreement(F.w, "ea-1", T1, T("2025-06-30"), 0, 0);
    uint32_t *s = F.sub[T1];
    uint32_t x = s[0], y = s[1], nx = s[10], ny = s[11];
    init_ea(x, ag, O_E3, 100);
    init_ea(y, ag, O_E3, 100);
    fx_start();
    sim_time E = T("2025-07-01");
    ACCEPTED(claim(E - 1, P1, x, nx, 20), MODEL_ACT_CLAIM_EA_RENEWAL, MODEL_RULE_EA_1);
    ACCEPTED(claim(E, P1, y, ny, 7), MODEL_ACT_CLAIM_EA_RENEWAL, MODEL_RULE_EA_1);
    run_to(E + 17 * H);
    EXPECT_STATE(nx, MODEL_STATE_ACTIVE);
    EXPECT_TIME(view(nx).term_start, "2025-07-01");
    EXPECT_TIME(view(nx).term_end, "2026-07-01");
    model_record c = nth_kind(MODEL_KIND_CHARGE, nx, 0);
    EXPECT_TIME(c.time, "2025-07-01T17:00Z");
    EXPECT_CHARGE(c, 20 * 1000, ANY_RULE, MODEL_NONE, "period=2025-07-01..2025-07-31");
    run_to(E + 30 * H - 1);
    EXPECT_STATE(ny, MODEL_STATE_NONE);
    run_to(E + 30 * H);
    EXPECT_STATE(ny, MODEL_STATE_ACTIVE);
    EXPECT_TIME(view(ny).term_start, "2025-07-02");
    EXPECT_TIME(view(ny).term_end, "2026-07-02");
    EXPECT_CHARGE(nth_kind(MODEL_KIND_CHARGE, ny, 0), 7 * 1000, ANY_RULE, MODEL_NONE, "period=2025-07-02..2025-08-01");
    /* the next periods follow each term's own calendar */
    run_to(T("2025-08-02T01:00Z"));
    EXPECT_TIME(nth_kind(MODEL_KIND_CHARGE, nx, 1).time, "2025-08-01");
    EXPECT_TIME(nth_kind(MODEL_KIND_CHARGE, ny, 1).time, "2025-08-02");
}
END_TEST

/* EA-5: the agreement renewed after a claim left in place: both billed. */
START_TEST(test_ea5_double_billing)
{
    fx_ea();
    P()->ea_processing = sim_dist_fixed(0);
    uint32_t ag = model_add_agreement(F.w, "ea-1", T1, T("2025-06-30"), 0, 0);
    uint32_t ag2 = model_add_agreement(F.w, "ea-2", T1, T("2025-03-31"), 0, 0);
    uint32_t *s = F.sub[T1];
    uint32_t x = s[0], other = s[1], n = s[10];
    init_ea(x, ag, O_E3, 100);
    init_ea(other, ag2, O_E5, 10);
    fx_start();
    sim_time E = T("2025-07-01");
    ACCEPTED(claim(T("2025-06-01"), P1, x, n, 100), MODEL_ACT_CLAIM_EA_RENEWAL, MODEL_RULE_EA_1);
    /* renewals: the new end must be later, and come before E */
    REFUSED(renew_agreement(T("2025-06-15"), ag, T("2025-06-30")), MODEL_ACT_RENEW_EA_AGREEMENT,
            MODEL_REASON_NOT_ACTIVE, MODEL_RULE_EA_6);
    REFUSED(renew_agreement(T("2025-06-15"), ag2, T("2026-03-31")), MODEL_ACT_RENEW_EA_AGREEMENT,
            MODEL_REASON_NOT_ACTIVE, MODEL_RULE_EA_6); /* ag2 ended 2025-04-01 */
    ACCEPTED(renew_agreement(T("2025-06-15"), ag, T("2026-06-30")), MODEL_ACT_RENEW_EA_AGREEMENT, MODEL_RULE_EA_6);
    EXPECT_TIME(view(x).term_end, "2026-07-01");
    run_to(E + 12 * H - 1);
    EXPECT_STATE(x, MODEL_STATE_ACTIVE);
    ck_assert_uint_eq(count_kind(MODEL_KIND_EXPIRED, x), 0);
    run_to(E + 12 * H);
    EXPECT_SYSTEM_AT(E + 12 * H, MODEL_KIND_CLAIM_PROCESSED, MODEL_KIND_SUBSCRIPTION_CREATED, MODEL_KIND_CHARGE,
                     MODEL_KIND_DOUBLE_BILLING_STARTED);
    EXPECT_STATE(n, MODEL_STATE_ACTIVE);
    model_record st = nth_kind(MODEL_KIND_DOUBLE_BILLING_STARTED, MODEL_NONE, 0);
    ck_assert_int_eq(st.rule, MODEL_RULE_EA_5);
    ck_assert_uint_eq(st.tenant, T1);
    EXPECT_DETAIL(st, "provisioning_id=prov-e3");
    EXPECT_DETAIL(st, "a00");
    EXPECT_DETAIL(st, "a10");
    /* two days and a half later the claim's subscription is canceled: 3 days */
    ACCEPTED(on_sub(E + 12 * H + 2 * D + 12 * H, MODEL_ACT_CANCEL, n), MODEL_ACT_CANCEL, MODEL_RULE_SUB_2);
    model_record en = nth_kind(MODEL_KIND_DOUBLE_BILLING_ENDED, MODEL_NONE, 0);
    ck_assert_int_eq(en.rule, MODEL_RULE_EA_5);
    EXPECT_TIME(en.time, "2025-07-04");
    EXPECT_DETAIL(en, "days=3");
    ck_assert_int_eq(tenant_metrics(T1).double_billing_days, 3);
    /* a renewal must push the (new) end further */
    REFUSED(renew_agreement(T("2025-12-01"), ag, T("2026-05-31")), MODEL_ACT_RENEW_EA_AGREEMENT,
            MODEL_REASON_NOT_ACTIVE, MODEL_RULE_EA_6);
    EXPECT_TIME(view(x).term_end, "2026-07-01");
}
END_TEST

/* ---- XFER-1: partner-to-partner transfers ------------------------------------------------ */

/* Accept all: new subscriptions at the target with the same term end, each charged for the
 * rest of its billing period; then the sources canceled without refund. */
START_TEST(test_xfer1_accept_all)
{
    static uint32_t src[2], dst[2];
    fx_std();
    ck_assert_int_eq(model_add_relationship(F.w, T1, P2), 0);
    uint32_t a = F.sub[T1][0], b = F.sub[T1][1];
    src[0] = a, src[1] = b, dst[0] = F.sub[T1][10], dst[1] = F.sub[T1][11];
    init_sub(a, O_E3, P1, 10, 12, MODEL_BILLING_MONTHLY, "2024-11-15", 1);
    init_sub(b, O_VISIO, P1, 5, 12, MODEL_BILLING_ANNUAL, "2024-12-01", 0);
    uint32_t tr = model_add_transfer(F.w, "tr1", T1, P1, P2, src, dst, 2);
    ck_assert_uint_ne(tr, MODEL_NONE);
    fx_start();
    model_record r = xfer(T("2025-01-10"), MODEL_ACT_REQUEST_TRANSFER, tr, NULL, 0);
    ACCEPTED(r, MODEL_ACT_REQUEST_TRANSFER, MODEL_RULE_XFER_1);
    ck_assert_uint_eq(r.partner, P2);
    ck_assert_uint_eq(r.tenant, T1);
    EXPECT_STATE(dst[0], MODEL_STATE_NONE);
    sim_time t = T("2025-01-12");
    r = xfer(t, MODEL_ACT_ACCEPT_TRANSFER, tr, NULL, 0);
    ACCEPTED(r, MODEL_ACT_ACCEPT_TRANSFER, MODEL_RULE_XFER_1);
    ck_assert_uint_eq(r.partner, P1);
    /* a00: period 2024-12-15..2025-01-14, 28 used, 3 left: 10 x 1000 x 3 / 31 = 967.7;
     * a01: 2024-12-01..2025-11-30, 42 used, 323 left: 5 x 500 x 12 x 323 / 365 = 26547.9 */
    model_record c0 = after(r);
    EXPECT_RECORD(c0, MODEL_KIND_SUBSCRIPTION_CREATED, MODEL_RULE_XFER_1, dst[0]);
    ck_assert_uint_eq(c0.partner, P2);
    STATES(c0, MODEL_STATE_NONE, MODEL_STATE_ACTIVE);
    EXPECT_LICENSES(c0, MODEL_KIND_SUBSCRIPTION_CREATED, 10);
    ck_assert_str_eq(c0.detail, "transfer=tr1 from_subscription=a00");
    model_record ch0 = after(c0);
    EXPECT_AMOUNT(ch0, MODEL_KIND_CHARGE, 967);
    ck_assert_uint_eq(ch0.partner, P2);
    EXPECT_DETAIL(ch0, "prorated_days=3/31");
    model_record c1 = after(ch0);
    EXPECT_RECORD(c1, MODEL_KIND_SUBSCRIPTION_CREATED, ANY_RULE, dst[1]);
    model_record ch1 = after(c1);
    EXPECT_AMOUNT(ch1, MODEL_KIND_CHARGE, 26547);
    EXPECT_DETAIL(ch1, "prorated_days=323/365");
    model_record d0 = after(ch1);
    EXPECT_RECORD(d0, MODEL_KIND_TRANSFER_COMPLETED, MODEL_RULE_XFER_1, a);
    STATES(d0, MODEL_STATE_ACTIVE, MODEL_STATE_CANCELED);
    EXPECT_DETAIL(d0, "to_subscription=a10");
    EXPECT_RECORD(after(d0), MODEL_KIND_TRANSFER_COMPLETED, ANY_RULE, b);
    for (int i = 0; i < 2; i++) {
        model_sub_view vs = view(src[i]), vd = view(dst[i]);
        ck_assert_int_eq(vs.state, MODEL_STATE_CANCELED);
        ck_assert_int_eq(vd.state, MODEL_STATE_ACTIVE);
        ck_assert_uint_eq(vd.partner, P2);
        ck_assert_uint_eq(vd.offer, vs.offer);
        ck_assert_int_eq(vd.licenses, vs.licenses);
        ck_assert_int_eq(vd.autorenew, vs.autorenew);
        ck_assert_int_eq(vd.term_end, vs.term_end);
    }
    EXPECT_TIME(view(dst[0]).term_end, "2025-11-15");
    EXPECT_TIME(view(dst[1]).term_end, "2025-12-01");
    ck_assert_int_eq(view(dst[1]).autorenew, 0);
    ck_assert_uint_eq(count_kind(MODEL_KIND_REFUND, MODEL_NONE), 0);
    ck_assert_uint_eq(model_live_subscriptions(F.w, T1), 2);
    model_partner_figures pf = figures(P2);
    ck_assert_int_eq(pf.transfers_accepted, 1);
    ck_assert_int_eq(pf.transfers_refused, 0);
    ck_assert_int_eq(figures(P1).transfers_accepted, 0);
    /* billed by the target from now on; the sources' data is kept by the new ones */
    run_to(T("2025-01-20"));
    model_record next = nth_kind(MODEL_KIND_CHARGE, dst[0], 1);
    EXPECT_TIME(next.time, "2025-01-15");
    EXPECT_AMOUNT(next, MODEL_KIND_CHARGE, 10000);
    ck_assert_uint_eq(count_kind(MODEL_KIND_CHARGE, a), 0);
    EXPECT_STATE(a, MODEL_STATE_DELETED);
    ck_assert_uint_eq(count_kind(MODEL_KIND_DATA_LOSS, MODEL_NONE), 0);
    ck_assert_int_eq(tenant_metrics(T1).double_billing_days, 0);
}
END_TEST

/* XFER-1 (brief): a transferred subscription gets no new cancel window. */
START_TEST(test_xfer1_no_new_cancel_window)
{
    static uint32_t src[1], dst[1];
    fx_std();
    ck_assert_int_eq(model_add_relationship(F.w, T1, P2), 0);
    src[0] = F.sub[T1][0], dst[0] = F.sub[T1][10];
    init_sub(src[0], O_E3, P1, 10, 12, MODEL_BILLING_MONTHLY, "2024-11-15", 1);
    uint32_t tr = model_add_transfer(F.w, "tr1", T1, P1, P2, src, dst, 1);
    fx_start();
    xfer(T("2025-01-10"), MODEL_ACT_REQUEST_TRANSFER, tr, NULL, 0);
    ACCEPTED(xfer(T("2025-01-12"), MODEL_ACT_ACCEPT_TRANSFER, tr, NULL, 0), MODEL_ACT_ACCEPT_TRANSFER,
             MODEL_RULE_XFER_1);
    REFUSED(on_sub(T("2025-01-12T01:00Z"), MODEL_ACT_CANCEL, dst[0]), MODEL_ACT_CANCEL,
            MODEL_REASON_CANCEL_WINDOW_CLOSED, MODEL_RULE_SUB_2);
    EXPECT_STATE(dst[0], MODEL_STATE_ACTIVE);
    ck_assert_uint_eq(count_kind(MODEL_KIND_REFUND, MODEL_NONE), 0);
}
END_TEST

/* LIM-1 once for the whole batch: 150 live + 150 = 300 is accepted, 151 + 151 is refused
 * whole (the transfer stays pending), and so is 151 + 150; 151 + 149 fits. */
#define BIG 151
static char big_ids[2][2][BIG][16];
static uint32_t big_src[2][BIG], big_dst[2][BIG];

START_TEST(test_xfer1_tenant_limit_150_151)
{
    fx_std();
    ck_assert_int_eq(model_add_relationship(F.w, T1, P2), 0);
    ck_assert_int_eq(model_add_relationship(F.w, T2, P1), 0);
    ck_assert_int_eq(model_add_relationship(F.w, T2, P2), 0);
    static const int count[2] = {150, 151};
    static const uint32_t tenant[2] = {T1, T2};
    uint32_t tr[2];
    for (int k = 0; k < 2; k++) {
        for (int i = 0; i < count[k]; i++) {
            snprintf(big_ids[k][0][i], sizeof big_ids[k][0][i], "s%d-%03d", k, i);
            snprintf(big_ids[k][1][i], sizeof big_ids[k][1][i], "x%d.s%03d", k, i);
            big_src[k][i] = model_declare_subscription(F.w, big_ids[k][0][i], tenant[k]);
            big_dst[k][i] = model_declare_subscription(F.w, big_ids[k][1][i], tenant[k]);
            init_sub(big_src[k][i], O_E3, P1, 1, 12, MODEL_BILLING_MONTHLY, "2024-12-20", 1);
        }
        tr[k] = model_add_transfer(F.w, k ? "x1" : "x0", tenant[k], P1, P2, big_src[k], big_dst[k],
                                   (size_t)count[k]);
        ck_assert_uint_ne(tr[k], MODEL_NONE);
    }
    fx_start();
    ck_assert_uint_eq(model_live_subscriptions(F.w, T1), 150);
    ck_assert_uint_eq(model_live_subscriptions(F.w, T2), 151);
    sim_time t = T("2025-01-10");
    ACCEPTED(xfer(t, MODEL_ACT_REQUEST_TRANSFER, tr[0], NULL, 0), MODEL_ACT_REQUEST_TRANSFER, MODEL_RULE_XFER_1);
    ACCEPTED(xfer(t, MODEL_ACT_REQUEST_TRANSFER, tr[1], NULL, 0), MODEL_ACT_REQUEST_TRANSFER, MODEL_RULE_XFER_1);
    ACCEPTED(xfer(t + D, MODEL_ACT_ACCEPT_TRANSFER, tr[0], NULL, 0), MODEL_ACT_ACCEPT_TRANSFER, MODEL_RULE_XFER_1);
    ck_assert_uint_eq(model_live_subscriptions(F.w, T1), 150);
    size_t created = 0, completed = 0;
    for (size_t i = 0; i < F.cap.n; i++) {
        created += F.cap.v[i].kind == MODEL_KIND_SUBSCRIPTION_CREATED && F.cap.v[i].rule == MODEL_RULE_XFER_1;
        completed += F.cap.v[i].kind == MODEL_KIND_TRANSFER_COMPLETED;
    }
    ck_assert_uint_eq(created, 150);
    ck_assert_uint_eq(completed, 150);
    EXPECT_STATE(big_dst[0][149], MODEL_STATE_ACTIVE);
    EXPECT_STATE(big_src[0][0], MODEL_STATE_CANCELED);
    size_t n = F.cap.n;
    REFUSED(xfer(t + D, MODEL_ACT_ACCEPT_TRANSFER, tr[1], NULL, 0), MODEL_ACT_ACCEPT_TRANSFER,
            MODEL_REASON_TENANT_LIMIT, MODEL_RULE_LIM_1);
    REFUSED(xfer(t + D, MODEL_ACT_ACCEPT_TRANSFER, tr[1], big_src[1], 150), MODEL_ACT_ACCEPT_TRANSFER,
            MODEL_REASON_TENANT_LIMIT, MODEL_RULE_LIM_1);
    ck_assert_uint_eq(F.cap.n, n + 2);
    ck_assert_uint_eq(model_live_subscriptions(F.w, T2), 151);
    EXPECT_STATE(big_src[1][0], MODEL_STATE_ACTIVE);
    EXPECT_STATE(big_dst[1][0], MODEL_STATE_NONE);
    /* still pending: a smaller subset is accepted */
    ACCEPTED(xfer(t + 2 * D, MODEL_ACT_ACCEPT_TRANSFER, tr[1], big_src[1], 149), MODEL_ACT_ACCEPT_TRANSFER,
             MODEL_RULE_XFER_1);
    ck_assert_uint_eq(model_live_subscriptions(F.w, T2), 151);
    EXPECT_STATE(big_dst[1][148], MODEL_STATE_ACTIVE);
    EXPECT_STATE(big_src[1][149], MODEL_STATE_ACTIVE);
    EXPECT_STATE(big_dst[1][149], MODEL_STATE_NONE);
    model_partner_figures pf = figures(P2);
    ck_assert_int_eq(pf.transfers_accepted, 2);
    ck_assert_int_eq(pf.transfers_refused, 2);
}
END_TEST

/* transfer_expiry P30D: requested 01-10 08:00, expired at 02-09 08:00 exactly. */
START_TEST(test_xfer1_expiry)
{
    static uint32_t s2[1], d2[1], s3[1], d3[1];
    fx_std();
    ck_assert_int_eq(model_add_relationship(F.w, T1, P2), 0);
    s2[0] = F.sub[T1][0], d2[0] = F.sub[T1][10], s3[0] = F.sub[T1][1], d3[0] = F.sub[T1][11];
    init_sub(s2[0], O_E3, P1, 10, 12, MODEL_BILLING_MONTHLY, "2024-12-20", 1);
    init_sub(s3[0], O_E5, P1, 10, 12, MODEL_BILLING_MONTHLY, "2024-12-20", 1);
    uint32_t tr2 = model_add_transfer(F.w, "tr2", T1, P1, P2, s2, d2, 1);
    uint32_t tr3 = model_add_transfer(F.w, "tr3", T1, P1, P2, s3, d3, 1);
    fx_start();
    sim_time req = T("2025-01-10T08:00Z"), due = T("2025-02-09T08:00Z");
    xfer(req, MODEL_ACT_REQUEST_TRANSFER, tr2, NULL, 0);
    xfer(req, MODEL_ACT_REQUEST_TRANSFER, tr3, NULL, 0);
    ACCEPTED(xfer(due - 1, MODEL_ACT_ACCEPT_TRANSFER, tr2, NULL, 0), MODEL_ACT_ACCEPT_TRANSFER, MODEL_RULE_XFER_1);
    EXPECT_STATE(d2[0], MODEL_STATE_ACTIVE);
    ck_assert_uint_eq(count_kind(MODEL_KIND_TRANSFER_EXPIRED, MODEL_NONE), 0);
    model_record r = xfer(due, MODEL_ACT_ACCEPT_TRANSFER, tr3, NULL, 0);
    REFUSED(r, MODEL_ACT_ACCEPT_TRANSFER, MODEL_REASON_TRANSFER_EXPIRED, MODEL_RULE_XFER_1);
    EXPECT_SYSTEM_AT(due, MODEL_KIND_TRANSFER_EXPIRED);
    model_record e = nth_kind(MODEL_KIND_TRANSFER_EXPIRED, MODEL_NONE, 0);
    ck_assert_int_eq(e.rule, MODEL_RULE_XFER_1);
    ck_assert_uint_eq(e.tenant, T1);
    ck_assert_uint_eq(e.partner, P2);
    ck_assert_uint_lt(e.seq, r.seq);
    EXPECT_DETAIL(e, "transfer=tr3");
    REFUSED(xfer(due + D, MODEL_ACT_REJECT_TRANSFER, tr3, NULL, 0), MODEL_ACT_REJECT_TRANSFER,
            MODEL_REASON_TRANSFER_EXPIRED, MODEL_RULE_XFER_1);
    EXPECT_STATE(s3[0], MODEL_STATE_ACTIVE);
    EXPECT_STATE(d3[0], MODEL_STATE_NONE);
    run_to(T("2025-06-01"));
    ck_assert_uint_eq(count_kind(MODEL_KIND_TRANSFER_EXPIRED, MODEL_NONE), 1);
    model_partner_figures pf = figures(P2);
    ck_assert_int_eq(pf.transfers_accepted, 1);
    ck_assert_int_eq(pf.transfers_refused, 3); /* expired, the refused accept and the refused reject */
}
END_TEST

START_TEST(test_xfer1_refusals)
{
    static uint32_t l1[2], n1[2], lsusp[1], nsusp[1], lwd[1], nwd[1], ldup[2], ndup[2], lc[1], nc[1], ld[1], nd[1],
        leu[1], neu[1], lnever[1], nnever[1];
    fx_std();
    P()->renewal_processing = sim_dist_fixed(6 * H);
    ck_assert_int_eq(model_add_relationship(F.w, T1, P2), 0);
    uint32_t *s = F.sub[T1];
    uint32_t a = s[0], b = s[1], c = s[2], d = s[3], susp = s[4], wd = s[5];
    init_sub(a, O_E3, P1, 10, 12, MODEL_BILLING_MONTHLY, "2024-12-20", 1);
    init_sub(b, O_E5, P1, 10, 12, MODEL_BILLING_MONTHLY, "2024-12-20", 1);
    init_sub(c, O_VISIO, P1, 10, 12, MODEL_BILLING_MONTHLY, "2024-12-20", 1);
    init_sub(d, O_E3, P1, 10, 1, MODEL_BILLING_MONTHLY, "2024-12-20", 1); /* renews 01-20 00:00..06:00 */
    model_sub_spec suspended = sub_spec(O_E5, P1, 3, 12, MODEL_BILLING_MONTHLY, "2024-12-20", 0);
    suspended.state = MODEL_STATE_SUSPENDED;
    init_sub_spec(susp, &suspended, 0);
    init_web_direct(wd, O_E3, 3, 12, MODEL_BILLING_MONTHLY, "2024-12-20", 1);
    l1[0] = a, l1[1] = b, n1[0] = s[10], n1[1] = s[11];
    lsusp[0] = susp, nsusp[0] = s[12];
    lwd[0] = wd, nwd[0] = s[13];
    ldup[0] = c, ldup[1] = b, ndup[0] = s[14], ndup[1] = s[15];
    lc[0] = c, nc[0] = s[16];
    ld[0] = d, nd[0] = s[17];
    leu[0] = c, neu[0] = s[18];
    lnever[0] = c, nnever[0] = s[19];
    uint32_t tr1 = model_add_transfer(F.w, "tr1", T1, P1, P2, l1, n1, 2);
    uint32_t trs = model_add_transfer(F.w, "trs", T1, P1, P2, lsusp, nsusp, 1);
    uint32_t trw = model_add_transfer(F.w, "trw", T1, P1, P2, lwd, nwd, 1);
    uint32_t trd = model_add_transfer(F.w, "trd", T1, P1, P2, ldup, ndup, 2);
    uint32_t trc = model_add_transfer(F.w, "trc", T1, P1, P2, lc, nc, 1);
    uint32_t trr = model_add_transfer(F.w, "trr", T1, P1, P2, ld, nd, 1);
    uint32_t tre = model_add_transfer(F.w, "tre", T1, P1, PEU, leu, neu, 1);
    uint32_t trn = model_add_transfer(F.w, "trn", T1, P1, P2, lnever, nnever, 1);
    fx_start();
    sim_time t = T("2025-01-10");
    REFUSED(xfer(t, MODEL_ACT_REQUEST_TRANSFER, tre, NULL, 0), MODEL_ACT_REQUEST_TRANSFER,
            MODEL_REASON_NO_RELATIONSHIP, MODEL_RULE_REL_1);
    REFUSED(xfer(t, MODEL_ACT_REQUEST_TRANSFER, trs, NULL, 0), MODEL_ACT_REQUEST_TRANSFER,
            MODEL_REASON_TRANSFER_NOT_ELIGIBLE, MODEL_RULE_XFER_1);
    REFUSED(xfer(t, MODEL_ACT_REQUEST_TRANSFER, trw, NULL, 0), MODEL_ACT_REQUEST_TRANSFER,
            MODEL_REASON_TRANSFER_NOT_ELIGIBLE, MODEL_RULE_XFER_1);
    ACCEPTED(xfer(t, MODEL_ACT_REQUEST_TRANSFER, tr1, NULL, 0), MODEL_ACT_REQUEST_TRANSFER, MODEL_RULE_XFER_1);
    REFUSED(xfer(t, MODEL_ACT_REQUEST_TRANSFER, tr1, NULL, 0), MODEL_ACT_REQUEST_TRANSFER, MODEL_REASON_NOT_ACTIVE,
            MODEL_RULE_XFER_1);
    REFUSED(xfer(t, MODEL_ACT_REQUEST_TRANSFER, trd, NULL, 0), MODEL_ACT_REQUEST_TRANSFER,
            MODEL_REASON_ALREADY_IN_TRANSFER, MODEL_RULE_XFER_1);
    REFUSED(xfer(t, MODEL_ACT_ACCEPT_TRANSFER, trn, NULL, 0), MODEL_ACT_ACCEPT_TRANSFER, MODEL_REASON_UNKNOWN_ENTITY,
            MODEL_RULE_XFER_1);
    REFUSED(xfer(t, MODEL_ACT_REJECT_TRANSFER, trn, NULL, 0), MODEL_ACT_REJECT_TRANSFER, MODEL_REASON_UNKNOWN_ENTITY,
            MODEL_RULE_XFER_1);
    /* a source suspended after the request: the accept is refused, the transfer stays pending */
    ACCEPTED(xfer(t, MODEL_ACT_REQUEST_TRANSFER, trc, NULL, 0), MODEL_ACT_REQUEST_TRANSFER, MODEL_RULE_XFER_1);
    on_sub(T("2025-01-11"), MODEL_ACT_SUSPEND, c);
    REFUSED(xfer(T("2025-01-12"), MODEL_ACT_ACCEPT_TRANSFER, trc, NULL, 0), MODEL_ACT_ACCEPT_TRANSFER,
            MODEL_REASON_TRANSFER_NOT_ELIGIBLE, MODEL_RULE_XFER_1);
    on_sub(T("2025-01-13"), MODEL_ACT_RESUME, c);
    ACCEPTED(xfer(T("2025-01-14"), MODEL_ACT_ACCEPT_TRANSFER, trc, NULL, 0), MODEL_ACT_ACCEPT_TRANSFER,
             MODEL_RULE_XFER_1);
    EXPECT_STATE(nc[0], MODEL_STATE_ACTIVE);
    /* reject: then nothing more */
    model_record r = xfer(T("2025-01-15"), MODEL_ACT_REJECT_TRANSFER, tr1, NULL, 0);
    ACCEPTED(r, MODEL_ACT_REJECT_TRANSFER, MODEL_RULE_XFER_1);
    ck_assert_uint_eq(r.partner, P1);
    REFUSED(xfer(T("2025-01-16"), MODEL_ACT_ACCEPT_TRANSFER, tr1, NULL, 0), MODEL_ACT_ACCEPT_TRANSFER,
            MODEL_REASON_NOT_ACTIVE, MODEL_RULE_XFER_1);
    REFUSED(xfer(T("2025-01-16"), MODEL_ACT_REJECT_TRANSFER, tr1, NULL, 0), MODEL_ACT_REJECT_TRANSFER,
            MODEL_REASON_NOT_ACTIVE, MODEL_RULE_XFER_1);
    EXPECT_STATE(a, MODEL_STATE_ACTIVE);
    EXPECT_STATE(n1[0], MODEL_STATE_NONE);
    /* a subscription renewing */
    REFUSED(xfer(T("2025-01-20T01:00Z"), MODEL_ACT_REQUEST_TRANSFER, trr, NULL, 0), MODEL_ACT_REQUEST_TRANSFER,
            MODEL_REASON_RENEWAL_IN_PROGRESS, MODEL_RULE_SUB_3);
    ACCEPTED(xfer(T("2025-01-20T06:00Z"), MODEL_ACT_REQUEST_TRANSFER, trr, NULL, 0), MODEL_ACT_REQUEST_TRANSFER,
             MODEL_RULE_XFER_1);
    /* b is free again once tr1 was rejected (c is gone) */
    REFUSED(xfer(T("2025-01-21"), MODEL_ACT_REQUEST_TRANSFER, trd, NULL, 0), MODEL_ACT_REQUEST_TRANSFER,
            MODEL_REASON_TRANSFER_NOT_ELIGIBLE, MODEL_RULE_XFER_1);
    /* P2: requests refused 6 (trs, trw, tr1 again, trd twice, trr), accepts refused 3 (trn,
     * trc, tr1 after the reject), rejects refused 2 (trn, tr1 again), tr1 rejected 1 */
    model_partner_figures pf = figures(P2);
    ck_assert_int_eq(pf.transfers_accepted, 1);
    ck_assert_int_eq(pf.transfers_refused, 12);
    ck_assert_int_eq(figures(PEU).transfers_refused, 1);
}
END_TEST

/* ---- MIG-1: double billing ----------------------------------------------------------------- */

/* A world of two months (2025-01-01 to 03-01) where t1 also deals with p2, started. */
static void fx_mig_started(void)
{
    fx_new(T("2025-01-01"), T("2025-03-01"));
    ck_assert_int_eq(model_add_relationship(F.w, T1, P2), 0);
    fx_start();
}

/* Two paid subscriptions of one provisioning id from two partners: the days of the overlap,
 * rounded up per stretch. */
/* ---- partner types (REL-6) ---------------------------------------------------------------- */

/* p1 an indirect provider, p2 an indirect reseller. p2 buying is refused
 * partner_type_not_allowed even where it has no relationship (t2): second in the precedence.
 * p1 buys for p2 on 01-10: e3 10 x 10.00 P1M = 100.00, billed to p1 and in p2's reseller
 * figures; canceled 01-12: period 01-10..02-09 (31 days), 2 used, 29 left: 10000 x 29/31 =
 * 9354.8, 9354 (rounded down). */
START_TEST(test_rel6_partner_types)
{
    fx_std();
    model_set_partner_type(F.w, P1, MODEL_PARTNER_INDIRECT_PROVIDER);
    model_set_partner_type(F.w, P2, MODEL_PARTNER_INDIRECT_RESELLER);
    ck_assert_int_eq(model_add_relationship(F.w, T1, P2), 0);
    init_sub(F.sub[T1][5], O_VISIO, P2, 3, 12, MODEL_BILLING_MONTHLY, "2024-10-01", 1);
    fx_start();
    uint32_t a = F.sub[T1][0], b = F.sub[T2][0], old = F.sub[T1][5];
    REFUSED(buy(T("2025-01-05"), T1, P2, F.sub[T1][1], O_E3, 10, 1, MODEL_BILLING_MONTHLY, 1), MODEL_ACT_PURCHASE,
            MODEL_REASON_PARTNER_TYPE_NOT_ALLOWED, MODEL_RULE_REL_6);
    REFUSED(buy(T("2025-01-05"), T2, P2, b, O_E3, 10, 1, MODEL_BILLING_MONTHLY, 1), MODEL_ACT_PURCHASE,
            MODEL_REASON_PARTNER_TYPE_NOT_ALLOWED, MODEL_RULE_REL_6);
    /* every change to the reseller's own subscription, before any other check */
    REFUSED(on_sub(T("2025-01-06"), MODEL_ACT_CANCEL, old), MODEL_ACT_CANCEL, MODEL_REASON_PARTNER_TYPE_NOT_ALLOWED,
            MODEL_RULE_REL_6);
    REFUSED(set_autorenew(T("2025-01-06"), old, 0), MODEL_ACT_SET_AUTORENEW, MODEL_REASON_PARTNER_TYPE_NOT_ALLOWED,
            MODEL_RULE_REL_6);
    REFUSED(on_sub(T("2025-01-06"), MODEL_ACT_SUSPEND, old), MODEL_ACT_SUSPEND, MODEL_REASON_PARTNER_TYPE_NOT_ALLOWED,
            MODEL_RULE_REL_6);
    EXPECT_STATE(old, MODEL_STATE_ACTIVE);
    model_action p = purchase(T1, P1, a, O_E3);
    set_terms(&p, 10, 1, MODEL_BILLING_MONTHLY);
    p.reseller = P2;
    model_record r = act(T("2025-01-10"), &p);
    ACCEPTED(r, MODEL_ACT_PURCHASE, MODEL_RULE_SUB_1);
    ck_assert_uint_eq(model_subscription_reseller(F.w, a), P2);
    ck_assert_uint_eq(model_subscription_reseller(F.w, old), MODEL_NONE);
    ck_assert_uint_eq(view(a).partner, P1);
    model_reseller_figures rf;
    model_reseller_figures_get(F.w, P2, &rf);
    ck_assert_int_eq(rf.billed, 10000);
    ck_assert_int_eq(rf.subscriptions, 1);
    ACCEPTED(on_sub(T("2025-01-12"), MODEL_ACT_CANCEL, a), MODEL_ACT_CANCEL, MODEL_RULE_SUB_2);
    model_reseller_figures_get(F.w, P2, &rf);
    ck_assert_int_eq(rf.refunded, 9354);
    int64_t billed, refunded;
    model_metrics_partner(F.w, P1, &billed, &refunded);
    ck_assert_int_eq(billed, 10000);
    ck_assert_int_eq(refunded, 9354);
    /* p2's own old subscription: 3 x 5.00 on 01-01 (before the start of the figures above) */
    model_metrics_partner(F.w, P2, &billed, &refunded);
    ck_assert_int_eq(refunded, 0);
    model_reseller_figures_get(F.w, P1, &rf);
    ck_assert_int_eq(rf.billed + rf.refunded + rf.subscriptions, 0);
}
END_TEST

START_TEST(test_mig1_double_billing_days)
{
    fx_new(T("2025-01-01"), T("2025-06-01"));
    ck_assert_int_eq(model_add_relationship(F.w, T1, P2), 0);
    ck_assert_int_eq(model_add_relationship(F.w, T2, P1), 0);
    ck_assert_int_eq(model_add_relationship(F.w, T2, P2), 0);
    fx_start();
    uint32_t a = F.sub[T1][0], b = F.sub[T1][1], f = F.sub[T1][2], c = F.sub[T2][0], d = F.sub[T2][1];
    sim_time from = T("2025-02-03");
    /* t1: a (p1) expires 02-10 00:00; b (p2) from 02-03 00:00: exactly 7 days;
     * t2: c (p1) expires 02-10 00:00; d (p2) one second earlier than b: 7 days 1 s, 8 */
    buy(T("2025-01-10"), T1, P1, a, O_E3, 5, 1, MODEL_BILLING_MONTHLY, 0);
    buy(T("2025-01-10"), T2, P1, c, O_E3, 5, 1, MODEL_BILLING_MONTHLY, 0);
    buy(from - 1, T2, P2, d, O_E3, 5, 12, MODEL_BILLING_MONTHLY, 1);
    model_record r = buy(from, T1, P2, b, O_E3, 5, 12, MODEL_BILLING_MONTHLY, 1);
    EXPECT_SYSTEM_AT(from, MODEL_KIND_SUBSCRIPTION_CREATED, MODEL_KIND_CHARGE, MODEL_KIND_DOUBLE_BILLING_STARTED);
    model_record st = after(after(after(r)));
    EXPECT_RECORD(st, MODEL_KIND_DOUBLE_BILLING_STARTED, MODEL_RULE_MIG_1, MODEL_NONE);
    ck_assert_uint_eq(st.tenant, T1);
    EXPECT_DETAIL(st, "provisioning_id=prov-e3");
    EXPECT_DETAIL(st, "a00");
    EXPECT_DETAIL(st, "a01");
    run_to(T("2025-02-09T23:59:59Z"));
    ck_assert_uint_eq(count_kind(MODEL_KIND_DOUBLE_BILLING_ENDED, MODEL_NONE), 0);
    run_to(T("2025-02-10"));
    ck_assert_uint_eq(count_kind(MODEL_KIND_DOUBLE_BILLING_ENDED, MODEL_NONE), 2);
    model_record e1 = nth_kind(MODEL_KIND_DOUBLE_BILLING_ENDED, MODEL_NONE, 0);
    model_record e2 = nth_kind(MODEL_KIND_DOUBLE_BILLING_ENDED, MODEL_NONE, 1);
    if (e1.tenant != T1) {
        model_record tmp = e1;
        e1 = e2;
        e2 = tmp;
    }
    ck_assert_int_eq(e1.rule, MODEL_RULE_MIG_1);
    EXPECT_TIME(e1.time, "2025-02-10");
    EXPECT_DETAIL(e1, "days=7");
    ck_assert_uint_eq(e2.tenant, T2);
    EXPECT_DETAIL(e2, "days=8");
    ck_assert_int_eq(tenant_metrics(T1).double_billing_days, 7);
    ck_assert_int_eq(tenant_metrics(T2).double_billing_days, 8);
    /* a partial day counts whole: p1 buys again on 03-01 12:00 with autorenew off (on its way
     * out, MIG-1), cancels 03-04 00:00 (2.5 days) */
    buy(T("2025-03-01T12:00Z"), T1, P1, f, O_E3, 5, 12, MODEL_BILLING_MONTHLY, 0);
    ACCEPTED(on_sub(T("2025-03-04"), MODEL_ACT_CANCEL, f), MODEL_ACT_CANCEL, MODEL_RULE_SUB_2);
    EXPECT_DETAIL(nth_kind(MODEL_KIND_DOUBLE_BILLING_ENDED, MODEL_NONE, 2), "days=3");
    ck_assert_int_eq(tenant_metrics(T1).double_billing_days, 10);
    run_to(T("2025-06-01"));
    ck_assert_int_eq(model_finish(F.w), 0);
    model_metrics tot;
    model_metrics_total(F.w, &tot);
    ck_assert_int_eq(tot.double_billing_days, 18);
    ck_assert_uint_eq(count_kind(MODEL_KIND_DOUBLE_BILLING_STARTED, MODEL_NONE), 3);
}
END_TEST

/* A stretch still open at the end counts up to the end, without a record. */
START_TEST(test_mig1_open_at_end)
{
    fx_mig_started();
    buy(T("2025-01-10"), T1, P1, F.sub[T1][0], O_E3, 5, 12, MODEL_BILLING_MONTHLY, 0); /* on its way out */
    buy(T("2025-02-19T06:00Z"), T1, P2, F.sub[T1][1], O_E3, 5, 12, MODEL_BILLING_MONTHLY, 1);
    run_to(T("2025-03-01"));
    ck_assert_int_eq(model_finish(F.w), 0);
    ck_assert_uint_eq(count_kind(MODEL_KIND_DOUBLE_BILLING_ENDED, MODEL_NONE), 0);
    ck_assert_int_eq(tenant_metrics(T1).double_billing_days, 10); /* 9 days 18 hours */
}
END_TEST

/* Two subscriptions of one service from one partner are capacity; a second partner's copy
 * while the first partner's are on their way out (autorenew off) is paying twice (readings:
 * double billing counts sources, not subscriptions, and only during a move). */
START_TEST(test_mig1_same_source_is_not_double)
{
    fx_mig_started();
    buy(T("2025-01-10"), T1, P1, F.sub[T1][0], O_E3, 5, 12, MODEL_BILLING_MONTHLY, 0);
    buy(T("2025-01-11"), T1, P1, F.sub[T1][1], O_E3, 7, 12, MODEL_BILLING_MONTHLY, 0);
    run_to(T("2025-01-20"));
    ck_assert_uint_eq(count_kind(MODEL_KIND_DOUBLE_BILLING_STARTED, MODEL_NONE), 0);
    buy(T("2025-01-20"), T1, P2, F.sub[T1][2], O_E3, 5, 12, MODEL_BILLING_MONTHLY, 1);
    ck_assert_uint_eq(count_kind(MODEL_KIND_DOUBLE_BILLING_STARTED, MODEL_NONE), 1);
    run_to(T("2025-03-01"));
    ck_assert_int_eq(model_finish(F.w), 0);
    ck_assert_int_eq(tenant_metrics(T1).double_billing_days, 40); /* 01-20 .. 03-01 */
}
END_TEST

/* MIG-1 only during a move: a (p1, P1M from 01-05, term to 02-04) and b (p2, P1Y) both
 * renewing are two partners, not double billing. a's autorenew off at 01-20 12:00 opens a
 * stretch at that instant; back on at 01-25 00:00 closes it: 4.5 days, 5. Off again at
 * 01-30 00:00: a expires 02-05 00:00, 6 days. Total 11. */
START_TEST(test_mig1_only_during_a_move)
{
    fx_mig_started();
    uint32_t a = F.sub[T1][0], b = F.sub[T1][1];
    buy(T("2025-01-05"), T1, P1, a, O_E3, 5, 1, MODEL_BILLING_MONTHLY, 1);
    buy(T("2025-01-06"), T1, P2, b, O_E3, 5, 12, MODEL_BILLING_MONTHLY, 1);
    run_to(T("2025-01-20T11:59:59Z"));
    ck_assert_uint_eq(count_kind(MODEL_KIND_DOUBLE_BILLING_STARTED, MODEL_NONE), 0);
    sim_time off = T("2025-01-20T12:00Z");
    ACCEPTED(set_autorenew(off, a, 0), MODEL_ACT_SET_AUTORENEW, MODEL_RULE_SUB_3);
    ck_assert_uint_eq(count_kind(MODEL_KIND_DOUBLE_BILLING_STARTED, MODEL_NONE), 1);
    model_record st = nth_kind(MODEL_KIND_DOUBLE_BILLING_STARTED, MODEL_NONE, 0);
    ck_assert_int_eq(st.time, off);
    ck_assert_int_eq(st.rule, MODEL_RULE_MIG_1);
    ACCEPTED(set_autorenew(T("2025-01-25"), a, 1), MODEL_ACT_SET_AUTORENEW, MODEL_RULE_SUB_3);
    model_record en = nth_kind(MODEL_KIND_DOUBLE_BILLING_ENDED, MODEL_NONE, 0);
    EXPECT_TIME(en.time, "2025-01-25");
    EXPECT_DETAIL(en, "days=5");
    ck_assert_int_eq(tenant_metrics(T1).double_billing_days, 5);
    /* both renewing again: nothing more counts */
    run_to(T("2025-01-29T23:59:59Z"));
    ck_assert_int_eq(tenant_metrics(T1).double_billing_days, 5);
    ck_assert_uint_eq(count_kind(MODEL_KIND_DOUBLE_BILLING_STARTED, MODEL_NONE), 1);
    ACCEPTED(set_autorenew(T("2025-01-30"), a, 0), MODEL_ACT_SET_AUTORENEW, MODEL_RULE_SUB_3);
    run_to(T("2025-02-04T23:59:59Z"));
    ck_assert_uint_eq(count_kind(MODEL_KIND_DOUBLE_BILLING_ENDED, MODEL_NONE), 1);
    run_to(T("2025-02-05"));
    EXPECT_STATE(a, MODEL_STATE_EXPIRED);
    EXPECT_DETAIL(nth_kind(MODEL_KIND_DOUBLE_BILLING_ENDED, MODEL_NONE, 1), "days=6");
    run_to(T("2025-03-01"));
    ck_assert_int_eq(model_finish(F.w), 0);
    ck_assert_int_eq(tenant_metrics(T1).double_billing_days, 11);
}
END_TEST

/* Two partners both renewing from the start to the end: 0 days, no record. */
START_TEST(test_mig1_both_renewing_is_not_double)
{
    fx_new(T("2025-01-01"), T("2025-03-01"));
    ck_assert_int_eq(model_add_relationship(F.w, T1, P2), 0);
    init_sub(F.sub[T1][0], O_E3, P1, 5, 12, MODEL_BILLING_MONTHLY, "2024-06-01", 1);
    init_sub(F.sub[T1][1], O_E3, P2, 5, 1, MODEL_BILLING_MONTHLY, "2024-12-15", 1);
    fx_start();
    run_to(T("2025-03-01"));
    ck_assert_int_eq(model_finish(F.w), 0);
    ck_assert_uint_eq(count_kind(MODEL_KIND_DOUBLE_BILLING_STARTED, MODEL_NONE), 0);
    ck_assert_int_eq(tenant_metrics(T1).double_billing_days, 0);
    EXPECT_STATE(F.sub[T1][1], MODEL_STATE_ACTIVE); /* renewed on 01-15 and 02-15 */
}
END_TEST

/* ---- the suite --------------------------------------------------------------------------- */

Suite *moves_suite(void)
{
    Suite *s = suite_create("moves");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, NULL, fx_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_sub6_increase_prorated);
    tcase_add_test(tc, test_sub6_decrease_window_boundary);
    tcase_add_test(tc, test_sub6_renewal_tranche);
    tcase_add_test(tc, test_sub6_tranches_newest_first);
    tcase_add_test(tc, test_sub6_decrease_to_zero);
    tcase_add_test(tc, test_sub6_license_total_bound);
    tcase_add_test(tc, test_sub6_refusals);
    tcase_add_test(tc, test_sub7_update_limit);
    tcase_add_test(tc, test_sub8_convert_mid_term);
    tcase_add_test(tc, test_sub8_convert_into_target);
    tcase_add_test(tc, test_sub8_scheduled_conversion);
    tcase_add_test(tc, test_sub9_full_upgrade);
    tcase_add_test(tc, test_sub9_full_upgrade_longer_term);
    tcase_add_test(tc, test_sub9_partial_upgrade);
    tcase_add_test(tc, test_sub9_refusals);
    tcase_add_test(tc, test_sub9_renewal_and_tenant_limit);
    tcase_add_test(tc, test_sub9_target);
    tcase_add_test(tc, test_sub9_no_cancel_window_after_upgrade);
    tcase_add_test(tc, test_sub10_applied_at_renewal);
    tcase_add_test(tc, test_sub10_removed);
    tcase_add_test(tc, test_sub10_refusals);
    tcase_add_test(tc, test_sub3_renewal_past_the_end_of_time);
    tcase_add_test(tc, test_sub11_align);
    tcase_add_test(tc, test_sub11_microsoft_examples);
    tcase_add_test(tc, test_ea1_window_boundaries);
    tcase_add_test(tc, test_ea1_eligibility);
    tcase_add_test(tc, test_ea1_not_visible_yet);
    tcase_add_test(tc, test_ea2_claims);
    tcase_add_test(tc, test_ea3_processing);
    tcase_add_test(tc, test_ea4_tenant_limit_at_processing);
    tcase_add_test(tc, test_ea4_term_starts_on_e);
    tcase_add_test(tc, test_ea5_double_billing);
    tcase_add_test(tc, test_xfer1_accept_all);
    tcase_add_test(tc, test_xfer1_no_new_cancel_window);
    tcase_add_test(tc, test_xfer1_tenant_limit_150_151);
    tcase_add_test(tc, test_xfer1_expiry);
    tcase_add_test(tc, test_xfer1_refusals);
    tcase_add_test(tc, test_rel6_partner_types);
    tcase_add_test(tc, test_mig1_double_billing_days);
    tcase_add_test(tc, test_mig1_open_at_end);
    tcase_add_test(tc, test_mig1_same_source_is_not_double);
    tcase_add_test(tc, test_mig1_only_during_a_move);
    tcase_add_test(tc, test_mig1_both_renewing_is_not_double);
    suite_add_tcase(s, tc);
    return s;
}
