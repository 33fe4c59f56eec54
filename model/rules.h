/* model/rules.h - the rule catalog as data: rule ids, reason codes and rule parameters.
 *
 * Every decision the model makes carries a model_rule; every refusal a model_reason. Both
 * come from the X-macro tables below, which also give their text, so the trace, the docs and
 * the tests read one source. Parameters are a table of
 * {name, kind, default text, rule, offset} over model_params: defaults are parsed from the
 * same text that the documentation prints. Pure: no I/O, no allocation.
 */
#ifndef MODEL_RULES_H
#define MODEL_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "sim/dist.h"
#include "sim/time.h"

/* X(name, id, summary, source, simulated by this version) */
#define MODEL_RULES(X)                                                                          \
    X(NONE, "", "", "", 0)                                                                             \
    X(REL_1, "REL-1", "A partner transacts for a tenant only after the tenant accepted its reseller-relationship request.", "Partner Center: Move license-based customers to CSP; Partner Center: Move customers to CSP, channel transfers and the manual path; Request a reseller relationship", 1) \
    X(REL_2, "REL-2", "Partner region must equal tenant region.", "Partner Center: Move license-based customers to CSP; Regional authorization overview", 1)                                \
    X(REL_3, "REL-3", "A tenant may have relationships with several partners at once.", "Partner Center: Move license-based customers to CSP; Partner Center: Move customers to CSP, channel transfers and the manual path", 1)          \
    X(REL_4, "REL-4", "A pending relationship request expires unanswered.", "Partner Center: GDAP FAQ", 1)                      \
    X(REL_5, "REL-5", "After a new relationship, the tenant's EA agreements become visible to the partner after a delay.", "Partner Center: Move customers to CSP, channel transfers and the manual path", 1) \
    X(REL_6, "REL-6", "Only direct and indirect-provider partners transact; an indirect provider may act for a reseller.", "Partner Center: Create, suspend, cancel, upgrade and transfer subscriptions (new commerce); Partner Center: Move customers to CSP, channel transfers and the manual path", 1) \
    X(SUB_1, "SUB-1", "Terms and billing frequencies; the term end date is inclusive.", "Partner Center: Create, suspend, cancel, upgrade and transfer subscriptions (new commerce); Create a new subscription", 1)          \
    X(SUB_2, "SUB-2", "Cancel with a prorated refund only within the cancel window of a term; billing per period.", "Partner Center: Create, suspend, cancel, upgrade and transfer subscriptions (new commerce); Subscription lifecycle; New commerce cancellation policy", 1) \
    X(SUB_3, "SUB-3", "Autorenew renews at the day after the term end date after a processing delay.", "Partner Center: Create, suspend, cancel, upgrade and transfer subscriptions (new commerce)", 1) \
    X(SUB_4, "SUB-4", "Without autorenew the subscription expires, is disabled after the grace, then deleted.", "Partner Center: Move license-based customers to CSP; Subscription lifecycle", 1) \
    X(SUB_5, "SUB-5", "Suspend ends user access, turns autorenew off; suspended at term end is deleted.", "Partner Center: Create, suspend, cancel, upgrade and transfer subscriptions (new commerce); Subscription lifecycle", 1) \
    X(SUB_6, "SUB-6", "Licenses increase any time and decrease only within the reduce window of their addition.", "Partner Center: Create, suspend, cancel, upgrade and transfer subscriptions (new commerce); Change the quantity of a subscription (API)", 1) \
    X(SUB_7, "SUB-7", "A subscription refuses updates past the update limit.", "Partner Center: Create, suspend, cancel, upgrade and transfer subscriptions (new commerce)", 1)                    \
    X(SUB_8, "SUB-8", "Trials: fixed licenses, one month, restricted; convert to paid at the end.", "Partner Center: Create, suspend, cancel, upgrade and transfer subscriptions (new commerce); Offer your customers trials", 1) \
    X(SUB_9, "SUB-9", "Upgrades along upgrades_to, full or partial, mid-term.", "Partner Center: Create, suspend, cancel, upgrade and transfer subscriptions (new commerce)", 1)                  \
    X(SUB_10, "SUB-10", "Scheduled changes apply at renewal.", "Partner Center: Create, suspend, cancel, upgrade and transfer subscriptions (new commerce); Subscription lifecycle", 1)                                    \
    X(SUB_11, "SUB-11", "Coterminous end dates with align_end_with.", "Partner Center: align subscription end dates", 1)                             \
    X(SUB_12, "SUB-12", "Data survives deletion only for licenses replaced by live subscriptions of the same service.", "Partner Center: Move license-based customers to CSP", 1) \
    X(LIM_1, "LIM-1", "A tenant holds at most tenant_subscription_limit live subscriptions.", "Partner Center: Move license-based customers to CSP; Microsoft Entra service limits and restrictions", 1)     \
    X(LIM_2, "LIM-2", "SMB offers hold at most smb_seat_cap licenses per offer per tenant.", "Partner Center: Create, suspend, cancel, upgrade and transfer subscriptions (new commerce); Pricing and offers", 1)      \
    X(LIM_3, "LIM-3", "one_per_tenant offers: one live subscription per tenant.", "Partner Center: Create, suspend, cancel, upgrade and transfer subscriptions (new commerce)", 1)                 \
    X(LIM_4, "LIM-4", "Add-ons need a base and stay within its ratio.", "Partner Center: Create, suspend, cancel, upgrade and transfer subscriptions (new commerce)", 1)                           \
    X(EA_1, "EA-1", "EA renewal claims: visibility window, eligibility, SKU availability.", "Partner Center: Move customers to CSP, channel transfers and the manual path", 1)       \
    X(EA_2, "EA-2", "The first claim holds an EA subscription; claims lock at the agreement end.", "Partner Center: Move customers to CSP, channel transfers and the manual path", 1) \
    X(EA_3, "EA-3", "Claim processing after the agreement end.", "Partner Center: Move customers to CSP, channel transfers and the manual path", 1)                                 \
    X(EA_4, "EA-4", "A processed claim creates an ordinary CSP subscription.", "Partner Center: Move customers to CSP, channel transfers and the manual path", 1)                    \
    X(EA_5, "EA-5", "An EA renewed with a claim left in place is billed twice.", "Partner Center: Move customers to CSP, channel transfers and the manual path", 1)                  \
    X(EA_6, "EA-6", "EA subscriptions end with their agreement like autorenew off.", "Partner Center: Move license-based customers to CSP; Partner Center: Move customers to CSP, channel transfers and the manual path", 1)              \
    X(MIG_1, "MIG-1", "Manual path: buy from the catalog; double billing days are counted.", "Partner Center: Move license-based customers to CSP; Partner Center: Move customers to CSP, channel transfers and the manual path", 1)     \
    X(MIG_2, "MIG-2", "A Web Direct subscription cancelled during a move is credit eligible.", "Partner Center: Move license-based customers to CSP", 1)   \
    X(XFER_1, "XFER-1", "Partner-to-partner transfer of subscriptions.", "Partner Center: Create, suspend, cancel, upgrade and transfer subscriptions (new commerce); Transfer subscriptions", 1)

