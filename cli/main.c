/* cli/main.c - the cspsim command: one table of commands (name, handler, summary, --help
 * text) that dispatch, `cspsim --help`, `cspsim help COMMAND`, `cspsim COMMAND --help` and
 * `cspsim completion bash|zsh` all read; and the run and check commands.
 *
 * Exit codes: 0 success; 1 differences or failed expectations (or out of memory); 2 a
 * scenario could not be loaded or the command line is wrong (one line naming the problem
 * and the command's --help); 70 an invariant broke; 74 an output could not be written or
 * an input read (EX_IOERR). Errors go to stderr; results to stdout.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/compare.h"
#include "cli/diag.h"
#include "cli/expect.h"
#include "cli/explain.h"
#include "cli/override.h"
#include "cli/scenario.h"
#include "cli/simulate.h"
#include "cli/step.h"
#include "cli/sweepcmd.h"
#include "cli/rulescmd.h"
#include "cli/testcmd.h"
#include "cli/tracecmd.h"
#include "cli/gnuplot.h"
#include "reports/charts.h"
#include "reports/html.h"
#include "reports/out.h"
#include "reports/series.h"
#include "reports/summary.h"
#include "reports/timeline.h"
#include "reports/trace.h"
#include "rundir.h"
#include "cli/limits.h"
#include "model/union.h"
#include "sweep/split.h"
#include "sweep/transport.h"

#define CSPSIM_VERSION "0.1.0"
#ifndef CSPSIM_REVISION /* the Makefile passes `git describe --always --dirty` */
#define CSPSIM_REVISION "unknown"
#endif

static const char usage_run[] =
    "usage: cspsim run SCENARIO.yaml [-o DIR] [--seed N] [--set KEY=VALUE]... [--golden FILE [--update]]\n"
    "                  [--trace all|none|sample:N] [--check-invariants] [--quiet]\n"
    "\n"
    "Simulates the scenario from its start to its end and writes, into DIR (default\n"
    "out/NAME/, NAME being the scenario's name):\n"
    "  trace.jsonl    one JSON record per happening, in simulation order\n"
    "  trace.csv      the same records as CSV (columns seq,time,kind,action,outcome,\n"
    "                 reason,rule,tenant,partner,subscription,from_state,to_state,\n"
    "                 licenses,amount,detail)\n"
    "  timeline.txt   a readable story per tenant, with the rule behind each line\n"
    "  summary.json   data loss, interruption days, billed, refunded, rejections\n"
    "  series.csv     per day: subscriptions per state, live subscriptions per tenant (max,\n"
    "                 p50, p95, p99), cumulative data loss, double-billing days, billed\n"
    "  charts/        lifecycle, tenant-count, billing, states: .dat + .gp, .png + .svg\n"
    "  report.html    one self-contained page: figures, charts, expectations, timeline\n"
    "Every file is written into DIR.tmp-PID beside DIR, checked (gnuplot's exit status, each\n"
    "PNG's signature and size), then swapped in as a whole: DIR holds the complete old set or\n"
    "the complete new one, never a mix, and a failed or interrupted run leaves no temporary\n"
    "directory. The same scenario and seed give byte-identical files.\n"
    "The run prints its fingerprint: FNV-1a 64 of trace.jsonl's bytes, 16 hex digits, also\n"
    "in summary.json; pin it in a scenario with `expect: [{fingerprint: \"...\"}]`.\n"
    "\n"
    "  -o DIR      output directory (created when missing)\n"
    "  --seed N    override the scenario's seed (0 .. 2^63-1)\n"
    "  --set KEY=VALUE   change one value of the scenario before it loads (repeatable, a\n"
    "              later one wins): rules.NAME or just a rule parameter's NAME, seed, end,\n"
    "              population.GROUP.KEY, behaviours.NAME.KEY, offers|partners|tenants.ID.KEY;\n"
    "              VALUE is YAML (P15D, 0.5, {dist: fixed, value: 5d}); shown in\n"
    "              summary.json (\"overrides\") and report.html\n"
    "  --golden FILE   compare the trace with a stored one (trace.jsonl or a run directory);\n"
    "              on a difference print the differing records (as cspsim diff) and exit 1\n"
    "  --update    with --golden: replace the stored trace with this run's (FILE, or\n"
    "              FILE/trace.jsonl for a directory) instead of comparing\n"
    "  --no-charts        do not write charts (DIR/charts/: NAME.dat and NAME.gp, rendered\n"
    "                     by gnuplot to NAME.png and NAME.svg: lifecycle, tenant-count,\n"
    "                     billing, states)\n"
    "  --step             classroom playback: the description and trainer notes, then one\n"
    "                     record at a time with a state panel; on a terminal keys walk it\n"
    "                     (Enter next, n next notable, j DATE, b back, q quit, ? help);\n"
    "                     otherwise it prints straight through; NO_COLOR turns colour off\n"
    "  --chart-rows N     subscriptions in the lifecycle chart (default 60, most records first)\n"
    "  --chart-timeout SECONDS   kill a gnuplot still running after this long (default 60)\n"
    "  --chart-tenant T, --chart-subscription S   the lifecycle chart shows these only\n"
    "  --check-invariants   check after every event that time never goes back, transitions\n"
    "              are legal, licenses never negative, tenants within their limit, and at\n"
    "              the end that money is conserved; a breach stops the run (exit 70)\n"
    "  --trace all|none|sample:N   how much of the trace to write: every record, none (the\n"
    "              fingerprint is still that of the whole trace), or the records of N tenants\n"
    "              drawn from the seed plus those of no tenant (timeline.txt follows it);\n"
    "              default: all when the estimate (subscriptions x months x 2,000 bytes) is\n"
    "              under 900 MB, else a sample sized to stay under it, said in one line\n"
    "  --quiet     print nothing on success\n"
    "  -j, --jobs N   split the tenants over N threads (tenants are independent): every\n"
    "              output is the same, byte for byte, whatever N (default 1; at most 256)\n"
    "\n"
    "A progress bar is drawn on stderr when it is a terminal.\n"
    "exit status: 0 written, 1 the trace differs from --golden (or memory ran out),\n"
    "             2 bad scenario or command line (nothing written), 70 an invariant broke\n"
    "             (nothing written), 74 an output could not be written (a file, a chart,\n"
    "             standard output) or --golden read; the older run directory stays.\n";

