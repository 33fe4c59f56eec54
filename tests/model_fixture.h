/* tests/model_fixture.h - the model-world fixture of the rule suites (check_model.c,
 * check_moves.c), implemented in tests/check_fixture.c.
 *
 * The fixture is one small world at a time, held in F: the catalog its suite supplies,
 * partners p1, p2 (region us) and peu (eu), tenants t1, t2 (us) and teu (eu) with NSUB
 * declared subscriptions each ("a00".."a23", "b00".., "c00"..), the relationship t1-p1
 * accepted before the start, and a sink that captures every record in memory (F.cap).
 * Around it: instants and durations from text, the clock (run_to: tests never go back in
 * time), the common actions (each returns its action record), subscriptions that exist at
 * the start, look-ups into the captured records, and the assertions.
 *
 * The assertion helpers take the caller's line (the upper-case macros pass __LINE__) so that
 * a failure names the line of the test, not of the helper. Every function aborts the test
 * (Check) when its own setup step fails. A suite registers fx_teardown as the checked
 * fixture's teardown so that every test starts from nothing. */
#ifndef TESTS_MODEL_FIXTURE_H
#define TESTS_MODEL_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "model/model.h"

/* ---- the world --------------------------------------------------------------------------- */

enum { P1, P2, PEU, NPARTNERS }; /* partner indices */
enum { T1, T2, TEU, NTENANTS };  /* tenant indices */
#define NSUB 24                  /* declared subscriptions per tenant */

#define H SIM_HOUR
#define D SIM_DAY
#define ALL_TERMS (MODEL_TERM_P1M | MODEL_TERM_P1Y | MODEL_TERM_P3Y)
#define ANY_RULE MODEL_RULE_COUNT /* for REFUSED, EXPECT_RECORD, EXPECT_CHARGE...: any rule */

/* Every record the world wrote, in order. */
typedef struct {
    model_record *v;
    size_t n, cap;
} capture;

typedef struct {
    model_world *w;
    capture cap;
    sim_time now; /* the latest instant a test ran to: tests never go back in time */
    uint32_t sub[NTENANTS][NSUB];
    char ids[NTENANTS][NSUB][16];
} fixture;

extern fixture F;

/* What a suite puts into its worlds beyond the common part. */
typedef struct {
    void (*catalog)(void); /* adds the suite's offers with add_offer, in its offer enum's order */
    uint64_t seed;         /* the world's seed (replication 0) */
    int invariants;        /* 1: model_check_invariants on; 0: the build's default */
} fx_world;

/* A new world over [start, end] as described above; the previous one must have been torn
 * down. Parameters may be changed through P(), and relationships, agreements, transfers and
 * existing subscriptions added, before fx_start(). */
void fx_new_world(const fx_world *kind, sim_time start, sim_time end);
void fx_start(void);
/* Frees the world and the captured records; F is all zero again. */
void fx_teardown(void);
model_params *P(void);

/* An enterprise offer sold to CSP partners with no other property (max_ratio -1): the
 * catalog function changes the fields it needs, then add_offer. */
model_offer_spec offer_spec(const char *id, const char *prov, int64_t price, unsigned terms);
/* Adds o; its index must be the number of offers before it. */
void add_offer(model_offer_spec o);

/* ---- time -------------------------------------------------------------------------------- */

sim_time T(const char *s);         /* an instant, "2025-01-10" or "2025-01-10T09:00Z" */
sim_duration DUR(const char *s);   /* an ISO 8601 duration, "P90D" */
const char *fmt_time(sim_time t, char *buf); /* buf of SIM_TIME_BUF bytes */

/* Runs the system events up to and including t (t not before the last instant run to). */
void run_to(sim_time t);

/* ---- actions ----------------------------------------------------------------------------- */

/* Runs to t, applies a at t, returns its action record. */
model_record act(sim_time t, const model_action *a);
/* Sets licenses, term and billing of a, each marked as given. */
void set_terms(model_action *a, int32_t licenses, int months, model_billing billing);
/* The purchase of `offer` by tenant from partner as the new subscription `sub`, not applied:
 * the caller sets the rest (set_terms...). */
model_action purchase(uint32_t tenant, uint32_t partner, uint32_t sub, uint32_t offer);
/* purchase of `sub`; align: the subscription to end with (SUB-11), MODEL_NONE for none */
model_record buy_aligned(sim_time t, uint32_t tenant, uint32_t partner, uint32_t sub, uint32_t offer,
                         int32_t licenses, int months, model_billing billing, int autorenew, uint32_t align);
model_record buy(sim_time t, uint32_t tenant, uint32_t partner, uint32_t sub, uint32_t offer, int32_t licenses,
                 int months, model_billing billing, int autorenew);