typedef enum {
#define X(name, id, text, source, impl) MODEL_RULE_##name,
    MODEL_RULES(X)
#undef X
    MODEL_RULE_COUNT
} model_rule;

/* X(name, code, produced by this version) */
#define MODEL_REASONS(X)                                                                         \
    X(NONE, "", 0)                                                                                  \
    X(NO_RELATIONSHIP, "no_relationship", 1)                                                        \
    X(RELATIONSHIP_PENDING, "relationship_pending", 1)                                              \
    X(REGION_MISMATCH, "region_mismatch", 1)                                                        \
    X(UNKNOWN_ENTITY, "unknown_entity", 1)                                                          \
    X(NOT_IN_CATALOG, "not_in_catalog", 1)                                                          \
    X(TERM_NOT_OFFERED, "term_not_offered", 1)                                                      \
    X(NOT_ACTIVE, "not_active", 1)                                                                  \
    X(RENEWAL_IN_PROGRESS, "renewal_in_progress", 1)                                                \
    X(CANCEL_WINDOW_CLOSED, "cancel_window_closed", 1)                                              \
    X(REDUCE_WINDOW_CLOSED, "reduce_window_closed", 1)                                              \
    X(SUSPENDED, "suspended", 1)                                                                    \
    X(TENANT_LIMIT, "tenant_limit", 1)                                                              \
    X(SEAT_CAP, "seat_cap", 1)                                                                      \
    X(ONE_PER_TENANT, "one_per_tenant", 1)                                                          \
    X(ADDON_WITHOUT_BASE, "addon_without_base", 1)                                                  \
    X(ADDON_OVER_BASE, "addon_over_base", 1)                                                        \
    X(ADDON_UNDER_MINIMUM, "addon_under_minimum", 1)                                                \
    X(UPDATE_LIMIT, "update_limit", 1)                                                              \
    X(TRIAL_RESTRICTED, "trial_restricted", 1)                                                      \
    X(DOWNGRADE_NOT_ALLOWED, "downgrade_not_allowed", 1)                                            \
    X(UPGRADE_PATH_UNSUPPORTED, "upgrade_path_unsupported", 1)                                      \
    X(COTERM_INVALID, "coterm_invalid", 1)                                                          \
    X(EA_NOT_ELIGIBLE, "ea_not_eligible", 1)                                                        \
    X(EA_SKU_NOT_AVAILABLE, "ea_sku_not_available", 1)                                              \
    X(CLAIMED_BY_OTHER_PARTNER, "claimed_by_other_partner", 1)                                      \
    X(CLAIM_LOCKED, "claim_locked", 1)                                                              \
    X(TRANSFER_NOT_ELIGIBLE, "transfer_not_eligible", 1)                                            \
    X(TRANSFER_EXPIRED, "transfer_expired", 1)                                                      \
    X(ALREADY_IN_TRANSFER, "already_in_transfer", 1)                                                \
    X(TRIAL_NOT_ALLOWED, "trial_not_allowed", 1)                                                    \
    X(EA_NOT_VISIBLE_YET, "ea_not_visible_yet", 1)                                                  \
    X(PARTNER_TYPE_NOT_ALLOWED, "partner_type_not_allowed", 1)

