/* tests/check_store.c - the model's storage (model/store.h): side records keep their address
 * while the table grows past chunk boundaries, and relationships are found and made once. */
#include <string.h>

#include "model/store.h"
#include "suites.h"

#define NSUBS (3 * EXT_CHUNK + 7) /* four chunks of side records */

static model_world *world(void)
{
    model_world *w = model_world_new(0, 400 * SIM_DAY, 1, 0);
    ck_assert_ptr_nonnull(w);
    uint32_t t = model_add_tenant(w, "t", "eu");
    ck_assert_uint_eq(t, 0);
    for (uint32_t i = 0; i < NSUBS; i++)
        ck_assert_uint_eq(model_declare_subscription(w, NULL, t), i);
    return w;
}

START_TEST(test_ext_pointers_survive_growth)
{
    model_world *w = world();
    ext_t *held[NSUBS];
    for (uint32_t i = 0; i < NSUBS; i++) {
        ck_assert_ptr_null(sub_ext_if(w, i));
        held[i] = sub_ext(w, i);
        ck_assert_ptr_nonnull(held[i]);
        ck_assert_int_eq(held[i]->base_left, -1); /* a fresh record */
        ck_assert_uint_eq(held[i]->claim, MODEL_NONE);
        held[i]->updates = (int32_t)i + 1; /* written through the pointer held across later makes */
    }
    ck_assert_uint_eq(w->nexts, NSUBS);
    for (uint32_t i = 0; i < NSUBS; i++) {
        ck_assert_ptr_eq(sub_ext_if(w, i), held[i]); /* never moved */
        ck_assert_ptr_eq(sub_ext(w, i), held[i]);    /* made once */
        ck_assert_int_eq(held[i]->updates, (int32_t)i + 1);
    }
    ck_assert_uint_eq(w->nexts, NSUBS);
    ck_assert_int_eq(w->failed, 0);
    model_world_free(w);
}
END_TEST

START_TEST(test_rel_get_makes_once)
{
    model_world *w = world();
    uint32_t p = model_add_partner(w, "p", "eu"), q = model_add_partner(w, "q", "eu");
    ck_assert_ptr_null(rel_find(w, 0, p));
    rel_t *r = rel_get(w, 0, p);
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(r->state, REL_NONE);
    ck_assert_ptr_eq(rel_get(w, 0, p), r);
    ck_assert_ptr_eq(rel_find(w, 0, p), r);
    ck_assert_ptr_null(rel_find(w, 0, q));
    ck_assert_uint_eq(w->nrels, 1);
    model_world_free(w);
}
END_TEST

Suite *store_suite(void)
{
    Suite *s = suite_create("store");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_ext_pointers_survive_growth);
    tcase_add_test(tc, test_rel_get_makes_once);
    suite_add_tcase(s, tc);
    return s;
}
