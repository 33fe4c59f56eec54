/* cli/testcmd.c - `cspsim test`: scenarios x seeds x expectations, reported as text, TAP or
 * JUnit XML. Invariants are always checked while testing. */
#include "testcmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/diag.h"
#include "cli/expect.h"
#include "cli/scenario.h"
#include "cli/simulate.h"
#include "reports/out.h"
#include "reports/trace.h"

const char cli_usage_test[] =
    "usage: cspsim test SCENARIO.yaml... [--seed N | --seeds A-B] [--junit FILE] [--tap]\n"
    "\n"
    "Runs each scenario and checks its expect block: the state of a subscription at an\n"
    "instant, counts of trace records, summary metrics and the trace fingerprint. Prints one\n"
    "line per scenario (PASS or FAIL, and each failed expectation with its line), then\n"
    "'N passed, N failed'. Writes no trace. Invariants are checked after every event.\n"
    "\n"
    "  --seed N       run under seed N instead of the scenario's\n"
    "  --seeds A-B    run under every seed from A to B; an expectation must hold for all,\n"
    "                 a failure names the seed (replay it with cspsim run --seed)\n"
    "  --junit FILE   also write JUnit XML: one test suite per scenario, one test case per\n"
    "                 expectation, failures with the expectation's line and what was seen\n"
    "  --tap          print TAP (version 13) instead of the text report\n"
    "\n"
    "exit status: 0 all held, 1 an expectation failed, 2 a scenario could not be loaded,\n"
    "             70 an invariant broke (a simulator bug: the message names seed and event).\n";

#define MAX_SEEDS 100000

typedef struct {
    const char *path;
    int loaded;      /* 0: could not be loaded (message in load_error) */
    char load_error[600];
    size_t n;        /* expectations */
    int *line;
    char **text;     /* the expectation's source line */
    char **failure;  /* first failure over the seeds, "seed S: message" */
    char *breach;    /* an invariant breach, if any */
    size_t failed;
} result;

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

/* Runs one scenario under one seed; fills r (first failures kept). -1 when it did not load. */
static int run_once(result *r, int has_seed, uint64_t seed)
{
    cli_diag d;
    cli_scenario *s = cli_scenario_load(r->path, has_seed, seed, &d);
    if (!s) {
        if (d.line > 0)
            snprintf(r->load_error, sizeof r->load_error, "%s:%d:%d: error: %s", d.file, d.line, d.col, d.message);
        else
            snprintf(r->load_error, sizeof r->load_error, "%s: error: %s", d.file, d.message);
        cli_diag_print(stderr, &d);
        return -1;
    }
    if (!r->loaded) {
        r->loaded = 1;
        r->n = s->nexpects;
        r->line = calloc(r->n + 1, sizeof *r->line);
        r->text = calloc(r->n + 1, sizeof *r->text);
        r->failure = calloc(r->n + 1, sizeof *r->failure);
        for (size_t i = 0; i < r->n && r->text; i++) {
            r->line[i] = s->expects[i].line;
            r->text[i] = cli_source_line(s->text, s->expects[i].line, 160);
        }
    }
    cli_checker *chk = cli_checker_new(s);
    rep_out *hash = cli_scenario_wants_fingerprint(s) ? rep_out_null() : NULL;
    rep_trace *tr = hash ? rep_trace_new(s->world, hash, NULL) : NULL;
    int rc = 0;
    if (!chk || !r->line || !r->text || !r->failure || (hash && !tr)) {
        snprintf(r->load_error, sizeof r->load_error, "%s: error: out of memory", r->path);
        r->loaded = 0;
        rc = -1;
        goto done;
    }
    model_check_invariants(s->world, 1);
    chain ch = {tr, chk};
    model_set_sink(s->world, (model_sink){chain_emit, &ch});
    int sim = cli_simulate(s, chk, NULL, NULL);
    if (sim == -1) {
        snprintf(r->load_error, sizeof r->load_error, "%s: error: out of memory during the run", r->path);
        r->loaded = 0;
        rc = -1;
        goto done;
    }
    if (sim == -2) {
        if (!r->breach) {
            char *buf = NULL;
            size_t len = 0;
            FILE *m = open_memstream(&buf, &len);
            if (m) {
                cli_breach_print(m, s);
                fclose(m);
            }
            r->breach = buf;
        }
        goto done;
    }
    if (hash)
        cli_checker_set_fingerprint(chk, rep_out_hash(hash));
    cli_checker_finish(chk);
    for (size_t i = 0; i < r->n; i++) {
        const char *f = cli_checker_failure(chk, i);
        if (f && !r->failure[i]) {
            size_t need = strlen(f) + 48;
            r->failure[i] = malloc(need);
            if (r->failure[i]) {
                if (has_seed)
                    snprintf(r->failure[i], need, "seed %llu: %s", (unsigned long long)s->seed, f);
                else
                    snprintf(r->failure[i], need, "%s", f);
            }
            r->failed++;
        }
    }
done:
    rep_trace_free(tr);
    rep_out_free(hash);
    cli_checker_free(chk);
    cli_scenario_free(s);
    return rc;
}

