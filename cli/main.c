/* cli/main.c - the cspsim command: run, check and test scenarios.
 *
 * Exit codes: 0 success; 1 a test failed or an output could not be written; 2 a scenario
 * could not be loaded or the command line is wrong. Errors go to stderr; results to stdout.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/diag.h"
#include "cli/expect.h"
#include "cli/explain.h"
#include "cli/scenario.h"
#include "cli/simulate.h"
#include "cli/step.h"
#include "cli/rulescmd.h"
#include "cli/testcmd.h"
#include "cli/tracecmd.h"
#include "cli/gnuplot.h"
#include "reports/charts.h"
#include "reports/html.h"
#include "reports/out.h"
#include "reports/summary.h"
#include "reports/timeline.h"
#include "reports/trace.h"

#define CSPSIM_VERSION "0.1.0"

static const char usage_main[] =
    "usage: cspsim COMMAND [OPTIONS] SCENARIO.yaml...\n"
    "\n"
    "Simulates Microsoft CSP new-commerce subscriptions event by event from YAML scenarios.\n"
    "\n"
    "commands:\n"
    "  run SCENARIO.yaml [-o DIR] [--seed N]   simulate; write trace, timeline and summary\n"
    "  check SCENARIO.yaml...                  validate scenario files, run nothing\n"
    "  test SCENARIO.yaml... [--seeds A-B]     run each scenario and check its expect block\n"
    "  rules [--coverage SCENARIO.yaml...]     the rule catalog; rules no scenario exercises\n"
    "  explain RULE-ID [SCENARIO.yaml]         a rule, its parameters (and overrides), source\n"
    "  diff A B [--ignore F] [--kinds K,..]    compare two traces, show the first difference\n"
    "  trace FILE [--tenant T] [--kind K]...   print matching trace records as a timeline\n"
    "\n"
    "options:\n"
    "  -h, --help       help (also: cspsim COMMAND --help)\n"
    "  --version        print the version\n"
    "\n"
    "exit status: 0 success, 1 a test failed or output could not be written,\n"
    "             2 a scenario could not be loaded or the command line is wrong.\n"
    "docs: README.md, docs/scenario-format.md, docs/rules.md, docs/cli.md\n";

static const char usage_run[] =
    "usage: cspsim run SCENARIO.yaml [-o DIR] [--seed N] [--golden FILE] [--check-invariants] [--quiet]\n"
    "\n"
    "Simulates the scenario from its start to its end and writes, into DIR (default\n"
    "out/NAME/, NAME being the scenario's name):\n"
    "  trace.jsonl    one JSON record per happening, in simulation order\n"
    "  trace.csv      the same records as CSV (columns seq,time,kind,action,outcome,\n"
    "                 reason,rule,tenant,partner,subscription,from_state,to_state,\n"
    "                 licenses,amount,detail)\n"
    "  timeline.txt   a readable story per tenant, with the rule behind each line\n"
    "  summary.json   data loss, interruption days, billed, refunded, rejections\n"
    "  charts/        lifecycle, tenant-count, billing, states: .dat + .gp, .png + .svg\n"
    "  report.html    one self-contained page: figures, charts, expectations, timeline\n"
    "Each file is written under a temporary name and renamed when complete, so a failed\n"
    "run leaves no half-written file. The same scenario and seed give byte-identical files.\n"
    "The run prints its fingerprint: FNV-1a 64 of trace.jsonl's bytes, 16 hex digits, also\n"
    "in summary.json; pin it in a scenario with `expect: [{fingerprint: \"...\"}]`.\n"
    "\n"
    "  -o DIR      output directory (created when missing)\n"
    "  --seed N    override the scenario's seed (0 .. 2^63-1)\n"
    "  --golden FILE   compare the trace with a stored one (trace.jsonl or a run directory);\n"
    "              on a difference print the first divergent record and exit 1\n"
    "  --no-charts        do not write charts (DIR/charts/: NAME.dat and NAME.gp, rendered\n"
    "                     by gnuplot to NAME.png and NAME.svg: lifecycle, tenant-count,\n"
    "                     billing, states)\n"
    "  --step             print the timeline one record at a time, waiting for Enter on a\n"
    "                     terminal (q and Enter plays the rest); without a terminal it prints\n"
    "  --chart-rows N     subscriptions in the lifecycle chart (default 60, most records first)\n"
    "  --chart-tenant T, --chart-subscription S   the lifecycle chart shows these only\n"
    "  --check-invariants   check after every event that time never goes back, transitions\n"
    "              are legal, licenses never negative, tenants within their limit, and at\n"
    "              the end that money is conserved; a breach stops the run (exit 70)\n"
    "  --quiet     print nothing on success\n"
    "\n"
    "A progress bar is drawn on stderr when it is a terminal.\n"
    "exit status: 0 written, 1 an output could not be written or differs from --golden,\n"
    "             2 bad scenario (nothing written), 70 an invariant broke (nothing written).\n";

static const char usage_check[] =
    "usage: cspsim check SCENARIO.yaml...\n"
    "\n"
    "Loads each scenario and reports every file's first error as\n"
    "FILE:LINE:COLUMN: error: MESSAGE, followed by the line and a caret. Runs nothing.\n"
    "exit status: 0 all valid, 2 any invalid.\n";

static int wants_help(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return 1;
    return 0;
}

static int parse_seed(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    if (!*s || *s == '-')
        return -1;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || errno || v > INT64_MAX)
        return -1;
    *out = v;
    return 0;
}

static int bad_usage(const char *usage, const char *fmt, const char *arg)
{
    fprintf(stderr, "cspsim: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n%s", usage);
    return 2;
}

static cli_scenario *load(const char *path, int has_seed, uint64_t seed)
{
    cli_diag d;
    cli_scenario *s = cli_scenario_load(path, has_seed, seed, &d);
    if (!s)
        cli_diag_print(stderr, &d);
    return s;
}

/* ---- fan-out sink ---------------------------------------------------------------------- */

