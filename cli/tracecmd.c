/* cli/tracecmd.c - `cspsim diff`, `cspsim trace` and the golden-trace check, on top of the
 * streaming reader cli/tracefile.h. Keeps no record beyond the current pair and a small ring
 * of context records; never reads a whole trace into memory, never exits. */
#include "tracecmd.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "model/record.h"
#include "tracefile.h"

_Static_assert(MODEL_KIND_COUNT <= 64, "kind masks are 64 bits");
_Static_assert(CLI_TF_COUNT <= 32, "ignore masks are 32 bits");

#define SHOW_DETAIL 200  /* bytes of detail on a record line of the diff */
#define SHOW_VALUE 72    /* bytes of a long value around its first difference */
#define SHOW_BUF 640     /* a shown value, escapes included */
#define ALIGN_MAX 40     /* A-values wider than this are not padded to align the '|' */

/* ---- shared helpers --------------------------------------------------------------------- */

void cli_diff_opts_init(cli_diff_opts *o)
{
    memset(o, 0, sizeof *o);
    o->context = CLI_DIFF_DEFAULT_CONTEXT;
}

int cli_trace_kinds_parse(const char *list, uint64_t *mask, char *err, size_t errsize)
{
    uint64_t m = 0;
    const char *p = list;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        char name[64];
        int k = -1;
        if (n > 0 && n < sizeof name) {
            memcpy(name, p, n);
            name[n] = '\0';
            k = model_kind_find(name);
        }
        if (k < 0) {
            if (errsize) {
                int w = snprintf(err, errsize, "unknown record kind '%.*s'; kinds:", (int)(n > 64 ? 64 : n), p);
                for (int i = 0; i < MODEL_KIND_COUNT && w >= 0 && (size_t)w < errsize; i++)
                    w += snprintf(err + w, errsize - (size_t)w, " %s", model_kind_name((model_kind)i));
            }
            return -1;
        }
        m |= (uint64_t)1 << k;
        if (!comma)
            break;
        p = comma + 1;
    }
    *mask |= m;
    return 0;
}

static int kind_kept(uint64_t mask, const char *kind)
{
    if (!mask)
        return 1;
    int k = model_kind_find(kind);
    return k >= 0 && (mask >> k & 1);
}

/* Writes s (n bytes) with '\\' and control characters escaped, so a record stays one line. */
static void put_escaped(FILE *out, const char *s, size_t n, int quote)
{
    static const char hex[] = "0123456789abcdef";
    const char *run = s, *end = s + n;
    for (; s < end; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != 0x7f && c != '\\' && !(quote && c == '"'))
            continue;
        fwrite(run, 1, (size_t)(s - run), out);
        run = s + 1;
        switch (c) {
        case '\n': fputs("\\n", out); break;
        case '\t': fputs("\\t", out); break;
        case '\r': fputs("\\r", out); break;
        case '\\': fputs("\\\\", out); break;
        case '"': fputs("\\\"", out); break;
        default: fprintf(out, "\\u00%c%c", hex[c >> 4], hex[c & 15]);
        }
    }
    fwrite(run, 1, (size_t)(s - run), out);
}

/* Characters on screen of a UTF-8 text, roughly: bytes that do not continue a sequence. */
static size_t width_of(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xc0) != 0x80;
    return w;
}

/* A column of at least `width` characters: s escaped, "-" for NULL, then spaces. */
static void put_column(FILE *out, const char *s, size_t width)
{
    if (!s || !*s)
        s = "-";
    put_escaped(out, s, strlen(s), 0);
    for (size_t w = width_of(s); w < width; w++)
        fputc(' ', out);
}

/* One record as a timeline line:
 *   SEQ  DATE TIME  TENANT  PARTNER  SUBSCRIPTION  WHAT  FROM->TO  licenses=N  amount=X  DETAIL  (RULE)
 * seq right-aligned in seq_width characters; detail cut after detail_max bytes (0: never). */
