/* cli/explain.c - one rule of the catalog explained: `cspsim explain RULE-ID [SCENARIO.yaml]`.
 * Reads the catalog of model/rules.h; keeps only the reason-code table (meaning, rules)
 * that the catalog does not carry. Prints; never exits. */
#include "explain.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli/textout.h"
#include "cli/args.h"
#include "cli/diag.h"
#include "cli/scenario.h"
#include "cli/simulate.h"
#include "model/model.h"
#include "reports/timeline.h"
#include "reports/trace.h"
#include "sim/time.h"

const char cli_usage_explain[] =
    "usage: cspsim explain [TERM [SCENARIO.yaml]] [--json]\n"
    "       cspsim explain SCENARIO.yaml --subscription ID [--json]\n"
    "\n"
    "Explains a term: a rule id (its summary, whether this version simulates it, its\n"
    "parameters with their defaults, the reason codes it gives when it refuses an action,\n"
    "its source), a reason code (what it means, the rules that give it), a parameter (what\n"
    "it sets, its default, its rule) or a record kind (what it says, the rules that write\n"
    "it). Terms are case-insensitive (sub-2 is SUB-2); a word that is two things is told\n"
    "as both. With a scenario, each parameter the scenario's `rules:` block changes is\n"
    "shown with the scenario's value next to the default.\n"
    "Without arguments: every rule id with its summary.\n"
    "\n"
    "  --subscription ID   run the scenario and tell why subscription ID ended as it did:\n"
    "                      the records about it (charges and refunds left out) that led\n"
    "                      to its final state and to its data being lost or kept, each\n"
    "                      with its rule's text\n"
    "  --json              the same as one JSON object\n"
    "docs/rules.md explains each rule at length.\n"
    "\n"
    "examples:\n"
    "  cspsim explain SUB-2\n"
    "  cspsim explain sub-3 scenarios/training/renewal.yaml\n"
    "  cspsim explain renewal_in_progress\n"
    "  cspsim explain expired_grace\n"
    "  cspsim explain data_loss\n"
    "  cspsim explain scenarios/training/expiry-and-grace.yaml --subscription fab-visio\n"
    "\n"
    "exit status: 0 explained, 2 unknown term or subscription, a scenario that does not\n"
    "             load, or bad arguments.\n";

/* Reason codes: what each means and which rules raise it (docs/rules.md, "Reason codes";
 * the per-rule sections add SUB-9, SUB-10, EA-4 and XFER-1). Indexed by model_reason. */
typedef struct {
    const char *meaning;
    const char *rules; /* space-separated rule ids */
} reason_info;

static const reason_info reasons[MODEL_REASON_COUNT] = {
    [MODEL_REASON_NO_RELATIONSHIP] = {"no accepted (or pending) relationship between partner and tenant", "REL-1"},
    [MODEL_REASON_RELATIONSHIP_PENDING] = {"the relationship request has not been accepted yet", "REL-1"},
    [MODEL_REASON_REGION_MISMATCH] = {"partner and tenant are in different regions", "REL-2"},
    [MODEL_REASON_UNKNOWN_ENTITY] = {"the subscription does not exist (yet)", "SUB-1"},
    [MODEL_REASON_NOT_IN_CATALOG] = {"the offer cannot be bought from the CSP catalog", "MIG-1"},
    [MODEL_REASON_TERM_NOT_OFFERED] = {"term or billing frequency not available for this offer", "SUB-1"},
    [MODEL_REASON_NOT_ACTIVE] = {"the subscription is not in a state that allows this action",
                                 "SUB-2 SUB-3 SUB-5 SUB-9 SUB-10 EA-6"},
    [MODEL_REASON_RENEWAL_IN_PROGRESS] = {"the subscription is being renewed", "SUB-3"},
    [MODEL_REASON_CANCEL_WINDOW_CLOSED] = {"the cancel window of the term is over", "SUB-2"},
    [MODEL_REASON_REDUCE_WINDOW_CLOSED] = {"the licenses to remove are past their window", "SUB-6"},
    [MODEL_REASON_SUSPENDED] = {"not allowed while suspended", "SUB-5"},
    [MODEL_REASON_TENANT_LIMIT] = {"the tenant would exceed its live-subscription limit", "LIM-1 EA-4 XFER-1"},
    [MODEL_REASON_SEAT_CAP] = {"SMB seat cap exceeded", "LIM-2"},
    [MODEL_REASON_ONE_PER_TENANT] = {"the tenant already has this one-per-tenant offer", "LIM-3"},
    [MODEL_REASON_ADDON_WITHOUT_BASE] = {"no live base subscription for the add-on", "LIM-4"},
    [MODEL_REASON_ADDON_OVER_BASE] = {"add-on licenses above max_ratio of the base", "LIM-4"},
    [MODEL_REASON_ADDON_UNDER_MINIMUM] = {"add-on licenses below min_ratio of the base", "LIM-4"},
    [MODEL_REASON_UPDATE_LIMIT] = {"too many updates on this subscription", "SUB-7"},
    [MODEL_REASON_TRIAL_RESTRICTED] = {"not allowed during a trial", "SUB-8"},
    [MODEL_REASON_DOWNGRADE_NOT_ALLOWED] = {"the target offer is a downgrade", "SUB-9"},
    [MODEL_REASON_UPGRADE_PATH_UNSUPPORTED] = {"the target offer is not an upgrade path", "SUB-9"},
    [MODEL_REASON_COTERM_INVALID] = {"the end dates cannot be aligned", "SUB-11"},
    [MODEL_REASON_EA_NOT_ELIGIBLE] = {"outside the claim window, or a public-sector agreement", "EA-1"},
    [MODEL_REASON_EA_SKU_NOT_AVAILABLE] = {"the EA offer has no CSP counterpart", "EA-1"},
    [MODEL_REASON_CLAIMED_BY_OTHER_PARTNER] = {"another partner holds the claim", "EA-2"},
    [MODEL_REASON_CLAIM_LOCKED] = {"the claim can no longer be changed", "EA-2"},
    [MODEL_REASON_TRANSFER_NOT_ELIGIBLE] = {"the subscription cannot be transferred", "XFER-1"},
    [MODEL_REASON_TRANSFER_EXPIRED] = {"the transfer request has lapsed", "XFER-1"},
    [MODEL_REASON_ALREADY_IN_TRANSFER] = {"the subscription is in another pending transfer", "XFER-1"},
    [MODEL_REASON_TRIAL_NOT_ALLOWED] = {"second trial of an offer, or a trial of an add-on", "SUB-8"},
    [MODEL_REASON_EA_NOT_VISIBLE_YET] = {"the partner cannot see the agreement yet", "REL-5 EA-1"},
    [MODEL_REASON_PARTNER_TYPE_NOT_ALLOWED] = {"an indirect reseller acted itself; its indirect provider acts for it", "REL-6"},
};

