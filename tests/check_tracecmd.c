/* tests/check_tracecmd.c - the trace.jsonl reader (strict parsing, escapes, long lines, a
 * round trip through reports/trace.c), `cspsim diff` and the golden check (first difference,
 * tails, --ignore, --kinds, context, errors with file:line) and `cspsim trace` (each filter,
 * the half-open time window). Traces are hand-written JSONL in a mkdtemp directory. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/tracecmd.h"
#include "cli/tracefile.h"
#include "model/model.h"
#include "reports/out.h"
#include "reports/trace.h"
#include "suites.h"

Suite *tracecmd_suite(void); /* also in suites.h once the suite is registered there */

/* ---- helpers --------------------------------------------------------------------------- */

/* Five records in our exact format: two tenants, two partners, three kinds. */
static const char *const BASE[] = {
    "{\"seq\":1,\"time\":\"2025-01-01T00:00:00Z\",\"kind\":\"charge\",\"action\":null,\"outcome\":null,"
    "\"reason\":null,\"rule\":\"SUB-2\",\"tenant\":\"fabrikam\",\"partner\":\"contoso\",\"subscription\":"
    "\"fab-e3\",\"from_state\":null,\"to_state\":null,\"licenses\":120,\"amount\":4320.00,\"detail\":"
    "\"period=2025-01-01..2025-01-31\"}",
    "{\"seq\":2,\"time\":\"2025-01-06T00:00:00Z\",\"kind\":\"action\",\"action\":\"request_relationship\","
    "\"outcome\":\"accepted\",\"reason\":null,\"rule\":\"REL-1\",\"tenant\":\"fabrikam\",\"partner\":"
    "\"northwind\",\"subscription\":null,\"from_state\":null,\"to_state\":null,\"licenses\":null,\"amount\":"
    "null,\"detail\":null}",
    "{\"seq\":3,\"time\":\"2025-01-15T00:00:00Z\",\"kind\":\"charge\",\"action\":null,\"outcome\":null,"
    "\"reason\":null,\"rule\":\"SUB-2\",\"tenant\":\"fabrikam\",\"partner\":\"contoso\",\"subscription\":"
    "\"fab-e3\",\"from_state\":null,\"to_state\":null,\"licenses\":120,\"amount\":4320.00,\"detail\":"
    "\"period=2025-01-15..2025-02-14\"}",
    "{\"seq\":4,\"time\":\"2025-01-15T09:00:00Z\",\"kind\":\"action\",\"action\":\"purchase\",\"outcome\":"
    "\"accepted\",\"reason\":null,\"rule\":\"SUB-1\",\"tenant\":\"tailspin\",\"partner\":\"northwind\","
    "\"subscription\":\"tail-e3\",\"from_state\":\"none\",\"to_state\":\"active\",\"licenses\":12,\"amount\":"
    "null,\"detail\":\"offer=m365-e3 licenses=12\"}",
    "{\"seq\":5,\"time\":\"2025-02-01T00:00:00Z\",\"kind\":\"refund\",\"action\":null,\"outcome\":null,"
    "\"reason\":null,\"rule\":\"SUB-2\",\"tenant\":\"tailspin\",\"partner\":\"northwind\",\"subscription\":"
    "\"tail-e3\",\"from_state\":null,\"to_state\":null,\"licenses\":null,\"amount\":390.19,\"detail\":"
    "\"unused_days=28/31\"}",
};
#define NBASE 5

/* The third record with amount 4104.00 instead of 4320.00. */
static const char CHANGED3[] =
    "{\"seq\":3,\"time\":\"2025-01-15T00:00:00Z\",\"kind\":\"charge\",\"action\":null,\"outcome\":null,"
    "\"reason\":null,\"rule\":\"SUB-2\",\"tenant\":\"fabrikam\",\"partner\":\"contoso\",\"subscription\":"
    "\"fab-e3\",\"from_state\":null,\"to_state\":null,\"licenses\":120,\"amount\":4104.00,\"detail\":"
    "\"period=2025-01-15..2025-02-14\"}";

