/* tests/check_reports.c - output sinks (memory, failing, file with atomic commit), trace
 * JSONL/CSV bytes, money, the shared phrases and the timeline's layout, summary.json, and one small
 * model run written through every writer twice (byte-identical). */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/model.h"
#include "reports/out.h"
#include "reports/phrase.h"
#include "reports/summary.h"
#include "reports/timeline.h"
#include "reports/trace.h"
#include "suites.h"

/* ---- helpers --------------------------------------------------------------------------- */

static sim_time T(const char *s)
{
    sim_time t = 0;
    ck_assert_msg(sim_parse_instant(s, &t) == 0, "bad instant %s", s);
    return t;
}

/* A world of ids only: tenants fabrikam (0) and tailspin (1), partner contoso (0),
 * subscriptions fab-e3 (0, fabrikam), one without an id (1, fabrikam: "s1"), tail-e3 (2). */
static model_world *id_world(void)
{
    model_world *w = model_world_new(T("2025-01-01"), T("2026-01-01"), 1, 0);
    ck_assert_ptr_nonnull(w);
    ck_assert_uint_eq(model_add_partner(w, "contoso", "europe"), 0);
    ck_assert_uint_eq(model_add_tenant(w, "fabrikam", "europe"), 0);
    ck_assert_uint_eq(model_add_tenant(w, "tailspin", "europe"), 1);
    ck_assert_uint_eq(model_declare_subscription(w, "fab-e3", 0), 0);
    ck_assert_uint_eq(model_declare_subscription(w, NULL, 0), 1);
    ck_assert_uint_eq(model_declare_subscription(w, "tail-e3", 1), 2);
    return w;
}

/* A system record at t: no action, outcome, reason, states, licenses or amount. */
static model_record sys_record(uint64_t seq, const char *t, model_kind kind, model_rule rule, uint32_t tenant,
                               uint32_t sub)
{
    model_record r;
    memset(&r, 0, sizeof r);
    r.seq = seq;
    r.time = T(t);
    r.kind = kind;
    r.action = -1;
    r.outcome = MODEL_OUTCOME_NONE;
    r.reason = MODEL_REASON_NONE;
    r.rule = rule;
    r.tenant = tenant;
    r.partner = MODEL_NONE;
    r.subscription = sub;
    r.from_state = r.to_state = -1;
    return r;
}

static model_record action_record(uint64_t seq, const char *t, model_action_kind a, model_outcome outcome,
                                  model_reason reason, model_rule rule, uint32_t tenant, uint32_t sub)
{
    model_record r = sys_record(seq, t, MODEL_KIND_ACTION, rule, tenant, sub);
    r.action = (int)a;
    r.outcome = outcome;
    r.reason = reason;
    r.partner = 0;
    return r;
}

/* The memory sink's text; the sink must not have failed. */
static const char *text_of(const rep_out *o)
{
    ck_assert_msg(!rep_out_failed(o), "sink failed: %s", rep_out_error(o));
    return rep_out_data(o, NULL);
}

/* Asserts that needle occurs in hay, and returns where. */
static const char *find(const char *hay, const char *needle)
{
    const char *p = strstr(hay, needle);
    ck_assert_msg(p != NULL, "missing \"%s\" in:\n%s", needle, hay);
    return p;
}

static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

static int exists(const char *dir, const char *name)
{
    char path[512];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0;
}

