/* reports/html.c - report.html. Records are kept compactly as they arrive (their detail in
 * one text buffer) and sorted by (tenant, seq) at write time, like the timeline. Every byte
 * of text from outside (ids, details, descriptions, expectation texts) goes through esc(),
 * which escapes markup characters and replaces what XML forbids, so one function decides
 * whether the page stays well-formed. Chart files are the one exception: they are copied as
 * markup, trimmed to their <svg> element, without scripts, ids prefixed per chart
 * (reports/svg.h).
 * Reads files (the charts) but writes only to the sink. */
#include "html.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "phrase.h"
#include "svg.h"
#include "trace.h"

typedef struct {
    uint64_t seq;
    sim_time time;
    int64_t licenses, amount;
    size_t detail_off;
    uint32_t tenant, partner, sub;
    uint16_t detail_len;
    int8_t kind, action, outcome, from_state, to_state, has_licenses, has_amount;
    uint8_t reason, rule;
} html_rec;

struct rep_html {
    const model_world *w;
    html_rec *recs;
    size_t nrecs, cap_recs;
    char *text;
    size_t ntext, cap_text;
    uint64_t seen; /* records given, kept or not */
    uint64_t notable; /* a population's notable records, kept or not */
    int population;   /* more than REP_HTML_POPULATION_TENANTS tenants */
    int failed;
};

static const char css[] =
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2328;"
    "margin:0 auto;max-width:1200px;padding:1.5em 2em;background:#fff}\n"
    "h1{font-size:1.8em;margin:.2em 0}h2{font-size:1.3em;margin-top:1.8em;border-bottom:2px solid #d0d7de;"
    "padding-bottom:.2em}h3{font-size:1.05em;margin:1.4em 0 .4em}\n"
    ".meta{color:#59636e;font-size:.9em}.desc{white-space:pre-line;max-width:60em}\n"
    ".note{background:#fff8c5;border:1px solid #d4a72c;padding:.4em .8em;border-radius:4px}\n"
    ".cards{display:flex;flex-wrap:wrap;gap:.8em;margin:.8em 0}\n"
    ".card{border:1px solid #d0d7de;border-radius:6px;padding:.6em 1em;min-width:10em;background:#f6f8fa}\n"
    ".card .v{font-size:1.6em;font-weight:600;display:block}.card .k{color:#59636e;font-size:.85em}\n"
    ".card.bad{background:#ffebe9;border-color:#cf222e}.card.bad .v{color:#cf222e}\n"
    "table{border-collapse:collapse;width:100%;margin:.4em 0}\n"
    "th,td{text-align:left;padding:.25em .6em;border-bottom:1px solid #e5e8eb;vertical-align:top}\n"
    "th{background:#f6f8fa;font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    "td.t{white-space:nowrap;font-variant-numeric:tabular-nums;color:#59636e}td.s{white-space:nowrap}\n"
    ".bar{background:#0969da;height:.7em;border-radius:2px;min-width:1px}td.b{width:40%}\n"
    "tr.rej td{background:#fff1e5}tr.rej .o{color:#bc4c00;font-weight:600}\n"
    "tr.loss td{background:#ffebe9;color:#82071e;font-weight:600}\n"
    "tr.warn td{background:#fbf8ef}tr.fail td{background:#ffebe9}tr.pass .o{color:#1a7f37;font-weight:600}\n"
    "tr.fail .o{color:#cf222e;font-weight:600}\n"
    ".d{color:#59636e;font-size:.85em}abbr{text-decoration:underline dotted;cursor:help}\n"
    ".chart{margin:1em 0}.chart svg{max-width:100%;height:auto}\n"
    ".toc a{margin-right:.8em}a.r{color:inherit}\n"
    "table.rules td.id{white-space:nowrap;font-weight:600}table.rules td.src{color:#59636e;font-size:.9em}\n"
    /* handouts: the whole width, no navigation, no row or chart split across pages, and the
     * highlight colours printed (browsers drop backgrounds unless asked) */
    "@page{margin:1.5cm}\n"
    "@media print{body{max-width:none;padding:0;font-size:10pt;color:#000}\n"
    ".toc{display:none}a,a.r{color:#000;text-decoration:none}abbr{text-decoration:none}\n"
    "h2,h3{break-after:avoid;page-break-after:avoid}\n"
    "tr,.card,.chart,.note{break-inside:avoid;page-break-inside:avoid}\n"
    "th{background:#eee}tr.rej td,tr.loss td,tr.warn td,tr.fail td,.card,.bar,.note{"
    "-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    ".chart svg{width:100%;height:auto}}\n";