static void put_record(FILE *out, const cli_trace_rec *r, int seq_width, size_t detail_max)
{
    char t[SIM_TIME_BUF];
    sim_format_instant(r->time, t); /* YYYY-MM-DDTHH:MM:SSZ */
    char *tee = strchr(t, 'T');
    size_t n = strlen(t);
    if (tee && n >= 4) {
        *tee = ' ';
        t[n - 1] = '\0';                   /* the Z */
        if (strcmp(t + n - 4, ":00") == 0) /* seconds shown only when not zero */
            t[n - 4] = '\0';
    }
    fprintf(out, "%*s  %s  ", seq_width, r->v[CLI_TF_SEQ], t);
    put_column(out, r->v[CLI_TF_TENANT], 12);
    fputs("  ", out);
    put_column(out, r->v[CLI_TF_PARTNER], 12);
    fputs("  ", out);
    put_column(out, r->v[CLI_TF_SUBSCRIPTION], 14);
    fputs("  ", out);

    const char *kind = r->v[CLI_TF_KIND], *action = r->v[CLI_TF_ACTION];
    const char *outcome = r->v[CLI_TF_OUTCOME], *reason = r->v[CLI_TF_REASON];
    char what[256];
    snprintf(what, sizeof what, "%s%s%s%s%s", strcmp(kind, "action") == 0 && action ? action : kind,
             outcome ? " " : "", outcome ? (strcmp(outcome, "rejected") == 0 ? "REJECTED" : outcome) : "",
             reason ? " " : "", reason ? reason : "");
    put_column(out, what, 30);

    const char *from = r->v[CLI_TF_FROM_STATE], *to = r->v[CLI_TF_TO_STATE];
    if (from || to) {
        fputs("  ", out);
        put_escaped(out, from ? from : "?", strlen(from ? from : "?"), 0);
        fputs("->", out);
        put_escaped(out, to ? to : "?", strlen(to ? to : "?"), 0);
    }
    if (r->v[CLI_TF_LICENSES])
        fprintf(out, "  licenses=%s", r->v[CLI_TF_LICENSES]);
    if (r->v[CLI_TF_AMOUNT])
        fprintf(out, "  amount=%s", r->v[CLI_TF_AMOUNT]);
    const char *detail = r->v[CLI_TF_DETAIL];
    if (detail && *detail) {
        size_t len = strlen(detail);
        fputs("  ", out);
        if (detail_max && len > detail_max) {
            put_escaped(out, detail, detail_max, 0);
            fprintf(out, "...(%zu bytes)", len);
        } else {
            put_escaped(out, detail, len, 0);
        }
    }
    if (r->v[CLI_TF_RULE]) {
        fputs("  (", out);
        put_escaped(out, r->v[CLI_TF_RULE], strlen(r->v[CLI_TF_RULE]), 0);
        fputc(')', out);
    }
    fputc('\n', out);
}

/* ---- diff: display of one differing value ------------------------------------------------ */

/* Appends s[0..n) JSON-escaped to buf (cap bytes, *len used); 0 when it all fitted. */
static int append_escaped(char *buf, size_t cap, size_t *len, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char e[7];
        size_t k;
        if (c == '"' || c == '\\') {
            e[0] = '\\', e[1] = (char)c, k = 2;
        } else if (c == '\n') {
            e[0] = '\\', e[1] = 'n', k = 2;
        } else if (c == '\t') {
            e[0] = '\\', e[1] = 't', k = 2;
        } else if (c < 0x20 || c == 0x7f) {
            snprintf(e, sizeof e, "\\u00%c%c", hex[c >> 4], hex[c & 15]);
            k = 6;
        } else {
            e[0] = (char)c, k = 1;
        }
        if (*len + k + 1 > cap)
            return -1;
        memcpy(buf + *len, e, k);
        *len += k;
    }
    buf[*len] = '\0';
    return 0;
}

/* The value v of column f as shown: null, a number as written, or a quoted, escaped string;
 * a long string as an excerpt around byte `at` (where it first differs from the other side). */
