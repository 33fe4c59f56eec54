/* tests/check_loader.c - the scenario loader (cli/scenario.c, cli/ytree.c).
 *
 * - corpus: every tests/bad/NN-name.yaml (found at run time, relative to the current
 *   directory, which is the repository root under `make unit`) must fail to load with the
 *   first line `FILE:LINE:COL: error: MESSAGE` written in tests/bad/NN-name.expected;
 * - limits: files generated at run time in a temporary directory at each named limit of
 *   cli/limits.h (must not fail with the limit's error) and one past it (must);
 * - positive: the demo scenario, relative instants, defaults and the --seed override.
 */
#include <errno.h>
#include <glob.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/limits.h"
#include "cli/expect.h"
#include "cli/scenario.h"
#include "cli/simulate.h"
#include "suites.h"

#define CORPUS_GLOB "tests/bad/*.yaml"
#define CORPUS_MIN 40

/* ---- helpers ---------------------------------------------------------------------------- */

/* The first line of cspsim's report for d, as cli_diag_print writes it. */
static void format_first_line(const cli_diag *d, char *buf, size_t size)
{
    if (d->line > 0)
        snprintf(buf, size, "%s:%d:%d: error: %s", d->file, d->line, d->col, d->message);
    else
        snprintf(buf, size, "%s: error: %s", d->file, d->message);
}

/* Loads path, which must fail; returns the formatted first line in buf. */
static void load_fails(const char *path, char *buf, size_t size, cli_diag *d)
{
    memset(d, 0, sizeof *d);
    cli_scenario *s = cli_scenario_load(path, 0, 0, d);
    if (s) {
        cli_scenario_free(s);
        ck_abort_msg("%s loaded, but must fail", path);
    }
    format_first_line(d, buf, size);
}

/* Loads path, which must succeed. */
static cli_scenario *load_ok(const char *path, int has_seed, uint64_t seed)
{
    cli_diag d;
    memset(&d, 0, sizeof d);
    cli_scenario *s = cli_scenario_load(path, has_seed, seed, &d);
    if (!s) {
        char line[1024];
        format_first_line(&d, line, sizeof line);
        ck_abort_msg("%s did not load: %s", path, line);
    }
    return s;
}

/* A temporary directory for generated files, removed (with its files) by tmp_cleanup. */
typedef struct {
    char dir[512];
    char files[8][600];
    int n;
} tmpdir;

static void tmp_init(tmpdir *t)
{
    const char *base = getenv("TMPDIR");
    memset(t, 0, sizeof *t);
    snprintf(t->dir, sizeof t->dir, "%s/cspsim-loader.XXXXXX", base && *base ? base : "/tmp");
    ck_assert_msg(mkdtemp(t->dir) != NULL, "mkdtemp %s: %s", t->dir, strerror(errno));
}

static void tmp_cleanup(tmpdir *t)
{
    for (int i = 0; i < t->n; i++)
        unlink(t->files[i]);
    rmdir(t->dir);
}

/* Opens a new file name in the directory for writing; its path goes to *path. */
static FILE *tmp_open(tmpdir *t, const char *name, const char **path)
{
    ck_assert_int_lt(t->n, 8);
    char dir[sizeof t->dir];
    memcpy(dir, t->dir, sizeof dir);
    char *p = t->files[t->n++];
    snprintf(p, sizeof t->files[0], "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    ck_assert_msg(f != NULL, "cannot write %s: %s", p, strerror(errno));
    *path = p;
    return f;
}

static void tmp_close(FILE *f)
{
    ck_assert_msg(!ferror(f), "write error");
    ck_assert_int_eq(fclose(f), 0);
}

/* Writes a whole file from printf-style text. */
static const char *tmp_write(tmpdir *t, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static const char *tmp_write(tmpdir *t, const char *name, const char *fmt, ...)
{
    const char *path;
    FILE *f = tmp_open(t, name, &path);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    tmp_close(f);
    return path;
}

static void put_repeated(FILE *f, char c, long n)
{
    char buf[4096];
    memset(buf, c, sizeof buf);
    while (n > 0) {
        size_t k = n > (long)sizeof buf ? sizeof buf : (size_t)n;
        fwrite(buf, 1, k, f);
        n -= (long)k;
    }
}

static long file_size(FILE *f)
{
    ck_assert_int_eq(fflush(f), 0);
    long n = ftell(f);
    ck_assert_int_ge(n, 0);
    return n;
}

/* A valid scenario's first lines; generated files append to it. */
#define HEAD "name: limits\nstart: 2025-01-01\nend: 2025-03-01\n"

/* ---- the bad-input corpus --------------------------------------------------------------- */

static size_t corpus_count(void)
{
    glob_t g;
    memset(&g, 0, sizeof g);
    size_t n = glob(CORPUS_GLOB, 0, NULL, &g) == 0 ? g.gl_pathc : 0;
    globfree(&g);
    return n;
}

START_TEST(test_corpus_file)
{
    glob_t g;
    memset(&g, 0, sizeof g);
    ck_assert_int_eq(glob(CORPUS_GLOB, 0, NULL, &g), 0);
    ck_assert_uint_lt((size_t)_i, g.gl_pathc);
    const char *path = g.gl_pathv[_i];

    char expected_path[1024], want[1024] = "", got[1024];
    snprintf(expected_path, sizeof expected_path, "%.*s.expected", (int)(strlen(path) - 5), path);
    FILE *f = fopen(expected_path, "r");
    ck_assert_msg(f != NULL, "%s: cannot open %s", path, expected_path);
    if (!fgets(want, sizeof want, f))
        want[0] = '\0';
    fclose(f);
    want[strcspn(want, "\r\n")] = '\0';
    ck_assert_msg(want[0], "%s is empty", expected_path);

    cli_diag d;
    load_fails(path, got, sizeof got, &d);
    ck_assert_msg(strcmp(got, want) == 0, "%s:\n  got  %s\n  want %s", path, got, want);
    ck_assert_msg(d.line > 0 || strstr(path, "empty") == NULL, "%s: no position", path);
    globfree(&g);
}
END_TEST

/* At least CORPUS_MIN files, each .yaml with its .expected and each .expected with its .yaml. */
START_TEST(test_corpus_complete)
{
    glob_t g;
    memset(&g, 0, sizeof g);
    ck_assert_msg(glob(CORPUS_GLOB, 0, NULL, &g) == 0, "no %s (run from the repository root)", CORPUS_GLOB);
    ck_assert_msg(g.gl_pathc >= CORPUS_MIN, "the corpus has %zu files, fewer than %d", (size_t)g.gl_pathc,
                  CORPUS_MIN);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        char p[1024];
        snprintf(p, sizeof p, "%.*s.expected", (int)(strlen(g.gl_pathv[i]) - 5), g.gl_pathv[i]);
        ck_assert_msg(access(p, R_OK) == 0, "%s has no %s", g.gl_pathv[i], p);
    }
    globfree(&g);
    memset(&g, 0, sizeof g);
    ck_assert_int_eq(glob("tests/bad/*.expected", 0, NULL, &g), 0);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        char p[1024];
        snprintf(p, sizeof p, "%.*s.yaml", (int)(strlen(g.gl_pathv[i]) - 9), g.gl_pathv[i]);
        ck_assert_msg(access(p, R_OK) == 0, "%s has no %s", g.gl_pathv[i], p);
    }
    globfree(&g);
}
END_TEST