/* ---- recording ------------------------------------------------------------------------- */

rep_html *rep_html_new(const model_world *w)
{
    rep_html *h = calloc(1, sizeof *h);
    if (h) {
        h->w = w;
        h->population = model_count_tenants(w) > REP_HTML_POPULATION_TENANTS;
    }
    return h;
}

void rep_html_free(rep_html *h)
{
    if (!h)
        return;
    free(h->recs);
    free(h->text);
    free(h);
}


/* What a population's page lists: what an analyst looks for first. */
static int is_notable(const model_record *r)
{
    return r->outcome == MODEL_OUTCOME_REJECTED || r->kind == MODEL_KIND_DATA_LOSS ||
           r->kind == MODEL_KIND_DOUBLE_BILLING_STARTED || r->kind == MODEL_KIND_DOUBLE_BILLING_ENDED;
}

void rep_html_record(rep_html *h, const model_record *r)
{
    h->seen++;
    if (h->population) {
        if (!is_notable(r) || h->notable++ >= REP_HTML_MAX_NOTABLE)
            return;
    }
    if (h->failed || h->nrecs >= REP_HTML_MAX_RECORDS)
        return;
    size_t dlen = strnlen(r->detail, MODEL_DETAIL_MAX);
    if (rep_grow((void **)&h->recs, &h->cap_recs, h->nrecs + 1, sizeof *h->recs) < 0 ||
        rep_grow((void **)&h->text, &h->cap_text, h->ntext + dlen, 1) < 0) {
        h->failed = 1;
        return;
    }
    html_rec *k = &h->recs[h->nrecs++];
    k->seq = r->seq;
    k->time = r->time;
    k->licenses = r->licenses;
    k->amount = r->amount;
    k->tenant = r->tenant;
    k->partner = r->partner;
    k->sub = r->subscription;
    k->kind = (int8_t)r->kind;
    k->action = (int8_t)r->action;
    k->outcome = (int8_t)r->outcome;
    k->reason = (uint8_t)r->reason;
    k->rule = (uint8_t)r->rule;
    k->from_state = (int8_t)r->from_state;
    k->to_state = (int8_t)r->to_state;
    k->has_licenses = (int8_t)(r->has_licenses != 0);
    k->has_amount = (int8_t)(r->has_amount != 0);
    k->detail_off = h->ntext;
    k->detail_len = (uint16_t)dlen;
    if (dlen) { /* text stays NULL until a record has a detail */
        memcpy(h->text + h->ntext, r->detail, dlen);
        h->ntext += dlen;
    }
}

static void sink_emit(void *ctx, const model_record *r)
{
    rep_html_record(ctx, r);
}

model_sink rep_html_sink(rep_html *h)
{
    model_sink s = {sink_emit, h};
    return s;
}

/* ---- escaping -------------------------------------------------------------------------- */

/* The length of the valid UTF-8 sequence at s (n bytes left), or 0 when it is not valid or
 * encodes a character XML forbids (U+FFFE, U+FFFF). Surrogates and overlong forms are
 * invalid by the lead/second-byte ranges of Unicode's table 3-7. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    if (len == 3 && c == 0xEF && s[1] == 0xBF && s[2] >= 0xBE)
        return 0;
    return len;
}

/* n bytes of s as text or attribute content: & < > " ' as references, control bytes other
 * than tab and newline as spaces, invalid UTF-8 as U+FFFD. Safe in both contexts. */
static void esc_n(rep_out *o, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t run = 0; /* start of the bytes not yet written that need nothing */
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        const char *rep = NULL;
        if (c >= 0x80) {
            size_t len = utf8_len(p + i, n - i);
            if (len) {
                i += len;
                continue;
            }
            rep = "\xEF\xBF\xBD";
        } else if (c == '&')
            rep = "&amp;";
        else if (c == '<')
            rep = "&lt;";
        else if (c == '>')
            rep = "&gt;";
        else if (c == '"')
            rep = "&quot;";
        else if (c == '\'')
            rep = "&#39;";
        else if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
            rep = " ";
        else {
            i++;
            continue;
        }
        rep_write(o, s + run, i - run);
        rep_puts(o, rep);
        run = ++i;
    }
    rep_write(o, s + run, n - run);
}

static void esc(rep_out *o, const char *s)
{
    if (s)
        esc_n(o, s, strlen(s));
}