static void show_value(char *buf, int f, const char *v, size_t at)
{
    if (!v) {
        strcpy(buf, "null");
        return;
    }
    if (cli_trace_field_is_number(f)) {
        snprintf(buf, SHOW_BUF, "%s", v);
        return;
    }
    size_t n = strlen(v), len = 0, from = 0, to = n;
    if (n > SHOW_VALUE) {
        from = at > SHOW_VALUE / 3 ? at - SHOW_VALUE / 3 : 0;
        while (from > 0 && ((unsigned char)v[from] & 0xc0) == 0x80) /* not inside a character */
            from--;
        to = from + SHOW_VALUE < n ? from + SHOW_VALUE : n;
        while (to < n && ((unsigned char)v[to] & 0xc0) == 0x80)
            to++;
    }
    if (from > 0)
        buf[len++] = '.', buf[len++] = '.', buf[len++] = '.';
    buf[len++] = '"';
    if (append_escaped(buf, SHOW_BUF - 48, &len, v + from, to - from) == 0)
        buf[len++] = '"';
    if (to < n)
        buf[len++] = '.', buf[len++] = '.', buf[len++] = '.';
    buf[len] = '\0';
    if (n > SHOW_VALUE)
        snprintf(buf + len, SHOW_BUF - len, " (%zu bytes, differs from byte %zu)", n, at + 1);
}

static int same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* ---- diff: the ring of context records ---------------------------------------------------- */

typedef struct {
    char *buf; /* the slot's copy of the line and the values; grows, never shrinks */
    size_t cap;
    cli_trace_rec rec;
} slot;

typedef struct {
    slot *slots;
    int size, count, next;
} ring;

/* Copies r into the ring, dropping the oldest record when full. -1 when memory ran out. */
static int ring_push(ring *g, const cli_trace_rec *r)
{
    if (g->size == 0)
        return 0;
    slot *s = &g->slots[g->next];
    size_t need = r->line_len + 1;
    for (int i = 0; i < CLI_TF_COUNT; i++)
        if (r->v[i])
            need += strlen(r->v[i]) + 1;
    if (need > s->cap) {
        char *b = realloc(s->buf, need);
        if (!b)
            return -1;
        s->buf = b;
        s->cap = need;
    }
    char *o = s->buf;
    s->rec = *r;
    memcpy(o, r->line, r->line_len + 1);
    s->rec.line = o;
    o += r->line_len + 1;
    for (int i = 0; i < CLI_TF_COUNT; i++) {
        if (!r->v[i])
            continue;
        size_t n = strlen(r->v[i]) + 1;
        memcpy(o, r->v[i], n);
        s->rec.v[i] = o;
        o += n;
    }
    g->next = (g->next + 1) % g->size;
    if (g->count < g->size)
        g->count++;
    return 0;
}

static void ring_free(ring *g)
{
    for (int i = 0; i < g->size; i++)
        free(g->slots[i].buf);
    free(g->slots);
}

/* ---- diff ----------------------------------------------------------------------------------- */

/* The widths that align the record lines of a report: of "A:LINE" and of the seq. */
typedef struct {
    int label, seq;
} widths;

static void widen(widths *w, const cli_trace_rec *r)
{
    char label[32];
    int n = snprintf(label, sizeof label, "A:%" PRIu64, r->lineno), s = (int)strlen(r->v[CLI_TF_SEQ]);
    w->label = n > w->label ? n : w->label;
    w->seq = s > w->seq ? s : w->seq;
}

/* A record of side A or B as "  A:LINE  SEQ  DATE ...", aligned by w. */
static void put_labelled(FILE *out, char side, const cli_trace_rec *r, const widths *w)
{
    char label[32];
    snprintf(label, sizeof label, "%c:%" PRIu64, side, r->lineno);
    fprintf(out, "  %-*s  ", w->label, label);
    put_record(out, r, w->seq, SHOW_DETAIL);
}

static void report_fields(FILE *out, const cli_trace_rec *a, const cli_trace_rec *b, uint32_t ignore)
{
    char shown_a[CLI_TF_COUNT][SHOW_BUF], shown_b[CLI_TF_COUNT][SHOW_BUF];
    int differs[CLI_TF_COUNT] = {0};
    size_t name_w = 0, a_w = 0;
    for (int f = 0; f < CLI_TF_COUNT; f++) {
        if ((ignore >> f & 1) || same_text(a->v[f], b->v[f]))
            continue;
        differs[f] = 1;
        size_t at = 0;
        if (a->v[f] && b->v[f])
            while (a->v[f][at] && a->v[f][at] == b->v[f][at])
                at++;
        show_value(shown_a[f], f, a->v[f], at);
        show_value(shown_b[f], f, b->v[f], at);
        size_t nw = strlen(cli_trace_field_name(f)), aw = width_of(shown_a[f]);
        name_w = nw > name_w ? nw : name_w;
        if (aw <= ALIGN_MAX && aw > a_w)
            a_w = aw;
    }
    for (int f = 0; f < CLI_TF_COUNT; f++) {
        if (!differs[f])
            continue;
        const char *name = cli_trace_field_name(f);
        size_t aw = width_of(shown_a[f]);
        fprintf(out, "  %s:%*s %s%*s | %s\n", name, (int)(name_w - strlen(name)), "", shown_a[f],
                (int)(aw < a_w ? a_w - aw : 0), "", shown_b[f]);
    }
}