/* ---- limits ----------------------------------------------------------------------------- */

/* description: [[[ ... ]]] nested so that the whole file is `depth` collections deep (the
 * top-level mapping is the first). */
static const char *write_nested(tmpdir *t, const char *name, int depth)
{
    const char *path;
    FILE *f = tmp_open(t, name, &path);
    fputs(HEAD "description: ", f);
    put_repeated(f, '[', depth - 1);
    fputc('1', f);
    put_repeated(f, ']', depth - 1);
    fputc('\n', f);
    tmp_close(f);
    return path;
}

START_TEST(test_limit_depth)
{
    tmpdir t;
    tmp_init(&t);
    char got[1024], want[1024];
    cli_diag d;
    /* at the limit: the tree is built; the loader then refuses a list as description */
    const char *at = write_nested(&t, "at.yaml", CLI_MAX_DEPTH);
    load_fails(at, got, sizeof got, &d);
    snprintf(want, sizeof want, "%s:4:14: error: description must be text, not a list", at);
    ck_assert_str_eq(got, want);
    /* one past it: refused at the opening bracket that goes too deep */
    const char *past = write_nested(&t, "past.yaml", CLI_MAX_DEPTH + 1);
    load_fails(past, got, sizeof got, &d);
    snprintf(want, sizeof want, "%s:4:%d: error: nesting deeper than %d levels (limit)", past,
             13 + CLI_MAX_DEPTH, CLI_MAX_DEPTH);
    ck_assert_str_eq(got, want);
    tmp_cleanup(&t);
}
END_TEST

/* A valid scenario padded with comment lines to exactly `size` bytes. */
static const char *write_padded(tmpdir *t, const char *name, long size)
{
    const char *path;
    FILE *f = tmp_open(t, name, &path);
    fputs(HEAD, f);
    long n = file_size(f);
    while (size - n > 1) {
        long line = size - n > 4096 ? 4096 : size - n; /* "#xxx...\n" */
        fputc('#', f);
        put_repeated(f, 'x', line - 2);
        fputc('\n', f);
        n += line;
    }
    if (size - n == 1)
        fputc('\n', f);
    ck_assert_int_eq(file_size(f), size);
    tmp_close(f);
    return path;
}

START_TEST(test_limit_file_size)
{
    tmpdir t;
    tmp_init(&t);
    const char *at = write_padded(&t, "at.yaml", CLI_MAX_FILE_BYTES);
    cli_scenario *s = load_ok(at, 0, 0);
    ck_assert_str_eq(s->name, "limits");
    ck_assert_uint_eq(s->len, (size_t)CLI_MAX_FILE_BYTES);
    cli_scenario_free(s);
    unlink(at);

    const char *past = write_padded(&t, "past.yaml", CLI_MAX_FILE_BYTES + 1);
    char got[1024], want[1024];
    cli_diag d;
    load_fails(past, got, sizeof got, &d);
    snprintf(want, sizeof want, "%s: error: file is larger than %ld bytes (limit)", past, (long)CLI_MAX_FILE_BYTES);
    ck_assert_str_eq(got, want);
    tmp_cleanup(&t);
}
END_TEST