/* a trial purchase (P1M monthly, the trial's own license count) */
model_record buy_trial(sim_time t, uint32_t tenant, uint32_t partner, uint32_t sub, uint32_t offer);
/* cancel, suspend, resume...: an action on one subscription with no other field */
model_record on_sub(sim_time t, model_action_kind kind, uint32_t sub);
model_record set_autorenew(sim_time t, uint32_t sub, int value);
/* request_relationship, accept_relationship */
model_record rel_action(sim_time t, model_action_kind kind, uint32_t tenant, uint32_t partner);

/* ---- subscriptions that exist at the start (before fx_start) ----------------------------- */

/* A CSP subscription, active: change channel, state... before init_sub_spec. */
model_sub_spec sub_spec(uint32_t offer, uint32_t partner, int32_t licenses, int months, model_billing billing,
                        const char *start, int autorenew);
/* model_init_subscription(sub, sp) must give `expect` (0, or -1 for a refused spec). */
void init_sub_spec(uint32_t sub, const model_sub_spec *sp, int expect);
/* the usual cases of sub_spec, expected to be accepted */
void init_sub(uint32_t sub, uint32_t offer, uint32_t partner, int32_t licenses, int months, model_billing billing,
              const char *start, int autorenew);
void init_web_direct(uint32_t sub, uint32_t offer, int32_t licenses, int months, model_billing billing,
                     const char *start, int autorenew);

/* ---- look-ups ---------------------------------------------------------------------------- */

model_sub_view view(uint32_t sub);
model_metrics tenant_metrics(uint32_t tenant);
model_partner_figures figures(uint32_t partner);
/* Records of kind `kind` (any subscription when sub is MODEL_NONE). */
size_t count_kind(model_kind kind, uint32_t sub);
/* The nth (0-based) record of kind for sub (any subscription when MODEL_NONE). */
model_record nth_kind(model_kind kind, uint32_t sub, size_t nth);
/* The record that follows r (by sequence number). */
model_record after(model_record r);

/* ---- assertions -------------------------------------------------------------------------- */

/* an action record of `kind` accepted under `rule` */
void accepted_at(int line, model_record r, model_action_kind kind, model_rule rule);
/* an action record of `kind` refused with `reason` under `rule` (ANY_RULE: any), with no
 * state change and no amount */
void refused_at(int line, model_record r, model_action_kind kind, model_reason reason, model_rule rule);
void states_at(int line, model_record r, int from, int to);
void expect_state_at(int line, uint32_t sub, model_state want);
void expect_time_at(int line, sim_time got, const char *want);
void expect_amount_at(int line, model_record r, model_kind kind, int64_t amount);
void expect_licenses_at(int line, model_record r, model_kind kind, int64_t licenses);
/* r's detail contains `part` */
void expect_detail_at(int line, model_record r, const char *part);
/* r is of `kind`, under `rule` (ANY_RULE: any) and for `sub` (MODEL_NONE: any) */
void expect_record_at(int line, model_record r, model_kind kind, model_rule rule, uint32_t sub);
/* expect_record_at and expect_amount_at; then, unless detail is NULL, r's detail is exactly `detail` */
void expect_money_at(int line, model_record r, model_kind kind, int64_t amount, model_rule rule, uint32_t sub,
                     const char *detail);
/* The system records (not actions) written at exactly t, in order, must be `kinds`. */
void expect_system_at_at(int line, sim_time t, const model_kind *kinds, size_t n);
/* No system record at all at t. */
void expect_nothing_at(sim_time t);

#define ACCEPTED(...) accepted_at(__LINE__, __VA_ARGS__)
#define REFUSED(...) refused_at(__LINE__, __VA_ARGS__)
#define STATES(...) states_at(__LINE__, __VA_ARGS__)
#define EXPECT_STATE(...) expect_state_at(__LINE__, __VA_ARGS__)
#define EXPECT_TIME(...) expect_time_at(__LINE__, __VA_ARGS__)
#define EXPECT_AMOUNT(...) expect_amount_at(__LINE__, __VA_ARGS__)
#define EXPECT_LICENSES(...) expect_licenses_at(__LINE__, __VA_ARGS__)
#define EXPECT_DETAIL(...) expect_detail_at(__LINE__, __VA_ARGS__)
#define EXPECT_RECORD(...) expect_record_at(__LINE__, __VA_ARGS__)
/* EXPECT_CHARGE(r, amount, rule, sub, detail), EXPECT_REFUND(...): see expect_money_at */
#define EXPECT_CHARGE(r, ...) expect_money_at(__LINE__, (r), MODEL_KIND_CHARGE, __VA_ARGS__)
#define EXPECT_REFUND(r, ...) expect_money_at(__LINE__, (r), MODEL_KIND_REFUND, __VA_ARGS__)
#define EXPECT_SYSTEM_AT(t, ...)                                                                   \
    do {                                                                                           \
        static const model_kind k_[] = {__VA_ARGS__};                                              \
        expect_system_at_at(__LINE__, (t), k_, sizeof k_ / sizeof k_[0]);                          \
    } while (0)

#endif
