/* tests/check_fel.c - the future-event list against a sorted reference, and the run loop. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/fel.h"
#include "sim/pcg.h"
#include "sim/run.h"
#include "sim/time.h"
#include "suites.h"

/* ck_assert marks a point through a pipe on every success: too slow inside long loops. */
#define REQUIRE(c)                                                                                 \
    do {                                                                                           \
        if (!(c))                                                                                  \
            ck_abort_msg("Assertion '%s' failed", #c);                                             \
    } while (0)

/* ---- a plain sorted reference: (time, phase, insertion number) ------------------------ */

typedef struct {
    sim_time t;
    uint32_t group;
    unsigned phase;
    uint32_t id, tag;
} ref_ev;

typedef struct {
    ref_ev *v;
    size_t head, n, cap;
} ref_q;

static int ref_less(const ref_ev *a, const ref_ev *b)
{
    if (a->t != b->t)
        return a->t < b->t;
    if (a->group != b->group)
        return a->group < b->group;
    if (a->phase != b->phase)
        return a->phase < b->phase;
    return a->id < b->id;
}

static void ref_push(ref_q *q, sim_time t, uint32_t group, unsigned phase, uint32_t id, uint32_t tag)
{
    if (q->n == q->cap) {
        q->cap = q->cap ? q->cap * 2 : 256;
        q->v = realloc(q->v, q->cap * sizeof *q->v);
        ck_assert_ptr_nonnull(q->v);
    }
    ref_ev e = {t, group, phase, id, tag};
    size_t lo = q->head, hi = q->n; /* first element greater than e */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ref_less(&e, &q->v[mid]))
            hi = mid;
        else
            lo = mid + 1;
    }
    memmove(&q->v[lo + 1], &q->v[lo], (q->n - lo) * sizeof *q->v);
    q->v[lo] = e;
    q->n++;
}

static size_t ref_size(const ref_q *q)
{
    return q->n - q->head;
}

static void ref_free(ref_q *q)
{
    free(q->v);
    memset(q, 0, sizeof *q);
}

static void assert_same(const sim_event *e, const ref_ev *r)
{
    if (!(e->time == r->t && sim_event_group(e) == r->group && sim_event_phase(e) == r->phase &&
          e->target == r->id && e->tag == r->tag))
        ck_abort_msg("got (t=%lld, group=%u, phase=%u, target=%u, tag=%u), "
                     "want (t=%lld, group=%u, phase=%u, id=%u, tag=%u)",
                     (long long)e->time, sim_event_group(e), sim_event_phase(e), e->target, e->tag,
                     (long long)r->t, r->group, r->phase, r->id, r->tag);
}

/* Pops one event from both and compares. */
static void pop_both(sim_fel *f, ref_q *q)
{
    sim_event e;
    REQUIRE(sim_fel_pop(f, &e) == 0);
    REQUIRE(ref_size(q) > 0);
    assert_same(&e, &q->v[q->head]);
    q->head++;
}

/* Drains both, comparing every event; both end empty. */
static void drain_both(sim_fel *f, ref_q *q)
{
    while (ref_size(q) > 0) {
        REQUIRE(sim_fel_size(f) == ref_size(q));
        pop_both(f, q);
    }
    sim_event e;
    ck_assert_int_eq(sim_fel_size(f), 0);
    ck_assert_int_eq(sim_fel_peek(f, &e), -1);
    ck_assert_int_eq(sim_fel_pop(f, &e), -1);
}

/* ---- the list ---------------------------------------------------------------------------- */

START_TEST(test_fel_new_and_empty)
{
    ck_assert_ptr_null(sim_fel_new(100, 99));
    sim_fel *f = sim_fel_new(100, 100);
    ck_assert_ptr_nonnull(f);
    sim_event e;
    ck_assert_uint_eq(sim_fel_size(f), 0);
    ck_assert_int_eq(sim_fel_peek(f, &e), -1);
    ck_assert_int_eq(sim_fel_pop(f, &e), -1);
    ck_assert_uint_gt(sim_fel_bytes(f), 0);
    ck_assert_int_eq(sim_fel_push(f, 100, 0, 0, 1, 2), 0);
    ck_assert_int_eq(sim_fel_push(f, 101, 0, 0, 1, 2), 1);
    ck_assert_int_eq(sim_fel_push(f, 99, 0, 0, 1, 2), -1); /* before the start */
    ck_assert_uint_eq(sim_fel_size(f), 1);
    ck_assert_int_eq(sim_fel_pop(f, &e), 0);
    ck_assert_int_eq(e.time, 100);
    ck_assert_uint_eq(e.target, 1);
    ck_assert_uint_eq(e.tag, 2);
    ck_assert_int_eq(sim_fel_pop(f, &e), -1);
    sim_fel_free(f);
    sim_fel_free(NULL);
}
END_TEST

/* A group for a random event: mostly a few small ones (ties at one instant), sometimes any
 * 32-bit value (the widest key the radix passes sort). */
static uint32_t some_group(sim_pcg *g)
{
    switch (sim_pcg_bounded(g, 8)) {
    case 0: return 0;
    case 1: return UINT32_MAX;
    case 2: return sim_pcg_next(g);
    default: return sim_pcg_bounded(g, 5);
    }
}

/* Random pushes (never before the last pop, sometimes past the end) and interleaved peeks and
 * pops, against the reference, several seeds and horizons (one crossing the epoch). */