static void money(rep_out *o, int64_t minor)
{
    char buf[REP_MONEY_BUF];
    rep_money(buf, sizeof buf, minor);
    rep_puts(o, buf);
}

/* ---- the page -------------------------------------------------------------------------- */

static void write_head(rep_out *o, const rep_html_meta *m)
{
    const char *name = m->scenario_name && *m->scenario_name ? m->scenario_name : "(unnamed scenario)";
    rep_puts(o, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n"
                "<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
                "<title>cspsim: ");
    esc(o, name);
    rep_puts(o, "</title>\n<style>\n");
    rep_puts(o, css);
    rep_puts(o, "</style>\n</head>\n<body>\n<h1>");
    esc(o, name);
    rep_puts(o, "</h1>\n<p class=\"meta\">cspsim report &#183; seed ");
    rep_printf(o, "%" PRIu64, m->seed);
    if (m->fingerprint && *m->fingerprint) {
        rep_puts(o, " &#183; fingerprint <code>");
        esc(o, m->fingerprint);
        rep_puts(o, "</code>");
    }
    rep_puts(o, "</p>\n");
    if (m->noverrides) {
        rep_puts(o, "<p class=\"meta\">overrides:");
        for (size_t i = 0; i < m->noverrides; i++) {
            rep_puts(o, i ? ", <code>" : " <code>");
            esc(o, m->override_paths[i]);
            rep_puts(o, "=");
            esc(o, m->override_values[i]);
            rep_puts(o, "</code>");
        }
        rep_puts(o, "</p>\n");
    }
    if (m->description && *m->description) {
        rep_puts(o, "<p class=\"desc\">");
        esc(o, m->description);
        rep_puts(o, "</p>\n");
    }
}

static void card(rep_out *o, const char *label, int64_t v, int is_money, int bad_when_nonzero)
{
    rep_printf(o, "<div class=\"card%s\"><span class=\"v\">", bad_when_nonzero && v ? " bad" : "");
    if (is_money)
        money(o, v);
    else
        rep_printf(o, "%" PRId64, v);
    rep_printf(o, "</span><span class=\"k\">%s</span></div>\n", label);
}

/* Width of a bar for v against max, in whole percent (integers: no locale, no rounding drift). */
static int64_t percent(int64_t v, int64_t max)
{
    if (v <= 0 || max <= 0)
        return 0;
    /* v <= max; divide first when v * 100 could overflow */
    int64_t p = v > INT64_MAX / 100 ? v / (max / 100 ? max / 100 : 1) : v * 100 / max;
    return p < 1 ? 1 : p > 100 ? 100 : p;
}

static void partner_row(rep_out *o, const char *id, int64_t billed, int64_t refunded, int64_t max)
{
    rep_puts(o, "<tr><td>");
    esc(o, id);
    rep_puts(o, "</td><td class=\"n\">");
    money(o, billed);
    rep_puts(o, "</td><td class=\"n\">");
    money(o, refunded);
    rep_printf(o, "</td><td class=\"b\"><div class=\"bar\" style=\"width:%" PRId64 "%%\"></div></td></tr>\n",
               percent(billed, max));
}