static const char usage_check[] =
    "usage: cspsim check SCENARIO.yaml...\n"
    "\n"
    "Loads each scenario and reports every file's first error as\n"
    "FILE:LINE:COLUMN: error: MESSAGE, followed by the line and a caret. Runs nothing.\n"
    "exit status: 0 all valid, 2 any invalid.\n";

/* The scenario, or NULL with the error printed and *status set: 1 when memory ran out
 * (the loader's "out of memory", which is no fault of the file), else 2. */
static cli_scenario *load(const char *path, int has_seed, uint64_t seed, const cli_override_list *sets,
                          unsigned shard, unsigned nshards, int *status)
{
    cli_diag d;
    /* shard j of nshards (--jobs): its tenants only, cli/override.h */
    cli_load_opts o = {has_seed, seed, sets ? sets->v : NULL, sets ? sets->n : 0, shard, nshards};
    cli_scenario *s = cli_scenario_load_opts(path, &o, &d);
    if (!s) {
        cli_diag_print(stderr, &d);
        *status = strcmp(d.message, "out of memory") == 0 ? 1 : 2;
    }
    return s;
}

/* --jobs N: the shards together may hold no more generated subscriptions than one world
 * (CLI_MAX_POP_SUBSCRIPTIONS; the union numbers them in 32 bits). Each shard checked its
 * own part at load; 1 with the message printed when the whole is past the limit. */
static int split_too_large(cli_scenario *const *shards, unsigned n)
{
    uint64_t total = 0;
    for (unsigned j = 0; j < n; j++)
        total += model_count_subscriptions(shards[j]->world);
    if (total <= CLI_MAX_POP_SUBSCRIPTIONS)
        return 0;
    fprintf(stderr, "%s: error: the population holds %llu subscriptions, more than the limit of %llu\n",
            shards[0]->path, (unsigned long long)total, (unsigned long long)CLI_MAX_POP_SUBSCRIPTIONS);
    return 1;
}

/* Prints why DIR/NAME could not be written; 1 when memory ran out, else CLI_EXIT_IOERR. */
static int out_failed(const char *dir, const char *name, const rep_out *o)
{
    if (rep_out_errno(o) == ENOMEM) {
        fprintf(stderr, "cspsim: out of memory writing %s/%s\n", dir, name);
        return 1;
    }
    fprintf(stderr, "cspsim: cannot write %s/%s: %s\n", dir, name, rep_out_error(o));
    return CLI_EXIT_IOERR;
}

/* ---- fan-out sink ---------------------------------------------------------------------- */

