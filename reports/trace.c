/* reports/trace.c - trace.jsonl and trace.csv. A record is first turned into its column
 * texts (the columns of reports/trace_columns.h, one function filling them), then each
 * format writes those texts with its own quoting, so the two files cannot disagree on a
 * value. */
#include "trace.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
#define X(name, key, written, read) COL_##name,
    REP_TRACE_COLUMNS(X)
#undef X
    COL_COUNT
};

enum { W_STRING, W_NUMBER };

static const struct {
    const char *key;
    int written;
} columns[COL_COUNT] = {
#define X(name, key, written, read) {key, W_##written},
    REP_TRACE_COLUMNS(X)
#undef X
};

/* ",seq,time,...,detail": the CSV header is this without its first comma. */
static const char header[] = ""
#define X(name, key, written, read) "," key
    REP_TRACE_COLUMNS(X)
#undef X
    ;

/* ",\"seq\":" ...: the JSON line's key texts; the first column's ',' is written as '{'. */
static const struct {
    const char *text;
    size_t len;
} json_keys[COL_COUNT] = {
#define X(name, key, written, read) {",\"" key "\":", sizeof(",\"" key "\":") - 1},
    REP_TRACE_COLUMNS(X)
#undef X
};

/* A line being built: one rep_write per line instead of one per piece (each write hashes
 * and dispatches on the sink; the printf family it replaced was a third of a run). Grows by
 * doubling; a failed growth marks oom and the line is not written. */
typedef struct {
    char *p;
    size_t n, cap;
    int oom;
} line;

struct rep_trace {
    const model_world *w;
    rep_out *jsonl, *csv;
    line buf;
    sim_time day;                 /* midnight of the date in date_text; 1 (never a midnight): none */
    char date_text[SIM_TIME_BUF]; /* sim_format_date of day: a trace's records share few days */
    size_t date_len;
};

/* The texts of one record; v[i] NULL or "" means the column is empty; len[i] is v[i]'s
 * length when v[i] is set. */
typedef struct {
    const char *v[COL_COUNT];
    size_t len[COL_COUNT];
    char seq[24], time[SIM_TIME_BUF], sub[REP_SUB_ID_BUF], tenant[MODEL_LABEL_BUF], licenses[24], amount[REP_MONEY_BUF];
} row;

const char *rep_trace_header(void)
{
    return header + 1;
}

/* The decimal digits of v written backwards ending just before end (no NUL); returns where
 * they start. */
static char *digits_u64(char *end, uint64_t v)
{
    do
        *--end = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    return end;
}

/* v in decimal at out (room for 21 bytes), a '-' first when negative; returns the length. */
static size_t put_i64(char *out, int64_t v)
{
    char d[24], *e = d + sizeof d;
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    char *b = digits_u64(e, mag);
    if (v < 0)
        *--b = '-';
    memcpy(out, b, (size_t)(e - b));
    return (size_t)(e - b);
}

/* The text of rep_money at out (room for REP_MONEY_BUF - 1 bytes); returns the length. */
static size_t put_money(char *out, int64_t minor)
{
    /* magnitude in unsigned arithmetic: -INT64_MIN does not fit an int64 */
    uint64_t mag = minor < 0 ? (uint64_t)0 - (uint64_t)minor : (uint64_t)minor;
    char d[REP_MONEY_BUF], *e = d + sizeof d;
    *--e = (char)('0' + mag % 10);
    *--e = (char)('0' + mag / 10 % 10);
    *--e = '.';
    char *b = digits_u64(e, mag / 100);
    if (minor < 0)
        *--b = '-';
    size_t n = (size_t)(d + sizeof d - b);
    memcpy(out, b, n);
    return n;
}

void rep_money(char *buf, size_t size, int64_t minor)
{
    char text[REP_MONEY_BUF];
    size_t n = put_money(text, minor);
    if (size == 0)
        return;
    if (n > size - 1)
        n = size - 1; /* cut like snprintf */
    memcpy(buf, text, n);
    buf[n] = '\0';
}

const char *rep_sub_id(const model_world *w, uint32_t sub, char *buf)
{
    const char *id = model_subscription_label(w, sub, buf);
    if (id)
        return id;
    buf[0] = 's';
    char d[12], *e = d + sizeof d, *b = digits_u64(e, sub);
    memcpy(buf + 1, b, (size_t)(e - b));
    buf[1 + (e - b)] = '\0';
    return buf;
}