static void write_summary(rep_out *o, const rep_html *h)
{
    const model_world *w = h->w;
    model_metrics m;
    model_metrics_total(w, &m);
    rep_puts(o, "<h2 id=\"summary\">Summary</h2>\n<div class=\"cards\">\n");
    card(o, "licenses with data loss", m.data_loss_licenses, 0, 1);
    card(o, "interruption days", m.interruption_days, 0, 1);
    card(o, "billed", m.billed, 1, 0);
    card(o, "refunded", m.refunded, 1, 0);
    card(o, "rejected actions", m.rejections, 0, 1);
    card(o, "double billing days", m.double_billing_days, 0, 1);
    rep_puts(o, "</div>\n");
    rep_printf(o, "<p class=\"meta\">%zu tenants, %zu subscriptions, %" PRIu64 " events, %" PRIu64 " records.</p>\n",
               model_count_tenants(w), model_count_subscriptions(w), model_events_processed(w),
               model_records_emitted(w));

    size_t np = model_count_partners(w);
    int64_t billed, refunded, wd_billed, wd_refunded, max = 0;
    model_metrics_partner(w, MODEL_NONE, &wd_billed, &wd_refunded);
    for (size_t i = 0; i < np; i++) {
        model_metrics_partner(w, (uint32_t)i, &billed, &refunded);
        max = billed > max ? billed : max;
    }
    max = wd_billed > max ? wd_billed : max;
    if (np == 0 && !wd_billed && !wd_refunded)
        return;
    rep_puts(o, "<h3>Billed per partner</h3>\n<table>\n<tr><th>partner</th><th class=\"n\">billed</th>"
                "<th class=\"n\">refunded</th><th></th></tr>\n");
    for (size_t i = 0; i < np && !rep_out_failed(o); i++) {
        model_metrics_partner(w, (uint32_t)i, &billed, &refunded);
        partner_row(o, model_partner_id(w, (uint32_t)i), billed, refunded, max);
    }
    if (wd_billed || wd_refunded)
        partner_row(o, "web-direct (customer-billed)", wd_billed, wd_refunded, max);
    rep_puts(o, "</table>\n");
    /* REL-6: beside the partners, what their indirect providers did for each reseller */
    int resellers = 0;
    for (size_t i = 0; i < np && !resellers; i++)
        resellers = model_partner_type_get(w, (uint32_t)i) == MODEL_PARTNER_INDIRECT_RESELLER;
    if (!resellers)
        return;
    rep_puts(o, "<h3>Billed per reseller (by its indirect providers)</h3>\n<table>\n<tr><th>reseller</th>"
                "<th class=\"n\">billed</th><th class=\"n\">refunded</th><th class=\"n\">subscriptions</th></tr>\n");
    for (size_t i = 0; i < np && !rep_out_failed(o); i++) {
        if (model_partner_type_get(w, (uint32_t)i) != MODEL_PARTNER_INDIRECT_RESELLER)
            continue;
        model_reseller_figures rf;
        model_reseller_figures_get(w, (uint32_t)i, &rf);
        rep_puts(o, "<tr><td>");
        esc(o, model_partner_id(w, (uint32_t)i));
        rep_puts(o, "</td><td class=\"n\">");
        money(o, rf.billed);
        rep_puts(o, "</td><td class=\"n\">");
        money(o, rf.refunded);
        rep_printf(o, "</td><td class=\"n\">%" PRId64 "</td></tr>\n", rf.subscriptions);
    }
    rep_puts(o, "</table>\n");
}

/* ---- charts ---------------------------------------------------------------------------- */

static void chart_note(rep_out *o, const char *path, const char *why)
{
    rep_puts(o, "<p class=\"note\">Chart not available: ");
    esc(o, path);
    rep_puts(o, " (");
    esc(o, why);
    rep_puts(o, ").</p>\n");
}

/* Reads the whole file (at most REP_HTML_SVG_MAX bytes) into a new buffer; NULL with a
 * reason in *why when it cannot. */
static char *read_file(const char *path, size_t *len, const char **why)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        *why = strerror(errno);
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n == cap) {
            if (cap > REP_HTML_SVG_MAX) {
                free(buf);
                buf = NULL;
                *why = "file too large";
                break;
            }
            char *b = realloc(buf, cap * 2);
            if (!b) {
                free(buf);
                buf = NULL;
                *why = "out of memory";
                break;
            }
            buf = b;
            cap *= 2;
        }
        size_t k = fread(buf + n, 1, cap - n, f);
        n += k;
        if (k == 0) {
            if (ferror(f)) {
                free(buf);
                buf = NULL;
                *why = "read error";
            } else if (n > REP_HTML_SVG_MAX) {
                free(buf);
                buf = NULL;
                *why = "file too large";
            }
            break;
        }
    }
    if (!buf && !*why)
        *why = "out of memory";
    fclose(f);
    *len = n;
    return buf;
}

/* Chart i: its ids are prefixed "cI-" so that charts drawn by one tool (same ids) do not
 * take each other's definitions. */
static void write_chart(rep_out *o, size_t i, const char *path, const char *title)
{
    char prefix[32];
    snprintf(prefix, sizeof prefix, "c%zu-", i + 1);
    const char *why = NULL;
    size_t n = 0;
    rep_puts(o, "<div class=\"chart\">\n<h3>");
    esc(o, title ? title : path);
    rep_puts(o, "</h3>\n");
    char *buf = read_file(path, &n, &why);
    if (!buf) {
        chart_note(o, path, why);
    } else {
        if (rep_svg_inline(o, buf, n, prefix, &why) < 0)
            chart_note(o, path, why);
        else
            rep_write(o, "\n", 1);
        free(buf);
    }
    if (why && strcmp(why, "out of memory") == 0)
        rep_out_fail(o, ENOMEM); /* a chart left out for want of memory is no report */
    rep_puts(o, "</div>\n");
}