START_TEST(test_fel_random_against_reference)
{
    static const sim_time starts[] = {
        1735689600,             /* 2025-01-01T00:00:00Z */
        1735732800 + 3723,      /* 2025-01-01T13:02:03Z */
        -20 * 86400 + 777,      /* 1969-12-12: negative days */
        0,
        1709164800,             /* 2024-02-29 */
        -86400 * 3 - 1,
    };
    const int seed = _i;
    sim_time start = starts[seed % (int)(sizeof starts / sizeof starts[0])];
    sim_time end = start + 400 * SIM_DAY + 4321;
    sim_pcg g;
    sim_pcg_for_run(&g, 0xfe1u, (uint64_t)seed);
    sim_fel *f = sim_fel_new(start, end);
    ck_assert_ptr_nonnull(f);
    ref_q q = {0};
    sim_time last = start;
    uint32_t next_id = 0;
    size_t pushes = 0, drops = 0, refused = 0, pops = 0;
    for (int op = 0; op < 20000; op++) {
        uint32_t r = sim_pcg_bounded(&g, 100);
        if (r < 52) {
            sim_time t;
            switch (sim_pcg_bounded(&g, 8)) {
            case 0: t = last; break;
            case 1: t = last + sim_pcg_bounded(&g, 60); break;
            case 2: t = last + sim_pcg_bounded(&g, 86400); break;
            case 3: t = last + sim_pcg_bounded(&g, 7 * 86400); break;
            case 4:
                if (sim_pcg_bounded(&g, 4) == 0) /* at or just past the end */
                    t = end + (ref_size(&q) > 100 ? -2 : 1) + sim_pcg_bounded(&g, 5);
                else
                    t = last + sim_pcg_bounded(&g, 30 * 86400);
                break;
            case 5: /* on the hour, the same few instants again and again */
                t = sim_day_start(last) + (sim_time)sim_pcg_bounded(&g, 72) * 3600;
                break;
            case 6: t = last - 1 - sim_pcg_bounded(&g, 3600); break; /* in the past */
            default: t = sim_day_start(last) + (sim_time)sim_pcg_bounded(&g, 3) * 86400; break;
            }
            unsigned phase = sim_pcg_bounded(&g, SIM_PHASES);
            uint32_t group = some_group(&g);
            uint32_t tag = sim_pcg_next(&g);
            int want = t > end ? 1 : t < last ? -1 : 0;
            int got = sim_fel_push(f, t, group, phase, next_id, tag);
            if (got != want)
                ck_abort_msg("push t=%lld (last %lld, end %lld): got %d, want %d", (long long)t,
                             (long long)last, (long long)end, got, want);
            if (got == 0) {
                ref_push(&q, t, group, phase, next_id, tag);
                next_id++;
                pushes++;
            } else if (got == 1) {
                drops++;
            } else {
                refused++;
            }
        } else if (r < 70) {
            sim_event e;
            if (ref_size(&q) == 0) {
                REQUIRE(sim_fel_peek(f, &e) == -1);
            } else {
                REQUIRE(sim_fel_peek(f, &e) == 0);
                assert_same(&e, &q.v[q.head]);
            }
        } else {
            sim_event e;
            if (ref_size(&q) == 0) {
                REQUIRE(sim_fel_pop(f, &e) == -1);
            } else {
                REQUIRE(sim_fel_pop(f, &e) == 0);
                assert_same(&e, &q.v[q.head]);
                q.head++;
                REQUIRE(e.time >= last);
                last = e.time;
                pops++;
            }
        }
        REQUIRE(sim_fel_size(f) == ref_size(&q));
    }
    drain_both(f, &q);
    /* the walk really covered every outcome */
    ck_assert_uint_gt(pushes, 5000);
    ck_assert_uint_gt(pops, 3000);
    ck_assert_uint_gt(drops, 10);
    ck_assert_uint_gt(refused, 100);
    ref_free(&q);
    sim_fel_free(f);
}
END_TEST

static void fifo_at_one_instant(uint32_t n)
{
    sim_time t0 = 1740787200 + 9 * 3600; /* 2025-03-01T09:00Z */
    sim_fel *f = sim_fel_new(t0 - 3 * SIM_DAY, t0 + 3 * SIM_DAY);
    ck_assert_ptr_nonnull(f);
    for (uint32_t i = 0; i < n; i++)
        ck_assert_int_eq(sim_fel_push(f, t0, 0, 2, i, ~i), 0);
    ck_assert_uint_eq(sim_fel_size(f), n);
    for (uint32_t i = 0; i < n; i++) {
        sim_event e;
        ck_assert_int_eq(sim_fel_pop(f, &e), 0);
        ck_assert_int_eq(e.time, t0);
        ck_assert_msg(e.target == i, "pop %u gave target %u", i, e.target);
        ck_assert_uint_eq(e.tag, ~i);
        ck_assert_uint_eq(sim_event_phase(&e), 2);
    }
    sim_event e;
    ck_assert_int_eq(sim_fel_pop(f, &e), -1);
    sim_fel_free(f);
}

START_TEST(test_fel_fifo_same_instant)
{
    fifo_at_one_instant(1000); /* comparison sort */
    fifo_at_one_instant(5000); /* counting sort */
}
END_TEST