typedef struct {
    rep_trace *trace;    /* the trace files (NULL with --trace none) */
    rep_trace *full;     /* with none or a sample: the whole trace into a hashing sink */
    const uint8_t *keep; /* with a sample: keep[tenant]; NULL: every tenant */
    size_t nkeep;
    rep_series *series;
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
    int kept = !f->keep || r->tenant == MODEL_NONE || (r->tenant < f->nkeep && f->keep[r->tenant]);
    if (f->full)
        rep_trace_record(f->full, r);
    if (f->trace && kept)
        rep_trace_record(f->trace, r);
    if (f->series)
        rep_series_record(f->series, r);
    if (f->timeline && kept)
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
 * run, and the per-tenant timeline. 0, or the exit status with a message printed: 1 out of
 * memory, CLI_EXIT_IOERR the file could not be written. */
static int write_report(cli_scenario *s, fanout *f, const char *dir, int charts, uint64_t fingerprint,
                        const cli_override_list *sets)
{
    char fp[REP_FINGERPRINT_BUF], paths[REP_CHARTS_COUNT][4300];
    const char *svg[REP_CHARTS_COUNT], *titles[REP_CHARTS_COUNT];
    size_t nsvg = 0;
    for (size_t i = 0; charts && i < REP_CHARTS_COUNT; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/charts/%s.svg", dir, rep_chart_names[i]);
        svg[nsvg] = paths[i];
        titles[nsvg++] = rep_chart_titles[i];
    }
    cli_checker_finish(f->checker, &fingerprint); /* judged on the trace just hashed */
    rep_html_expect *ex = calloc(s->nexpects + 1, sizeof *ex);
    char **texts = calloc(s->nexpects + 1, sizeof *texts);
    rep_out *out = rep_out_file(dir, "report.html");
    int rc = CLI_EXIT_IOERR;
    if (!ex || !texts || !out) {
        fprintf(stderr, "cspsim: out of memory\n");
        rc = 1;
        goto done;
    }
    for (size_t i = 0; i < s->nexpects; i++) {
        if (!(texts[i] = cli_source_line(s->text, s->expects[i].line, 200))) {
            fprintf(stderr, "cspsim: out of memory\n");
            rc = 1;
            goto done;
        }
        ex[i].line = s->expects[i].line;
        ex[i].text = texts[i];
        ex[i].failure = cli_checker_failure(f->checker, i);
        ex[i].skipped = cli_checker_skipped(f->checker, i);
    }
    rep_html_meta m = {s->name, s->description, s->seed, rep_fingerprint(fingerprint, fp), ex, s->nexpects, 1,
                       svg, titles, nsvg, sets->paths, sets->texts, sets->nshown};
    if (rep_html_write(f->html, out, &m) || rep_out_commit(out)) {
        rc = out_failed(dir, "report.html", out);
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

/* `run --golden G --update`: G (a trace file, or a directory: G/trace.jsonl) becomes a copy
 * of DIR/trace.jsonl, replaced as a whole. 0, or CLI_EXIT_IOERR with a message. */
static int golden_update(const char *golden, const char *dir)
{
    char src[4200], gdir[4096];
    const char *name = "trace.jsonl";
    struct stat st;
    snprintf(src, sizeof src, "%s/trace.jsonl", dir);
    if (stat(golden, &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(gdir, sizeof gdir, "%s", golden);
    } else {
        const char *slash = strrchr(golden, '/');
        name = slash ? slash + 1 : golden;
        snprintf(gdir, sizeof gdir, "%.*s", slash ? (int)(slash - golden) : 1, slash ? golden : ".");
        if (!gdir[0])
            snprintf(gdir, sizeof gdir, "/");
    }
    FILE *in = fopen(src, "rb");
    rep_out *out = in ? rep_out_file(gdir, name) : NULL;
    int rc = 0;
    char buf[1 << 16];
    size_t n;
    while (out && (n = fread(buf, 1, sizeof buf, in)) > 0)
        rep_write(out, buf, n);
    if (!in || ferror(in))
        fprintf(stderr, "cspsim: cannot read %s: %s\n", src, strerror(errno)), rc = CLI_EXIT_IOERR;
    else if (!out || rep_out_commit(out))
        fprintf(stderr, "cspsim: cannot write %s: %s\n", golden, out ? rep_out_error(out) : "out of memory"),
            rc = CLI_EXIT_IOERR;
    if (in)
        fclose(in);
    rep_out_free(out);
    return rc;
}

/* `run` with its --set options collected into sets (the caller frees them). */
static int run_with(int argc, char **argv, cli_override_list *sets)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage_run, stdout);
        return 0;
    }
    const char *path = NULL, *dir = NULL, *golden = NULL;
    unsigned jobs = 1;
    int has_seed = 0, quiet = 0, invariants = 0, charts = 1, step = 0, update = 0;
    uint64_t seed = 0;
    long trace_sample = -1; /* --trace: -1 default, 0 none, N > 0 sample:N, LONG_MAX all */
    rep_chart_opts copts = {0};
    long chart_timeout = CLI_GNUPLOT_TIMEOUT;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--set") == 0) {
            const char *v = cli_option_value(argc, argv, &i);
            char err[2048];
            if (!v)
                return cli_usage_error(stderr, "run", "--set needs KEY=VALUE");
            if (cli_override_list_add(sets, v, err, sizeof err))
                return cli_usage_error(stderr, "run", "%s", err);
        } else if (strcmp(argv[i], "--jobs") == 0 || strcmp(argv[i], "-j") == 0) {
            const char *v = cli_option_value(argc, argv, &i);
            long n;
            if (!v || cli_parse_count(v, 1, SWP_MAX_JOBS, &n))
                return cli_usage_error(stderr, "run", "--jobs needs a number of threads from 1 to %d", SWP_MAX_JOBS);
            jobs = (unsigned)n;
        } else if (strcmp(argv[i], "--check-invariants") == 0) {
            invariants = 1;
        } else if (strcmp(argv[i], "--step") == 0) {
            step = 1;
        } else if (strcmp(argv[i], "--update") == 0) {
            update = 1;
        } else if (strcmp(argv[i], "--no-charts") == 0) {
            charts = 0;
        } else if (strcmp(argv[i], "--chart-rows") == 0) {
            const char *v = cli_option_value(argc, argv, &i);
            long n;
            if (!v || cli_parse_count(v, 1, 1000, &n))
                return cli_usage_error(stderr, "run", "--chart-rows needs a number from 1 to 1000");
            copts.max_rows = (size_t)n;
        } else if (strcmp(argv[i], "--chart-timeout") == 0) {
            const char *v = cli_option_value(argc, argv, &i);
            if (!v || cli_parse_count(v, 1, 86400, &chart_timeout))
                return cli_usage_error(stderr, "run", "--chart-timeout needs a number of seconds from 1 to 86400");
        } else if (strcmp(argv[i], "--chart-tenant") == 0 || strcmp(argv[i], "--chart-subscription") == 0) {
            const char *opt = argv[i], *v = cli_option_value(argc, argv, &i);
            if (!v)
                return cli_usage_error(stderr, "run", "%s needs an id", opt);
            if (strcmp(opt, "--chart-tenant") == 0)
                copts.tenant = v;
            else
                copts.subscription = v;
        } else if (strcmp(argv[i], "--trace") == 0) {
            const char *v = cli_option_value(argc, argv, &i);
            if (v && strcmp(v, "all") == 0)
                trace_sample = LONG_MAX;
            else if (v && strcmp(v, "none") == 0)
                trace_sample = 0;
            else if (!v || strncmp(v, "sample:", 7) != 0 || cli_parse_count(v + 7, 1, 100000000, &trace_sample))
                return cli_usage_error(stderr, "run", "--trace needs all, none or sample:N (N from 1 to 100000000)");
        } else if (strcmp(argv[i], "--golden") == 0) {
            if (!(golden = cli_option_value(argc, argv, &i)))
                return cli_usage_error(stderr, "run", "--golden needs a trace file or run directory");
        } else if (strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) {
            const char *opt = argv[i];
            if (!(dir = cli_option_value(argc, argv, &i)))
                return cli_usage_error(stderr, "run", "%s needs a directory", opt);
        } else if (strcmp(argv[i], "--seed") == 0) {
            const char *v = cli_option_value(argc, argv, &i);
            if (!v || cli_parse_seed(v, &seed))
                return cli_usage_error(stderr, "run", "--seed needs a whole number from 0 to 2^63-1");
            has_seed = 1;
        } else if (strcmp(argv[i], "--quiet") == 0 || strcmp(argv[i], "-q") == 0) {
            quiet = 1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cli_usage_error(stderr, "run", "unknown option '%s'", argv[i]);
        } else if (path) {
            return cli_usage_error(stderr, "run", "run takes one scenario; '%s' is one too many", argv[i]);
        } else {
            path = argv[i];
        }
    }
    if (!path)
        return cli_usage_error(stderr, "run", "run needs a scenario file");
    if (update && !golden)
        return cli_usage_error(stderr, "run", "--update needs --golden FILE (the trace it rewrites)");
    if (golden && trace_sample >= 0 && trace_sample != LONG_MAX)
        return cli_usage_error(stderr, "run", "--golden compares the whole trace: it takes --trace all only");
    if (step && jobs > 1)
        return cli_usage_error(stderr, "run", "--step plays one run record by record: it takes no --jobs");
    int status = 0;
    cli_scenario *shards[SWP_MAX_JOBS] = {NULL};
    model_world *worlds[SWP_MAX_JOBS] = {NULL};
    for (unsigned j = 0; j < jobs; j++) {
        if (!(shards[j] = load(path, has_seed, seed, sets, j, jobs, &status))) {
            for (unsigned k = 0; k < j; k++)
                cli_scenario_free(shards[k]);
            return status;
        }
        worlds[j] = shards[j]->world;
    }
    cli_scenario *s = shards[0]; /* the hand-written entities, the expect block */
    if (jobs > 1 && split_too_large(shards, jobs)) {
        for (unsigned j = 0; j < jobs; j++)
            cli_scenario_free(shards[j]);
        return 2;
    }
    /* --jobs N: the shards' union is the one world the writers see (model/union.h) */
    size_t tails[SWP_MAX_JOBS]; /* the events' subscriptions follow every shard's generated ones */
    for (unsigned j = 0; j < jobs; j++)
        tails[j] = shards[j]->pop_first_sub + shards[j]->pop_subscriptions;
    model_union *u = jobs > 1 ? model_union_new(worlds, tails, jobs) : NULL;
    if (jobs > 1 && !u) {
        fprintf(stderr, "cspsim: out of memory\n");
        for (unsigned j = 0; j < jobs; j++)
            cli_scenario_free(shards[j]);
        return 1;
    }
    const model_world *W = u ? model_union_world(u) : s->world;
    cli_scenario view = *s; /* the scenario as the readers see it: the union's world */
    view.world = (model_world *)(uintptr_t)W; /* read only: no mutating call reaches a union */
    swp_split *split = NULL;
    char dirbuf[4096];
    if (!dir) {
        char name[128];
        safe_name(s->name, name, sizeof name);
        snprintf(dirbuf, sizeof dirbuf, "out/%s", name);
        dir = dirbuf;
    }
    int rc = CLI_EXIT_IOERR; /* until written; out of memory sets 1 */
    enum { NOUTS = 5 };
    static const char *const names[NOUTS] = {"trace.jsonl", "trace.csv", "timeline.txt", "summary.json", "series.csv"};
    rep_out *outs[NOUTS] = {NULL}, *hashed = NULL;
    uint8_t *keep = NULL;
    char trace_mode[48] = "all";
    fanout f = {0};
    if (trace_sample < 0) { /* the default: the whole trace unless its estimate passes 1 GB */
        uint64_t est = rep_trace_estimate(W, s->start, s->end);
        size_t n = golden ? 0 : rep_trace_default_sample(model_count_tenants(W), est);
        trace_sample = n ? (long)n : LONG_MAX;
        if (n && !quiet)
            printf("trace: sample:%zu of %zu tenants (the whole trace would be about %llu MB; --trace all writes it)\n",
                   n, model_count_tenants(W), (unsigned long long)(est / 1000000));
    }
    if (trace_sample == 0)
        snprintf(trace_mode, sizeof trace_mode, "none");
    else if (trace_sample != LONG_MAX)
        snprintf(trace_mode, sizeof trace_mode, "sample:%ld", trace_sample);
    const char *tmp = cli_rundir_begin(dir, stderr); /* everything goes there, then swaps in */
    if (!tmp) {
        if (errno == ENOMEM)
            rc = 1;
        goto done;
    }
    for (int i = 0; i < NOUTS; i++) {
        if (i < 2 && trace_sample == 0)
            continue; /* --trace none: no trace files */
        if (!(outs[i] = rep_out_file(tmp, names[i]))) { /* NULL only when memory ran out */
            fprintf(stderr, "cspsim: out of memory\n");
            rc = 1;
            goto done;
        }
    }
    if (trace_sample != LONG_MAX) { /* the fingerprint is the whole trace's, written or not */
        size_t nt = model_count_tenants(W);
        hashed = rep_out_null();
        f.full = hashed ? rep_trace_new(W, hashed, NULL) : NULL;
        keep = calloc(nt ? nt : 1, 1);
        if (!f.full || !keep || rep_trace_sample_pick(s->seed, nt, (size_t)trace_sample, keep)) {
            fprintf(stderr, "cspsim: out of memory\n");
            rc = 1;
            goto done;
        }
        f.keep = keep;
        f.nkeep = nt;
    }
    f.trace = trace_sample ? rep_trace_new(W, outs[0], outs[1]) : NULL;
    f.series = rep_series_new(W, s->start, s->end);
    f.timeline = rep_timeline_new(W);
    f.summary = rep_summary_new(W);
    f.charts = charts ? rep_charts_new(W, &copts) : NULL;
    /* classroom playback: one line per record, waiting for Enter on a terminal */
    f.step = step ? cli_stepper_new(&view, stdout, stdin, cli_step_flags()) : NULL;
    f.html = rep_html_new(W);
    f.checker = cli_checker_new(&view);
    if ((trace_sample && !f.trace) || !f.series || !f.timeline || !f.summary || (charts && !f.charts) || (step && !f.step) || !f.html ||
        !f.checker) {
        fprintf(stderr, "cspsim: out of memory\n");
        rc = 1;
        goto done;
    }
    for (unsigned j = 0; j < jobs; j++)
        if (invariants)
            model_check_invariants(shards[j]->world, 1);
    if (jobs > 1 && !(split = swp_split_new(worlds, jobs, u, (model_sink){fan_emit, &f}, s->start))) {
        fprintf(stderr, "cspsim: out of memory (or no thread could be started) for --jobs %u\n", jobs);
        rc = 1;
        goto done;
    }
    if (!split)
        model_set_sink(s->world, (model_sink){fan_emit, &f});
    int sim = cli_simulate_split(&view, split, f.checker, isatty(2) && !quiet && !step ? draw_progress : NULL, NULL);
    if (sim == -2) {
        if (isatty(2) && !quiet)
            fputs("\r\033[K", stderr);
        for (unsigned j = 0; j < jobs; j++)
            if (model_breach_found(shards[j]->world)) {
                cli_breach_print(stderr, shards[j]); /* the first shard that broke, in its own ids */
                break;
            }
        rc = CLI_EXIT_INVARIANT;
        goto done;
    }
    if (sim) {
        fprintf(stderr, "cspsim: out of memory during the run\n");
        rc = 1;
        goto done;
    }
    if (f.step)
        cli_stepper_play(f.step); /* on a terminal: walk the records with keys */
    uint64_t fingerprint = rep_out_hash(hashed ? hashed : outs[0]);
    rep_summary_set_fingerprint(f.summary, fingerprint);
    rep_summary_set_trace(f.summary, trace_mode);
    rep_summary_set_overrides(f.summary, sets->paths, sets->texts, sets->nshown);
    rep_timeline_write(f.timeline, outs[2], s->name, s->description);
    rep_summary_write(f.summary, outs[3], s->name, s->seed);
    rep_series_write(f.series, outs[4]);
    for (int i = 0; i < NOUTS; i++) {
        if (outs[i] && rep_out_failed(outs[i])) {
            rc = out_failed(dir, names[i], outs[i]);
            goto done;
        }
    }
    for (int i = 0; i < NOUTS; i++) {
        if (outs[i] && rep_out_commit(outs[i])) {
            rc = out_failed(dir, names[i], outs[i]);
            goto done;
        }
    }
    if (charts) {
        /* the chart data and scripts are kept for editing; the images are gnuplot's */
        char cdir[4400];
        snprintf(cdir, sizeof cdir, "%s/charts", tmp);
        int cw = rep_mkdirs(cdir) ? (errno == ENOMEM ? -2 : -1)
                                  : rep_charts_write(f.charts, cdir, s->name, s->start, s->end,
                                                     model_world_params(s->world)->tenant_subscription_limit);
        if (cw == -2) {
            fprintf(stderr, "cspsim: out of memory writing the charts\n");
            rc = 1;
            goto done;
        }
        if (cw) {
            fprintf(stderr, "cspsim: cannot write the charts in %s\n", cdir);
            goto done;
        }
        int g = cli_gnuplot_render_timed(cdir, rep_chart_scripts, REP_CHARTS_COUNT, (int)chart_timeout, stderr);
        if (g < 0)
            goto done;
        for (size_t i = 0; g == 0 && i < REP_CHARTS_COUNT; i++) { /* a 0-byte PNG of a full disk fails here */
            char png[4600];
            snprintf(png, sizeof png, "%s/%s.png", cdir, rep_chart_names[i]);
            if (cli_png_check(png, stderr))
                goto done;
        }
    }
    if ((rc = write_report(s, &f, tmp, charts, fingerprint, sets)) != 0)
        goto done;
    rc = CLI_EXIT_IOERR;
    if (cli_rundir_commit(stderr))
        goto done;
    if (!quiet) {
        model_metrics m;
        model_metrics_total(W, &m);
        char fp[REP_FINGERPRINT_BUF];
        printf("%s: %llu events, %llu records, data loss %lld licenses, %lld rejections; wrote %s/\n", s->name,
               (unsigned long long)model_events_processed(W),
               (unsigned long long)model_records_emitted(W), (long long)m.data_loss_licenses,
               (long long)m.rejections, dir);
        printf("fingerprint %s (seed %llu)\n", rep_fingerprint(fingerprint, fp), (unsigned long long)s->seed);
    }
    rc = 0;
    if (golden && update) {
        if ((rc = golden_update(golden, dir)) == 0 && !quiet)
            printf("updated %s\n", golden);
    } else if (golden) {
        /* 0 same, 1 different (first divergence printed), 2 unreadable */
        int d = cli_golden_compare(golden, dir, stdout); /* prints the verdict, even with --quiet */
        rc = d == 0 ? 0 : d == 1 ? 1 : CLI_EXIT_IOERR;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "cspsim: cannot write standard output: %s\n", strerror(errno));
        rc = CLI_EXIT_IOERR;
    }
