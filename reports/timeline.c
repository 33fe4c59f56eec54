/* reports/timeline.c - timeline.txt. Each record becomes its phrase (reports/phrase.h, the
 * one table per kind; scripted actions "<action> via <partner>"), then "accepted" or
 * "REJECTED: <reason>", its state change, its remaining detail and its rule id. Lines are
 * stored as the records arrive; sorting by (tenant, seq) at write time groups them per
 * tenant. */
#include "timeline.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "phrase.h"
#include "text.h"
#include "trace.h"

typedef struct {
    uint64_t seq;
    sim_time time;
    uint32_t tenant, sub;
    uint32_t len;
    size_t off; /* the phrase text in the timeline's text buffer */
} tl_line;

struct rep_timeline {
    const model_world *w;
    tl_line *lines;
    size_t nlines, cap_lines;
    char *text;
    size_t ntext, cap_text;
    int failed;
};

/* ---- building one line's text ---------------------------------------------------------- */

#define LINE_MAX_TEXT 768 /* a phrase, two ids, two states, a 192-byte detail, a rule: fits */
_Static_assert(REP_PHRASE_MAX <= LINE_MAX_TEXT, "a phrase fits its line");

/* The phrase (reports/phrase.h), then its outcome, state change, the rest of the detail
 * and the rule id. */
static void format_line(rep_text *b, const model_world *w, const model_record *r)
{
    rep_phrase ph;
    rep_phrase_of(w, r, &ph);
    rep_text_addn(b, ph.text, ph.len);
    int is_action = ph.is_action;
    if (is_action) {
        if (r->outcome == MODEL_OUTCOME_ACCEPTED) {
            rep_text_add(b, " accepted");
        } else if (r->outcome == MODEL_OUTCOME_REJECTED) {
            rep_text_add(b, " REJECTED");
            if (r->reason != MODEL_REASON_NONE) {
                rep_text_add(b, ": ");
                rep_text_add(b, model_reason_code(r->reason));
            }
        }
    } else if (rep_phrase_template(r->kind) && r->outcome == MODEL_OUTCOME_REJECTED) {
        /* a system step refused (LIM-1 at claim processing) */
        rep_text_add(b, " REJECTED: ");
        rep_text_add(b, model_reason_code(r->reason));
    }
    if (r->from_state >= 0 || r->to_state >= 0) {
        const char *from = r->from_state >= 0 ? model_state_name(r->from_state) : "?";
        const char *to = r->to_state >= 0 ? model_state_name(r->to_state) : "?";
        /* an action's phrase has no colon of its own; a system phrase may */
        rep_text_add(b, is_action ? ": " : " [");
        rep_text_add(b, from);
        rep_text_add(b, " -> ");
        rep_text_add(b, to);
        if (!is_action)
            rep_text_add(b, "]");
    }
    if (is_action && r->has_licenses) {
        char num[24];
        snprintf(num, sizeof num, ", %" PRId64 " licenses", r->licenses);
        rep_text_add(b, num);
    }
    if (ph.rest_len) {
        rep_text_add(b, " (");
        rep_text_addn(b, ph.rest, ph.rest_len);
        rep_text_add(b, ")");
    }
    if (r->rule != MODEL_RULE_NONE && *model_rule_id(r->rule)) {
        rep_text_add(b, " (");
        rep_text_add(b, model_rule_id(r->rule));
        rep_text_add(b, ")");
    }
    /* one record, one line: control characters from a detail would break that */
    for (size_t i = 0; i < b->len; i++)
        if ((unsigned char)b->buf[i] < 0x20 || b->buf[i] == 0x7f)
            b->buf[i] = ' ';
}

void rep_timeline_phrase(const model_world *w, const model_record *r, char *buf, size_t size)
{
    char line[LINE_MAX_TEXT];
    rep_text b = rep_text_over(line, sizeof line);
    format_line(&b, w, r);
    size_t n = b.len < size ? b.len : size - 1;
    memcpy(buf, b.buf, n);
    buf[n] = '\0';
}

/* ---- recording ------------------------------------------------------------------------- */

rep_timeline *rep_timeline_new(const model_world *w)
{
    rep_timeline *t = calloc(1, sizeof *t);
    if (t)
        t->w = w;
    return t;
}


void rep_timeline_record(rep_timeline *t, const model_record *r)
{
    if (t->failed)
        return;
    char line[LINE_MAX_TEXT];
    rep_text b = rep_text_over(line, sizeof line);
    format_line(&b, t->w, r);
    if (rep_grow((void **)&t->lines, &t->cap_lines, t->nlines + 1, sizeof *t->lines) < 0 ||
        rep_grow((void **)&t->text, &t->cap_text, t->ntext + b.len, 1) < 0) {
        t->failed = 1;
        return;
    }
    tl_line *l = &t->lines[t->nlines++];
    l->seq = r->seq;
    l->time = r->time;
    l->tenant = r->tenant;
    l->sub = r->subscription;
    l->len = (uint32_t)b.len;
    l->off = t->ntext;
    memcpy(t->text + t->ntext, b.buf, b.len);
    t->ntext += b.len;
}

static void sink_emit(void *ctx, const model_record *r)
{
    rep_timeline_record(ctx, r);
}

model_sink rep_timeline_sink(rep_timeline *t)
{
    model_sink s = {sink_emit, t};
    return s;
}

void rep_timeline_free(rep_timeline *t)
{
    if (!t)
        return;
    free(t->lines);
    free(t->text);
    free(t);
}

/* ---- writing --------------------------------------------------------------------------- */