static void write_charts(rep_out *o, const rep_html_meta *m)
{
    if (!m->nsvg || !m->svg_paths)
        return;
    rep_puts(o, "<h2 id=\"charts\">Charts</h2>\n");
    for (size_t i = 0; i < m->nsvg && !rep_out_failed(o); i++)
        write_chart(o, i, m->svg_paths[i] ? m->svg_paths[i] : "(no path)", m->svg_titles ? m->svg_titles[i] : NULL);
}

/* ---- timeline -------------------------------------------------------------------------- */

static int by_tenant_seq(const void *pa, const void *pb)
{
    const html_rec *a = pa, *b = pb;
    return rep_order_tenant_seq(a->tenant, a->seq, b->tenant, b->seq);
}

static const char *row_class(const html_rec *k)
{
    if (k->kind == MODEL_KIND_DATA_LOSS)
        return " class=\"loss\"";
    if (k->outcome == MODEL_OUTCOME_REJECTED)
        return " class=\"rej\"";
    if (k->kind == MODEL_KIND_DELETED || k->kind == MODEL_KIND_DISABLED || k->kind == MODEL_KIND_EXPIRED ||
        k->kind == MODEL_KIND_DOUBLE_BILLING_STARTED)
        return " class=\"warn\"";
    return "";
}

/* The shared phrase of a kept record (the record rebuilt from its compact copy). */
static void phrase_of(const rep_html *h, const html_rec *k, rep_phrase *ph)
{
    model_record r;
    memset(&r, 0, sizeof r);
    r.seq = k->seq;
    r.time = k->time;
    r.kind = (model_kind)k->kind;
    r.action = k->action;
    r.outcome = (model_outcome)k->outcome;
    r.reason = (model_reason)k->reason;
    r.rule = (model_rule)k->rule;
    r.tenant = k->tenant;
    r.partner = k->partner;
    r.subscription = k->sub;
    r.from_state = k->from_state;
    r.to_state = k->to_state;
    r.has_licenses = k->has_licenses;
    r.has_amount = k->has_amount;
    r.licenses = k->licenses;
    r.amount = k->amount;
    size_t n = k->detail_len < MODEL_DETAIL_MAX ? k->detail_len : MODEL_DETAIL_MAX - 1;
    if (n) /* text is NULL until a record has a detail */
        memcpy(r.detail, h->text + k->detail_off, n);
    r.detail[n] = '\0';
    rep_phrase_of(h->w, &r, ph);
}

/* Nonzero when a record's rule is one the page names (and lists under Rules cited). */
static int cited(model_rule rule)
{
    return rule != MODEL_RULE_NONE && rule < MODEL_RULE_COUNT && *model_rule_id(rule);
}

static void write_row(rep_out *o, const rep_html *h, const html_rec *k, int with_tenant)
{
    const model_world *w = h->w;
    char when[REP_MINUTE_BUF], idbuf[REP_SUB_ID_BUF];
    rep_printf(o, "<tr%s><td class=\"t\">", row_class(k));
    rep_puts(o, rep_minute(k->time, when));
    if (with_tenant) {
        rep_puts(o, "</td><td class=\"s\">");
        if (k->tenant != MODEL_NONE)
            esc(o, model_tenant_id(w, k->tenant));
    }
    rep_puts(o, "</td><td class=\"s\">");
    if (k->sub != MODEL_NONE)
        esc(o, rep_sub_id(w, k->sub, idbuf));
    rep_puts(o, "</td><td>");

    rep_phrase ph;
    phrase_of(h, k, &ph);
    esc_n(o, ph.text, ph.len);
    if (k->has_amount && !ph.used_amount) {
        rep_write(o, " ", 1);
        money(o, k->amount);
    }
    if (k->has_licenses && !ph.used_licenses)
        rep_printf(o, ", %" PRId64 " licenses", k->licenses);
    if (k->from_state >= 0 || k->to_state >= 0) {
        rep_puts(o, " <span class=\"d\">(");
        esc(o, k->from_state >= 0 ? model_state_name(k->from_state) : "?");
        rep_puts(o, " &#8594; ");
        esc(o, k->to_state >= 0 ? model_state_name(k->to_state) : "?");
        rep_puts(o, ")</span>");
    }
    if (ph.rest_len) {
        rep_puts(o, "<br/><span class=\"d\">");
        esc_n(o, ph.rest, ph.rest_len);
        rep_puts(o, "</span>");
    }

    rep_puts(o, "</td><td class=\"o\">");
    if (k->outcome == MODEL_OUTCOME_ACCEPTED) {
        rep_puts(o, "accepted");
    } else if (k->outcome == MODEL_OUTCOME_REJECTED) {
        rep_puts(o, "REJECTED");
        if (k->reason != MODEL_REASON_NONE && k->reason < MODEL_REASON_COUNT) {
            rep_puts(o, ": ");
            esc(o, model_reason_code((model_reason)k->reason));
        }
    } else if (k->kind == MODEL_KIND_DATA_LOSS) {
        rep_puts(o, "data lost");
    }
    rep_puts(o, "</td><td>");
    model_rule rule = (model_rule)k->rule;
    if (cited(rule)) {
        rep_puts(o, "<a class=\"r\" href=\"#rule-");
        esc(o, model_rule_id(rule));
        rep_puts(o, "\"><abbr title=\"");
        esc(o, model_rule_text(rule));
        rep_puts(o, " \xE2\x80\x94 ");
        esc(o, model_rule_source(rule));
        rep_puts(o, "\">");
        esc(o, model_rule_id(rule));
        rep_puts(o, "</abbr></a>");
    }
    rep_puts(o, "</td></tr>\n");
}