const char *cli_reason_meaning(model_reason r)
{
    return (unsigned)r < MODEL_REASON_COUNT && reasons[r].meaning ? reasons[r].meaning : "";
}

const char *cli_reason_rules(model_reason r)
{
    return (unsigned)r < MODEL_REASON_COUNT && reasons[r].rules ? reasons[r].rules : "";
}

/* Nonzero when the space-separated list holds the id as a whole word. */
static int list_has(const char *list, const char *id)
{
    size_t n = strlen(id);
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, " ");
        if (len == n && memcmp(p, id, n) == 0)
            return 1;
        p += len;
        while (*p == ' ')
            p++;
    }
    return 0;
}

/* ---- formatting parameter values --------------------------------------------------------- */

#define VALUE_BUF 256

/* Seconds in the scenario format's short form: "36h", "90min", "45s". */
static void short_seconds(int64_t s, char *buf, size_t size)
{
    if (s % 3600 == 0)
        snprintf(buf, size, "%" PRId64 "h", s / 3600);
    else if (s % 60 == 0)
        snprintf(buf, size, "%" PRId64 "min", s / 60);
    else
        snprintf(buf, size, "%" PRId64 "s", s);
}

/* Appends s to buf (size bytes, *n used); ends it with "..." once it is full. */
static void append(char *buf, size_t size, size_t *n, const char *s)
{
    size_t k = strlen(s);
    if (*n + 1 >= size)
        return;
    if (k >= size - *n) {
        memcpy(buf + *n, s, size - 1 - *n);
        *n = size - 1;
        memcpy(buf + size - 4, "...", 4);
    } else {
        memcpy(buf + *n, s, k + 1);
        *n += k;
    }
}

/* "uniform 0h..24h", "fixed 36h", "exponential mean 12h", "lognormal median 12h sigma 0.5",
 * "choice 1h 2h (weights 1 3)". */
static void format_dist(const sim_dist *d, char *buf, size_t size)
{
    char x[32], y[32], t[96];
    size_t n = 0;
    buf[0] = '\0';
    switch (d->kind) {
    case SIM_DIST_FIXED:
        short_seconds(d->a, x, sizeof x);
        snprintf(t, sizeof t, "fixed %s", x);
        append(buf, size, &n, t);
        break;
    case SIM_DIST_UNIFORM:
        short_seconds(d->a, x, sizeof x);
        short_seconds(d->b, y, sizeof y);
        snprintf(t, sizeof t, "uniform %s..%s", x, y);
        append(buf, size, &n, t);
        break;
    case SIM_DIST_EXPONENTIAL:
        short_seconds(d->a, x, sizeof x);
        snprintf(t, sizeof t, "exponential mean %s", x);
        append(buf, size, &n, t);
        break;
    case SIM_DIST_LOGNORMAL:
        short_seconds(d->a, x, sizeof x);
        snprintf(t, sizeof t, "lognormal median %s sigma %g", x, d->sigma); /* no setlocale: '.' */
        append(buf, size, &n, t);
        break;
    case SIM_DIST_CHOICE:
        append(buf, size, &n, "choice");
        for (size_t i = 0; i < d->n && n + 1 < size; i++) {
            short_seconds(d->values[i], x, sizeof x);
            snprintf(t, sizeof t, " %s", x);
            append(buf, size, &n, t);
        }
        if (d->weights) {
            append(buf, size, &n, " (weights");
            for (size_t i = 0; i < d->n && n + 1 < size; i++) {
                snprintf(t, sizeof t, " %g", d->weights[i]);
                append(buf, size, &n, t);
            }
            append(buf, size, &n, ")");
        }
        break;
    case SIM_DIST_POISSON: /* population values, never a rule parameter's */
    case SIM_DIST_BERNOULLI:
        snprintf(t, sizeof t, "%s %g", d->kind == SIM_DIST_POISSON ? "poisson mean" : "p", d->x);
        append(buf, size, &n, t);
        break;
    }
}

static int dist_equal(const sim_dist *a, const sim_dist *b)
{
    if (a->kind != b->kind || a->a != b->a || a->b != b->b || a->sigma != b->sigma || a->n != b->n)
        return 0;
    if (a->kind != SIM_DIST_CHOICE)
        return 1;
    if ((a->weights == NULL) != (b->weights == NULL))
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (a->values[i] != b->values[i] || (a->weights && a->weights[i] != b->weights[i]))
            return 0;
    return 1;
}