const char *rep_outcome_name(int outcome)
{
    static const char *const names[] = {[MODEL_OUTCOME_ACCEPTED] = "accepted", [MODEL_OUTCOME_REJECTED] = "rejected"};
    return outcome >= 0 && (size_t)outcome < sizeof names / sizeof names[0] ? names[outcome] : NULL;
}

char *rep_minute(sim_time t, char *buf)
{
    char when[SIM_TIME_BUF];
    sim_format_instant(t, when);      /* "2025-01-08T09:30:00Z" */
    size_t tpos = strcspn(when, "T"); /* years past 9999 are longer */
    memcpy(buf, when, tpos);
    buf[tpos] = ' ';
    memcpy(buf + tpos + 1, when + tpos + 1, 5);
    buf[tpos + 6] = '\0';
    return buf;
}

static const char *state_text(int s)
{
    return s < 0 ? NULL : model_state_name(s);
}

static void two_digits(char *out, unsigned v)
{
    out[0] = (char)('0' + v / 10);
    out[1] = (char)('0' + v % 10);
}

/* sim_format_instant's text of t into out (SIM_TIME_BUF bytes), the date part from the
 * writer's cache; returns the length. */
static size_t put_instant(rep_trace *t, sim_time when, char *out)
{
    sim_time tod = ((when % SIM_DAY) + SIM_DAY) % SIM_DAY, day = when - tod;
    if (day != t->day) {
        sim_format_date(when, t->date_text);
        t->date_len = strlen(t->date_text);
        t->day = day;
    }
    size_t n = t->date_len;
    memcpy(out, t->date_text, n);
    out[n] = 'T';
    two_digits(out + n + 1, (unsigned)(tod / 3600));
    out[n + 3] = ':';
    two_digits(out + n + 4, (unsigned)(tod / 60 % 60));
    out[n + 6] = ':';
    two_digits(out + n + 7, (unsigned)(tod % 60));
    out[n + 9] = 'Z';
    out[n + 10] = '\0';
    return n + 10;
}

static void set(row *out, int col, const char *s)
{
    out->v[col] = s;
    if (s)
        out->len[col] = strlen(s);
}

static void fill_row(rep_trace *t, const model_record *r, row *out)
{
    const model_world *w = t->w;
    memset(out->v, 0, sizeof out->v);
    char d[24], *e = d + sizeof d, *b = digits_u64(e, r->seq);
    out->len[COL_SEQ] = (size_t)(e - b);
    memcpy(out->seq, b, out->len[COL_SEQ]);
    out->seq[out->len[COL_SEQ]] = '\0';
    out->v[COL_SEQ] = out->seq;
    out->len[COL_TIME] = put_instant(t, r->time, out->time);
    out->v[COL_TIME] = out->time;
    set(out, COL_KIND, model_kind_name(r->kind));
    if (r->action >= 0)
        set(out, COL_ACTION, model_action_name(r->action));
    set(out, COL_OUTCOME, rep_outcome_name(r->outcome));
    set(out, COL_REASON, model_reason_code(r->reason));
    set(out, COL_RULE, model_rule_id(r->rule));
    if (r->tenant != MODEL_NONE)
        set(out, COL_TENANT, model_tenant_label(w, r->tenant, out->tenant));
    if (r->partner != MODEL_NONE)
        set(out, COL_PARTNER, model_partner_id(w, r->partner));
    if (r->subscription != MODEL_NONE)
        set(out, COL_SUBSCRIPTION, rep_sub_id(w, r->subscription, out->sub));
    set(out, COL_FROM_STATE, state_text(r->from_state));
    set(out, COL_TO_STATE, state_text(r->to_state));
    if (r->has_licenses) {
        out->len[COL_LICENSES] = put_i64(out->licenses, r->licenses);
        out->licenses[out->len[COL_LICENSES]] = '\0';
        out->v[COL_LICENSES] = out->licenses;
    }
    if (r->has_amount) {
        out->len[COL_AMOUNT] = put_money(out->amount, r->amount);
        out->amount[out->len[COL_AMOUNT]] = '\0';
        out->v[COL_AMOUNT] = out->amount;
    }
    set(out, COL_DETAIL, r->detail);
}