typedef enum {
#define X(name, code, impl) MODEL_REASON_##name,
    MODEL_REASONS(X)
#undef X
    MODEL_REASON_COUNT
} model_reason;

typedef enum { MODEL_PARAM_DURATION, MODEL_PARAM_DIST, MODEL_PARAM_COUNT, MODEL_PARAM_CHOICE } model_param_kind;

/* What happens to a subscription still suspended at its term end (SUB-5). */
typedef enum { MODEL_SUSPENDED_END_DELETED, MODEL_SUSPENDED_END_DISABLED } model_suspended_end;

/* Every rule parameter (RULES.md names them); durations also as sim_duration. */
typedef struct {
    sim_duration relationship_request_expiry;
    sim_dist ea_visibility_delay;
    sim_duration cancel_window;
    sim_duration cancel_backup;
    sim_dist renewal_processing;
    sim_duration expired_grace;
    sim_duration disabled_retention;
    int64_t suspended_at_term_end; /* model_suspended_end */
    sim_duration reduce_window;
    int64_t update_limit;
    int64_t trial_licenses;
    sim_duration trial_term;
    int64_t tenant_subscription_limit;
    int64_t smb_seat_cap;
    sim_duration ea_lookahead;
    sim_duration ea_lookback;
    sim_duration ea_processing_start;
    sim_dist ea_processing;
    sim_dist ea_late_processing;
    sim_duration transfer_expiry;
} model_params;