/* The index-th word of a choice parameter's "deleted|disabled" text, into buf. */
static void choice_word(const char *text, int64_t index, char *buf, size_t size)
{
    for (int64_t i = 0; *text; i++) {
        size_t len = strcspn(text, "|");
        if (i == index) {
            snprintf(buf, size, "%.*s", (int)len, text);
            return;
        }
        text += len + (text[len] == '|');
    }
    snprintf(buf, size, "%" PRId64, index);
}

/* The value of parameter pi in p as text; the same form for defaults and scenario values
 * except durations, whose default is shown as documented (docs/rules.md: PT168H) and whose
 * other values go through sim_format_duration (P2D). */
static void format_value(const model_param_info *pi, const model_params *p, char *buf, size_t size)
{
    const void *slot = (const char *)p + pi->offset;
    switch (pi->kind) {
    case MODEL_PARAM_DURATION:
        sim_format_duration(*(const sim_duration *)slot, buf, size);
        break;
    case MODEL_PARAM_DIST:
        format_dist(slot, buf, size);
        break;
    case MODEL_PARAM_COUNT:
        snprintf(buf, size, "%" PRId64, *(const int64_t *)slot);
        break;
    case MODEL_PARAM_CHOICE:
        choice_word(pi->default_text, *(const int64_t *)slot, buf, size);
        break;
    }
}

static int value_equal(const model_param_info *pi, const model_params *a, const model_params *b)
{
    const void *x = (const char *)a + pi->offset, *y = (const char *)b + pi->offset;
    switch (pi->kind) {
    case MODEL_PARAM_DURATION: {
        const sim_duration *d = x, *e = y;
        return d->months == e->months && d->seconds == e->seconds;
    }
    case MODEL_PARAM_DIST:
        return dist_equal(x, y);
    case MODEL_PARAM_COUNT:
    case MODEL_PARAM_CHOICE:
        return *(const int64_t *)x == *(const int64_t *)y;
    }
    return 1;
}

static const char *kind_name(model_param_kind k)
{
    switch (k) {
    case MODEL_PARAM_DURATION:
        return "duration";
    case MODEL_PARAM_DIST:
        return "distribution";
    case MODEL_PARAM_COUNT:
        return "count";
    case MODEL_PARAM_CHOICE:
        return "choice";
    }
    return "?";
}

/* ---- the command ------------------------------------------------------------------------- */

static void list_all(FILE *out)
{
    for (int r = 1; r < MODEL_RULE_COUNT; r++)
        fprintf(out, "%-7s %s%s\n", model_rule_id((model_rule)r), model_rule_text((model_rule)r),
                model_rule_simulated((model_rule)r) ? "" : " [planned]");
    fputs("\ncspsim explain RULE-ID [SCENARIO.yaml] tells one rule in full.\n", out);
}

static void list_ids(FILE *to)
{
    for (int r = 1; r < MODEL_RULE_COUNT; r++)
        fprintf(to, "%s%s", r > 1 ? ", " : "", model_rule_id((model_rule)r));
}

/* The rule named by id, any case; MODEL_RULE_COUNT when there is none. */
static model_rule find_rule(const char *id)
{
    char up[16];
    size_t n = strlen(id);
    if (n == 0 || n >= sizeof up)
        return MODEL_RULE_COUNT;
    for (size_t i = 0; i <= n; i++)
        up[i] = (char)toupper((unsigned char)id[i]);
    model_rule r = model_rule_find(up);
    return r == MODEL_RULE_NONE ? MODEL_RULE_COUNT : r;
}

/* The parameters of rule r, with s's values where they differ from the defaults. */
static void print_params(FILE *out, model_rule r, const cli_scenario *s)
{
    size_t np;
    const model_param_info *tab = model_param_table(&np);
    model_params def;
    model_params_default(&def);
    const model_params *sp = s ? model_world_params(s->world) : NULL;
    size_t width = 0, count = 0, changed = 0;
    for (size_t i = 0; i < np; i++) {
        if (tab[i].rule != r)
            continue;
        count++;
        width = strlen(tab[i].name) > width ? strlen(tab[i].name) : width;
    }
    if (count == 0) {
        fputs("Parameters: none.\n", out);
        return;
    }
    fputs("Parameters (change them under `rules:` in a scenario):\n", out);
    for (size_t i = 0; i < np; i++) {
        const model_param_info *pi = &tab[i];
        if (pi->rule != r)
            continue;
        char dv[VALUE_BUF], sv[VALUE_BUF];
        if (pi->kind == MODEL_PARAM_DURATION)
            snprintf(dv, sizeof dv, "%s", pi->default_text); /* as docs/rules.md writes it */
        else
            format_value(pi, &def, dv, sizeof dv);
        fprintf(out, "  %-*s  %-12s  default %s", (int)width, pi->name, kind_name(pi->kind), dv);
        if (pi->kind == MODEL_PARAM_CHOICE && strchr(pi->default_text, '|'))
            fprintf(out, " (one of: %s)", pi->default_text);
        if (sp && !value_equal(pi, sp, &def)) {
            format_value(pi, sp, sv, sizeof sv);
            fprintf(out, "; this scenario: %s", sv);
            changed++;
        }
        fputc('\n', out);
    }
    if (s && !changed)
        fprintf(out, "  (scenario %s keeps the defaults)\n", s->name && *s->name ? s->name : s->path);
}