START_TEST(test_fel_phase_order)
{
    sim_time t0 = 1740787200;
    sim_fel *f = sim_fel_new(t0, t0 + 10 * SIM_DAY);
    ck_assert_ptr_nonnull(f);
    static const unsigned phases[] = {3, 1, 0, 2, 1, 0, 3, 2};
    /* the same instant, mixed phases */
    for (uint32_t i = 0; i < 8; i++)
        ck_assert_int_eq(sim_fel_push(f, t0 + 600, 0, phases[i], i, 0), 0);
    /* an earlier second with the highest phase, a later one with the lowest */
    ck_assert_int_eq(sim_fel_push(f, t0 + 599, 0, 3, 100, 0), 0);
    ck_assert_int_eq(sim_fel_push(f, t0 + 601, 0, 0, 101, 0), 0);
    static const uint32_t want[] = {100, 2, 5, 1, 4, 3, 7, 0, 6, 101};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        sim_event e;
        ck_assert_int_eq(sim_fel_pop(f, &e), 0);
        ck_assert_msg(e.target == want[i], "pop %zu: target %u, want %u", i, e.target, want[i]);
    }
    sim_fel_free(f);
}
END_TEST

START_TEST(test_fel_drops_after_end)
{
    sim_time start = 1740787200, end = start + 5 * SIM_DAY + 3600;
    sim_fel *f = sim_fel_new(start, end);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(sim_fel_push(f, end + 1, 0, 0, 1, 0), 1);
    ck_assert_int_eq(sim_fel_push(f, end + SIM_DAY, 0, 0, 2, 0), 1);
    ck_assert_int_eq(sim_fel_push(f, SIM_TIME_NEVER, 0, 0, 3, 0), 1);
    ck_assert_uint_eq(sim_fel_size(f), 0);
    ck_assert_int_eq(sim_fel_push(f, end, 0, 3, 4, 0), 0);
    ck_assert_int_eq(sim_fel_push(f, start, 0, 0, 5, 0), 0);
    ck_assert_uint_eq(sim_fel_size(f), 2);
    sim_event e;
    ck_assert_int_eq(sim_fel_pop(f, &e), 0);
    ck_assert_uint_eq(e.target, 5);
    ck_assert_int_eq(sim_fel_pop(f, &e), 0);
    ck_assert_uint_eq(e.target, 4);
    ck_assert_int_eq(e.time, end);
    ck_assert_int_eq(sim_fel_pop(f, &e), -1);
    /* still dropped (not refused) after the list ran dry */
    ck_assert_int_eq(sim_fel_push(f, end + 1, 0, 0, 6, 0), 1);
    ck_assert_int_eq(sim_fel_push(f, end, 0, 0, 7, 0), 0);
    ck_assert_int_eq(sim_fel_pop(f, &e), 0);
    ck_assert_uint_eq(e.target, 7);
    sim_fel_free(f);
}
END_TEST

START_TEST(test_fel_refuses_the_past)
{
    sim_time start = 1740787200;
    sim_fel *f = sim_fel_new(start, start + 10 * SIM_DAY);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(sim_fel_push(f, start - 1, 0, 0, 0, 0), -1);
    ck_assert_int_eq(sim_fel_push(f, start + 2 * SIM_DAY + 50, 0, 1, 1, 0), 0);
    ck_assert_int_eq(sim_fel_push(f, start + 4 * SIM_DAY, 0, 1, 2, 0), 0);
    sim_event e;
    ck_assert_int_eq(sim_fel_pop(f, &e), 0);
    ck_assert_uint_eq(e.target, 1);
    ck_assert_int_eq(sim_fel_push(f, start + 2 * SIM_DAY + 49, 0, 0, 3, 0), -1);
    ck_assert_int_eq(sim_fel_push(f, start + SIM_DAY, 0, 0, 4, 0), -1);
    ck_assert_int_eq(sim_fel_push(f, start, 0, 0, 5, 0), -1);
    ck_assert_uint_eq(sim_fel_size(f), 1);
    /* the same instant is fine, even with a lower phase than the one just popped */
    ck_assert_int_eq(sim_fel_push(f, start + 2 * SIM_DAY + 50, 0, 0, 6, 0), 0);
    ck_assert_int_eq(sim_fel_pop(f, &e), 0);
    ck_assert_uint_eq(e.target, 6);
    ck_assert_int_eq(sim_fel_pop(f, &e), 0);
    ck_assert_uint_eq(e.target, 2);
    ck_assert_int_eq(sim_fel_push(f, start + 4 * SIM_DAY - 1, 0, 0, 7, 0), -1);
    sim_fel_free(f);
}
END_TEST

START_TEST(test_fel_peek_equals_pop)
{
    sim_time start = -5 * SIM_DAY;
    sim_fel *f = sim_fel_new(start, start + 20 * SIM_DAY);
    ck_assert_ptr_nonnull(f);
    sim_pcg g;
    sim_pcg_seed(&g, 5u, 5u);
    for (uint32_t i = 0; i < 3000; i++)
        ck_assert_int_eq(sim_fel_push(f, start + sim_pcg_bounded(&g, 20 * 86400), 0, sim_pcg_bounded(&g, 4),
                                      i, sim_pcg_next(&g)),
                         0);
    sim_event prev = {INT64_MIN, 0, 0, 0};
    for (size_t left = 3000; left > 0; left--) {
        ck_assert_uint_eq(sim_fel_size(f), left);
        sim_event p, p2, e;
        ck_assert_int_eq(sim_fel_peek(f, &p), 0);
        ck_assert_int_eq(sim_fel_peek(f, &p2), 0); /* peeking twice changes nothing */
        ck_assert_uint_eq(sim_fel_size(f), left);
        ck_assert_int_eq(sim_fel_pop(f, &e), 0);
        ck_assert(p.time == e.time && p.order == e.order && p.target == e.target && p.tag == e.tag);
        ck_assert(p2.time == e.time && p2.order == e.order && p2.target == e.target);
        ck_assert(sim_event_before(&prev, &e));
        prev = e;
    }
    sim_event e;
    ck_assert_int_eq(sim_fel_peek(f, &e), -1);
    sim_fel_free(f);
}
END_TEST