typedef struct {
    rep_trace *trace;
    rep_timeline *timeline;
    rep_summary *summary;
    cli_checker *checker;
    rep_charts *charts;
    cli_stepper *step;
    rep_html *html;
} fanout;

static void fan_emit(void *ctx, const model_record *r)
{
    fanout *f = ctx;
    if (f->trace)
        rep_trace_record(f->trace, r);
    if (f->timeline)
        rep_timeline_record(f->timeline, r);
    if (f->summary)
        rep_summary_record(f->summary, r);
    if (f->checker)
        cli_checker_record(f->checker, r);
    if (f->charts)
        rep_charts_record(f->charts, r);
    if (f->step)
        cli_stepper_record(f->step, r);
    if (f->html)
        rep_html_record(f->html, r);
}

static void draw_progress(void *ctx, double fraction)
{
    (void)ctx;
    int width = 40, done = (int)(fraction * width + 0.5);
    fprintf(stderr, "\r[%.*s%*s] %3d%%", done, "========================================", width - done, "",
            (int)(fraction * 100 + 0.5));
    if (fraction >= 1.0)
        fputs("\r\033[K", stderr);
    fflush(stderr);
}

static void safe_name(const char *name, char *buf, size_t size)
{
    size_t n = 0;
    for (const char *p = name; *p && n + 1 < size; p++) {
        char c = *p;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                 c == '_' || c == '-';
        buf[n++] = ok ? c : '-';
    }
    buf[n] = '\0';
    if (n == 0 || strcmp(buf, ".") == 0 || strcmp(buf, "..") == 0)
        snprintf(buf, size, "scenario");
}

/* DIR/report.html: figures, charts (the SVGs gnuplot made), expectations judged on this
 * run, and the per-tenant timeline. 0, or -1 with a message. */