/* A fresh directory under /tmp, its path in dir (64 bytes). */
static void make_dir(char *dir)
{
    strcpy(dir, "/tmp/cspsim-tracecmd-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void remove_tree(const char *path)
{
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char sub[512];
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            remove_tree(sub);
        }
        closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

/* Writes the n lines (each followed by '\n') to dir/name; the path goes to path (512 bytes). */
static void write_lines(char *path, const char *dir, const char *name, const char *const *lines, size_t n)
{
    snprintf(path, 512, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s\n", lines[i]);
    ck_assert_int_eq(fclose(f), 0);
}

static void write_base(char *path, const char *dir, const char *name)
{
    write_lines(path, dir, name, BASE, NBASE);
}

/* cli_trace_diff with its output captured in *text (free it). */
static int diff_text(const char *a, const char *b, const cli_diff_opts *o, char **text)
{
    size_t len;
    FILE *m = open_memstream(text, &len);
    ck_assert_ptr_nonnull(m);
    int rc = cli_trace_diff(a, b, o, m);
    fclose(m);
    return rc;
}

/* cli_trace_query with out and err captured (free both). */
static int query_text(const char *path, const cli_trace_filter *f, char **out, char **err)
{
    size_t lo, le;
    FILE *mo = open_memstream(out, &lo), *me = open_memstream(err, &le);
    ck_assert_ptr_nonnull(mo);
    ck_assert_ptr_nonnull(me);
    int rc = cli_trace_query(path, f, mo, me);
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

/* The whole content of f from its start, NUL-terminated (free it). */
static char *slurp(FILE *f)
{
    fflush(f);
    long n = ftell(f);
    ck_assert_int_ge(n, 0);
    char *s = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(s);
    rewind(f);
    ck_assert_uint_eq(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    return s;
}

/* Runs a command with stdout and stderr sent to temporary files, their texts in *out and
 * *err (free both). */
static int run_cmd(int (*cmd)(int, char **), int argc, char **argv, char **out, char **err)
{
    FILE *fo = tmpfile(), *fe = tmpfile();
    ck_assert_ptr_nonnull(fo);
    ck_assert_ptr_nonnull(fe);
    fflush(stdout);
    fflush(stderr);
    int so = dup(1), se = dup(2);
    dup2(fileno(fo), 1);
    dup2(fileno(fe), 2);
    int rc = cmd(argc, argv);
    fflush(stdout);
    fflush(stderr);
    dup2(so, 1);
    dup2(se, 2);
    close(so);
    close(se);
    fseek(fo, 0, SEEK_END);
    fseek(fe, 0, SEEK_END);
    *out = slurp(fo);
    *err = slurp(fe);
    fclose(fo);
    fclose(fe);
    return rc;
}

#define ck_contains(hay, needle) ck_assert_msg(strstr((hay), (needle)) != NULL, "expected \"%s\" in:\n%s", (needle), (hay))
#define ck_lacks(hay, needle) ck_assert_msg(strstr((hay), (needle)) == NULL, "did not expect \"%s\" in:\n%s", (needle), (hay))

/* ---- the reader ------------------------------------------------------------------------- */

START_TEST(test_field_table)
{
    char cols[256] = "";
    for (int f = 0; f < CLI_TF_COUNT; f++) {
        if (f)
            strcat(cols, ",");
        strcat(cols, cli_trace_field_name(f));
        ck_assert_int_eq(cli_trace_field_find(cli_trace_field_name(f)), f);
    }
    ck_assert_str_eq(cols, rep_trace_header()); /* same columns, same order as the writer */
    ck_assert_str_eq(cols, "seq,time,kind,action,outcome,reason,rule,tenant,partner,subscription,from_state,"
                           "to_state,licenses,amount,detail");
    /* the number columns, and nothing out of range */
    for (int f = -1; f <= CLI_TF_COUNT; f++)
        ck_assert_int_eq(cli_trace_field_is_number(f), f == CLI_TF_SEQ || f == CLI_TF_LICENSES || f == CLI_TF_AMOUNT);
    ck_assert_int_eq(cli_trace_field_find("Seq"), -1);
    ck_assert_ptr_null(cli_trace_field_name(CLI_TF_COUNT));
    ck_assert_ptr_null(cli_trace_field_name(-1));
}
END_TEST

START_TEST(test_read_records)
{
    char dir[64], path[512], err[600];
    make_dir(dir);
    write_base(path, dir, "a.jsonl");
    cli_tracefile *t = cli_tracefile_open(path, err, sizeof err);
    ck_assert_ptr_nonnull(t);
    cli_trace_rec r;
    ck_assert_int_eq(cli_tracefile_next(t, &r), 1);
    ck_assert_uint_eq(r.seq, 1);
    ck_assert_uint_eq(r.lineno, 1);
    ck_assert_str_eq(r.v[CLI_TF_TIME], "2025-01-01T00:00:00Z");
    sim_time t0;
    ck_assert_int_eq(sim_parse_instant("2025-01-01", &t0), 0);
    ck_assert_int_eq(r.time, t0);
    ck_assert_str_eq(r.v[CLI_TF_KIND], "charge");
    ck_assert_ptr_null(r.v[CLI_TF_ACTION]);
    ck_assert_str_eq(r.v[CLI_TF_LICENSES], "120");
    ck_assert_str_eq(r.v[CLI_TF_AMOUNT], "4320.00");
    ck_assert_str_eq(r.v[CLI_TF_DETAIL], "period=2025-01-01..2025-01-31");
    ck_assert_str_eq(r.line, BASE[0]);
    ck_assert_uint_eq(r.line_len, strlen(BASE[0]));
    ck_assert_int_eq(cli_tracefile_next(t, &r), 1);
    ck_assert_ptr_null(r.v[CLI_TF_DETAIL]);
    ck_assert_str_eq(r.v[CLI_TF_ACTION], "request_relationship");
    for (int i = 2; i < NBASE; i++)
        ck_assert_int_eq(cli_tracefile_next(t, &r), 1);
    ck_assert_uint_eq(r.seq, 5);
    ck_assert_int_eq(cli_tracefile_next(t, &r), 0);
    ck_assert_int_eq(cli_tracefile_next(t, &r), 0); /* the end stays the end */
    ck_assert_uint_eq(cli_tracefile_lines(t), NBASE);
    ck_assert_str_eq(cli_tracefile_error(t), "");
    cli_tracefile_close(t);
    cli_tracefile_close(NULL);
    remove_tree(dir);
}
END_TEST

START_TEST(test_escapes_decode)
{
    char dir[64], path[512];
    make_dir(dir);
    /* \" \\ \/ \b \f \n \r \t, e-acute (2 bytes), euro (3 bytes), an emoji as a surrogate pair
     * (4 bytes), an escaped key, whitespace between tokens, keys in another order, CRLF end */
    const char *line =
        "{ \"detail\" : \"q\\\"b\\\\s\\/ \\b\\f\\n\\r\\t \\u00e9\\u20AC\\ud83d\\ude00 raw\xc3\xa9\" ,"
        "\"seq\":7,\"time\":\"2025-03-01T09:30:00Z\",\"kind\":\"charge\",\"action\":null,\"outcome\":null,"
        "\"reason\":null,\"rule\":\"SUB-2\",\"tenant\":\"fab\\u0072ikam\",\"partner\":null,\"subscription\":null,"
        "\"from_state\":null,\"to_state\":null,\"licenses\":-3,\"amount\":-0.05,\"\\u0061ction\":null"
        "\t}\r";
    /* "action" appears twice above: once plain, once as \u0061ction; the duplicate must be refused */
    write_lines(path, dir, "dup.jsonl", &line, 1);
    char err[600];
    cli_tracefile *t = cli_tracefile_open(path, err, sizeof err);
    ck_assert_ptr_nonnull(t);
    cli_trace_rec r;
    ck_assert_int_eq(cli_tracefile_next(t, &r), -1);
    ck_contains(cli_tracefile_error(t), "key \"action\" appears twice");
    cli_tracefile_close(t);

    const char *good =
        "{ \"detail\" : \"q\\\"b\\\\s\\/ \\b\\f\\n\\r\\t \\u00e9\\u20AC\\ud83d\\ude00 raw\xc3\xa9\" ,"
        "\"seq\":7,\"time\":\"2025-03-01T09:30:00Z\",\"kind\":\"charge\",\"outcome\":null,"
        "\"reason\":null,\"rule\":\"SUB-2\",\"tenant\":\"fab\\u0072ikam\",\"partner\":null,\"subscription\":null,"
        "\"from_state\":null,\"to_state\":null,\"licenses\":-3,\"amount\":-0.05,\"\\u0061ction\":null"
        "\t}\r";
    write_lines(path, dir, "esc.jsonl", &good, 1);
    t = cli_tracefile_open(path, err, sizeof err);
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(cli_tracefile_next(t, &r), 1);
    ck_assert_str_eq(r.v[CLI_TF_DETAIL], "q\"b\\s/ \b\f\n\r\t \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 raw\xc3\xa9");
    ck_assert_str_eq(r.v[CLI_TF_TENANT], "fabrikam");
    ck_assert_ptr_null(r.v[CLI_TF_ACTION]);
    ck_assert_str_eq(r.v[CLI_TF_LICENSES], "-3");
    ck_assert_str_eq(r.v[CLI_TF_AMOUNT], "-0.05");
    ck_assert_uint_eq(r.seq, 7);
    ck_assert_uint_eq(r.line_len, strlen(good) - 1); /* without the CR */
    ck_assert_int_eq(cli_tracefile_next(t, &r), 0);
    cli_tracefile_close(t);

    /* the trace command shows the decoded detail on one line, control characters escaped */
    char *out, *errs;
    cli_trace_filter f = {0};
    ck_assert_int_eq(query_text(path, &f, &out, &errs), 0);
    ck_contains(out, "q\"b\\\\s/ \\u0008\\u000c\\n\\r\\t \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 raw");
    ck_assert_uint_eq(count_lines(out), 1);
    ck_contains(errs, "1 of 1 records matched");
    free(out);
    free(errs);
    remove_tree(dir);
}
END_TEST

/* A line that must be refused, and a piece of the message. */
static const struct {
    const char *line, *message;
} malformed[] = {
    {"", "empty line"},
    {"   ", "empty line"},
    {"[1]", "expected '{'"},
    {"{}", "expected a key in double quotes"},
    {"{\"seq\":1", "expected ',' or '}' after a value, found the end of the line"},
    {"{\"seq\":1,\"time\":\"2025-01-01T00:00:00Z", "string not closed"},
    {"{\"seq\":\"1\"}", "2:8: error: seq must be a number, not a string"},
    {"{\"seq\":-1}", "seq must be a whole number"},
    {"{\"seq\":1.5}", "seq must be a whole number"},
    {"{\"seq\":null}", "seq must not be null"},
    {"{\"seq\":01}", "leading zero"},
    {"{\"seq\":1.}", "a digit must follow '.'"},
    {"{\"seq\":1e}", "a digit must follow the exponent"},
    {"{\"seq\":-}", "a digit must follow '-'"},
    {"{\"licenses\":1.5}", "licenses must be an integer or null"},
    {"{\"licenses\":\"12\"}", "licenses must be a number or null, not a string"},
    {"{\"tenant\":12}", "tenant must be a string or null, not a number"},
    {"{\"kind\":null}", "kind must not be null"},
    {"{\"time\":null}", "time must not be null"},
    {"{\"tenant\":true}", "true and false are not trace values"},
    {"{\"tenant\":{}}", "nested objects"},
    {"{\"tenant\":[]}", "nested arrays"},
    {"{\"tenant\":nul}", "expected a string, a number or null"},
    {"{\"tenant\":x}", "expected a string, a number or null, found 'x}'"},
    {"{\"tenant\" \"x\"}", "expected ':' after the key"},
    {"{\"colour\":1}", "unknown key \"colour\" (a trace record has: seq, time, kind, action, outcome, reason, rule, "
                        "tenant, partner, subscription, from_state, to_state, licenses, amount, detail)"},
    {"{\"seq\":1,\"seq\":2}", "key \"seq\" appears twice"},
    {"{\"tenant\":\"a\\qb\"}", "unknown escape '\\q'"},
    {"{\"tenant\":\"a\\u12\"}", "\\u must be followed by 4 hex digits"},
    {"{\"tenant\":\"\\ud800\"}", "high surrogate not followed by a low one"},
    {"{\"tenant\":\"\\ud800\\u0041\"}", "high surrogate not followed by a low one"},
    {"{\"tenant\":\"\\udc00\"}", "low surrogate without a high one"},
    {"{\"tenant\":\"a\\u0000b\"}", "\\u0000 is not allowed"},
    {"{\"tenant\":\"a\tb\"}", "control character 0x09 inside a string"},
    {"{\"tenant\":\"a\"} x", "expected the end of the line after the record, found 'x'"},
    {"{\"tenant\":\"a\"}}", "expected the end of the line after the record"},
    {"{\"tenant\":\"a\",}", "expected a key in double quotes, found '}'"},
    {"{\"tenant\":\"a\"}", "missing key \"seq\" (every record has all 15 columns)"},
    {"\xef\xbb\xbf{\"seq\":1}", "expected '{'"},
};

/* Each of the 15 keys with a valid value except the one named, which gets v. */
static void record_with(char *buf, size_t size, const char *key, const char *v)
{
    static const char *const vals[CLI_TF_COUNT] = {
        "1", "\"2025-01-01T00:00:00Z\"", "\"charge\"", "null", "null", "null", "null", "null",
        "null", "null", "null", "null", "null", "null", "null"};
    size_t n = (size_t)snprintf(buf, size, "{");
    for (int f = 0; f < CLI_TF_COUNT; f++)
        n += (size_t)snprintf(buf + n, size - n, "%s\"%s\":%s", f ? "," : "", cli_trace_field_name(f),
                              strcmp(cli_trace_field_name(f), key) == 0 ? v : vals[f]);
    snprintf(buf + n, size - n, "}");
}

START_TEST(test_malformed_lines)
{
    char dir[64], path[512], err[600], full[1024];
    make_dir(dir);
    for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
        const char *lines[2] = {BASE[0], malformed[i].line};
        write_lines(path, dir, "bad.jsonl", lines, 2);
        cli_tracefile *t = cli_tracefile_open(path, err, sizeof err);
        ck_assert_ptr_nonnull(t);
        cli_trace_rec r;
        ck_assert_int_eq(cli_tracefile_next(t, &r), 1);
        ck_assert_msg(cli_tracefile_next(t, &r) == -1, "accepted: %s", malformed[i].line);
        const char *e = cli_tracefile_error(t);
        char where[600];
        snprintf(where, sizeof where, "%s:2:", path);
        ck_assert_msg(strncmp(e, where, strlen(where)) == 0, "no file:line in '%s'", e);
        ck_contains(e, malformed[i].message);
        ck_assert_int_eq(cli_tracefile_next(t, &r), -1); /* the failure is sticky */
        cli_tracefile_close(t);
    }
    /* semantic checks on otherwise complete records */
    static const struct {
        const char *key, *value, *message;
    } semantic[] = {
        {"time", "\"2025-13-01T00:00:00Z\"", "is not an instant"},
        {"time", "\"yesterday\"", "time \"yesterday\" is not an instant"},
        {"seq", "18446744073709551616", "does not fit in 64 bits"},
        {"kind", "\"\"", "kind must not be empty"},
    };
    for (size_t i = 0; i < sizeof semantic / sizeof semantic[0]; i++) {
        record_with(full, sizeof full, semantic[i].key, semantic[i].value);
        const char *line = full;
        write_lines(path, dir, "sem.jsonl", &line, 1);
        cli_tracefile *t = cli_tracefile_open(path, err, sizeof err);
        cli_trace_rec r;
        ck_assert_int_eq(cli_tracefile_next(t, &r), -1);
        ck_contains(cli_tracefile_error(t), semantic[i].message);
        ck_contains(cli_tracefile_error(t), ":1:");
        cli_tracefile_close(t);
    }
    /* the largest seq fits */
    record_with(full, sizeof full, "seq", "18446744073709551615");
    const char *line = full;
    write_lines(path, dir, "max.jsonl", &line, 1);
    cli_tracefile *t = cli_tracefile_open(path, err, sizeof err);
    cli_trace_rec r;
    ck_assert_int_eq(cli_tracefile_next(t, &r), 1);
    ck_assert_uint_eq(r.seq, UINT64_MAX);
    cli_tracefile_close(t);
    /* a NUL byte inside a line */
    snprintf(path, sizeof path, "%s/nul.jsonl", dir);
    FILE *f = fopen(path, "wb");
    fwrite("{\"seq\":1\0}\n", 1, 11, f);
    fclose(f);
    t = cli_tracefile_open(path, err, sizeof err);
    ck_assert_int_eq(cli_tracefile_next(t, &r), -1);
    ck_contains(cli_tracefile_error(t), ":1:9: error: expected ',' or '}' after a value, found '?}'");
    cli_tracefile_close(t);
    remove_tree(dir);
}
END_TEST

START_TEST(test_open_errors)
{
    char dir[64], err[600];
    make_dir(dir);
    ck_assert_ptr_null(cli_tracefile_open("/nonexistent/cspsim/trace.jsonl", err, sizeof err));
    ck_assert_str_eq(err, "/nonexistent/cspsim/trace.jsonl: error: cannot open: No such file or directory");
    ck_assert_ptr_null(cli_tracefile_open(dir, err, sizeof err)); /* a directory without a trace */
    char want[600];
    snprintf(want, sizeof want, "%s/trace.jsonl: error: cannot open:", dir);
    ck_contains(err, want);
    ck_assert_ptr_null(cli_tracefile_open("/nonexistent", NULL, 0));
    remove_tree(dir);
}
END_TEST

START_TEST(test_long_line)
{
    enum { BIG = 1 << 20 };
    char dir[64], path_a[512], path_b[512], err[600];
    make_dir(dir);
    char *big = malloc(BIG + 512), *big2 = malloc(BIG + 512);
    ck_assert_ptr_nonnull(big);
    ck_assert_ptr_nonnull(big2);
    int n = snprintf(big, 512,
                     "{\"seq\":2,\"time\":\"2025-01-02T00:00:00Z\",\"kind\":\"charge\",\"action\":null,"
                     "\"outcome\":null,\"reason\":null,\"rule\":\"SUB-2\",\"tenant\":\"fabrikam\",\"partner\":null,"
                     "\"subscription\":null,\"from_state\":null,\"to_state\":null,\"licenses\":null,"
                     "\"amount\":null,\"detail\":\"");
    memset(big + n, 'x', BIG);
    strcpy(big + n + BIG, "\"}");
    strcpy(big2, big);
    big2[n + BIG - 1] = 'y'; /* the last byte of the detail differs */
    const char *a[3] = {BASE[0], big, BASE[2]}, *b[3] = {BASE[0], big2, BASE[2]};
    write_lines(path_a, dir, "a.jsonl", a, 3);
    write_lines(path_b, dir, "b.jsonl", b, 3);

    cli_tracefile *t = cli_tracefile_open(path_a, err, sizeof err);
    cli_trace_rec r;
    ck_assert_int_eq(cli_tracefile_next(t, &r), 1);
    ck_assert_int_eq(cli_tracefile_next(t, &r), 1);
    ck_assert_uint_eq(strlen(r.v[CLI_TF_DETAIL]), BIG);
    ck_assert_uint_eq(r.line_len, strlen(big));
    ck_assert_int_eq(cli_tracefile_next(t, &r), 1); /* a short line after the long one */
    ck_assert_str_eq(r.line, BASE[2]);
    ck_assert_int_eq(cli_tracefile_next(t, &r), 0);
    cli_tracefile_close(t);

    char *out;
    ck_assert_int_eq(diff_text(path_a, path_b, NULL, &out), 1);
    ck_contains(out, "hunk 1 at record 2 of A, 2 of B:\n");
    ck_contains(out, "    detail: ...\"xxx");
    ck_contains(out, "xxxy\" (1048576 bytes, differs from byte 1048576)");
    ck_contains(out, "...(1048576 bytes)"); /* the record lines cut the detail */
    ck_contains(out, "1 hunk: 1 changed, 0 inserted in B, 0 deleted from A; A has 3 records, B has 3\n");
    ck_assert_uint_lt(strlen(out), 4096);
    free(out);

    char *errs;
    cli_trace_filter f = {0};
    ck_assert_int_eq(query_text(path_a, &f, &out, &errs), 0);
    ck_assert_uint_gt(strlen(out), BIG); /* trace prints the detail whole */
    ck_assert_uint_eq(count_lines(out), 3);
    free(out);
    free(errs);
    free(big);
    free(big2);
    remove_tree(dir);
}
END_TEST

/* Records written by reports/trace.c read back to the same texts. */
START_TEST(test_round_trip_writer)
{
    char dir[64], err[600];
    make_dir(dir);
    sim_time start, end;
    ck_assert_int_eq(sim_parse_instant("2025-01-01", &start), 0);
    ck_assert_int_eq(sim_parse_instant("2026-01-01", &end), 0);
    model_world *w = model_world_new(start, end, 1, 0);
    ck_assert_ptr_nonnull(w);
    ck_assert_uint_eq(model_add_partner(w, "contoso", "europe"), 0);
    ck_assert_uint_eq(model_add_tenant(w, "fabrikam", "europe"), 0);
    ck_assert_uint_eq(model_declare_subscription(w, "fab-e3", 0), 0);
    rep_out *o = rep_out_file(dir, "trace.jsonl");
    ck_assert_ptr_nonnull(o);
    rep_trace *tw = rep_trace_new(w, o, NULL);
    model_record r;
    memset(&r, 0, sizeof r);
    r.seq = 1;
    r.time = start + 9 * SIM_HOUR + 30 * 60 + 5;
    r.kind = MODEL_KIND_ACTION;
    r.action = MODEL_ACT_PURCHASE;
    r.outcome = MODEL_OUTCOME_REJECTED;
    r.reason = MODEL_REASON_NONE;
    r.rule = MODEL_RULE_NONE;
    r.tenant = 0;
    r.partner = 0;
    r.subscription = 0;
    r.from_state = MODEL_STATE_NONE;
    r.to_state = MODEL_STATE_ACTIVE;
    r.has_licenses = r.has_amount = 1;
    r.licenses = -7;
    r.amount = -5;
    snprintf(r.detail, sizeof r.detail, "say=\"hi\" path=a\\b\ttab\x01 \xc3\xa9");
    rep_trace_record(tw, &r);
    r.seq = 2;
    r.kind = MODEL_KIND_CHARGE;
    r.action = -1;
    r.outcome = MODEL_OUTCOME_NONE;
    r.partner = r.subscription = MODEL_NONE;
    r.from_state = r.to_state = -1;
    r.has_licenses = r.has_amount = 0;
    r.detail[0] = '\0';
    rep_trace_record(tw, &r);
    ck_assert_int_eq(rep_out_commit(o), 0);
    rep_out_free(o);
    rep_trace_free(tw);
    model_world_free(w);

    cli_tracefile *t = cli_tracefile_open(dir, err, sizeof err); /* the directory */
    ck_assert_msg(t != NULL, "%s", err);
    cli_trace_rec x;
    ck_assert_int_eq(cli_tracefile_next(t, &x), 1);
    ck_assert_str_eq(x.v[CLI_TF_TIME], "2025-01-01T09:30:05Z");
    ck_assert_int_eq(x.time, start + 9 * SIM_HOUR + 30 * 60 + 5);
    ck_assert_str_eq(x.v[CLI_TF_KIND], "action");
    ck_assert_str_eq(x.v[CLI_TF_ACTION], "purchase");
    ck_assert_str_eq(x.v[CLI_TF_OUTCOME], "rejected");
    ck_assert_str_eq(x.v[CLI_TF_TENANT], "fabrikam");
    ck_assert_str_eq(x.v[CLI_TF_PARTNER], "contoso");
    ck_assert_str_eq(x.v[CLI_TF_SUBSCRIPTION], "fab-e3");
    ck_assert_str_eq(x.v[CLI_TF_FROM_STATE], "none");
    ck_assert_str_eq(x.v[CLI_TF_TO_STATE], "active");
    ck_assert_str_eq(x.v[CLI_TF_LICENSES], "-7");
    ck_assert_str_eq(x.v[CLI_TF_AMOUNT], "-0.05");
    ck_assert_str_eq(x.v[CLI_TF_DETAIL], "say=\"hi\" path=a\\b\ttab\x01 \xc3\xa9");
    ck_assert_ptr_null(x.v[CLI_TF_RULE]);
    ck_assert_ptr_null(x.v[CLI_TF_REASON]);
    ck_assert_int_eq(cli_tracefile_next(t, &x), 1);
    ck_assert_str_eq(x.v[CLI_TF_KIND], "charge");
    ck_assert_ptr_null(x.v[CLI_TF_ACTION]);
    ck_assert_ptr_null(x.v[CLI_TF_DETAIL]);
    ck_assert_ptr_null(x.v[CLI_TF_LICENSES]);
    ck_assert_int_eq(cli_tracefile_next(t, &x), 0);
    cli_tracefile_close(t);
    remove_tree(dir);
}
END_TEST

/* ---- diff ------------------------------------------------------------------------------- */

START_TEST(test_diff_identical)
{
    char dir[64], a[512], b[512], *out;
    make_dir(dir);
    write_base(a, dir, "a.jsonl");
    write_base(b, dir, "b.jsonl");
    ck_assert_int_eq(diff_text(a, b, NULL, &out), 0);
    ck_assert_str_eq(out, "identical: 5 records\n");
    free(out);
    ck_assert_int_eq(diff_text(a, a, NULL, &out), 0);
    free(out);
    /* two empty traces are identical too */
    write_lines(a, dir, "e1.jsonl", NULL, 0);
    write_lines(b, dir, "e2.jsonl", NULL, 0);
    ck_assert_int_eq(diff_text(a, b, NULL, &out), 0);
    ck_assert_str_eq(out, "identical: 0 records\n");
    free(out);
    remove_tree(dir);
}
END_TEST

START_TEST(test_diff_changed_field)
{
    char dir[64], a[512], b[512], *out;
    make_dir(dir);
    const char *lines[NBASE];
    memcpy(lines, BASE, sizeof lines);
    lines[2] = CHANGED3;
    write_base(a, dir, "a.jsonl");
    write_lines(b, dir, "b.jsonl", lines, NBASE);
    ck_assert_int_eq(diff_text(a, b, NULL, &out), 1);
    /* one changed record: both sides, the differing column, 2 records before (all there are)
     * and 2 after (all there are) */
    ck_contains(out, "hunk 1 at record 3 of A, 3 of B:\n  A:1  ");
    ck_contains(out, "\n  A:2  ");
    ck_contains(out, "\n- A:3  ");
    ck_contains(out, "\n+ B:3  ");
    ck_contains(out, "\n    amount: 4320.00 | 4104.00\n  A:4  ");
    ck_contains(out, "\n  A:5  ");
    ck_lacks(out, "detail:"); /* only differing columns are listed */
    ck_contains(out, "amount=4104.00");
    ck_assert_uint_eq(count_lines(out), 2 + 1 + 2 + 2 + 1 + 2 + 1); /* paths, header, before, pair, field, after, total */
    ck_contains(out, "1 hunk: 1 changed, 0 inserted in B, 0 deleted from A; A has 5 records, B has 5\n");
    ck_lacks(out, "not shown");
    free(out);
    /* the golden check is the same comparison */
    FILE *null = fopen("/dev/null", "w");
    ck_assert_int_eq(cli_golden_compare(a, b, null), 1);
    fclose(null);
    size_t len;
    FILE *m = open_memstream(&out, &len);
    ck_assert_int_eq(cli_golden_compare(a, a, m), 0);
    fclose(m);
    ck_assert_str_eq(out, "identical: 5 records\n");
    free(out);
    remove_tree(dir);
}
END_TEST

START_TEST(test_diff_fields_aligned)
{
    char dir[64], a[512], b[512], *out;
    make_dir(dir);
    /* record 4 with another tenant, seq, time, null licenses and a longer detail */
    const char *changed =
        "{\"seq\":40,\"time\":\"2025-01-16T09:00:00Z\",\"kind\":\"action\",\"action\":\"purchase\",\"outcome\":"
        "\"accepted\",\"reason\":null,\"rule\":\"SUB-1\",\"tenant\":\"contoso-x\",\"partner\":\"northwind\","
        "\"subscription\":\"tail-e3\",\"from_state\":\"none\",\"to_state\":\"active\",\"licenses\":null,"
        "\"amount\":null,\"detail\":\"offer=m365-e3 licenses=12 \\\"quoted\\\"\\n\"}";
    const char *lines[NBASE];
    memcpy(lines, BASE, sizeof lines);
    lines[3] = changed;
    write_base(a, dir, "a.jsonl");
    write_lines(b, dir, "b.jsonl", lines, NBASE);
    ck_assert_int_eq(diff_text(a, b, NULL, &out), 1);
    ck_contains(out, "hunk 1 at record 4 of A, 4 of B:\n");
    ck_lacks(out, "    seq:"); /* shown on the record lines, never compared */
    ck_contains(out, "    time:     \"2025-01-15T09:00:00Z\"      | \"2025-01-16T09:00:00Z\"\n");
    ck_contains(out, "    tenant:   \"tailspin\"                  | \"contoso-x\"\n");
    ck_contains(out, "    licenses: 12                          | null\n");
    ck_contains(out, "    detail:   \"offer=m365-e3 licenses=12\" | \"offer=m365-e3 licenses=12 \\\"quoted\\\"\\n\"\n");
    ck_contains(out, "+ B:4 "); /* line number of B, not the seq */
    ck_contains(out, "   40  2025-01-16 09:00  contoso-x");
    free(out);
    remove_tree(dir);
}
END_TEST

START_TEST(test_diff_tail)
{
    char dir[64], a[512], b[512], *out;
    make_dir(dir);
    write_base(a, dir, "a.jsonl");
    write_lines(b, dir, "b.jsonl", BASE, 3);
    ck_assert_int_eq(diff_text(a, b, NULL, &out), 1);
    /* a tail only A has: deleted, one hunk */
    ck_contains(out, "hunk 1 at record 4 of A, 4 of B:\n");
    ck_contains(out, "\n- A:4  ");
    ck_contains(out, "\n- A:5  ");
    ck_lacks(out, "+ B:");
    ck_contains(out, "1 hunk: 0 changed, 0 inserted in B, 2 deleted from A; A has 5 records, B has 3\n");
    free(out);
    /* the other way round, and a changed record before the tail */
    const char *lines[4] = {BASE[0], CHANGED3, BASE[3], BASE[4]};
    write_lines(b, dir, "c.jsonl", lines, 4);
    write_lines(a, dir, "d.jsonl", BASE, 2);
    ck_assert_int_eq(diff_text(a, b, NULL, &out), 1);
    /* A = 1 2, B = 1 3' 4 5: record 2 changed into 3', then 4 and 5 inserted */
    ck_contains(out, "hunk 1 at record 2 of A, 2 of B:\n");
    ck_contains(out, "\n- A:2  ");
    ck_contains(out, "\n+ B:2  ");
    ck_lacks(out, "    seq:");
    ck_contains(out, "1 hunk: 1 changed, 2 inserted in B, 0 deleted from A; A has 2 records, B has 4\n");
    free(out);
    write_lines(a, dir, "empty.jsonl", NULL, 0);
    ck_assert_int_eq(diff_text(a, b, NULL, &out), 1);
    /* an empty trace against four records: all inserted, no context */
    ck_contains(out, "hunk 1 at record 1 of A, 1 of B:\n+ B:1  ");
    ck_contains(out, "1 hunk: 0 changed, 4 inserted in B, 0 deleted from A; A has 0 records, B has 4\n");
    ck_lacks(out, "  A:");
    free(out);
    remove_tree(dir);
}
END_TEST

START_TEST(test_diff_ignore)
{
    char dir[64], a[512], b[512], *out;
    make_dir(dir);
    const char *lines[NBASE];
    memcpy(lines, BASE, sizeof lines);
    lines[2] = CHANGED3;
    write_base(a, dir, "a.jsonl");
    write_lines(b, dir, "b.jsonl", lines, NBASE);
    cli_diff_opts o;
    cli_diff_opts_init(&o);
    ck_assert_int_eq(o.context, 3);
    o.ignore = 1u << CLI_TF_AMOUNT;
    ck_assert_int_eq(diff_text(a, b, &o, &out), 0);
    ck_assert_str_eq(out, "identical: 5 records (not compared: amount)\n");
    free(out);
    o.ignore = 1u << CLI_TF_DETAIL;
    ck_assert_int_eq(diff_text(a, b, &o, &out), 1);
    free(out);

    /* through the command: --ignore by name, repeated and comma-separated */
    char *argv1[] = {a, b, "--ignore", "detail", "--ignore", "amount"};
    char *err;
    ck_assert_int_eq(run_cmd(cli_cmd_diff, 6, argv1, &out, &err), 0);
    ck_assert_str_eq(out, "identical: 5 records (not compared: amount, detail)\n");
    ck_assert_str_eq(err, "");
    free(out);
    free(err);
    char *argv2[] = {a, b, "--ignore", "licenses,amount"};
    ck_assert_int_eq(run_cmd(cli_cmd_diff, 4, argv2, &out, &err), 0);
    free(out);
    free(err);
    char *argv3[] = {a, b, "--ignore", "amout"};
    ck_assert_int_eq(run_cmd(cli_cmd_diff, 4, argv3, &out, &err), 2);
    ck_contains(err, "--ignore: unknown column 'amout'; columns: seq time");
    ck_contains(err, "; see 'cspsim diff --help'\n"); /* one line, not the whole help */
    ck_assert_ptr_null(strstr(err, "usage:"));
    free(out);
    free(err);
    char *argv4[] = {a, b};
    ck_assert_int_eq(run_cmd(cli_cmd_diff, 2, argv4, &out, &err), 1);
    ck_contains(out, "hunk 1 at record 3 of A, 3 of B:");
    free(out);
    free(err);
    remove_tree(dir);
}
END_TEST

START_TEST(test_diff_kinds)
{
    char dir[64], a[512], b[512], *out;
    make_dir(dir);
    /* B: record 3 (a charge) changed and an extra refund in the middle */
    const char *extra =
        "{\"seq\":9,\"time\":\"2025-01-10T00:00:00Z\",\"kind\":\"refund\",\"action\":null,\"outcome\":null,"
        "\"reason\":null,\"rule\":\"SUB-2\",\"tenant\":\"fabrikam\",\"partner\":\"contoso\",\"subscription\":"
        "\"fab-e3\",\"from_state\":null,\"to_state\":null,\"licenses\":null,\"amount\":1.00,\"detail\":null}";
    const char *lines[NBASE + 1] = {BASE[0], BASE[1], extra, CHANGED3, BASE[3], BASE[4]};
    write_base(a, dir, "a.jsonl");
    write_lines(b, dir, "b.jsonl", lines, NBASE + 1);
    cli_diff_opts o;
    cli_diff_opts_init(&o);
    char msg[1024];
    ck_assert_int_eq(cli_trace_kinds_parse("action", &o.kinds, msg, sizeof msg), 0);
    ck_assert_int_eq(diff_text(a, b, &o, &out), 0);
    ck_assert_str_eq(out, "identical: 2 records of kinds action\n");
    free(out);
    ck_assert_int_eq(cli_trace_kinds_parse("charge", &o.kinds, msg, sizeof msg), 0); /* adds */
    ck_assert_int_eq(diff_text(a, b, &o, &out), 1);
    /* records of other kinds are dropped before pairing: the charge is compared record 3 */
    ck_contains(out, "hunk 1 at record 3 of A, 3 of B:");
    ck_contains(out, "    amount: 4320.00 | 4104.00\n");
    ck_contains(out, "+ B:4  "); /* its line in B */
    ck_contains(out, "1 hunk: 1 changed, 0 inserted in B, 0 deleted from A; A has 4 records of the compared kinds, "
                     "B has 4\n");
    free(out);
    uint64_t mask = 0;
    ck_assert_int_eq(cli_trace_kinds_parse("action,chrage", &mask, msg, sizeof msg), -1);
    ck_contains(msg, "unknown record kind 'chrage'; kinds: action subscription_created");
    ck_assert_uint_eq(mask, 0);
    ck_assert_int_eq(cli_trace_kinds_parse("action,", &mask, msg, sizeof msg), -1);
    ck_assert_int_eq(cli_trace_kinds_parse("", &mask, msg, sizeof msg), -1);

    char *argv[] = {"--kinds", "action,refund", a, b}, *err;
    ck_assert_int_eq(run_cmd(cli_cmd_diff, 4, argv, &out, &err), 1); /* B has one refund more */
    /* B has one refund more: inserted, and the records after it line up again */
    ck_contains(out, "hunk 1 at record 2 of A, 2 of B:\n  A:2  ");
    ck_contains(out, "\n+ B:3  ");
    ck_contains(out, "1 hunk: 0 changed, 1 inserted in B, 0 deleted from A; A has 3 records of the compared kinds, "
                     "B has 4\n");
    free(out);
    free(err);
    remove_tree(dir);
}
END_TEST

START_TEST(test_diff_context)
{
    char dir[64], a[512], b[512], *out;
    make_dir(dir);
    const char *lines[NBASE];
    memcpy(lines, BASE, sizeof lines);
    lines[4] = "{\"seq\":5,\"time\":\"2025-02-01T00:00:00Z\",\"kind\":\"refund\",\"action\":null,\"outcome\":"
               "null,\"reason\":null,\"rule\":\"SUB-2\",\"tenant\":\"tailspin\",\"partner\":\"northwind\","
               "\"subscription\":\"tail-e3\",\"from_state\":null,\"to_state\":null,\"licenses\":null,\"amount\":"
               "390.19,\"detail\":\"unused_days=27/31\"}";
    write_base(a, dir, "a.jsonl");
    write_lines(b, dir, "b.jsonl", lines, NBASE);
    cli_diff_opts o;
    cli_diff_opts_init(&o);
    ck_assert_int_eq(diff_text(a, b, &o, &out), 1); /* default 3: records 2, 3, 4 */
    ck_lacks(out, "A:1 ");
    ck_contains(out, "hunk 1 at record 5 of A, 5 of B:\n  A:2  ");
    ck_contains(out, "\n  A:3  ");
    ck_contains(out, "\n  A:4  ");
    ck_contains(out, "\n    detail: \"unused_days=28/31\" | \"unused_days=27/31\"\n");
    free(out);
    o.context = 1;
    ck_assert_int_eq(diff_text(a, b, &o, &out), 1);
    ck_contains(out, "of B:\n  A:4  ");
    ck_lacks(out, "A:3 ");
    free(out);
    o.context = 0;
    ck_assert_int_eq(diff_text(a, b, &o, &out), 1);
    ck_contains(out, "of B:\n- A:5  ");
    free(out);
    o.context = 100;
    ck_assert_int_eq(diff_text(a, b, &o, &out), 1);
    ck_contains(out, "of B:\n  A:1  ");
    free(out);

    char *argv[] = {a, b, "--context", "101"}, *err;
    ck_assert_int_eq(run_cmd(cli_cmd_diff, 4, argv, &out, &err), 2);
    ck_contains(err, "--context needs a whole number from 0 to 100");
    free(out);
    free(err);
    char *argv2[] = {a, b, "--context", "0"};
    ck_assert_int_eq(run_cmd(cli_cmd_diff, 4, argv2, &out, &err), 1);
    ck_contains(out, "of B:\n- A:5  ");
    free(out);
    free(err);
    remove_tree(dir);
}
END_TEST

START_TEST(test_diff_errors)
{
    char dir[64], a[512], b[512], *out;
    make_dir(dir);
    const char *lines[NBASE];
    memcpy(lines, BASE, sizeof lines);
    lines[3] = "{\"seq\":4,\"time\":\"2025-01-15T09:00:00Z\"";
    write_base(a, dir, "a.jsonl");
    write_lines(b, dir, "b.jsonl", lines, NBASE);
    ck_assert_int_eq(diff_text(a, b, NULL, &out), 2);
    char want[600];
    snprintf(want, sizeof want, "%s:4:", b);
    ck_contains(out, want);
    ck_contains(out, "expected ',' or '}' after a value");
    free(out);
    /* an error after a difference still wins (found while reading the window ahead) */
    lines[1] = CHANGED3;
    write_lines(b, dir, "c.jsonl", lines, NBASE);
    ck_assert_int_eq(diff_text(a, b, NULL, &out), 2);
    snprintf(want, sizeof want, "%s:4:", b);
    ck_contains(out, want);
    free(out);
    /* malformed in A; errors to their own stream when asked */
    write_lines(a, dir, "d.jsonl", lines, NBASE);
    write_base(b, dir, "e.jsonl");
    cli_diff_opts o;
    cli_diff_opts_init(&o);
    char *errs;
    size_t len;
    o.err = open_memstream(&errs, &len);
    ck_assert_int_eq(diff_text(a, b, &o, &out), 2);
    fclose(o.err);
    snprintf(want, sizeof want, "%s:4:", a);
    ck_contains(errs, want);
    ck_lacks(out, want);
    free(out);
    free(errs);
    /* unreadable files */
    ck_assert_int_eq(diff_text("/nonexistent/x.jsonl", b, NULL, &out), 2);
    ck_contains(out, "/nonexistent/x.jsonl: error: cannot open: No such file or directory");
    free(out);
    ck_assert_int_eq(diff_text(b, "/nonexistent/y", NULL, &out), 2);
    ck_contains(out, "/nonexistent/y: error: cannot open");
    free(out);
    FILE *null = fopen("/dev/null", "w");
    ck_assert_int_eq(cli_golden_compare("/nonexistent/golden.jsonl", b, null), 2);
    fclose(null);

    /* the command line */
    char *err;
    char *argv1[] = {a};
    ck_assert_int_eq(run_cmd(cli_cmd_diff, 1, argv1, &out, &err), 2);
    ck_contains(err, "cspsim: diff needs two traces");
    free(out);
    free(err);
    char *argv2[] = {a, b, b};
    ck_assert_int_eq(run_cmd(cli_cmd_diff, 3, argv2, &out, &err), 2);
    ck_contains(err, "is one too many");
    free(out);
    free(err);
    char *argv3[] = {a, b, "--frob"};
    ck_assert_int_eq(run_cmd(cli_cmd_diff, 3, argv3, &out, &err), 2);
    ck_contains(err, "unknown option '--frob'");
    free(out);
    free(err);
    char *argv4[] = {a, b, "--kinds"};
    ck_assert_int_eq(run_cmd(cli_cmd_diff, 3, argv4, &out, &err), 2);
    ck_contains(err, "--kinds needs a value");
    free(out);
    free(err);
    char *argv5[] = {"--kinds", "nope", a, b};
    ck_assert_int_eq(run_cmd(cli_cmd_diff, 4, argv5, &out, &err), 2);
    ck_contains(err, "--kinds: unknown record kind 'nope'");
    free(out);
    free(err);
    char *argv6[] = {a, "/nonexistent/z"};
    ck_assert_int_eq(run_cmd(cli_cmd_diff, 2, argv6, &out, &err), 2);
    ck_contains(err, "/nonexistent/z: error: cannot open");
    ck_assert_str_eq(out, "");
    free(out);
    free(err);
    char *argv7[] = {"--help"};
    ck_assert_int_eq(run_cmd(cli_cmd_diff, 1, argv7, &out, &err), 0);
    ck_contains(out, "usage: cspsim diff A B [--ignore FIELD]... [--kinds K,...] [--context N] [--max-hunks N]");
    ck_contains(out, "exit status: 0 same, 1 different, 2");
    free(out);
    free(err);
    remove_tree(dir);
}
END_TEST

/* Record i of a long synthetic trace (seq i, a day apart), with a tag in its detail. */
static void synth(char *buf, size_t size, int i, const char *tag)
{
    snprintf(buf, size,
             "{\"seq\":%d,\"time\":\"2025-01-01T00:00:00Z\",\"kind\":\"charge\",\"action\":null,\"outcome\":null,"
             "\"reason\":null,\"rule\":\"SUB-2\",\"tenant\":\"t%d\",\"partner\":null,\"subscription\":null,"
             "\"from_state\":null,\"to_state\":null,\"licenses\":%d,\"amount\":null,\"detail\":\"%s\"}",
             i, i % 7, i, tag);
}

/* Writes records first..last of synth to f, record `ins` followed by an extra one (tag "x"). */
static void synth_lines(FILE *f, int first, int last, int ins)
{
    char line[512];
    for (int i = first; i <= last; i++) {
        synth(line, sizeof line, i, "r");
        fprintf(f, "%s\n", line);
        if (i == ins) {
            synth(line, sizeof line, i, "x");
            fprintf(f, "%s\n", line);
        }
    }
}

/* A real insertion renumbers every later record: seq is shown but never compared, so the
 * records after the inserted one still line up (B's seq 4..6 against A's 3..5). */
START_TEST(test_diff_renumbered)
{
    char dir[64], a[512], b[512], *out, moved[3][700];
    make_dir(dir);
    const char *extra =
        "{\"seq\":3,\"time\":\"2025-01-10T00:00:00Z\",\"kind\":\"refund\",\"action\":null,\"outcome\":null,"
        "\"reason\":null,\"rule\":\"SUB-2\",\"tenant\":\"fabrikam\",\"partner\":\"contoso\",\"subscription\":"
        "\"fab-e3\",\"from_state\":null,\"to_state\":null,\"licenses\":null,\"amount\":1.00,\"detail\":null}";
    for (int i = 0; i < 3; i++) { /* BASE[2+i] with seq 3+i becomes seq 4+i */
        char from[16], to[16];
        snprintf(from, sizeof from, "\"seq\":%d,", 3 + i);
        snprintf(to, sizeof to, "\"seq\":%d,", 4 + i);
        const char *at = strstr(BASE[2 + i], from);
        ck_assert_ptr_nonnull(at);
        snprintf(moved[i], sizeof moved[i], "%.*s%s%s", (int)(at - BASE[2 + i]), BASE[2 + i], to, at + strlen(from));
    }
    const char *ins[NBASE + 1] = {BASE[0], BASE[1], extra, moved[0], moved[1], moved[2]};
    write_base(a, dir, "a.jsonl");
    write_lines(b, dir, "b.jsonl", ins, NBASE + 1);
    cli_diff_opts o;
    cli_diff_opts_init(&o);
    ck_assert_int_eq(diff_text(a, b, &o, &out), 1);
    ck_contains(out, "1 hunk: 0 changed, 1 inserted in B, 0 deleted from A; A has 5 records, B has 6\n");
    free(out);
}
END_TEST

START_TEST(test_diff_inserted_deleted)
{
    char dir[64], a[512], b[512], *out;
    make_dir(dir);
    const char *extra =
        "{\"seq\":9,\"time\":\"2025-01-10T00:00:00Z\",\"kind\":\"refund\",\"action\":null,\"outcome\":null,"
        "\"reason\":null,\"rule\":\"SUB-2\",\"tenant\":\"fabrikam\",\"partner\":\"contoso\",\"subscription\":"
        "\"fab-e3\",\"from_state\":null,\"to_state\":null,\"licenses\":null,\"amount\":1.00,\"detail\":null}";
    /* one record inserted after the second: one hunk, the records after it line up again */
    const char *ins[NBASE + 1] = {BASE[0], BASE[1], extra, BASE[2], BASE[3], BASE[4]};
    write_base(a, dir, "a.jsonl");
    write_lines(b, dir, "b.jsonl", ins, NBASE + 1);
    cli_diff_opts o;
    cli_diff_opts_init(&o);
    o.context = 1;
    ck_assert_int_eq(diff_text(a, b, &o, &out), 1);
    ck_contains(out, "hunk 1 at record 3 of A, 3 of B:\n  A:2  ");
    ck_contains(out, "\n+ B:3          9  2025-01-10 00:00  fabrikam");
    ck_contains(out, "amount=1.00  (SUB-2)\n  A:3  "); /* then the context after it */
    ck_lacks(out, "- A:");
    ck_lacks(out, "A:4");
    ck_assert_uint_eq(count_lines(out), 2 + 1 + 1 + 1 + 1 + 1);
    ck_contains(out, "1 hunk: 0 changed, 1 inserted in B, 0 deleted from A; A has 5 records, B has 6\n");
    free(out);
    /* the other way round: one record deleted */
    ck_assert_int_eq(diff_text(b, a, &o, &out), 1);
    ck_contains(out, "hunk 1 at record 3 of A, 3 of B:\n  A:2  ");
    ck_contains(out, "\n- A:3          9  2025-01-10 00:00  fabrikam");
    ck_contains(out, "amount=1.00  (SUB-2)\n  A:4  "); /* A's line after the deleted one */
    ck_lacks(out, "+ B:");
    ck_contains(out, "1 hunk: 0 changed, 0 inserted in B, 1 deleted from A; A has 6 records, B has 5\n");
    free(out);
    /* the first record deleted, and the last one */
    const char *mid[3] = {BASE[1], BASE[2], BASE[3]};
    write_lines(b, dir, "c.jsonl", mid, 3);
    o.context = 0;
    ck_assert_int_eq(diff_text(a, b, &o, &out), 1);
    ck_contains(out, "hunk 1 at record 1 of A, 1 of B:\n- A:1  ");
    ck_contains(out, "hunk 2 at record 5 of A, 4 of B:\n- A:5  ");
    ck_contains(out, "2 hunks: 0 changed, 0 inserted in B, 2 deleted from A; A has 5 records, B has 3\n");
    free(out);
    remove_tree(dir);
}
END_TEST

START_TEST(test_diff_hunks)
{
    char dir[64], a[512], b[512], *out;
    make_dir(dir);
    /* 5000 records (more than two windows): B has one record inserted after 10, record 2000
     * changed, 3000 deleted, one inserted after 4990 */
    snprintf(a, sizeof a, "%s/a.jsonl", dir);
    snprintf(b, sizeof b, "%s/b.jsonl", dir);
    FILE *fa = fopen(a, "w"), *fb = fopen(b, "w");
    ck_assert_ptr_nonnull(fa);
    ck_assert_ptr_nonnull(fb);
    synth_lines(fa, 1, 5000, 0);
    synth_lines(fb, 1, 1999, 10);
    char line[512];
    synth(line, sizeof line, 2000, "changed");
    fprintf(fb, "%s\n", line);
    synth_lines(fb, 2001, 2999, 0);
    synth_lines(fb, 3001, 5000, 4990);
    fclose(fa);
    fclose(fb);
    cli_diff_opts o;
    cli_diff_opts_init(&o);
    ck_assert_int_eq(diff_text(a, b, &o, &out), 1);
    ck_contains(out, "hunk 1 at record 11 of A, 11 of B:\n");
    ck_contains(out, "\n+ B:11  ");
    ck_contains(out, "hunk 2 at record 2000 of A, 2001 of B:\n");
    ck_contains(out, "\n- A:2000  ");
    ck_contains(out, "\n+ B:2001  ");
    ck_contains(out, "    detail: \"r\" | \"changed\"\n");
    ck_contains(out, "hunk 3 at record 3000 of A, 3001 of B:\n");
    ck_contains(out, "\n- A:3000  ");
    ck_contains(out, "hunk 4 at record 4991 of A, 4991 of B:\n");
    ck_contains(out, "\n+ B:4991  ");
    ck_lacks(out, "hunk 5");
    ck_contains(out, "4 hunks: 1 changed, 2 inserted in B, 1 deleted from A; A has 5000 records, B has 5001\n");
    ck_lacks(out, "not shown");
    ck_assert_uint_lt(count_lines(out), 4 * 10 + 3);
    free(out);
    /* --max-hunks: the first two printed, the others counted */
    o.max_hunks = 2;
    ck_assert_int_eq(diff_text(a, b, &o, &out), 1);
    ck_contains(out, "hunk 2 at record 2000 of A");
    ck_lacks(out, "hunk 3");
    ck_lacks(out, "A:3000");
    ck_contains(out, "4 hunks: 1 changed, 2 inserted in B, 1 deleted from A; A has 5000 records, B has 5001\n"
                     "2 hunks not shown (--max-hunks 2)\n");
    free(out);
    o.max_hunks = 0;
    ck_assert_int_eq(diff_text(a, b, &o, &out), 1);
    ck_lacks(out, "hunk 1");
    ck_contains(out, "4 hunks not shown (--max-hunks 0)\n");
    free(out);
    /* through the command line */
    char *argv[] = {a, b, "--max-hunks", "1", "--context", "0"}, *err;
    ck_assert_int_eq(run_cmd(cli_cmd_diff, 6, argv, &out, &err), 1);
    ck_contains(out, "hunk 1 at record 11 of A, 11 of B:\n+ B:11  ");
    ck_contains(out, "3 hunks not shown (--max-hunks 1)\n");
    free(out);
    free(err);
    char *argv2[] = {a, b, "--max-hunks", "-1"};
    ck_assert_int_eq(run_cmd(cli_cmd_diff, 4, argv2, &out, &err), 2);
    ck_contains(err, "--max-hunks needs a whole number from 0 to 1000000");
    free(out);
    free(err);
    /* hunks at most --context records apart merge: deletions of 10 and 14 (3 equal records
     * between) are two hunks with context 2, one with context 3 */
    fa = fopen(a, "w");
    fb = fopen(b, "w");
    synth_lines(fa, 1, 30, 0);
    synth_lines(fb, 1, 9, 0);
    synth_lines(fb, 11, 13, 0);
    synth_lines(fb, 15, 30, 0);
    fclose(fa);
    fclose(fb);
    o.max_hunks = 5;
    o.context = 2;
    ck_assert_int_eq(diff_text(a, b, &o, &out), 1);
    ck_contains(out, "hunk 2 at record 14 of A, 13 of B:\n  A:13  "); /* A:11, A:12 ended hunk 1 */
    const char *a12 = strstr(out, "  A:12 ");
    ck_assert_ptr_nonnull(a12);
    ck_assert_ptr_null(strstr(a12 + 1, "  A:12 ")); /* shown once */
    ck_contains(out, "2 hunks: 0 changed, 0 inserted in B, 2 deleted from A");
    free(out);
    o.context = 3;
    ck_assert_int_eq(diff_text(a, b, &o, &out), 1);
    ck_contains(out, "  A:13  ");
    ck_contains(out, "\n- A:14  ");
    ck_contains(out, "1 hunk: 0 changed, 0 inserted in B, 2 deleted from A");
    free(out);
    remove_tree(dir);
}
END_TEST

/* Past the window's edit budget the records pair up by position; a long hunk is cut. */
START_TEST(test_diff_beyond_window)
{
    char dir[64], a[512], b[512], *out;
    make_dir(dir);
    snprintf(a, sizeof a, "%s/a.jsonl", dir);
    snprintf(b, sizeof b, "%s/b.jsonl", dir);
    /* B: every detail differs (nothing equal): all changed, by position */
    FILE *fa = fopen(a, "w"), *fb = fopen(b, "w");
    char line[512];
    synth_lines(fa, 1, 3000, 0);
    for (int i = 1; i <= 3000; i++) {
        synth(line, sizeof line, i, "s");
        fprintf(fb, "%s\n", line);
    }
    fclose(fa);
    fclose(fb);
    ck_assert_int_eq(diff_text(a, b, NULL, &out), 1);
    ck_contains(out, "1 hunk: 3000 changed, 0 inserted in B, 0 deleted from A; A has 3000 records, B has 3000\n");
    char more[64];
    snprintf(more, sizeof more, "  ... %d more differing records\n", 3000 - CLI_DIFF_HUNK_SHOW);
    ck_contains(out, more);
    ck_assert_uint_lt(count_lines(out), 3 * CLI_DIFF_HUNK_SHOW + 10);
    free(out);
    /* a block of 400 inserted records is within the edit budget: one hunk, realigned after it */
    fa = fopen(a, "w");
    fb = fopen(b, "w");
    synth_lines(fa, 1, 3000, 0);
    synth_lines(fb, 1, 100, 0);
    for (int i = 0; i < 400; i++) {
        synth(line, sizeof line, 100000 + i, "block");
        fprintf(fb, "%s\n", line);
    }
    synth_lines(fb, 101, 3000, 0);
    fclose(fa);
    fclose(fb);
    ck_assert_int_eq(diff_text(a, b, NULL, &out), 1);
    ck_contains(out, "hunk 1 at record 101 of A, 101 of B:\n");
    ck_contains(out, "1 hunk: 0 changed, 400 inserted in B, 0 deleted from A; A has 3000 records, B has 3400\n");
    free(out);
    remove_tree(dir);
}
END_TEST

START_TEST(test_diff_directories)
{
    char dir[64], da[128], db[128], path[512], *out;
    make_dir(dir);
    snprintf(da, sizeof da, "%s/run-a", dir);
    snprintf(db, sizeof db, "%s/run-b/", dir); /* a trailing slash too */
    ck_assert_int_eq(mkdir(da, 0700), 0);
    ck_assert_int_eq(mkdir(db, 0700), 0);
    write_base(path, da, "trace.jsonl");
    const char *lines[NBASE];
    memcpy(lines, BASE, sizeof lines);
    lines[2] = CHANGED3;
    write_lines(path, db, "trace.jsonl", lines, NBASE); /* DIR/run-b//trace.jsonl */
    ck_assert_int_eq(diff_text(da, db, NULL, &out), 1);
    char want[600];
    snprintf(want, sizeof want, "--- A = %s/trace.jsonl\n+++ B = %s/run-b/trace.jsonl\n", da, dir);
    ck_contains(out, want);
    free(out);
    snprintf(path, sizeof path, "%s/trace.jsonl", da);
    ck_assert_int_eq(diff_text(da, path, NULL, &out), 0); /* a directory against its own file */
    free(out);
    ck_assert_int_eq(diff_text(dir, da, NULL, &out), 2); /* a directory without a trace */
    snprintf(want, sizeof want, "%s/trace.jsonl: error: cannot open", dir);
    ck_contains(out, want);
    free(out);
    remove_tree(dir);
}
END_TEST

/* ---- trace ------------------------------------------------------------------------------- */

/* The seqs printed by a query, as "1,3,5" (the first word of each line). */
static void seqs_of(const char *out, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (const char *p = out; *p;) {
        while (*p == ' ')
            p++;
        const char *e = p;
        while (*e && *e != ' ' && *e != '\n')
            e++;
        n += (size_t)snprintf(buf + n, size - n, "%s%.*s", n ? "," : "", (int)(e - p), p);
        p = strchr(p, '\n');
        if (!p)
            break;
        p++;
    }
}

/* Runs the trace command on argv; returns the status, the seqs printed and stderr. */
static int trace_seqs(int argc, char **argv, char *seqs, char **err)
{
    char *out;
    int rc = run_cmd(cli_cmd_trace, argc, argv, &out, err);
    seqs_of(out, seqs, 256);
    free(out);
    return rc;
}

START_TEST(test_trace_filters)
{
    char dir[64], path[512], seqs[256], *err;
    make_dir(dir);
    write_base(path, dir, "trace.jsonl");
    static const struct {
        const char *opt, *value, *seqs, *matched;
    } cases[] = {
        {"--tenant", "fabrikam", "1,2,3", "3 of 5 records matched"},
        {"--tenant", "tailspin", "4,5", "2 of 5 records matched"},
        {"--tenant", "nobody", "", "0 of 5 records matched"},
        {"--subscription", "fab-e3", "1,3", "2 of 5"},
        {"--partner", "northwind", "2,4,5", "3 of 5"},
        {"--partner", "contoso", "1,3", "2 of 5"},
        {"--kind", "charge", "1,3", "2 of 5"},
        {"--kind", "action,refund", "2,4,5", "3 of 5"},
        {"--from", "2025-01-15", "3,4,5", "3 of 5"},           /* at from: kept */
        {"--from", "2025-01-15T09:00Z", "4,5", "2 of 5"},      /* seconds optional */
        {"--from", "2025-01-15T09:00:01Z", "5", "1 of 5"},
        {"--to", "2025-01-15T09:00:00Z", "1,2,3", "3 of 5"},   /* at to: left out */
        {"--to", "2025-01-01", "", "0 of 5"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *argv[] = {path, (char *)cases[i].opt, (char *)cases[i].value};
        ck_assert_int_eq(trace_seqs(3, argv, seqs, &err), 0);
        ck_assert_msg(strcmp(seqs, cases[i].seqs) == 0, "%s %s: got %s, want %s", cases[i].opt, cases[i].value,
                      seqs, cases[i].seqs);
        ck_contains(err, cases[i].matched);
        free(err);
    }
    /* options combine; a directory works; the window is half-open */
    char *argv[] = {dir, "--from", "2025-01-06", "--to", "2025-02-01", "--kind", "charge", "--kind", "action"};
    ck_assert_int_eq(trace_seqs(9, argv, seqs, &err), 0);
    ck_assert_str_eq(seqs, "2,3,4");
    ck_assert_str_eq(err, "3 of 5 records matched\n");
    free(err);
    char *argv2[] = {dir, "--tenant", "fabrikam", "--partner", "contoso", "--subscription", "fab-e3",
                     "--from", "2025-01-01T00:00:01Z"};
    ck_assert_int_eq(trace_seqs(9, argv2, seqs, &err), 0);
    ck_assert_str_eq(seqs, "3");
    free(err);

    /* the line layout */
    char *out;
    char *argv3[] = {path, "--tenant", "tailspin"};
    ck_assert_int_eq(run_cmd(cli_cmd_trace, 3, argv3, &out, &err), 0);
    ck_contains(out, "     4  2025-01-15 09:00  tailspin      northwind     tail-e3         purchase accepted   "
                     "            none->active  licenses=12  offer=m365-e3 licenses=12  (SUB-1)\n");
    ck_contains(out, "     5  2025-02-01 00:00  tailspin      northwind     tail-e3         refund              "
                     "            amount=390.19  unused_days=28/31  (SUB-2)\n");
    free(out);
    free(err);
    remove_tree(dir);
}
END_TEST

START_TEST(test_trace_errors)
{
    char dir[64], path[512], *out, *err;
    make_dir(dir);
    const char *lines[3] = {BASE[0], BASE[1], "{\"seq\":3}"};
    write_lines(path, dir, "bad.jsonl", lines, 3);
    char *argv[] = {path};
    ck_assert_int_eq(run_cmd(cli_cmd_trace, 1, argv, &out, &err), 2);
    ck_assert_uint_eq(count_lines(out), 2); /* what came before the bad line is printed */
    char want[600];
    snprintf(want, sizeof want, "%s:3: error: missing key \"time\"", path);
    ck_contains(err, want);
    free(out);
    free(err);
    static const struct {
        int argc;
        const char *argv[4], *message;
    } bad[] = {
        {0, {NULL}, "trace needs a trace.jsonl file or a run directory"},
        {2, {"x", "y"}, "'y' is one too many"},
        {2, {"x", "--tenant"}, "--tenant needs a value"},
        {3, {"x", "--tenant", ""}, "--tenant needs a non-empty value"},
        {4, {"x", "--tenant", "a", "--tenant"}, "--tenant needs a value"},
        {3, {"x", "--kind", "chrage"}, "--kind: unknown record kind 'chrage'"},
        {3, {"x", "--from", "2025-02-30"}, "--from '2025-02-30' is not an instant"},
        {3, {"x", "--to", "tomorrow"}, "--to 'tomorrow' is not an instant"},
        {2, {"x", "--since"}, "unknown option '--since'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(run_cmd(cli_cmd_trace, bad[i].argc, (char **)bad[i].argv, &out, &err), 2);
        ck_contains(err, bad[i].message);
        ck_contains(err, "; see 'cspsim trace --help'\n"); /* one line, not the whole help */
        ck_assert_ptr_eq(strchr(err, '\n'), err + strlen(err) - 1);
        ck_assert_str_eq(out, "");
        free(out);
        free(err);
    }
    char *argv2[] = {path, "--tenant", "a", "--tenant", "b"};
    ck_assert_int_eq(run_cmd(cli_cmd_trace, 5, argv2, &out, &err), 2);
    ck_contains(err, "--tenant given twice");
    free(out);
    free(err);
    char *argv3[] = {path, "--from", "2025-02-01", "--to", "2025-02-01"};
    ck_assert_int_eq(run_cmd(cli_cmd_trace, 5, argv3, &out, &err), 2);
    ck_contains(err, "--from must be before --to");
    free(out);
    free(err);
    char *argv4[] = {dir};
    ck_assert_int_eq(run_cmd(cli_cmd_trace, 1, argv4, &out, &err), 2);
    ck_contains(err, "/trace.jsonl: error: cannot open: No such file or directory");
    free(out);
    free(err);
    char *argv5[] = {path, "-h"};
    ck_assert_int_eq(run_cmd(cli_cmd_trace, 2, argv5, &out, &err), 0);
    ck_contains(out, "usage: cspsim trace FILE|DIR [--tenant T]");
    ck_contains(out, "exit status: 0 printed (also when nothing matched), 2");
    free(out);
    free(err);
    remove_tree(dir);
}
END_TEST

Suite *tracecmd_suite(void)
{
    Suite *s = suite_create("tracecmd");
    TCase *tc = tcase_create("tracefile");
    tcase_add_test(tc, test_field_table);
    tcase_add_test(tc, test_read_records);
    tcase_add_test(tc, test_escapes_decode);
    tcase_add_test(tc, test_malformed_lines);
    tcase_add_test(tc, test_open_errors);
    tcase_add_test(tc, test_long_line);
    tcase_add_test(tc, test_round_trip_writer);
    suite_add_tcase(s, tc);
    tc = tcase_create("diff");
    tcase_add_test(tc, test_diff_identical);
    tcase_add_test(tc, test_diff_changed_field);
    tcase_add_test(tc, test_diff_fields_aligned);
    tcase_add_test(tc, test_diff_tail);
    tcase_add_test(tc, test_diff_ignore);
    tcase_add_test(tc, test_diff_kinds);
    tcase_add_test(tc, test_diff_context);
    tcase_add_test(tc, test_diff_errors);
    tcase_add_test(tc, test_diff_directories);
    tcase_add_test(tc, test_diff_inserted_deleted);
    tcase_add_test(tc, test_diff_renumbered);
    tcase_add_test(tc, test_diff_hunks);
    tcase_add_test(tc, test_diff_beyond_window);
    suite_add_tcase(s, tc);
    tc = tcase_create("trace");
    tcase_add_test(tc, test_trace_filters);
    tcase_add_test(tc, test_trace_errors);
    suite_add_tcase(s, tc);
    return s;
}
