/* cli/testcmd.c - `cspsim test`: scenarios x seeds x expectations, reported as text, TAP or
 * JUnit XML. Invariants are always checked while testing. */
#include "testcmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/textout.h"
#include "cli/args.h"
#include "cli/diag.h"
#include "cli/expect.h"
#include "cli/override.h"
#include "cli/scenario.h"
#include "cli/simulate.h"
#include "reports/out.h"
#include "reports/trace.h"

const char cli_usage_test[] =
    "usage: cspsim test SCENARIO.yaml... [--seed N | --seeds A-B] [--set KEY=VALUE]... [--junit FILE] [--tap | --json]\n"
    "\n"
    "Runs each scenario and checks its expect block: the state of a subscription at an\n"
    "instant, counts of trace records, summary metrics and the trace fingerprint. Prints one\n"
    "line per scenario (PASS or FAIL, and each failed expectation with its line), then\n"
    "'N passed, N failed'. Writes no trace. Invariants are checked after every event.\n"
    "\n"
    "  --seed N       run under seed N instead of the scenario's\n"
    "  --seeds A-B    run under every seed from A to B; an expectation must hold for all,\n"
    "                 a failure names the first seed (replay it with cspsim run --seed)\n"
    "                 and every seed it failed for (the first 10, then how many more)\n"
    "  --set KEY=VALUE   change a value of every scenario before it loads, as for run\n"
    "                 (repeatable, a later one wins; see 'cspsim run --help')\n"
    "  --junit FILE   also write JUnit XML: one test suite per scenario and seed, one test\n"
    "                 case per expectation, failures with the line, seed and what was seen\n"
    "  --tap          print TAP (version 13) instead of the text report, one line per\n"
    "                 scenario, seed and expectation\n"
    "  --json         print the report as one JSON document instead: per scenario its\n"
    "                 verdict, seeds and breach, per expectation its line, text, first\n"
    "                 failure and how many seeds failed or skipped it (the first 10 named)\n"
    "A fingerprint pinned to a seed ({fingerprint: X, seed: 7}) is skipped under others,\n"
    "and the report says so.\n"
    "\n"
    "exit status: 0 all held, 1 an expectation failed, 2 a scenario could not be loaded,\n"
    "             70 an invariant broke (a simulator bug: the message names seed and event),\n"
    "             74 the JUnit file could not be written.\n";

#define MAX_SEEDS 100000
#define SEEDS_LISTED 10 /* failing seeds named per expectation; the rest are counted */

/* What the seeds did to one expectation. */
typedef struct {
    int line;
    char *text;                   /* its source line */
    size_t nfailed, nskipped;     /* seeds it failed for, seeds it was skipped for */
    uint64_t seeds[SEEDS_LISTED]; /* the first seeds it failed for */
    char *failure;                /* the first failure: "seed S: message" (or "message") */
    char *skipped;                /* why it was skipped, the first time */
} expect_result;

typedef struct {
    const char *path;
    int loaded;      /* 0: could not be loaded (message in load_error) */
    char load_error[600];
    size_t n;        /* expectations */
    expect_result *ex;
    char *breach;    /* an invariant breach, if any (the sweep stops there) */
    size_t nseeds;   /* seeds whose expectations were judged */
    size_t failed;   /* expectations that failed for at least one seed */
} result;

/* Where each (scenario, seed) is reported as it finishes: TAP on stdout, the JUnit body in
 * memory (its totals go first, so it is written out at the end). */
typedef struct {
    int tap;
    size_t tap_k;
    FILE *junit;
    size_t tests, failures, errors, skipped;
    const cli_override_list *sets; /* --set, applied to every scenario */
} reporters;

/* Records go to the checker and, when a fingerprint is expected, to a hashing trace writer. */
typedef struct {
    rep_trace *tr;
    cli_checker *chk;
} chain;

static void chain_emit(void *ctx, const model_record *rec)
{
    chain *c = ctx;
    if (c->tr)
        rep_trace_record(c->tr, rec);
    cli_checker_record(c->chk, rec);
}