/* description: a block list of n items, one per line from line 5. */
static const char *write_long_list(tmpdir *t, const char *name, long n)
{
    const char *path;
    FILE *f = tmp_open(t, name, &path);
    fputs(HEAD "description:\n", f);
    for (long i = 0; i < n; i++)
        fputs("  - 1\n", f);
    tmp_close(f);
    return path;
}

START_TEST(test_limit_list_items)
{
    tmpdir t;
    tmp_init(&t);
    char got[1024], want[1024];
    cli_diag d;
    const char *at = write_long_list(&t, "at.yaml", CLI_MAX_LIST_ITEMS);
    load_fails(at, got, sizeof got, &d);
    snprintf(want, sizeof want, "%s:5:3: error: description must be text, not a list", at);
    ck_assert_str_eq(got, want);
    unlink(at);

    const char *past = write_long_list(&t, "past.yaml", CLI_MAX_LIST_ITEMS + 1L);
    load_fails(past, got, sizeof got, &d);
    snprintf(want, sizeof want, "%s:%ld:5: error: more than %d items in one list (limit)", past,
             4L + CLI_MAX_LIST_ITEMS + 1, CLI_MAX_LIST_ITEMS);
    ck_assert_str_eq(got, want);
    tmp_cleanup(&t);
}
END_TEST

static const char *write_long_scalar(tmpdir *t, const char *name, long len)
{
    const char *path;
    FILE *f = tmp_open(t, name, &path);
    fputs(HEAD "description: ", f);
    put_repeated(f, 'd', len);
    fputc('\n', f);
    tmp_close(f);
    return path;
}

START_TEST(test_limit_scalar)
{
    tmpdir t;
    tmp_init(&t);
    cli_scenario *s = load_ok(write_long_scalar(&t, "at.yaml", CLI_MAX_SCALAR), 0, 0);
    ck_assert_uint_eq(strlen(s->description), (size_t)CLI_MAX_SCALAR);
    cli_scenario_free(s);

    char got[1024], want[1024];
    cli_diag d;
    const char *past = write_long_scalar(&t, "past.yaml", CLI_MAX_SCALAR + 1L);
    load_fails(past, got, sizeof got, &d);
    snprintf(want, sizeof want, "%s:4:14: error: scalar longer than %d bytes (limit)", past, CLI_MAX_SCALAR);
    ck_assert_str_eq(got, want);
    tmp_cleanup(&t);
}
END_TEST

START_TEST(test_limit_id_length)
{
    tmpdir t;
    tmp_init(&t);
    char id[CLI_MAX_ID + 2];
    memset(id, 'o', sizeof id);
    id[CLI_MAX_ID] = '\0';
    cli_scenario *s = load_ok(tmp_write(&t, "at.yaml", HEAD "offers:\n  - id: %s\n", id), 0, 0);
    ck_assert_uint_eq(model_count_offers(s->world), 1);
    ck_assert_str_eq(model_offer_id(s->world, 0), id);
    cli_scenario_free(s);

    id[CLI_MAX_ID] = 'o';
    id[CLI_MAX_ID + 1] = '\0';
    char got[1024], want[1024];
    cli_diag d;
    const char *past = tmp_write(&t, "past.yaml", HEAD "offers:\n  - id: %s\n", id);
    load_fails(past, got, sizeof got, &d);
    snprintf(want, sizeof want, "%s:5:9: error: offer id '%.20s...' is longer than %d characters", past, id,
             CLI_MAX_ID);
    ck_assert_str_eq(got, want);
    tmp_cleanup(&t);
}
END_TEST

/* offers: n one-line offers */
static const char *write_offers(tmpdir *t, const char *name, long n)
{
    const char *path;
    FILE *f = tmp_open(t, name, &path);
    fputs(HEAD "offers:\n", f);
    for (long i = 0; i < n; i++)
        fprintf(f, "  - {id: o%ld}\n", i);
    tmp_close(f);
    return path;
}

START_TEST(test_limit_offers)
{
    tmpdir t;
    tmp_init(&t);
    cli_scenario *s = load_ok(write_offers(&t, "at.yaml", CLI_MAX_OFFERS), 0, 0);
    ck_assert_uint_eq(model_count_offers(s->world), CLI_MAX_OFFERS);
    cli_scenario_free(s);

    char got[1024], want[1024];
    cli_diag d;
    const char *past = write_offers(&t, "past.yaml", CLI_MAX_OFFERS + 1L);
    load_fails(past, got, sizeof got, &d);
    snprintf(want, sizeof want, "%s:5:3: error: more than %d offers (limit)", past, CLI_MAX_OFFERS);
    ck_assert_str_eq(got, want);
    tmp_cleanup(&t);
}
END_TEST

static const char *write_expects(tmpdir *t, const char *name, long n)
{
    const char *path;
    FILE *f = tmp_open(t, name, &path);
    fputs(HEAD "expect:\n", f);
    for (long i = 0; i < n; i++)
        fputs("  - {metric: billed, min: 0}\n", f);
    tmp_close(f);
    return path;
}

