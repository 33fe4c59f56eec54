/* reports/html.c - report.html. Records are kept compactly as they arrive (their detail in
 * one text buffer) and sorted by (tenant, seq) at write time, like the timeline. Every byte
 * of text from outside (ids, details, descriptions, expectation texts) goes through esc(),
 * which escapes markup characters and replaces what XML forbids, so one function decides
 * whether the page stays well-formed. Chart files are the one exception: they are copied as
 * markup, trimmed to their <svg> element, without scripts, ids prefixed per chart (copy_svg).
 * Reads files (the charts) but writes only to the sink. */
#include "html.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    int failed;
};

/* What a system record says; NULL falls back to the kind's name. */
static const char *const phrases[MODEL_KIND_COUNT] = {
    [MODEL_KIND_SUBSCRIPTION_CREATED] = "subscription created",
    [MODEL_KIND_RENEWAL_STARTED] = "renewal started",
    [MODEL_KIND_RENEWAL_COMPLETED] = "renewal completed",
    [MODEL_KIND_CANCEL_WINDOW_CLOSED] = "cancel window closed",
    [MODEL_KIND_TERM_ENDED] = "term ended",
    [MODEL_KIND_EXPIRED] = "expired: users keep access for the grace period",
    [MODEL_KIND_GRACE_ENDED] = "grace period ended",
    [MODEL_KIND_DISABLED] = "disabled: users lost access, admins keep data",
    [MODEL_KIND_DELETED] = "deleted: data removed",
    [MODEL_KIND_DATA_LOSS] = "DATA LOSS",
    [MODEL_KIND_LICENSE_REASSIGNMENT] = "licenses need reassignment",
    [MODEL_KIND_CHARGE] = "charged",
    [MODEL_KIND_REFUND] = "refunded",
    [MODEL_KIND_CLAIM_PROCESSED] = "EA renewal claim processed",
    [MODEL_KIND_TRANSFER_COMPLETED] = "transfer completed",
    [MODEL_KIND_TRIAL_CONVERTED] = "trial converted to paid",
    [MODEL_KIND_SCHEDULED_CHANGE_APPLIED] = "scheduled change applied",
    [MODEL_KIND_SCHEDULED_CHANGE_REMOVED] = "scheduled change removed",
    [MODEL_KIND_RELATIONSHIP_EXPIRED] = "relationship request expired",
    [MODEL_KIND_TRANSFER_EXPIRED] = "transfer request expired",
    [MODEL_KIND_DOUBLE_BILLING_STARTED] = "double billing started",
    [MODEL_KIND_DOUBLE_BILLING_ENDED] = "double billing ended",
    [MODEL_KIND_DATA_KEPT] = "data kept: licenses covered by same-service subscriptions",
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
    ".toc a{margin-right:.8em}\n";

/* ---- recording ------------------------------------------------------------------------- */

rep_html *rep_html_new(const model_world *w)
{
    rep_html *h = calloc(1, sizeof *h);
    if (h)
        h->w = w;
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


void rep_html_record(rep_html *h, const model_record *r)
{
    h->seen++;
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
}

/* ---- charts ---------------------------------------------------------------------------- */

/* The first occurrence of needle (nlen bytes) in s[0..n), or NULL. */
static const char *find_bytes(const char *s, size_t n, const char *needle, size_t nlen)
{
    if (nlen == 0 || n < nlen)
        return NULL;
    for (size_t i = 0; i + nlen <= n; i++)
        if (s[i] == needle[0] && memcmp(s + i, needle, nlen) == 0)
            return s + i;
    return NULL;
}

/* The last occurrence of needle in s[0..n), or NULL. */
static const char *find_last(const char *s, size_t n, const char *needle, size_t nlen)
{
    if (nlen == 0 || n < nlen)
        return NULL;
    for (size_t i = n - nlen + 1; i-- > 0;)
        if (memcmp(s + i, needle, nlen) == 0)
            return s + i;
    return NULL;
}

static int starts(const char *p, const char *end, const char *prefix)
{
    size_t n = strlen(prefix);
    return (size_t)(end - p) >= n && memcmp(p, prefix, n) == 0;
}

/* Skips the prolog: BOM, whitespace, <?...?>, <!--...-->, <!DOCTYPE ...[...]>. Returns where
 * the root element should start, or NULL when the prolog is unterminated. */
static const char *skip_prolog(const char *p, const char *end)
{
    if (starts(p, end, "\xEF\xBB\xBF"))
        p += 3;
    for (;;) {
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
            p++;
        const char *close;
        if (starts(p, end, "<?")) {
            close = find_bytes(p, (size_t)(end - p), "?>", 2);
            if (!close)
                return NULL;
            p = close + 2;
        } else if (starts(p, end, "<!--")) {
            close = find_bytes(p + 4, (size_t)(end - p - 4), "-->", 3);
            if (!close)
                return NULL;
            p = close + 3;
        } else if (starts(p, end, "<!DOCTYPE")) {
            int depth = 0; /* inside the internal subset [...] */
            char quote = 0;
            for (p += 9; p < end; p++) {
                if (quote) {
                    quote = *p == quote ? 0 : quote;
                } else if (*p == '"' || *p == '\'') {
                    quote = *p;
                } else if (*p == '[') {
                    depth++;
                } else if (*p == ']') {
                    depth--;
                } else if (*p == '>' && depth <= 0) {
                    break;
                }
            }
            if (p == end)
                return NULL;
            p++;
        } else {
            return p;
        }
    }
}

static void put(rep_out *o, const char *p, size_t n)
{
    if (o)
        rep_write(o, p, n);
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int is_name_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}

/* An attribute value (without quotes) with the chart's id prefix: id="X" becomes
 * id="PREFIX-X", and the references "#X" of href attributes and "url(#X)" anywhere follow. */
static void put_value(rep_out *o, const char *name, size_t nlen, const char *v, size_t n, const char *prefix)
{
    int is_id = nlen == 2 && memcmp(name, "id", 2) == 0;
    int is_href = nlen >= 4 && memcmp(name + nlen - 4, "href", 4) == 0 && (nlen == 4 || name[nlen - 5] == ':');
    if (is_id) {
        rep_puts(o, prefix);
    } else if (is_href && n > 0 && v[0] == '#') {
        rep_write(o, "#", 1);
        rep_puts(o, prefix);
        v++;
        n--;
    }
    const char *end = v + n;
    for (;;) {
        const char *u = find_bytes(v, (size_t)(end - v), "url(#", 5);
        if (!u)
            break;
        rep_write(o, v, (size_t)(u - v) + 5);
        rep_puts(o, prefix);
        v = u + 5;
    }
    rep_write(o, v, (size_t)(end - v));
}

/* One start tag at p ('<' then a name) without its on* attributes (event handlers), ids and
 * references prefixed (put_value). Returns the end of the tag, or NULL when it is not
 * terminated. o NULL: only checks. */
static const char *copy_start_tag(rep_out *o, const char *p, const char *end, const char *prefix)
{
    const char *q = p + 1;
    while (q < end && !is_space(*q) && *q != '>' && *q != '/')
        q++;
    put(o, p, (size_t)(q - p));
    for (;;) {
        const char *ws = q;
        while (q < end && is_space(*q))
            q++;
        if (q >= end)
            return NULL;
        if (*q == '>' || (*q == '/' && q + 1 < end && q[1] == '>')) {
            const char *after = q + (*q == '>' ? 1 : 2);
            put(o, ws, (size_t)(after - ws));
            return after;
        }
        const char *name = q;
        while (q < end && !is_space(*q) && *q != '=' && *q != '>' && *q != '/')
            q++;
        size_t nlen = (size_t)(q - name);
        while (q < end && is_space(*q))
            q++;
        if (q >= end || *q != '=' || nlen == 0)
            return NULL; /* XML attributes always have a value */
        q++;
        while (q < end && is_space(*q))
            q++;
        if (q >= end || (*q != '"' && *q != '\''))
            return NULL;
        const char *value = q + 1;
        const char *close = memchr(value, *q, (size_t)(end - value));
        if (!close)
            return NULL;
        q = close + 1;
        int handler = (name[0] == 'o' || name[0] == 'O') && nlen > 1 && (name[1] == 'n' || name[1] == 'N');
        if (!handler && o) {
            rep_write(o, ws, (size_t)(value - ws));
            put_value(o, name, nlen, value, (size_t)(close - value), prefix);
            rep_write(o, close, 1);
        }
    }
}

/* Copies the SVG markup p..end without <script> elements and on* attributes: the page runs
 * no script. Comments and CDATA sections are copied as they are. Returns -1 when a comment,
 * CDATA section, tag or script element is not terminated. o NULL: only checks, so that a
 * broken file gives a note instead of half a chart. */
static int copy_svg(rep_out *o, const char *p, const char *end, const char *prefix)
{
    const char *run = p;
    while (p < end) {
        const char *next = memchr(p, '<', (size_t)(end - p));
        if (!next)
            break;
        p = next;
        const char *skip_to = NULL;
        if (starts(p, end, "<!--")) {
            skip_to = find_bytes(p + 4, (size_t)(end - p - 4), "-->", 3);
            if (!skip_to)
                return -1;
            p = skip_to + 3;
        } else if (starts(p, end, "<![CDATA[")) {
            skip_to = find_bytes(p + 9, (size_t)(end - p - 9), "]]>", 3);
            if (!skip_to)
                return -1;
            p = skip_to + 3;
        } else if (starts(p, end, "<script") && p + 7 < end && (is_space(p[7]) || p[7] == '>' || p[7] == '/')) {
            put(o, run, (size_t)(p - run));
            const char *tag_end = copy_start_tag(NULL, p, end, prefix);
            if (!tag_end)
                return -1;
            if (tag_end[-2] != '/') {
                const char *close = find_bytes(tag_end, (size_t)(end - tag_end), "</script>", 9);
                if (!close)
                    return -1;
                tag_end = close + 9;
            }
            p = run = tag_end;
        } else if (p + 1 < end && is_name_start(p[1])) {
            put(o, run, (size_t)(p - run));
            p = copy_start_tag(o, p, end, prefix);
            if (!p)
                return -1;
            run = p;
        } else {
            p++;
        }
    }
    put(o, run, (size_t)(end - run));
    return 0;
}

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
        const char *end = buf + n;
        const char *root = skip_prolog(buf, end);
        const char *last = root ? find_last(root, (size_t)(end - root), "</svg>", 6) : NULL;
        if (!root || !starts(root, end, "<svg") || root + 4 >= end ||
            !(root[4] == ' ' || root[4] == '>' || root[4] == '\n' || root[4] == '\t' || root[4] == '\r') || !last)
            chart_note(o, path, "no svg element");
        else if (copy_svg(NULL, root, last + 6, prefix) < 0)
            chart_note(o, path, "malformed markup");
        else {
            copy_svg(o, root, last + 6, prefix);
            rep_write(o, "\n", 1);
        }
        free(buf);
    }
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

/* Tenant order (MODEL_NONE, the general section, last), then seq: a total order. */
static int by_tenant_seq(const void *pa, const void *pb)
{
    const html_rec *a = pa, *b = pb;
    if (a->tenant != b->tenant)
        return a->tenant < b->tenant ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
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

static void write_row(rep_out *o, const rep_html *h, const html_rec *k)
{
    const model_world *w = h->w;
    char when[SIM_TIME_BUF], idbuf[REP_SUB_ID_BUF];
    sim_format_instant(k->time, when); /* "2025-01-08T00:00:00Z" */
    size_t tpos = strcspn(when, "T");
    rep_printf(o, "<tr%s><td class=\"t\">", row_class(k));
    rep_write(o, when, tpos);
    rep_write(o, " ", 1);
    rep_write(o, when + tpos + 1, 5);
    rep_puts(o, "</td><td class=\"s\">");
    if (k->sub != MODEL_NONE)
        esc(o, rep_sub_id(w, k->sub, idbuf));
    rep_puts(o, "</td><td>");

    int is_action = k->kind == MODEL_KIND_ACTION && k->action >= 0;
    if (is_action) {
        esc(o, model_action_name(k->action));
        if (k->partner != MODEL_NONE) {
            rep_puts(o, " via ");
            esc(o, model_partner_id(w, k->partner));
        }
    } else if (k->kind >= 0 && k->kind < MODEL_KIND_COUNT && phrases[k->kind]) {
        esc(o, phrases[k->kind]);
    } else {
        esc(o, model_kind_name((model_kind)k->kind));
    }
    if (k->has_amount) {
        rep_write(o, " ", 1);
        money(o, k->amount);
    }
    if (k->kind == MODEL_KIND_RELATIONSHIP_EXPIRED && k->partner != MODEL_NONE) {
        rep_puts(o, ", partner ");
        esc(o, model_partner_id(w, k->partner));
    }
    if (k->has_licenses)
        rep_printf(o, ", %" PRId64 " licenses", k->licenses);
    if (k->from_state >= 0 || k->to_state >= 0) {
        rep_puts(o, " <span class=\"d\">(");
        esc(o, k->from_state >= 0 ? model_state_name(k->from_state) : "?");
        rep_puts(o, " &#8594; ");
        esc(o, k->to_state >= 0 ? model_state_name(k->to_state) : "?");
        rep_puts(o, ")</span>");
    }
    if (k->detail_len) {
        rep_puts(o, "<br/><span class=\"d\">");
        esc_n(o, h->text + k->detail_off, k->detail_len);
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
    if (rule != MODEL_RULE_NONE && rule < MODEL_RULE_COUNT && *model_rule_id(rule)) {
        rep_puts(o, "<abbr title=\"");
        esc(o, model_rule_text(rule));
        rep_puts(o, " \xE2\x80\x94 ");
        esc(o, model_rule_source(rule));
        rep_puts(o, "\">");
        esc(o, model_rule_id(rule));
        rep_puts(o, "</abbr>");
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
    rep_puts(o, "</p>\n<p class=\"meta\">Hover a rule id to read the rule and its source. "
                "Rejected actions and data loss are highlighted.</p>\n");
    for (size_t i = 0; i < h->nrecs && !rep_out_failed(o);) {
        size_t j = i + 1;
        while (j < h->nrecs && h->recs[j].tenant == h->recs[i].tenant)
            j++;
        section_title(o, h, h->recs[i].tenant);
        rep_puts(o, "<table>\n<tr><th>time (UTC)</th><th>subscription</th><th>what happened</th>"
                    "<th>outcome / reason</th><th>rule</th></tr>\n");
        for (size_t k = i; k < j; k++)
            write_row(o, h, &h->recs[k]);
        rep_puts(o, "</table>\n");
        i = j;
    }
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
    write_timeline(out, h);
    rep_puts(out, "<p class=\"meta\">Generated by cspsim from the run's records; the same scenario and seed "
                  "give the same page.</p>\n</body>\n</html>\n");
    return rep_out_failed(out) ? -1 : 0;
}