static void print_reasons(FILE *out, model_rule r)
{
    const char *id = model_rule_id(r);
    size_t width = 0, count = 0;
    for (int k = 1; k < MODEL_REASON_COUNT; k++) {
        if (!list_has(cli_reason_rules((model_reason)k), id))
            continue;
        count++;
        size_t len = strlen(model_reason_code((model_reason)k));
        width = len > width ? len : width;
    }
    if (count == 0) {
        fputs("Reason codes: none of its own.\n", out);
        return;
    }
    fputs("Reason codes it gives when it refuses an action:\n", out);
    for (int k = 1; k < MODEL_REASON_COUNT; k++) {
        model_reason rc = (model_reason)k;
        if (!list_has(cli_reason_rules(rc), id))
            continue;
        fprintf(out, "  %-*s  %s", (int)width, model_reason_code(rc), cli_reason_meaning(rc));
        if (!model_reason_simulated(rc))
            fputs(" [planned]", out);
        /* the other rules that share the code */
        const char *p = cli_reason_rules(rc);
        int first = 1;
        while (*p) {
            size_t len = strcspn(p, " ");
            if (len != strlen(id) || memcmp(p, id, len) != 0) {
                fprintf(out, "%s%.*s", first ? " (also " : ", ", (int)len, p);
                first = 0;
            }
            p += len;
            while (*p == ' ')
                p++;
        }
        if (!first)
            fputc(')', out);
        fputc('\n', out);
    }
}

static void explain_rule(FILE *out, model_rule r, const cli_scenario *s)
{
    fprintf(out, "%s: %s\n", model_rule_id(r), model_rule_text(r));
    fprintf(out, "Status: %s\n", model_rule_simulated(r)
                                     ? "simulated by this version."
                                     : "planned: described so scenarios can be written against it, not "
                                       "applied by this version yet.");
    if (s)
        fprintf(out, "Scenario: %s (%s)\n", s->name && *s->name ? s->name : "(unnamed)", s->path);
    fputc('\n', out);
    print_params(out, r, s);
    print_reasons(out, r);
    fprintf(out, "Source: %s\n", model_rule_source(r));
    fprintf(out, "More: docs/rules.md, section %s.\n", model_rule_id(r));
}

/* ---- JSON -------------------------------------------------------------------------------- */

/* {"id":"SUB-2","text":"..."} */
static void json_rule_ref(FILE *o, model_rule r)
{
    fputs("{\"id\":", o);
    cli_json_string(o, model_rule_id(r));
    fputs(",\"text\":", o);
    cli_json_string(o, model_rule_text(r));
    fputc('}', o);
}

/* A space-separated list of rule ids as a JSON array of rule references. */
static void json_rule_list(FILE *o, const char *ids)
{
    fputc('[', o);
    int first = 1;
    for (const char *p = ids; *p;) {
        size_t len = strcspn(p, " ");
        char id[16];
        snprintf(id, sizeof id, "%.*s", (int)len, p);
        model_rule r = model_rule_find(id);
        if (r != MODEL_RULE_NONE) {
            fputs(first ? "" : ",", o);
            json_rule_ref(o, r);
            first = 0;
        }
        p += len;
        while (*p == ' ')
            p++;
    }
    fputc(']', o);
}

/* "  SUB-3   Autorenew renews ..." for each id of the list. */
static void print_rule_list(FILE *out, const char *ids)
{
    for (const char *p = ids; *p;) {
        size_t len = strcspn(p, " ");
        char id[16];
        snprintf(id, sizeof id, "%.*s", (int)len, p);
        model_rule r = model_rule_find(id);
        if (r != MODEL_RULE_NONE)
            fprintf(out, "  %-7s %s\n", id, model_rule_text(r));
        p += len;
        while (*p == ' ')
            p++;
    }
}

/* ---- other terms: reason codes, parameters, record kinds ----------------------------------- */

/* What each parameter sets, in plain words (docs/rules.md, the rule's section). */
static const struct {
    const char *name, *meaning;
} param_meanings[] = {
    {"relationship_request_expiry", "how long a reseller-relationship request waits for the tenant's answer before it lapses"},
    {"ea_visibility_delay", "how long after a new relationship the tenant's EA agreements become visible to the partner"},
    {"cancel_window", "how long after a purchase or a completed renewal a cancel is refunded (prorated by day)"},
    {"cancel_backup", "how long after a cancel the subscription's data is kept before it is deleted"},
    {"renewal_processing", "how long a renewal takes to complete after the term's end (drawn per renewal)"},
    {"expired_grace", "how long an expired subscription keeps user access (the grace) before it is disabled"},
    {"disabled_retention", "how long a disabled subscription keeps its data before it is deleted"},
    {"suspended_at_term_end", "what happens to a subscription still suspended at its term end: deleted or disabled"},
    {"reduce_window", "how long after licenses are added they can be removed again"},
    {"update_limit", "how many updates (license changes, upgrades, conversions) a subscription accepts"},
    {"trial_licenses", "the fixed number of licenses of a trial"},
    {"trial_term", "how long a trial lasts before it converts or ends"},
    {"tenant_subscription_limit", "how many live subscriptions a tenant may hold"},
    {"smb_seat_cap", "how many licenses an SMB offer allows per offer and tenant"},
    {"ea_lookahead", "how long before the EA end date a partner may claim its renewal"},
    {"ea_lookback", "how long after the EA end date a partner may still claim its renewal"},
    {"ea_processing_start", "when after the EA end date the processing of claims placed before it starts"},
    {"ea_processing", "how long the processing of a claim placed before the EA end takes (drawn per claim)"},
    {"ea_late_processing", "how long the processing of a claim placed at or after the EA end takes (drawn per claim)"},
    {"transfer_expiry", "how long a partner-to-partner transfer request waits to be accepted before it lapses"},
};