/* The first difference, at compared record `pos`; a or b NULL when that side has ended. */
static void report_first(FILE *out, uint64_t pos, const cli_trace_rec *a, const cli_trace_rec *b,
                         const ring *g, uint32_t ignore, const char *path_a, const char *path_b)
{
    if (a && b) {
        fprintf(out, "first difference at record %" PRIu64 " (seq %s vs seq %s, time %s", pos, a->v[CLI_TF_SEQ],
                b->v[CLI_TF_SEQ], a->v[CLI_TF_TIME]);
        if (strcmp(a->v[CLI_TF_TIME], b->v[CLI_TF_TIME]) != 0)
            fprintf(out, " vs %s", b->v[CLI_TF_TIME]);
        fputs(")\n", out);
        report_fields(out, a, b, ignore);
    } else {
        const cli_trace_rec *r = a ? a : b;
        fprintf(out, "first difference at record %" PRIu64 " (%c ended after %" PRIu64 " record%s; %c has seq %s, time %s)\n",
                pos, a ? 'B' : 'A', pos - 1, pos == 2 ? "" : "s", a ? 'A' : 'B', r->v[CLI_TF_SEQ], r->v[CLI_TF_TIME]);
    }
    widths w = {0, 0};
    for (int i = 0; i < g->count; i++)
        widen(&w, &g->slots[i].rec);
    if (a)
        widen(&w, a);
    if (b)
        widen(&w, b);
    if (g->count) {
        fputs("records before it in A:\n", out);
        for (int i = 0; i < g->count; i++)
            put_labelled(out, 'A', &g->slots[(g->next - g->count + i + g->size) % g->size].rec, &w);
    }
    fprintf(out, "the differing records (A = %s, B = %s):\n", path_a, path_b);
    if (a)
        put_labelled(out, 'A', a, &w);
    if (b)
        put_labelled(out, 'B', b, &w);
}

static int records_differ(const cli_trace_rec *a, const cli_trace_rec *b, uint32_t ignore)
{
    if (a->line_len == b->line_len && memcmp(a->line, b->line, a->line_len) == 0)
        return 0; /* the common case, and cheaper than 15 comparisons */
    for (int f = 0; f < CLI_TF_COUNT; f++)
        if (!(ignore >> f & 1) && !same_text(a->v[f], b->v[f]))
            return 1;
    return 0;
}

/* The next record of t whose kind is kept; as cli_tracefile_next. */
static int next_kept(cli_tracefile *t, uint64_t kinds, cli_trace_rec *r)
{
    int rc;
    while ((rc = cli_tracefile_next(t, r)) == 1 && !kind_kept(kinds, r->v[CLI_TF_KIND]))
        ;
    return rc;
}

/* "identical: 49 records" and what was left out of the comparison. */
static void report_same(FILE *out, uint64_t n, const cli_diff_opts *o)
{
    fprintf(out, "identical: %" PRIu64 " record%s", n, n == 1 ? "" : "s");
    if (o->kinds) {
        const char *sep = " of kinds ";
        for (int k = 0; k < MODEL_KIND_COUNT; k++)
            if (o->kinds >> k & 1) {
                fprintf(out, "%s%s", sep, model_kind_name((model_kind)k));
                sep = ",";
            }
    }
    if (o->ignore) {
        const char *sep = " (not compared: ";
        for (int f = 0; f < CLI_TF_COUNT; f++)
            if (o->ignore >> f & 1) {
                fprintf(out, "%s%s", sep, cli_trace_field_name(f));
                sep = ", ";
            }
        fputc(')', out);
    }
    fputc('\n', out);
}