static int write_report(cli_scenario *s, fanout *f, const char *dir, int charts, uint64_t fingerprint)
{
    char fp[REP_FINGERPRINT_BUF], paths[REP_CHARTS_COUNT][4300];
    const char *svg[REP_CHARTS_COUNT], *titles[REP_CHARTS_COUNT];
    static const char *const chart_titles[REP_CHARTS_COUNT] = {
        "Subscription lifecycles", "Live subscriptions per tenant", "Billed and refunded per partner",
        "States of all subscriptions"};
    size_t nsvg = 0;
    for (size_t i = 0; charts && i < REP_CHARTS_COUNT; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/charts/%s.svg", dir, rep_chart_names[i]);
        svg[nsvg] = paths[i];
        titles[nsvg++] = chart_titles[i];
    }
    size_t failed = cli_checker_finish(f->checker);
    (void)failed;
    rep_html_expect *ex = calloc(s->nexpects + 1, sizeof *ex);
    char **texts = calloc(s->nexpects + 1, sizeof *texts);
    rep_out *out = rep_out_file(dir, "report.html");
    int rc = -1;
    if (!ex || !texts || !out) {
        fprintf(stderr, "cspsim: out of memory\n");
        goto done;
    }
    for (size_t i = 0; i < s->nexpects; i++) {
        texts[i] = cli_source_line(s->text, s->expects[i].line, 200);
        ex[i].line = s->expects[i].line;
        ex[i].text = texts[i];
        ex[i].failure = cli_checker_failure(f->checker, i);
    }
    rep_html_meta m = {s->name, s->description, s->seed, rep_fingerprint(fingerprint, fp), ex, s->nexpects, 1,
                       svg, titles, nsvg};
    if (rep_html_write(f->html, out, &m) || rep_out_commit(out)) {
        fprintf(stderr, "cspsim: cannot write %s/report.html: %s\n", dir, rep_out_error(out));
        goto done;
    }
    rc = 0;
done:
    for (size_t i = 0; texts && i < s->nexpects; i++)
        free(texts[i]);
    free(texts);
    free(ex);
    rep_out_free(out);
    return rc;
}