/* Record kinds: what each says and the rules that write it (docs/rules.md, "Record kinds"),
 * and whether this version writes it. Indexed by model_kind. */
static const struct {
    const char *meaning, *rules;
    int written;
} kinds[MODEL_KIND_COUNT] = {
    [MODEL_KIND_ACTION] = {"a scripted event was accepted or rejected (see action, outcome, reason)", "", 1},
    [MODEL_KIND_SUBSCRIPTION_CREATED] = {"a new subscription came into existence: a purchase, a partial upgrade, a processed claim or an accepted transfer",
                                         "SUB-1 SUB-8 SUB-9 SUB-11 EA-4 XFER-1", 1},
    [MODEL_KIND_RENEWAL_STARTED] = {"a term ended with autorenew on; processing began", "SUB-3", 1},
    [MODEL_KIND_RENEWAL_COMPLETED] = {"the renewal finished; the detail gives the new term_end", "SUB-3", 1},
    [MODEL_KIND_CANCEL_WINDOW_CLOSED] = {"the cancel window of the current term closed", "SUB-2", 1},
    [MODEL_KIND_TERM_ENDED] = {"a term came to its end (shown as renewal_started, expired or trial_converted instead)", "SUB-1", 0},
    [MODEL_KIND_EXPIRED] = {"the term ended without renewal; the grace period begins", "SUB-4 EA-6 SUB-8", 1},
    [MODEL_KIND_GRACE_ENDED] = {"the expired grace period is over", "SUB-4", 1},
    [MODEL_KIND_DISABLED] = {"users lost access, administrators keep the data", "SUB-4 SUB-5", 1},
    [MODEL_KIND_DELETED] = {"the subscription and its data were removed", "SUB-2 SUB-4 SUB-5", 1},
    [MODEL_KIND_DATA_LOSS] = {"licenses whose data nothing replaced; licenses gives the count", "SUB-12", 1},
    [MODEL_KIND_LICENSE_REASSIGNMENT] = {"licenses kept by an equivalent offer, users to reassign", "SUB-12", 1},
    [MODEL_KIND_CHARGE] = {"money charged: a billing period, or part of one for an action", "SUB-2 SUB-6 SUB-8 SUB-9", 1},
    [MODEL_KIND_REFUND] = {"unused days refunded; amount and unused_days= in the detail", "SUB-2 SUB-6 SUB-9", 1},
    [MODEL_KIND_CLAIM_PROCESSED] = {"an EA renewal claim reached its processing instant (rejected tenant_limit when it did not fit)",
                                    "EA-3 LIM-1", 1},
    [MODEL_KIND_TRANSFER_COMPLETED] = {"a source subscription was handed over and canceled", "XFER-1", 1},
    [MODEL_KIND_TRIAL_CONVERTED] = {"a trial became a paid subscription, or was merged into another and canceled", "SUB-8", 1},
    [MODEL_KIND_SCHEDULED_CHANGE_APPLIED] = {"a scheduled change took effect at renewal or at a trial's end", "SUB-10", 1},
    [MODEL_KIND_SCHEDULED_CHANGE_REMOVED] = {"a scheduled change was dropped (by= says what dropped it)", "SUB-10", 1},
    [MODEL_KIND_RELATIONSHIP_EXPIRED] = {"a relationship request lapsed unanswered", "REL-4", 1},
    [MODEL_KIND_TRANSFER_EXPIRED] = {"a transfer request lapsed unanswered", "XFER-1", 1},
    [MODEL_KIND_DOUBLE_BILLING_STARTED] = {"a tenant began paying two sources for one service", "MIG-1 EA-5", 1},
    [MODEL_KIND_DOUBLE_BILLING_ENDED] = {"that overlap ended; days= gives the days counted", "MIG-1 EA-5", 1},
    [MODEL_KIND_DATA_KEPT] = {"ours: licenses kept by live subscriptions of the same provisioning id", "SUB-12", 1},
};

static int same_word(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}

static model_reason find_reason(const char *term)
{
    for (int k = 1; k < MODEL_REASON_COUNT; k++)
        if (same_word(term, model_reason_code((model_reason)k)))
            return (model_reason)k;
    return MODEL_REASON_NONE;
}

/* The index of the parameter in model_param_table, or -1. */
static long find_param(const char *term)
{
    size_t np;
    const model_param_info *tab = model_param_table(&np);
    for (size_t i = 0; i < np; i++)
        if (same_word(term, tab[i].name))
            return (long)i;
    return -1;
}

static int find_kind(const char *term)
{
    for (int k = 0; k < MODEL_KIND_COUNT; k++)
        if (same_word(term, model_kind_name((model_kind)k)))
            return k;
    return -1;
}

static const char *param_meaning(const char *name)
{
    for (size_t i = 0; i < sizeof param_meanings / sizeof param_meanings[0]; i++)
        if (strcmp(param_meanings[i].name, name) == 0)
            return param_meanings[i].meaning;
    return "";
}

static void explain_reason(FILE *out, model_reason rc, int json)
{
    if (json) {
        fputs("{\"type\":\"reason\",\"code\":", out);
        cli_json_string(out, model_reason_code(rc));
        fputs(",\"meaning\":", out);
        cli_json_string(out, cli_reason_meaning(rc));
        fprintf(out, ",\"simulated\":%s,\"rules\":", model_reason_simulated(rc) ? "true" : "false");
        json_rule_list(out, cli_reason_rules(rc));
        fputc('}', out);
        return;
    }
    fprintf(out, "%s (reason code): %s%s\n", model_reason_code(rc), cli_reason_meaning(rc),
            model_reason_simulated(rc) ? "" : " [planned]");
    fputs("A scripted action refused for this reason is recorded with outcome rejected and this\n"
          "code in the reason column. Rules that give it:\n",
          out);
    print_rule_list(out, cli_reason_rules(rc));
    fputs("More: docs/rules.md, section \"Reason codes\"; cspsim explain RULE-ID for a rule.\n", out);
}