static void section_title(rep_out *o, const rep_html *h, uint32_t tenant)
{
    if (tenant == MODEL_NONE) {
        rep_puts(o, "<h3 id=\"general\">General</h3>\n");
        return;
    }
    model_metrics m;
    model_metrics_tenant(h->w, tenant, &m);
    rep_printf(o, "<h3 id=\"t%" PRIu32 "\">Tenant ", tenant);
    esc(o, model_tenant_id(h->w, tenant));
    rep_puts(o, "</h3>\n<p class=\"meta\">");
    rep_printf(o, "data loss %" PRId64 " licenses &#183; interruption %" PRId64 " days &#183; billed ",
               m.data_loss_licenses, m.interruption_days);
    money(o, m.billed);
    rep_puts(o, " &#183; refunded ");
    money(o, m.refunded);
    rep_printf(o, " &#183; rejections %" PRId64, m.rejections);
    if (m.double_billing_days)
        rep_printf(o, " &#183; <strong>double billing %" PRId64 " days</strong>", m.double_billing_days);
    rep_puts(o, "</p>\n");
}

static void write_timeline(rep_out *o, rep_html *h)
{
    rep_puts(o, "<h2 id=\"timeline\">Timeline per tenant</h2>\n");
    if (h->seen > h->nrecs)
        rep_printf(o,
                   "<p class=\"note\">The timeline was cut: it shows the first %zu of %" PRIu64
                   " records (REP_HTML_MAX_RECORDS); trace.jsonl has them all.</p>\n",
                   h->nrecs, h->seen);
    if (h->nrecs == 0) {
        rep_puts(o, "<p>No records.</p>\n");
        return;
    }
    if (h->nrecs > 1)
        qsort(h->recs, h->nrecs, sizeof *h->recs, by_tenant_seq);
    rep_puts(o, "<p class=\"toc\">");
    for (size_t i = 0; i < h->nrecs; i++) {
        if (i > 0 && h->recs[i].tenant == h->recs[i - 1].tenant)
            continue;
        if (h->recs[i].tenant == MODEL_NONE) {
            rep_puts(o, "<a href=\"#general\">general</a> ");
        } else {
            rep_printf(o, "<a href=\"#t%" PRIu32 "\">", h->recs[i].tenant);
            esc(o, model_tenant_id(h->w, h->recs[i].tenant));
            rep_puts(o, "</a> ");
        }
    }
    rep_puts(o, "</p>\n<p class=\"meta\">Each rule id leads to the rule's text and source under "
                "<a href=\"#rules\">Rules cited</a> (hovering shows them too). "
                "Rejected actions and data loss are highlighted.</p>\n");
    for (size_t i = 0; i < h->nrecs && !rep_out_failed(o);) {
        size_t j = i + 1;
        while (j < h->nrecs && h->recs[j].tenant == h->recs[i].tenant)
            j++;
        section_title(o, h, h->recs[i].tenant);
        rep_puts(o, "<table>\n<tr><th>time (UTC)</th><th>subscription</th><th>what happened</th>"
                    "<th>outcome / reason</th><th>rule</th></tr>\n");
        for (size_t k = i; k < j; k++)
            write_row(o, h, &h->recs[k], 0);
        rep_puts(o, "</table>\n");
        i = j;
    }
}

/* ---- a population's page ------------------------------------------------------------------ */