int cli_trace_diff(const char *a_path, const char *b_path, const cli_diff_opts *opts, FILE *out)
{
    cli_diff_opts defaults;
    cli_diff_opts_init(&defaults);
    const cli_diff_opts *o = opts ? opts : &defaults;
    FILE *err = o->err ? o->err : out;
    int rc = 2, context = o->context < 0 ? 0 : o->context > CLI_DIFF_MAX_CONTEXT ? CLI_DIFF_MAX_CONTEXT : o->context;
    char msg[4608];
    ring g = {0};
    cli_tracefile *ta = NULL, *tb = NULL;
    if (!(ta = cli_tracefile_open(a_path, msg, sizeof msg)) || !(tb = cli_tracefile_open(b_path, msg, sizeof msg))) {
        fprintf(err, "%s\n", msg);
        goto done;
    }
    if (context && !(g.slots = calloc((size_t)context, sizeof *g.slots))) {
        fprintf(err, "cspsim: out of memory\n");
        goto done;
    }
    g.size = context;
    uint64_t pos = 0, ndiff = 0, na = 0, nb = 0;
    for (;;) {
        cli_trace_rec a, b;
        int ra = next_kept(ta, o->kinds, &a), rb = next_kept(tb, o->kinds, &b);
        if (ra < 0 || rb < 0) {
            fprintf(err, "%s\n", cli_tracefile_error(ra < 0 ? ta : tb));
            goto done;
        }
        if (!ra && !rb)
            break;
        pos++;
        na += (uint64_t)ra;
        nb += (uint64_t)rb;
        if (!ra || !rb || records_differ(&a, &b, o->ignore)) {
            if (ndiff++ == 0)
                report_first(out, pos, ra ? &a : NULL, rb ? &b : NULL, &g, o->ignore, cli_tracefile_path(ta),
                             cli_tracefile_path(tb));
        } else if (ndiff == 0 && ring_push(&g, &a)) {
            fprintf(err, "cspsim: out of memory\n");
            goto done;
        }
    }
    if (ndiff == 0) {
        report_same(out, na, o);
        rc = 0;
    } else {
        const char *of = o->kinds ? " of the compared kinds" : "";
        if (ndiff == 1)
            fprintf(out, "no more records differ; A has %" PRIu64 " records%s, B has %" PRIu64 "\n", na, of, nb);
        else
            fprintf(out, "%" PRIu64 " more record%s differ%s; A has %" PRIu64 " records%s, B has %" PRIu64 "\n",
                    ndiff - 1, ndiff == 2 ? "" : "s", ndiff == 2 ? "s" : "", na, of, nb);
        rc = 1;
    }
done:
    ring_free(&g);
    cli_tracefile_close(ta);
    cli_tracefile_close(tb);
    return rc;
}

int cli_golden_compare(const char *golden, const char *actual, FILE *out)
{
    return cli_trace_diff(golden, actual, NULL, out);
}

/* ---- trace query ---------------------------------------------------------------------------- */

static int keeps(const cli_trace_filter *f, const cli_trace_rec *r)
{
    return (!f->tenant || same_text(f->tenant, r->v[CLI_TF_TENANT])) &&
           (!f->subscription || same_text(f->subscription, r->v[CLI_TF_SUBSCRIPTION])) &&
           (!f->partner || same_text(f->partner, r->v[CLI_TF_PARTNER])) && kind_kept(f->kinds, r->v[CLI_TF_KIND]) &&
           (!f->has_from || r->time >= f->from) && (!f->has_to || r->time < f->to);
}

int cli_trace_query(const char *path, const cli_trace_filter *f, FILE *out, FILE *err)
{
    char msg[4608];
    cli_tracefile *t = cli_tracefile_open(path, msg, sizeof msg);
    if (!t) {
        fprintf(err, "%s\n", msg);
        return 2;
    }
    uint64_t seen = 0, kept = 0;
    cli_trace_rec r;
    int rc;
    while ((rc = cli_tracefile_next(t, &r)) == 1) {
        seen++;
        if (keeps(f, &r)) {
            kept++;
            put_record(out, &r, 6, 0);
        }
    }
    if (rc < 0)
        fprintf(err, "%s\n", cli_tracefile_error(t));
    else
        fprintf(err, "%" PRIu64 " of %" PRIu64 " records matched\n", kept, seen);
    cli_tracefile_close(t);
    return rc < 0 ? 2 : 0;
}

/* ---- the commands --------------------------------------------------------------------------- */