START_TEST(test_fel_size)
{
    sim_time start = 1740787200;
    sim_fel *f = sim_fel_new(start, start + 3 * SIM_DAY);
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(sim_fel_size(f), 0);
    for (int i = 0; i < 10; i++)
        ck_assert_int_eq(sim_fel_push(f, start + i * 10000, 0, 0, 0, 0), 0);
    ck_assert_uint_eq(sim_fel_size(f), 10);
    ck_assert_int_eq(sim_fel_push(f, start + 4 * SIM_DAY, 0, 0, 0, 0), 1);
    ck_assert_uint_eq(sim_fel_size(f), 10); /* dropped: not counted */
    sim_event e;
    ck_assert_int_eq(sim_fel_peek(f, &e), 0);
    ck_assert_uint_eq(sim_fel_size(f), 10);
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(sim_fel_pop(f, &e), 0);
    ck_assert_uint_eq(sim_fel_size(f), 6);
    ck_assert_int_eq(sim_fel_push(f, e.time, 0, 1, 0, 0), 0); /* into the open day */
    ck_assert_int_eq(sim_fel_push(f, e.time - 1, 0, 1, 0, 0), -1);
    ck_assert_uint_eq(sim_fel_size(f), 7);
    while (sim_fel_pop(f, &e) == 0)
        ;
    ck_assert_uint_eq(sim_fel_size(f), 0);
    sim_fel_free(f);
}
END_TEST

/* More than 2048 events on one day (the counting sort), with many equal keys, neighbours on
 * other days, and pushes into that day while it is being processed. */
/* n events on one day (wide: groups over all 32 bits, else 0..2: one radix pass or more). */
static void large_bucket(uint32_t n, uint64_t seed, int wide)
{
    sim_time start = 1740787200 - 2 * SIM_DAY + 5000; /* mid-day start */
    sim_time day = 1740787200;                         /* the crowded day */
    sim_fel *f = sim_fel_new(start, start + 6 * SIM_DAY);
    ck_assert_ptr_nonnull(f);
    ref_q q = {0};
    sim_pcg g;
    sim_pcg_seed(&g, seed, 77u);
    uint32_t id = 0;
    for (uint32_t i = 0; i < n; i++) {
        /* 61 distinct seconds spread over the day, including 00:00:00 and 23:59:59 */
        uint32_t k = sim_pcg_bounded(&g, 61);
        sim_time t = day + (k == 60 ? 86399 : (sim_time)k * 1439);
        unsigned phase = sim_pcg_bounded(&g, SIM_PHASES);
        uint32_t group = wide ? some_group(&g) : sim_pcg_bounded(&g, 3);
        uint32_t tag = sim_pcg_next(&g);
        ck_assert_int_eq(sim_fel_push(f, t, group, phase, id, tag), 0);
        ref_push(&q, t, group, phase, id++, tag);
        if (i % 97 == 0) { /* the days before and after */
            sim_time other = (i % 2 ? day - 1 - sim_pcg_bounded(&g, 80000) : day + SIM_DAY + sim_pcg_bounded(&g, 86400));
            ck_assert_int_eq(sim_fel_push(f, other, group, phase, id, tag), 0);
            ref_push(&q, other, group, phase, id++, tag);
        }
    }
    /* pop into the crowded day, then keep pushing into it while it is open */
    while (ref_size(&q) > 0 && q.v[q.head].t < day + 20000)
        pop_both(f, &q);
    sim_time last = q.v[q.head - 1].t;
    ck_assert_int_ge(last, day);
    for (uint32_t i = 0; i < 500; i++) {
        sim_time t = last + sim_pcg_bounded(&g, 3) * 1439;
        unsigned phase = sim_pcg_bounded(&g, SIM_PHASES);
        uint32_t group = wide ? some_group(&g) : sim_pcg_bounded(&g, 3);
        ck_assert_int_eq(sim_fel_push(f, t, group, phase, id, i), 0);
        ref_push(&q, t, group, phase, id++, i);
        if (i % 5 == 0)
            pop_both(f, &q);
        last = q.v[q.head - 1].t;
    }
    drain_both(f, &q);
    ref_free(&q);
    sim_fel_free(f);
}

START_TEST(test_fel_large_bucket)
{
    large_bucket(2047, 1u, 0);
    large_bucket(2048, 2u, 0);
    large_bucket(2049, 3u, 0);
    large_bucket(20000, 4u, 0);
    large_bucket(2047, 5u, 1);
    large_bucket(2049, 6u, 1);
    large_bucket(20000, 7u, 1);
}
END_TEST

/* A push into the day being processed, and into a day already passed because a peek moved
 * on to a later day: both pop in (time, phase, seq) order. */
