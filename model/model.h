/* model/model.h - the CSP domain: offers, partners, tenants, relationships, subscriptions,
 * agreements, the rules that move them, the ledger and the metrics.
 *
 * Ownership: a model_world owns its entity tables, its future-event list and its random
 * generator; model_world_free releases all of them. Id strings passed in (offer, partner,
 * tenant, subscription ids, regions) are borrowed: the caller keeps them alive as long as
 * the world (the scenario arena does). Pure: no files, no printing, no clock; everything
 * the outside sees leaves through the model_sink as model_records.
 *
 * Life of a world: model_world_new, the add/declare calls (the catalog and the state at
 * start), model_start, then model_run_until for increasing instants with scripted actions
 * given as model_action values, then model_finish. Functions returning int give 0 on
 * success and -1 when memory ran out or an argument is invalid (documented per call).
 *
 * Inside: one .c and one .h per module; a module includes only the headers of the modules
 * it calls, and the include graph is a DAG. Bottom to top (each uses only those below it):
 *   rules, record      the rule catalog and the records (public, with this header)
 *   store              entity records, the world's tables, growth, look-ups, side records
 *   calendar, emit,    term instants from the anchor; building and numbering records;
 *   states             the state machine (live, paid, legal transitions)
 *   licenses, ledger,  SUB-6/7 tranches; money; double billing (MIG-1, EA-5);
 *   overlap, replace   SUB-12 replacement at deletion
 *   changes            SUB-9 paths, SUB-10 scheduled changes, SUB-11 coterminous dates
 *   lifecycle          state changes, terms, the lifecycle timer's steps
 *   ea, transfer       EA claims and renewals; partner-to-partner transfers
 *   actions            scripted actions as rows of checks, relationships
 *   invariants, world, what must hold; making the world and its accessors;
 *   behaviour,         reactions to records, run as actions (behaviour.h); the run (timer
 *   dispatch           and action dispatch, the only caller of ea/transfer/replace timers)
 *   union              the read-only union world over shards (union.h, run --jobs): the
 *                      accessors above reach its shards through one hook (store_at), the
 *                      way records reach behaviours, so no lower module calls up into it
 * Internal names carry their module's prefix (store_, rel_, sub_, rec_, licenses_, ledger_,
 * dbl_, sched_, coterm_, ea_/claim_, transfer_, actions_, invariants_, behav_, union_); model_
 * is this API.
 */
#ifndef MODEL_MODEL_H
#define MODEL_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"
#include "rules.h"
#include "sim/dist.h"
#include "sim/time.h"

typedef struct model_world model_world;

typedef enum { MODEL_CHANNEL_CSP, MODEL_CHANNEL_WEB_DIRECT, MODEL_CHANNEL_EA } model_channel;
typedef enum { MODEL_BILLING_MONTHLY, MODEL_BILLING_ANNUAL, MODEL_BILLING_TRIENNIAL } model_billing;
/* REL-6: who may transact. The order is the scenario format's words (direct first). */
typedef enum { MODEL_PARTNER_DIRECT, MODEL_PARTNER_INDIRECT_PROVIDER, MODEL_PARTNER_INDIRECT_RESELLER } model_partner_type;
typedef enum { MODEL_SEGMENT_ENTERPRISE, MODEL_SEGMENT_SMB, MODEL_SEGMENT_EDUCATION, MODEL_SEGMENT_GOVERNMENT } model_segment;

/* The bounds that keep money in int64 (issue 15): no subscription holds more than
 * MODEL_MAX_LICENSES licenses (an increase, an upgrade or a conversion into a target past it is
 * refused seat_cap, LIM-2, docs/rules.md reading 28), and a price is at most MODEL_MAX_PRICE
 * minor units per license-month (the loader's CLI_MAX_PRICE). One billing period then costs
 * at most 1e9 x 1e8 x 36 months = 3.6e18 < INT64_MAX (9.2e18); proration multiplies by the
 * days left in 128 bits before it divides. Totals over a run (subscription, tenant,
 * partner, ledger) are not bounded by the limits (1e6 events may each charge 3.6e18): they
 * saturate at INT64_MAX instead of wrapping. */