/* The figure a worst-tenants table ranks by. */
static int64_t worst_key(const model_metrics *m, int which)
{
    return which == 0 ? m->data_loss_licenses : which == 1 ? m->double_billing_days : m->rejections;
}

/* Three tables of the REP_HTML_WORST tenants with the most data loss, double billing and
 * rejections (ties: the lower tenant index first; tenants at zero are not listed). One pass
 * over the tenants per table, an insertion into at most REP_HTML_WORST rows each. */
static void write_worst(rep_out *o, const rep_html *h)
{
    static const char *const titles[3] = {"licenses with data loss", "double-billing days", "rejected actions"};
    const model_world *w = h->w;
    size_t nt = model_count_tenants(w);
    rep_puts(o, "<h2 id=\"worst\">Worst tenants</h2>\n");
    rep_printf(o, "<p class=\"meta\">The %d tenants with the most of each, of %zu; the whole list is in "
                  "summary.json.</p>\n", REP_HTML_WORST, nt);
    for (int which = 0; which < 3; which++) {
        uint32_t top[REP_HTML_WORST];
        int64_t key[REP_HTML_WORST];
        size_t n = 0;
        for (size_t t = 0; t < nt; t++) {
            model_metrics m;
            model_metrics_tenant(w, (uint32_t)t, &m);
            int64_t k = worst_key(&m, which);
            if (k <= 0 || (n == REP_HTML_WORST && k <= key[n - 1]))
                continue;
            size_t at = n < REP_HTML_WORST ? n++ : n - 1;
            while (at > 0 && key[at - 1] < k) {
                key[at] = key[at - 1];
                top[at] = top[at - 1];
                at--;
            }
            key[at] = k;
            top[at] = (uint32_t)t;
        }
        rep_printf(o, "<h3>By %s</h3>\n", titles[which]);
        if (n == 0) {
            rep_printf(o, "<p>No tenant has %s.</p>\n", titles[which]);
            continue;
        }
        rep_puts(o, "<table>\n<tr><th>tenant</th><th class=\"n\">data loss (licenses)</th>"
                    "<th class=\"n\">double-billing days</th><th class=\"n\">rejections</th>"
                    "<th class=\"n\">interruption days</th><th class=\"n\">billed</th></tr>\n");
        for (size_t i = 0; i < n; i++) {
            model_metrics m;
            model_metrics_tenant(w, top[i], &m);
            rep_puts(o, "<tr><td>");
            esc(o, model_tenant_id(w, top[i]));
            rep_printf(o, "</td><td class=\"n\">%" PRId64 "</td><td class=\"n\">%" PRId64 "</td><td class=\"n\">%" PRId64
                          "</td><td class=\"n\">%" PRId64 "</td><td class=\"n\">",
                       m.data_loss_licenses, m.double_billing_days, m.rejections, m.interruption_days);
            money(o, m.billed);
            rep_puts(o, "</td></tr>\n");
        }
        rep_puts(o, "</table>\n");
    }
}

/* The notable records in trace order, with their tenant. */
static void write_notable(rep_out *o, const rep_html *h)
{
    rep_puts(o, "<h2 id=\"timeline\">Notable records</h2>\n");
    rep_printf(o, "<p class=\"meta\">Rejected actions, data loss and double billing, in the order they "
                  "happened: %" PRIu64 " of %" PRIu64 " records.", h->notable, h->seen);
    if (h->notable > h->nrecs)
        rep_printf(o, " The first %zu are shown; %" PRIu64 " more are in the trace "
                      "(<code>cspsim trace DIR --kind data_loss</code>).",
                   h->nrecs, h->notable - h->nrecs);
    rep_puts(o, "</p>\n");
    if (h->nrecs == 0)
        return;
    rep_puts(o, "<table>\n<tr><th>time (UTC)</th><th>tenant</th><th>subscription</th><th>what happened</th>"
                "<th>outcome / reason</th><th>rule</th></tr>\n");
    for (size_t k = 0; k < h->nrecs && !rep_out_failed(o); k++)
        write_row(o, h, &h->recs[k], 1);
    rep_puts(o, "</table>\n");
}

/* Every rule a kept record cites, in catalog order, with its text and source: the page's
 * references, readable on a projector or on paper where hovering does not reach. */