START_TEST(test_fel_push_into_open_and_passed_days)
{
    sim_time d0 = 1740787200; /* day 0 of the list */
    sim_fel *f = sim_fel_new(d0, d0 + 10 * SIM_DAY);
    ck_assert_ptr_nonnull(f);
    sim_event e;
    ck_assert_int_eq(sim_fel_push(f, d0 + 3 * SIM_DAY + 43200, 0, 1, 1, 0), 0); /* day 3, noon */
    ck_assert_int_eq(sim_fel_push(f, d0 + 3 * SIM_DAY + 50000, 0, 1, 2, 0), 0);
    ck_assert_int_eq(sim_fel_push(f, d0 + 6 * SIM_DAY + 28800, 0, 1, 3, 0), 0); /* day 6, 08:00 */
    ck_assert_int_eq(sim_fel_push(f, d0 + 6 * SIM_DAY + 30000, 0, 1, 4, 0), 0);

    /* the day being processed: after popping 1, push before 2 */
    ck_assert_int_eq(sim_fel_pop(f, &e), 0);
    ck_assert_uint_eq(e.target, 1);
    ck_assert_int_eq(sim_fel_push(f, d0 + 3 * SIM_DAY + 43200, 0, 0, 5, 0), 0); /* same instant */
    ck_assert_int_eq(sim_fel_push(f, d0 + 3 * SIM_DAY + 45000, 0, 2, 6, 0), 0);
    ck_assert_int_eq(sim_fel_pop(f, &e), 0);
    ck_assert_uint_eq(e.target, 5);
    ck_assert_int_eq(sim_fel_pop(f, &e), 0);
    ck_assert_uint_eq(e.target, 6);
    ck_assert_int_eq(sim_fel_pop(f, &e), 0);
    ck_assert_uint_eq(e.target, 2);
    sim_time last = e.time;

    /* peek moves on to day 6 */
    ck_assert_int_eq(sim_fel_peek(f, &e), 0);
    ck_assert_uint_eq(e.target, 3);
    /* now push into day 5, day 4 and the rest of day 3, all later than the last pop */
    ck_assert_int_eq(sim_fel_push(f, d0 + 5 * SIM_DAY + 100, 0, 1, 7, 0), 0);
    ck_assert_int_eq(sim_fel_peek(f, &e), 0);
    ck_assert_uint_eq(e.target, 7);
    ck_assert_int_eq(sim_fel_push(f, d0 + 4 * SIM_DAY, 0, 3, 8, 0), 0);
    ck_assert_int_eq(sim_fel_push(f, last + 1, 0, 3, 9, 0), 0);
    ck_assert_int_eq(sim_fel_push(f, last, 0, 0, 10, 0), 0);
    ck_assert_int_eq(sim_fel_push(f, last - 1, 0, 0, 11, 0), -1);
    /* and into day 6 before the peeked event, and after it */
    ck_assert_int_eq(sim_fel_push(f, d0 + 6 * SIM_DAY + 1, 0, 1, 12, 0), 0);
    ck_assert_int_eq(sim_fel_push(f, d0 + 6 * SIM_DAY + 29000, 0, 1, 13, 0), 0);
    ck_assert_int_eq(sim_fel_push(f, d0 + 7 * SIM_DAY, 0, 0, 14, 0), 0);
    static const uint32_t want[] = {10, 9, 8, 7, 12, 3, 13, 4, 14};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        ck_assert_int_eq(sim_fel_pop(f, &e), 0);
        ck_assert_msg(e.target == want[i], "pop %zu: target %u, want %u", i, e.target, want[i]);
    }
    ck_assert_int_eq(sim_fel_pop(f, &e), -1);

    /* the list ran dry (its scan reached the horizon): earlier days still take events */
    ck_assert_int_eq(sim_fel_peek(f, &e), -1);
    ck_assert_int_eq(sim_fel_push(f, d0 + 9 * SIM_DAY, 0, 0, 15, 0), 0);
    ck_assert_int_eq(sim_fel_push(f, d0 + 8 * SIM_DAY, 0, 0, 16, 0), 0);
    ck_assert_int_eq(sim_fel_push(f, d0 + 10 * SIM_DAY, 0, 0, 17, 0), 0);
    ck_assert_int_eq(sim_fel_pop(f, &e), 0);
    ck_assert_uint_eq(e.target, 16);
    ck_assert_int_eq(sim_fel_pop(f, &e), 0);
    ck_assert_uint_eq(e.target, 15);
    ck_assert_int_eq(sim_fel_pop(f, &e), 0);
    ck_assert_uint_eq(e.target, 17);
    ck_assert_int_eq(sim_fel_pop(f, &e), -1);
    sim_fel_free(f);
}
END_TEST