done:
    for (int i = 0; i < NOUTS; i++)
        rep_out_free(outs[i]); /* uncommitted temporaries are removed */
    rep_out_free(hashed);
    free(keep);
    rep_trace_free(f.full);
    rep_series_free(f.series);
    cli_rundir_end(); /* the temporary directory, whatever happened */
    rep_trace_free(f.trace);
    rep_timeline_free(f.timeline);
    rep_summary_free(f.summary);
    rep_charts_free(f.charts);
    cli_stepper_free(f.step);
    rep_html_free(f.html);
    cli_checker_free(f.checker);
    swp_split_free(split); /* joins the threads before their worlds go */
    model_union_free(u);
    for (unsigned j = 0; j < jobs; j++)
        cli_scenario_free(shards[j]);
    return rc;
}

static int cmd_run(int argc, char **argv)
{
    cli_override_list sets = {0};
    int rc = run_with(argc, argv, &sets);
    cli_override_list_free(&sets);
    return rc;
}

static int cmd_check(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage_check, stdout);
        return 0;
    }
    if (argc == 0)
        return cli_usage_error(stderr, "check", "check needs at least one scenario file");
    int rc = 0;
    for (int i = 0; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1])
            return cli_usage_error(stderr, "check", "unknown option '%s'", argv[i]);
    }
    for (int i = 0; i < argc; i++) {
        int status = 0;
        cli_scenario *s = load(argv[i], 0, 0, NULL, 0, 1, &status);
        if (!s && rc != 2)
            rc = status;
        cli_scenario_free(s);
    }
    return rc;
}