/* Grows b for k more bytes (need's slow path); 0, or -1 (b->oom set) when memory ran out or
 * k is absurd. */
static int grow(line *b, size_t k)
{
    if (b->oom || k > SIZE_MAX / 4 - b->n) {
        b->oom = 1;
        return -1;
    }
    size_t cap = b->cap ? b->cap : 1024;
    while (cap - b->n < k)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        b->oom = 1;
        return -1;
    }
    b->p = p;
    b->cap = cap;
    return 0;
}

/* Room for k more bytes in b: 0, or -1 when memory ran out (b->oom). */
static inline int need(line *b, size_t k)
{
    return k <= b->cap - b->n ? 0 : grow(b, k);
}

static void put(line *b, const char *s, size_t n)
{
    if (need(b, n) == 0) {
        memcpy(b->p + b->n, s, n);
        b->n += n;
    }
}

/* s[0..n) as a JSON string with its quotes (rep_json_string's rules). */
static void json_put(line *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    if (need(b, 6 * n + 2))
        return;
    char *o = b->p + b->n;
    *o++ = '"';
    for (const char *end = s + n; s < end; s++) {
        unsigned char c = (unsigned char)*s;
        if (!(c < 0x20 || c == '"' || c == '\\')) {
            *o++ = (char)c;
        } else if (c == '"' || c == '\\') {
            *o++ = '\\';
            *o++ = (char)c;
        } else {
            memcpy(o, "\\u00", 4);
            o[4] = hex[c >> 4];
            o[5] = hex[c & 15];
            o += 6;
        }
    }
    *o++ = '"';
    b->n = (size_t)(o - b->p);
}

void rep_json_string(rep_out *o, const char *s)
{
    /* the other writers' strings are short: through a stack buffer, a chunk at a time */
    char chunk[6 * 64 + 2];
    line b = {chunk, 0, sizeof chunk, 0};
    size_t n = strlen(s);
    rep_write(o, "\"", 1);
    do {
        size_t k = n < 64 ? n : 64;
        json_put(&b, s, k);
        rep_write(o, chunk + 1, b.n - 2); /* without the chunk's quotes */
        b.n = 0;
        s += k;
        n -= k;
    } while (n);
    rep_write(o, "\"", 1);
}

/* One record's JSON line into b. */
static void put_jsonl(line *b, const row *rw)
{
    for (int i = 0; i < COL_COUNT; i++) {
        size_t at = b->n;
        put(b, json_keys[i].text, json_keys[i].len);
        if (i == 0 && !b->oom)
            b->p[at] = '{';
        if (!rw->v[i] || !rw->len[i])
            put(b, "null", 4);
        else if (columns[i].written == W_NUMBER)
            put(b, rw->v[i], rw->len[i]);
        else
            json_put(b, rw->v[i], rw->len[i]);
    }
    put(b, "}\n", 2);
}

/* RFC 4180: quoted when holding a comma, quote, CR or LF; quotes doubled. */
static void csv_put(line *b, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] != ',' && s[i] != '"' && s[i] != '\r' && s[i] != '\n')
        i++;
    if (i == n) {
        put(b, s, n);
        return;
    }
    if (need(b, 2 * n + 2))
        return;
    char *o = b->p + b->n;
    *o++ = '"';
    for (size_t k = 0; k < n; k++) {
        if (s[k] == '"')
            *o++ = '"'; /* doubled */
        *o++ = s[k];
    }
    *o++ = '"';
    b->n = (size_t)(o - b->p);
}

/* One record's CSV row into b. */
static void put_csv(line *b, const row *rw)
{
    for (int i = 0; i < COL_COUNT; i++) {
        if (i)
            put(b, ",", 1);
        if (rw->v[i] && rw->len[i])
            csv_put(b, rw->v[i], rw->len[i]);
    }
    put(b, "\n", 1);
}

/* Writes b to o (or marks o failed when the line ran out of memory) and empties b. */
static void flush_line(line *b, rep_out *o)
{
    if (b->oom)
        rep_out_fail(o, ENOMEM);
    else
        rep_write(o, b->p, b->n);
    b->n = 0;
    b->oom = 0;
}