/* The same as above, driven by the reference, with a negative start. */
START_TEST(test_fel_peek_then_push_earlier_random)
{
    sim_time start = -10 * SIM_DAY + 123;
    sim_fel *f = sim_fel_new(start, start + 30 * SIM_DAY);
    ck_assert_ptr_nonnull(f);
    ref_q q = {0};
    sim_pcg g;
    sim_pcg_seed(&g, 2718u, 28u);
    uint32_t id = 0;
    sim_time last = start;
    for (int round = 0; round < 300; round++) {
        /* a sparse future: one event a few days ahead */
        sim_time far = last + SIM_DAY * (1 + (sim_time)sim_pcg_bounded(&g, 4)) + sim_pcg_bounded(&g, 86400);
        int rc = sim_fel_push(f, far, 0, 2, id, 0);
        if (rc == 0)
            ref_push(&q, far, 0, 2, id++, 0);
        sim_event e;
        if (ref_size(&q) == 0)
            break;
        ck_assert_int_eq(sim_fel_peek(f, &e), 0); /* advances to the far day */
        assert_same(&e, &q.v[q.head]);
        /* then fill the gap between the last pop and the peeked event */
        for (int k = 0; k < 5; k++) {
            sim_time t = last + sim_pcg_bounded(&g, (uint32_t)(e.time - last + 1));
            unsigned phase = sim_pcg_bounded(&g, SIM_PHASES);
            ck_assert_int_eq(sim_fel_push(f, t, 0, phase, id, 1), 0);
            ref_push(&q, t, 0, phase, id++, 1);
        }
        for (int k = 0; k < 4 && ref_size(&q) > 0; k++) {
            pop_both(f, &q);
            last = q.v[q.head - 1].t;
        }
    }
    drain_both(f, &q);
    ref_free(&q);
    sim_fel_free(f);
}
END_TEST

/* ---- the run loop ------------------------------------------------------------------------ */

typedef struct {
    char kind; /* 'E' event, 'S' scripted */
    sim_time t;
    uint32_t id;
} run_rec;

typedef struct {
    sim_fel *fel;
    run_rec log[64];
    size_t n;
    uint32_t spawn_script;  /* this scripted index pushes event 900 at its instant */
    uint32_t spawn_event;   /* this event target pushes event 901 at its instant */
    sim_time last_seen;
} run_ctx;

static void rec(run_ctx *c, char kind, sim_time t, uint32_t id)
{
    ck_assert_uint_lt(c->n, 64);
    ck_assert_int_ge(t, c->last_seen); /* time never goes back */
    c->last_seen = t;
    c->log[c->n].kind = kind;
    c->log[c->n].t = t;
    c->log[c->n].id = id;
    c->n++;
}

static void on_event(void *ctx, const sim_event *e)
{
    run_ctx *c = ctx;
    rec(c, 'E', e->time, e->target);
    if (e->target == c->spawn_event)
        ck_assert_int_eq(sim_fel_push(c->fel, e->time, sim_event_group(e), 3, 901, 0), 0);
}

static void on_script(void *ctx, const sim_script_item *it)
{
    run_ctx *c = ctx;
    rec(c, 'S', it->time, it->index);
    if (it->index == c->spawn_script)
        ck_assert_int_eq(sim_fel_push(c->fel, it->time, it->group, 3, 900, 0), 0);
}

static const sim_handler handler = {on_event, on_script, NULL};

static sim_run make_run(sim_fel *fel, const sim_script_item *script, size_t n, sim_time start,
                        sim_time end)
{
    sim_run r = {fel, script, n, 0, end, start, 0, 0, 0};
    return r;
}

static void init_ctx(run_ctx *c, sim_fel *fel)
{
    memset(c, 0, sizeof *c);
    c->fel = fel;
    c->spawn_script = UINT32_MAX;
    c->spawn_event = UINT32_MAX;
    c->last_seen = INT64_MIN;
}

/* The handler log must be exactly `want`: kinds, instants and ids, in order. */
static void assert_log(const run_ctx *c, size_t n, const run_rec *want)
{
    ck_assert_uint_eq(c->n, n);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(c->log[i].kind == want[i].kind && c->log[i].t == want[i].t &&
                          c->log[i].id == want[i].id,
                      "step %zu: got %c%u@%lld, want %c%u@%lld", i, c->log[i].kind, c->log[i].id,
                      (long long)c->log[i].t, want[i].kind, want[i].id, (long long)want[i].t);
}

START_TEST(test_run_system_before_script)
{
    sim_time t0 = 1740787200, end = t0 + 10 * SIM_DAY;
    sim_fel *f = sim_fel_new(t0, end);
    ck_assert_ptr_nonnull(f);
    sim_script_item script[] = {{t0 + 100, 0, 0}, {t0 + 200, 0, 1}};
    ck_assert_int_eq(sim_fel_push(f, t0 + 100, 0, 3, 10, 0), 0); /* highest phase, same instant */
    ck_assert_int_eq(sim_fel_push(f, t0 + 100, 0, 0, 11, 0), 0);
    ck_assert_int_eq(sim_fel_push(f, t0 + 99, 0, 3, 12, 0), 0);
    ck_assert_int_eq(sim_fel_push(f, t0 + 101, 0, 0, 13, 0), 0);
    run_ctx c;
    init_ctx(&c, f);
    sim_run r = make_run(f, script, 2, t0, end);
    ck_assert_int_eq(sim_run_until(&r, end, &handler, &c), -1);
    const run_rec want[] = {{'E', t0 + 99, 12}, {'E', t0 + 100, 11}, {'E', t0 + 100, 10},
                            {'S', t0 + 100, 0}, {'E', t0 + 101, 13}, {'S', t0 + 200, 1}};
    assert_log(&c, 6, want);
    ck_assert_uint_eq(r.events, 4);
    ck_assert_uint_eq(r.actions, 2);
    ck_assert_int_eq(r.now, t0 + 200);
    sim_fel_free(f);
}
END_TEST