/* A scenario that did not load (breach 0), or broke an invariant under seed: one error case. */
static void report_error(reporters *o, const result *r, int has_seed, uint64_t seed, int breach, const char *message)
{
    char sd[40] = "";
    if (has_seed)
        snprintf(sd, sizeof sd, " (seed %llu)", (unsigned long long)seed);
    if (o->tap) {
        printf("not ok %zu - %s%s %s\n  # ", ++o->tap_k, r->path, sd, breach ? "invariants" : "(not loaded)");
        for (const char *p = message; *p; p++) { /* every line of the message a comment */
            if (*p == '\n' && p[1])
                fputs("\n  # ", stdout);
            else
                putchar(*p);
        }
        if (!*message || message[strlen(message) - 1] != '\n')
            putchar('\n');
    }
    if (o->junit) {
        o->tests++;
        o->errors++;
        fputs("  <testsuite name=\"", o->junit);
        cli_xml_text(o->junit, r->path);
        cli_xml_text(o->junit, sd);
        fputs("\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n    <testcase classname=\"", o->junit);
        cli_xml_text(o->junit, r->path);
        fprintf(o->junit, "\" name=\"%s\">\n      <error message=\"", breach ? "invariants" : "load");
        cli_xml_text(o->junit, message);
        fputs("\"/>\n    </testcase>\n  </testsuite>\n", o->junit);
    }
}

/* One (scenario, seed) judged: TAP lines and a JUnit test suite, one case per expectation. */
static void report_seed(reporters *o, const result *r, const cli_checker *chk, uint64_t seed)
{
    size_t failures = 0, skipped = 0;
    for (size_t i = 0; i < r->n; i++) {
        failures += cli_checker_failure(chk, i) != NULL;
        skipped += cli_checker_skipped(chk, i) != NULL;
    }
    if (o->junit) {
        o->tests += r->n;
        o->failures += failures;
        o->skipped += skipped;
        fputs("  <testsuite name=\"", o->junit);
        cli_xml_text(o->junit, r->path);
        fprintf(o->junit, " (seed %llu)\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n",
                (unsigned long long)seed, r->n, failures, skipped);
    }
    for (size_t i = 0; i < r->n; i++) {
        const char *f = cli_checker_failure(chk, i), *k = cli_checker_skipped(chk, i);
        const char *text = r->ex[i].text ? r->ex[i].text : "";
        if (o->tap) {
            printf("%s %zu - %s:%d (seed %llu) %s", f ? "not ok" : "ok", ++o->tap_k, r->path, r->ex[i].line,
                   (unsigned long long)seed, text);
            if (k)
                printf(" # SKIP %s", k);
            putchar('\n');
            if (f)
                printf("  # %s\n", f);
        }
        if (!o->junit)
            continue;
        fputs("    <testcase classname=\"", o->junit);
        cli_xml_text(o->junit, r->path);
        fprintf(o->junit, "\" name=\"seed %llu, line %d: ", (unsigned long long)seed, r->ex[i].line);
        cli_xml_text(o->junit, text);
        if (!f && !k) {
            fputs("\"/>\n", o->junit);
            continue;
        }
        fputs(f ? "\">\n      <failure message=\"" : "\">\n      <skipped message=\"", o->junit);
        cli_xml_text(o->junit, f ? f : k);
        if (k) {
            fputs("\"/>\n    </testcase>\n", o->junit);
            continue;
        }
        fputs("\">", o->junit);
        cli_xml_text(o->junit, r->path);
        fprintf(o->junit, ":%d: seed %llu: ", r->ex[i].line, (unsigned long long)seed);
        cli_xml_text(o->junit, f);
        fputs("</failure>\n    </testcase>\n", o->junit);
    }
    if (o->junit)
        fputs("  </testsuite>\n", o->junit);
}

/* The expectations' lines and texts, from the first seed that loads. 0, or -1 out of memory. */
static int result_init(result *r, const cli_scenario *s)
{
    r->loaded = 1;
    r->n = s->nexpects;
    if (!(r->ex = calloc(r->n + 1, sizeof *r->ex)))
        return -1;
    for (size_t i = 0; i < r->n; i++) {
        r->ex[i].line = s->expects[i].line;
        if (!(r->ex[i].text = cli_source_line(s->text, s->expects[i].line, 160)))
            return -1;
    }
    return 0;
}

/* Adds one seed's verdicts to r: seeds counted, first failures and skips kept. */
static void result_add(result *r, const cli_checker *chk, int has_seed, uint64_t seed)
{
    r->nseeds++;
    for (size_t i = 0; i < r->n; i++) {
        expect_result *e = &r->ex[i];
        const char *f = cli_checker_failure(chk, i), *k = cli_checker_skipped(chk, i);
        if (k && !e->nskipped++)
            e->skipped = strdup(k); /* NULL out of memory: the count still tells */
        if (!f)
            continue;
        if (e->nfailed < SEEDS_LISTED)
            e->seeds[e->nfailed] = seed;
        if (!e->nfailed++) {
            r->failed++;
            size_t need = strlen(f) + 48;
            if ((e->failure = malloc(need))) {
                if (has_seed)
                    snprintf(e->failure, need, "seed %llu: %s", (unsigned long long)seed, f);
                else
                    snprintf(e->failure, need, "%s", f);
            }
        }
    }
}

