/* cli/sweepcmd.c - `cspsim sweep` and `cspsim merge`: the experiment's runs through the
 * sweep layer, and its files.
 *
 * Each run loads the scenario with the --set overrides, then its point's vary values as
 * overrides, and its replication's seed (sweep/plan.h), simulates with no sink but the
 * trace writer into a hashing sink (the fingerprint of the trace the run would write, no
 * bytes written) and keeps the totals. Results reach the writer in run order
 * (sweep/transport.h), so runs.csv is appended and flushed per run in run order and every
 * file is the same whatever --jobs, shards or resumes. Numbers: integers as they are, money
 * with two decimals (rep_money), statistics "%.4f" (the C locale: cspsim never calls
 * setlocale), an interval that does not exist (n = 1, point 0's difference) empty.
 * DIR/plan.txt names the file, seed, replications, --set values, vary keys and values,
 * outcomes, run range and the plan fingerprint (FNV-1a 64 of all of them and the file's
 * bytes) that merge and --resume check.
 */
#include "sweepcmd.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/textout.h"
#include "cli/args.h"
#include "cli/arena.h"
#include "cli/experiment.h"
#include "cli/gnuplot.h"
#include "cli/limits.h"
#include "cli/override.h"
#include "cli/scenario.h"
#include "cli/simulate.h"
#include "reports/out.h"
#include "reports/summary.h"
#include "reports/trace.h"
#include "sweep/plan.h"
#include "sweep/stats.h"
#include "sweep/transport.h"

const char cli_usage_sweep[] =
    "usage: cspsim sweep SCENARIO.yaml [-o DIR] [--jobs N] [--replications R] [--runs A-B]\n"
    "                    [--seed N] [--set KEY=VALUE]... [--no-charts] [-q]\n"
    "       cspsim sweep --resume DIR [--jobs N] [-q]\n"
    "\n"
    "Runs every point of the scenario's experiment (the full factorial of experiment.vary,\n"
    "first key slowest) x its replications: run = point x replications + replication, and\n"
    "replication r uses the same seed at every point (common random numbers; r = 0 is the\n"
    "scenario's seed, so `cspsim run` is replication 0). No trace is written: each run keeps\n"
    "its outcomes and the fingerprint of the trace it would write. Into DIR (default\n"
    "out/NAME-sweep/):\n"
    "  plan.txt      file, seed, replications, --set values, vary, outcomes, run range and\n"
    "                the plan fingerprint that merge and --resume check\n"
    "  runs.csv      run,point,<vary keys>,replication,seed,<outcomes>,fingerprint; appended\n"
    "                and flushed per finished run, in run order\n"
    "  points.csv    point,<vary keys>,outcome,n,mean,sd,ci95_low,ci95_high,min,p5,p50,p95,\n"
    "                max,diff_mean,diff_ci95_low,diff_ci95_high (Student-t 95% intervals;\n"
    "                diff: this point minus point 0, paired by replication; percentiles\n"
    "                type 7; money in currency units; empty where n = 1 or for point 0)\n"
    "  charts/       per outcome: OUTCOME-means (points with intervals), OUTCOME-hist\n"
    "                (point 0), and with two vary keys OUTCOME-heat; .dat + .gp, .png + .svg\n"
    "  report.html   the question (the description), the table, the charts, and which\n"
    "                differences are significant (their interval excludes 0)\n"
    "The bytes are the same whatever --jobs, and for shards merged with `cspsim merge`.\n"
    "The MPI build (make MPI=1) under `mpirun -n K` spreads the runs over K ranks, one at a\n"
    "time each, rank 0 writing the same bytes (docs/cli.md).\n"
    "\n"
    "  -o DIR            output directory (created when missing)\n"
    "  --jobs N          runs at once, in threads (default: the processors online, 1..256)\n"
    "  --replications R  replications per point (1..1000000), also without an experiment\n"
    "                    section: then only the seed varies\n"
    "  --runs A-B        only runs A..B (a shard): writes plan.txt and runs.csv; merge the\n"
    "                    shards with `cspsim merge DIR... -o OUT`\n"
    "  --seed N          the base seed (0 .. 2^63-1) instead of the scenario's\n"
    "  --set KEY=VALUE   override a key path for every run (as run --set); repeatable\n"
    "  --resume DIR      finish an interrupted sweep in DIR (its plan.txt says what it was;\n"
    "                    with SCENARIO and options they must make the same plan)\n"
    "  --no-charts       no charts/\n"
    "  -q, --quiet       no progress bar and no closing line\n"
    "\n"
    "A progress bar (runs done/total, runs/s, ETA) is drawn on stderr when it is a terminal.\n"
    "exit status: 0 written, 1 a run failed (finished runs stay in runs.csv: --resume),\n"
    "             2 bad scenario, vary value or command line, --runs outside the runs, a\n"
    "             resume directory of another experiment (one line, nothing written),\n"
    "             70 a run broke an invariant (a bug of cspsim; the finished runs stay),\n"
    "             74 an output could not be written.\n";

const char cli_usage_merge[] =
    "usage: cspsim merge DIR... -o OUT [--no-charts] [-q]\n"
    "\n"
    "Combines the shards of one sweep (each written by `cspsim sweep FILE --runs A-B`) into\n"
    "OUT: plan.txt, runs.csv, points.csv, charts/ and report.html, the same bytes as one\n"
    "sweep of all runs. Shards may come in any order; they must have the same plan (file,\n"
    "seed, replications, --set values, vary and outcomes: the plan fingerprint) and cover\n"
    "every run; a run in two shards must have the same row in both.\n"
    "exit status: 0 written, 2 shards of different plans (naming the mismatch), a run in no\n"
    "             shard, an unreadable shard (nothing written), 74 OUT could not be written.\n";

/* ---- the plan and its text ------------------------------------------------------------- */

typedef struct {
    cli_arena *a;
    const char *file, *name, *description;
    uint64_t seed, replications, first, last, fingerprint;
    size_t nkeys;
    const char *keys[CLI_MAX_VARY_KEYS];
    const char **texts[CLI_MAX_VARY_KEYS];
    int outcomes[CLI_OUTCOME_COUNT];
    size_t noutcomes;
    const char **sets;
    size_t nsets;
    swp_plan plan;
} meta;

typedef struct {
    int64_t v[CLI_OUTCOME_COUNT];
    uint64_t seed, fingerprint;
} result;

#define PLAN_MAGIC "cspsim sweep plan 1"

static uint64_t fnv_str(uint64_t h, const char *s)
{
    return swp_fnv(h, s, strlen(s) + 1); /* with the NUL: "ab","c" differs from "a","bc" */
}

static uint64_t fnv_u64(uint64_t h, uint64_t v)
{
    char b[24];
    snprintf(b, sizeof b, "%llu", (unsigned long long)v);
    return fnv_str(h, b);
}

static uint64_t plan_fingerprint(const meta *m, const char *text, size_t len)
{
    uint64_t h = swp_fnv(SWP_FNV_OFFSET, text, len);
    h = fnv_u64(fnv_u64(h, m->seed), m->replications);
    for (size_t i = 0; i < m->nsets; i++)
        h = fnv_str(h, m->sets[i]);
    for (size_t k = 0; k < m->nkeys; k++) {
        h = fnv_str(h, m->keys[k]);
        for (size_t j = 0; j < m->plan.nvalues[k]; j++)
            h = fnv_str(h, m->texts[k][j]);
    }
    for (size_t o = 0; o < m->noutcomes; o++)
        h = fnv_str(h, cli_outcome_name(m->outcomes[o]));
    return h;
}

/* One line of plan.txt: "key: value" with '\\' and newlines escaped. */
static void put_field(FILE *f, const char *key, const char *v)
{
    fprintf(f, "%s: ", key);
    for (; *v; v++) {
        if (*v == '\\')
            fputs("\\\\", f);
        else if (*v == '\n')
            fputs("\\n", f);
        else if (*v == '\r')
            fputs("\\r", f);
        else
            fputc(*v, f);
    }
    fputc('\n', f);
}