#define MODEL_MAX_LICENSES 1000000000
#define MODEL_MAX_PRICE 100000000 /* 1,000,000.00 */

#define MODEL_TERM_P1M 1u
#define MODEL_TERM_P1Y 2u
#define MODEL_TERM_P3Y 4u

typedef struct {
    const char *id;
    const char *name;
    const char *provisioning_id; /* NULL: the id */
    int64_t price;               /* minor units per license per month */
    unsigned terms;              /* MODEL_TERM_* mask */
    model_segment segment;
    int one_per_tenant, csp_available, end_of_sale;
    const uint32_t *equivalent_to; /* offer indices, borrowed */
    size_t nequivalent;
    const uint32_t *upgrades_to;
    size_t nupgrades;
    int is_addon;
    const uint32_t *addon_base;
    size_t naddon_base;
    double max_ratio; /* < 0: none */
    double min_ratio;
} model_offer_spec;

/* A subscription that exists at the scenario start. */
typedef struct {
    uint32_t offer;
    uint32_t partner; /* MODEL_NONE for web-direct and ea */
    model_channel channel;
    int32_t licenses;
    int term_months; /* 1, 12 or 36 */
    model_billing billing;
    sim_time start;  /* start of the term, or of the first term with autorenew on */
    int autorenew;
    model_state state; /* ACTIVE, SUSPENDED or TRIAL */
} model_sub_spec;

/* A scripted action: the fields its kind uses, indices into the world's tables. */
typedef struct {
    model_action_kind kind;
    uint32_t partner, tenant, subscription, offer;
    uint32_t new_subscription; /* purchase, claim or partial upgrade id */
    uint32_t target, align, agreement; /* target subscription, align_end_with, agreement */
    uint32_t from_partner, to_partner, transfer;
    uint32_t reseller; /* REL-6: the indirect reseller a provider acts for (purchase, claim, request_transfer) */
    const uint32_t *subs; /* a transfer's subscriptions, borrowed */
    size_t nsubs;
    int32_t licenses, delta;
    int has_licenses, has_delta, has_term, has_billing;
    int term_months;
    model_billing billing;
    int autorenew, trial, value;
    sim_time end;
    size_t param;                    /* set_rule: the parameter, an index into model_param_table */
    model_param_value param_value;   /* set_rule: its new value (a choice's arrays borrowed) */
    const char *detail; /* extra "key=value" text for the trace, borrowed; may be NULL */
} model_action;

/* align_end_with: calendar_month (SUB-11), in place of a subscription index */
#define MODEL_ALIGN_CALENDAR_MONTH (MODEL_NONE - 1u)

/* An action with every index MODEL_NONE and the format's defaults (autorenew on). */
void model_action_init(model_action *a, model_action_kind kind);

/* Figures of one tenant, or of the whole run (model_metrics_total). */
typedef struct {
    int64_t data_loss_licenses;
    int64_t interruption_days;
    int64_t billed, refunded; /* minor units */
    int64_t rejections;
    int64_t double_billing_days;
} model_metrics;

/* What a partner won and lost by moves (EA claims, transfers to it). */
typedef struct {
    int64_t claims_won;         /* claims processed into a subscription */
    int64_t claims_refused;     /* claim actions refused, and claims refused at processing (LIM-1) */
    int64_t transfers_accepted; /* transfers to this partner accepted */
    int64_t transfers_refused;  /* transfers to it refused by a rule, rejected by the source, or expired */
} model_partner_figures;

/* A new world for instants in [start, end], its generator from (seed, replication).
 * NULL when memory ran out or end < start. */
model_world *model_world_new(sim_time start, sim_time end, uint64_t seed, uint64_t replication);
void model_world_free(model_world *w);

/* A broken invariant: the run stops at the first one (model_run_until returns -2). */
typedef struct {
    const char *invariant; /* what should have held */
    sim_time time;
    uint64_t after_record; /* the last record emitted before the check */
    uint32_t subscription; /* MODEL_NONE when not about one */
    char detail[160];
} model_breach;