/* Runs one scenario under one seed; reports it and adds it to r. -1 when it did not load
 * or memory ran out (r->load_error says which). */
static int run_once(result *r, reporters *o, int has_seed, uint64_t seed)
{
    cli_diag d;
    cli_load_opts lo = {has_seed, seed, o->sets->v, o->sets->n, 0, 0};
    cli_scenario *s = cli_scenario_load_opts(r->path, &lo, &d);
    if (!s) {
        if (d.line > 0)
            snprintf(r->load_error, sizeof r->load_error, "%s:%d:%d: error: %s", d.file, d.line, d.col, d.message);
        else
            snprintf(r->load_error, sizeof r->load_error, "%s: error: %s", d.file, d.message);
        cli_diag_print(stderr, &d);
        r->loaded = 0;
        report_error(o, r, has_seed, seed, 0, r->load_error);
        return -1;
    }
    int init = r->loaded ? 0 : result_init(r, s);
    cli_checker *chk = cli_checker_new(s);
    rep_out *hash = cli_scenario_wants_fingerprint(s) ? rep_out_null() : NULL;
    rep_trace *tr = hash ? rep_trace_new(s->world, hash, NULL) : NULL;
    int rc = 0;
    if (init || !chk || (cli_scenario_wants_fingerprint(s) && (!hash || !tr))) {
        snprintf(r->load_error, sizeof r->load_error, "%s: error: out of memory", r->path);
        rc = -1;
        goto done;
    }
    model_check_invariants(s->world, 1);
    chain ch = {tr, chk};
    model_set_sink(s->world, (model_sink){chain_emit, &ch});
    int sim = cli_simulate(s, chk, NULL, NULL);
    if (sim == -1) {
        snprintf(r->load_error, sizeof r->load_error, "%s: error: out of memory during the run", r->path);
        rc = -1;
        goto done;
    }
    if (sim == -2) {
        char *buf = NULL;
        size_t len = 0;
        FILE *m = open_memstream(&buf, &len);
        if (m) {
            cli_breach_print(m, s);
            fclose(m);
        }
        r->breach = buf ? buf : strdup("cspsim: invariant broken (out of memory for the message)\n");
        report_error(o, r, has_seed, s->seed, 1, r->breach ? r->breach : "");
        goto done;
    }
    uint64_t fp = hash ? rep_out_hash(hash) : 0;
    cli_checker_finish(chk, hash ? &fp : NULL);
    result_add(r, chk, has_seed, s->seed);
    report_seed(o, r, chk, s->seed);
done:
    if (rc) {
        r->loaded = 0;
        report_error(o, r, has_seed, seed, 0, r->load_error);
    }
    rep_trace_free(tr);
    rep_out_free(hash);
    cli_checker_free(chk);
    cli_scenario_free(s);
    return rc;
}

static void result_free(result *r)
{
    for (size_t i = 0; r->ex && i < r->n; i++) {
        free(r->ex[i].text);
        free(r->ex[i].failure);
        free(r->ex[i].skipped);
    }
    free(r->ex);
    free(r->breach);
}

/* The text report of one scenario after its seeds. */
static void print_result(const result *r, int has_seed, uint64_t first, uint64_t last)
{
    int sweep = has_seed && last > first;
    if (!r->loaded) {
        printf("ERROR %s (not loaded)\n", r->path);
        return;
    }
    if (r->failed || r->breach) {
        printf("FAIL  %s (%zu of %zu expectations failed%s)\n", r->path, r->failed, r->n,
               r->breach ? ", invariant broken" : "");
        if (r->breach)
            printf("  %s", r->breach);
    } else if (sweep) {
        printf("PASS  %s (%zu expectations x seeds %llu-%llu)\n", r->path, r->n, (unsigned long long)first,
               (unsigned long long)last);
    } else {
        printf("PASS  %s (%zu expectations)\n", r->path, r->n);
    }
    for (size_t k = 0; k < r->n; k++) {
        const expect_result *e = &r->ex[k];
        if (e->nfailed) {
            printf("  %s:%d: %s\n", r->path, e->line, e->failure ? e->failure : "failed (out of memory for the message)");
            if (r->nseeds > 1) {
                printf("    failed for %zu of %zu seeds: ", e->nfailed, r->nseeds);
                for (size_t j = 0; j < e->nfailed && j < SEEDS_LISTED; j++)
                    printf("%s%llu", j ? ", " : "", (unsigned long long)e->seeds[j]);
                if (e->nfailed > SEEDS_LISTED)
                    printf(" and %zu more", e->nfailed - SEEDS_LISTED);
                putchar('\n');
            }
        }
        if (e->nskipped) {
            const char *why = e->skipped ? e->skipped : "not judged";
            if (r->nseeds > 1)
                printf("  %s:%d: skipped for %zu of %zu seeds (%s)\n", r->path, e->line, e->nskipped, r->nseeds, why);
            else
                printf("  %s:%d: skipped (%s)\n", r->path, e->line, why);
        }
    }
}