const char cli_usage_diff[] =
    "usage: cspsim diff A B [--ignore FIELD]... [--kinds K,...] [--context N]\n"
    "\n"
    "Compares two traces record by record. A and B are trace.jsonl files or run directories\n"
    "holding one (cspsim run -o DIR). Records pair up by position: the first of A with the\n"
    "first of B, and so on; two records differ when any compared column differs. Prints the\n"
    "first difference (record number, both seqs and times, each differing column as\n"
    "'FIELD: A-value | B-value', the records of A before it, both records), then how many\n"
    "later positions differ; records only one trace has count as differing. Both files are\n"
    "streamed: traces of any length work.\n"
    "\n"
    "  --ignore FIELD   do not compare this column; repeatable, or FIELD,FIELD. Columns:\n"
    "                   seq time kind action outcome reason rule tenant partner\n"
    "                   subscription from_state to_state licenses amount detail\n"
    "  --kinds K,...    compare only records of these kinds (charge, refund, action, ...);\n"
    "                   the others are dropped from both traces before pairing\n"
    "  --context N      records of A shown before the first difference (default 3, 0..100)\n"
    "\n"
    "exit status: 0 same, 1 different, 2 a trace could not be read (the message names the\n"
    "             file and line) or the command line is wrong.\n";

const char cli_usage_trace[] =
    "usage: cspsim trace FILE|DIR [--tenant T] [--subscription S] [--partner P]\n"
    "                    [--kind K[,K...]] [--from INSTANT] [--to INSTANT]\n"
    "\n"
    "Prints the records of a trace.jsonl file (or of a run directory holding one) that match\n"
    "every option given, in file order, one line each:\n"
    "  SEQ  DATE TIME  TENANT  PARTNER  SUBSCRIPTION  WHAT  FROM->TO  licenses=N  amount=X\n"
    "  DETAIL  (RULE)\n"
    "WHAT is the action with its outcome and reason for a scripted event, otherwise the\n"
    "record kind; '-' marks an empty column. Then 'N of M records matched' on stderr.\n"
    "The file is streamed: traces of any length work.\n"
    "\n"
    "  --tenant T         records of tenant T\n"
    "  --subscription S   records of subscription S\n"
    "  --partner P        records of partner P\n"
    "  --kind K[,K...]    records of these kinds (charge, refund, action, ...); repeatable\n"
    "  --from INSTANT     records at or after INSTANT (2025-03-01, 2025-03-01T09:30Z,\n"
    "                     2025-03-01T09:30:00Z; UTC)\n"
    "  --to INSTANT       records before INSTANT: the window is from <= time < to\n"
    "\n"
    "exit status: 0 printed (also when nothing matched), 2 the trace could not be read or\n"
    "             the command line is wrong.\n";

/* Adds the columns of "amount,detail" to *ignore; -1 with a message naming a wrong one. */
static int parse_ignore(const char *list, uint32_t *ignore, char *msg, size_t size)
{
    const char *p = list;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        char name[32];
        int f = -1;
        if (n < sizeof name) {
            memcpy(name, p, n);
            name[n] = '\0';
            f = cli_trace_field_find(name);
        }
        if (f < 0) {
            snprintf(msg, size, "--ignore: unknown column '%.*s'; columns: %s", (int)(n > 64 ? 64 : n), p,
                     "seq time kind action outcome reason rule tenant partner subscription from_state "
                     "to_state licenses amount detail");
            return -1;
        }
        *ignore |= (uint32_t)1 << f;
        if (!comma)
            return 0;
        p = comma + 1;
    }
}