/* ---- the command table ----------------------------------------------------------------- */

static const char usage_help[] =
    "usage: cspsim help [COMMAND]\n"
    "\n"
    "Without a command: the overview of every command. With one: its help, the same text as\n"
    "cspsim COMMAND --help.\n"
    "exit status: 0, 2 an unknown command.\n";

static const char usage_completion[] =
    "usage: cspsim completion bash|zsh\n"
    "\n"
    "Prints a completion script for the shell, generated from the command table: the\n"
    "commands (with their summaries in zsh), and for each command the options its help\n"
    "names; other words complete as file names. Load it with\n"
    "  source <(cspsim completion bash)      in ~/.bashrc\n"
    "  source <(cspsim completion zsh)       in ~/.zshrc (after compinit), or save the zsh\n"
    "                                        script as _cspsim in a directory of $fpath\n"
    "exit status: 0, 2 no shell or an unknown one.\n";

static const char usage_version[] =
    "usage: cspsim version    (also: cspsim --version)\n"
    "\n"
    "Prints the version, the scenario format it reads and the git revision it was built from.\n";

static int cmd_help(int argc, char **argv);
static int cmd_completion(int argc, char **argv);
static int cmd_version(int argc, char **argv);

/* What a command's arguments complete to, beside the options its help names. */
typedef enum { ARGS_FILES, ARGS_COMMANDS, ARGS_WORDS } args_kind;

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv); /* the arguments after the name; returns the exit status */
    const char *summary;                /* one line of the overview */
    const char *usage;                  /* the --help text; its options feed the completion */
    args_kind args;
    const char *words; /* ARGS_WORDS: the words, space-separated */
} command;

