/* tests/check_explain.c - `cspsim explain` (one rule, defaults, a scenario's overrides of
 * each parameter kind, case-insensitive ids, the list, unknown ids, bad arguments, the
 * reason table) and the classroom stepper (one line per record, pauses read from a memory
 * stream, "q" and end of input stop them). Scenarios are written to a mkdtemp directory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/explain.h"
#include "cli/textout.h"
#include "cli/rulescmd.h"
#include "cli/scenario.h"
#include "cli/simulate.h"
#include "cli/step.h"
#include "model/model.h"
#include "suites.h"

Suite *explain_suite(void); /* also in suites.h once the suite is registered there */

#define ck_contains(hay, needle) ck_assert_msg(strstr((hay), (needle)) != NULL, "expected \"%s\" in:\n%s", (needle), (hay))
#define ck_lacks(hay, needle) ck_assert_msg(strstr((hay), (needle)) == NULL, "did not expect \"%s\" in:\n%s", (needle), (hay))

/* ---- helpers --------------------------------------------------------------------------- */

/* Overrides one parameter of each kind: a duration (SUB-2), a distribution (SUB-3), a
 * choice (SUB-5) and a count (LIM-1). Cancels inside and outside the window, so a run has
 * accepted and rejected actions, charges, a refund, a deletion and a data loss. */
static const char OVERRIDES[] =
    "version: 1\n"
    "name: overrides\n"
    "start: 2025-01-01\n"
    "end: 2025-01-20\n"
    "rules:\n"
    "  cancel_window: 48h\n"
    "  renewal_processing: {dist: exponential, mean: 12h}\n"
    "  suspended_at_term_end: disabled\n"
    "  tenant_subscription_limit: 5\n"
    "offers:\n"
    "  - {id: m365-e3, price: 36.00, terms: [P1M, P1Y]}\n"
    "partners:\n"
    "  - {id: contoso, region: europe}\n"
    "tenants:\n"
    "  - {id: fabrikam, region: europe, relationships: [contoso]}\n"
    "events:\n"
    "  - {at: 2025-01-02, action: purchase, partner: contoso, tenant: fabrikam, id: e3,\n"
    "     offer: m365-e3, licenses: 10, term: P1Y, billing: monthly}\n"
    "  - {at: 2025-01-02, action: purchase, partner: contoso, tenant: fabrikam, id: e3b,\n"
    "     offer: m365-e3, licenses: 2, term: P1Y, billing: monthly}\n"
    "  - {at: 2025-01-03, action: cancel, subscription: e3b}\n"
    "  - {at: 2025-01-06, action: cancel, subscription: e3}\n";

/* The same world with every default. */
static const char DEFAULTS[] =
    "version: 1\n"
    "name: defaults\n"
    "start: 2025-01-01\n"
    "end: 2025-01-10\n"
    "rules:\n"
    "  cancel_window: P7D\n" /* equal to PT168H: not a difference */
    "offers:\n"
    "  - {id: m365-e3, price: 36.00}\n"
    "partners:\n"
    "  - {id: contoso, region: europe}\n"
    "tenants:\n"
    "  - {id: fabrikam, region: europe, relationships: [contoso]}\n";

static char dir[64];