START_TEST(test_run_script_index_order)
{
    sim_time t0 = 1740787200, end = t0 + 10 * SIM_DAY;
    sim_fel *f = sim_fel_new(t0, end);
    ck_assert_ptr_nonnull(f);
    sim_script_item script[] = {{t0 + 50, 0, 7}, {t0 + 50, 0, 2}, {t0 + 10, 0, 9}, {t0 + 50, 0, 4}, {t0 + 10, 0, 1}};
    sim_script_sort(script, 5);
    const sim_script_item sorted[] = {{t0 + 10, 0, 1}, {t0 + 10, 0, 9}, {t0 + 50, 0, 2}, {t0 + 50, 0, 4}, {t0 + 50, 0, 7}};
    for (int i = 0; i < 5; i++) {
        ck_assert_int_eq(script[i].time, sorted[i].time);
        ck_assert_uint_eq(script[i].index, sorted[i].index);
    }
    run_ctx c;
    init_ctx(&c, f);
    sim_run r = make_run(f, script, 5, t0, end);
    ck_assert_int_eq(sim_run_until(&r, end, &handler, &c), -1);
    const run_rec want[] = {{'S', t0 + 10, 1}, {'S', t0 + 10, 9}, {'S', t0 + 50, 2}, {'S', t0 + 50, 4},
                            {'S', t0 + 50, 7}};
    assert_log(&c, 5, want);
    ck_assert_uint_eq(r.actions, 5);
    ck_assert_uint_eq(r.events, 0);
    sim_fel_free(f);
}
END_TEST

/* An event a scripted action schedules at its own instant runs before the next scripted
 * action at that instant; so does one an event schedules at its own instant. */
START_TEST(test_run_scheduled_same_instant)
{
    sim_time t0 = 1740787200, end = t0 + 10 * SIM_DAY;
    sim_fel *f = sim_fel_new(t0, end);
    ck_assert_ptr_nonnull(f);
    sim_script_item script[] = {{t0 + 100, 0, 0}, {t0 + 100, 0, 1}, {t0 + 100, 0, 2}, {t0 + 300, 0, 3}};
    ck_assert_int_eq(sim_fel_push(f, t0 + 300, 0, 1, 20, 0), 0);
    run_ctx c;
    init_ctx(&c, f);
    c.spawn_script = 1; /* pushes 900 at t0 + 100 */
    c.spawn_event = 20; /* pushes 901 at t0 + 300 */
    sim_run r = make_run(f, script, 4, t0, end);
    ck_assert_int_eq(sim_run_until(&r, end, &handler, &c), -1);
    const run_rec want[] = {{'S', t0 + 100, 0},   {'S', t0 + 100, 1}, {'E', t0 + 100, 900},
                            {'S', t0 + 100, 2},   {'E', t0 + 300, 20}, {'E', t0 + 300, 901},
                            {'S', t0 + 300, 3}};
    assert_log(&c, 7, want);
    ck_assert_uint_eq(r.events, 3);
    ck_assert_uint_eq(r.actions, 4);
    sim_fel_free(f);
}
END_TEST

START_TEST(test_run_nothing_after_end)
{
    sim_time t0 = 1740787200, end = t0 + 2 * SIM_DAY;
    sim_fel *f = sim_fel_new(t0, end);
    ck_assert_ptr_nonnull(f);
    sim_script_item script[] = {{end, 0, 0}, {end + 1, 0, 1}, {end + SIM_DAY, 0, 2}};
    ck_assert_int_eq(sim_fel_push(f, end, 0, 0, 30, 0), 0);
    ck_assert_int_eq(sim_fel_push(f, end + 1, 0, 0, 31, 0), 1);
    run_ctx c;
    init_ctx(&c, f);
    c.spawn_script = 0; /* pushes 900 at end: still runs */
    sim_run r = make_run(f, script, 3, t0, end);
    sim_run_until(&r, SIM_TIME_NEVER, &handler, &c); /* until beyond the end */
    const run_rec want[] = {{'E', end, 30}, {'S', end, 0}, {'E', end, 900}};
    assert_log(&c, 3, want);
    ck_assert_int_eq(r.now, end);
    ck_assert_uint_eq(r.actions, 1);
    /* asking again runs nothing more */
    sim_run_until(&r, SIM_TIME_NEVER, &handler, &c);
    sim_run_until(&r, end + 5 * SIM_DAY, &handler, &c);
    ck_assert_uint_eq(c.n, 3);
    ck_assert_uint_eq(r.actions, 1);
    ck_assert_uint_eq(r.events, 2);
    sim_fel_free(f);
}
END_TEST