/* Checks the invariants after every event and action: time never goes back, only legal
 * state transitions, licenses never negative, live subscriptions within the tenant limit,
 * and at model_finish money conserved (tenant, partner and ledger totals agree). Off by
 * default, on when built with -DCSPSIM_INVARIANTS (the test builds). */
void model_check_invariants(model_world *w, int on);
/* The breach that stopped the run, or NULL. */
const model_breach *model_breach_found(const model_world *w);

/* The parameters, to override before model_start. */
model_params *model_world_params(model_world *w);
void model_set_sink(model_world *w, model_sink sink);

/* Optional: room for this many tenants and subscriptions in all, allocated once, so that
 * large populations do not pay for growing their tables (nor hold two copies while they
 * grow). -1 when memory ran out. */
int model_reserve(model_world *w, size_t tenants, size_t subscriptions);

/* Adders return the new index, or MODEL_NONE when memory ran out. */
uint32_t model_add_offer(model_world *w, const model_offer_spec *spec);
uint32_t model_add_partner(model_world *w, const char *id, const char *region);
uint32_t model_add_tenant(model_world *w, const char *id, const char *region);
/* A partner's type (REL-6); model_add_partner makes a direct one. */
void model_set_partner_type(model_world *w, uint32_t partner, model_partner_type type);
model_partner_type model_partner_type_get(const model_world *w, uint32_t partner);
/* The reseller a subscription was bought, claimed or transferred for, or MODEL_NONE. */
uint32_t model_subscription_reseller(const model_world *w, uint32_t sub);
/* A relationship accepted before the start (EA visibility delay over). */
int model_add_relationship(model_world *w, uint32_t tenant, uint32_t partner);
/* A subscription id of tenant, in state none until created. */
uint32_t model_declare_subscription(model_world *w, const char *id, uint32_t tenant);
/* Makes a declared subscription exist at the start. -1 also when a non-autorenewing term
 * ended before the start. */
int model_init_subscription(model_world *w, uint32_t sub, const model_sub_spec *spec);
/* An Enterprise Agreement of tenant ending on the inclusive date `end` (00:00 of it). */
uint32_t model_add_agreement(model_world *w, const char *id, uint32_t tenant, sim_time end,
                             int extended_term, int public_sector);
/* An EA subscription of an agreement: active until the agreement ends (EA-6). */
int model_init_ea_subscription(model_world *w, uint32_t sub, uint32_t agreement, uint32_t offer,
                               int32_t licenses);

/* A partner-to-partner transfer (XFER-1) that a request_transfer event will open: the
 * tenant's subscriptions `subs` of partner `from`, to become news[i] at partner `to` (ids
 * declared with model_declare_subscription). Arrays and id borrowed. MODEL_NONE on OOM. */
uint32_t model_add_transfer(model_world *w, const char *id, uint32_t tenant, uint32_t from, uint32_t to,
                            const uint32_t *subs, const uint32_t *news, size_t n);

/* Schedules the timers of everything that exists at the start. Call once. */
int model_start(model_world *w);

/* The scripted actions, at[i] the instant of actions[i]; at one instant they run in array
 * order. Both arrays are borrowed for the whole run. Call once, before the first run. */
int model_set_script(model_world *w, const model_action *actions, const sim_time *at, size_t n);

/* Runs system events and scripted actions at instants <= until (and <= the end). Returns
 * -1 when memory ran out, -2 when an invariant broke (model_breach_found), else 0. */
int model_run_until(model_world *w, sim_time until);
/* The next instant with something to run, or SIM_TIME_NEVER. */
sim_time model_next_instant(model_world *w);
/* Closes open intervals (interruption) at the end instant and checks that money is
 * conserved when invariants are on. Call once after the last run. -2 on a breach, else 0. */
int model_finish(model_world *w);

/* The key of the step emitting the current record, valid inside a sink's emit: its instant
 * and its group (0: a global step, set_rule or a step about no tenant; otherwise 1 + the tenant's
 * number in the whole scenario, tenant_base + index (model_set_tenant_base), so that the
 * keys of shards compare; not the population group of model_tenant_group). Within an instant steps run by
 * group, each group in its own order, so the keys a sink sees never decrease in (t, group) and
 * a world holding a subset of the tenants emits, per tenant, the same records in the same
 * order. The weighing of double billing before the first step has key (start - 1, group);
 * model_finish's records (end, group). */