START_TEST(test_limit_expectations)
{
    tmpdir t;
    tmp_init(&t);
    cli_scenario *s = load_ok(write_expects(&t, "at.yaml", CLI_MAX_EXPECT), 0, 0);
    ck_assert_uint_eq(s->nexpects, CLI_MAX_EXPECT);
    cli_scenario_free(s);

    char got[1024], want[1024];
    cli_diag d;
    const char *past = write_expects(&t, "past.yaml", CLI_MAX_EXPECT + 1L);
    load_fails(past, got, sizeof got, &d);
    snprintf(want, sizeof want, "%s:5:3: error: more than %d expectations (limit)", past, CLI_MAX_EXPECT);
    ck_assert_str_eq(got, want);
    tmp_cleanup(&t);
}
END_TEST

/* ---- scenarios that load ---------------------------------------------------------------- */

static sim_time instant(const char *text)
{
    sim_time t;
    ck_assert_msg(sim_parse_instant(text, &t) == 0, "bad instant %s", text);
    return t;
}

START_TEST(test_demo_loads)
{
    cli_scenario *s = load_ok("scenarios/demo.yaml", 0, 0);
    ck_assert_str_eq(s->name, "demo");
    ck_assert_ptr_nonnull(s->description);
    ck_assert_int_eq(s->start, instant("2025-01-01"));
    ck_assert_int_eq(s->end, instant("2025-09-30"));
    ck_assert_uint_eq(s->seed, 7);
    ck_assert_uint_eq(s->nactions, 10);
    ck_assert_uint_eq(s->nexpects, 12);
    ck_assert_int_eq(s->expects[11].kind, CLI_EXPECT_FINGERPRINT);
    ck_assert_uint_eq(model_count_offers(s->world), 3);
    ck_assert_uint_eq(model_count_partners(s->world), 2);
    ck_assert_uint_eq(model_count_tenants(s->world), 1);
    ck_assert_uint_eq(model_count_subscriptions(s->world), 3 + 4); /* 3 at start, 4 purchases */
    /* the actions keep file order, with their kinds, instants and lines */
    ck_assert_int_eq(s->actions[0].kind, MODEL_ACT_REQUEST_RELATIONSHIP);
    ck_assert_int_eq(s->at[0], instant("2025-01-06"));
    ck_assert_int_eq(s->actions[2].kind, MODEL_ACT_ACCEPT_RELATIONSHIP);
    ck_assert_int_eq(s->at[2], instant("2025-01-08T10:00Z"));
    ck_assert_int_eq(s->actions[6].kind, MODEL_ACT_CANCEL);
    ck_assert_int_eq(s->at[6], instant("2025-01-17T15:30:00Z"));
    ck_assert_int_eq(s->actions[9].kind, MODEL_ACT_PURCHASE);
    ck_assert_int_eq(s->actions[9].licenses, 10);
    ck_assert_int_eq(s->action_line[0], 41);
    /* expectation kinds in file order */
    ck_assert_int_eq(s->expects[0].kind, CLI_EXPECT_EVENT);
    ck_assert_int_eq(s->expects[3].kind, CLI_EXPECT_STATE);
    ck_assert_int_eq(s->expects[8].kind, CLI_EXPECT_METRIC);
    ck_assert_int_eq(s->expects[8].exact, 10);
    /* a state expectation's term_end is the inclusive date's 00:00 */
    ck_assert_int_eq(s->expects[9].term_end, instant("2026-05-31"));
    ck_assert_uint_eq(s->expects[9].has, CLI_HAS_STATE | CLI_HAS_TERM_END);
    cli_scenario_free(s);
}
END_TEST

START_TEST(test_seed_override)
{
    cli_scenario *s = load_ok("scenarios/demo.yaml", 1, 99);
    ck_assert_uint_eq(s->seed, 99);
    cli_scenario_free(s);
    s = load_ok("scenarios/demo.yaml", 1, 0);
    ck_assert_uint_eq(s->seed, 0);
    cli_scenario_free(s);
    s = load_ok("scenarios/demo.yaml", 0, 99);
    ck_assert_uint_eq(s->seed, 7);
    cli_scenario_free(s);
}
END_TEST

START_TEST(test_relative_instants)
{
    tmpdir t;
    tmp_init(&t);
    /* start on Jan 31: months clamp to the end of the month */
    const char *path = tmp_write(&t, "rel.yaml",
                                 "name: rel\nstart: 2025-01-31T06:00Z\nend: 2026-01-01\n"
                                 "partners: [{id: p, region: eu}]\n"
                                 "tenants: [{id: t, region: eu}]\n"
                                 "events:\n"
                                 "  - {at: +10d, action: request_relationship, partner: p, tenant: t}\n"
                                 "  - {at: +PT36H, action: request_relationship, partner: p, tenant: t}\n"
                                 "  - {at: +P2M, action: request_relationship, partner: p, tenant: t}\n"
                                 "  - {at: +P1M, action: request_relationship, partner: p, tenant: t}\n"
                                 "  - {at: +90min, action: request_relationship, partner: p, tenant: t}\n"
                                 "  - {at: +P0D, action: request_relationship, partner: p, tenant: t}\n"
                                 "  - {at: 2025-03-01, action: request_relationship, partner: p, tenant: t}\n"
                                 "expect:\n"
                                 "  - {event: accepted, from: +2w, to: +P1M, min: 0}\n");
    cli_scenario *s = load_ok(path, 0, 0);
    ck_assert_uint_eq(s->nactions, 7);
    ck_assert_int_eq(s->at[0], instant("2025-02-10T06:00Z"));
    ck_assert_int_eq(s->at[1], instant("2025-02-01T18:00Z"));
    ck_assert_int_eq(s->at[2], instant("2025-03-31T06:00Z"));
    ck_assert_int_eq(s->at[3], instant("2025-02-28T06:00Z"));
    ck_assert_int_eq(s->at[4], instant("2025-01-31T07:30Z"));
    ck_assert_int_eq(s->at[5], instant("2025-01-31T06:00Z"));
    ck_assert_int_eq(s->at[6], instant("2025-03-01"));
    ck_assert_uint_eq(s->nexpects, 1);
    ck_assert(s->expects[0].has_from && s->expects[0].has_to);
    ck_assert_int_eq(s->expects[0].from, instant("2025-02-14T06:00Z"));
    ck_assert_int_eq(s->expects[0].to, instant("2025-02-28T06:00Z"));
    cli_scenario_free(s);
    tmp_cleanup(&t);
}
END_TEST