static void explain_param(FILE *out, long i, const cli_scenario *s, int json)
{
    size_t np;
    const model_param_info *pi = &model_param_table(&np)[i];
    model_params def;
    model_params_default(&def);
    char dv[VALUE_BUF], sv[VALUE_BUF] = "";
    if (pi->kind == MODEL_PARAM_DURATION)
        snprintf(dv, sizeof dv, "%s", pi->default_text);
    else
        format_value(pi, &def, dv, sizeof dv);
    const model_params *sp = s ? model_world_params(s->world) : NULL;
    int differs = sp && !value_equal(pi, sp, &def);
    if (differs)
        format_value(pi, sp, sv, sizeof sv);
    if (json) {
        fputs("{\"type\":\"parameter\",\"name\":", out);
        cli_json_string(out, pi->name);
        fputs(",\"kind\":", out);
        cli_json_string(out, kind_name(pi->kind));
        fputs(",\"default\":", out);
        cli_json_string(out, dv);
        fputs(",\"meaning\":", out);
        cli_json_string(out, param_meaning(pi->name));
        fputs(",\"rule\":", out);
        json_rule_ref(out, pi->rule);
        if (s) {
            fputs(",\"scenario\":", out);
            if (differs)
                cli_json_string(out, sv);
            else
                fputs("null", out);
        }
        fputc('}', out);
        return;
    }
    fprintf(out, "%s (parameter of %s): %s\n", pi->name, model_rule_id(pi->rule), param_meaning(pi->name));
    fprintf(out, "Kind: %s; default %s", kind_name(pi->kind), dv);
    if (pi->kind == MODEL_PARAM_CHOICE && strchr(pi->default_text, '|'))
        fprintf(out, " (one of: %s)", pi->default_text);
    fputc('\n', out);
    if (s)
        fprintf(out, "Scenario %s: %s%s\n", s->name && *s->name ? s->name : s->path, differs ? sv : "the default",
                differs ? " (set under rules:)" : "");
    fprintf(out, "Rule %s: %s\n", model_rule_id(pi->rule), model_rule_text(pi->rule));
    fprintf(out, "Change it in a scenario: rules: {%s: VALUE}\n", pi->name);
    fprintf(out, "More: docs/rules.md, section %s.\n", model_rule_id(pi->rule));
}

static void explain_kind(FILE *out, int k, int json)
{
    if (json) {
        fputs("{\"type\":\"record_kind\",\"kind\":", out);
        cli_json_string(out, model_kind_name((model_kind)k));
        fputs(",\"meaning\":", out);
        cli_json_string(out, kinds[k].meaning);
        fprintf(out, ",\"written\":%s,\"rules\":", kinds[k].written ? "true" : "false");
        json_rule_list(out, kinds[k].rules);
        fputc('}', out);
        return;
    }
    fprintf(out, "%s (record kind): %s\n", model_kind_name((model_kind)k), kinds[k].meaning);
    fprintf(out, "Written by this version: %s\n", kinds[k].written ? "yes" : "not yet");
    if (*kinds[k].rules) {
        fputs("Rules that write it:\n", out);
        print_rule_list(out, kinds[k].rules);
    } else {
        fputs("Rules: the rule of each action, in the record's rule column.\n", out);
    }
    fprintf(out, "Count them in a scenario: expect: [{event: %s, subscription: ID, count: N}]\n",
            model_kind_name((model_kind)k));
    fputs("More: docs/rules.md, section \"Record kinds\".\n", out);
}

static void explain_rule_json(FILE *out, model_rule r, const cli_scenario *s)
{
    fputs("{\"type\":\"rule\",\"id\":", out);
    cli_json_string(out, model_rule_id(r));
    fputs(",\"text\":", out);
    cli_json_string(out, model_rule_text(r));
    fprintf(out, ",\"simulated\":%s,\"source\":", model_rule_simulated(r) ? "true" : "false");
    cli_json_string(out, model_rule_source(r));
    fputs(",\"parameters\":[", out);
    size_t np;
    const model_param_info *tab = model_param_table(&np);
    model_params def;
    model_params_default(&def);
    const model_params *sp = s ? model_world_params(s->world) : NULL;
    int first = 1;
    for (size_t i = 0; i < np; i++) {
        const model_param_info *pi = &tab[i];
        if (pi->rule != r)
            continue;
        char v[VALUE_BUF];
        if (pi->kind == MODEL_PARAM_DURATION)
            snprintf(v, sizeof v, "%s", pi->default_text);
        else
            format_value(pi, &def, v, sizeof v);
        fputs(first ? "{\"name\":" : ",{\"name\":", out);
        first = 0;
        cli_json_string(out, pi->name);
        fputs(",\"kind\":", out);
        cli_json_string(out, kind_name(pi->kind));
        fputs(",\"default\":", out);
        cli_json_string(out, v);
        if (sp) {
            fputs(",\"scenario\":", out);
            if (value_equal(pi, sp, &def)) {
                fputs("null", out);
            } else {
                format_value(pi, sp, v, sizeof v);
                cli_json_string(out, v);
            }
        }
        fputc('}', out);
    }
    fputs("],\"reasons\":[", out);
    first = 1;
    for (int k = 1; k < MODEL_REASON_COUNT; k++) {
        if (!list_has(cli_reason_rules((model_reason)k), model_rule_id(r)))
            continue;
        fputs(first ? "{\"code\":" : ",{\"code\":", out);
        first = 0;
        cli_json_string(out, model_reason_code((model_reason)k));
        fputs(",\"meaning\":", out);
        cli_json_string(out, cli_reason_meaning((model_reason)k));
        fputc('}', out);
    }
    fputs("]}", out);
}