static void plan_write(FILE *f, const meta *m, uint64_t first, uint64_t last)
{
    fprintf(f, "%s\nfingerprint: %016llx\n", PLAN_MAGIC, (unsigned long long)m->fingerprint);
    put_field(f, "file", m->file);
    put_field(f, "name", m->name);
    put_field(f, "description", m->description);
    fprintf(f, "seed: %llu\nreplications: %llu\npoints: %llu\nruns: %llu-%llu\ntotal: %llu\n",
            (unsigned long long)m->seed, (unsigned long long)m->replications, (unsigned long long)m->plan.npoints,
            (unsigned long long)first, (unsigned long long)last, (unsigned long long)m->plan.nruns);
    for (size_t i = 0; i < m->nsets; i++)
        put_field(f, "set", m->sets[i]);
    fputs("outcomes: ", f);
    for (size_t o = 0; o < m->noutcomes; o++)
        fprintf(f, "%s%s", o ? "," : "", cli_outcome_name(m->outcomes[o]));
    fputc('\n', f);
    for (size_t k = 0; k < m->nkeys; k++) {
        put_field(f, "vary", m->keys[k]);
        for (size_t j = 0; j < m->plan.nvalues[k]; j++)
            put_field(f, "value", m->texts[k][j]);
    }
}

/* Writes DIR/NAME whole (a temporary file renamed): 0, or -1 with a message. */
static int write_plan(const char *dir, const meta *m, uint64_t first, uint64_t last)
{
    char path[4200], tmp[4300];
    snprintf(path, sizeof path, "%s/plan.txt", dir);
    snprintf(tmp, sizeof tmp, "%s/.plan.txt.tmp", dir);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        fprintf(stderr, "cspsim: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    plan_write(f, m, first, last);
    if (fflush(f) || ferror(f) | fclose(f) || rename(tmp, path)) {
        fprintf(stderr, "cspsim: cannot write %s: %s\n", path, strerror(errno));
        remove(tmp);
        return -1;
    }
    return 0;
}

/* A whole file into a NUL-terminated malloc'ed buffer; NULL with errno. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap + 1);
    while (b) {
        size_t got = fread(b + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        char *nb = cap > ((size_t)1 << 36) ? NULL : realloc(b, 2 * cap + 1);
        if (!nb) {
            free(b);
            b = NULL;
            errno = ENOMEM;
            break;
        }
        b = nb;
        cap *= 2;
    }
    if (b && ferror(f)) {
        free(b);
        b = NULL;
    }
    fclose(f);
    if (b) {
        b[n] = '\0';
        *len = n;
    }
    return b;
}

static char *unescape(cli_arena *a, const char *s, size_t n)
{
    char *o = cli_arena_alloc(a, n + 1);
    size_t k = 0;
    if (!o)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n) {
            i++;
            o[k++] = s[i] == 'n' ? '\n' : s[i] == 'r' ? '\r' : s[i];
        } else {
            o[k++] = s[i];
        }
    }
    o[k] = '\0';
    return o;
}

static int parse_u64(const char *s, uint64_t *out)
{
    if (!*s)
        return -1;
    uint64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (UINT64_MAX - 9) / 10)
            return -1;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = v;
    return 0;
}

/* Reads DIR/plan.txt into m (strings in m->a, which the caller created). 0, or -1 with one
 * line printed naming the problem. */
static int plan_read(const char *dir, meta *m)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/plan.txt", dir);
    size_t len;
    char *text = slurp(path, &len);
    if (!text) {
        fprintf(stderr, "cspsim: %s is not a sweep directory: cannot read %s: %s\n", dir, path, strerror(errno));
        return -1;
    }
    int rc = -1, saw_magic = 0;
    uint64_t total = 0, points = 0;
    size_t cap_sets = 0;
    const char *bad = NULL;
    for (char *line = text; *line;) {
        char *end = line + strcspn(line, "\n");
        char save = *end;
        *end = '\0';
        char *colon = strstr(line, ": ");
        if (!saw_magic) {
            if (strcmp(line, PLAN_MAGIC) != 0) {
                bad = "its first line is not '" PLAN_MAGIC "'";
                goto out;
            }
            saw_magic = 1;
        } else if (!colon) {
            bad = "a line without 'key: value'";
            goto out;
        } else {
            *colon = '\0';
            const char *k = line, *v = colon + 2;
            char *val = unescape(m->a, v, strlen(v));
            if (!val) {
                bad = "out of memory";
                goto out;
            }
            if (strcmp(k, "fingerprint") == 0) {
                char *e;
                m->fingerprint = strtoull(val, &e, 16);
                if (*e || strlen(val) != 16)
                    bad = "a bad fingerprint";
            } else if (strcmp(k, "file") == 0) {
                m->file = val;
            } else if (strcmp(k, "name") == 0) {
                m->name = val;
            } else if (strcmp(k, "description") == 0) {
                m->description = val;
            } else if (strcmp(k, "seed") == 0) {
                if (parse_u64(val, &m->seed))
                    bad = "a bad seed";
            } else if (strcmp(k, "replications") == 0) {
                if (parse_u64(val, &m->replications))
                    bad = "a bad replications";
            } else if (strcmp(k, "points") == 0) {
                if (parse_u64(val, &points))
                    bad = "a bad points";
            } else if (strcmp(k, "total") == 0) {
                if (parse_u64(val, &total))
                    bad = "a bad total";
            } else if (strcmp(k, "runs") == 0) {
                char *dash = strchr(val, '-');
                if (!dash)
                    bad = "a bad runs";
                else {
                    *dash = '\0';
                    if (parse_u64(val, &m->first) || parse_u64(dash + 1, &m->last))
                        bad = "a bad runs";
                }
            } else if (strcmp(k, "set") == 0) {
                if (m->nsets == cap_sets) {
                    cap_sets = cap_sets ? 2 * cap_sets : 8;
                    const char **ns = cli_arena_alloc(m->a, cap_sets * sizeof *ns);
                    if (!ns) {
                        bad = "out of memory";
                        goto out;
                    }
                    if (m->nsets)
                        memcpy(ns, m->sets, m->nsets * sizeof *ns);
                    m->sets = ns;
                }
                m->sets[m->nsets++] = val;
            } else if (strcmp(k, "outcomes") == 0) {
                m->noutcomes = 0;
                for (const char *p = val; *p && m->noutcomes < CLI_OUTCOME_COUNT;) {
                    size_t n = strcspn(p, ",");
                    int o = cli_outcome_find(p, n);
                    if (o < 0) {
                        bad = "an unknown outcome";
                        break;
                    }
                    m->outcomes[m->noutcomes++] = o;
                    p += n + (p[n] == ',');
                }
            } else if (strcmp(k, "vary") == 0) {
                if (m->nkeys == CLI_MAX_VARY_KEYS) {
                    bad = "too many vary keys";
                    goto out;
                }
                m->keys[m->nkeys] = val;
                m->texts[m->nkeys] = cli_arena_alloc(m->a, CLI_MAX_LIST_ITEMS / 1000 * sizeof(char *));
                m->plan.nvalues[m->nkeys++] = 0;
            } else if (strcmp(k, "value") == 0) {
                if (!m->nkeys || m->plan.nvalues[m->nkeys - 1] >= CLI_MAX_LIST_ITEMS / 1000) {
                    bad = "a value outside a vary key";
                    goto out;
                }
                m->texts[m->nkeys - 1][m->plan.nvalues[m->nkeys - 1]++] = val;
            } else {
                bad = "an unknown key";
            }
            if (bad)
                goto out;
        }
        *end = save;
        line = end + (save == '\n');
    }
    if (!saw_magic || !m->file || !m->name || !m->description || !m->noutcomes) {
        bad = "a missing line";
        goto out;
    }
    m->plan.nkeys = m->nkeys;
    m->plan.replications = m->replications;
    m->plan.seed = m->seed;
    if (swp_plan_init(&m->plan, CLI_MAX_RUNS) || m->plan.nruns != total || m->plan.npoints != points ||
        m->first > m->last || m->last >= total) {
        bad = "counts that do not add up";
        goto out;
    }
    rc = 0;
out:
    if (bad)
        fprintf(stderr, "cspsim: %s is not a sweep directory: %s has %s\n", dir, path, bad);
    free(text);
    return rc;
}

/* ---- rows ------------------------------------------------------------------------------ */