/* X(name, kind, default text, rule). A DIST default reads "uniform MIN MAX" (durations);
 * a CHOICE default lists the allowed words with the default first, '|'-separated. */
#define MODEL_PARAMS(X)                                                                          \
    X(relationship_request_expiry, DURATION, "P90D", REL_4)                                      \
    X(ea_visibility_delay, DIST, "uniform 0h 24h", REL_5)                                        \
    X(cancel_window, DURATION, "PT168H", SUB_2)                                                  \
    X(cancel_backup, DURATION, "P7D", SUB_2)                                                     \
    X(renewal_processing, DIST, "uniform 0h 24h", SUB_3)                                         \
    X(expired_grace, DURATION, "P30D", SUB_4)                                                    \
    X(disabled_retention, DURATION, "P0D", SUB_4)                                                \
    X(suspended_at_term_end, CHOICE, "deleted|disabled", SUB_5)                                  \
    X(reduce_window, DURATION, "PT168H", SUB_6)                                                  \
    X(update_limit, COUNT, "1200", SUB_7)                                                        \
    X(trial_licenses, COUNT, "25", SUB_8)                                                        \
    X(trial_term, DURATION, "P1M", SUB_8)                                                        \
    X(tenant_subscription_limit, COUNT, "300", LIM_1)                                            \
    X(smb_seat_cap, COUNT, "300", LIM_2)                                                         \
    X(ea_lookahead, DURATION, "P6M", EA_1)                                                       \
    X(ea_lookback, DURATION, "P90D", EA_1)                                                       \
    X(ea_processing_start, DURATION, "PT12H", EA_3)                                              \
    X(ea_processing, DIST, "uniform 0h 72h", EA_3)                                               \
    X(ea_late_processing, DIST, "uniform 24h 96h", EA_3)                                         \
    X(transfer_expiry, DURATION, "P30D", XFER_1)

/* One parameter's value: duration (DURATION), dist (DIST), count (COUNT, and CHOICE's word
 * index). A set_rule action carries one. */
typedef union {
    sim_duration duration;
    sim_dist dist;
    int64_t count;
} model_param_value;

typedef struct {
    const char *name;
    model_param_kind kind;
    const char *default_text;
    model_rule rule;
    size_t offset; /* into model_params */
} model_param_info;

const char *model_rule_id(model_rule r);
const char *model_rule_text(model_rule r);
const char *model_rule_source(model_rule r);
/* Nonzero when this version applies the rule (a scenario must exercise it). */
int model_rule_simulated(model_rule r);
/* Nonzero when this version can refuse with the reason. */
int model_reason_simulated(model_reason r);
/* MODEL_RULE_COUNT when the id is unknown. */
model_rule model_rule_find(const char *id);

const char *model_reason_code(model_reason r);
/* MODEL_REASON_COUNT when the code is unknown. */
model_reason model_reason_find(const char *code);

/* The parameter table; *n receives its length. */
const model_param_info *model_param_table(size_t *n);
const model_param_info *model_param_find(const char *name);

/* The value of parameter pi in p, and p's value of pi set to v. */
void model_param_get(const model_params *p, const model_param_info *pi, model_param_value *out);
void model_param_put(model_params *p, const model_param_info *pi, const model_param_value *v);
/* v as one word for a trace detail (no spaces): "P15D", "300", "disabled",
 * "uniform:PT0S..P1D", "fixed:PT36H", "exponential:PT12H", "lognormal:PT12H/0.5",
 * "choice:PT1H,PT2H". Cut to size. Returns buf. */
char *model_param_format(const model_param_info *pi, const model_param_value *v, char *buf, size_t size);

/* Fills p with every default (parsed from the table's default text). */
void model_params_default(model_params *p);

#endif