static char *slurp(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    static char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void remove_file(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    unlink(path);
}

/* ---- money ----------------------------------------------------------------------------- */

START_TEST(test_money)
{
    static const struct {
        int64_t minor;
        const char *text;
    } cases[] = {
        {12345, "123.45"},
        {-5, "-0.05"},
        {0, "0.00"},
        {5, "0.05"},
        {100, "1.00"},
        {-100, "-1.00"},
        {-12345, "-123.45"},
        {360000, "3600.00"},
        {INT64_MAX, "92233720368547758.07"},
        {INT64_MIN, "-92233720368547758.08"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[REP_MONEY_BUF];
        rep_money(buf, sizeof buf, cases[i].minor);
        ck_assert_str_eq(buf, cases[i].text);
    }
    char small[4];
    rep_money(small, sizeof small, 12345); /* truncated like snprintf, still terminated */
    ck_assert_str_eq(small, "123");
}
END_TEST

/* ---- sinks ----------------------------------------------------------------------------- */

START_TEST(test_memory_sink)
{
    rep_out *o = rep_out_memory();
    ck_assert_ptr_nonnull(o);
    size_t len = 99;
    ck_assert_str_eq(rep_out_data(o, &len), "");
    ck_assert_uint_eq(len, 0);
    rep_puts(o, "abc");
    rep_write(o, "de\0f", 4); /* embedded NUL kept */
    rep_printf(o, "[%d|%s]", -7, "x");
    const char *d = rep_out_data(o, &len);
    ck_assert_uint_eq(len, 13);
    ck_assert_int_eq(memcmp(d, "abcde\0f[-7|x]", 13), 0);
    ck_assert_int_eq(d[len], '\0');
    /* a formatted text longer than the printf stack buffer */
    char big[1000];
    memset(big, 'z', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    rep_printf(o, "<%s>", big);
    d = rep_out_data(o, &len);
    ck_assert_uint_eq(len, 13 + 1001);
    ck_assert_int_eq(d[13], '<');
    ck_assert_int_eq(d[13 + 999], 'z');
    ck_assert_int_eq(d[13 + 1000], '>');
    ck_assert_int_eq(rep_out_failed(o), 0);
    ck_assert_str_eq(rep_out_error(o), "");
    ck_assert_int_eq(rep_out_commit(o), 0);
    rep_out_free(o);
    rep_out_free(NULL);
}
END_TEST

START_TEST(test_failing_sink)
{
    rep_out *o = rep_out_failing(10);
    ck_assert_ptr_nonnull(o);
    rep_puts(o, "12345");
    rep_puts(o, "67890"); /* exactly the budget: fine */
    ck_assert_int_eq(rep_out_failed(o), 0);
    rep_puts(o, "x"); /* past it: fails, writes nothing */
    ck_assert_int_ne(rep_out_failed(o), 0);
    ck_assert_str_eq(rep_out_error(o), strerror(ENOSPC));
    rep_puts(o, ""); /* sticky: nothing changes */
    rep_printf(o, "%d", 1);
    size_t len;
    ck_assert_str_eq(rep_out_data(o, &len), "1234567890");
    ck_assert_uint_eq(len, 10);
    ck_assert_int_ne(rep_out_failed(o), 0);
    ck_assert_int_eq(rep_out_commit(o), -1);
    rep_out_free(o);

    /* a write that would straddle the budget writes nothing at all */
    o = rep_out_failing(4);
    rep_puts(o, "abcdef");
    ck_assert_int_ne(rep_out_failed(o), 0);
    ck_assert_str_eq(rep_out_data(o, NULL), "");
    rep_out_free(o);

    /* a writer's own failure, marked on the sink: the first reason stays */
    o = rep_out_memory();
    rep_out_fail(o, ENOMEM);
    rep_out_fail(o, EIO);
    rep_puts(o, "x");
    ck_assert_str_eq(rep_out_data(o, NULL), "");
    ck_assert_str_eq(rep_out_error(o), strerror(ENOMEM));
    ck_assert_int_eq(rep_out_commit(o), -1);
    rep_out_free(o);
    o = rep_out_memory();
    rep_out_fail(o, 0);
    ck_assert_str_eq(rep_out_error(o), "write failed");
    rep_out_free(o);

    o = rep_out_failing(0);
    rep_printf(o, "%s", "a");
    ck_assert_int_ne(rep_out_failed(o), 0);
    ck_assert_int_eq(rep_out_commit(o), -1);
    rep_out_free(o);
}
END_TEST

/* A fresh temporary directory (mkdtemp) in buf. */
static void temp_dir(char *buf, size_t size)
{
    const char *base = getenv("TMPDIR");
    snprintf(buf, size, "%s/cspsim-reports-XXXXXX", base && *base ? base : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(buf));
}

START_TEST(test_file_sink_commit)
{
    char dir[256];
    temp_dir(dir, sizeof dir);
    rep_out *o = rep_out_file(dir, "trace.csv");
    ck_assert_ptr_nonnull(o);
    ck_assert_int_eq(rep_out_failed(o), 0);
    ck_assert(exists(dir, ".trace.csv.tmp"));
    ck_assert(!exists(dir, "trace.csv"));
    rep_puts(o, "seq,time\n");
    rep_printf(o, "%d,%s\n", 1, "2025-01-01T00:00:00Z");
    ck_assert_str_eq(rep_out_data(o, NULL), ""); /* a file sink keeps nothing in memory */
    ck_assert_int_eq(rep_out_commit(o), 0);
    ck_assert(exists(dir, "trace.csv"));
    ck_assert(!exists(dir, ".trace.csv.tmp"));
    ck_assert_str_eq(slurp(dir, "trace.csv"), "seq,time\n1,2025-01-01T00:00:00Z\n");
    /* writes after the commit fail and do not touch the file */
    rep_puts(o, "more");
    ck_assert_int_ne(rep_out_failed(o), 0);
    rep_out_free(o);
    ck_assert_str_eq(slurp(dir, "trace.csv"), "seq,time\n1,2025-01-01T00:00:00Z\n");

    /* a second commit replaces the older file atomically */
    o = rep_out_file(dir, "trace.csv");
    rep_puts(o, "new\n");
    ck_assert_str_eq(slurp(dir, "trace.csv"), "seq,time\n1,2025-01-01T00:00:00Z\n");
    ck_assert_int_eq(rep_out_commit(o), 0);
    rep_out_free(o);
    ck_assert_str_eq(slurp(dir, "trace.csv"), "new\n");
    remove_file(dir, "trace.csv");
    ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

START_TEST(test_file_sink_abandoned)
{
    char dir[256];
    temp_dir(dir, sizeof dir);
    rep_out *o = rep_out_file(dir, "summary.json");
    rep_puts(o, "{\"half\": ");
    ck_assert(exists(dir, ".summary.json.tmp"));
    rep_out_free(o); /* not committed: nothing remains */
    ck_assert(!exists(dir, ".summary.json.tmp"));
    ck_assert(!exists(dir, "summary.json"));
    ck_assert_int_eq(rmdir(dir), 0); /* the directory is empty */
}
END_TEST

START_TEST(test_file_sink_cannot_open)
{
    char dir[256], missing[300];
    temp_dir(dir, sizeof dir);
    snprintf(missing, sizeof missing, "%s/no/such/dir", dir);
    rep_out *o = rep_out_file(missing, "trace.jsonl");
    ck_assert_ptr_nonnull(o);
    ck_assert_int_ne(rep_out_failed(o), 0);
    ck_assert_str_eq(rep_out_error(o), strerror(ENOENT));
    rep_puts(o, "ignored");
    ck_assert_int_eq(rep_out_commit(o), -1);
    rep_out_free(o);
    ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

START_TEST(test_mkdirs)
{
    char dir[256], path[400];
    temp_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/out/demo//run/", dir);
    ck_assert_int_eq(rep_mkdirs(path), 0);
    ck_assert_int_eq(rep_mkdirs(path), 0); /* already there: fine */
    rep_out *o = rep_out_file(path, "timeline.txt");
    rep_puts(o, "ok\n");
    ck_assert_int_eq(rep_out_commit(o), 0);
    rep_out_free(o);
    snprintf(path, sizeof path, "%s/out/demo/run", dir);
    ck_assert_str_eq(slurp(path, "timeline.txt"), "ok\n");

    /* a component that is a file */
    snprintf(path, sizeof path, "%s/out/demo/run/timeline.txt/x", dir);
    errno = 0;
    ck_assert_int_eq(rep_mkdirs(path), -1);
    ck_assert_int_eq(errno, ENOTDIR);
    errno = 0;
    ck_assert_int_eq(rep_mkdirs(""), -1);
    ck_assert_int_eq(errno, ENOENT);

    snprintf(path, sizeof path, "%s/out/demo/run", dir);
    remove_file(path, "timeline.txt");
    ck_assert_int_eq(rmdir(path), 0);
    snprintf(path, sizeof path, "%s/out/demo", dir);
    ck_assert_int_eq(rmdir(path), 0);
    snprintf(path, sizeof path, "%s/out", dir);
    ck_assert_int_eq(rmdir(path), 0);
    ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* ---- trace ----------------------------------------------------------------------------- */

/* The header written out by hand (docs/cli.md): the columns' one definition must give it. */
#define CSV_HEADER                                                                                 \
    "seq,time,kind,action,outcome,reason,rule,tenant,partner,subscription,from_state,to_state,licenses," \
    "amount,detail"

/* The small shared vocabulary of the writers (reports/trace.h). */
START_TEST(test_outcome_and_minute)
{
    ck_assert_str_eq(rep_outcome_name(MODEL_OUTCOME_ACCEPTED), "accepted");
    ck_assert_str_eq(rep_outcome_name(MODEL_OUTCOME_REJECTED), "rejected");
    ck_assert_ptr_null(rep_outcome_name(MODEL_OUTCOME_NONE));
    ck_assert_ptr_null(rep_outcome_name(-1));
    ck_assert_ptr_null(rep_outcome_name(MODEL_OUTCOME_REJECTED + 1));
    char buf[REP_MINUTE_BUF];
    ck_assert_str_eq(rep_minute(T("2025-03-01T09:30:59Z"), buf), "2025-03-01 09:30"); /* cut, not rounded */
    ck_assert_str_eq(rep_minute(T("1970-01-01"), buf), "1970-01-01 00:00");
}
END_TEST

START_TEST(test_trace_header)
{
    model_world *w = id_world();
    rep_out *csv = rep_out_memory(), *jsonl = rep_out_memory();
    rep_trace *t = rep_trace_new(w, jsonl, csv);
    ck_assert_ptr_nonnull(t);
    ck_assert_str_eq(text_of(csv), CSV_HEADER "\n");
    ck_assert_str_eq(rep_trace_header(), CSV_HEADER);
    ck_assert_str_eq(text_of(jsonl), ""); /* JSON Lines has no header */
    rep_trace_free(t);
    rep_out_free(csv);
    rep_out_free(jsonl);
    model_world_free(w);
}
END_TEST

START_TEST(test_trace_escaping)
{
    model_world *w = id_world();
    rep_out *csv = rep_out_memory(), *jsonl = rep_out_memory();
    rep_trace *t = rep_trace_new(w, jsonl, csv);
    model_record r = action_record(42, "2025-03-01T09:30:00Z", MODEL_ACT_CANCEL, MODEL_OUTCOME_REJECTED,
                                   MODEL_REASON_CANCEL_WINDOW_CLOSED, MODEL_RULE_SUB_2, 0, 0);
    snprintf(r.detail, sizeof r.detail, "note=\"a,b\" path=C:\\x\nnext\r\x01\x1f\x7f caf\xc3\xa9");
    rep_trace_record(t, &r);
    ck_assert_str_eq(text_of(jsonl),
                     "{\"seq\":42,\"time\":\"2025-03-01T09:30:00Z\",\"kind\":\"action\",\"action\":\"cancel\","
                     "\"outcome\":\"rejected\",\"reason\":\"cancel_window_closed\",\"rule\":\"SUB-2\","
                     "\"tenant\":\"fabrikam\",\"partner\":\"contoso\",\"subscription\":\"fab-e3\","
                     "\"from_state\":null,\"to_state\":null,\"licenses\":null,\"amount\":null,"
                     "\"detail\":\"note=\\\"a,b\\\" path=C:\\\\x\\u000anext\\u000d\\u0001\\u001f\x7f caf\xc3\xa9\"}\n");
    ck_assert_str_eq(text_of(csv), CSV_HEADER "\n"
                                   "42,2025-03-01T09:30:00Z,action,cancel,rejected,cancel_window_closed,SUB-2,"
                                   "fabrikam,contoso,fab-e3,,,,,"
                                   "\"note=\"\"a,b\"\" path=C:\\x\nnext\r\x01\x1f\x7f caf\xc3\xa9\"\n");
    rep_trace_free(t);
    rep_out_free(csv);
    rep_out_free(jsonl);
    model_world_free(w);
}
END_TEST

/* Each CSV quoting trigger alone, and a field that needs none. */
START_TEST(test_trace_csv_quoting)
{
    static const struct {
        const char *detail, *field;
    } cases[] = {
        {"plain=1 b=2", "plain=1 b=2"},
        {"a,b", "\"a,b\""},
        {"say \"hi\"", "\"say \"\"hi\"\"\""},
        {"\"", "\"\"\"\""},
        {"x\ry", "\"x\ry\""},
        {"x\ny", "\"x\ny\""},
        {"tab\there", "tab\there"},
    };
    model_world *w = id_world();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rep_out *csv = rep_out_memory();
        rep_trace *t = rep_trace_new(w, NULL, csv);
        model_record r = sys_record(1, "2025-01-01", MODEL_KIND_CHARGE, MODEL_RULE_NONE, MODEL_NONE, MODEL_NONE);
        snprintf(r.detail, sizeof r.detail, "%s", cases[i].detail);
        rep_trace_record(t, &r);
        char want[256];
        snprintf(want, sizeof want, "%s\n1,2025-01-01T00:00:00Z,charge,,,,,,,,,,,,%s\n", CSV_HEADER,
                 cases[i].field);
        ck_assert_str_eq(text_of(csv), want);
        rep_trace_free(t);
        rep_out_free(csv);
    }
    model_world_free(w);
}
END_TEST

START_TEST(test_trace_nulls_and_numbers)
{
    model_world *w = id_world();
    rep_out *csv = rep_out_memory(), *jsonl = rep_out_memory();
    rep_trace *t = rep_trace_new(w, jsonl, csv);
    /* every optional field empty */
    model_record r = sys_record(1, "2025-01-01", MODEL_KIND_RELATIONSHIP_EXPIRED, MODEL_RULE_NONE, MODEL_NONE,
                                MODEL_NONE);
    rep_trace_record(t, &r);
    /* zero and negative money, zero licenses, a subscription without an id, states */
    r = sys_record(2, "2025-01-02T23:59:59Z", MODEL_KIND_REFUND, MODEL_RULE_SUB_2, 0, 1);
    r.partner = 0;
    r.has_amount = r.has_licenses = 1;
    r.amount = -5;
    r.licenses = 0;
    r.from_state = MODEL_STATE_ACTIVE;
    r.to_state = MODEL_STATE_CANCELED;
    rep_trace_record(t, &r);
    r.seq = 3;
    r.amount = 0;
    r.licenses = -12;
    r.subscription = 2;
    rep_trace_record(t, &r);
    ck_assert_str_eq(text_of(jsonl),
                     "{\"seq\":1,\"time\":\"2025-01-01T00:00:00Z\",\"kind\":\"relationship_expired\",\"action\":null,"
                     "\"outcome\":null,\"reason\":null,\"rule\":null,\"tenant\":null,\"partner\":null,"
                     "\"subscription\":null,\"from_state\":null,\"to_state\":null,\"licenses\":null,"
                     "\"amount\":null,\"detail\":null}\n"
                     "{\"seq\":2,\"time\":\"2025-01-02T23:59:59Z\",\"kind\":\"refund\",\"action\":null,"
                     "\"outcome\":null,\"reason\":null,\"rule\":\"SUB-2\",\"tenant\":\"fabrikam\","
                     "\"partner\":\"contoso\",\"subscription\":\"s1\",\"from_state\":\"active\","
                     "\"to_state\":\"canceled\",\"licenses\":0,\"amount\":-0.05,\"detail\":null}\n"
                     "{\"seq\":3,\"time\":\"2025-01-02T23:59:59Z\",\"kind\":\"refund\",\"action\":null,"
                     "\"outcome\":null,\"reason\":null,\"rule\":\"SUB-2\",\"tenant\":\"fabrikam\","
                     "\"partner\":\"contoso\",\"subscription\":\"tail-e3\",\"from_state\":\"active\","
                     "\"to_state\":\"canceled\",\"licenses\":-12,\"amount\":0.00,\"detail\":null}\n");
    ck_assert_str_eq(text_of(csv), CSV_HEADER "\n"
                                   "1,2025-01-01T00:00:00Z,relationship_expired,,,,,,,,,,,,\n"
                                   "2,2025-01-02T23:59:59Z,refund,,,,SUB-2,fabrikam,contoso,s1,active,canceled,0,-0.05,\n"
                                   "3,2025-01-02T23:59:59Z,refund,,,,SUB-2,fabrikam,contoso,tail-e3,active,canceled,"
                                   "-12,0.00,\n");
    rep_trace_free(t);
    rep_out_free(csv);
    rep_out_free(jsonl);
    model_world_free(w);
}
END_TEST

START_TEST(test_trace_accepted_purchase)
{
    model_world *w = id_world();
    rep_out *jsonl = rep_out_memory();
    rep_trace *t = rep_trace_new(w, jsonl, NULL);
    model_record r = action_record(7, "2025-01-06", MODEL_ACT_PURCHASE, MODEL_OUTCOME_ACCEPTED, MODEL_REASON_NONE,
                                   MODEL_RULE_SUB_1, 0, 0);
    r.from_state = MODEL_STATE_NONE;
    r.to_state = MODEL_STATE_ACTIVE;
    r.has_licenses = 1;
    r.licenses = 120;
    snprintf(r.detail, sizeof r.detail, "offer=m365-e3 term=P1Y");
    rep_trace_record(t, &r);
    ck_assert_str_eq(text_of(jsonl),
                     "{\"seq\":7,\"time\":\"2025-01-06T00:00:00Z\",\"kind\":\"action\",\"action\":\"purchase\","
                     "\"outcome\":\"accepted\",\"reason\":null,\"rule\":\"SUB-1\",\"tenant\":\"fabrikam\","
                     "\"partner\":\"contoso\",\"subscription\":\"fab-e3\",\"from_state\":\"none\","
                     "\"to_state\":\"active\",\"licenses\":120,\"amount\":null,"
                     "\"detail\":\"offer=m365-e3 term=P1Y\"}\n");
    rep_trace_free(t);
    rep_out_free(jsonl);
    model_world_free(w);
}
END_TEST

START_TEST(test_json_string)
{
    rep_out *o = rep_out_memory();
    rep_json_string(o, "");
    rep_json_string(o, "\"\\/\b\f\n\r\t\x1b");
    ck_assert_str_eq(text_of(o), "\"\"\"\\\"\\\\/\\u0008\\u000c\\u000a\\u000d\\u0009\\u001b\"");
    rep_out_free(o);
}
END_TEST

/* The writer caches the date part of `time` per day: days in and out of order, the same day
 * again, a year past 9999 and instants before 1970 give sim_format_instant's text. */
START_TEST(test_trace_time_cache)
{
    static const sim_time when[] = {86400 * 20089 + 3661, 86400 * 20089 + 86399, 86400 * 20090, 86400 * 20089,
                                    -1, -86400, -86401, (sim_time)86400 * 4000000 + 45296, 0};
    model_world *w = id_world();
    rep_out *jsonl = rep_out_memory();
    rep_trace *t = rep_trace_new(w, jsonl, NULL);
    char expect[8192] = "", buf[SIM_TIME_BUF];
    size_t n = 0;
    for (size_t i = 0; i < sizeof when / sizeof when[0]; i++) {
        model_record r = action_record(i, "2025-03-01T09:30:00Z", MODEL_ACT_CANCEL, MODEL_OUTCOME_REJECTED,
                                       MODEL_REASON_CANCEL_WINDOW_CLOSED, MODEL_RULE_SUB_2, 0, 0);
        r.time = when[i];
        rep_trace_record(t, &r);
        n += (size_t)snprintf(expect + n, sizeof expect - n, "\"time\":\"%s\"", sim_format_instant(when[i], buf));
    }
    /* the time fields of the lines, in order, against the expected ones */
    char got[8192] = "";
    size_t m = 0;
    for (const char *p = text_of(jsonl); (p = strstr(p, "\"time\":\"")) != NULL; p += 8) {
        size_t len = (size_t)(strchr(p + 8, '"') - p) + 1;
        memcpy(got + m, p, len);
        m += len;
    }
    got[m] = '\0';
    ck_assert_str_eq(got, expect);
    ck_assert_int_eq(sim_format_instant((sim_time)86400 * 4000000, buf)[5], '-'); /* a five-digit year */
    ck_assert_ptr_nonnull(strstr(expect, "\"time\":\"1969-12-31T23:59:59Z\""));
    rep_trace_free(t);
    rep_out_free(jsonl);
    model_world_free(w);
}
END_TEST

/* rep_json_string goes through a buffer a chunk at a time: escapes across chunk boundaries. */
START_TEST(test_json_string_long)
{
    char in[301], want[2048];
    size_t n = 0;
    want[n++] = '"';
    for (int i = 0; i < 300; i++) {
        char c = i % 7 == 0 ? '"' : i % 11 == 0 ? '\n' : (char)('a' + i % 26);
        in[i] = c;
        if (c == '"') {
            want[n++] = '\\';
            want[n++] = '"';
        } else if (c == '\n') {
            memcpy(want + n, "\\u000a", 6);
            n += 6;
        } else {
            want[n++] = c;
        }
    }
    in[300] = '\0';
    want[n++] = '"';
    want[n] = '\0';
    rep_out *o = rep_out_memory();
    rep_json_string(o, in);
    ck_assert_str_eq(text_of(o), want);
    rep_out_free(o);
}
END_TEST

START_TEST(test_trace_failing_sink)
{
    model_world *w = id_world();
    rep_out *jsonl = rep_out_failing(300), *csv = rep_out_memory();
    rep_trace *t = rep_trace_new(w, jsonl, csv);
    model_record r = sys_record(1, "2025-01-01", MODEL_KIND_CHARGE, MODEL_RULE_SUB_2, 0, 0);
    for (int i = 0; i < 10; i++) {
        r.seq = (uint64_t)i + 1;
        rep_trace_record(t, &r);
    }
    size_t len;
    rep_out_data(jsonl, &len);
    ck_assert_uint_le(len, 300);
    ck_assert_int_ne(rep_out_failed(jsonl), 0);
    ck_assert_int_eq(rep_out_commit(jsonl), -1);
    /* the other file is unaffected */
    ck_assert_uint_eq(count_of(text_of(csv), "\n"), 11);
    rep_trace_free(t);
    rep_out_free(jsonl);
    rep_out_free(csv);
    model_world_free(w);
}
END_TEST

/* ---- timeline -------------------------------------------------------------------------- */

START_TEST(test_timeline_exact)
{
    model_world *w = id_world();
    rep_timeline *tl = rep_timeline_new(w);
    ck_assert_ptr_nonnull(tl);
    /* fed in seq order, tenants interleaved */
    model_record r = action_record(1, "2025-01-06", MODEL_ACT_PURCHASE, MODEL_OUTCOME_ACCEPTED, MODEL_REASON_NONE,
                                   MODEL_RULE_SUB_1, 0, 0);
    r.from_state = MODEL_STATE_NONE;
    r.to_state = MODEL_STATE_ACTIVE;
    r.has_licenses = 1;
    r.licenses = 120;
    snprintf(r.detail, sizeof r.detail, "offer=m365-e3");
    rep_timeline_record(tl, &r);
    r = action_record(2, "2025-01-06T09:30:00Z", MODEL_ACT_PURCHASE, MODEL_OUTCOME_REJECTED,
                      MODEL_REASON_NO_RELATIONSHIP, MODEL_RULE_REL_1, 1, 2);
    rep_timeline_record(tl, &r);
    r = sys_record(3, "2025-02-01", MODEL_KIND_RENEWAL_COMPLETED, MODEL_RULE_SUB_3, 0, 1);
    snprintf(r.detail, sizeof r.detail, "term_end=2026-01-31");
    rep_timeline_record(tl, &r);
    r = sys_record(4, "2025-03-01", MODEL_KIND_TRANSFER_EXPIRED, MODEL_RULE_XFER_1, MODEL_NONE, MODEL_NONE);
    snprintf(r.detail, sizeof r.detail, "transfer=tr1 from=contoso");
    rep_timeline_record(tl, &r);
    rep_out *o = rep_out_memory();
    ck_assert_int_eq(rep_timeline_write(tl, o, "demo", "Two tenants."), 0);
    ck_assert_str_eq(text_of(o), "Scenario: demo\n"
                                 "==============\n"
                                 "Two tenants.\n"
                                 "\n"
                                 "== tenant fabrikam ==\n"
                                 "2025-01-06 00:00  fab-e3  purchase via contoso accepted: none -> active, "
                                 "120 licenses (offer=m365-e3) (SUB-1)\n"
                                 "2025-02-01 00:00  s1      renewal completed, new term ends 2026-01-31 (SUB-3)\n"
                                 "\n"
                                 "== tenant tailspin ==\n"
                                 "2025-01-06 09:30  tail-e3  purchase via contoso REJECTED: no_relationship (REL-1)\n"
                                 "\n"
                                 "== general ==\n"
                                 "2025-03-01 00:00  transfer tr1 from contoso expired unanswered (XFER-1)\n"
                                 "\n"
                                 "== totals ==\n"
                                 "fabrikam: data loss 0 licenses, interruption 0 days, billed 0.00, refunded 0.00, "
                                 "rejections 0\n"
                                 "tailspin: data loss 0 licenses, interruption 0 days, billed 0.00, refunded 0.00, "
                                 "rejections 0\n");
    /* writing again gives the same bytes */
    rep_out *again = rep_out_memory();
    ck_assert_int_eq(rep_timeline_write(tl, again, "demo", "Two tenants."), 0);
    ck_assert_str_eq(text_of(again), text_of(o));
    rep_out_free(again);
    rep_out_free(o);
    rep_timeline_free(tl);
    model_world_free(w);
}
END_TEST

START_TEST(test_timeline_phrases)
{
    static const struct {
        model_kind kind;
        model_rule rule;
        int64_t licenses, amount;
        const char *detail, *line; /* line: the text after the subscription column */
    } cases[] = {
        {MODEL_KIND_RENEWAL_STARTED, MODEL_RULE_SUB_3, 0, 0, "", "renewal started (SUB-3)"},
        {MODEL_KIND_CHARGE, MODEL_RULE_SUB_2, 120, 360000, "period=2025-01-06..2025-02-05",
         "charged 3600.00 (period=2025-01-06..2025-02-05) (SUB-2)"},
        {MODEL_KIND_REFUND, MODEL_RULE_SUB_2, 0, 12000, "unused_days=3/31", "refunded 120.00 (unused_days=3/31) (SUB-2)"},
        {MODEL_KIND_REFUND, MODEL_RULE_SUB_2, 0, -5, "", "refunded -0.05 (SUB-2)"},
        {MODEL_KIND_EXPIRED, MODEL_RULE_SUB_4, 120, 0, "",
         "expired: users keep access for the grace period [active -> expired] (SUB-4)"},
        {MODEL_KIND_DISABLED, MODEL_RULE_SUB_4, 120, 0, "",
         "disabled: users lost access, admins keep data [active -> expired] (SUB-4)"},
        {MODEL_KIND_DELETED, MODEL_RULE_SUB_4, 120, 0, "", "deleted: data removed [active -> expired] (SUB-4)"},
        {MODEL_KIND_DATA_LOSS, MODEL_RULE_SUB_12, 120, 0, "unreplaced", "DATA LOSS: 120 licenses (unreplaced) (SUB-12)"},
        {MODEL_KIND_DATA_KEPT, MODEL_RULE_SUB_12, 120, 0, "by=same_provisioning_id",
         "data kept: 120 licenses covered by same-service subscriptions (by=same_provisioning_id) (SUB-12)"},
        {MODEL_KIND_LICENSE_REASSIGNMENT, MODEL_RULE_SUB_12, 5, 0, "by=equivalent_offer",
         "licenses need reassignment: 5 (by=equivalent_offer) (SUB-12)"},
        {MODEL_KIND_CANCEL_WINDOW_CLOSED, MODEL_RULE_SUB_2, 0, 0, "", "cancel window closed (SUB-2)"},
        {MODEL_KIND_RELATIONSHIP_EXPIRED, MODEL_RULE_REL_4, 0, 0, "",
         "relationship request expired, partner contoso (REL-4)"},
        {MODEL_KIND_RENEWAL_COMPLETED, MODEL_RULE_SUB_3, 0, 0, "a=1 term_end=2026-01-31 b=2",
         "renewal completed, new term ends 2026-01-31 (a=1 b=2) (SUB-3)"},
        {MODEL_KIND_RENEWAL_COMPLETED, MODEL_RULE_NONE, 0, 0, "", "renewal completed, new term ends ?"},
    };
    model_world *w = id_world();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rep_timeline *tl = rep_timeline_new(w);
        model_record r = sys_record(1, "2025-01-08", cases[i].kind, cases[i].rule, 0, 0);
        r.partner = 0;
        r.has_licenses = cases[i].licenses != 0;
        r.licenses = cases[i].licenses;
        r.has_amount = cases[i].amount != 0;
        r.amount = cases[i].amount;
        if (cases[i].kind == MODEL_KIND_EXPIRED || cases[i].kind == MODEL_KIND_DISABLED ||
            cases[i].kind == MODEL_KIND_DELETED) {
            r.from_state = MODEL_STATE_ACTIVE;
            r.to_state = MODEL_STATE_EXPIRED;
        }
        snprintf(r.detail, sizeof r.detail, "%s", cases[i].detail);
        rep_timeline_record(tl, &r);
        rep_out *o = rep_out_memory();
        ck_assert_int_eq(rep_timeline_write(tl, o, "p", NULL), 0);
        char want[400];
        snprintf(want, sizeof want, "\n2025-01-08 00:00  fab-e3  %s\n", cases[i].line);
        find(text_of(o), want);
        rep_out_free(o);
        rep_timeline_free(tl);
    }
    model_world_free(w);
}
END_TEST

/* Every kind and every action gives one line with its rule id and no unexpanded placeholder. */
START_TEST(test_timeline_every_kind)
{
    model_world *w = id_world();
    rep_timeline *tl = rep_timeline_new(w);
    uint64_t seq = 0;
    for (int k = 0; k < MODEL_KIND_COUNT; k++) {
        model_record r = sys_record(++seq, "2025-01-08", (model_kind)k, MODEL_RULE_SUB_1, 0, 0);
        if (k == MODEL_KIND_ACTION) {
            r.action = MODEL_ACT_SUSPEND;
            r.outcome = MODEL_OUTCOME_ACCEPTED;
        }
        snprintf(r.detail, sizeof r.detail, "term_end=2026-01-31");
        rep_timeline_record(tl, &r);
    }
    for (int a = 0; a < MODEL_ACT_COUNT; a++) {
        model_record r = action_record(++seq, "2025-01-09", (model_action_kind)a, MODEL_OUTCOME_REJECTED,
                                       MODEL_REASON_NOT_ACTIVE, MODEL_RULE_SUB_5, 0, 0);
        rep_timeline_record(tl, &r);
    }
    rep_out *o = rep_out_memory();
    ck_assert_int_eq(rep_timeline_write(tl, o, "all", NULL), 0);
    const char *text = text_of(o);
    ck_assert_ptr_null(strchr(text, '{'));
    ck_assert_uint_eq(count_of(text, " (SUB-1)\n"), MODEL_KIND_COUNT);
    ck_assert_uint_eq(count_of(text, " REJECTED: not_active (SUB-5)\n"), MODEL_ACT_COUNT);
    for (int a = 0; a < MODEL_ACT_COUNT; a++) {
        char want[96];
        snprintf(want, sizeof want, "  fab-e3  %s via contoso REJECTED: not_active (SUB-5)\n", model_action_name(a));
        find(text, want);
    }
    find(text, "  fab-e3  suspend accepted (term_end=2026-01-31) (SUB-1)\n"); /* no partner: no "via" */
    rep_out_free(o);
    rep_timeline_free(tl);
    model_world_free(w);
}
END_TEST

/* The shared phrase (reports/phrase.h): placeholders fill from the record and the detail,
 * a pair so used is left out of the rest, and the flags say what the text already shows. */
START_TEST(test_phrase_of)
{
    model_world *w = id_world();
    rep_phrase p;
    model_record r = sys_record(1, "2025-01-08", MODEL_KIND_RENEWAL_COMPLETED, MODEL_RULE_SUB_3, 0, 0);
    r.has_licenses = 1;
    r.licenses = 50;
    snprintf(r.detail, sizeof r.detail, "a=1  term_end=2026-01-31 b=2");
    rep_phrase_of(w, &r, &p);
    ck_assert_str_eq(p.text, "renewal completed, new term ends 2026-01-31");
    ck_assert_uint_eq(p.len, strlen(p.text));
    ck_assert_str_eq(p.rest, "a=1 b=2"); /* tokens joined by one space */
    ck_assert_uint_eq(p.rest_len, 7);
    ck_assert(!p.is_action && !p.used_amount && !p.used_licenses);

    r = sys_record(2, "2025-01-08", MODEL_KIND_CHARGE, MODEL_RULE_SUB_2, 0, 0);
    r.has_amount = 1;
    r.amount = 360000;
    rep_phrase_of(w, &r, &p);
    ck_assert_str_eq(p.text, "charged 3600.00");
    ck_assert_str_eq(p.rest, "");
    ck_assert(p.used_amount && !p.used_licenses);

    r = sys_record(3, "2025-01-08", MODEL_KIND_DATA_LOSS, MODEL_RULE_SUB_12, 0, 0);
    r.has_licenses = 1;
    r.licenses = 5;
    snprintf(r.detail, sizeof r.detail, "unreplaced");
    rep_phrase_of(w, &r, &p);
    ck_assert_str_eq(p.text, "DATA LOSS: 5 licenses");
    ck_assert_str_eq(p.rest, "unreplaced");
    ck_assert(p.used_licenses && !p.used_amount);

    /* a missing key reads "?"; no partner reads web-direct */
    r = sys_record(4, "2025-01-08", MODEL_KIND_TRANSFER_EXPIRED, MODEL_RULE_NONE, 0, MODEL_NONE);
    snprintf(r.detail, sizeof r.detail, "transfer=x1");
    rep_phrase_of(w, &r, &p);
    ck_assert_str_eq(p.text, "transfer x1 from ? expired unanswered");
    r = sys_record(5, "2025-01-08", MODEL_KIND_RELATIONSHIP_EXPIRED, MODEL_RULE_NONE, 0, MODEL_NONE);
    rep_phrase_of(w, &r, &p);
    ck_assert_str_eq(p.text, "relationship request expired, partner web-direct");

    /* an action: its name and partner, the whole detail as the rest, no outcome */
    r = action_record(6, "2025-01-08", MODEL_ACT_CANCEL, MODEL_OUTCOME_REJECTED, MODEL_REASON_NOT_ACTIVE,
                      MODEL_RULE_SUB_2, 0, 0);
    snprintf(r.detail, sizeof r.detail, "term_end=2026-01-31");
    rep_phrase_of(w, &r, &p);
    ck_assert(p.is_action);
    ck_assert_str_eq(p.text, "cancel via contoso");
    ck_assert_str_eq(p.rest, "term_end=2026-01-31");

    /* every kind that has a template names no placeholder it cannot fill: none left */
    for (int k = 0; k < MODEL_KIND_COUNT; k++) {
        r = sys_record(7, "2025-01-08", (model_kind)k, MODEL_RULE_NONE, 0, 0);
        rep_phrase_of(w, &r, &p);
        ck_assert_ptr_null(strchr(p.text, '{'));
        ck_assert_uint_gt(p.len, 0);
        ck_assert_int_eq(rep_phrase_template(k) != NULL, k != MODEL_KIND_ACTION);
    }
    ck_assert_ptr_null(rep_phrase_template(-1));
    ck_assert_ptr_null(rep_phrase_template(MODEL_KIND_COUNT));
    model_world_free(w);
}
END_TEST

START_TEST(test_timeline_wrap)
{
    char desc[2000] = "";
    for (int i = 0; i < 60; i++) {
        char word[16];
        snprintf(word, sizeof word, "%sword%02d", i ? (i == 30 ? "\n\n" : (i % 7 ? " " : "\n  ")) : "", i);
        strcat(desc, word);
    }
    char longword[100];
    memset(longword, 'L', 90);
    longword[90] = '\0';
    strcat(desc, " ");
    strcat(desc, longword);
    strcat(desc, " end\n");
    model_world *w = id_world();
    rep_timeline *tl = rep_timeline_new(w);
    rep_out *o = rep_out_memory();
    ck_assert_int_eq(rep_timeline_write(tl, o, "wrap", desc), 0);
    const char *text = text_of(o);
    /* every line fits except the one holding the long word alone */
    const char *line = text;
    size_t nlines = 0;
    while (*line) {
        size_t n = strcspn(line, "\n");
        if (n > REP_TIMELINE_WIDTH)
            ck_assert_msg(n == 90 && line[0] == 'L', "line too long: %.*s", (int)n, line);
        line += n + (line[n] == '\n');
        nlines++;
    }
    ck_assert_uint_ge(nlines, 6);
    find(text, "Scenario: wrap\n==============\nword00 word01 ");
    find(text, "word29\n\nword30 "); /* the paragraph break */
    find(text, " word06 word07 "); /* a single newline is a space */
    char want[120];
    snprintf(want, sizeof want, "\n%s\nend\n\n", longword);
    find(text, want);
    ck_assert_ptr_null(strstr(text, "== totals")); /* no tenant with lines or figures */
    rep_out_free(o);
    rep_timeline_free(tl);
    model_world_free(w);
}
END_TEST

START_TEST(test_timeline_failing_sink)
{
    model_world *w = id_world();
    rep_timeline *tl = rep_timeline_new(w);
    model_record r = sys_record(1, "2025-01-08", MODEL_KIND_RENEWAL_STARTED, MODEL_RULE_SUB_3, 0, 0);
    rep_timeline_record(tl, &r);
    rep_out *o = rep_out_failing(20);
    ck_assert_int_eq(rep_timeline_write(tl, o, "a scenario name", "words and words"), -1);
    ck_assert_int_ne(rep_out_failed(o), 0);
    rep_out_free(o);
    rep_timeline_free(tl);
    rep_timeline_free(NULL);
    model_world_free(w);
}
END_TEST

/* ---- summary --------------------------------------------------------------------------- */

START_TEST(test_summary_exact)
{
    model_world *w = id_world();
    rep_summary *s = rep_summary_new(w);
    ck_assert_ptr_nonnull(s);
    model_record r = action_record(1, "2025-01-06", MODEL_ACT_PURCHASE, MODEL_OUTCOME_REJECTED,
                                   MODEL_REASON_NO_RELATIONSHIP, MODEL_RULE_REL_1, 1, 2);
    rep_summary_record(s, &r);
    r.reason = MODEL_REASON_REGION_MISMATCH;
    rep_summary_record(s, &r);
    rep_summary_record(s, &r);
    r.tenant = MODEL_NONE; /* counts in the total only */
    r.reason = MODEL_REASON_UNKNOWN_ENTITY;
    rep_summary_record(s, &r);
    r = action_record(2, "2025-01-06", MODEL_ACT_CANCEL, MODEL_OUTCOME_ACCEPTED, MODEL_REASON_NONE,
                      MODEL_RULE_SUB_2, 0, 0);
    rep_summary_record(s, &r);
    r = sys_record(3, "2025-01-06", MODEL_KIND_CHARGE, MODEL_RULE_SUB_2, 0, 0);
    rep_summary_record(s, &r);
    rep_summary_record(s, &r);
    rep_out *o = rep_out_memory();
    ck_assert_int_eq(rep_summary_write(s, o, "demo \"quoted\"", UINT64_C(18446744073709551615)), 0);
    ck_assert_str_eq(text_of(o), "{\n"
                                 "  \"scenario\": \"demo \\\"quoted\\\"\",\n"
                                 "  \"seed\": 18446744073709551615,\n"
                                 "  \"events\": 0,\n"
                                 "  \"records\": 0,\n"
                                 "  \"total\": {\n"
                                 "    \"data_loss_licenses\": 0,\n"
                                 "    \"interruption_days\": 0,\n"
                                 "    \"billed\": 0.00,\n"
                                 "    \"refunded\": 0.00,\n"
                                 "    \"double_billing_days\": 0,\n"
                                 "    \"rejections\": 0,\n"
                                 "    \"rejections_by_reason\": {\n"
                                 "      \"no_relationship\": 1,\n"
                                 "      \"region_mismatch\": 2,\n"
                                 "      \"unknown_entity\": 1\n"
                                 "    }\n"
                                 "  },\n"
                                 "  \"partners\": [\n"
                                 "    {\n"
                                 "      \"id\": \"contoso\",\n"
                                 "      \"billed\": 0.00,\n"
                                 "      \"refunded\": 0.00,\n"
                                 "      \"claims_won\": 0,\n"
                                 "      \"claims_refused\": 0,\n"
                                 "      \"transfers_accepted\": 0,\n"
                                 "      \"transfers_refused\": 0\n"
                                 "    }\n"
                                 "  ],\n"
                                 "  \"tenants\": [\n"
                                 "    {\n"
                                 "      \"id\": \"fabrikam\",\n"
                                 "      \"data_loss_licenses\": 0,\n"
                                 "      \"interruption_days\": 0,\n"
                                 "      \"billed\": 0.00,\n"
                                 "      \"refunded\": 0.00,\n"
                                 "      \"double_billing_days\": 0,\n"
                                 "      \"rejections\": 0,\n"
                                 "      \"rejections_by_reason\": {}\n"
                                 "    },\n"
                                 "    {\n"
                                 "      \"id\": \"tailspin\",\n"
                                 "      \"data_loss_licenses\": 0,\n"
                                 "      \"interruption_days\": 0,\n"
                                 "      \"billed\": 0.00,\n"
                                 "      \"refunded\": 0.00,\n"
                                 "      \"double_billing_days\": 0,\n"
                                 "      \"rejections\": 0,\n"
                                 "      \"rejections_by_reason\": {\n"
                                 "        \"no_relationship\": 1,\n"
                                 "        \"region_mismatch\": 2\n"
                                 "      }\n"
                                 "    }\n"
                                 "  ],\n"
                                 "  \"records_by_kind\": {\n"
                                 "    \"action\": 5,\n"
                                 "    \"charge\": 2\n"
                                 "  }\n"
                                 "}\n");
    rep_out_free(o);
    rep_summary_free(s);
    model_world_free(w);
}
END_TEST

/* Empty world: empty arrays and objects; a failing sink gives -1. */
START_TEST(test_summary_empty_and_failing)
{
    model_world *w = model_world_new(T("2025-01-01"), T("2025-02-01"), 1, 0);
    rep_summary *s = rep_summary_new(w);
    rep_out *o = rep_out_memory();
    ck_assert_int_eq(rep_summary_write(s, o, NULL, 1), 0);
    const char *text = text_of(o);
    find(text, "  \"scenario\": \"\",\n");
    find(text, "    \"rejections_by_reason\": {}\n  },\n");
    find(text, "  \"partners\": [],\n  \"tenants\": [],\n  \"records_by_kind\": {}\n}\n");
    rep_out_free(o);
    o = rep_out_failing(100);
    ck_assert_int_eq(rep_summary_write(s, o, "x", 1), -1);
    ck_assert_int_ne(rep_out_failed(o), 0);
    rep_out_free(o);
    rep_summary_free(s);
    rep_summary_free(NULL);
    model_world_free(w);
}
END_TEST

/* Many tenants, some with rejections: the lazily grown per-tenant counters stay right. */
START_TEST(test_summary_many_tenants)
{
    enum { N = 3000 };
    static char ids[N][8];
    model_world *w = model_world_new(T("2025-01-01"), T("2025-02-01"), 1, 0);
    for (int i = 0; i < N; i++) {
        snprintf(ids[i], sizeof ids[i], "t%d", i);
        ck_assert_uint_eq(model_add_tenant(w, ids[i], "europe"), (uint32_t)i);
    }
    rep_summary *s = rep_summary_new(w);
    /* tenant i gets i % 3 rejections for seat_cap and one for tenant_limit when i % 5 == 0,
     * fed in a scattered order */
    for (int pass = 0; pass < 2; pass++) {
        for (int k = 0; k < N; k++) {
            int i = (k * 7919) % N;
            model_record r = action_record(1, "2025-01-06", MODEL_ACT_PURCHASE, MODEL_OUTCOME_REJECTED,
                                           MODEL_REASON_SEAT_CAP, MODEL_RULE_LIM_2, (uint32_t)i, MODEL_NONE);
            if (pass < i % 3)
                rep_summary_record(s, &r);
            r.reason = MODEL_REASON_TENANT_LIMIT;
            if (pass == 0 && i % 5 == 0)
                rep_summary_record(s, &r);
        }
    }
    rep_out *o = rep_out_memory();
    ck_assert_int_eq(rep_summary_write(s, o, "many", 1), 0);
    const char *text = text_of(o);
    const char *at = text;
    for (int i = 0; i < N; i++) {
        char want[256];
        int n = snprintf(want, sizeof want, "      \"id\": \"t%d\",\n", i);
        at = find(at, want) + n;
        at = find(at, "\"rejections_by_reason\": {");
        at += strlen("\"rejections_by_reason\": {");
        int seat = i % 3, limit = i % 5 == 0;
        if (!seat && !limit)
            snprintf(want, sizeof want, "}\n");
        else if (seat && limit)
            snprintf(want, sizeof want, "\n        \"tenant_limit\": 1,\n        \"seat_cap\": %d\n      }\n", seat);
        else if (seat)
            snprintf(want, sizeof want, "\n        \"seat_cap\": %d\n      }\n", seat);
        else
            snprintf(want, sizeof want, "\n        \"tenant_limit\": 1\n      }\n");
        ck_assert_msg(strncmp(at, want, strlen(want)) == 0, "tenant t%d: %.80s", i, at);
    }
    /* totals: seat_cap sum over i of (i % 3) = 1000 * (0 + 1 + 2); tenant_limit N / 5 */
    find(text, "      \"tenant_limit\": 600,\n      \"seat_cap\": 3000\n");
    rep_out_free(o);
    rep_summary_free(s);
    model_world_free(w);
}
END_TEST

/* ---- a model run through every writer -------------------------------------------------- */

typedef struct {
    rep_trace *trace;
    rep_timeline *timeline;
    rep_summary *summary;
} writers;

static void emit_all(void *ctx, const model_record *r)
{
    writers *x = ctx;
    rep_trace_record(x->trace, r);
    rep_timeline_record(x->timeline, r);
    rep_summary_record(x->summary, r);
}

typedef struct {
    rep_out *jsonl, *csv, *timeline, *summary;
    uint64_t records;
} run_out;

/* fabrikam (related to contoso) buys 120 licenses, tailspin (no relationship) is refused,
 * fabrikam cancels two days later. */
static void run_demo(run_out *out)
{
    model_world *w = model_world_new(T("2025-01-01"), T("2025-03-01"), 42, 0);
    model_offer_spec spec;
    memset(&spec, 0, sizeof spec);
    spec.id = "m365-e3";
    spec.price = 3600;
    spec.terms = MODEL_TERM_P1M | MODEL_TERM_P1Y;
    spec.csp_available = 1;
    spec.max_ratio = -1;
    uint32_t offer = model_add_offer(w, &spec);
    uint32_t contoso = model_add_partner(w, "contoso", "europe");
    uint32_t fab = model_add_tenant(w, "fabrikam", "europe");
    uint32_t tail = model_add_tenant(w, "tailspin", "europe");
    ck_assert_int_eq(model_add_relationship(w, fab, contoso), 0);
    uint32_t fab_e3 = model_declare_subscription(w, "fab-e3", fab);
    uint32_t tail_e3 = model_declare_subscription(w, "tail-e3", tail);

    out->jsonl = rep_out_memory();
    out->csv = rep_out_memory();
    out->timeline = rep_out_memory();
    out->summary = rep_out_memory();
    writers x = {rep_trace_new(w, out->jsonl, out->csv), rep_timeline_new(w), rep_summary_new(w)};
    model_sink sink = {emit_all, &x};
    model_set_sink(w, sink);
    ck_assert_int_eq(model_start(w), 0);

    static model_action acts[3];
    static sim_time at[3];
    model_action_init(&acts[0], MODEL_ACT_PURCHASE);
    acts[0].partner = contoso;
    acts[0].tenant = fab;
    acts[0].offer = offer;
    acts[0].new_subscription = fab_e3;
    acts[0].licenses = 120;
    acts[0].term_months = 12;
    acts[0].billing = MODEL_BILLING_MONTHLY;
    acts[0].autorenew = 1;
    acts[0].detail = "offer=m365-e3 term=P1Y";
    acts[1] = acts[0];
    acts[1].tenant = tail;
    acts[1].new_subscription = tail_e3;
    model_action_init(&acts[2], MODEL_ACT_CANCEL);
    acts[2].subscription = fab_e3;
    at[0] = at[1] = T("2025-01-06");
    at[2] = T("2025-01-08");
    ck_assert_int_eq(model_set_script(w, acts, at, 3), 0);
    ck_assert_int_eq(model_run_until(w, T("2025-03-01")), 0);
    model_finish(w);
    ck_assert_int_eq(rep_timeline_write(x.timeline, out->timeline, "demo", "A purchase, a refusal, a cancel."), 0);
    ck_assert_int_eq(rep_summary_write(x.summary, out->summary, "demo", 42), 0);
    out->records = model_records_emitted(w);
    rep_trace_free(x.trace);
    rep_timeline_free(x.timeline);
    rep_summary_free(x.summary);
    model_world_free(w);
}

static void free_run(run_out *out)
{
    rep_out_free(out->jsonl);
    rep_out_free(out->csv);
    rep_out_free(out->timeline);
    rep_out_free(out->summary);
}

START_TEST(test_model_run)
{
    run_out a, b;
    run_demo(&a);
    run_demo(&b);
    /* identical input, identical bytes */
    ck_assert_str_eq(text_of(a.jsonl), text_of(b.jsonl));
    ck_assert_str_eq(text_of(a.csv), text_of(b.csv));
    ck_assert_str_eq(text_of(a.timeline), text_of(b.timeline));
    ck_assert_str_eq(text_of(a.summary), text_of(b.summary));

    const char *jsonl = text_of(a.jsonl), *csv = text_of(a.csv);
    ck_assert_uint_gt(a.records, 3);
    ck_assert_uint_eq(count_of(jsonl, "\n"), a.records);
    ck_assert_uint_eq(count_of(jsonl, "{\"seq\":"), a.records);
    ck_assert_uint_eq(count_of(csv, "\n"), a.records + 1);
    find(jsonl, "{\"seq\":1,\"time\":\"2025-01-06T00:00:00Z\",\"kind\":\"action\",\"action\":\"purchase\","
                "\"outcome\":\"accepted\",\"reason\":null,\"rule\":\"SUB-1\",\"tenant\":\"fabrikam\","
                "\"partner\":\"contoso\",\"subscription\":\"fab-e3\",\"from_state\":\"none\","
                "\"to_state\":\"active\",\"licenses\":120,\"amount\":null,"
                "\"detail\":\"offer=m365-e3 term=P1Y\"}\n");
    find(jsonl, "\"kind\":\"charge\",\"action\":null,\"outcome\":null,\"reason\":null,\"rule\":\"SUB-2\","
                "\"tenant\":\"fabrikam\",\"partner\":\"contoso\",\"subscription\":\"fab-e3\","
                "\"from_state\":null,\"to_state\":null,\"licenses\":120,\"amount\":4320.00,");
    find(csv, ",action,purchase,rejected,no_relationship,REL-1,tailspin,contoso,tail-e3,,,,,offer=m365-e3 term=P1Y\n");
    find(csv, ",action,cancel,accepted,,SUB-2,fabrikam,contoso,fab-e3,active,canceled,120,,\n");

    const char *tl = text_of(a.timeline);
    const char *fab = find(tl, "== tenant fabrikam ==\n");
    const char *tail = find(tl, "== tenant tailspin ==\n");
    ck_assert(fab < tail);
    const char *buy = find(tl, "2025-01-06 00:00  fab-e3  purchase via contoso accepted: none -> active, 120 licenses");
    const char *charge = find(tl, "2025-01-06 00:00  fab-e3  charged 4320.00 (period=");
    const char *cancel = find(tl, "2025-01-08 00:00  fab-e3  cancel via contoso accepted: active -> canceled");
    const char *refund = find(tl, "2025-01-08 00:00  fab-e3  refunded ");
    ck_assert(fab < buy && buy < charge && charge < cancel && cancel < refund && refund < tail);
    find(tail, "2025-01-06 00:00  tail-e3  purchase via contoso REJECTED: no_relationship (offer=m365-e3 term=P1Y) (REL-1)\n");
    find(tl, "== totals ==\nfabrikam: data loss ");
    find(tl, "\ntailspin: data loss 0 licenses, interruption 0 days, billed 0.00, refunded 0.00, rejections 1\n");

    const char *sum = text_of(a.summary);
    char want[64];
    snprintf(want, sizeof want, "  \"records\": %" PRIu64 ",\n", a.records);
    find(sum, want);
    find(sum, "  \"seed\": 42,\n");
    find(sum, "    \"billed\": 4320.00,\n");
    find(sum, "    \"rejections\": 1,\n    \"rejections_by_reason\": {\n      \"no_relationship\": 1\n    }\n");
    find(sum, "\"records_by_kind\": {\n    \"action\": 3,\n");
    ck_assert_ptr_null(strstr(sum, "web-direct")); /* nothing billed outside partners */
    ck_assert_uint_eq(count_of(sum, "\"id\": "), 3);
    free_run(&a);
    free_run(&b);
}
END_TEST

/* The default --trace: the whole trace up to 900 MB by the stated rule (per subscription:
 * charges + 3 per term + 1 records of 650 bytes), else tenants x 900 MB / estimate; the sample
 * picks exactly n tenants, the same for the same seed, others for another. */
START_TEST(test_trace_modes)
{
    /* 365 days: 13 months of 30 days, rounded up. P1Y billed annually: 13 / 12 = 1 charge,
     * 1 term: 1 + 3 + 1 = 5 records; P1M monthly: 13 + 39 + 1 = 53; P3Y annual: 1 + 3 + 1
     * (a term longer than the horizon still counts one); P1Y monthly: 13 + 3 + 1 = 17 */
    ck_assert_uint_eq(rep_trace_records_estimate(12, 12, 13), 5);
    ck_assert_uint_eq(rep_trace_records_estimate(1, 1, 13), 53);
    ck_assert_uint_eq(rep_trace_records_estimate(36, 12, 13), 5);
    ck_assert_uint_eq(rep_trace_records_estimate(12, 1, 13), 17);
    ck_assert_uint_eq(rep_trace_records_estimate(1, 1, 1), 1 + 3 + 1);
    /* 276,923 P1Y-annual subscriptions x 5 x 650 = 899,999,750: all; 276,924 pass 900 MB */
    ck_assert_uint_eq(rep_trace_default_sample(1000, UINT64_C(276923) * 5 * REP_TRACE_BYTES_PER_RECORD), 0);
    ck_assert_uint_ne(rep_trace_default_sample(1000, UINT64_C(276924) * 5 * REP_TRACE_BYTES_PER_RECORD), 0);
    /* 200,000 tenants x 10 P1M subscriptions over 13 months: 2,000,000 x 53 x 650 = 68.9 GB,
     * so 200,000 x 900,000 / 68,900,000 (kilobytes) = 2,612 */
    uint64_t est = UINT64_C(2000000) * 53 * REP_TRACE_BYTES_PER_RECORD;
    ck_assert_uint_eq(est, UINT64_C(68900000000));
    ck_assert_uint_eq(rep_trace_default_sample(200000, est), 2612);
    ck_assert_uint_eq(rep_trace_default_sample(1, est), 1); /* never none */
    uint8_t a[1000], b[1000], c[1000];
    ck_assert_int_eq(rep_trace_sample_pick(7, 1000, 25, a), 0);
    ck_assert_int_eq(rep_trace_sample_pick(7, 1000, 25, b), 0);
    ck_assert_int_eq(rep_trace_sample_pick(8, 1000, 25, c), 0);
    size_t na = 0, same = 0;
    for (size_t i = 0; i < 1000; i++) {
        na += a[i];
        same += a[i] && c[i];
    }
    ck_assert_uint_eq(na, 25);
    ck_assert_mem_eq(a, b, sizeof a);
    ck_assert_uint_lt(same, 25); /* another seed, another sample */
    ck_assert_int_eq(rep_trace_sample_pick(7, 10, 25, a), 0);
    for (size_t i = 0; i < 10; i++)
        ck_assert_uint_eq(a[i], 1); /* more than there are: all */
}
END_TEST

Suite *reports_suite(void)
{
    Suite *s = suite_create("reports");
    TCase *tc = tcase_create("out");
    tcase_add_test(tc, test_money);
    tcase_add_test(tc, test_memory_sink);
    tcase_add_test(tc, test_failing_sink);
    tcase_add_test(tc, test_file_sink_commit);
    tcase_add_test(tc, test_file_sink_abandoned);
    tcase_add_test(tc, test_file_sink_cannot_open);
    tcase_add_test(tc, test_mkdirs);
    suite_add_tcase(s, tc);

    tc = tcase_create("trace");
    tcase_add_test(tc, test_outcome_and_minute);
    tcase_add_test(tc, test_trace_header);
    tcase_add_test(tc, test_trace_escaping);
    tcase_add_test(tc, test_trace_csv_quoting);
    tcase_add_test(tc, test_trace_nulls_and_numbers);
    tcase_add_test(tc, test_trace_accepted_purchase);
    tcase_add_test(tc, test_json_string);
    tcase_add_test(tc, test_json_string_long);
    tcase_add_test(tc, test_trace_time_cache);
    tcase_add_test(tc, test_trace_failing_sink);
    suite_add_tcase(s, tc);

    tc = tcase_create("timeline");
    tcase_add_test(tc, test_timeline_exact);
    tcase_add_test(tc, test_timeline_phrases);
    tcase_add_test(tc, test_timeline_every_kind);
    tcase_add_test(tc, test_phrase_of);
    tcase_add_test(tc, test_timeline_wrap);
    tcase_add_test(tc, test_timeline_failing_sink);
    suite_add_tcase(s, tc);

    tc = tcase_create("summary");
    tcase_add_test(tc, test_summary_exact);
    tcase_add_test(tc, test_summary_empty_and_failing);
    tcase_add_test(tc, test_summary_many_tenants);
    tcase_add_test(tc, test_trace_modes);
    suite_add_tcase(s, tc);

    tc = tcase_create("model_run");
    tcase_add_test(tc, test_model_run);
    suite_add_tcase(s, tc);
    return s;
}