rep_trace *rep_trace_new(const model_world *w, rep_out *jsonl, rep_out *csv)
{
    rep_trace *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->w = w;
    t->jsonl = jsonl;
    t->csv = csv;
    t->day = 1; /* no date cached */
    if (need(&t->buf, 1024)) {
        free(t);
        return NULL;
    }
    if (csv) {
        rep_puts(csv, rep_trace_header());
        rep_write(csv, "\n", 1);
    }
    return t;
}

void rep_trace_record(rep_trace *t, const model_record *r)
{
    row rw;
    fill_row(t, r, &rw);
    if (t->jsonl) {
        put_jsonl(&t->buf, &rw);
        flush_line(&t->buf, t->jsonl);
    }
    if (t->csv) {
        put_csv(&t->buf, &rw);
        flush_line(&t->buf, t->csv);
    }
}

static void sink_emit(void *ctx, const model_record *r)
{
    rep_trace_record(ctx, r);
}

model_sink rep_trace_sink(rep_trace *t)
{
    model_sink s = {sink_emit, t};
    return s;
}

void rep_trace_free(rep_trace *t)
{
    if (t)
        free(t->buf.p);
    free(t);
}

/* ---- trace modes -------------------------------------------------------------------------- */

uint64_t rep_trace_records_estimate(int term_months, int billing_months, uint64_t months)
{
    uint64_t charges = months / (uint64_t)(billing_months > 0 ? billing_months : 1);
    uint64_t terms = months / (uint64_t)(term_months > 0 ? term_months : 1);
    return (charges ? charges : 1) + 3 * (terms ? terms : 1) + 1;
}

uint64_t rep_trace_estimate(const model_world *w, sim_time start, sim_time end)
{
    static const int billing_months[] = {[MODEL_BILLING_MONTHLY] = 1, [MODEL_BILLING_ANNUAL] = 12,
                                         [MODEL_BILLING_TRIENNIAL] = 36};
    int64_t days = end > start ? (end - start + SIM_DAY - 1) / SIM_DAY : 0;
    uint64_t months = days > 0 ? (uint64_t)(days + 29) / 30 : 1, records = 0;
    for (size_t i = 0; i < model_count_subscriptions(w); i++) {
        model_sub_view v;
        model_subscription_view(w, (uint32_t)i, &v);
        int b = v.billing >= 0 && v.billing <= MODEL_BILLING_TRIENNIAL ? billing_months[v.billing] : 1;
        uint64_t r = rep_trace_records_estimate(v.term_months, b, months);
        records = records > UINT64_MAX - r ? UINT64_MAX : records + r;
    }
    return records > UINT64_MAX / REP_TRACE_BYTES_PER_RECORD ? UINT64_MAX : records * REP_TRACE_BYTES_PER_RECORD;
}

size_t rep_trace_default_sample(size_t tenants, uint64_t estimate)
{
    if (estimate <= REP_TRACE_DEFAULT_MAX)
        return 0;
    /* tenants x max / estimate in whole kilobytes: no overflow below 18 million million
     * tenants, no floating point */
    uint64_t k = (uint64_t)tenants * (REP_TRACE_DEFAULT_MAX / 1000) / (estimate / 1000);
    return k < 1 ? 1 : (size_t)k;
}

static uint64_t splitmix64(uint64_t x)
{
    x += UINT64_C(0x9E3779B97F4A7C15);
    x = (x ^ (x >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94D049BB133111EB);
    return x ^ (x >> 31);
}

typedef struct {
    uint64_t key;
    uint32_t idx;
} pick_key;

static int cmp_pick(const void *pa, const void *pb)
{
    const pick_key *a = pa, *b = pb;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

int rep_trace_sample_pick(uint64_t seed, size_t ntenants, size_t n, uint8_t *keep)
{
    if (n >= ntenants) {
        memset(keep, 1, ntenants);
        return 0;
    }
    memset(keep, 0, ntenants);
    if (n == 0)
        return 0;
    pick_key *k = malloc(ntenants * sizeof *k);
    if (!k)
        return -1;
    for (size_t i = 0; i < ntenants; i++) {
        k[i].key = splitmix64(seed ^ splitmix64((uint64_t)i + 1));
        k[i].idx = (uint32_t)i;
    }
    qsort(k, ntenants, sizeof *k, cmp_pick);
    for (size_t i = 0; i < n; i++)
        keep[k[i].idx] = 1;
    free(k);
    return 0;
}