static void put_csv(FILE *f, const char *s)
{
    if (!s[strcspn(s, ",\"\n\r")]) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void put_value(FILE *f, int outcome, int64_t v)
{
    if (cli_outcome_is_money(outcome)) {
        char b[REP_MONEY_BUF];
        rep_money(b, sizeof b, v);
        fputs(b, f);
    } else {
        fprintf(f, "%lld", (long long)v);
    }
}

static void runs_header(FILE *f, const meta *m)
{
    fputs("run,point", f);
    for (size_t k = 0; k < m->nkeys; k++) {
        fputc(',', f);
        put_csv(f, m->keys[k]);
    }
    fputs(",replication,seed", f);
    for (size_t o = 0; o < m->noutcomes; o++)
        fprintf(f, ",%s", cli_outcome_name(m->outcomes[o]));
    fputs(",fingerprint\n", f);
}

static void point_texts(FILE *f, const meta *m, uint64_t point)
{
    size_t c[CLI_MAX_VARY_KEYS];
    swp_plan_coords(&m->plan, point, c);
    for (size_t k = 0; k < m->nkeys; k++) {
        fputc(',', f);
        put_csv(f, m->texts[k][c[k]]);
    }
}

static void runs_row(FILE *f, const meta *m, uint64_t run, const result *r)
{
    uint64_t point = swp_run_point(&m->plan, run);
    fprintf(f, "%llu,%llu", (unsigned long long)run, (unsigned long long)point);
    point_texts(f, m, point);
    fprintf(f, ",%llu,%llu", (unsigned long long)swp_run_replication(&m->plan, run), (unsigned long long)r->seed);
    for (size_t o = 0; o < m->noutcomes; o++) {
        fputc(',', f);
        put_value(f, m->outcomes[o], r->v[m->outcomes[o]]);
    }
    char fp[REP_FINGERPRINT_BUF];
    fprintf(f, ",%s\n", rep_fingerprint(r->fingerprint, fp));
}

/* The fields of one CSV line (quotes honoured) into f[0..max); returns their count. The
 * line is modified in place. */
static size_t split_csv(char *line, char **f, size_t max)
{
    size_t n = 0;
    char *p = line;
    for (;;) {
        char *o = p;
        if (n < max)
            f[n] = o;
        n++;
        if (*p == '"') {
            p++;
            for (;;) {
                if (!*p)
                    break;
                if (*p == '"' && p[1] == '"') {
                    *o++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    *o++ = *p++;
                }
            }
            while (*p && *p != ',')
                p++;
        } else {
            while (*p && *p != ',')
                *o++ = *p++;
        }
        int more = *p == ',';
        *o = '\0';
        if (!more)
            break;
        p++;
    }
    return n;
}

static int parse_i64(const char *s, int money, int64_t *out)
{
    int neg = *s == '-';
    s += neg;
    uint64_t v = 0;
    int digits = 0, frac = -1;
    for (; *s; s++) {
        if (*s == '.' && money && frac < 0) {
            frac = 0;
            continue;
        }
        if (*s < '0' || *s > '9' || v > (uint64_t)INT64_MAX / 10)
            return -1;
        v = v * 10 + (uint64_t)(*s - '0');
        digits++;
        if (frac >= 0)
            frac++;
    }
    if (!digits || (money && frac != 2) || v > (uint64_t)INT64_MAX)
        return -1;
    *out = neg ? -(int64_t)v : (int64_t)v;
    return 0;
}

/* Reads DIR/runs.csv: its header must be m's; then rows of runs first, first+1, ...
 * into res[run]; a last line without its line end (a run being written when the sweep was
 * killed) is dropped. *count gets the rows read and *keep the bytes up to the end of the
 * last whole row. 0, or -1 with one line printed. */
static int runs_read(const char *dir, const meta *m, uint64_t first, result *res, uint64_t *count, long *keep)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/runs.csv", dir);
    size_t len;
    char *text = slurp(path, &len);
    if (!text) {
        fprintf(stderr, "cspsim: cannot read %s: %s\n", path, strerror(errno));
        return -1;
    }
    char *hdr = NULL;
    size_t hlen = 0;
    FILE *hf = open_memstream(&hdr, &hlen);
    if (!hf) {
        free(text);
        fprintf(stderr, "cspsim: out of memory\n");
        return -1;
    }
    runs_header(hf, m);
    fclose(hf);
    int rc = -1;
    uint64_t n = 0;
    if (len < hlen || memcmp(text, hdr, hlen) != 0) {
        fprintf(stderr, "cspsim: %s does not start with this plan's header\n", path);
        goto out;
    }
    size_t at = hlen;
    size_t want = 2 + m->nkeys + 2 + m->noutcomes + 1;
    char *fields[2 + CLI_MAX_VARY_KEYS + 2 + CLI_OUTCOME_COUNT + 1];
    while (at < len) {
        char *nl = memchr(text + at, '\n', len - at);
        if (!nl)
            break; /* cut by the kill: run again */
        *nl = '\0';
        uint64_t run = first + n, v;
        int ok = split_csv(text + at, fields, want) == want && parse_u64(fields[0], &v) == 0 && v == run &&
                 run <= m->last;
        if (ok) {
            result *r = &res[run];
            ok = parse_u64(fields[3 + m->nkeys], &r->seed) == 0;
            for (size_t o = 0; ok && o < m->noutcomes; o++)
                ok = parse_i64(fields[4 + m->nkeys + o], cli_outcome_is_money(m->outcomes[o]),
                               &r->v[m->outcomes[o]]) == 0;
            char *e;
            const char *fpt = fields[want - 1];
            r->fingerprint = strtoull(fpt, &e, 16);
            ok = ok && !*e && strlen(fpt) == 16;
        }
        if (!ok) {
            fprintf(stderr, "cspsim: %s: row %llu is not run %llu of this plan\n", path, (unsigned long long)(n + 2),
                    (unsigned long long)run);
            goto out;
        }
        n++;
        at = (size_t)(nl - text) + 1;
    }
    *count = n;
    *keep = (long)at;
    rc = 0;
out:
    free(hdr);
    free(text);
    return rc;
}

/* ---- points, charts, report ------------------------------------------------------------- */

static void put_num(FILE *f, double x)
{
    if (fabs(x) < 0.00005)
        x = 0.0; /* never "-0.0000" */
    fprintf(f, "%.4f", x);
}

static double as_units(int outcome, int64_t v)
{
    return cli_outcome_is_money(outcome) ? (double)v / 100.0 : (double)v;
}

typedef struct {
    swp_stats s, d; /* the point, and its difference from point 0 (d.n = 0 for point 0) */
} point_stats;

/* Statistics of every point and outcome: ps[point * noutcomes + o]. NULL when memory ran out. */
static point_stats *compute_stats(const meta *m, const result *res)
{
    uint64_t R = m->replications;
    point_stats *ps = calloc(m->plan.npoints * m->noutcomes, sizeof *ps);
    double *x = malloc(R * sizeof *x), *b = malloc(R * sizeof *b);
    if (!ps || !x || !b)
        goto fail;
    for (size_t o = 0; o < m->noutcomes; o++) {
        int oc = m->outcomes[o];
        for (uint64_t r = 0; r < R; r++)
            b[r] = as_units(oc, res[r].v[oc]);
        for (uint64_t p = 0; p < m->plan.npoints; p++) {
            for (uint64_t r = 0; r < R; r++)
                x[r] = as_units(oc, res[p * R + r].v[oc]);
            point_stats *q = &ps[p * m->noutcomes + o];
            if (swp_stats_of(x, R, &q->s) || (p > 0 && swp_stats_paired(x, b, R, &q->d)))
                goto fail;
        }
    }
    free(x);
    free(b);
    return ps;
fail:
    free(ps);
    free(x);
    free(b);
    return NULL;
}

static int significant(const swp_stats *d)
{
    return d->n && d->has_ci && (d->ci_low > 0 || d->ci_high < 0);
}