/* ---- why a subscription ended as it did -------------------------------------------------- */

typedef struct {
    uint32_t sub;
    model_record *recs;
    size_t n, cap;
    size_t left_out; /* charges and refunds: money, not the story of the state */
    int64_t lost, kept;
    int failed;
} chain;

static void chain_note(void *ctx, const model_record *r)
{
    chain *c = ctx;
    if (r->subscription != c->sub)
        return;
    if (r->kind == MODEL_KIND_DATA_LOSS)
        c->lost += r->licenses;
    if (r->kind == MODEL_KIND_DATA_KEPT || r->kind == MODEL_KIND_LICENSE_REASSIGNMENT)
        c->kept += r->licenses;
    if (r->kind == MODEL_KIND_CHARGE || r->kind == MODEL_KIND_REFUND) {
        c->left_out++;
        return;
    }
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 32;
        model_record *p = realloc(c->recs, cap * sizeof *p);
        if (!p) {
            c->failed = 1;
            return;
        }
        c->recs = p;
        c->cap = cap;
    }
    c->recs[c->n++] = *r;
}

static void when_text(sim_time t, char *buf)
{
    char when[SIM_TIME_BUF];
    sim_format_instant(t, when);
    size_t tpos = strcspn(when, "T");
    snprintf(buf, SIM_TIME_BUF, "%.*s %.5s", (int)tpos, when, when + tpos + (when[tpos] ? 1 : 0));
}

/* `explain SCENARIO --subscription ID`: runs the scenario and prints the records of ID that
 * led to its final state (all but charges and refunds), each with its rule's text. */
static int explain_subscription(const char *path, const char *id, int json, FILE *out, FILE *err)
{
    cli_diag d;
    cli_scenario *s = cli_scenario_load(path, 0, 0, &d);
    if (!s) {
        cli_diag_print(err, &d);
        return 2;
    }
    model_world *w = s->world;
    char idbuf[REP_SUB_ID_BUF];
    uint32_t sub = MODEL_NONE;
    size_t nsubs = model_count_subscriptions(w);
    for (size_t i = 0; i < nsubs && sub == MODEL_NONE; i++)
        if (strcmp(rep_sub_id(w, (uint32_t)i, idbuf), id) == 0)
            sub = (uint32_t)i;
    if (sub == MODEL_NONE) {
        fprintf(err, "cspsim: %s has no subscription '%s'; its subscriptions are:", path, id);
        for (size_t i = 0; i < nsubs && i < 20; i++)
            fprintf(err, "%s %s", i ? "," : "", rep_sub_id(w, (uint32_t)i, idbuf));
        fputs(nsubs > 20 ? ", ...\n" : "\n", err);
        cli_scenario_free(s);
        return 2;
    }
    model_sub_view start;
    model_subscription_view(w, sub, &start);
    chain c = {sub, NULL, 0, 0, 0, 0, 0, 0};
    model_set_sink(w, (model_sink){chain_note, &c});
    int rc = cli_simulate(s, NULL, NULL, NULL);
    if (rc || c.failed) {
        fprintf(err, "cspsim: %s did not run to its end\n", path);
        free(c.recs);
        cli_scenario_free(s);
        return 2;
    }
    model_sub_view end;
    model_subscription_view(w, sub, &end);
    const char *data = c.lost ? "lost" : c.kept ? "kept" : "none";
    char when[SIM_TIME_BUF], phrase[REP_TIMELINE_PHRASE_MAX];
    if (json) {
        fputs("{\"scenario\":", out);
        cli_json_string(out, s->name);
        fprintf(out, ",\"seed\":%llu,\"subscription\":", (unsigned long long)s->seed);
        cli_json_string(out, id);
        fputs(",\"tenant\":", out);
        cli_json_string(out, model_tenant_id(w, model_subscription_tenant(w, sub)));
        fputs(",\"start_state\":", out);
        cli_json_string(out, model_state_name(start.state));
        fputs(",\"final_state\":", out);
        cli_json_string(out, model_state_name(end.state));
        fprintf(out, ",\"data\":\"%s\",\"data_lost_licenses\":%lld,\"data_kept_licenses\":%lld,\"chain\":[", data,
                (long long)c.lost, (long long)c.kept);
        for (size_t i = 0; i < c.n; i++) {
            const model_record *r = &c.recs[i];
            rep_timeline_phrase(w, r, phrase, sizeof phrase);
            fprintf(out, "%s{\"seq\":%llu,\"time\":\"%s\",\"kind\":", i ? "," : "", (unsigned long long)r->seq,
                    sim_format_instant(r->time, when));
            cli_json_string(out, model_kind_name(r->kind));
            fputs(",\"outcome\":", out);
            if (r->outcome == MODEL_OUTCOME_NONE)
                fputs("null", out);
            else
                fputs(r->outcome == MODEL_OUTCOME_ACCEPTED ? "\"accepted\"" : "\"rejected\"", out);
            fputs(",\"reason\":", out);
            if (r->reason == MODEL_REASON_NONE)
                fputs("null", out);
            else
                cli_json_string(out, model_reason_code(r->reason));
            fputs(",\"rule\":", out);
            json_rule_ref(out, r->rule);
            fputs(",\"text\":", out);
            cli_json_string(out, phrase);
            fputc('}', out);
        }
        fprintf(out, "],\"left_out\":%zu}\n", c.left_out);
    } else {
        fprintf(out, "Why %s ended %s (scenario %s, seed %llu):\n", id, model_state_name(end.state),
                s->name && *s->name ? s->name : path, (unsigned long long)s->seed);
        if (start.state != MODEL_STATE_NONE) {
            char term_end[SIM_TIME_BUF];
            sim_format_date(start.term_end - 1, term_end); /* term_end is 00:00 after the end date */
            when_text(s->start, when);
            fprintf(out, "  %s  at the start: %s, %d licenses, autorenew %s, term ends %s (the scenario file)\n",
                    when, model_state_name(start.state), (int)start.licenses, start.autorenew ? "on" : "off",
                    term_end);
        }
        for (size_t i = 0; i < c.n; i++) {
            const model_record *r = &c.recs[i];
            rep_timeline_phrase(w, r, phrase, sizeof phrase);
            when_text(r->time, when);
            fprintf(out, "  %s  %s", when, phrase);
            if (r->outcome == MODEL_OUTCOME_REJECTED && *cli_reason_meaning(r->reason))
                fprintf(out, " - %s", cli_reason_meaning(r->reason));
            fputc('\n', out);
            if (r->rule != MODEL_RULE_NONE)
                fprintf(out, "                    %s: %s\n", model_rule_id(r->rule), model_rule_text(r->rule));
        }
        if (c.n == 0)
            fputs("  (no record about it: nothing happened to it during the run)\n", out);
        fprintf(out, "Outcome: %s", model_state_name(end.state));
        if (c.lost)
            fprintf(out, "; data of %lld licenses lost (SUB-12)", (long long)c.lost);
        if (c.kept)
            fprintf(out, "; data of %lld licenses kept (SUB-12)", (long long)c.kept);
        fputs(".\n", out);
        if (c.left_out)
            fprintf(out, "(left out: %zu charge and refund records; `cspsim trace DIR --subscription %s` shows all)\n",
                    c.left_out, id);
    }
    free(c.recs);
    cli_scenario_free(s);
    return 0;
}