static const command commands[] = {
    {"run", cmd_run, "simulate a scenario; write trace, timeline, summary, charts, report", usage_run, ARGS_FILES,
     NULL},
    {"check", cmd_check, "validate scenario files, run nothing", usage_check, ARGS_FILES, NULL},
    {"test", cli_cmd_test, "run each scenario and check its expect block", cli_usage_test, ARGS_FILES, NULL},
    {"rules", cli_cmd_rules, "the rule catalog; rules no scenario exercises", cli_usage_rules, ARGS_FILES, NULL},
    {"explain", cli_cmd_explain, "a rule, reason code, parameter or record kind; why a subscription ended so",
     cli_usage_explain, ARGS_FILES, NULL},
    {"diff", cli_cmd_diff, "compare two traces: hunks of inserted, deleted, changed records", cli_usage_diff, ARGS_FILES, NULL},
    {"compare", cli_cmd_compare, "compare two runs' summaries or two sweeps' points, figure by figure",
     cli_usage_compare, ARGS_FILES, NULL},
    {"sweep", cli_cmd_sweep, "an experiment: points x replications, means and intervals, in threads or shards",
     cli_usage_sweep, ARGS_FILES, NULL},
    {"merge", cli_cmd_merge, "combine sweep shards into one sweep's files", cli_usage_merge, ARGS_FILES, NULL},
    {"trace", cli_cmd_trace, "print matching trace records as a timeline", cli_usage_trace, ARGS_FILES, NULL},
    {"help", cmd_help, "this overview, or the help of a command", usage_help, ARGS_COMMANDS, NULL},
    {"completion", cmd_completion, "print a bash or zsh completion script", usage_completion, ARGS_WORDS,
     "bash zsh"},
    {"version", cmd_version, "print the version", usage_version, ARGS_WORDS, ""},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const command *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static void print_overview(FILE *out)
{
    fputs("usage: cspsim COMMAND [OPTIONS] [ARGUMENTS]\n"
          "\n"
          "Simulates Microsoft CSP new-commerce subscriptions event by event from YAML scenarios.\n"
          "\n"
          "commands:\n",
          out);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-11s %s\n", commands[i].name, commands[i].summary);
    fputs("\n"
          "options:\n"
          "  -h, --help   this overview (a command's help: cspsim COMMAND --help, cspsim help COMMAND)\n"
          "  --version    print the version\n"
          "\n"
          "exit status: 0 success, 1 differences or failed expectations, 2 bad input or\n"
          "             command line, 70 an invariant broke, 74 an output could not be\n"
          "             written or read.\n"
          "docs: README.md, docs/scenario-format.md, docs/rules.md, docs/cli.md\n",
          out);
}

static int cmd_help(int argc, char **argv)
{
    if (argc == 0) {
        print_overview(stdout);
        return 0;
    }
    if (argc > 1)
        return cli_usage_error(stderr, "help", "help takes one command; '%s' is one too many", argv[1]);
    const command *c = find_command(argv[0]);
    if (!c)
        return cli_usage_error(stderr, NULL, "unknown command '%s'", argv[0]);
    fputs(c->usage, stdout);
    return 0;
}

static int cmd_version(int argc, char **argv)
{
    if (argc > 0)
        return cli_usage_error(stderr, "version", "version takes no arguments; '%s' is one too many", argv[0]);
    printf("cspsim %s (scenario format 1, revision %s)\n", CSPSIM_VERSION, CSPSIM_REVISION);
    return 0;
}

/* ---- completion ------------------------------------------------------------------------ */

/* Nonzero when the space-separated list holds the word w[0..len). */
static int has_word(const char *list, const char *w, size_t len)
{
    while (*list) {
        size_t n = strcspn(list, " ");
        if (n == len && strncmp(list, w, len) == 0)
            return 1;
        list += n;
        list += *list == ' ';
    }
    return 0;
}

/* The options a help text names, each once, space-separated, then -h and --help: words like
 * -o or --chart-rows in its synopsis (the lines before the first blank one) and on the lines
 * that describe an option (their first character after the indentation is '-'), where they
 * start the line or follow a space, '[', '(', ',' or '|'. */
static void usage_options(const char *usage, char *buf, size_t size)
{
    size_t n = 0;
    int synopsis = 1;
    buf[0] = '\0';
    for (const char *line = usage; *line; line += strcspn(line, "\n"), line += *line == '\n') {
        const char *end = line + strcspn(line, "\n"), *first = line + strspn(line, " ");
        if (line == end)
            synopsis = 0;
        if (!synopsis && *first != '-')
            continue;
        for (const char *p = line; p < end; p++) {
            if (*p != '-' || !(p == line || strchr(" [(,|", p[-1])))
                continue;
            const char *q = p + (p[1] == '-') + 1;
            if (!(*q >= 'a' && *q <= 'z'))
                continue;
            while ((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') || *q == '-')
                q++;
            size_t len = (size_t)(q - p);
            if (!has_word(buf, p, len) && n + len + 2 < size)
                n += (size_t)snprintf(buf + n, size - n, "%s%.*s", n ? " " : "", (int)len, p);
            p = q - 1;
        }
    }
    static const char *const always[] = {"-h", "--help"};
    for (size_t i = 0; i < 2; i++)
        if (!has_word(buf, always[i], strlen(always[i])) && n + strlen(always[i]) + 2 < size)
            n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? " " : "", always[i]);
}

/* The command names, space-separated. */
static void command_names(char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < NCOMMANDS && n < size; i++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? " " : "", commands[i].name);
}

static void completion_bash(FILE *out)
{
    char names[512], opts[1024];
    command_names(names, sizeof names);
    fputs("# bash completion for cspsim, generated by `cspsim completion bash` from its command table.\n"
          "# Load it with: source <(cspsim completion bash)\n"
          "_cspsim() {\n"
          "    local cur=${COMP_WORDS[COMP_CWORD]} words=\n"
          "    COMPREPLY=()\n"
          "    if [ \"$COMP_CWORD\" -eq 1 ]; then\n",
          out);
    fprintf(out, "        words=\"%s -h --help --version\"\n", names);
    fputs("    else\n"
          "        case ${COMP_WORDS[1]} in\n",
          out);
    for (size_t i = 0; i < NCOMMANDS; i++) {
        const command *c = &commands[i];
        usage_options(c->usage, opts, sizeof opts);
        if (c->args == ARGS_FILES)
            fprintf(out, "        %s) case $cur in -*) words=\"%s\" ;; esac ;;\n", c->name, opts);
        else
            fprintf(out, "        %s) case $cur in -*) words=\"%s\" ;; *) [ \"$COMP_CWORD\" -eq 2 ] && words=\"%s\" ;; esac ;;\n",
                    c->name, opts, c->args == ARGS_COMMANDS ? names : c->words);
    }
    fputs("        esac\n"
          "    fi\n"
          "    # no words: file names (complete -o default)\n"
          "    [ -n \"$words\" ] && COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
          "    return 0\n"
          "}\n"
          "complete -o default -F _cspsim cspsim\n",
          out);
}

/* s for inside a zsh single-quoted _describe entry: ' and : escaped. */
static void put_zsh_quoted(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '\'')
            fputs("'\\''", out);
        else if (*s == ':')
            fputs("\\:", out);
        else
            fputc(*s, out);
    }
}