static void write_points(FILE *f, const meta *m, const point_stats *ps)
{
    fputs("point", f);
    for (size_t k = 0; k < m->nkeys; k++) {
        fputc(',', f);
        put_csv(f, m->keys[k]);
    }
    fputs(",outcome,n,mean,sd,ci95_low,ci95_high,min,p5,p50,p95,max,diff_mean,diff_ci95_low,diff_ci95_high\n", f);
    for (uint64_t p = 0; p < m->plan.npoints; p++) {
        for (size_t o = 0; o < m->noutcomes; o++) {
            const point_stats *q = &ps[p * m->noutcomes + o];
            const swp_stats *s = &q->s, *d = &q->d;
            fprintf(f, "%llu", (unsigned long long)p);
            point_texts(f, m, p);
            fprintf(f, ",%s,%zu,", cli_outcome_name(m->outcomes[o]), s->n);
            put_num(f, s->mean);
            fputc(',', f);
            if (s->has_ci) {
                put_num(f, s->sd);
                fputc(',', f);
                put_num(f, s->ci_low);
                fputc(',', f);
                put_num(f, s->ci_high);
            } else {
                fputs(",,", f);
            }
            const double rest[] = {s->min, s->p5, s->p50, s->p95, s->max};
            for (size_t i = 0; i < 5; i++) {
                fputc(',', f);
                put_num(f, rest[i]);
            }
            fputc(',', f);
            if (d->n)
                put_num(f, d->mean);
            fputc(',', f);
            if (d->n && d->has_ci)
                put_num(f, d->ci_low);
            fputc(',', f);
            if (d->n && d->has_ci)
                put_num(f, d->ci_high);
            fputc('\n', f);
        }
    }
}

/* A point's label: "P15D" or "P15D / 0.5". */
static void point_label(const meta *m, uint64_t p, char *buf, size_t size)
{
    size_t c[CLI_MAX_VARY_KEYS], n = 0;
    swp_plan_coords(&m->plan, p, c);
    buf[0] = '\0';
    if (!m->nkeys)
        snprintf(buf, size, "base");
    for (size_t k = 0; k < m->nkeys && n < size; k++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s", k ? " / " : "", m->texts[k][c[k]]);
}

/* text for inside a gnuplot single-quoted string */
static void put_gp(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '\'')
            fputs("''", f);
        else if (*s != '\n' && *s != '\r')
            fputc(*s, f);
    }
}

static void gp_head(FILE *f, const char *name, const char *title)
{
    fprintf(f, "# %s: cd to this directory and run gnuplot %s.gp\n", name, name);
    fputs("if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
          "    set terminal pngcairo size 1280,720 noenhanced font 'sans,12'\n"
          "} else {\n"
          "    set terminal png size 1280,720 noenhanced\n"
          "}\n",
          f);
    fprintf(f, "set output '%s.png'\nset title '", name);
    put_gp(f, title);
    fputs("'\nset grid ytics\n", f);
}

static void gp_tail(FILE *f, const char *name)
{
    fprintf(f, "load '%s.plot'\nunset output\n"
               "set terminal svg size 1280,720 noenhanced font 'sans,12' background '#ffffff'\n"
               "set output '%s.svg'\nload '%s.plot'\nunset output\n",
            name, name, name);
}

typedef struct {
    char names[CLI_OUTCOME_COUNT * 3][64];
    const char *scripts[CLI_OUTCOME_COUNT * 3];
    char script_buf[CLI_OUTCOME_COUNT * 3][80];
    size_t n;
} chart_list;

static FILE *open_in(const char *dir, const char *name, const char *ext)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/%s.%s", dir, name, ext);
    return fopen(path, "w");
}

static int close_ok(FILE *f)
{
    if (!f)
        return -1;
    int bad = fflush(f) != 0 || ferror(f);
    return (fclose(f) != 0 || bad) ? -1 : 0;
}

/* The .dat, .plot (the plot command) and .gp of one chart. */
static int write_charts(const char *cdir, const meta *m, const result *res, const point_stats *ps, chart_list *cl)
{
    cl->n = 0;
    char label[1024];
    for (size_t o = 0; o < m->noutcomes; o++) {
        int oc = m->outcomes[o];
        const char *on = cli_outcome_name(oc);
        const char *unit = cli_outcome_is_money(oc) ? " (currency units)" : "";
        /* means with their intervals */
        char name[64];
        snprintf(name, sizeof name, "%s-means", on);
        FILE *d = open_in(cdir, name, "dat"), *p = open_in(cdir, name, "plot"), *g = open_in(cdir, name, "gp");
        if (d) {
            fputs("# point mean ci95_low ci95_high label\n", d);
            for (uint64_t i = 0; i < m->plan.npoints; i++) {
                const swp_stats *s = &ps[i * m->noutcomes + o].s;
                fprintf(d, "%llu ", (unsigned long long)i);
                put_num(d, s->mean);
                fputc(' ', d);
                put_num(d, s->has_ci ? s->ci_low : s->mean);
                fputc(' ', d);
                put_num(d, s->has_ci ? s->ci_high : s->mean);
                point_label(m, i, label, sizeof label);
                fputs(" \"", d);
                for (const char *c = label; *c; c++)
                    if (*c != '"')
                        fputc(*c, d);
                fputs("\"\n", d);
            }
        }
        if (p)
            fprintf(p, "plot '%s.dat' using 1:2:3:4:xtic(5) with yerrorbars pt 7 lw 2 title 'mean, 95%% interval', "
                       "'' using 1:2 with lines lw 1 notitle\n",
                    name);
        if (g) {
            char title[200];
            snprintf(title, sizeof title, "%s%s by point: mean and Student-t 95%% interval", on, unit);
            gp_head(g, name, title);
            fprintf(g, "set xrange [-0.5:%llu.5]\nset xlabel '", (unsigned long long)m->plan.npoints - 1);
            for (size_t k = 0; k < m->nkeys; k++) {
                fputs(k ? " / " : "", g);
                put_gp(g, m->keys[k]);
            }
            fputs("'\n", g);
            gp_tail(g, name);
        }
        if (close_ok(d) | close_ok(p) | close_ok(g))
            return -1;
        snprintf(cl->names[cl->n], sizeof cl->names[0], "%s", name);
        cl->n++;
        /* histogram of point 0 */
        snprintf(name, sizeof name, "%s-hist", on);
        d = open_in(cdir, name, "dat"), p = open_in(cdir, name, "plot"), g = open_in(cdir, name, "gp");
        const swp_stats *s0 = &ps[o].s;
        uint64_t R = m->replications, bins = R < 10 ? R : 10;
        double lo = s0->min, width = (s0->max - s0->min) / (double)bins;
        if (width <= 0)
            bins = 1, width = 1;
        if (d) {
            fputs("# bin_center count\n", d);
            uint64_t count[10] = {0};
            for (uint64_t r = 0; r < R; r++) {
                double x = as_units(oc, res[r].v[oc]);
                uint64_t b = width > 0 && s0->max > s0->min ? (uint64_t)((x - lo) / width) : 0;
                count[b >= bins ? bins - 1 : b]++;
            }
            for (uint64_t b = 0; b < bins; b++) {
                put_num(d, s0->max > s0->min ? lo + width * ((double)b + 0.5) : lo);
                fprintf(d, " %llu\n", (unsigned long long)count[b]);
            }
        }
        if (p)
            fprintf(p, "plot '%s.dat' using 1:2 with boxes fs solid 0.6 title 'replications'\n", name);
        if (g) {
            char title[200];
            point_label(m, 0, label, sizeof label);
            snprintf(title, sizeof title, "%s%s at point 0: %llu replications", on, unit, (unsigned long long)R);
            gp_head(g, name, title);
            fputs("set style fill solid 0.6\nset boxwidth 0.9 relative\nset yrange [0:*]\nset ylabel 'runs'\n", g);
            fprintf(g, "set xlabel '%s%s'\n", on, unit);
            gp_tail(g, name);
        }
        if (close_ok(d) | close_ok(p) | close_ok(g))
            return -1;
        snprintf(cl->names[cl->n], sizeof cl->names[0], "%s", name);
        cl->n++;
        if (m->nkeys != 2)
            continue;
        /* heat map of the mean over the two keys */
        snprintf(name, sizeof name, "%s-heat", on);
        d = open_in(cdir, name, "dat"), p = open_in(cdir, name, "plot"), g = open_in(cdir, name, "gp");
        size_t n0 = m->plan.nvalues[0], n1 = m->plan.nvalues[1];
        if (d) {
            fputs("# value-of-key-2 value-of-key-1 mean\n", d);
            for (size_t i = 0; i < n0; i++) {
                for (size_t j = 0; j < n1; j++) {
                    fprintf(d, "%zu %zu ", j, i);
                    put_num(d, ps[(i * n1 + j) * m->noutcomes + o].s.mean);
                    fputc('\n', d);
                }
                fputc('\n', d);
            }
        }
        if (p)
            fprintf(p, "plot '%s.dat' using 1:2:3 with image notitle\n", name);
        if (g) {
            char title[200];
            snprintf(title, sizeof title, "%s%s: mean by point", on, unit);
            gp_head(g, name, title);
            fputs("set xtics (", g);
            for (size_t j = 0; j < n1; j++) {
                fprintf(g, "%s'", j ? ", " : "");
                put_gp(g, m->texts[1][j]);
                fprintf(g, "' %zu", j);
            }
            fputs(")\nset ytics (", g);
            for (size_t i = 0; i < n0; i++) {
                fprintf(g, "%s'", i ? ", " : "");
                put_gp(g, m->texts[0][i]);
                fprintf(g, "' %zu", i);
            }
            fputs(")\nset xlabel '", g);
            put_gp(g, m->keys[1]);
            fputs("'\nset ylabel '", g);
            put_gp(g, m->keys[0]);
            fprintf(g, "'\nset xrange [-0.5:%zu.5]\nset yrange [-0.5:%zu.5]\nunset grid\n", n1 - 1, n0 - 1);
            gp_tail(g, name);
        }
        if (close_ok(d) | close_ok(p) | close_ok(g))
            return -1;
        snprintf(cl->names[cl->n], sizeof cl->names[0], "%s", name);
        cl->n++;
    }
    for (size_t i = 0; i < cl->n; i++) {
        snprintf(cl->script_buf[i], sizeof cl->script_buf[i], "%s.gp", cl->names[i]);
        cl->scripts[i] = cl->script_buf[i];
    }
    return 0;
}