START_TEST(test_run_until_stops)
{
    sim_time t0 = 1740787200, end = t0 + 10 * SIM_DAY;
    sim_fel *f = sim_fel_new(t0, end);
    ck_assert_ptr_nonnull(f);
    sim_script_item script[] = {{t0 + 100, 0, 0}, {t0 + 200, 0, 1}, {t0 + 300, 0, 2}};
    ck_assert_int_eq(sim_fel_push(f, t0 + 150, 0, 0, 40, 0), 0);
    ck_assert_int_eq(sim_fel_push(f, t0 + 200, 0, 0, 41, 0), 0);
    ck_assert_int_eq(sim_fel_push(f, t0 + 250, 0, 0, 42, 0), 0);
    run_ctx c;
    init_ctx(&c, f);
    sim_run r = make_run(f, script, 3, t0, end);
    ck_assert_int_eq(sim_run_next(&r), t0 + 100);

    ck_assert_int_eq(sim_run_until(&r, t0 + 99, &handler, &c), 0); /* nothing yet */
    ck_assert_uint_eq(c.n, 0);
    ck_assert_int_eq(r.now, t0);

    ck_assert_int_eq(sim_run_until(&r, t0 + 150, &handler, &c), 0); /* inclusive bound */
    const run_rec want1[] = {{'S', t0 + 100, 0}, {'E', t0 + 150, 40}};
    assert_log(&c, 2, want1);
    ck_assert_int_eq(r.now, t0 + 150);
    ck_assert_int_eq(sim_run_next(&r), t0 + 200);

    ck_assert_int_eq(sim_run_until(&r, t0 + 200, &handler, &c), 0); /* both at 200 */
    const run_rec want2[] = {{'S', t0 + 100, 0}, {'E', t0 + 150, 40}, {'E', t0 + 200, 41},
                             {'S', t0 + 200, 1}};
    assert_log(&c, 4, want2);
    ck_assert_uint_eq(r.events, 2);
    ck_assert_uint_eq(r.actions, 2);
    ck_assert_int_eq(sim_run_next(&r), t0 + 250);

    ck_assert_int_eq(sim_run_until(&r, t0 + 299, &handler, &c), 0);
    ck_assert_uint_eq(c.n, 5);
    ck_assert_int_eq(sim_run_next(&r), t0 + 300); /* only the script is left */

    ck_assert_int_eq(sim_run_until(&r, end, &handler, &c), -1);
    ck_assert_uint_eq(c.n, 6);
    ck_assert_int_eq(r.now, t0 + 300);
    ck_assert_int_eq(sim_run_next(&r), SIM_TIME_NEVER);
    ck_assert_int_eq(sim_run_until(&r, end, &handler, &c), -1);
    ck_assert_uint_eq(c.n, 6);
    sim_fel_free(f);
}
END_TEST

/* At one instant steps run by group: a group's events (phase order), then its scripted items
 * in index order, each followed by the events it schedules at its instant and group; a lower
 * group's item runs before a higher group's events. Groups 0, 2, 5 at t0 + 100. */
START_TEST(test_run_groups_at_one_instant)
{
    sim_time t0 = 1740787200, end = t0 + 10 * SIM_DAY;
    sim_fel *f = sim_fel_new(t0, end);
    ck_assert_ptr_nonnull(f);
    sim_script_item script[] = {{t0 + 100, 5, 0}, {t0 + 100, 2, 1}, {t0 + 100, 0, 2}, {t0 + 100, 2, 3}};
    sim_script_sort(script, 4); /* (0: 2), (2: 1, 3), (5: 0) */
    ck_assert_uint_eq(script[0].index, 2);
    ck_assert_uint_eq(script[1].index, 1);
    ck_assert_uint_eq(script[2].index, 3);
    ck_assert_uint_eq(script[3].index, 0);
    ck_assert_int_eq(sim_fel_push(f, t0 + 100, 5, 0, 50, 0), 0);
    ck_assert_int_eq(sim_fel_push(f, t0 + 100, 2, 3, 21, 0), 0);
    ck_assert_int_eq(sim_fel_push(f, t0 + 100, 2, 0, 20, 0), 0);
    ck_assert_int_eq(sim_fel_push(f, t0 + 100, 9, 0, 90, 0), 0); /* after every item */
    ck_assert_int_eq(sim_fel_push(f, t0 + 99, 9, 0, 91, 0), 0);  /* an earlier instant first */
    run_ctx c;
    init_ctx(&c, f);
    c.spawn_script = 1; /* group 2's first item pushes 900 in group 2: before item 3 */
    sim_run r = make_run(f, script, 4, t0, end);
    ck_assert_int_eq(sim_run_until(&r, end, &handler, &c), -1);
    const run_rec want[] = {{'E', t0 + 99, 91},  {'S', t0 + 100, 2},  {'E', t0 + 100, 20}, {'E', t0 + 100, 21},
                            {'S', t0 + 100, 1},  {'E', t0 + 100, 900}, {'S', t0 + 100, 3}, {'E', t0 + 100, 50},
                            {'S', t0 + 100, 0},  {'E', t0 + 100, 90}};
    assert_log(&c, 10, want);
    sim_fel_free(f);
}
END_TEST

Suite *fel_suite(void)
{
    Suite *s = suite_create("fel");
    TCase *tc = tcase_create("list");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_fel_new_and_empty);
    tcase_add_loop_test(tc, test_fel_random_against_reference, 0, 12);
    tcase_add_test(tc, test_fel_fifo_same_instant);
    tcase_add_test(tc, test_fel_phase_order);
    tcase_add_test(tc, test_fel_drops_after_end);
    tcase_add_test(tc, test_fel_refuses_the_past);
    tcase_add_test(tc, test_fel_peek_equals_pop);
    tcase_add_test(tc, test_fel_size);
    tcase_add_test(tc, test_fel_large_bucket);
    tcase_add_test(tc, test_fel_push_into_open_and_passed_days);
    tcase_add_test(tc, test_fel_peek_then_push_earlier_random);
    suite_add_tcase(s, tc);

    tc = tcase_create("run");
    tcase_add_test(tc, test_run_system_before_script);
    tcase_add_test(tc, test_run_script_index_order);
    tcase_add_test(tc, test_run_scheduled_same_instant);
    tcase_add_test(tc, test_run_nothing_after_end);
    tcase_add_test(tc, test_run_until_stops);
    tcase_add_test(tc, test_run_groups_at_one_instant);
    suite_add_tcase(s, tc);
    return s;
}