/* ---- the command ------------------------------------------------------------------------- */

static void list_all_json(FILE *out)
{
    fputs("{\"rules\":[", out);
    for (int r = 1; r < MODEL_RULE_COUNT; r++) {
        fputs(r > 1 ? "," : "", out);
        json_rule_ref(out, (model_rule)r);
    }
    fputs("]}\n", out);
}

int cli_explain(int argc, char **argv, FILE *out, FILE *err)
{
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(cli_usage_explain, out);
            return 0;
        }
    }
    int json = 0, npos = 0;
    const char *subscription = NULL, *pos[3] = {NULL, NULL, NULL};
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if (strcmp(argv[i], "--subscription") == 0) {
            if (!(subscription = cli_option_value(argc, argv, &i)))
                return cli_usage_error(err, "explain", "--subscription needs a subscription id");
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cli_usage_error(err, "explain", "unknown option '%s'", argv[i]);
        } else if (npos < 3) {
            pos[npos++] = argv[i];
        } else {
            npos++;
        }
    }
    if (subscription) {
        if (npos != 1)
            return cli_usage_error(err, "explain", "--subscription takes exactly one scenario file");
        return explain_subscription(pos[0], subscription, json, out, err);
    }
    if (npos == 0) {
        if (json)
            list_all_json(out);
        else
            list_all(out);
        return 0;
    }
    if (npos > 2) {
        return cli_usage_error(err, "explain", "explain takes a term and at most one scenario; '%s' is one too many",
                               pos[2]);
    }
    const char *term = pos[0];
    model_rule r = find_rule(term);
    model_reason rc = find_reason(term);
    long param = find_param(term);
    int kind = find_kind(term);
    if (r == MODEL_RULE_COUNT && rc == MODEL_REASON_NONE && param < 0 && kind < 0) {
        fprintf(err, "cspsim: unknown rule id '%s' (nor a reason code, parameter or record kind); the rule ids are: ",
                term);
        list_ids(err);
        fputs("\n(cspsim explain without arguments lists them with their summaries; docs/rules.md lists the reason\n"
              "codes, parameters and record kinds; explain SCENARIO --subscription ID tells one subscription's story)\n",
              err);
        return 2;
    }
    cli_scenario *s = NULL;
    if (npos == 2) {
        cli_diag d;
        s = cli_scenario_load(pos[1], 0, 0, &d);
        if (!s) {
            cli_diag_print(err, &d);
            return 2;
        }
    }
    /* a word can be two things (transfer_expired is a reason code and a record kind): each is told */
    int told = 0;
    if (json)
        fputs("{\"term\":", out), cli_json_string(out, term), fputs(",\"explanations\":[", out);
    if (r != MODEL_RULE_COUNT) {
        if (json)
            explain_rule_json(out, r, s);
        else
            explain_rule(out, r, s);
        told++;
    }
    if (rc != MODEL_REASON_NONE) {
        fputs(!told ? "" : json ? "," : "\n", out);
        explain_reason(out, rc, json);
        told++;
    }
    if (param >= 0) {
        fputs(!told ? "" : json ? "," : "\n", out);
        explain_param(out, param, s, json);
        told++;
    }
    if (kind >= 0) {
        fputs(!told ? "" : json ? "," : "\n", out);
        explain_kind(out, kind, json);
    }
    if (json)
        fputs("]}\n", out);
    cli_scenario_free(s);
    return 0;
}

int cli_cmd_explain(int argc, char **argv)
{
    return cli_explain(argc, argv, stdout, stderr);
}