int cli_cmd_diff(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(cli_usage_diff, stdout);
        return 0;
    }
    cli_diff_opts o;
    cli_diff_opts_init(&o);
    o.err = stderr;
    const char *paths[2];
    int npaths = 0;
    long context;
    char msg[1024];
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--ignore") == 0 || strcmp(arg, "--kinds") == 0 || strcmp(arg, "--context") == 0) {
            if (++i >= argc) {
                snprintf(msg, sizeof msg, "%s needs a value", arg);
                return cli_usage_error(stderr, "diff", "%s", msg);
            }
            if (strcmp(arg, "--ignore") == 0) {
                if (parse_ignore(argv[i], &o.ignore, msg, sizeof msg))
                    return cli_usage_error(stderr, "diff", "%s", msg);
            } else if (strcmp(arg, "--kinds") == 0) {
                char kmsg[960];
                if (cli_trace_kinds_parse(argv[i], &o.kinds, kmsg, sizeof kmsg)) {
                    snprintf(msg, sizeof msg, "--kinds: %s", kmsg);
                    return cli_usage_error(stderr, "diff", "%s", msg);
                }
            } else if (cli_parse_count(argv[i], 0, CLI_DIFF_MAX_CONTEXT, &context)) {
                snprintf(msg, sizeof msg, "--context needs a whole number from 0 to %d", CLI_DIFF_MAX_CONTEXT);
                return cli_usage_error(stderr, "diff", "%s", msg);
            } else {
                o.context = (int)context;
            }
        } else if (arg[0] == '-' && arg[1]) {
            snprintf(msg, sizeof msg, "unknown option '%.900s'", arg);
            return cli_usage_error(stderr, "diff", "%s", msg);
        } else if (npaths == 2) {
            snprintf(msg, sizeof msg, "diff compares two traces; '%.900s' is one too many", arg);
            return cli_usage_error(stderr, "diff", "%s", msg);
        } else {
            paths[npaths++] = arg;
        }
    }
    if (npaths < 2)
        return cli_usage_error(stderr, "diff", "%s", "diff needs two traces (files or run directories)");
    return cli_trace_diff(paths[0], paths[1], &o, stdout);
}

int cli_cmd_trace(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(cli_usage_trace, stdout);
        return 0;
    }
    cli_trace_filter f;
    memset(&f, 0, sizeof f);
    const char *path = NULL;
    char msg[1024];
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        int is_string = strcmp(arg, "--tenant") == 0 || strcmp(arg, "--subscription") == 0 ||
                        strcmp(arg, "--partner") == 0;
        int is_time = strcmp(arg, "--from") == 0 || strcmp(arg, "--to") == 0;
        if (is_string || is_time || strcmp(arg, "--kind") == 0) {
            if (++i >= argc) {
                snprintf(msg, sizeof msg, "%s needs a value", arg);
                return cli_usage_error(stderr, "trace", "%s", msg);
            }
            const char *v = argv[i];
            if (is_string) {
                const char **dst = arg[2] == 't' ? &f.tenant : arg[2] == 's' ? &f.subscription : &f.partner;
                if (cli_string_option(dst, arg, v, msg, sizeof msg))
                    return cli_usage_error(stderr, "trace", "%s", msg);
            } else if (is_time) {
                int from = arg[2] == 'f';
                sim_time t;
                if ((from ? f.has_from : f.has_to)) {
                    snprintf(msg, sizeof msg, "%s given twice", arg);
                    return cli_usage_error(stderr, "trace", "%s", msg);
                }
                if (sim_parse_instant(v, &t)) {
                    snprintf(msg, sizeof msg,
                             "%s '%.200s' is not an instant (2025-03-01, 2025-03-01T09:30Z or 2025-03-01T09:30:00Z)",
                             arg, v);
                    return cli_usage_error(stderr, "trace", "%s", msg);
                }
                if (from)
                    f.has_from = 1, f.from = t;
                else
                    f.has_to = 1, f.to = t;
            } else {
                char kmsg[960];
                if (cli_trace_kinds_parse(v, &f.kinds, kmsg, sizeof kmsg)) {
                    snprintf(msg, sizeof msg, "--kind: %s", kmsg);
                    return cli_usage_error(stderr, "trace", "%s", msg);
                }
            }
        } else if (arg[0] == '-' && arg[1]) {
            snprintf(msg, sizeof msg, "unknown option '%.900s'", arg);
            return cli_usage_error(stderr, "trace", "%s", msg);
        } else if (path) {
            snprintf(msg, sizeof msg, "trace reads one trace; '%.900s' is one too many", arg);
            return cli_usage_error(stderr, "trace", "%s", msg);
        } else {
            path = arg;
        }
    }
    if (!path)
        return cli_usage_error(stderr, "trace", "%s", "trace needs a trace.jsonl file or a run directory");
    if (f.has_from && f.has_to && f.from >= f.to)
        return cli_usage_error(stderr, "trace", "%s", "--from must be before --to (the window is from <= time < to)");
    return cli_trace_query(path, &f, stdout, stderr);
}
