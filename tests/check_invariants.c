/* tests/check_invariants.c - each invariant of model/invariants.c fires on a world that was
 * broken on purpose (through the model's internal layout), and stays quiet on a sound one. */
#include <string.h>

#include "model/invariants.h"
#include "model/lifecycle.h"
#include "model/store.h"
#include "suites.h"

static sim_time at(const char *s)
{
    sim_time t;
    ck_assert_int_eq(sim_parse_instant(s, &t), 0);
    return t;
}

/* One tenant with two live monthly subscriptions; invariants on. */
static model_world *world(void)
{
    model_world *w = model_world_new(at("2025-01-01"), at("2025-06-01"), 1, 0);
    ck_assert_ptr_nonnull(w);
    model_offer_spec o;
    memset(&o, 0, sizeof o);
    o.id = "e3";
    o.price = 100;
    o.terms = MODEL_TERM_P1M | MODEL_TERM_P1Y;
    o.csp_available = 1;
    o.max_ratio = -1;
    uint32_t offer = model_add_offer(w, &o);
    uint32_t p = model_add_partner(w, "p", "eu");
    uint32_t t = model_add_tenant(w, "t", "eu");
    model_add_relationship(w, t, p);
    for (int i = 0; i < 2; i++) {
        uint32_t s = model_declare_subscription(w, i ? "b" : "a", t);
        model_sub_spec sp = {offer, p, MODEL_CHANNEL_CSP, 5, 1, MODEL_BILLING_MONTHLY, at("2024-12-20"), 1,
                             MODEL_STATE_ACTIVE};
        ck_assert_int_eq(model_init_subscription(w, s, &sp), 0);
    }
    model_check_invariants(w, 1);
    ck_assert_int_eq(model_set_script(w, NULL, NULL, 0), 0);
    ck_assert_int_eq(model_start(w), 0);
    return w;
}

START_TEST(test_sound_world_has_no_breach)
{
    model_world *w = world();
    ck_assert_int_eq(model_run_until(w, at("2025-06-01")), 0);
    ck_assert_int_eq(model_finish(w), 0);
    ck_assert_ptr_null(model_breach_found(w));
    model_world_free(w);
}
END_TEST

START_TEST(test_negative_licenses)
{
    model_world *w = world();
    w->subs[0].licenses = -3;
    ck_assert_int_eq(model_run_until(w, at("2025-06-01")), -2);
    const model_breach *b = model_breach_found(w);
    ck_assert_ptr_nonnull(b);
    ck_assert_str_eq(b->invariant, "licenses never negative");
    ck_assert_uint_eq(b->subscription, 0);
    ck_assert_int_eq(b->time, at("2025-01-20")); /* its next timer: the renewal */
    model_world_free(w);
}
END_TEST

START_TEST(test_illegal_transition)
{
    model_world *w = world();
    sub_set_state(w, 1, MODEL_STATE_DELETED, at("2025-01-01")); /* active -> deleted skips the path */
    ck_assert_int_eq(model_run_until(w, at("2025-06-01")), -2);
    const model_breach *b = model_breach_found(w);
    ck_assert_ptr_nonnull(b);
    ck_assert_str_eq(b->invariant, "only legal state transitions");
    ck_assert_ptr_nonnull(strstr(b->detail, "active -> deleted"));
    model_world_free(w);
}
END_TEST

START_TEST(test_tenant_over_limit)
{
    model_world *w = world();
    model_world_params(w)->tenant_subscription_limit = 1; /* two are live already */
    ck_assert_int_eq(model_run_until(w, at("2025-06-01")), -2);
    ck_assert_str_eq(model_breach_found(w)->invariant, "live subscriptions within the tenant limit");
    model_world_free(w);
}
END_TEST

START_TEST(test_money_not_conserved)
{
    model_world *w = world();
    ck_assert_int_eq(model_run_until(w, at("2025-06-01")), 0);
    w->ledger_billed += 1; /* a booking that no figure saw */
    ck_assert_int_eq(model_finish(w), -2);
    const model_breach *b = model_breach_found(w);
    ck_assert_str_eq(b->invariant, "money conserved");
    ck_assert_int_eq(b->time, at("2025-06-01"));
    model_world_free(w);
}
END_TEST

START_TEST(test_time_never_goes_back)
{
    model_world *w = world();
    ck_assert_int_eq(model_run_until(w, at("2025-02-01")), 0);
    invariants_after_step(w, at("2025-01-15"));
    ck_assert_str_eq(model_breach_found(w)->invariant, "time never goes back");
    ck_assert_int_eq(model_run_until(w, at("2025-06-01")), -2); /* the run stays stopped */
    model_world_free(w);
}
END_TEST

START_TEST(test_off_means_unchecked)
{
    model_world *w = world();
    model_check_invariants(w, 0);
    w->subs[0].licenses = -3;
    ck_assert_int_eq(model_run_until(w, at("2025-06-01")), 0);
    ck_assert_ptr_null(model_breach_found(w));
    model_world_free(w);
}
END_TEST

Suite *invariants_suite(void)
{
    Suite *s = suite_create("invariants");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_sound_world_has_no_breach);
    tcase_add_test(tc, test_negative_licenses);
    tcase_add_test(tc, test_illegal_transition);
    tcase_add_test(tc, test_tenant_over_limit);
    tcase_add_test(tc, test_money_not_conserved);
    tcase_add_test(tc, test_time_never_goes_back);
    tcase_add_test(tc, test_off_means_unchecked);
    suite_add_tcase(s, tc);
    return s;
}