/* The whole report as one JSON document on stdout (--json): per scenario its verdict, the
 * seeds, a load error or breach, and per expectation its line, text, first failure, the
 * number of failing and skipped seeds and the first failing seeds. */
static void print_json(const result *rs, int nfiles, int has_seed, uint64_t first, uint64_t last, int passed,
                       int failed)
{
    printf("{\"seeds\": ");
    if (has_seed)
        printf("{\"first\": %llu, \"last\": %llu}", (unsigned long long)first, (unsigned long long)last);
    else
        printf("null");
    printf(", \"passed\": %d, \"failed\": %d, \"scenarios\": [", passed, failed);
    for (int f = 0; f < nfiles; f++) {
        const result *r = &rs[f];
        printf("%s\n  {\"path\": ", f ? "," : "");
        cli_json_string(stdout, r->path);
        printf(", \"verdict\": \"%s\"", !r->loaded ? "error" : r->failed || r->breach ? "fail" : "pass");
        if (!r->loaded) {
            printf(", \"load_error\": ");
            cli_json_string(stdout, r->load_error);
            printf("}");
            continue;
        }
        printf(", \"seeds_run\": %zu, \"breach\": ", r->nseeds);
        if (r->breach)
            cli_json_string(stdout, r->breach);
        else
            printf("null");
        printf(", \"expectations\": [");
        for (size_t k = 0; k < r->n; k++) {
            const expect_result *e = &r->ex[k];
            printf("%s\n    {\"line\": %d, \"text\": ", k ? "," : "", e->line);
            cli_json_string(stdout, e->text ? e->text : "");
            printf(", \"failed_seeds\": %zu, \"skipped_seeds\": %zu, \"first_failing_seeds\": [", e->nfailed,
                   e->nskipped);
            for (size_t j = 0; j < e->nfailed && j < SEEDS_LISTED; j++)
                printf("%s%llu", j ? ", " : "", (unsigned long long)e->seeds[j]);
            printf("], \"failure\": ");
            if (e->nfailed)
                cli_json_string(stdout, e->failure ? e->failure : "failed (out of memory for the message)");
            else
                printf("null");
            printf(", \"skipped\": ");
            if (e->nskipped)
                cli_json_string(stdout, e->skipped ? e->skipped : "not judged");
            else
                printf("null");
            printf("}");
        }
        printf("]}");
    }
    printf("\n]}\n");
}

/* Writes the JUnit file: the totals, then the test suites gathered in body. 0, or -1 with
 * the error printed. */
static int write_junit(const char *path, const reporters *o, const char *body, size_t len)
{
    char *copy = strdup(path), *slash = copy ? strrchr(copy, '/') : NULL;
    const char *dir = ".", *name = path;
    if (slash) {
        *slash = '\0';
        dir = copy[0] ? copy : "/";
        name = slash + 1;
    }
    rep_out *out = copy ? rep_out_file(dir, name) : NULL;
    if (!out) {
        free(copy);
        fprintf(stderr, "cspsim: cannot write %s: out of memory\n", path);
        return -1;
    }
    rep_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    rep_printf(out, "<testsuites name=\"cspsim\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\">\n",
               o->tests, o->failures, o->errors, o->skipped);
    rep_write(out, body, len);
    rep_puts(out, "</testsuites>\n");
    int rc = rep_out_commit(out);
    if (rc)
        fprintf(stderr, "cspsim: cannot write %s: %s\n", path, rep_out_error(out));
    rep_out_free(out);
    free(copy);
    return rc;
}

static int test_with(int argc, char **argv, cli_override_list *sets);