static void write_rules(rep_out *o, const rep_html *h)
{
    unsigned char used[MODEL_RULE_COUNT] = {0};
    size_t n = 0;
    for (size_t i = 0; i < h->nrecs; i++) {
        model_rule r = (model_rule)h->recs[i].rule;
        if (cited(r) && !used[r]) {
            used[r] = 1;
            n++;
        }
    }
    if (n == 0)
        return;
    rep_printf(o, "<h2 id=\"rules\">Rules cited</h2>\n<p class=\"meta\">The %zu rule%s this run's records "
                  "cite, as cspsim applies them (<code>cspsim explain RULE</code> gives the parameters).</p>\n",
               n, n == 1 ? "" : "s");
    rep_puts(o, "<table class=\"rules\">\n<tr><th>rule</th><th>what it says</th><th>source</th></tr>\n");
    for (int r = 0; r < MODEL_RULE_COUNT; r++) {
        if (!used[r])
            continue;
        rep_puts(o, "<tr id=\"rule-");
        esc(o, model_rule_id((model_rule)r));
        rep_puts(o, "\"><td class=\"id\">");
        esc(o, model_rule_id((model_rule)r));
        rep_puts(o, "</td><td>");
        esc(o, model_rule_text((model_rule)r));
        rep_puts(o, "</td><td class=\"src\">");
        esc(o, model_rule_source((model_rule)r));
        rep_puts(o, "</td></tr>\n");
    }
    rep_puts(o, "</table>\n");
}

/* ---- expectations ---------------------------------------------------------------------- */

static void write_expects(rep_out *o, const rep_html_meta *m)
{
    if (!m->nexpects || !m->expects)
        return;
    size_t failed = 0, skipped = 0;
    for (size_t i = 0; i < m->nexpects; i++) {
        failed += m->expects[i].failure != NULL;
        skipped += !m->expects[i].failure && m->expects[i].skipped;
    }
    rep_puts(o, "<h2 id=\"expectations\">Expectations</h2>\n");
    if (m->expects_judged && skipped)
        rep_printf(o, "<p><strong>%zu passed, %zu failed, %zu skipped</strong> of %zu.</p>\n",
                   m->nexpects - failed - skipped, failed, skipped, m->nexpects);
    else if (m->expects_judged)
        rep_printf(o, "<p><strong>%zu passed, %zu failed</strong> of %zu.</p>\n", m->nexpects - failed, failed,
                   m->nexpects);
    else
        rep_printf(o, "<p>%zu expectations, not judged in this run.</p>\n", m->nexpects);
    rep_puts(o, "<table>\n<tr><th class=\"n\">line</th>");
    if (m->expects_judged)
        rep_puts(o, "<th>result</th>");
    rep_puts(o, "<th>expectation</th>");
    if (m->expects_judged)
        rep_puts(o, "<th>failure</th>");
    rep_puts(o, "</tr>\n");
    for (size_t i = 0; i < m->nexpects && !rep_out_failed(o); i++) {
        const rep_html_expect *e = &m->expects[i];
        int fail = m->expects_judged && e->failure, skip = m->expects_judged && !fail && e->skipped;
        rep_printf(o, "<tr%s><td class=\"n\">%d</td>",
                   !m->expects_judged ? ""
                   : fail            ? " class=\"fail\""
                   : skip            ? " class=\"skip\""
                                     : " class=\"pass\"",
                   e->line);
        if (m->expects_judged)
            rep_puts(o, fail ? "<td class=\"o\">FAIL</td>" : skip ? "<td class=\"o\">SKIP</td>" : "<td class=\"o\">PASS</td>");
        rep_puts(o, "<td><code>");
        esc(o, e->text);
        rep_puts(o, "</code></td>");
        if (m->expects_judged) {
            rep_puts(o, "<td>");
            esc(o, fail ? e->failure : skip ? e->skipped : NULL);
            rep_puts(o, "</td>");
        }
        rep_puts(o, "</tr>\n");
    }
    rep_puts(o, "</table>\n");
}

int rep_html_write(rep_html *h, rep_out *out, const rep_html_meta *m)
{
    if (h->failed) {
        rep_out_fail(out, ENOMEM);
        return -1;
    }
    rep_html_meta none;
    if (!m) {
        memset(&none, 0, sizeof none);
        m = &none;
    }
    write_head(out, m);
    write_summary(out, h);
    write_charts(out, m);
    write_expects(out, m);
    if (h->population) {
        write_worst(out, h);
        write_notable(out, h);
    } else {
        write_timeline(out, h);
    }
    write_rules(out, h);
    rep_puts(out, "<p class=\"meta\">Generated by cspsim from the run's records; the same scenario and seed "
                  "give the same page.</p>\n</body>\n</html>\n");
    return rep_out_failed(out) ? -1 : 0;
}