static void write_report(FILE *f, const meta *m, const point_stats *ps, const chart_list *cl)
{
    char label[1024], fp[REP_FINGERPRINT_BUF];
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>", f);
    cli_xml_text(f, m->name);
    fputs(" - sweep</title>\n<style>body{font-family:sans-serif;max-width:1300px;margin:1em auto}"
          "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
          "th{background:#eee}td.l{text-align:left}.sig{font-weight:bold;color:#a00}img{max-width:100%}"
          "</style></head><body>\n<h1>",
          f);
    cli_xml_text(f, m->name);
    fputs(": experiment</h1>\n<h2>Question</h2>\n<p>", f);
    cli_xml_text(f, m->description[0] ? m->description : "(the scenario has no description)");
    fprintf(f, "</p>\n<p>%llu points x %llu replications = %llu runs; base seed %llu (replication r uses the same "
               "seed at every point); plan %s.</p>\n",
            (unsigned long long)m->plan.npoints, (unsigned long long)m->replications,
            (unsigned long long)m->plan.nruns, (unsigned long long)m->seed, rep_fingerprint(m->fingerprint, fp));
    fputs("<h2>Significant differences</h2>\n<ul>\n", f);
    int any = 0;
    for (uint64_t p = 1; p < m->plan.npoints; p++) {
        for (size_t o = 0; o < m->noutcomes; o++) {
            const swp_stats *d = &ps[p * m->noutcomes + o].d;
            if (!significant(d))
                continue;
            any = 1;
            point_label(m, p, label, sizeof label);
            fputs("<li>", f);
            fprintf(f, "point %llu (", (unsigned long long)p);
            cli_xml_text(f, label);
            fprintf(f, ") minus point 0: %s ", cli_outcome_name(m->outcomes[o]));
            put_num(f, d->mean);
            fputs(" [", f);
            put_num(f, d->ci_low);
            fputs(", ", f);
            put_num(f, d->ci_high);
            fputs("]</li>\n", f);
        }
    }
    if (!any)
        fputs(m->replications < 2 ? "<li>none can be told: intervals need 2 replications or more</li>\n"
                                  : "<li>none: every paired 95% interval includes 0</li>\n",
              f);
    fputs("</ul>\n<h2>Points</h2>\n<table>\n<tr><th>point</th>", f);
    for (size_t k = 0; k < m->nkeys; k++) {
        fputs("<th>", f);
        cli_xml_text(f, m->keys[k]);
        fputs("</th>", f);
    }
    fputs("<th>outcome</th><th>n</th><th>mean</th><th>sd</th><th>95% interval</th><th>min</th><th>p50</th>"
          "<th>max</th><th>minus point 0</th><th>95% interval</th></tr>\n",
          f);
    for (uint64_t p = 0; p < m->plan.npoints; p++) {
        size_t c[CLI_MAX_VARY_KEYS];
        swp_plan_coords(&m->plan, p, c);
        for (size_t o = 0; o < m->noutcomes; o++) {
            const point_stats *q = &ps[p * m->noutcomes + o];
            fprintf(f, "<tr><td>%llu</td>", (unsigned long long)p);
            for (size_t k = 0; k < m->nkeys; k++) {
                fputs("<td class=\"l\">", f);
                cli_xml_text(f, m->texts[k][c[k]]);
                fputs("</td>", f);
            }
            fprintf(f, "<td class=\"l\">%s</td><td>%zu</td><td>", cli_outcome_name(m->outcomes[o]), q->s.n);
            put_num(f, q->s.mean);
            fputs("</td><td>", f);
            if (q->s.has_ci)
                put_num(f, q->s.sd);
            fputs("</td><td>", f);
            if (q->s.has_ci) {
                put_num(f, q->s.ci_low);
                fputs(" .. ", f);
                put_num(f, q->s.ci_high);
            }
            fputs("</td><td>", f);
            put_num(f, q->s.min);
            fputs("</td><td>", f);
            put_num(f, q->s.p50);
            fputs("</td><td>", f);
            put_num(f, q->s.max);
            fprintf(f, "</td><td%s>", significant(&q->d) ? " class=\"sig\"" : "");
            if (q->d.n)
                put_num(f, q->d.mean);
            fputs("</td><td>", f);
            if (q->d.n && q->d.has_ci) {
                put_num(f, q->d.ci_low);
                fputs(" .. ", f);
                put_num(f, q->d.ci_high);
            }
            fputs("</td></tr>\n", f);
        }
    }
    fputs("</table>\n", f);
    if (cl && cl->n) {
        fputs("<h2>Charts</h2>\n", f);
        for (size_t i = 0; i < cl->n; i++) {
            fputs("<figure><img src=\"charts/", f);
            cli_xml_text(f, cl->names[i]);
            fputs(".svg\" alt=\"", f);
            cli_xml_text(f, cl->names[i]);
            fputs("\"><figcaption>", f);
            cli_xml_text(f, cl->names[i]);
            fputs("</figcaption></figure>\n", f);
        }
    }
    fputs("<p>Intervals: Student's t, 95%, of the mean over the replications; differences paired by replication "
          "(common random numbers). Percentiles: type 7. Files: runs.csv, points.csv, charts/.</p>\n"
          "</body></html>\n",
          f);
}

/* points.csv, charts and report.html of a complete sweep. 0, or the exit status. */
static int write_final(const char *dir, const meta *m, const result *res, int charts)
{
    point_stats *ps = compute_stats(m, res);
    if (!ps) {
        fprintf(stderr, "cspsim: out of memory\n");
        return 1;
    }
    int rc = CLI_EXIT_IOERR;
    char path[4200], cdir[4200];
    chart_list *cl = calloc(1, sizeof *cl);
    snprintf(path, sizeof path, "%s/points.csv", dir);
    FILE *f = fopen(path, "w");
    if (f)
        write_points(f, m, ps);
    if (close_ok(f)) {
        fprintf(stderr, "cspsim: cannot write %s: %s\n", path, strerror(errno));
        goto out;
    }
    if (charts && cl) {
        snprintf(cdir, sizeof cdir, "%s/charts", dir);
        if (rep_mkdirs(cdir) || write_charts(cdir, m, res, ps, cl)) {
            fprintf(stderr, "cspsim: cannot write the charts in %s: %s\n", cdir, strerror(errno));
            goto out;
        }
        if (cli_gnuplot_render_timed(cdir, cl->scripts, cl->n, CLI_GNUPLOT_TIMEOUT, stderr) < 0)
            goto out;
    }
    snprintf(path, sizeof path, "%s/report.html", dir);
    f = fopen(path, "w");
    if (f)
        write_report(f, m, ps, charts ? cl : NULL);
    if (close_ok(f)) {
        fprintf(stderr, "cspsim: cannot write %s: %s\n", path, strerror(errno));
        goto out;
    }
    rc = 0;
out:
    free(cl);
    free(ps);
    return rc;
}