/* Outcomes of the scripted purchases, by new subscription id. */
typedef struct {
    const model_world *w;
    char seen[8][96];
    int n;
} purchases;

static void collect_purchase(void *ctx, const model_record *r)
{
    purchases *p = ctx;
    if (r->kind != MODEL_KIND_ACTION || r->action != MODEL_ACT_PURCHASE || p->n >= 8)
        return;
    snprintf(p->seen[p->n++], sizeof p->seen[0], "%s %s %s", model_subscription_id(p->w, r->subscription),
             r->outcome == MODEL_OUTCOME_ACCEPTED ? "accepted" : "rejected", model_reason_code(r->reason));
}

START_TEST(test_defaults)
{
    tmpdir t;
    tmp_init(&t);
    const char *path = tmp_write(&t, "defaults.yaml",
                                 "name: defaults\nstart: 2025-01-01\nend: 2025-03-01\n"
                                 "offers:\n  - id: plain\n"
                                 "partners:\n  - {id: p, region: eu}\n"
                                 "tenants:\n"
                                 "  - id: t\n    region: eu\n    relationships: [p]\n    subscriptions:\n"
                                 "      - {id: s1, offer: plain, partner: p, licenses: 10, term: P1Y, billing: monthly,"
                                 " start: 2024-06-01}\n"
                                 "events:\n"
                                 "  - {at: +1d, action: purchase, partner: p, tenant: t, id: big, offer: plain,"
                                 " licenses: 400, term: P1M, billing: monthly}\n"
                                 "  - {at: +1d, action: purchase, partner: p, tenant: t, id: year, offer: plain,"
                                 " licenses: 1, term: P1Y, billing: monthly}\n"
                                 "  - {at: +1d, action: purchase, partner: p, tenant: t, id: three, offer: plain,"
                                 " licenses: 1, term: P3Y, billing: triennial}\n");
    cli_scenario *s = load_ok(path, 0, 0);
    ck_assert_uint_eq(s->seed, 1);
    ck_assert_ptr_null(s->description);
    ck_assert_uint_eq(s->nexpects, 0);
    ck_assert_str_eq(model_offer_id(s->world, 0), "plain");
    /* a subscription at start: autorenew on, state active, with its partner (channel csp) */
    model_sub_view v;
    model_subscription_view(s->world, 0, &v);
    ck_assert_int_eq(v.autorenew, 1);
    ck_assert_int_eq(v.state, MODEL_STATE_ACTIVE);
    ck_assert_int_eq(v.channel, MODEL_CHANNEL_CSP);
    ck_assert_uint_eq(v.partner, 0);
    ck_assert_int_eq(v.term_end, instant("2025-06-01"));
    ck_assert_int_eq(s->actions[0].autorenew, 1);
    ck_assert_int_eq(s->actions[0].trial, 0);
    /* the offer's defaults, as the rules see them: csp_available (the purchase is accepted),
     * segment enterprise (no smb seat cap at 410 licenses), terms [P1M, P1Y] (P3Y refused) */
    purchases p;
    memset(&p, 0, sizeof p);
    p.w = s->world;
    model_set_sink(s->world, (model_sink){collect_purchase, &p});
    ck_assert_int_eq(cli_simulate(s, NULL, NULL, NULL), 0);
    ck_assert_int_eq(p.n, 3);
    ck_assert_str_eq(p.seen[0], "big accepted ");
    ck_assert_str_eq(p.seen[1], "year accepted ");
    ck_assert_str_eq(p.seen[2], "three rejected term_not_offered");
    cli_scenario_free(s);
    tmp_cleanup(&t);
}
END_TEST

/* The loader writes nothing and leaves a diag with no position for a missing file. */
START_TEST(test_missing_file)
{
    char got[1024];
    cli_diag d;
    load_fails("tests/bad/does-not-exist.yaml", got, sizeof got, &d);
    ck_assert_str_eq(got, "tests/bad/does-not-exist.yaml: error: cannot open: No such file or directory");
    ck_assert_int_eq(d.line, 0);
}
END_TEST

