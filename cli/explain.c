/* cli/explain.c - one rule of the catalog explained: `cspsim explain RULE-ID [SCENARIO.yaml]`.
 * Reads the catalog of model/rules.h; keeps only the reason-code table (meaning, rules)
 * that the catalog does not carry. Prints; never exits. */
#include "explain.h"

#include <ctype.h>
#include <inttypes.h>
#include <string.h>

#include "cli/args.h"
#include "cli/diag.h"
#include "cli/scenario.h"
#include "model/model.h"
#include "sim/time.h"

const char cli_usage_explain[] =
    "usage: cspsim explain [RULE-ID [SCENARIO.yaml]]\n"
    "\n"
    "Explains one rule of the catalog: its summary, whether this version simulates it,\n"
    "its parameters with their defaults, the reason codes it gives when it refuses an\n"
    "action, and its source. Rule ids are case-insensitive (sub-2 is SUB-2).\n"
    "With a scenario, each parameter the scenario's `rules:` block changes is shown with\n"
    "the scenario's value next to the default.\n"
    "Without arguments: every rule id with its summary.\n"
    "docs/rules.md explains each rule at length.\n"
    "\n"
    "examples:\n"
    "  cspsim explain SUB-2\n"
    "  cspsim explain sub-3 scenarios/training/renewal.yaml\n"
    "\n"
    "exit status: 0 explained, 2 unknown rule id, a scenario that does not load, or bad\n"
    "             arguments.\n";

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

int cli_explain(int argc, char **argv, FILE *out, FILE *err)
{
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(cli_usage_explain, out);
            return 0;
        }
    }
    for (int i = 0; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1]) {
            return cli_usage_error(err, "explain", "unknown option '%s'", argv[i]);
        }
    }
    if (argc == 0) {
        list_all(out);
        return 0;
    }
    if (argc > 2) {
        return cli_usage_error(err, "explain", "explain takes a rule id and at most one scenario; '%s' is one too many",
                               argv[2]);
    }
    model_rule r = find_rule(argv[0]);
    if (r == MODEL_RULE_COUNT) {
        fprintf(err, "cspsim: unknown rule id '%s'; the rule ids are: ", argv[0]);
        list_ids(err);
        fputs("\n(cspsim explain without arguments lists them with their summaries)\n", err);
        return 2;
    }
    cli_scenario *s = NULL;
    if (argc == 2) {
        cli_diag d;
        s = cli_scenario_load(argv[1], 0, 0, &d);
        if (!s) {
            cli_diag_print(err, &d);
            return 2;
        }
    }
    explain_rule(out, r, s);
    cli_scenario_free(s);
    return 0;
}

int cli_cmd_explain(int argc, char **argv)
{
    return cli_explain(argc, argv, stdout, stderr);
}