/* ---- the runs ------------------------------------------------------------------------- */

typedef struct {
    meta *m;
    const cli_scenario *base; /* the vary value nodes live in its arena */
    const cli_experiment *e;
    const cli_override *sets;
    size_t nsets;
    int has_seed;
    FILE *runs; /* runs.csv, appending */
    const char *runs_path;
    result *res; /* by run number */
    uint64_t done, todo;
    int progress;
    struct timespec t0;
    int breached; /* a run broke an invariant (set from the workers): exit 70 */
} sweep_ctx;

/* The overrides of a point: the --set ones, then the point's vary values. */
static size_t point_overrides(const sweep_ctx *c, uint64_t point, cli_override *ov)
{
    size_t n = 0, co[CLI_MAX_VARY_KEYS];
    for (size_t i = 0; i < c->nsets; i++)
        ov[n++] = c->sets[i];
    swp_plan_coords(&c->m->plan, point, co);
    for (size_t k = 0; k < c->m->nkeys; k++) {
        const cli_vary *v = &c->e->vary[k];
        ov[n++] = (cli_override){v->path, v->values[co[k]], NULL, v->texts[co[k]]};
    }
    return n;
}

static int do_run(void *ctx, uint64_t run, void *out)
{
    sweep_ctx *c = ctx;
    result *r = out;
    cli_override *ov = malloc((c->nsets + CLI_MAX_VARY_KEYS) * sizeof *ov);
    if (!ov)
        return -1;
    size_t n = point_overrides(c, swp_run_point(&c->m->plan, run), ov);
    r->seed = swp_run_seed(c->m->seed, swp_run_replication(&c->m->plan, run));
    cli_load_opts lo = {1, r->seed, ov, n, 0, 0};
    cli_diag d;
    cli_scenario *s = cli_scenario_load_opts(c->m->file, &lo, &d);
    free(ov);
    if (!s) {
        cli_diag_print(stderr, &d);
        return -1;
    }
    int rc = -1;
    rep_out *null = rep_out_null();
    rep_trace *t = null ? rep_trace_new(s->world, null, NULL) : NULL;
    if (t) {
        model_set_sink(s->world, rep_trace_sink(t));
        int sim = cli_simulate(s, NULL, NULL, NULL);
        if (sim == 0) {
            model_metrics mt;
            model_metrics_total(s->world, &mt);
            for (int o = 0; o < CLI_OUTCOME_COUNT; o++)
                r->v[o] = cli_outcome_value(&mt, o);
            r->fingerprint = rep_out_hash(null);
            rc = 0;
        } else if (sim == -2) {
            cli_breach_print(stderr, s);
            __atomic_store_n(&c->breached, 1, __ATOMIC_RELAXED);
        } else {
            fprintf(stderr, "cspsim: run %llu: out of memory\n", (unsigned long long)run);
        }
    } else {
        fprintf(stderr, "cspsim: out of memory\n");
    }
    rep_trace_free(t);
    rep_out_free(null);
    cli_scenario_free(s);
    return rc;
}

static void draw(sweep_ctx *c)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double el = (double)(now.tv_sec - c->t0.tv_sec) + (double)(now.tv_nsec - c->t0.tv_nsec) / 1e9;
    double rate = el > 0 ? (double)c->done / el : 0;
    double eta = rate > 0 ? (double)(c->todo - c->done) / rate : 0;
    int width = 30, bar = c->todo ? (int)((double)c->done * width / (double)c->todo) : width;
    fprintf(stderr, "\r[%.*s%*s] %llu/%llu runs, %.1f runs/s, ETA %.0f s ", bar, "==============================",
            width - bar, "", (unsigned long long)c->done, (unsigned long long)c->todo, rate, eta);
    if (c->done == c->todo)
        fputs("\r\033[K", stderr);
    fflush(stderr);
}

static int take_run(void *ctx, size_t i, uint64_t run, const void *out)
{
    (void)i;
    sweep_ctx *c = ctx;
    c->res[run] = *(const result *)out;
    runs_row(c->runs, c->m, run, &c->res[run]);
    if (fflush(c->runs) != 0 || ferror(c->runs)) {
        fprintf(stderr, "cspsim: cannot write %s: %s\n", c->runs_path, strerror(errno));
        return -1;
    }
    c->done++;
    if (c->progress)
        draw(c);
    return 0;
}

/* ---- the command ------------------------------------------------------------------------ */

static long default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > SWP_MAX_JOBS ? SWP_MAX_JOBS : n;
}