static void completion_zsh(FILE *out)
{
    char names[512], opts[1024];
    command_names(names, sizeof names);
    fputs("#compdef cspsim\n"
          "# zsh completion for cspsim, generated by `cspsim completion zsh` from its command table.\n"
          "# Load it with: source <(cspsim completion zsh), or save it as _cspsim in a directory of $fpath.\n"
          "_cspsim() {\n"
          "    local -a commands opts\n"
          "    commands=(\n",
          out);
    for (size_t i = 0; i < NCOMMANDS; i++) {
        fputs("        '", out);
        put_zsh_quoted(out, commands[i].name);
        fputc(':', out);
        put_zsh_quoted(out, commands[i].summary);
        fputs("'\n", out);
    }
    fputs("    )\n"
          "    if (( CURRENT == 2 )); then\n"
          "        _describe -t commands 'cspsim command' commands\n"
          "        return\n"
          "    fi\n"
          "    case $words[2] in\n",
          out);
    for (size_t i = 0; i < NCOMMANDS; i++) {
        const command *c = &commands[i];
        usage_options(c->usage, opts, sizeof opts);
        fprintf(out, "    %s) opts=(%s)", c->name, opts);
        if (c->args == ARGS_COMMANDS)
            fputs("; if [[ $PREFIX != -* ]]; then (( CURRENT == 3 )) && _describe -t commands 'cspsim command' "
                  "commands; return; fi",
                  out);
        else if (c->args == ARGS_WORDS)
            fprintf(out, "; if [[ $PREFIX != -* ]]; then (( CURRENT == 3 )) && compadd %s; return; fi", c->words);
        fputs(" ;;\n", out);
    }
    fputs("    esac\n"
          "    if [[ $PREFIX == -* ]]; then\n"
          "        compadd -a opts\n"
          "    else\n"
          "        _files\n"
          "    fi\n"
          "}\n"
          "if [ \"$funcstack[1]\" = \"_cspsim\" ]; then\n"
          "    _cspsim \"$@\"\n"
          "else\n"
          "    compdef _cspsim cspsim\n"
          "fi\n",
          out);
}