static void make_dir(void)
{
    strcpy(dir, "/tmp/cspsim-explain-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

/* Writes text to dir/name; the path into path (256 bytes). */
static void write_file(const char *name, const char *text, char *path)
{
    snprintf(path, 256, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static void remove_dir(void)
{
    char path[256];
    snprintf(path, sizeof path, "%s/overrides.yaml", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/defaults.yaml", dir);
    unlink(path);
    rmdir(dir);
}

/* cli_explain with its two streams captured (free both). */
static int explain(int argc, char **argv, char **out, char **err)
{
    size_t lo, le;
    FILE *mo = open_memstream(out, &lo), *me = open_memstream(err, &le);
    ck_assert_ptr_nonnull(mo);
    ck_assert_ptr_nonnull(me);
    int rc = cli_explain(argc, argv, mo, me);
    fclose(mo);
    fclose(me);
    return rc;
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* The line of text that holds needle, copied into line (size bytes); fails when none. */
static void line_with(const char *text, const char *needle, char *line, size_t size)
{
    const char *p = strstr(text, needle);
    ck_assert_msg(p != NULL, "expected \"%s\" in:\n%s", needle, text);
    while (p > text && p[-1] != '\n')
        p--;
    size_t n = strcspn(p, "\n");
    ck_assert_uint_lt(n, size);
    memcpy(line, p, n);
    line[n] = '\0';
}

/* ---- explain --------------------------------------------------------------------------- */

START_TEST(sub2_defaults)
{
    char *out, *err, *argv[] = {(char *)"SUB-2"};
    ck_assert_int_eq(explain(1, argv, &out, &err), 0);
    ck_assert_str_eq(err, "");
    ck_contains(out, "SUB-2: Cancel with a prorated refund only within the cancel window of a term");
    ck_contains(out, "Status: simulated by this version.");
    char line[512];
    line_with(out, "cancel_window ", line, sizeof line);
    ck_contains(line, "duration");
    ck_contains(line, "default PT168H");
    ck_lacks(line, "this scenario");
    line_with(out, "cancel_backup", line, sizeof line);
    ck_contains(line, "default P7D");
    line_with(out, "cancel_window_closed", line, sizeof line);
    ck_contains(line, "the cancel window of the term is over");
    line_with(out, "  not_active", line, sizeof line);
    ck_contains(line, "(also SUB-3, SUB-5, SUB-9, SUB-10, EA-6)");
    ck_contains(out, "Source: Partner Center: Create, suspend, cancel");
    ck_contains(out, "More: docs/rules.md, section SUB-2.");
    ck_lacks(out, "Scenario:");
    free(out);
    free(err);
}
END_TEST

START_TEST(lowercase_id)
{
    char *up, *low, *err1, *err2, *a[] = {(char *)"SUB-2"}, *b[] = {(char *)"sub-2"};
    ck_assert_int_eq(explain(1, a, &up, &err1), 0);
    ck_assert_int_eq(explain(1, b, &low, &err2), 0);
    ck_assert_str_eq(up, low);
    ck_assert_str_eq(err2, "");
    char *mixed, *err3, *c[] = {(char *)"xFeR-1"};
    ck_assert_int_eq(explain(1, c, &mixed, &err3), 0);
    ck_contains(mixed, "XFER-1: Partner-to-partner transfer");
    ck_contains(mixed, "Status: simulated");
    ck_contains(mixed, "transfer_expired");
    free(up), free(low), free(mixed), free(err1), free(err2), free(err3);
}
END_TEST

START_TEST(scenario_overrides)
{
    char path[256];
    make_dir();
    write_file("overrides.yaml", OVERRIDES, path);
    char *out, *err, line[512];

    char *a[] = {(char *)"sub-2", path};
    ck_assert_int_eq(explain(2, a, &out, &err), 0);
    ck_assert_str_eq(err, "");
    ck_contains(out, "Scenario: overrides (");
    line_with(out, "cancel_window ", line, sizeof line);
    ck_contains(line, "default PT168H; this scenario: P2D");
    line_with(out, "cancel_backup", line, sizeof line);
    ck_lacks(line, "this scenario"); /* not overridden */
    free(out), free(err);

    char *b[] = {(char *)"SUB-3", path};
    ck_assert_int_eq(explain(2, b, &out, &err), 0);
    line_with(out, "renewal_processing", line, sizeof line);
    ck_contains(line, "distribution");
    ck_contains(line, "default uniform 0h..24h; this scenario: exponential mean 12h");
    free(out), free(err);

    char *c[] = {(char *)"SUB-5", path};
    ck_assert_int_eq(explain(2, c, &out, &err), 0);
    line_with(out, "suspended_at_term_end", line, sizeof line);
    ck_contains(line, "default deleted (one of: deleted|disabled); this scenario: disabled");
    free(out), free(err);

    char *d[] = {(char *)"LIM-1", path};
    ck_assert_int_eq(explain(2, d, &out, &err), 0);
    line_with(out, "  tenant_subscription_limit ", line, sizeof line);
    ck_contains(line, "default 300; this scenario: 5");
    free(out), free(err);

    char *e[] = {(char *)"SUB-4", path}; /* its parameters keep their defaults */
    ck_assert_int_eq(explain(2, e, &out, &err), 0);
    ck_contains(out, "(scenario overrides keeps the defaults)");
    ck_lacks(out, "this scenario:");
    free(out), free(err);

    char *f[] = {(char *)"REL-3", path}; /* no parameters, no reason codes */
    ck_assert_int_eq(explain(2, f, &out, &err), 0);
    ck_contains(out, "Parameters: none.");
    ck_contains(out, "Reason codes: none of its own.");
    free(out), free(err);

    write_file("defaults.yaml", DEFAULTS, path);
    char *g[] = {(char *)"SUB-2", path}; /* P7D equals PT168H */
    ck_assert_int_eq(explain(2, g, &out, &err), 0);
    ck_lacks(out, "this scenario:");
    ck_contains(out, "(scenario defaults keeps the defaults)");
    free(out), free(err);
    remove_dir();
}
END_TEST

START_TEST(unknown_id)
{
    char *out, *err, *argv[] = {(char *)"SUB-99"};
    ck_assert_int_eq(explain(1, argv, &out, &err), 2);
    ck_assert_str_eq(out, "");
    ck_contains(err, "unknown rule id 'SUB-99'");
    ck_contains(err, "REL-1, REL-2");
    ck_contains(err, "XFER-1");
    free(out), free(err);
    char *empty[] = {(char *)""}, *none[] = {(char *)"NONE"};
    ck_assert_int_eq(explain(1, empty, &out, &err), 2);
    free(out), free(err);
    ck_assert_int_eq(explain(1, none, &out, &err), 2);
    free(out), free(err);
}
END_TEST

START_TEST(list_and_help)
{
    char *out, *err;
    ck_assert_int_eq(explain(0, NULL, &out, &err), 0);
    ck_assert_uint_eq(count_lines(out), (size_t)(MODEL_RULE_COUNT - 1) + 2); /* ids, blank, hint */
    ck_contains(out, "REL-1   A partner transacts");
    ck_contains(out, "SUB-6   Licenses increase any time");
    ck_assert_ptr_null(strstr(out, "[planned]")); /* every rule is simulated */
    free(out), free(err);

    char *h[] = {(char *)"SUB-2", (char *)"--help"};
    ck_assert_int_eq(explain(2, h, &out, &err), 0);
    ck_contains(out, "usage: cspsim explain [TERM [SCENARIO.yaml]] [--json]");
    ck_assert_str_eq(err, "");
    free(out), free(err);
}
END_TEST

START_TEST(bad_arguments)
{
    char *out, *err;
    char *many[] = {(char *)"SUB-2", (char *)"a.yaml", (char *)"b.yaml"};
    ck_assert_int_eq(explain(3, many, &out, &err), 2);
    ck_contains(err, "'b.yaml' is one too many");
    free(out), free(err);
    char *opt[] = {(char *)"--verbose"};
    ck_assert_int_eq(explain(1, opt, &out, &err), 2);
    ck_contains(err, "unknown option '--verbose'");
    free(out), free(err);
    char *missing[] = {(char *)"SUB-2", (char *)"/nonexistent/cspsim/x.yaml"};
    ck_assert_int_eq(explain(2, missing, &out, &err), 2);
    ck_assert_str_eq(out, "");
    ck_contains(err, "/nonexistent/cspsim/x.yaml");
    free(out), free(err);
}
END_TEST

/* cli_cmd_explain writes to the process's stdout: run it with fd 1 on a temporary file. */
START_TEST(command_uses_stdout)
{
    FILE *f = tmpfile();
    ck_assert_ptr_nonnull(f);
    fflush(stdout);
    int saved = dup(1);
    dup2(fileno(f), 1);
    char *argv[] = {(char *)"lim-2"};
    int rc = cli_cmd_explain(1, argv);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    ck_assert_int_eq(rc, 0);
    char buf[4096];
    rewind(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    ck_contains(buf, "LIM-2: SMB offers hold at most");
    ck_contains(buf, "smb_seat_cap");
}
END_TEST

/* Every reason code has a meaning and only real rule ids; each rule id the reason table
 * names lists the reason back when explained. */
START_TEST(reason_table)
{
    ck_assert_str_eq(cli_reason_meaning(MODEL_REASON_NONE), "");
    ck_assert_str_eq(cli_reason_rules(MODEL_REASON_COUNT), "");
    for (int r = 1; r < MODEL_REASON_COUNT; r++) {
        const char *rules = cli_reason_rules((model_reason)r);
        ck_assert_msg(*cli_reason_meaning((model_reason)r), "no meaning for %s", model_reason_code((model_reason)r));
        ck_assert_msg(*rules, "no rule for %s", model_reason_code((model_reason)r));
        char id[16];
        while (*rules) {
            size_t len = strcspn(rules, " ");
            ck_assert_uint_lt(len, sizeof id);
            memcpy(id, rules, len);
            id[len] = '\0';
            ck_assert_msg(model_rule_find(id) != MODEL_RULE_COUNT, "%s names unknown rule %s",
                          model_reason_code((model_reason)r), id);
            char *out, *err, *argv[] = {id};
            ck_assert_int_eq(explain(1, argv, &out, &err), 0);
            char needle[64];
            snprintf(needle, sizeof needle, "  %s ", model_reason_code((model_reason)r));
            ck_contains(out, needle);
            free(out), free(err);
            rules += len;
            while (*rules == ' ')
                rules++;
        }
    }
}
END_TEST

/* ---- other terms, a subscription's story, JSON ------------------------------------------- */

START_TEST(reason_code_term)
{
    char *out, *err, *argv[] = {(char *)"renewal_in_progress"};
    ck_assert_int_eq(explain(1, argv, &out, &err), 0);
    ck_assert_str_eq(err, "");
    ck_contains(out, "renewal_in_progress (reason code): the subscription is being renewed\n");
    ck_contains(out, "  SUB-3   Autorenew renews at the day after the term end date");
    ck_lacks(out, "(parameter");
    free(out), free(err);
}
END_TEST

/* A parameter: its meaning, kind, default, rule, and a scenario's value. */
START_TEST(parameter_term)
{
    char *out, *err, *argv[] = {(char *)"expired_grace"};
    ck_assert_int_eq(explain(1, argv, &out, &err), 0);
    ck_contains(out, "expired_grace (parameter of SUB-4): how long an expired subscription keeps user access");
    ck_contains(out, "Kind: duration; default P30D\n");
    ck_contains(out, "Rule SUB-4: Without autorenew the subscription expires");
    ck_lacks(out, "Scenario");
    free(out), free(err);
    char path[256];
    make_dir();
    write_file("overrides.yaml", OVERRIDES, path);
    char *with[] = {(char *)"CANCEL_WINDOW", path};
    ck_assert_int_eq(explain(2, with, &out, &err), 0);
    ck_contains(out, "cancel_window (parameter of SUB-2)");
    ck_contains(out, "Scenario overrides: P2D (set under rules:)\n"); /* 48h */
    free(out), free(err);
    remove_dir();
}
END_TEST

/* A record kind; a word that is both a reason code and a record kind is told as both. */
START_TEST(record_kind_term)
{
    char *out, *err, *argv[] = {(char *)"data_loss"};
    ck_assert_int_eq(explain(1, argv, &out, &err), 0);
    ck_contains(out, "data_loss (record kind): licenses whose data nothing replaced");
    ck_contains(out, "  SUB-12  Data survives deletion only for licenses replaced");
    ck_contains(out, "Written by this version: yes\n");
    free(out), free(err);
    char *both[] = {(char *)"transfer_expired"};
    ck_assert_int_eq(explain(1, both, &out, &err), 0);
    ck_contains(out, "transfer_expired (reason code): the transfer request has lapsed\n");
    ck_contains(out, "\n\ntransfer_expired (record kind): a transfer request lapsed unanswered\n");
    free(out), free(err);
    char *planned[] = {(char *)"term_ended"};
    ck_assert_int_eq(explain(1, planned, &out, &err), 0);
    ck_contains(out, "Written by this version: not yet\n");
    free(out), free(err);
}
END_TEST

/* OVERRIDES: e3 is bought on the 2nd, its window (48h) closes on the 4th, the cancel of the
 * 6th is refused; e3b is canceled on the 3rd inside the window and deleted on the 10th
 * (cancel_backup P7D), its data kept by e3 (same provisioning id). */
START_TEST(subscription_story)
{
    char path[256];
    make_dir();
    write_file("overrides.yaml", OVERRIDES, path);
    char *out, *err, *argv[] = {path, (char *)"--subscription", (char *)"e3b"};
    ck_assert_int_eq(explain(3, argv, &out, &err), 0);
    ck_assert_str_eq(err, "");
    ck_contains(out, "Why e3b ended deleted (scenario overrides, seed 1):\n");
    ck_lacks(out, "at the start"); /* bought during the run */
    const char *p = strstr(out, "  2025-01-02 00:00  purchase via contoso accepted: none -> active");
    ck_assert_ptr_nonnull(p);
    p = strstr(p, "                    SUB-1: Terms and billing frequencies");
    ck_assert_ptr_nonnull(p);
    p = strstr(p, "  2025-01-03 00:00  cancel via contoso accepted: active -> canceled, 2 licenses (SUB-2)\n"
                  "                    SUB-2: Cancel with a prorated refund only within the cancel window");
    ck_assert_msg(p != NULL, "the cancel and its rule:\n%s", out);
    p = strstr(p, "  2025-01-10 00:00  deleted: data removed [canceled -> deleted] (SUB-2)\n");
    ck_assert_ptr_nonnull(p);
    p = strstr(p, "  2025-01-10 00:00  data kept: 2 licenses covered by same-service subscriptions");
    ck_assert_ptr_nonnull(p);
    ck_contains(p, "Outcome: deleted; data of 2 licenses kept (SUB-12).\n");
    ck_lacks(out, "charged"); /* money left out, and counted: one charge, one refund */
    ck_contains(out, "(left out: 2 charge and refund records;");
    free(out), free(err);
    /* the refusal carries its meaning */
    char *e3[] = {path, (char *)"--subscription", (char *)"e3"};
    ck_assert_int_eq(explain(3, e3, &out, &err), 0);
    ck_contains(out, "Why e3 ended active");
    ck_contains(out, "cancel via contoso REJECTED: cancel_window_closed (SUB-2) - the cancel window of the term is over\n");
    ck_contains(out, "Outcome: active.\n");
    free(out), free(err);
    char *nosuch[] = {path, (char *)"--subscription", (char *)"zz"};
    ck_assert_int_eq(explain(3, nosuch, &out, &err), 2);
    ck_assert_str_eq(out, "");
    ck_contains(err, "has no subscription 'zz'; its subscriptions are: e3, e3b\n");
    free(out), free(err);
    char *two[] = {path, path, (char *)"--subscription", (char *)"e3"};
    ck_assert_int_eq(explain(4, two, &out, &err), 2);
    ck_contains(err, "--subscription takes exactly one scenario file");
    free(out), free(err);
    remove_dir();
}
END_TEST

/* A subscription of the file that existed before the start: its starting point is told
 * (autorenew off is why it expired). */
START_TEST(subscription_story_start)
{
    char *out, *err, *argv[] = {(char *)"--subscription", (char *)"fab-visio",
                                (char *)"scenarios/training/expiry-and-grace.yaml"};
    ck_assert_int_eq(explain(3, argv, &out, &err), 0);
    ck_contains(out, "  2025-02-01 00:00  at the start: active, 10 licenses, autorenew off, term ends 2025-02-28");
    ck_contains(out, "DATA LOSS: 10 licenses (unreplaced) (SUB-12)\n");
    ck_contains(out, "Outcome: deleted; data of 10 licenses lost (SUB-12).\n");
    free(out), free(err);
}
END_TEST

/* --json: one object per answer; the shapes checked by their fields. */
START_TEST(json_output)
{
    char *out, *err, *argv[] = {(char *)"expired_grace", (char *)"--json"};
    ck_assert_int_eq(explain(2, argv, &out, &err), 0);
    ck_assert_str_eq(out, "{\"term\":\"expired_grace\",\"explanations\":[{\"type\":\"parameter\",\"name\":"
                          "\"expired_grace\",\"kind\":\"duration\",\"default\":\"P30D\",\"meaning\":\"how long an "
                          "expired subscription keeps user access (the grace) before it is disabled\",\"rule\":"
                          "{\"id\":\"SUB-4\",\"text\":\"Without autorenew the subscription expires, is disabled "
                          "after the grace, then deleted.\"}}]}\n");
    free(out), free(err);
    char *both[] = {(char *)"--json", (char *)"transfer_expired"};
    ck_assert_int_eq(explain(2, both, &out, &err), 0);
    ck_contains(out, "[{\"type\":\"reason\",\"code\":\"transfer_expired\"");
    ck_contains(out, "},{\"type\":\"record_kind\",\"kind\":\"transfer_expired\"");
    free(out), free(err);
    char *rule[] = {(char *)"sub-2", (char *)"--json"};
    ck_assert_int_eq(explain(2, rule, &out, &err), 0);
    ck_contains(out, "{\"type\":\"rule\",\"id\":\"SUB-2\"");
    ck_contains(out, "{\"name\":\"cancel_window\",\"kind\":\"duration\",\"default\":\"PT168H\"}");
    ck_contains(out, "{\"code\":\"cancel_window_closed\",\"meaning\":\"the cancel window of the term is over\"}");
    free(out), free(err);
    char *story[] = {(char *)"scenarios/training/expiry-and-grace.yaml", (char *)"--subscription",
                     (char *)"fab-visio", (char *)"--json"};
    ck_assert_int_eq(explain(4, story, &out, &err), 0);
    ck_contains(out, "{\"scenario\":\"expiry-and-grace\",\"seed\":1,\"subscription\":\"fab-visio\",\"tenant\":"
                     "\"fabrikam\",\"start_state\":\"active\",\"final_state\":\"deleted\",\"data\":\"lost\","
                     "\"data_lost_licenses\":10,\"data_kept_licenses\":0,\"chain\":[{\"seq\":4,");
    ck_contains(out, "\"kind\":\"data_loss\",\"outcome\":null,\"reason\":null,\"rule\":{\"id\":\"SUB-12\"");
    ck_contains(out, "],\"left_out\":1}\n");
    free(out), free(err);
}
END_TEST

START_TEST(json_string_escapes)
{
    char *text;
    size_t len;
    FILE *f = open_memstream(&text, &len);
    ck_assert_ptr_nonnull(f);
    cli_json_string(f, "a\"b\\c\n\x01\x7f" "d");
    cli_json_string(f, NULL);
    fclose(f);
    ck_assert_str_eq(text, "\"a\\\"b\\\\c\\u000a\\u0001\\u007fd\"\"\"");
    free(text);
}
END_TEST

/* `rules --json` (cli/rulescmd.c) writes the catalog to stdout: fd 1 on a temporary file. */
START_TEST(rules_json)
{
    FILE *f = tmpfile();
    ck_assert_ptr_nonnull(f);
    fflush(stdout);
    int saved = dup(1);
    dup2(fileno(f), 1);
    char *argv[] = {(char *)"--json"};
    int rc = cli_cmd_rules(1, argv);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    ck_assert_int_eq(rc, 0);
    static char buf[65536];
    rewind(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    static const char head[] = "{\"rules\":[{\"id\":\"REL-1\",\"text\":\"A partner transacts";
    ck_assert_int_eq(strncmp(buf, head, sizeof head - 1), 0);
    ck_contains(buf, "{\"id\":\"SUB-4\",\"text\":\"Without autorenew the subscription expires, is disabled after "
                     "the grace, then deleted.\",\"simulated\":true,\"source\":\"Partner Center: Move "
                     "license-based customers to CSP; Subscription lifecycle\",\"parameters\":[{\"name\":"
                     "\"expired_grace\",\"kind\":\"duration\",\"default\":\"P30D\"},{\"name\":"
                     "\"disabled_retention\",\"kind\":\"duration\",\"default\":\"P0D\"}]}");
    ck_assert_int_eq(strcmp(buf + n - 4, "}]}\n"), 0);
}
END_TEST

/* ---- the stepper ----------------------------------------------------------------------- */

/* Loads text (as name), runs it into a stepper on out/in with flags, then plays it; the
 * number of records in *records. */
static void step_text(const char *name, const char *text, FILE *out, FILE *in, int flags,
                      unsigned long long *records)
{
    char path[256];
    make_dir();
    write_file(name, text, path);
    cli_diag d;
    cli_scenario *s = cli_scenario_load(path, 0, 0, &d);
    ck_assert_msg(s != NULL, "%s", d.message);
    cli_stepper *st = cli_stepper_new(s, out, in, flags);
    ck_assert_ptr_nonnull(st);
    model_set_sink(s->world, (model_sink){cli_stepper_record, st});
    ck_assert_int_eq(cli_simulate(s, NULL, NULL, NULL), 0);
    cli_stepper_play(st);
    *records = model_records_emitted(s->world);
    ck_assert_uint_eq(cli_stepper_count(st), *records);
    cli_stepper_free(st);
    cli_scenario_free(s);
    unlink(path);
    remove_dir();
}

static void step_run(FILE *out, FILE *in, int flags, unsigned long long *records)
{
    step_text("overrides.yaml", OVERRIDES, out, in, flags, records);
}

/* Plays OVERRIDES with CLI_STEP_PAUSE | extra over the keys in input; the output in *text
 * (free it) and the unread rest of the input in rest (64 bytes). */
static void walk_keys(const char *input, int extra, char **text, char *rest)
{
    size_t len;
    FILE *out = open_memstream(text, &len);
    FILE *in = fmemopen((void *)input, strlen(input), "r");
    ck_assert_ptr_nonnull(out);
    ck_assert_ptr_nonnull(in);
    unsigned long long records;
    step_run(out, in, CLI_STEP_PAUSE | extra, &records);
    fclose(out);
    ck_assert_uint_eq(records, 12);
    size_t n = fread(rest, 1, 63, in);
    rest[n] = '\0';
    fclose(in);
}

START_TEST(stepper_lines)
{
    char *text;
    size_t len;
    FILE *out = open_memstream(&text, &len);
    FILE *in = fmemopen((void *)"x\n", 2, "r");
    ck_assert_ptr_nonnull(out);
    ck_assert_ptr_nonnull(in);
    unsigned long long records;
    step_run(out, in, 0, &records);
    fclose(out);
    ck_assert_uint_ge(records, 8);
    /* the name and a blank line (no description), then one line per record, no keys */
    ck_assert_int_eq(strncmp(text, "== overrides ==\n\n2025-01-02 00:00", 33), 0);
    ck_assert_uint_eq(count_lines(text), records + 2);
    ck_assert_int_eq(fgetc(in), 'x'); /* not interactive: input untouched */
    fclose(in);
    ck_lacks(text, "Enter");
    ck_lacks(text, "states:");
    ck_lacks(text, "\033"); /* no colour unless asked */
    char line[1024];
    line_with(text, "purchase", line, sizeof line);
    ck_assert_str_eq(line, "2025-01-02 00:00  fabrikam  e3   purchase via contoso accepted: none -> active, 10 "
                           "licenses (offer=m365-e3 licenses=10 term=P1Y billing=monthly) (SUB-1)");
    line_with(text, "REJECTED", line, sizeof line);
    ck_assert_str_eq(line, "2025-01-06 00:00  fabrikam  e3   cancel via contoso REJECTED: cancel_window_closed "
                           "(SUB-2) - the cancel window of the term is over");
    line_with(text, "refunded", line, sizeof line);
    ck_contains(line, "fabrikam  e3b  refunded ");
    ck_contains(line, "(SUB-2)");
    ck_contains(text, "2025-01-04 00:00  fabrikam  e3   cancel window closed (SUB-2)"); /* 48h */
    ck_contains(text, "fabrikam  e3b  data kept: 2 licenses covered by same-service subscriptions");
    free(text);
}
END_TEST

/* The description up to "Point out" is the scenario's; from there on, the trainer notes. */
START_TEST(stepper_intro_notes)
{
    static const char described[] = "version: 1\n"
                                    "name: told\n"
                                    "description: |\n"
                                    "  What this shows.\n"
                                    "  Second line.\n"
                                    "\n"
                                    "  Point out: the refusal.\n"
                                    "\n"
                                    "  Ask the class why.\n"
                                    "start: 2025-01-01\n"
                                    "end: 2025-01-02\n"
                                    "offers: [{id: o, price: 1.00}]\n"
                                    "partners: [{id: p, region: europe}]\n"
                                    "tenants: [{id: t, region: europe}]\n";
    char *text;
    size_t len;
    FILE *out = open_memstream(&text, &len);
    ck_assert_ptr_nonnull(out);
    unsigned long long records;
    step_text("told.yaml", described, out, NULL, 0, &records);
    fclose(out);
    ck_assert_uint_eq(records, 0); /* no record: cli_stepper_play still introduces it */
    ck_assert_str_eq(text, "== told ==\n"
                           "What this shows.\nSecond line.\n"
                           "\n"
                           "Trainer notes:\n"
                           "Point out: the refusal.\n\nAsk the class why.\n"
                           "\n");
    free(text);
}
END_TEST

/* Enter, n, b, j, ?, an unknown key and q, each answered; nothing read after q. The state
 * panel follows the records: e3b canceled on the 3rd, deleted on the 10th. */
START_TEST(stepper_walk_keys)
{
    char *text, rest[64];
    walk_keys("\nn\nb\nj 2025-01-10\n?\nzz\nj 2025-01-03\nq\nleft\n", 0, &text, rest);
    ck_assert_str_eq(rest, "left\n");
    ck_contains(text, "== overrides ==\n");
    ck_contains(text, "keys: Enter next record, n next notable");
    /* the first record, then Enter: the second */
    const char *p = strstr(text, "\n2025-01-02 00:00  fabrikam  e3   purchase via contoso accepted");
    ck_assert_ptr_nonnull(p);
    ck_contains(p, "   states: e3 active\nstep> ");
    p = strstr(p, "step> 2025-01-02 00:00  fabrikam  e3   subscription created (SUB-1)\n"
                  "   states: e3 active\nstep> ");
    ck_assert_msg(p != NULL, "Enter shows the second record:\n%s", text);
    /* n: the refusal; the 7 records between (index 2..8 of 12) passed */
    p = strstr(p, "(7 records passed)\n2025-01-06 00:00  fabrikam  e3   cancel via contoso REJECTED");
    ck_assert_msg(p != NULL, "n skips to the refusal:\n%s", text);
    ck_contains(p, "   states: e3 active, e3b canceled\n");
    /* b: the record before it */
    p = strstr(p, "step> 2025-01-04 00:00  fabrikam  e3   cancel window closed (SUB-2)\n"
                  "   states: e3 active, e3b canceled\n");
    ck_assert_msg(p != NULL, "b goes back one:\n%s", text);
    /* j 2025-01-10: the deletion, first record of that day */
    p = strstr(p, "step> 2025-01-10 00:00  fabrikam  e3b  deleted: data removed [canceled -> deleted] (SUB-2)\n"
                  "   states: e3 active, e3b deleted\n");
    ck_assert_msg(p != NULL, "j jumps forward:\n%s", text);
    p = strstr(p, "step> keys: Enter next record");
    ck_assert_msg(p != NULL, "? prints the keys:\n%s", text);
    p = strstr(p, "step> (unknown key 'zz'; ? lists the keys)\n");
    ck_assert_msg(p != NULL, "an unknown key is named:\n%s", text);
    /* j back to the 3rd: the cancel, its state undone to before the deletion */
    p = strstr(p, "step> 2025-01-03 00:00  fabrikam  e3b  cancel via contoso accepted: active -> canceled");
    ck_assert_msg(p != NULL, "j jumps back:\n%s", text);
    ck_contains(p, "   states: e3 active, e3b canceled\nstep> ");
    ck_assert_int_eq(strcmp(text + strlen(text) - 6, "step> "), 0); /* q: nothing after */
    free(text);
}
END_TEST

/* At the edges: b on the first record, n past the last notable one, j past the end, a bad
 * date, Enter on the last record; the end of the input quits without blocking. */
START_TEST(stepper_edges)
{
    char *text, rest[64];
    walk_keys("b\nn\nn\nj 2026-01-01\nj soon\nj 2025-01-10\n\n\n", 0, &text, rest);
    ck_assert_str_eq(rest, "");
    ck_contains(text, "step> (this is the first record)\n");
    ck_contains(text, "REJECTED");
    ck_contains(text, "step> (no notable record after this one)\n");
    ck_contains(text, "step> (no record at or after 2026-01-01; the last is at 2025-01-10T00:00:00Z)\n");
    ck_contains(text, "step> (j needs a date: j 2025-03-01 or j 2025-03-01T09:30Z)\n");
    ck_contains(text, "step> (the run ends here: b back, j DATE, q quit)\n");
    ck_contains(text, "data kept: 2 licenses");
    free(text);
}
END_TEST

/* Colour: the refusal in bold red, reset at its end; other lines plain. NO_COLOR turns the
 * flag off. */
START_TEST(stepper_colour)
{
    char *text, rest[64];
    walk_keys("n\nq\n", CLI_STEP_COLOUR, &text, rest);
    ck_contains(text, "\033[1;31m2025-01-06 00:00  fabrikam  e3   cancel via contoso REJECTED: cancel_window_closed "
                      "(SUB-2) - the cancel window of the term is over\033[0m\n");
    ck_contains(text, "\n2025-01-02 00:00  fabrikam  e3   purchase"); /* no escape before it */
    free(text);
    setenv("NO_COLOR", "1", 1);
    ck_assert_int_eq(cli_step_flags() & CLI_STEP_COLOUR, 0);
    unsetenv("NO_COLOR");
}
END_TEST

/* A data loss is notable and highlighted too; the panel of a big scenario is capped. Twelve
 * subscriptions of one tenant without autorenew expire at their term end; the grace is 1
 * day: the terms end 2025-02-28 (inclusive), expire on 03-01, and on 03-02 all are deleted
 * and their data lost. */
START_TEST(stepper_panel_cap)
{
    char text_in[4096];
    size_t n = (size_t)snprintf(text_in, sizeof text_in,
                                "version: 1\n"
                                "name: many\n"
                                "start: 2025-02-01\n"
                                "end: 2025-03-05\n"
                                "rules: {expired_grace: P1D}\n"
                                "offers: [{id: o, price: 1.00}]\n"
                                "partners: [{id: p, region: europe}]\n"
                                "tenants:\n"
                                "  - id: t\n"
                                "    region: europe\n"
                                "    relationships: [p]\n"
                                "    subscriptions:\n");
    for (int i = 0; i < 12; i++)
        n += (size_t)snprintf(text_in + n, sizeof text_in - n,
                              "      - {id: s%02d, offer: o, partner: p, licenses: 1, term: P1M, billing: monthly,"
                              " start: 2025-02-01, autorenew: false}\n",
                              i);
    ck_assert_uint_lt(n, sizeof text_in);
    static const char input[] = "n\nq\n";
    char *text;
    size_t len;
    FILE *out = open_memstream(&text, &len);
    FILE *in = fmemopen((void *)input, sizeof input - 1, "r");
    unsigned long long records;
    step_text("many.yaml", text_in, out, in, CLI_STEP_PAUSE | CLI_STEP_COLOUR, &records);
    fclose(out);
    fclose(in);
    ck_contains(text, "   states: s00 active, s01 active, s02 active, s03 active, s04 active, s05 active, s06 active,\n"
                      "           s07 active, s08 active, s09 active (+2 more)\n");
    const char *p = strstr(text, "\033[1;35m2025-03-02 00:00  t  s00  DATA LOSS");
    ck_assert_msg(p != NULL, "n stops at the data loss, highlighted:\n%s", text);
    ck_contains(p, "DATA LOSS: 1 licenses");
    ck_contains(p, "(+2 more)");
    free(text);
}
END_TEST

Suite *explain_suite(void)
{
    Suite *s = suite_create("explain");
    TCase *tc = tcase_create("explain");
    tcase_add_test(tc, sub2_defaults);
    tcase_add_test(tc, lowercase_id);
    tcase_add_test(tc, scenario_overrides);
    tcase_add_test(tc, unknown_id);
    tcase_add_test(tc, list_and_help);
    tcase_add_test(tc, bad_arguments);
    tcase_add_test(tc, command_uses_stdout);
    tcase_add_test(tc, reason_table);
    tcase_add_test(tc, reason_code_term);
    tcase_add_test(tc, parameter_term);
    tcase_add_test(tc, record_kind_term);
    tcase_add_test(tc, subscription_story);
    tcase_add_test(tc, subscription_story_start);
    tcase_add_test(tc, json_output);
    tcase_add_test(tc, json_string_escapes);
    tcase_add_test(tc, rules_json);
    suite_add_tcase(s, tc);
    tc = tcase_create("step");
    tcase_add_test(tc, stepper_lines);
    tcase_add_test(tc, stepper_intro_notes);
    tcase_add_test(tc, stepper_walk_keys);
    tcase_add_test(tc, stepper_edges);
    tcase_add_test(tc, stepper_colour);
    tcase_add_test(tc, stepper_panel_cap);
    suite_add_tcase(s, tc);
    return s;
}