/* A seed in a file takes what --seed takes (0 .. 2^63-1), one past is refused. */
START_TEST(test_seed_max)
{
    static const char head[] = "version: 1\nname: s\nstart: 2025-01-01\nend: 2025-02-01\nseed: ";
    char text[256];
    cli_diag d;
    memset(&d, 0, sizeof d);
    snprintf(text, sizeof text, "%s9223372036854775807\n", head);
    cli_scenario *s = cli_scenario_load_mem("seed", text, strlen(text), 0, 0, &d);
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(s->seed, (uint64_t)INT64_MAX);
    cli_scenario_free(s);
    snprintf(text, sizeof text, "%s9223372036854775808\n", head);
    ck_assert_ptr_null(cli_scenario_load_mem("seed", text, strlen(text), 0, 0, &d));
    ck_assert_int_eq(d.line, 5);
    ck_assert_str_eq(d.message, "seed must be at most 9223372036854775807, not '9223372036854775808'");
}
END_TEST

/* A subscription started long before the scenario (fuzz finding 1: loading renewed one
 * term at a time) is in the term that covers the start, whether it started 2,000 years or
 * one term back: the same term start, end and cancel-window state for P1M and P1Y. */
START_TEST(test_start_far_back)
{
    static const char fmt[] =
        "version: 1\nname: f\nstart: 2025-01-01\nend: 2025-03-01\n"
        "offers: [{id: o, price: 1.00, terms: [P1M, P1Y]}]\npartners: [{id: p, region: europe}]\n"
        "tenants: [{id: t, region: europe, relationships: [p], subscriptions: [\n"
        "  {id: m, offer: o, partner: p, licenses: 1, term: P1M, billing: monthly, start: %s-12-15},\n"
        "  {id: y, offer: o, partner: p, licenses: 1, term: P1Y, billing: monthly, start: %s-06-20}]}]\n";
    const char *years[][2] = {{"2024", "2024"}, {"0024", "0025"}, {"1824", "1900"}};
    model_sub_view first[2];
    for (size_t k = 0; k < 3; k++) {
        char text[1024];
        cli_diag d;
        memset(&d, 0, sizeof d);
        snprintf(text, sizeof text, fmt, years[k][0], years[k][1]);
        cli_scenario *sc = cli_scenario_load_mem("far", text, strlen(text), 0, 0, &d);
        ck_assert_msg(sc != NULL, "%d:%d: %s", d.line, d.col, d.message);
        for (uint32_t i = 0; i < 2; i++) {
            model_sub_view v;
            model_subscription_view(sc->world, i, &v);
            if (k == 0) {
                first[i] = v;
                continue;
            }
            ck_assert_int_eq(v.term_start, first[i].term_start);
            ck_assert_int_eq(v.term_end, first[i].term_end);
            ck_assert_int_eq(v.state, first[i].state);
        }
        if (k == 0) { /* the terms covering 2025-01-01: 2024-12-15 .. and 2024-06-20 .. */
            sim_time m_end, y_end;
            ck_assert_int_eq(sim_parse_instant("2025-01-15", &m_end), 0);
            ck_assert_int_eq(sim_parse_instant("2025-06-20", &y_end), 0);
            ck_assert_int_eq(first[0].term_end, m_end);
            ck_assert_int_eq(first[1].term_end, y_end);
        }
        cli_scenario_free(sc);
    }
}
END_TEST

/* CLI_MAX_PRICE: 1,000,000.00 per license-month is accepted, one cent more is refused; an
 * expected amount may name any total the model writes (at most INT64_MAX minor units,
 * 92233720368547758.07, 17 digits), one cent more is refused. */
START_TEST(test_limit_price_and_amounts)
{
    static const char head[] = "version: 1\nname: p\nstart: 2025-01-01\nend: 2025-02-01\n";
    char text[512];
    cli_diag d;
    memset(&d, 0, sizeof d);
    snprintf(text, sizeof text, "%soffers: [{id: o, price: 1000000.00, terms: [P1M]}]\n"
             "expect: [{metric: billed, value: 92233720368547758.07}]\n", head);
    cli_scenario *s = cli_scenario_load_mem("price", text, strlen(text), 0, 0, &d);
    ck_assert_msg(s != NULL, "%d:%d: %s", d.line, d.col, d.message);
    ck_assert_int_eq(CLI_MAX_PRICE, MODEL_MAX_PRICE);
    ck_assert_int_eq(CLI_MAX_LICENSES, MODEL_MAX_LICENSES);
    cli_scenario_free(s);
    snprintf(text, sizeof text, "%soffers: [{id: o, price: 1000000.01, terms: [P1M]}]\n", head);
    ck_assert_ptr_null(cli_scenario_load_mem("price", text, strlen(text), 0, 0, &d));
    ck_assert_int_eq(d.line, 5);
    ck_assert_str_eq(d.message, "price is more than 1000000.00 (limit)");
    snprintf(text, sizeof text, "%sexpect: [{metric: billed, value: 92233720368547758.08}]\n", head);
    ck_assert_ptr_null(cli_scenario_load_mem("price", text, strlen(text), 0, 0, &d));
    ck_assert_str_eq(d.message, "value is more than 92233720368547758.07: '92233720368547758.08'");
    snprintf(text, sizeof text, "%sexpect: [{metric: billed, value: 100000000000000000}]\n", head);
    ck_assert_ptr_null(cli_scenario_load_mem("price", text, strlen(text), 0, 0, &d));
    ck_assert_str_eq(d.message, "value must be an amount like 36.00, not '100000000000000000'");
}
END_TEST

/* The source line shown under an error is libyaml's line N whatever the line ends: CR LF,
 * CR alone, NEL (U+0085), LS (U+2028). */
