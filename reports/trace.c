/* reports/trace.c - trace.jsonl and trace.csv. A record is first turned into its column
 * texts (the columns of reports/trace_columns.h, one function filling them), then each
 * format writes those texts with its own quoting, so the two files cannot disagree on a
 * value. */
#include "trace.h"

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

struct rep_trace {
    const model_world *w;
    rep_out *jsonl, *csv;
};

/* The texts of one record; v[i] NULL or "" means the column is empty. */
typedef struct {
    const char *v[COL_COUNT];
    char seq[24], time[SIM_TIME_BUF], sub[REP_SUB_ID_BUF], tenant[MODEL_LABEL_BUF], licenses[24], amount[REP_MONEY_BUF];
} row;

const char *rep_trace_header(void)
{
    return header + 1;
}

void rep_money(char *buf, size_t size, int64_t minor)
{
    /* magnitude in unsigned arithmetic: -INT64_MIN does not fit an int64 */
    uint64_t mag = minor < 0 ? (uint64_t)0 - (uint64_t)minor : (uint64_t)minor;
    snprintf(buf, size, "%s%" PRIu64 ".%02u", minor < 0 ? "-" : "", mag / 100, (unsigned)(mag % 100));
}

const char *rep_sub_id(const model_world *w, uint32_t sub, char *buf)
{
    const char *id = model_subscription_label(w, sub, buf);
    if (id)
        return id;
    snprintf(buf, REP_SUB_ID_BUF, "s%" PRIu32, sub);
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

static void fill_row(const model_world *w, const model_record *r, row *out)
{
    memset(out->v, 0, sizeof out->v);
    snprintf(out->seq, sizeof out->seq, "%" PRIu64, r->seq);
    out->v[COL_SEQ] = out->seq;
    out->v[COL_TIME] = sim_format_instant(r->time, out->time);
    out->v[COL_KIND] = model_kind_name(r->kind);
    if (r->action >= 0)
        out->v[COL_ACTION] = model_action_name(r->action);
    out->v[COL_OUTCOME] = rep_outcome_name(r->outcome);
    out->v[COL_REASON] = model_reason_code(r->reason);
    out->v[COL_RULE] = model_rule_id(r->rule);
    if (r->tenant != MODEL_NONE)
        out->v[COL_TENANT] = model_tenant_label(w, r->tenant, out->tenant);
    if (r->partner != MODEL_NONE)
        out->v[COL_PARTNER] = model_partner_id(w, r->partner);
    if (r->subscription != MODEL_NONE)
        out->v[COL_SUBSCRIPTION] = rep_sub_id(w, r->subscription, out->sub);
    out->v[COL_FROM_STATE] = state_text(r->from_state);
    out->v[COL_TO_STATE] = state_text(r->to_state);
    if (r->has_licenses) {
        snprintf(out->licenses, sizeof out->licenses, "%" PRId64, r->licenses);
        out->v[COL_LICENSES] = out->licenses;
    }
    if (r->has_amount) {
        rep_money(out->amount, sizeof out->amount, r->amount);
        out->v[COL_AMOUNT] = out->amount;
    }
    out->v[COL_DETAIL] = r->detail;
}

static int empty(const char *s)
{
    return !s || !*s;
}

void rep_json_string(rep_out *o, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    rep_write(o, "\"", 1);
    const char *run = s; /* bytes not yet written that need no escape */
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c != '"' && c != '\\' && c >= 0x20)
            continue;
        rep_write(o, run, (size_t)(s - run));
        if (c == '"' || c == '\\') {
            char esc[2] = {'\\', (char)c};
            rep_write(o, esc, 2);
        } else {
            char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            rep_write(o, esc, 6);
        }
        run = s + 1;
    }
    rep_write(o, run, (size_t)(s - run));
    rep_write(o, "\"", 1);
}

static void write_jsonl(rep_out *o, const row *rw)
{
    for (int i = 0; i < COL_COUNT; i++) {
        rep_write(o, i ? ",\"" : "{\"", 2);
        rep_puts(o, columns[i].key);
        rep_write(o, "\":", 2);
        if (empty(rw->v[i]))
            rep_write(o, "null", 4);
        else if (columns[i].written == W_NUMBER)
            rep_puts(o, rw->v[i]);
        else
            rep_json_string(o, rw->v[i]);
    }
    rep_write(o, "}\n", 2);
}

/* RFC 4180: quoted when holding a comma, quote, CR or LF; quotes doubled. */
static void csv_field(rep_out *o, const char *s)
{
    if (empty(s))
        return;
    if (!strpbrk(s, ",\"\r\n")) {
        rep_puts(o, s);
        return;
    }
    rep_write(o, "\"", 1);
    for (const char *q; (q = strchr(s, '"')) != NULL; s = q) {
        q++;
        rep_write(o, s, (size_t)(q - s)); /* up to and with the quote */
        rep_write(o, "\"", 1);           /* which is doubled */
    }
    rep_puts(o, s);
    rep_write(o, "\"", 1);
}

static void write_csv(rep_out *o, const row *rw)
{
    for (int i = 0; i < COL_COUNT; i++) {
        if (i)
            rep_write(o, ",", 1);
        csv_field(o, rw->v[i]);
    }
    rep_write(o, "\n", 1);
}

rep_trace *rep_trace_new(const model_world *w, rep_out *jsonl, rep_out *csv)
{
    rep_trace *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->w = w;
    t->jsonl = jsonl;
    t->csv = csv;
    if (csv) {
        rep_puts(csv, rep_trace_header());
        rep_write(csv, "\n", 1);
    }
    return t;
}

void rep_trace_record(rep_trace *t, const model_record *r)
{
    row rw;
    fill_row(t->w, r, &rw);
    if (t->jsonl)
        write_jsonl(t->jsonl, &rw);
    if (t->csv)
        write_csv(t->csv, &rw);
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
    free(t);
}