int cli_cmd_test(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(cli_usage_test, stdout);
        return 0;
    }
    cli_override_list sets = {0};
    int rc = test_with(argc, argv, &sets);
    cli_override_list_free(&sets);
    return rc;
}

/* `test` with its --set options collected into sets (the caller frees them). */
static int test_with(int argc, char **argv, cli_override_list *sets)
{
    const char *junit = NULL;
    int tap = 0, json = 0, has_seed = 0, nfiles = 0;
    uint64_t first = 0, last = 0;
    const char **files = calloc((size_t)argc + 1, sizeof *files);
    if (!files)
        return 2;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--seed") == 0) {
            const char *v = cli_option_value(argc, argv, &i);
            if (!v || cli_parse_seed(v, &first)) {
                free(files);
                return cli_usage_error(stderr, "test", "--seed needs a whole number from 0 to 2^63-1");
            }
            last = first;
            has_seed = 1;
        } else if (strcmp(a, "--seeds") == 0) {
            const char *v = cli_option_value(argc, argv, &i);
            if (!v || cli_parse_seed_range(v, MAX_SEEDS, &first, &last)) {
                free(files);
                return cli_usage_error(stderr, "test",
                                       "--seeds needs a range A-B of whole numbers, A <= B, at most %d seeds", MAX_SEEDS);
            }
            has_seed = 1;
        } else if (strcmp(a, "--junit") == 0) {
            if (!(junit = cli_option_value(argc, argv, &i))) {
                free(files);
                return cli_usage_error(stderr, "test", "--junit needs a file");
            }
        } else if (strcmp(a, "--tap") == 0) {
            tap = 1;
        } else if (strcmp(a, "--json") == 0) {
            json = 1;
        } else if (strcmp(a, "--set") == 0) {
            const char *v = cli_option_value(argc, argv, &i);
            char err[2048];
            if (!v || cli_override_list_add(sets, v, err, sizeof err)) {
                free(files);
                return v ? cli_usage_error(stderr, "test", "%s", err) : cli_usage_error(stderr, "test", "--set needs KEY=VALUE");
            }
        } else if (a[0] == '-' && a[1]) {
            free(files);
            return cli_usage_error(stderr, "test", "unknown option '%s'", a);
        } else {
            files[nfiles++] = a;
        }
    }
    if (nfiles == 0) {
        free(files);
        return cli_usage_error(stderr, "test", "test needs at least one scenario file");
    }
    if (tap && json) {
        free(files);
        return cli_usage_error(stderr, "test", "--tap and --json are two formats of one report: choose one");
    }
    result *rs = calloc((size_t)nfiles, sizeof *rs);
    char *body = NULL;
    size_t body_len = 0;
    reporters o = {.tap = tap, .sets = sets};
    if (!rs || (junit && !(o.junit = open_memstream(&body, &body_len)))) {
        fprintf(stderr, "cspsim: out of memory\n");
        free(rs);
        free(files);
        return 2;
    }
    if (tap)
        printf("TAP version 13\n");
    int passed = 0, failed = 0, broken = 0, breaches = 0;
    for (int f = 0; f < nfiles; f++) {
        result *r = &rs[f];
        r->path = files[f];
        for (uint64_t seed = first;; seed++) {
            if (run_once(r, &o, has_seed, seed) < 0 || r->breach)
                break;
            if (!has_seed || seed == last)
                break;
        }
        if (!tap && !json)
            print_result(r, has_seed, first, last);
        if (!r->loaded)
            broken++;
        else if (r->failed || r->breach)
            failed++;
        else
            passed++;
        breaches += r->loaded && r->breach != NULL;
    }
    if (tap)
        printf("1..%zu\n", o.tap_k);
    int junit_failed = 0;
    if (o.junit) {
        junit_failed = fclose(o.junit) != 0;
        if (junit_failed)
            fprintf(stderr, "cspsim: cannot write %s: out of memory\n", junit);
        else
            junit_failed = write_junit(junit, &o, body, body_len) != 0;
    }
    if (json)
        print_json(rs, nfiles, has_seed, first, last, passed, failed + broken);
    else
        printf("%s%d passed, %d failed\n", tap ? "# " : "", passed, failed + broken);
    for (int f = 0; f < nfiles; f++)
        result_free(&rs[f]);
    free(body);
    free(rs);
    free(files);
    return broken ? 2 : breaches ? CLI_EXIT_INVARIANT : junit_failed ? CLI_EXIT_IOERR : failed ? 1 : 0;
}