static int cmd_completion(int argc, char **argv)
{
    if (argc == 0)
        return cli_usage_error(stderr, "completion", "completion needs a shell: bash or zsh");
    if (argc > 1)
        return cli_usage_error(stderr, "completion", "completion takes one shell; '%s' is one too many", argv[1]);
    if (strcmp(argv[0], "bash") == 0)
        completion_bash(stdout);
    else if (strcmp(argv[0], "zsh") == 0)
        completion_zsh(stdout);
    else
        return cli_usage_error(stderr, "completion", "unknown shell '%s' (bash or zsh)", argv[0]);
    return 0;
}

/* ---- dispatch -------------------------------------------------------------------------- */

static int dispatch(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error(stderr, NULL, "no command given");
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0)
        name = "help";
    else if (strcmp(name, "--version") == 0)
        name = "version";
    const command *c = find_command(name);
    if (!c)
        return cli_usage_error(stderr, NULL, "unknown command '%s'", argv[1]);
    if (cli_wants_help(argc - 2, argv + 2)) {
        fputs(c->usage, stdout);
        return 0;
    }
    return c->run(argc - 2, argv + 2);
}

#ifdef CSPSIM_MPI
/* The MPI build (make MPI=1) started by mpirun or srun: sweep spreads its runs over the
 * ranks (sweep/mpi.c); every other command runs on rank 0 only, but `run`, whose population
 * split over ranks does not exist yet. The other ranks print nothing (rank 0 speaks for
 * the job); outside a launcher this is the plain cspsim. */
int main(int argc, char **argv)
{
    int ranks = swp_mpi_start(&argc, &argv);
    int sweep = argc >= 2 && strcmp(argv[1], "sweep") == 0, rc = 0;
    if (swp_mpi_rank() != 0 && (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr)))
        rc = CLI_EXIT_IOERR;
    else if (ranks > 1 && argc >= 2 && strcmp(argv[1], "run") == 0 && !cli_wants_help(argc - 2, argv + 2)) {
        if (swp_mpi_rank() == 0)
            fprintf(stderr, "cspsim: run over MPI ranks needs the population split, which is not there yet: "
                            "run it without mpirun (sweep is what mpirun spreads)\n");
        rc = CLI_EXIT_USAGE;
    } else if (sweep || swp_mpi_rank() == 0) {
        rc = dispatch(argc, argv);
    }
    swp_mpi_stop(sweep);
    return rc;
}
#else
int main(int argc, char **argv)
{
    return dispatch(argc, argv);
}
#endif