START_TEST(test_line_ends)
{
    static const char *const ends[] = {"\r\n", "\r", "\xc2\x85", "\xe2\x80\xa8", "\n"};
    for (size_t i = 0; i < sizeof ends / sizeof *ends; i++) {
        char text[256];
        const char *e = ends[i];
        snprintf(text, sizeof text, "version: 1%sname: x%sstart: 2025-01-01%send: 2025-02-01%sseed: -3%s", e, e, e, e, e);
        cli_diag d;
        memset(&d, 0, sizeof d);
        ck_assert_ptr_null(cli_scenario_load_mem("ends", text, strlen(text), 0, 0, &d));
        ck_assert_int_eq(d.line, 5);
        ck_assert_int_eq(d.col, 7);
        ck_assert_str_eq(d.source, "seed: -3");
        char *src = cli_source_line(text, 3, 100);
        ck_assert_str_eq(src, "start: 2025-01-01");
        free(src);
    }
}
END_TEST

/* cli_scenario_load_mem reads only buf[0..len) (no NUL needed), names the scenario by its
 * name, and gives, byte for byte, the same first error as loading the file would. */
START_TEST(test_load_mem)
{
    static const char text[] = "version: 1\nname: mem\nstart: 2025-01-01\nend: 2025-02-01\n"
                               "expect: [{metric: billed, value: 0}]\nnot-a-key: past the end";
    size_t len = strlen(text) - strlen("not-a-key: past the end");
    cli_diag d;
    memset(&d, 0, sizeof d);
    cli_scenario *s = cli_scenario_load_mem("in-memory", text, len, 1, 7, &d);
    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s->path, "in-memory");
    ck_assert_str_eq(s->name, "mem");
    ck_assert_uint_eq(s->seed, 7);
    ck_assert_uint_eq(s->nexpects, 1);
    ck_assert_uint_eq(s->len, len);
    cli_scenario_free(s);

    /* the whole buffer: the key after the end is now read, and named by line and column */
    char got[1024];
    ck_assert_ptr_null(cli_scenario_load_mem("in-memory", text, strlen(text), 0, 0, &d));
    format_first_line(&d, got, sizeof got);
    ck_assert_str_eq(got, "in-memory:6:1: error: unknown key 'not-a-key' in a scenario (allowed: version, name, "
                          "description, start, end, seed, rules, offers, partners, tenants, population, events, behaviours, expect, experiment)");

    /* every file of the bad-input corpus fails from memory as it fails from its file */
    glob_t g;
    ck_assert_int_eq(glob(CORPUS_GLOB, 0, NULL, &g), 0);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        char want[1024];
        load_fails(g.gl_pathv[i], want, sizeof want, &d);
        FILE *f = fopen(g.gl_pathv[i], "rb");
        ck_assert_ptr_nonnull(f);
        static char buf[1 << 20];
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        ck_assert_uint_lt(n, sizeof buf);
        memset(&d, 0, sizeof d);
        ck_assert_ptr_null(cli_scenario_load_mem(g.gl_pathv[i], buf, n, 0, 0, &d));
        format_first_line(&d, got, sizeof got);
        ck_assert_str_eq(got, want);
    }
    globfree(&g);

    /* one byte past the file limit is refused before the text is read */
    size_t big = (size_t)CLI_MAX_FILE_BYTES + 1;
    char *huge = calloc(big, 1);
    ck_assert_ptr_nonnull(huge);
    ck_assert_ptr_null(cli_scenario_load_mem("huge", huge, big, 0, 0, &d));
    format_first_line(&d, got, sizeof got);
    ck_assert_str_eq(got, "huge: error: file is larger than 67108864 bytes (limit)");
    free(huge);
}
END_TEST

/* Judges s's expectations over a whole run (fingerprint: NULL, the trace not hashed);
 * returns the checker, which the caller frees. */
static cli_checker *judge_run(cli_scenario *s, const uint64_t *fingerprint)
{
    cli_checker *c = cli_checker_new(s);
    ck_assert_ptr_nonnull(c);
    model_set_sink(s->world, (model_sink){cli_checker_record, c});
    ck_assert_int_eq(cli_simulate(s, c, NULL, NULL), 0);
    cli_checker_finish(c, fingerprint);
    return c;
}

/* amount and detail pin one record: the cancel of 12 licenses bought 2025-01-15 at 36.00
 * (a monthly charge of 12 x 36.00 = 432.00) refunds the 28 unused days of 31 on 2025-01-18:
 * 432.00 x 28 / 31 = 390.19 (390.1935...); the charge's detail names its period. */