int cli_cmd_sweep(int argc, char **argv)
{
    const char *path = NULL, *dir = NULL, *resume = NULL, *runs_arg = NULL;
    long jobs = default_jobs(), reps = 0;
    int quiet = 0, charts = 1, has_seed = 0;
    uint64_t seed = 0;
    const char **set_args = calloc((size_t)argc + 1, sizeof *set_args);
    size_t nset_args = 0;
    int rc = CLI_EXIT_USAGE;
    meta m = {0}, old = {0};
    cli_override *sets = NULL;
    cli_scenario *s = NULL;
    result *res = NULL;
    uint64_t *todo = NULL;
    FILE *runs = NULL;
    char dirbuf[4096], runs_path[4200];
    if (!set_args) {
        fprintf(stderr, "cspsim: out of memory\n");
        return 1;
    }
    m.a = cli_arena_new();
    old.a = cli_arena_new();
    if (!m.a || !old.a) {
        fprintf(stderr, "cspsim: out of memory\n");
        rc = 1;
        goto done;
    }
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            if (!(dir = cli_option_value(argc, argv, &i))) {
                rc = cli_usage_error(stderr, "sweep", "%s needs a directory", a);
                goto done;
            }
        } else if (strcmp(a, "--jobs") == 0 || strcmp(a, "-j") == 0) {
            const char *v = cli_option_value(argc, argv, &i);
            if (!v || cli_parse_count(v, 1, SWP_MAX_JOBS, &jobs)) {
                rc = cli_usage_error(stderr, "sweep", "--jobs needs a number from 1 to %d", SWP_MAX_JOBS);
                goto done;
            }
        } else if (strcmp(a, "--replications") == 0) {
            const char *v = cli_option_value(argc, argv, &i);
            if (!v || cli_parse_count(v, 1, CLI_MAX_REPLICATIONS, &reps)) {
                rc = cli_usage_error(stderr, "sweep", "--replications needs a number from 1 to %d (limit)",
                                     CLI_MAX_REPLICATIONS);
                goto done;
            }
        } else if (strcmp(a, "--runs") == 0) {
            if (!(runs_arg = cli_option_value(argc, argv, &i))) {
                rc = cli_usage_error(stderr, "sweep", "--runs needs a range A-B");
                goto done;
            }
        } else if (strcmp(a, "--seed") == 0) {
            const char *v = cli_option_value(argc, argv, &i);
            if (!v || cli_parse_seed(v, &seed)) {
                rc = cli_usage_error(stderr, "sweep", "--seed needs a whole number from 0 to 2^63-1");
                goto done;
            }
            has_seed = 1;
        } else if (strcmp(a, "--set") == 0) {
            const char *v = cli_option_value(argc, argv, &i);
            if (!v) {
                rc = cli_usage_error(stderr, "sweep", "--set needs KEY=VALUE");
                goto done;
            }
            set_args[nset_args++] = v;
        } else if (strcmp(a, "--resume") == 0) {
            if (!(resume = cli_option_value(argc, argv, &i))) {
                rc = cli_usage_error(stderr, "sweep", "--resume needs a sweep directory");
                goto done;
            }
        } else if (strcmp(a, "--no-charts") == 0) {
            charts = 0;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            quiet = 1;
        } else if (a[0] == '-' && a[1]) {
            rc = cli_usage_error(stderr, "sweep", "unknown option '%s'", a);
            goto done;
        } else if (path) {
            rc = cli_usage_error(stderr, "sweep", "sweep takes one scenario; '%s' is one too many", a);
            goto done;
        } else {
            path = a;
        }
    }
    if (resume && dir && strcmp(resume, dir) != 0) {
        rc = cli_usage_error(stderr, "sweep", "--resume DIR writes into DIR: leave -o out");
        goto done;
    }
    if (resume) {
        if (plan_read(resume, &old))
            goto done;
        dir = resume;
        if (!path) { /* the plan says what it was */
            path = old.file;
            for (size_t i = 0; i < old.nsets; i++)
                set_args[nset_args++] = old.sets[i];
            has_seed = 1;
            seed = old.seed;
            reps = (long)old.replications;
        }
    }
    if (!path) {
        rc = cli_usage_error(stderr, "sweep", "sweep needs a scenario file (or --resume DIR)");
        goto done;
    }
    sets = calloc(nset_args + 1, sizeof *sets);
    if (!sets) {
        fprintf(stderr, "cspsim: out of memory\n");
        rc = 1;
        goto done;
    }
    for (size_t i = 0; i < nset_args; i++) {
        char err[600];
        if (cli_override_parse(m.a, set_args[i], &sets[i], err, sizeof err)) {
            rc = cli_usage_error(stderr, "sweep", "%s", err);
            goto done;
        }
    }
    cli_diag d;
    cli_load_opts lo = {has_seed, seed, sets, nset_args, 0, 0};
    if (!(s = cli_scenario_load_opts(path, &lo, &d))) {
        cli_diag_print(stderr, &d);
        goto done;
    }
    cli_experiment defaults;
    const cli_experiment *e = s->experiment;
    if (!e) {
        cli_experiment_default(&defaults);
        e = &defaults;
    }
    /* every vary value read by the reader of its place: a wrong type is refused here, at
     * its FILE:LINE:COL, before anything is written */
    cli_override *ov = calloc(nset_args + 1, sizeof *ov);
    if (!ov) {
        fprintf(stderr, "cspsim: out of memory\n");
        rc = 1;
        goto done;
    }
    if (nset_args)
        memcpy(ov, sets, nset_args * sizeof *ov);
    for (size_t k = 0; k < e->nvary; k++) {
        for (size_t j = 0; j < e->vary[k].nvalues; j++) {
            ov[nset_args] = (cli_override){e->vary[k].path, e->vary[k].values[j], NULL, e->vary[k].texts[j]};
            cli_load_opts vo = {1, s->seed, ov, nset_args + 1, 0, 0};
            cli_scenario *t = cli_scenario_load_opts(path, &vo, &d);
            if (!t) {
                cli_diag_print(stderr, &d);
                free(ov);
                goto done;
            }
            cli_scenario_free(t);
        }
    }
    free(ov);
    m.file = path;
    m.name = s->name;
    m.description = s->description ? s->description : "";
    m.seed = s->seed;
    m.replications = reps ? (uint64_t)reps : (uint64_t)e->replications;
    m.nkeys = e->nvary;
    for (size_t k = 0; k < e->nvary; k++) {
        m.keys[k] = e->vary[k].key;
        m.texts[k] = e->vary[k].texts;
        m.plan.nvalues[k] = e->vary[k].nvalues;
    }
    m.noutcomes = e->noutcomes;
    memcpy(m.outcomes, e->outcomes, sizeof m.outcomes);
    m.sets = set_args;
    m.nsets = nset_args;
    m.plan.nkeys = m.nkeys;
    m.plan.replications = m.replications;
    m.plan.seed = m.seed;
    if (swp_plan_init(&m.plan, CLI_MAX_RUNS)) {
        fprintf(stderr, "cspsim: %s: the experiment has more than %d runs (limit)\n", path, CLI_MAX_RUNS);
        goto done;
    }
    m.fingerprint = plan_fingerprint(&m, s->text, s->len);
    m.first = 0;
    m.last = m.plan.nruns - 1;
    if (runs_arg) {
        if (cli_parse_seed_range(runs_arg, UINT64_MAX, &m.first, &m.last) || m.last >= m.plan.nruns) {
            rc = cli_usage_error(stderr, "sweep", "--runs %s is outside the runs of this sweep: 0-%llu", runs_arg,
                                 (unsigned long long)(m.plan.nruns - 1));
            goto done;
        }
    } else if (resume) {
        m.first = old.first;
        m.last = old.last;
    }
    if (resume) {
        char a[REP_FINGERPRINT_BUF], b[REP_FINGERPRINT_BUF];
        if (old.fingerprint != m.fingerprint) {
            fprintf(stderr, "cspsim: %s is a sweep of another experiment (plan %s; %s gives plan %s): not resumed\n",
                    resume, rep_fingerprint(old.fingerprint, a), path, rep_fingerprint(m.fingerprint, b));
            goto done;
        }
        if (old.first != m.first || old.last != m.last) {
            fprintf(stderr, "cspsim: %s holds runs %llu-%llu, not %llu-%llu: not resumed\n", resume,
                    (unsigned long long)old.first, (unsigned long long)old.last, (unsigned long long)m.first,
                    (unsigned long long)m.last);
            goto done;
        }
    }
    if (!dir) {
        char name[128];
        size_t n = 0;
        for (const char *p = s->name; *p && n + 7 < sizeof name; p++)
            name[n++] = ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                         *p == '_' || *p == '-' || *p == '.') ? *p : '-';
        name[n] = '\0';
        snprintf(dirbuf, sizeof dirbuf, "out/%s-sweep", n && strcmp(name, ".") && strcmp(name, "..") ? name : "scenario");
        dir = dirbuf;
    }
    res = calloc(m.plan.nruns, sizeof *res);
    todo = malloc((size_t)(m.last - m.first + 1) * sizeof *todo);
    if (!res || !todo) {
        fprintf(stderr, "cspsim: out of memory\n");
        rc = 1;
        goto done;
    }
#ifdef CSPSIM_MPI
    if (swp_mpi_size() > 1 && swp_mpi_rank() != 0) { /* a rank that only computes: no file */
        sweep_ctx c = {&m, s, e, sets, nset_args, has_seed, NULL, NULL, res, 0, 0, 0, {0, 0}, 0};
        swp_work w = {NULL, 0, sizeof(result), do_run, NULL, &c};
        rc = swp_mpi_execute(&w, NULL) ? 1 : 0;
        goto done;
    }
#endif
    uint64_t have = 0;
    long keep = 0;
    if (resume && runs_read(dir, &m, m.first, res, &have, &keep))
        goto done;
    /* from here on files are written */
    rc = CLI_EXIT_IOERR;
    snprintf(runs_path, sizeof runs_path, "%s/runs.csv", dir);
    if (rep_mkdirs(dir)) {
        fprintf(stderr, "cspsim: cannot create %s: %s\n", dir, strerror(errno));
        goto done;
    }
    if (resume) {
        if (truncate(runs_path, keep) || !(runs = fopen(runs_path, "a"))) {
            fprintf(stderr, "cspsim: cannot write %s: %s\n", runs_path, strerror(errno));
            goto done;
        }
    } else {
        char pp[4200];
        snprintf(pp, sizeof pp, "%s/points.csv", dir); /* a complete sweep's files go when it starts again */
        remove(pp);
        snprintf(pp, sizeof pp, "%s/report.html", dir);
        remove(pp);
        if (write_plan(dir, &m, m.first, m.last))
            goto done;
        if (!(runs = fopen(runs_path, "w"))) {
            fprintf(stderr, "cspsim: cannot write %s: %s\n", runs_path, strerror(errno));
            goto done;
        }
        runs_header(runs, &m);
        if (fflush(runs)) {
            fprintf(stderr, "cspsim: cannot write %s: %s\n", runs_path, strerror(errno));
            goto done;
        }
    }
    size_t ntodo = 0;
    for (uint64_t r = m.first + have; r <= m.last; r++)
        todo[ntodo++] = r;
    sweep_ctx c = {&m, s, e, sets, nset_args, has_seed, runs, runs_path, res, 0, ntodo, isatty(2) && !quiet, {0, 0}, 0};
    clock_gettime(CLOCK_MONOTONIC, &c.t0);
    swp_work w = {todo, ntodo, sizeof(result), do_run, take_run, &c};
    uint64_t failed_run = UINT64_MAX;
