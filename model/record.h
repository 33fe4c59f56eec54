/* model/record.h - trace records: what the model tells the outside world, one per happening.
 *
 * The model fills a model_record and hands it to a model_sink; the sink's owner (reports/,
 * cli/) formats, counts or stores it. Records refer to entities by index; model.h's
 * accessors turn indices into ids. A record is valid only during the emit call.
 */
#ifndef MODEL_RECORD_H
#define MODEL_RECORD_H

#include <stdint.h>

#include "rules.h"
#include "sim/time.h"

#define MODEL_NONE UINT32_MAX

/* X(name, text): record kinds. ACTION is a scripted event; the rest are system kinds. */
#define MODEL_KINDS(X)                                                                           \
    X(ACTION, "action")                                                                          \
    X(SUBSCRIPTION_CREATED, "subscription_created")                                              \
    X(RENEWAL_STARTED, "renewal_started")                                                        \
    X(RENEWAL_COMPLETED, "renewal_completed")                                                    \
    X(CANCEL_WINDOW_CLOSED, "cancel_window_closed")                                              \
    X(TERM_ENDED, "term_ended")                                                                  \
    X(EXPIRED, "expired")                                                                        \
    X(GRACE_ENDED, "grace_ended")                                                                \
    X(DISABLED, "disabled")                                                                      \
    X(DELETED, "deleted")                                                                        \
    X(DATA_LOSS, "data_loss")                                                                    \
    X(LICENSE_REASSIGNMENT, "license_reassignment")                                              \
    X(CHARGE, "charge")                                                                          \
    X(REFUND, "refund")                                                                          \
    X(CLAIM_PROCESSED, "claim_processed")                                                        \
    X(TRANSFER_COMPLETED, "transfer_completed")                                                  \
    X(TRIAL_CONVERTED, "trial_converted")                                                        \
    X(SCHEDULED_CHANGE_APPLIED, "scheduled_change_applied")                                      \
    X(SCHEDULED_CHANGE_REMOVED, "scheduled_change_removed")                                      \
    X(RELATIONSHIP_EXPIRED, "relationship_expired")                                              \
    X(TRANSFER_EXPIRED, "transfer_expired")                                                      \
    X(DOUBLE_BILLING_STARTED, "double_billing_started")                                          \
    X(DOUBLE_BILLING_ENDED, "double_billing_ended")                                              \
    X(DATA_KEPT, "data_kept")

typedef enum {
#define X(name, text) MODEL_KIND_##name,
    MODEL_KINDS(X)
#undef X
    MODEL_KIND_COUNT
} model_kind;

/* X(name, text): subscription states. NONE: not created (yet). */
#define MODEL_STATES(X)                                                                          \
    X(NONE, "none")                                                                              \
    X(PENDING, "pending")                                                                        \
    X(TRIAL, "trial")                                                                            \
    X(ACTIVE, "active")                                                                          \
    X(SUSPENDED, "suspended")                                                                    \
    X(EXPIRED, "expired")                                                                        \
    X(DISABLED, "disabled")                                                                      \
    X(DELETED, "deleted")                                                                        \
    X(CANCELED, "canceled")

typedef enum {
#define X(name, text) MODEL_STATE_##name,
    MODEL_STATES(X)
#undef X
    MODEL_STATE_COUNT
} model_state;

/* X(name, text): scripted actions of the scenario format. */
#define MODEL_ACTIONS(X)                                                                         \
    X(REQUEST_RELATIONSHIP, "request_relationship")                                          \
    X(ACCEPT_RELATIONSHIP, "accept_relationship")                                            \
    X(PURCHASE, "purchase")                                                                   \
    X(CANCEL, "cancel")                                                                       \
    X(SUSPEND, "suspend")                                                                     \
    X(RESUME, "resume")                                                                       \
    X(SET_AUTORENEW, "set_autorenew")                                                         \
    X(CHANGE_LICENSES, "change_licenses")                                                     \
    X(UPGRADE, "upgrade")                                                                     \
    X(SCHEDULE_CHANGE, "schedule_change")                                                     \
    X(CONVERT_TRIAL, "convert_trial")                                                         \
    X(CLAIM_EA_RENEWAL, "claim_ea_renewal")                                                   \
    X(CANCEL_EA_CLAIM, "cancel_ea_claim")                                                     \
    X(RENEW_EA_AGREEMENT, "renew_ea_agreement")                                               \
    X(REQUEST_TRANSFER, "request_transfer")                                                   \
    X(ACCEPT_TRANSFER, "accept_transfer")                                                     \
    X(REJECT_TRANSFER, "reject_transfer")                                                    \
    X(SET_RULE, "set_rule")

typedef enum {
#define X(name, text) MODEL_ACT_##name,
    MODEL_ACTIONS(X)
#undef X
    MODEL_ACT_COUNT
} model_action_kind;

typedef enum { MODEL_OUTCOME_NONE, MODEL_OUTCOME_ACCEPTED, MODEL_OUTCOME_REJECTED } model_outcome;

#define MODEL_DETAIL_MAX 192

typedef struct {
    uint64_t seq;
    sim_time time;
    model_kind kind;
    int action; /* model_action_kind, or -1 for system records */
    model_outcome outcome;
    model_reason reason;
    model_rule rule;
    uint32_t tenant, partner, subscription; /* MODEL_NONE when not applicable */
    int from_state, to_state;               /* model_state, or -1 */
    int has_licenses, has_amount;
    int64_t licenses;
    int64_t amount; /* minor units */
    char detail[MODEL_DETAIL_MAX]; /* "key=value key=value", may be empty */
} model_record;

typedef struct {
    void (*emit)(void *ctx, const model_record *r);
    void *ctx;
} model_sink;

const char *model_kind_name(model_kind k);
const char *model_state_name(int s);
const char *model_action_name(int a);
/* -1 when unknown */
int model_state_find(const char *name);
int model_kind_find(const char *name);
int model_action_find(const char *name);

#endif