START_TEST(test_expect_amount_detail)
{
    static const char text[] =
        "version: 1\nname: money\nstart: 2025-01-01\nend: 2025-03-01\n"
        "offers: [{id: e3, price: 36.00, terms: [P1Y]}]\n"
        "partners: [{id: p, region: europe}]\n"
        "tenants: [{id: t, region: europe, relationships: [p]}]\n"
        "events:\n"
        "  - {at: 2025-01-15, action: purchase, partner: p, tenant: t, id: s, offer: e3, licenses: 12, term: P1Y, billing: monthly}\n"
        "  - {at: 2025-01-18, action: cancel, subscription: s}\n"
        "expect:\n"
        "  - {event: refund, amount: 390.19, count: 1}\n"                       /* 0 holds */
        "  - {event: refund, amount: 390.2, count: 1}\n"                        /* 1 fails: exact */
        "  - {event: charge, amount: 432, detail: period=2025-01-15, count: 1}\n" /* 2 holds */
        "  - {event: charge, detail: period=2025-02, count: 1}\n"               /* 3 fails: no such period */
        "  - {event: refund, detail: \"unused_days=28/31\", min: 1}\n"           /* 4 holds: a substring */
        "  - {fingerprint: \"0123456789abcdef\", seed: 8}\n"                     /* 5 skipped under seed 7 */
        "  - {fingerprint: \"0123456789abcdef\", seed: 7}\n"                     /* 6 fails: not hashed */
        "  - {fingerprint: \"0123456789abcdef\"}\n";                             /* 7 fails: a wrong print */
    cli_diag d;
    memset(&d, 0, sizeof d);
    cli_scenario *s = cli_scenario_load_mem("money", text, strlen(text), 1, 7, &d);
    ck_assert_msg(s != NULL, "%s:%d:%d: %s", d.file, d.line, d.col, d.message);
    ck_assert(s->expects[0].has_amount);
    ck_assert_int_eq(s->expects[0].amount, 39019);
    ck_assert_int_eq(s->expects[1].amount, 39020);
    ck_assert_str_eq(s->expects[3].detail, "period=2025-02");
    ck_assert(s->expects[5].has_seed);
    ck_assert_uint_eq(s->expects[5].seed, 8);
    ck_assert(!s->expects[7].has_seed);
    cli_checker *c = judge_run(s, NULL);
    ck_assert_ptr_null(cli_checker_failure(c, 0));
    ck_assert_str_eq(cli_checker_failure(c, 1), "expected exactly 1 matching records, saw 0");
    ck_assert_ptr_null(cli_checker_failure(c, 2));
    ck_assert_str_eq(cli_checker_failure(c, 3), "expected exactly 1 matching records, saw 0");
    ck_assert_ptr_null(cli_checker_failure(c, 4));
    ck_assert_ptr_null(cli_checker_failure(c, 5));
    ck_assert_str_eq(cli_checker_skipped(c, 5), "pinned to seed 8");
    ck_assert_str_eq(cli_checker_failure(c, 6), "the trace was not hashed");
    ck_assert_ptr_null(cli_checker_skipped(c, 6));
    ck_assert_str_eq(cli_checker_failure(c, 7), "the trace was not hashed");
    cli_checker_free(c);
    cli_scenario_free(s);

    /* with a fingerprint: a wrong one fails naming both, and finish counts the failures */
    s = cli_scenario_load_mem("money", text, strlen(text), 1, 7, &d);
    ck_assert_ptr_nonnull(s);
    cli_checker *c2 = cli_checker_new(s);
    ck_assert_ptr_nonnull(c2);
    model_set_sink(s->world, (model_sink){cli_checker_record, c2});
    ck_assert_int_eq(cli_simulate(s, c2, NULL, NULL), 0);
    uint64_t fp = 0x0123456789abcdefULL;
    ck_assert_uint_eq(cli_checker_finish(c2, &fp), 2); /* 1 and 3; 6 and 7 now hold */
    ck_assert_ptr_null(cli_checker_failure(c2, 6));
    ck_assert_ptr_null(cli_checker_failure(c2, 7));
    cli_checker_free(c2);
    cli_scenario_free(s);

    /* under seed 8 the pinned ones swap: 5 is judged, 6 skipped */
    s = cli_scenario_load_mem("money", text, strlen(text), 1, 8, &d);
    ck_assert_ptr_nonnull(s);
    fp = 0xfedcba9876543210ULL;
    c = judge_run(s, &fp);
    ck_assert_str_eq(cli_checker_failure(c, 5), "expected fingerprint 0123456789abcdef, saw fedcba9876543210");
    ck_assert_str_eq(cli_checker_skipped(c, 6), "pinned to seed 7");
    cli_checker_free(c);
    cli_scenario_free(s);
}
END_TEST

Suite *loader_suite(void)
{
    Suite *s = suite_create("loader");
    TCase *tc = tcase_create("corpus");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_corpus_complete);
    tcase_add_loop_test(tc, test_corpus_file, 0, (int)corpus_count());
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_limit_depth);
    tcase_add_test(tc, test_limit_file_size);
    tcase_add_test(tc, test_limit_list_items);
    tcase_add_test(tc, test_limit_scalar);
    tcase_add_test(tc, test_limit_id_length);
    tcase_add_test(tc, test_limit_offers);
    tcase_add_test(tc, test_limit_price_and_amounts);
    tcase_add_test(tc, test_limit_expectations);
    suite_add_tcase(s, tc);

    tc = tcase_create("valid");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_demo_loads);
    tcase_add_test(tc, test_seed_override);
    tcase_add_test(tc, test_relative_instants);
    tcase_add_test(tc, test_defaults);
    tcase_add_test(tc, test_missing_file);
    tcase_add_test(tc, test_load_mem);
    tcase_add_test(tc, test_expect_amount_detail);
    tcase_add_test(tc, test_seed_max);
    tcase_add_test(tc, test_start_far_back);
    tcase_add_test(tc, test_line_ends);
    suite_add_tcase(s, tc);
    return s;
}