void model_step_key(const model_world *w, sim_time *t, uint32_t *group);

/* A world holding part of a scenario's tenants (a shard): its tenant i is tenant base + i of
 * the whole scenario. Every random stream of a tenant (timing delays, behaviour decisions)
 * keys on that number, so the tenant draws the same in any world holding it. 0 by default
 * (the whole scenario); set before the run. */
void model_set_tenant_base(model_world *w, uint32_t base);

/* Applies one action at t now (used by the run loop and by tests). */
void model_apply(model_world *w, sim_time t, const model_action *a);

/* Accessors. Indices are the ones the adders returned. Each of these (and model_breach_found,
 * model_world_params to read) also takes a union world (union.h), in its global numbering. */
size_t model_count_offers(const model_world *w);
size_t model_count_partners(const model_world *w);
size_t model_count_tenants(const model_world *w);
size_t model_count_subscriptions(const model_world *w);
const char *model_offer_id(const model_world *w, uint32_t i);
const char *model_partner_id(const model_world *w, uint32_t i);
const char *model_tenant_id(const model_world *w, uint32_t i);
const char *model_partner_region(const model_world *w, uint32_t i);
/* The subscription's id ("s<index>" form is the caller's business when NULL was given). */
const char *model_subscription_id(const model_world *w, uint32_t i);

/* Generated entities (model/population.h) store no id string: model_tenant_id and
 * model_subscription_id format theirs (`smb-1`, `smb-1.s2`) into a ring of four buffers in
 * the world, valid until four more such calls. Writers that keep several at once pass their
 * own buffer here instead: the stored id, the generated label in buf, or (subscription) NULL. */
#define MODEL_LABEL_BUF 96
const char *model_tenant_label(const model_world *w, uint32_t i, char buf[MODEL_LABEL_BUF]);
const char *model_subscription_label(const model_world *w, uint32_t i, char buf[MODEL_LABEL_BUF]);
/* Population groups: how many, a group's name, and the group of a tenant (MODEL_NONE for a
 * hand-written one), for per-group filters and summaries. */
size_t model_count_groups(const model_world *w);
const char *model_group_name(const model_world *w, uint32_t g);
uint32_t model_tenant_group(const model_world *w, uint32_t tenant);

uint32_t model_subscription_tenant(const model_world *w, uint32_t i);

typedef struct {
    model_state state;
    uint32_t tenant, partner, offer;
    model_channel channel;
    int32_t licenses;
    int autorenew;
    int renewing;
    sim_time term_start, term_end; /* term_end: 00:00 after the inclusive end date */
    int term_months;               /* 1, 12 or 36 */
    model_billing billing;
} model_sub_view;
void model_subscription_view(const model_world *w, uint32_t i, model_sub_view *out);
uint32_t model_live_subscriptions(const model_world *w, uint32_t tenant);

void model_metrics_tenant(const model_world *w, uint32_t tenant, model_metrics *out);
void model_metrics_total(const model_world *w, model_metrics *out);
/* REL-6: what providers did for an indirect reseller: billed and refunded on the
 * subscriptions bought, claimed or transferred for it, and how many were created. */
typedef struct {
    int64_t billed, refunded; /* minor units */
    int64_t subscriptions;
} model_reseller_figures;
void model_reseller_figures_get(const model_world *w, uint32_t partner, model_reseller_figures *out);
/* Billed and refunded charged to a partner (MODEL_NONE: web-direct, customer-billed). */
void model_metrics_partner(const model_world *w, uint32_t partner, int64_t *billed, int64_t *refunded);
void model_partner_figures_get(const model_world *w, uint32_t partner, model_partner_figures *out);
uint64_t model_events_processed(const model_world *w);
uint64_t model_records_emitted(const model_world *w);
/* Bytes held by the world's tables and event list. */
size_t model_world_bytes(const model_world *w);

#endif