static int cmd_run(int argc, char **argv)
{
    if (wants_help(argc, argv)) {
        fputs(usage_run, stdout);
        return 0;
    }
    const char *path = NULL, *dir = NULL, *golden = NULL;
    int has_seed = 0, quiet = 0, invariants = 0, charts = 1, step = 0;
    uint64_t seed = 0;
    rep_chart_opts copts = {0};
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--check-invariants") == 0) {
            invariants = 1;
        } else if (strcmp(argv[i], "--step") == 0) {
            step = 1;
        } else if (strcmp(argv[i], "--no-charts") == 0) {
            charts = 0;
        } else if (strcmp(argv[i], "--chart-rows") == 0) {
            char *end;
            long n = ++i < argc ? strtol(argv[i], &end, 10) : 0;
            if (i >= argc || *end || n < 1 || n > 1000)
                return bad_usage(usage_run, "--chart-rows needs a number from 1 to 1000%s", "");
            copts.max_rows = (size_t)n;
        } else if (strcmp(argv[i], "--chart-tenant") == 0 || strcmp(argv[i], "--chart-subscription") == 0) {
            if (i + 1 >= argc)
                return bad_usage(usage_run, "%s needs an id", argv[i]);
            if (argv[i][8] == 't')
                copts.tenant = argv[++i];
            else
                copts.subscription = argv[++i];
        } else if (strcmp(argv[i], "--golden") == 0) {
            if (++i >= argc)
                return bad_usage(usage_run, "--golden needs a trace file or run directory%s", "");
            golden = argv[i];
        } else if (strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) {
            if (++i >= argc)
                return bad_usage(usage_run, "%s needs a directory", argv[i - 1]);
            dir = argv[i];
        } else if (strcmp(argv[i], "--seed") == 0) {
            if (++i >= argc || parse_seed(argv[i], &seed))
                return bad_usage(usage_run, "--seed needs a whole number from 0 to 2^63-1%s", "");
            has_seed = 1;
        } else if (strcmp(argv[i], "--quiet") == 0 || strcmp(argv[i], "-q") == 0) {
            quiet = 1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return bad_usage(usage_run, "unknown option '%s'", argv[i]);
        } else if (path) {
            return bad_usage(usage_run, "run takes one scenario; '%s' is one too many", argv[i]);
        } else {
            path = argv[i];
        }
    }
    if (!path)
        return bad_usage(usage_run, "run needs a scenario file%s", "");
    cli_scenario *s = load(path, has_seed, seed);
    if (!s)
        return 2;
    char dirbuf[4096];
    if (!dir) {
        char name[128];
        safe_name(s->name, name, sizeof name);
        snprintf(dirbuf, sizeof dirbuf, "out/%s", name);
        dir = dirbuf;
    }
    int rc = 1;
    static const char *const names[] = {"trace.jsonl", "trace.csv", "timeline.txt", "summary.json"};
    rep_out *outs[4] = {NULL};
    fanout f = {0};
    if (rep_mkdirs(dir)) {
        fprintf(stderr, "cspsim: cannot create %s: %s\n", dir, strerror(errno));
        goto done;
    }
    for (int i = 0; i < 4; i++) {
        if (!(outs[i] = rep_out_file(dir, names[i]))) {
            fprintf(stderr, "cspsim: cannot write %s/%s: %s\n", dir, names[i], strerror(errno));
            goto done;
        }
    }
    f.trace = rep_trace_new(s->world, outs[0], outs[1]);
    f.timeline = rep_timeline_new(s->world);
    f.summary = rep_summary_new(s->world);
    f.charts = charts ? rep_charts_new(s->world, &copts) : NULL;
    /* classroom playback: one line per record, waiting for Enter on a terminal */
    f.step = step ? cli_stepper_new(s->world, stdout, stdin, isatty(0) && isatty(1)) : NULL;
    f.html = rep_html_new(s->world);
    f.checker = cli_checker_new(s);
    if (!f.trace || !f.timeline || !f.summary || (charts && !f.charts) || (step && !f.step) || !f.html ||
        !f.checker) {
        fprintf(stderr, "cspsim: out of memory\n");
        goto done;
    }
    model_set_sink(s->world, (model_sink){fan_emit, &f});
    if (invariants)
        model_check_invariants(s->world, 1);
    int sim = cli_simulate(s, f.checker, isatty(2) && !quiet && !step ? draw_progress : NULL, NULL);
    if (sim == -2) {
        if (isatty(2) && !quiet)
            fputs("\r\033[K", stderr);
        cli_breach_print(stderr, s);
        rc = CLI_EXIT_INVARIANT;
        goto done;
    }
    if (sim) {
        fprintf(stderr, "cspsim: out of memory during the run\n");
        goto done;
    }
    uint64_t fingerprint = rep_out_hash(outs[0]);
    rep_summary_set_fingerprint(f.summary, fingerprint);
    rep_timeline_write(f.timeline, outs[2], s->name, s->description);
    rep_summary_write(f.summary, outs[3], s->name, s->seed);
    for (int i = 0; i < 4; i++) {
        if (rep_out_failed(outs[i])) {
            fprintf(stderr, "cspsim: cannot write %s/%s: %s\n", dir, names[i], rep_out_error(outs[i]));
            goto done;
        }
    }
    for (int i = 0; i < 4; i++) {
        if (rep_out_commit(outs[i])) {
            fprintf(stderr, "cspsim: cannot write %s/%s: %s\n", dir, names[i], rep_out_error(outs[i]));
            goto done;
        }
    }
    if (charts) {
        /* the chart data and scripts are kept for editing; the images are gnuplot's */
        char cdir[4200];
        snprintf(cdir, sizeof cdir, "%s/charts", dir);
        if (rep_mkdirs(cdir) ||
            rep_charts_write(f.charts, cdir, s->name, s->start, s->end,
                             model_world_params(s->world)->tenant_subscription_limit)) {
            fprintf(stderr, "cspsim: cannot write the charts in %s\n", cdir);
            goto done;
        }
        if (cli_gnuplot_render(cdir, rep_chart_scripts, REP_CHARTS_COUNT, stderr) < 0)
            goto done;
    }
    if (write_report(s, &f, dir, charts, fingerprint))
        goto done;
    if (!quiet) {
        model_metrics m;
        model_metrics_total(s->world, &m);
        char fp[REP_FINGERPRINT_BUF];
        printf("%s: %llu events, %llu records, data loss %lld licenses, %lld rejections; wrote %s/\n", s->name,
               (unsigned long long)model_events_processed(s->world),
               (unsigned long long)model_records_emitted(s->world), (long long)m.data_loss_licenses,
               (long long)m.rejections, dir);
        printf("fingerprint %s (seed %llu)\n", rep_fingerprint(fingerprint, fp), (unsigned long long)s->seed);
    }
    rc = 0;
    if (golden) {
        /* 0 same, 1 different (first divergence printed), 2 unreadable */
        int d = cli_golden_compare(golden, dir, stdout); /* prints the verdict, even with --quiet */
        rc = d == 0 ? 0 : d == 1 ? 1 : 2;
    }