#ifdef CSPSIM_MPI /* under mpirun or srun: over the ranks, one run at a time each (--jobs unused) */
    int stopped = swp_mpi_size() > 1 ? swp_mpi_execute(&w, &failed_run) : swp_threads_execute(&w, (unsigned)jobs);
#else
    int stopped = swp_threads_execute(&w, (unsigned)jobs);
#endif
    if (stopped) {
        if (c.progress)
            fputs("\r\033[K", stderr);
        if (failed_run != UINT64_MAX) /* only from the ranks, whose messages nobody sees */
            fprintf(stderr, "cspsim: run %llu failed (ranks other than 0 print nothing: cspsim sweep --resume %s "
                            "without mpirun shows why)\n", (unsigned long long)failed_run, dir);
        fprintf(stderr, "cspsim: the sweep stopped after %llu of %llu runs; the finished ones are in %s "
                        "(cspsim sweep --resume %s)\n",
                (unsigned long long)(have + c.done), (unsigned long long)(m.last - m.first + 1), runs_path, dir);
        rc = __atomic_load_n(&c.breached, __ATOMIC_RELAXED) ? CLI_EXIT_INVARIANT : 1;
        goto done;
    }
    if (close_ok(runs)) {
        runs = NULL;
        fprintf(stderr, "cspsim: cannot write %s: %s\n", runs_path, strerror(errno));
        goto done;
    }
    runs = NULL;
    if (m.first == 0 && m.last == m.plan.nruns - 1) {
        if ((rc = write_final(dir, &m, res, charts)) != 0)
            goto done;
    }
    if (!quiet)
        printf("%s: %llu points x %llu replications, runs %llu-%llu%s; wrote %s/\n", m.name,
               (unsigned long long)m.plan.npoints, (unsigned long long)m.replications, (unsigned long long)m.first,
               (unsigned long long)m.last,
               m.first == 0 && m.last == m.plan.nruns - 1 ? "" : " (a shard: cspsim merge the shards)", dir);
    rc = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "cspsim: cannot write standard output: %s\n", strerror(errno));
        rc = CLI_EXIT_IOERR;
    }
done:
    if (runs)
        fclose(runs);
    free(res);
    free(todo);
    free(sets);
    free(set_args);
    cli_scenario_free(s);
    cli_arena_free(m.a);
    cli_arena_free(old.a);
    return rc;
}

/* ---- merge ----------------------------------------------------------------------------- */

/* The first field in which two plans differ, for the refusal. */
static const char *plan_mismatch(const meta *a, const meta *b, char *buf, size_t size)
{
    if (a->seed != b->seed)
        snprintf(buf, size, "seed %llu and seed %llu", (unsigned long long)a->seed, (unsigned long long)b->seed);
    else if (a->replications != b->replications)
        snprintf(buf, size, "%llu and %llu replications", (unsigned long long)a->replications,
                 (unsigned long long)b->replications);
    else if (a->plan.npoints != b->plan.npoints || a->nkeys != b->nkeys)
        snprintf(buf, size, "%llu and %llu points", (unsigned long long)a->plan.npoints,
                 (unsigned long long)b->plan.npoints);
    else if (strcmp(a->file, b->file) != 0)
        snprintf(buf, size, "files %s and %s", a->file, b->file);
    else
        snprintf(buf, size, "the scenario's text, --set values, vary or outcomes");
    return buf;
}

int cli_cmd_merge(int argc, char **argv)
{
    const char *out = NULL;
    int quiet = 0, charts = 1, rc = CLI_EXIT_USAGE;
    const char **dirs = calloc((size_t)argc + 1, sizeof *dirs);
    size_t ndirs = 0;
    meta *ms = NULL;
    result *res = NULL;
    unsigned char *have = NULL;
    if (!dirs) {
        fprintf(stderr, "cspsim: out of memory\n");
        return 1;
    }
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) {
            if (!(out = cli_option_value(argc, argv, &i))) {
                rc = cli_usage_error(stderr, "merge", "-o needs a directory");
                goto done;
            }
        } else if (strcmp(argv[i], "--no-charts") == 0) {
            charts = 0;
        } else if (strcmp(argv[i], "-q") == 0 || strcmp(argv[i], "--quiet") == 0) {
            quiet = 1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            rc = cli_usage_error(stderr, "merge", "unknown option '%s'", argv[i]);
            goto done;
        } else {
            dirs[ndirs++] = argv[i];
        }
    }
    if (!ndirs || !out) {
        rc = cli_usage_error(stderr, "merge", "merge needs shard directories and -o OUT");
        goto done;
    }
    ms = calloc(ndirs, sizeof *ms);
    if (!ms) {
        fprintf(stderr, "cspsim: out of memory\n");
        rc = 1;
        goto done;
    }
    for (size_t i = 0; i < ndirs; i++) {
        if (!(ms[i].a = cli_arena_new())) {
            fprintf(stderr, "cspsim: out of memory\n");
            rc = 1;
            goto done;
        }
        if (plan_read(dirs[i], &ms[i]))
            goto done;
        if (ms[i].fingerprint != ms[0].fingerprint) {
            char why[600];
            fprintf(stderr, "cspsim: %s and %s are shards of different sweeps (%s): not merged\n", dirs[0], dirs[i],
                    plan_mismatch(&ms[0], &ms[i], why, sizeof why));
            goto done;
        }
    }
    meta *m = &ms[0];
    res = calloc(m->plan.nruns, sizeof *res);
    have = calloc(m->plan.nruns, 1);
    if (!res || !have) {
        fprintf(stderr, "cspsim: out of memory\n");
        rc = 1;
        goto done;
    }
    for (size_t i = 0; i < ndirs; i++) {
        meta *mi = &ms[i];
        result *tmp = calloc(m->plan.nruns, sizeof *tmp);
        uint64_t n = 0;
        long keep;
        if (!tmp) {
            fprintf(stderr, "cspsim: out of memory\n");
            rc = 1;
            goto done;
        }
        if (runs_read(dirs[i], mi, mi->first, tmp, &n, &keep)) {
            free(tmp);
            goto done;
        }
        for (uint64_t r = mi->first; r < mi->first + n; r++) {
            if (have[r] && memcmp(&res[r], &tmp[r], sizeof *res) != 0) {
                fprintf(stderr, "cspsim: run %llu differs between shards (%s): not merged\n", (unsigned long long)r,
                        dirs[i]);
                free(tmp);
                goto done;
            }
            res[r] = tmp[r];
            have[r] = 1;
        }
        free(tmp);
    }
    for (uint64_t r = 0; r < m->plan.nruns; r++) {
        if (!have[r]) {
            uint64_t e = r;
            while (e + 1 < m->plan.nruns && !have[e + 1])
                e++;
            fprintf(stderr, "cspsim: runs %llu-%llu are in no shard (of runs 0-%llu; an unfinished shard: cspsim sweep "
                            "--resume it): not merged\n",
                    (unsigned long long)r, (unsigned long long)e, (unsigned long long)(m->plan.nruns - 1));
            goto done;
        }
    }
    rc = CLI_EXIT_IOERR;
    if (rep_mkdirs(out)) {
        fprintf(stderr, "cspsim: cannot create %s: %s\n", out, strerror(errno));
        goto done;
    }
    if (write_plan(out, m, 0, m->plan.nruns - 1))
        goto done;
    char path[4200];
    snprintf(path, sizeof path, "%s/runs.csv", out);
    FILE *f = fopen(path, "w");
    if (f) {
        runs_header(f, m);
        for (uint64_t r = 0; r < m->plan.nruns; r++)
            runs_row(f, m, r, &res[r]);
    }
    if (close_ok(f)) {
        fprintf(stderr, "cspsim: cannot write %s: %s\n", path, strerror(errno));
        goto done;
    }
    if ((rc = write_final(out, m, res, charts)) != 0)
        goto done;
    if (!quiet)
        printf("%s: merged %zu shards, runs 0-%llu; wrote %s/\n", m->name, ndirs,
               (unsigned long long)(m->plan.nruns - 1), out);
    rc = 0;
done:
    for (size_t i = 0; ms && i < ndirs; i++)
        cli_arena_free(ms[i].a);
    free(ms);
    free(res);
    free(have);
    free(dirs);
    return rc;
}
