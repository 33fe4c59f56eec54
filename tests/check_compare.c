/* tests/check_compare.c - `cspsim compare`: figures of two summaries paired by name (in
 * place, reordered, only in one side, missing counts as 0), exact money deltas and percent
 * changes, the tolerance at its boundary, points.csv rows with vary keys, the JSON output,
 * and the reader's errors with FILE:LINE:COLUMN and its limits. Inputs are hand-written
 * files in a mkdtemp directory; expected numbers are derived by hand in the comments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/compare.h"
#include "suites.h"

static char dir[64];

static void setup(void)
{
    strcpy(dir, "/tmp/cspsim-compare-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

/* Removes the files the tests write (a flat directory, and its sub-directory d). */
static void teardown(void)
{
    static const char *const names[] = {"a.json", "b.json", "a.csv", "b.csv", "d/summary.json", "d/points.csv", "e",
                                        "bad"};
    char p[128];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        unlink(p);
    }
    snprintf(p, sizeof p, "%s/d", dir);
    rmdir(p);
    snprintf(p, sizeof p, "%s/e", dir);
    rmdir(p);
    rmdir(dir);
}

/* dir/name with text in it; the path in a static buffer (eight in turn). */
static const char *put(const char *name, const char *text)
{
    static char paths[8][128];
    static int k;
    char *p = paths[k++ & 7];
    snprintf(p, sizeof paths[0], "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
    return p;
}

static char out[1 << 16], err[4096];

/* cli_compare(a, b) with tolerance tol (text), json; its output and errors in out and err. */
static int compare(const char *a, const char *b, const char *tol, int json, int changed)
{
    char *o = NULL, *e = NULL;
    size_t lo = 0, le = 0;
    FILE *fo = open_memstream(&o, &lo), *fe = open_memstream(&e, &le);
    ck_assert_ptr_nonnull(fo);
    ck_assert_ptr_nonnull(fe);
    cli_compare_opts opts = {tol ? strtod(tol, NULL) : 0, tol, json, changed, fe};
    int rc = cli_compare(a, b, &opts, fo);
    fclose(fo);
    fclose(fe);
    snprintf(out, sizeof out, "%s", o);
    snprintf(err, sizeof err, "%s", e);
    free(o);
    free(e);
    return rc;
}

/* A summary as reports/summary.c writes it, in short: events, total, partners (one), tenants
 * (one or two), records_by_kind. */
static const char SUM_A[] =
    "{\n"
    "  \"scenario\": \"s\",\n"
    "  \"seed\": 7,\n"
    "  \"fingerprint\": \"0123456789abcdef\",\n"
    "  \"events\": 4,\n"
    "  \"records\": 9,\n"
    "  \"total\": {\n"
    "    \"billed\": 100.00,\n"
    "    \"refunded\": 0.00,\n"
    "    \"rejections\": 1,\n"
    "    \"rejections_by_reason\": {\n"
    "      \"relationship_pending\": 1\n"
    "    }\n"
    "  },\n"
    "  \"partners\": [\n"
    "    {\"id\": \"contoso\", \"billed\": 100.00}\n"
    "  ],\n"
    "  \"tenants\": [\n"
    "    {\"id\": \"t1\", \"billed\": 60.00, \"rejections_by_reason\": {\"relationship_pending\": 1}},\n"
    "    {\"id\": \"t3\", \"billed\": 40.00, \"rejections_by_reason\": {}}\n"
    "  ],\n"
    "  \"records_by_kind\": {\"charge\": 3}\n"
    "}\n";

/* B: one more event, billed 110.50 (t1 70.50, contoso 110.50), a tenant t2 between t1 and
 * t3, a new reason code in total and t1 (absent in A: a count of 0). */
static const char SUM_B[] =
    "{\"scenario\": \"s\", \"seed\": 8, \"events\": 5, \"records\": 9,\n"
    " \"total\": {\"billed\": 110.50, \"refunded\": 0.00, \"rejections\": 1,\n"
    "   \"rejections_by_reason\": {\"relationship_pending\": 1, \"cancel_window_closed\": 1}},\n"
    " \"partners\": [{\"id\": \"contoso\", \"billed\": 110.50}],\n"
    " \"tenants\": [\n"
    "  {\"id\": \"t1\", \"billed\": 70.50, \"rejections_by_reason\": {\"relationship_pending\": 1}},\n"
    "  {\"id\": \"t2\", \"billed\": 0.00, \"rejections_by_reason\": {\"cancel_window_closed\": 1}},\n"
    "  {\"id\": \"t3\", \"billed\": 40.00, \"rejections_by_reason\": {}}],\n"
    " \"records_by_kind\": {\"charge\": 3}}\n";

START_TEST(test_same)
{
    const char *a = put("a.json", SUM_A);
    ck_assert_int_eq(compare(a, a, NULL, 0, 0), 0);
    /* events, records, 3 totals + 1 reason, contoso.billed, t1.billed + 1 reason, t3.billed,
     * charge: 11 figures (the seed is not one) */
    ck_assert_ptr_nonnull(strstr(out, "\n11 figures: 11 same, 0 within --tolerance 0, 0 beyond it (*), 0 only in A, "
                                      "0 only in B\n"));
    ck_assert_ptr_nonnull(strstr(out, ": scenario s, seed 7, fingerprint 0123456789abcdef\n"));
    ck_assert_ptr_null(strstr(out, "\n* "));
    ck_assert_str_eq(err, "");
}
END_TEST

START_TEST(test_deltas_and_places)
{
    const char *a = put("a.json", SUM_A), *b = put("b.json", SUM_B);
    ck_assert_int_eq(compare(a, b, NULL, 0, 0), 1);
    /* events 4 -> 5: +1, 1/4 = +25.00%; billed 100.00 -> 110.50: +10.50, +10.50% */
    ck_assert_ptr_nonnull(strstr(out, "\n* events                                                      4       5      +1  +25.00%\n"));
    ck_assert_ptr_nonnull(strstr(out, "\n* total.billed                                           100.00  110.50  +10.50  +10.50%\n"));
    ck_assert_ptr_nonnull(strstr(out, "\n  total.refunded                                           0.00    0.00   +0.00  +0.00%\n"));
    /* a reason code only B has is a count of 0 in A: no percent from 0 */
    ck_assert_ptr_nonnull(strstr(out, "\n* total.rejections_by_reason.cancel_window_closed             0       1      +1  n/a\n"));
    /* t1 60.00 -> 70.50: +10.50, 10.5/60 = +17.50% */
    ck_assert_ptr_nonnull(strstr(out, "\n* tenants[t1].billed                                      60.00   70.50  +10.50  +17.50%\n"));
    /* t2 only in B, printed where B has it: after t1, before t3 */
    const char *t1 = strstr(out, "tenants[t1].billed"), *t2 = strstr(out, "\n* tenants[t2].billed"),
               *t3 = strstr(out, "tenants[t3].billed");
    ck_assert_ptr_nonnull(t2);
    ck_assert_ptr_nonnull(strstr(out, "\n* tenants[t2].billed                                          -    0.00       -  only in B\n"));
    ck_assert(t1 < t2 && t2 < t3);
    /* its reason code is a count: 0 in A, as for any code A did not write */
    ck_assert_ptr_nonnull(strstr(out, "\n* tenants[t2].rejections_by_reason.cancel_window_closed       0       1      +1  "
                                      "n/a\n"));
    /* A's 11 figures and B's 3 more (total's and t2's cancel_window_closed, t2.billed): 14;
     * beyond: events, total.billed, the two new reason counts, contoso, t1 = 6 */
    ck_assert_ptr_nonnull(strstr(out, "\n14 figures: 7 same, 0 within --tolerance 0, 6 beyond it (*), 0 only in A, 1 only in B\n"));
    /* --changed drops the equal rows, not the counts */
    ck_assert_int_eq(compare(a, b, NULL, 0, 1), 1);
    ck_assert_ptr_null(strstr(out, "total.refunded"));
    ck_assert_ptr_nonnull(strstr(out, "total.billed"));
    ck_assert_ptr_nonnull(strstr(out, "\n14 figures: 7 same,"));
}
END_TEST

START_TEST(test_tolerance_boundary)
{
    /* events 4 -> 5 is 1/max(4,5) = 0.2 relative; billed 100 -> 110.50 is 10.5/110.5 = 0.095 */
    const char *a = put("a.json", "{\"events\": 4, \"billed\": 100.00}\n"),
               *b = put("b.json", "{\"events\": 5, \"billed\": 110.50}\n");
    ck_assert_int_eq(compare(a, b, "0.1", 0, 0), 1); /* events beyond, billed within */
    ck_assert_ptr_nonnull(strstr(out, "\n2 figures: 0 same, 1 within --tolerance 0.1, 1 beyond it (*)"));
    ck_assert_ptr_nonnull(strstr(out, "\n  billed"));
    ck_assert_ptr_nonnull(strstr(out, "\n* events"));
    ck_assert_int_eq(compare(a, b, "0.2", 0, 0), 0); /* 0.2 is not beyond 0.2 */
    ck_assert_int_eq(compare(a, b, "0.19", 0, 0), 1);
    /* the verdict is symmetric: B against A */
    ck_assert_int_eq(compare(b, a, "0.2", 0, 0), 0);
    ck_assert_int_eq(compare(b, a, "0.19", 0, 0), 1);
    /* 0 -> 1: relative difference 1, percent change none */
    a = put("a.json", "{\"x\": 0}");
    b = put("b.json", "{\"x\": 1}");
    ck_assert_int_eq(compare(a, b, "0.99", 0, 0), 1);
    ck_assert_int_eq(compare(a, b, "1", 0, 0), 0);
    ck_assert_ptr_nonnull(strstr(out, "+1  n/a\n"));
}
END_TEST

START_TEST(test_reordered_and_only_in_a)
{
    const char *a = put("a.json", "{\"tenants\": [{\"id\": \"x\", \"billed\": 1.00}, {\"id\": \"y\", \"billed\": 2.00}]}"),
               *b = put("b.json", "{\"tenants\": [{\"id\": \"y\", \"billed\": 2.00}, {\"id\": \"x\", \"billed\": 1.00}]}");
    ck_assert_int_eq(compare(a, b, NULL, 0, 0), 0);
    ck_assert_ptr_nonnull(strstr(out, "\n2 figures: 2 same,"));
    b = put("b.json", "{\"tenants\": [{\"id\": \"y\", \"billed\": 2.00}]}");
    ck_assert_int_eq(compare(a, b, NULL, 0, 0), 1);
    ck_assert_ptr_nonnull(strstr(out, "\n* tenants[x].billed  1.00     -      -  only in A\n"));
    /* objects without an id first are named by index; arrays of numbers too */
    a = put("a.json", "{\"l\": [{\"v\": 1}, 2, [3]]}");
    b = put("b.json", "{\"l\": [{\"v\": 1}, 2, [4]]}");
    ck_assert_int_eq(compare(a, b, NULL, 0, 0), 1);
    ck_assert_ptr_nonnull(strstr(out, "\n  l[0].v  "));
    ck_assert_ptr_nonnull(strstr(out, "\n  l[1]  "));
    ck_assert_ptr_nonnull(strstr(out, "\n* l[2][0]  "));
}
END_TEST

START_TEST(test_exact_money)
{
    /* 0.1 + 0.2 style: 1000000000.10 -> 1000000000.30 is +0.20 exactly, and a count of 2^62
     * and one more differ by exactly 1 (both beyond a double's step there) */
    const char *a = put("a.json", "{\"m\": 1000000000.10, \"c\": 4611686018427387904, \"n\": -1.5}"),
               *b = put("b.json", "{\"m\": 1000000000.30, \"c\": 4611686018427387905, \"n\": 2.25}");
    ck_assert_int_eq(compare(a, b, NULL, 0, 0), 1);
    ck_assert_ptr_nonnull(strstr(out, "  +0.20  +0.00%\n"));
    ck_assert_ptr_nonnull(strstr(out, "  +1  +0.00%\n"));
    ck_assert_ptr_nonnull(strstr(out, "\n3 figures: 0 same, 0 within --tolerance 0, 3 beyond it"));
    /* -1.5 -> 2.25: +3.75 (two decimals, the more of the two), 3.75/1.5 = +250.00% */
    ck_assert_ptr_nonnull(strstr(out, "  +3.75  +250.00%\n"));
    /* exponents: kept as doubles, printed with %g */
    a = put("a.json", "{\"e\": 1e3}");
    b = put("b.json", "{\"e\": 1.5E3}");
    ck_assert_int_eq(compare(a, b, NULL, 0, 0), 1);
    ck_assert_ptr_nonnull(strstr(out, "\n* e       1e3  1.5E3   +500  +50.00%\n"));
}
END_TEST

START_TEST(test_json_output)
{
    const char *a = put("a.json", "{\"scenario\": \"q\\\"uote\", \"seed\": 3, \"x\": 2, \"y\": 1.50}"),
               *b = put("b.json", "{\"scenario\": \"q\", \"seed\": 4, \"x\": 3, \"z\": 0}");
    ck_assert_int_eq(compare(a, b, "0.5", 1, 0), 1);
    char want[2048];
    snprintf(want, sizeof want,
             "{\n"
             "  \"kind\": \"summary\",\n"
             "  \"a\": {\"path\": \"%s/a.json\", \"scenario\": \"q\\\"uote\", \"seed\": 3},\n"
             "  \"b\": {\"path\": \"%s/b.json\", \"scenario\": \"q\", \"seed\": 4},\n"
             "  \"tolerance\": 0.5,\n"
             "  \"figures\": [\n"
             "    {\"figure\": \"x\", \"a\": 2, \"b\": 3, \"delta\": 1, \"change_pct\": 50.00, \"status\": \"within\"},\n"
             "    {\"figure\": \"y\", \"a\": 1.50, \"b\": null, \"delta\": null, \"change_pct\": null, \"status\": \"only_a\"},\n"
             "    {\"figure\": \"z\", \"a\": null, \"b\": 0, \"delta\": null, \"change_pct\": null, \"status\": \"only_b\"}\n"
             "  ],\n"
             "  \"counts\": {\"figures\": 3, \"same\": 0, \"within\": 1, \"beyond\": 0, \"only_a\": 1, \"only_b\": 1}\n"
             "}\n",
             dir, dir);
    ck_assert_str_eq(out, want);
    /* --changed with nothing changed: an empty list */
    ck_assert_int_eq(compare(a, a, NULL, 1, 1), 0);
    ck_assert_ptr_nonnull(strstr(out, "  \"figures\": [],\n  \"counts\": {\"figures\": 2, \"same\": 2,"));
}
END_TEST

/* The reader's refusals: each input with the message it gives (after "a.json:"). */
static const struct {
    const char *text, *want;
} BAD_JSON[] = {
    {"{\"a\": 1,}", "1:9: error: expected a member name in quotes"},
    {"{\"a\": 01}", "1:9: error: '01' is not a number"},
    {"{\"a\": 1.}", "1:9: error: '1.' is not a number"},
    {"{\"a\": 1} x", "1:10: error: text after the summary's closing brace"},
    {"{\"a\": 1, \"a\": 2}", "1:16: error: a appears twice"},
    {"{\"t\": [{\"id\": \"x\", \"v\": 1},\n {\"id\": \"x\", \"v\": 2}]}", "2:20: error: t[x].v appears twice"},
    {"{\"a\": tru}", "1:10: error: expected true"},
    {"{\"a\": \"x}", "1:10: error: a string is not closed"},
    {"{\"a\": \"\\u0000\"}", "1:13: error: a string holds \\u0000"},
    {"{\"a\": \"\\ud800x\"}", "1:14: error: a lone surrogate \\uD800"},
    {"{\"a\": \"\\q\"}", "1:9: error: an unknown escape in a string"},
    {"{\"a\" 1}", "1:6: error: expected ':' after \"a\""},
    {"{\"a\": [1 2]}", "1:10: error: expected ',' or ']'"},
    {"{\"a\": 1e999}", "1:12: error: a: the number 1e999 is out of range"},
    {"{\"a\": 12345678901234567890123456789012345678901}", "1:47: error: a number is longer than 40 characters"},
    {"   \n", "2:1: error: the file is empty (a summary.json or a points.csv)"},
};

START_TEST(test_bad_json)
{
    const char *good = put("b.json", "{}");
    for (size_t i = 0; i < sizeof BAD_JSON / sizeof BAD_JSON[0]; i++) {
        const char *a = put("a.json", BAD_JSON[i].text);
        ck_assert_int_eq(compare(a, good, NULL, 0, 0), 2);
        char want[512];
        snprintf(want, sizeof want, "%s:%s\n", a, BAD_JSON[i].want);
        ck_assert_str_eq(err, want);
        ck_assert_str_eq(out, ""); /* nothing printed before both are read */
    }
}
END_TEST

/* The depth limit: 16 nested levels are read, 17 are refused; a name at its limit and one past. */
START_TEST(test_limits)
{
    char text[4096], *p;
    for (int depth = CLI_COMPARE_MAX_DEPTH; depth <= CLI_COMPARE_MAX_DEPTH + 1; depth++) {
        p = text;
        for (int i = 0; i < depth; i++)
            p += sprintf(p, "{\"k\": ");
        p += sprintf(p, "1");
        for (int i = 0; i < depth; i++)
            *p++ = '}';
        *p = '\0';
        const char *a = put("a.json", text);
        int rc = compare(a, a, NULL, 0, 0);
        if (depth == CLI_COMPARE_MAX_DEPTH) {
            ck_assert_int_eq(rc, 0);
            ck_assert_ptr_nonnull(strstr(out, "\n  k.k.k.k.k.k.k.k.k.k.k.k.k.k.k.k  1  1     +0  +0.00%\n")); /* 16 levels */
        } else {
            ck_assert_int_eq(rc, 2);
            ck_assert_ptr_nonnull(strstr(err, "error: nested deeper than 16\n"));
        }
    }
    /* a name of 1024 bytes: "a.bbb..." with 1022 b; one more is refused */
    for (int extra = 0; extra <= 1; extra++) {
        int nb = CLI_COMPARE_MAX_NAME - 2 + extra;
        p = text + sprintf(text, "{\"a\": {\"");
        memset(p, 'b', (size_t)nb);
        sprintf(p + nb, "\": 1}}");
        const char *a = put("a.json", text);
        ck_assert_int_eq(compare(a, a, NULL, 0, 0), extra ? 2 : 0);
        if (extra)
            ck_assert_ptr_nonnull(strstr(err, "error: a figure's name is longer than 1024 bytes\n"));
    }
    /* a string of 1024 bytes, the last three of them one escaped character (U+20AC, the euro
     * sign: E2 82 AC); one byte more is refused */
    for (int extra = 0; extra <= 1; extra++) {
        p = text + sprintf(text, "{\"scenario\": \"");
        memset(p, 's', (size_t)(CLI_COMPARE_MAX_STRING - 3 + extra));
        sprintf(p + CLI_COMPARE_MAX_STRING - 3 + extra, "\\u20ac\", \"x\": 1}");
        const char *a = put("a.json", text);
        ck_assert_int_eq(compare(a, a, NULL, 0, 0), extra ? 2 : 0);
        if (extra)
            ck_assert_ptr_nonnull(strstr(err, "error: a string is longer than 1024 bytes\n"));
        else
            ck_assert_ptr_nonnull(strstr(out, "sss\xe2\x82\xac\n"));
    }
}
END_TEST

START_TEST(test_unreadable)
{
    char missing[128], empty_dir[128];
    snprintf(missing, sizeof missing, "%s/missing.json", dir);
    const char *a = put("a.json", "{}");
    ck_assert_int_eq(compare(a, missing, NULL, 0, 0), 74);
    ck_assert_ptr_nonnull(strstr(err, "cannot read "));
    ck_assert_ptr_nonnull(strstr(err, "missing.json: No such file or directory\n"));
    snprintf(empty_dir, sizeof empty_dir, "%s/e", dir);
    ck_assert_int_eq(mkdir(empty_dir, 0777), 0);
    ck_assert_int_eq(compare(empty_dir, a, NULL, 0, 0), 74);
    ck_assert_ptr_nonnull(strstr(err, "/e: no points.csv or summary.json in it\n"));
}
END_TEST

START_TEST(test_directories)
{
    char d[128];
    snprintf(d, sizeof d, "%s/d", dir);
    ck_assert_int_eq(mkdir(d, 0777), 0);
    put("d/summary.json", "{\"x\": 1}");
    const char *a = put("a.json", "{\"x\": 1}");
    ck_assert_int_eq(compare(d, a, NULL, 0, 0), 0);
    ck_assert_ptr_nonnull(strstr(out, "A = "));
    ck_assert_ptr_nonnull(strstr(out, "/d/summary.json\n"));
    /* a directory with points.csv is a sweep's: against a summary, two kinds */
    put("d/points.csv", "point,outcome,n,mean\n0,billed,3,1.0\n");
    ck_assert_int_eq(compare(d, a, NULL, 0, 0), 2);
    ck_assert_ptr_nonnull(strstr(err, "/d/points.csv is a sweep's points, "));
    ck_assert_ptr_nonnull(strstr(err, "/a.json is a run's summary: compare two summaries or two sweeps' points\n"));
}
END_TEST

static const char PTS_HEAD[] =
    "point,rules.expired_grace,behaviours.late-rebuy.p,outcome,n,mean,sd,ci95_low,ci95_high,min,p5,p50,p95,max,"
    "diff_mean,diff_ci95_low,diff_ci95_high\n";

START_TEST(test_points)
{
    char a_text[1024], b_text[1024];
    snprintf(a_text, sizeof a_text,
             "%s0,P15D,0.5,billed,30,1200.50,1,1,1,1,1,1,1,1,,,\n"
             "0,P15D,0.5,data_loss_licenses,30,2.5,1,1,1,1,1,1,1,1,,,\n"
             "1,P30D,\"0,7\",billed,30,1000,1,1,1,1,1,1,1,1,-200.5,1,1\n",
             PTS_HEAD);
    /* B: billed at point 0 is 1260.525 (+60.025, 60.025/1200.50 = +5.00%), no data loss
     * row, point 1 the same, point 2 new */
    snprintf(b_text, sizeof b_text,
             "%s0,P15D,0.5,billed,30,1260.525,1,1,1,1,1,1,1,1,,,\r\n"
             "\n"
             "1,P30D,\"0,7\",billed,30,1000,1,1,1,1,1,1,1,1,-200.5,1,1\n"
             "2,P45D,0.5,billed,30,900,1,1,1,1,1,1,1,1,-300,1,1",
             PTS_HEAD);
    const char *a = put("a.csv", a_text), *b = put("b.csv", b_text);
    ck_assert_int_eq(compare(a, b, NULL, 0, 0), 1);
    ck_assert_ptr_nonnull(strstr(out, ": 3 rows\n"));
    ck_assert_ptr_nonnull(strstr(out, "* point 0 (rules.expired_grace=P15D, behaviours.late-rebuy.p=0.5) billed  "
                                      "            1200.50  1260.525  +60.025  +5.00%\n"));
    ck_assert_ptr_nonnull(strstr(out, "* point 0 (rules.expired_grace=P15D, behaviours.late-rebuy.p=0.5) "
                                      "data_loss_licenses      2.5         -        -  only in A\n"));
    ck_assert_ptr_nonnull(strstr(out, "  point 1 (rules.expired_grace=P30D, behaviours.late-rebuy.p=0,7) billed  "));
    ck_assert_ptr_nonnull(strstr(out, "* point 2 (rules.expired_grace=P45D, behaviours.late-rebuy.p=0.5) billed  "
                                      "                  -       900        -  only in B\n"));
    ck_assert_ptr_nonnull(strstr(out, "\n4 figures: 1 same, 0 within --tolerance 0, 1 beyond it (*), 1 only in A, 1 only in B\n"));
    /* 60.025 / 1260.525 = 0.0476: within 5% */
    b = put("b.csv", "point,rules.expired_grace,behaviours.late-rebuy.p,outcome,n,mean\n"
                     "0,P15D,0.5,billed,30,1260.525\n"
                     "0,P15D,0.5,data_loss_licenses,30,2.5\n"
                     "1,P30D,\"0,7\",billed,30,1000\n");
    ck_assert_int_eq(compare(a, b, "0.05", 0, 0), 0);
    ck_assert_int_eq(compare(a, b, "0.04", 0, 0), 1);
    /* no vary keys: "point P OUTCOME" */
    a = put("a.csv", "point,outcome,n,mean\n0,billed,3,1.0\n");
    b = put("b.csv", "point,outcome,n,mean\n0,billed,3,1.25\n");
    ck_assert_int_eq(compare(a, b, NULL, 1, 0), 1);
    ck_assert_ptr_nonnull(strstr(out, "  \"kind\": \"points\",\n"));
    ck_assert_ptr_nonnull(strstr(out, "\"rows\": 1},\n"));
    ck_assert_ptr_nonnull(strstr(out, "{\"figure\": \"point 0 billed\", \"a\": 1.0, \"b\": 1.25, \"delta\": 0.25, "
                                      "\"change_pct\": 25.00, \"status\": \"beyond\"}"));
}
END_TEST

static const struct {
    const char *text, *want;
} BAD_CSV[] = {
    {"pt,outcome,n,mean\n0,b,1,1\n", "1:1: error: the header is not point,<vary keys>,outcome,n,mean,... (a sweep's points.csv)"},
    {"point,n,mean\n0,1,1\n", "1:1: error: the header is not point,<vary keys>,outcome,n,mean,... (a sweep's points.csv)"},
    {"point,mean,outcome,n\n0,1,b,1\n", "1:1: error: the header is not point,<vary keys>,outcome,n,mean,... (a sweep's points.csv)"},
    {"point,outcome,n,mean\n0,b,1\n", "2:1: error: 3 fields, the header has 4"},
    {"point,outcome,n,mean\n0,b,1,x\n", "2:7: error: mean 'x' is not a number"},
    {"point,outcome,n,mean\n0,b,1,\n", "2:7: error: mean '' is not a number"},
    {"point,outcome,n,mean\n0,b,1,1\n0,b,2,2\n", "3:7: error: point 0 b appears twice"},
    {"point,outcome,n,mean\n,b,1,1\n", "2:1: error: a row without its point or outcome"},
    {"point,outcome,n,mean\n0,\"b,1,1\n", "2:3: error: a quoted field is not closed"},
    {"point,outcome,n,mean\n0,\"b\"x,1,1\n", "2:3: error: text after a quoted field"},
};

START_TEST(test_bad_csv)
{
    const char *good = put("b.csv", "point,outcome,n,mean\n");
    for (size_t i = 0; i < sizeof BAD_CSV / sizeof BAD_CSV[0]; i++) {
        const char *a = put("a.csv", BAD_CSV[i].text);
        ck_assert_int_eq(compare(a, good, NULL, 0, 0), 2);
        char want[512];
        snprintf(want, sizeof want, "%s:%s\n", a, BAD_CSV[i].want);
        ck_assert_str_eq(err, want);
    }
    /* a line at the limit is read; one byte more is refused */
    size_t n = CLI_COMPARE_MAX_LINE;
    char *text = malloc(n + 64);
    ck_assert_ptr_nonnull(text);
    for (int extra = 0; extra <= 1; extra++) {
        int k = sprintf(text, "point,outcome,n,mean\n0,b,1,1,");
        memset(text + k, 'x', n - 8 + (size_t)extra); /* "0,b,1,1," is 8 bytes */
        text[k + (int)(n - 8) + extra] = '\0';
        /* the extra field makes 5 fields: at the limit the count is refused, past it the length */
        const char *a = put("a.csv", text);
        ck_assert_int_eq(compare(a, good, NULL, 0, 0), 2);
        ck_assert_ptr_nonnull(strstr(err, extra ? "error: a line is longer than 65536 bytes\n"
                                                : "error: a field is longer than 1024 bytes\n"));
    }
    free(text);
}
END_TEST

START_TEST(test_command_line)
{
    char *argv1[] = {(char *)"a"};
    ck_assert_int_eq(cli_cmd_compare(1, argv1), 2);
    char *argv2[] = {(char *)"a", (char *)"b", (char *)"--tolerance", (char *)"1e-2"};
    ck_assert_int_eq(cli_cmd_compare(4, argv2), 2);
    char *argv3[] = {(char *)"a", (char *)"b", (char *)"c"};
    ck_assert_int_eq(cli_cmd_compare(3, argv3), 2);
    char *argv4[] = {(char *)"a", (char *)"b", (char *)"--frob"};
    ck_assert_int_eq(cli_cmd_compare(3, argv4), 2);
    char *argv5[] = {(char *)"a", (char *)"b", (char *)"--tolerance"};
    ck_assert_int_eq(cli_cmd_compare(3, argv5), 2);
}
END_TEST

Suite *compare_suite(void)
{
    Suite *s = suite_create("compare");
    TCase *tc = tcase_create("compare");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_same);
    tcase_add_test(tc, test_deltas_and_places);
    tcase_add_test(tc, test_tolerance_boundary);
    tcase_add_test(tc, test_reordered_and_only_in_a);
    tcase_add_test(tc, test_exact_money);
    tcase_add_test(tc, test_json_output);
    tcase_add_test(tc, test_bad_json);
    tcase_add_test(tc, test_limits);
    tcase_add_test(tc, test_unreadable);
    tcase_add_test(tc, test_directories);
    tcase_add_test(tc, test_points);
    tcase_add_test(tc, test_bad_csv);
    tcase_add_test(tc, test_command_line);
    suite_add_tcase(s, tc);
    return s;
}