static void result_free(result *r)
{
    for (size_t i = 0; i < r->n; i++) {
        if (r->text)
            free(r->text[i]);
        if (r->failure)
            free(r->failure[i]);
    }
    free(r->line);
    free(r->text);
    free(r->failure);
    free(r->breach);
}

static void xml_text(rep_out *o, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': rep_puts(o, "&lt;"); break;
        case '>': rep_puts(o, "&gt;"); break;
        case '&': rep_puts(o, "&amp;"); break;
        case '"': rep_puts(o, "&quot;"); break;
        case '\n': rep_puts(o, "&#10;"); break;
        default:
            if ((unsigned char)*s < 0x20 && *s != '\t')
                rep_puts(o, "?");
            else
                rep_write(o, s, 1);
        }
    }
}

static int write_junit(const char *path, result *rs, size_t n)
{
    char *copy = strdup(path), *slash = copy ? strrchr(copy, '/') : NULL;
    const char *dir = ".", *name = path;
    if (slash) {
        *slash = '\0';
        dir = copy[0] ? copy : "/";
        name = slash + 1;
    }
    rep_out *o = copy ? rep_out_file(dir, name) : NULL;
    if (!o) {
        free(copy);
        fprintf(stderr, "cspsim: cannot write %s: out of memory\n", path);
        return -1;
    }
    size_t tests = 0, failures = 0, errors = 0;
    for (size_t i = 0; i < n; i++) {
        tests += rs[i].loaded ? rs[i].n : 1;
        failures += rs[i].failed;
        errors += !rs[i].loaded || rs[i].breach;
    }
    rep_puts(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    rep_printf(o, "<testsuites name=\"cspsim\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\">\n", tests, failures, errors);
    for (size_t i = 0; i < n; i++) {
        result *r = &rs[i];
        rep_puts(o, "  <testsuite name=\"");
        xml_text(o, r->path);
        rep_printf(o, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%d\">\n", r->loaded ? r->n : 1, r->failed,
                   !r->loaded || r->breach);
        if (!r->loaded || r->breach) {
            rep_puts(o, "    <testcase classname=\"");
            xml_text(o, r->path);
            rep_puts(o, r->loaded ? "\" name=\"invariants\">\n      <error message=\"" : "\" name=\"load\">\n      <error message=\"");
            xml_text(o, r->loaded ? r->breach : r->load_error);
            rep_puts(o, "\"/>\n    </testcase>\n");
        }
        for (size_t k = 0; r->loaded && k < r->n; k++) {
            rep_puts(o, "    <testcase classname=\"");
            xml_text(o, r->path);
            rep_printf(o, "\" name=\"line %d: ", r->line[k]);
            xml_text(o, r->text[k] ? r->text[k] : "");
            if (!r->failure[k]) {
                rep_puts(o, "\"/>\n");
                continue;
            }
            rep_puts(o, "\">\n      <failure message=\"");
            xml_text(o, r->failure[k]);
            rep_puts(o, "\">");
            xml_text(o, r->path);
            rep_printf(o, ":%d: ", r->line[k]);
            xml_text(o, r->failure[k]);
            rep_puts(o, "</failure>\n    </testcase>\n");
        }
        rep_puts(o, "  </testsuite>\n");
    }
    rep_puts(o, "</testsuites>\n");
    int rc = rep_out_commit(o);
    if (rc)
        fprintf(stderr, "cspsim: cannot write %s: %s\n", path, rep_out_error(o));
    rep_out_free(o);
    free(copy);
    return rc;
}

static void print_tap(result *rs, size_t n)
{
    size_t k = 0;
    printf("TAP version 13\n");
    for (size_t i = 0; i < n; i++) {
        result *r = &rs[i];
        if (!r->loaded) {
            printf("not ok %zu - %s (not loaded)\n  # %s\n", ++k, r->path, r->load_error);
            continue;
        }
        if (r->breach)
            printf("not ok %zu - %s invariants\n  # %s", ++k, r->path, r->breach);
        for (size_t e = 0; e < r->n; e++) {
            printf("%s %zu - %s:%d %s\n", r->failure[e] ? "not ok" : "ok", ++k, r->path, r->line[e],
                   r->text[e] ? r->text[e] : "");
            if (r->failure[e])
                printf("  # %s\n", r->failure[e]);
        }
    }
    printf("1..%zu\n", k);
}

int cli_cmd_test(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(cli_usage_test, stdout);
        return 0;
    }
    const char *junit = NULL;
    int tap = 0, has_seed = 0, nfiles = 0;
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
    result *rs = calloc((size_t)nfiles, sizeof *rs);
    if (!rs) {
        free(files);
        return 2;
    }
    int passed = 0, failed = 0, broken = 0, breaches = 0;
    for (int f = 0; f < nfiles; f++) {
        result *r = &rs[f];
        r->path = files[f];
        for (uint64_t seed = first;; seed++) {
            if (run_once(r, has_seed, seed) < 0 || r->breach)
                break;
            if (!has_seed || seed == last)
                break;
        }
        if (!r->loaded) {
            broken++;
            if (!tap)
                printf("ERROR %s (not loaded)\n", r->path);
            continue;
        }
        breaches += r->breach != NULL;
        if (r->failed || r->breach) {
            failed++;
            if (!tap) {
                printf("FAIL  %s (%zu of %zu expectations failed%s)\n", r->path, r->failed, r->n,
                       r->breach ? ", invariant broken" : "");
                if (r->breach)
                    printf("  %s", r->breach);
                for (size_t k = 0; k < r->n; k++)
                    if (r->failure[k])
                        printf("  %s:%d: %s\n", r->path, r->line[k], r->failure[k]);
            }
        } else {
            passed++;
            if (!tap) {
                if (has_seed && last > first)
                    printf("PASS  %s (%zu expectations x seeds %llu-%llu)\n", r->path, r->n,
                           (unsigned long long)first, (unsigned long long)last);
                else
                    printf("PASS  %s (%zu expectations)\n", r->path, r->n);
            }
        }
    }
    if (tap)
        print_tap(rs, (size_t)nfiles);
    int junit_failed = junit && write_junit(junit, rs, (size_t)nfiles);
    printf("%s%d passed, %d failed\n", tap ? "# " : "", passed, failed + broken);
    for (int f = 0; f < nfiles; f++)
        result_free(&rs[f]);
    free(rs);
    free(files);
    return broken || junit_failed ? 2 : breaches ? CLI_EXIT_INVARIANT : failed ? 1 : 0;
}