done:
    for (int i = 0; i < 4; i++)
        rep_out_free(outs[i]); /* uncommitted temporaries are removed */
    rep_trace_free(f.trace);
    rep_timeline_free(f.timeline);
    rep_summary_free(f.summary);
    rep_charts_free(f.charts);
    cli_stepper_free(f.step);
    rep_html_free(f.html);
    cli_checker_free(f.checker);
    cli_scenario_free(s);
    return rc;
}

static int cmd_check(int argc, char **argv)
{
    if (wants_help(argc, argv)) {
        fputs(usage_check, stdout);
        return 0;
    }
    if (argc == 0)
        return bad_usage(usage_check, "check needs at least one scenario file%s", "");
    int rc = 0;
    for (int i = 0; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1])
            return bad_usage(usage_check, "unknown option '%s'", argv[i]);
    }
    for (int i = 0; i < argc; i++) {
        cli_scenario *s = load(argv[i], 0, 0);
        if (!s)
            rc = 2;
        cli_scenario_free(s);
    }
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_main, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        if (argc > 2 && strcmp(argv[2], "run") == 0)
            fputs(usage_run, stdout);
        else if (argc > 2 && strcmp(argv[2], "explain") == 0) {
            char *args[] = {(char *)"--help"};
            return cli_cmd_explain(1, args);
        } else if (argc > 2 && strcmp(argv[2], "check") == 0)
            fputs(usage_check, stdout);
        else if (argc > 2 && strcmp(argv[2], "test") == 0) {
            char *args[] = {(char *)"--help"};
            return cli_cmd_test(1, args);
        }
        else
            fputs(usage_main, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("cspsim %s (scenario format 1)\n", CSPSIM_VERSION);
        return 0;
    }
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc - 2, argv + 2);
    if (strcmp(cmd, "check") == 0)
        return cmd_check(argc - 2, argv + 2);
    if (strcmp(cmd, "test") == 0)
        return cli_cmd_test(argc - 2, argv + 2);
    if (strcmp(cmd, "rules") == 0)
        return cli_cmd_rules(argc - 2, argv + 2);
    if (strcmp(cmd, "explain") == 0)
        return cli_cmd_explain(argc - 2, argv + 2);
    if (strcmp(cmd, "diff") == 0)
        return cli_cmd_diff(argc - 2, argv + 2);
    if (strcmp(cmd, "trace") == 0)
        return cli_cmd_trace(argc - 2, argv + 2);
    fprintf(stderr, "cspsim: unknown command '%s'\n%s", cmd, usage_main);
    return 2;
}