static int by_tenant_seq(const void *pa, const void *pb)
{
    const tl_line *a = pa, *b = pb;
    return rep_order_tenant_seq(a->tenant, a->seq, b->tenant, b->seq);
}

static void write_spaces(rep_out *o, size_t n)
{
    static const char spaces[] = "                                ";
    while (n > 0) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        rep_write(o, spaces, k);
        n -= k;
    }
}

/* The description, words refilled to REP_TIMELINE_WIDTH; a blank line in it starts a new
 * paragraph. A word longer than the width stands alone on its line. */
static void write_wrapped(rep_out *o, const char *s)
{
    size_t col = 0;
    while (*s) {
        int newlines = 0;
        while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
            newlines += *s == '\n';
            s++;
        }
        if (!*s)
            break;
        if (newlines >= 2 && col > 0) {
            rep_puts(o, "\n\n");
            col = 0;
        }
        size_t n = strcspn(s, " \t\n\r");
        if (col > 0 && col + 1 + n > REP_TIMELINE_WIDTH) {
            rep_write(o, "\n", 1);
            col = 0;
        }
        if (col > 0) {
            rep_write(o, " ", 1);
            col++;
        }
        rep_write(o, s, n);
        col += n;
        s += n;
    }
    if (col > 0)
        rep_write(o, "\n", 1);
}

static void write_title(rep_out *o, const char *name, const char *description)
{
    const char *title = name && *name ? name : "(unnamed scenario)";
    rep_printf(o, "Scenario: %s\n", title);
    size_t n = strlen("Scenario: ") + strlen(title);
    for (size_t i = 0; i < n && i < REP_TIMELINE_WIDTH; i++)
        rep_write(o, "=", 1);
    rep_write(o, "\n", 1);
    if (description && *description)
        write_wrapped(o, description);
    rep_write(o, "\n", 1);
}

/* One tenant's section: lines[0..n), all of the same tenant. */
static void write_section(rep_out *o, const rep_timeline *t, const tl_line *lines, size_t n)
{
    const model_world *w = t->w;
    char idbuf[REP_SUB_ID_BUF], when[REP_MINUTE_BUF];
    size_t width = 0;
    for (size_t i = 0; i < n; i++) {
        if (lines[i].sub != MODEL_NONE) {
            size_t len = strlen(rep_sub_id(w, lines[i].sub, idbuf));
            width = len > width ? len : width;
        }
    }
    if (lines[0].tenant == MODEL_NONE)
        rep_puts(o, "== general ==\n");
    else
        rep_printf(o, "== tenant %s ==\n", model_tenant_id(w, lines[0].tenant));
    for (size_t i = 0; i < n; i++) {
        const tl_line *l = &lines[i];
        rep_puts(o, rep_minute(l->time, when));
        rep_write(o, "  ", 2);
        if (width > 0) {
            const char *id = l->sub != MODEL_NONE ? rep_sub_id(w, l->sub, idbuf) : "";
            rep_puts(o, id);
            write_spaces(o, width - strlen(id) + 2);
        }
        rep_write(o, t->text + l->off, l->len);
        rep_write(o, "\n", 1);
    }
    rep_write(o, "\n", 1);
}

static int metrics_zero(const model_metrics *m)
{
    return !m->data_loss_licenses && !m->interruption_days && !m->billed && !m->refunded &&
           !m->rejections && !m->double_billing_days;
}

/* The totals of tenants with lines (lines sorted by tenant) or with nonzero metrics. */
static void write_totals(rep_out *o, const rep_timeline *t)
{
    const model_world *w = t->w;
    size_t ntenants = model_count_tenants(w), li = 0;
    int header = 0;
    for (size_t i = 0; i < ntenants && !rep_out_failed(o); i++) {
        int has_lines = 0;
        while (li < t->nlines && t->lines[li].tenant < i)
            li++;
        if (li < t->nlines && t->lines[li].tenant == i)
            has_lines = 1;
        model_metrics m;
        model_metrics_tenant(w, (uint32_t)i, &m);
        if (!has_lines && metrics_zero(&m))
            continue;
        if (!header) {
            rep_puts(o, "== totals ==\n");
            header = 1;
        }
        char billed[REP_MONEY_BUF], refunded[REP_MONEY_BUF];
        rep_money(billed, sizeof billed, m.billed);
        rep_money(refunded, sizeof refunded, m.refunded);
        rep_printf(o,
                   "%s: data loss %" PRId64 " licenses, interruption %" PRId64
                   " days, billed %s, refunded %s, rejections %" PRId64,
                   model_tenant_id(w, (uint32_t)i), m.data_loss_licenses, m.interruption_days, billed,
                   refunded, m.rejections);
        if (m.double_billing_days) /* only where it happened: most tenants never pay twice */
            rep_printf(o, ", double billing %" PRId64 " days", m.double_billing_days);
        rep_puts(o, "\n");
    }
}

int rep_timeline_write(rep_timeline *t, rep_out *out, const char *scenario_name, const char *description)
{
    if (t->failed) {
        rep_out_fail(out, ENOMEM);
        return -1;
    }
    if (t->nlines > 1)
        qsort(t->lines, t->nlines, sizeof *t->lines, by_tenant_seq);
    write_title(out, scenario_name, description);
    for (size_t i = 0; i < t->nlines && !rep_out_failed(out);) {
        size_t j = i + 1;
        while (j < t->nlines && t->lines[j].tenant == t->lines[i].tenant)
            j++;
        write_section(out, t, t->lines + i, j - i);
        i = j;
    }
    write_totals(out, t);
    return rep_out_failed(out) ? -1 : 0;
}
