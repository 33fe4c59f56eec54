/* cli/tracecmd.c - `cspsim diff`, `cspsim trace` and the golden-trace check, on top of the
 * streaming reader cli/tracefile.h. While the traces agree it keeps no record beyond the
 * current pair and a small ring of context records; at a difference it reads a bounded window
 * of each ahead (CLI_DIFF_WINDOW) and realigns them with Myers' edit script. Never reads a
 * whole trace into memory, never exits. */
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
_Static_assert(CLI_DIFF_MAX_EDITS < CLI_DIFF_WINDOW / 2, "a script reaching a cut window end holds equal records");

#define SHOW_DETAIL 200  /* bytes of detail on a record line of the diff */
#define SHOW_VALUE 72    /* bytes of a long value around its first difference */
#define SHOW_BUF 640     /* a shown value, escapes included */
#define ALIGN_MAX 40     /* A-values wider than this are not padded to align the '|' */

/* ---- shared helpers --------------------------------------------------------------------- */

void cli_diff_opts_init(cli_diff_opts *o)
{
    memset(o, 0, sizeof *o);
    o->context = CLI_DIFF_DEFAULT_CONTEXT;
    o->max_hunks = CLI_DIFF_DEFAULT_MAX_HUNKS;
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

/* ---- diff: copies of records ---------------------------------------------------------------- */

typedef struct {
    char *buf; /* the slot's copy of the line and the values; grows, never shrinks */
    size_t cap;
    cli_trace_rec rec;
    uint64_t hash; /* of the compared columns (hash_rec), set by the window only */
} slot;

/* Copies r into s (the texts into s->buf). -1 when memory ran out. */
static int slot_set(slot *s, const cli_trace_rec *r)
{
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
    return 0;
}

/* A ring of slots: the last `size` records pushed (context), or a queue read ahead (window). */
typedef struct {
    slot *slots;
    int size, count, next; /* next: where the next push goes; the oldest is next - count */
} ring;

static int ring_init(ring *g, int size)
{
    memset(g, 0, sizeof *g);
    if (size && !(g->slots = calloc((size_t)size, sizeof *g->slots)))
        return -1;
    g->size = size;
    return 0;
}

/* The i-th oldest record held (0 the oldest). */
static slot *ring_at(const ring *g, int i)
{
    return &g->slots[(g->next - g->count + i + 2 * g->size) % g->size];
}

/* Copies r into the ring, dropping the oldest record when full. -1 when memory ran out. */
static int ring_push(ring *g, const cli_trace_rec *r)
{
    if (g->size == 0)
        return 0;
    if (slot_set(&g->slots[g->next], r))
        return -1;
    g->next = (g->next + 1) % g->size;
    if (g->count < g->size)
        g->count++;
    return 0;
}

/* Drops the n oldest records. */
static void ring_drop(ring *g, int n)
{
    g->count -= n;
}

static void ring_free(ring *g)
{
    for (int i = 0; i < g->size; i++)
        free(g->slots[i].buf);
    free(g->slots);
}

/* ---- diff: equality ------------------------------------------------------------------------- */

static int records_differ(const cli_trace_rec *a, const cli_trace_rec *b, uint32_t ignore)
{
    if (a->line_len == b->line_len && memcmp(a->line, b->line, a->line_len) == 0)
        return 0; /* the common case, and cheaper than 15 comparisons */
    for (int f = 0; f < CLI_TF_COUNT; f++)
        if (!(ignore >> f & 1) && !same_text(a->v[f], b->v[f]))
            return 1;
    return 0;
}

/* FNV-1a 64 of the compared columns (a null, an empty string and each column kept apart), so
 * the edit script compares two numbers before it compares two records. */
static uint64_t hash_rec(const cli_trace_rec *r, uint32_t ignore)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (int f = 0; f < CLI_TF_COUNT; f++) {
        if (ignore >> f & 1)
            continue;
        const unsigned char *s = (const unsigned char *)r->v[f];
        h = (h ^ (s ? 1u : 2u)) * 0x100000001b3u;
        for (; s && *s; s++)
            h = (h ^ *s) * 0x100000001b3u;
    }
    return h;
}

/* The next record of t whose kind is kept; as cli_tracefile_next. */
static int next_kept(cli_tracefile *t, uint64_t kinds, cli_trace_rec *r)
{
    int rc;
    while ((rc = cli_tracefile_next(t, r)) == 1 && !kind_kept(kinds, r->v[CLI_TF_KIND]))
        ;
    return rc;
}

/* ---- diff: hunks on the screen -------------------------------------------------------------- */

/* Widths of the "A:LINE" label and of the seq on record lines: fixed, since a hunk is printed
 * as it streams (longer values push the line right). */
#define LABEL_WIDTH 7
#define SEQ_WIDTH 5

/* Prints the edit script as it is found: hunks of changes with their context. */
typedef struct {
    FILE *out;
    uint32_t ignore;
    int context, max_hunks;
    ring before;          /* the last `context` equal records of A */
    uint64_t since_shown; /* equal records since the last one printed (the ring holds those) */
    int in_hunk, after;   /* in a hunk: equal records printed after its last change */
    int visible;          /* the current hunk is printed (one of the first max_hunks) */
    uint64_t hunk_shown, hunk_more; /* its differing records printed and left out so far */
    uint64_t pos_a, pos_b;          /* records of A and B taken so far */
    uint64_t hunks, changed, inserted, deleted;
    const char *path_a, *path_b; /* named once, before the first hunk */
} printer;

static void put_labelled(FILE *out, const char *mark, char side, const cli_trace_rec *r)
{
    char label[32];
    snprintf(label, sizeof label, "%c:%" PRIu64, side, r->lineno);
    fprintf(out, "%s%-*s  ", mark, LABEL_WIDTH, label);
    put_record(out, r, SEQ_WIDTH, SHOW_DETAIL);
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
        fprintf(out, "    %s:%*s %s%*s | %s\n", name, (int)(name_w - strlen(name)), "", shown_a[f],
                (int)(aw < a_w ? a_w - aw : 0), "", shown_b[f]);
    }
}

/* Says how many differing records of the change just ended were left out of the hunk. */
static void flush_more(printer *p)
{
    if (p->hunk_more)
        fprintf(p->out, "  ... %" PRIu64 " more differing record%s\n", p->hunk_more, p->hunk_more == 1 ? "" : "s");
    p->hunk_more = 0;
}

/* A pair of equal records (a is shown). -1 when memory ran out. */
static int ev_equal(printer *p, const cli_trace_rec *a)
{
    p->pos_a++;
    p->pos_b++;
    if (p->in_hunk && p->after == 0 && p->visible)
        flush_more(p);
    if (p->in_hunk && p->after < p->context) {
        p->after++;
        if (p->visible)
            put_labelled(p->out, "  ", 'A', a);
        p->since_shown = 0;
    } else {
        p->in_hunk = 0;
        p->since_shown++;
    }
    return ring_push(&p->before, a);
}

/* A differing record: a changed into b, a deleted (b NULL) or b inserted (a NULL). */
static void ev_change(printer *p, const cli_trace_rec *a, const cli_trace_rec *b)
{
    if (!p->in_hunk) {
        p->hunks++;
        p->in_hunk = 1;
        p->visible = p->hunks <= (uint64_t)p->max_hunks;
        p->hunk_shown = p->hunk_more = 0;
        if (p->hunks == 1)
            fprintf(p->out, "--- A = %s\n+++ B = %s\n", p->path_a, p->path_b);
        if (p->visible) {
            fprintf(p->out, "hunk %" PRIu64 " at record %" PRIu64 " of A, %" PRIu64 " of B:\n", p->hunks,
                    p->pos_a + 1, p->pos_b + 1);
            int n = p->before.count;
            if ((uint64_t)n > p->since_shown)
                n = (int)p->since_shown;
            for (int i = p->before.count - n; i < p->before.count; i++)
                put_labelled(p->out, "  ", 'A', &ring_at(&p->before, i)->rec);
        }
    }
    p->after = 0;
    p->since_shown = 0;
    p->pos_a += a != NULL;
    p->pos_b += b != NULL;
    if (a && b)
        p->changed++;
    else if (a)
        p->deleted++;
    else
        p->inserted++;
    if (!p->visible)
        return;
    if (p->hunk_shown >= CLI_DIFF_HUNK_SHOW) {
        p->hunk_more++;
        return;
    }
    p->hunk_shown++;
    if (a)
        put_labelled(p->out, "- ", 'A', a);
    if (b)
        put_labelled(p->out, "+ ", 'B', b);
    if (a && b)
        report_fields(p->out, a, b, p->ignore);
}

/* ---- diff: the edit script over a window ------------------------------------------------------ */

/* The records read ahead of one trace, from its first record not yet taken. */
typedef struct {
    cli_tracefile *t;
    ring q;  /* CLI_DIFF_WINDOW slots */
    int eof; /* the file has no record beyond those in q */
} side;

/* Reads records into s->q until it holds n (or the file ends). -1 on an error of the reader or
 * no memory (message to err). */
static int fill(side *s, int n, uint64_t kinds, uint32_t ignore, uint64_t *total, FILE *err)
{
    while (!s->eof && s->q.count < n) {
        cli_trace_rec r;
        int rc = next_kept(s->t, kinds, &r);
        if (rc < 0) {
            fprintf(err, "%s\n", cli_tracefile_error(s->t));
            return -1;
        }
        if (rc == 0) {
            s->eof = 1;
            break;
        }
        (*total)++;
        slot *sl = &s->q.slots[s->q.next];
        if (slot_set(sl, &r)) {
            fprintf(err, "cspsim: out of memory\n");
            return -1;
        }
        sl->hash = hash_rec(&sl->rec, ignore);
        s->q.next = (s->q.next + 1) % s->q.size;
        s->q.count++;
    }
    return 0;
}

typedef enum { OP_EQUAL, OP_DELETE, OP_INSERT } edit_op;

/* Scratch of the edit script: Myers' furthest points per edit count, and the script. */
typedef struct {
    int *hist;  /* (CLI_DIFF_MAX_EDITS + 1)^2 ints: for d edits, x of diagonal k at hist[d*d + d + k] */
    char *ops;  /* 2 * CLI_DIFF_WINDOW ops */
} script;

static int same_at(const side *a, const side *b, int x, int y, uint32_t ignore)
{
    const slot *sa = ring_at(&a->q, x), *sb = ring_at(&b->q, y);
    return sa->hash == sb->hash && !records_differ(&sa->rec, &sb->rec, ignore);
}

/* Myers' O(ND) greedy search over the first n records of a->q and m of b->q: the shortest edit
 * script from (0, 0) to (n, m), or to x = n when cut_a (A's window is cut there, not at the
 * end of its file: what follows is unknown), or to y = m when cut_b. Writes the ops to sc->ops
 * in order and returns their count, 0 when more than CLI_DIFF_MAX_EDITS edits would be
 * needed. */
static int edit_script(const side *a, const side *b, int n, int m, int cut_a, int cut_b, uint32_t ignore, script *sc)
{
    int dmax = CLI_DIFF_MAX_EDITS;
    int found = -1, fk = 0;
    for (int d = 0; d <= dmax && found < 0; d++) {
        int *v = sc->hist + d * d + d, *pv = d ? sc->hist + (d - 1) * (d - 1) + (d - 1) : NULL;
        for (int k = -d; k <= d; k += 2) {
            int x;
            if (d == 0)
                x = 0;
            else if (k == -d || (k != d && pv[k - 1] < pv[k + 1]))
                x = pv[k + 1]; /* down: insert b[y] */
            else
                x = pv[k - 1] + 1; /* right: delete a[x] */
            int y = x - k; /* on the grid: every point of d - 1 had x < n and y < m */
            while (x < n && y < m && same_at(a, b, x, y, ignore))
                x++, y++;
            v[k] = x;
            if ((x >= n && (y >= m || cut_a)) || (y >= m && cut_b)) {
                found = d;
                fk = k;
                break;
            }
        }
    }
    if (found < 0)
        return 0;
    /* back from (x, y) on diagonal fk: each edit, then the equal records before it */
    int len = 0, k = fk, x = sc->hist[found * found + found + fk];
    char *rev = sc->ops + 2 * CLI_DIFF_WINDOW; /* built backwards, ending here */
    for (int d = found; d > 0; d--) {
        const int *pv = sc->hist + (d - 1) * (d - 1) + (d - 1);
        int down = k == -d || (k != d && pv[k - 1] < pv[k + 1]);
        int pk = down ? k + 1 : k - 1, px = pv[pk], sx = down ? px : px + 1; /* x after the edit */
        for (; x > sx; x--)
            rev[-++len] = OP_EQUAL;
        rev[-++len] = down ? OP_INSERT : OP_DELETE;
        x = px;
        k = pk;
    }
    for (; x > 0; x--)
        rev[-++len] = OP_EQUAL;
    memmove(sc->ops, rev - len, (size_t)len);
    return len;
}

/* Takes the first record of s (it is no longer needed: the printer copied what it keeps). */
static const cli_trace_rec *front(const side *s, int i)
{
    return &ring_at(&s->q, i)->rec;
}

/* Prints the changes at the start of the windows, which differ at their first records, and
 * takes them with the equal records the script puts after them. -1 when memory ran out. */
static int realign(side *a, side *b, uint32_t ignore, script *sc, printer *p)
{
    int n = a->q.count, m = b->q.count;
    /* one side at its end, the other cut: look no further into the longer one than the edit
     * budget can reach, so that the script need not insert all of its window */
    if (a->eof && !b->eof && m > n + CLI_DIFF_MAX_EDITS / 2)
        m = n + CLI_DIFF_MAX_EDITS / 2;
    if (b->eof && !a->eof && n > m + CLI_DIFF_MAX_EDITS / 2)
        n = m + CLI_DIFF_MAX_EDITS / 2;
    int cut_a = !a->eof || n < a->q.count, cut_b = !b->eof || m < b->q.count;
    int len = edit_script(a, b, n, m, cut_a, cut_b, ignore, sc);
    if (len == 0) {
        /* no script within CLI_DIFF_MAX_EDITS: pair the windows by position */
        int k = n < m ? n : m;
        for (int i = 0; i < k; i++) {
            if (same_at(a, b, i, i, ignore)) {
                if (ev_equal(p, front(a, i)))
                    return -1;
            } else {
                ev_change(p, front(a, i), front(b, i));
            }
        }
        ring_drop(&a->q, k);
        ring_drop(&b->q, k);
        return 0;
    }
    int x = 0, y = 0;
    for (int i = 0; i < len; i++) {
        x += sc->ops[i] != OP_INSERT;
        y += sc->ops[i] != OP_DELETE;
    }
    /* at a cut end, the last edits might pair with records past the window: keep them for the
     * next window, unless nothing else would be taken */
    if ((x >= n && cut_a) || (y >= m && cut_b)) {
        int keep = len;
        while (keep > 0 && sc->ops[keep - 1] != OP_EQUAL)
            keep--;
        if (keep > 0)
            len = keep;
    }
    x = y = 0;
    for (int i = 0; i < len;) {
        if (sc->ops[i] == OP_EQUAL) {
            if (ev_equal(p, front(a, x)))
                return -1;
            x++, y++, i++;
            continue;
        }
        /* a run of edits: its deletions and insertions pair up as changed records */
        int dels = 0, ins = 0;
        for (; i < len && sc->ops[i] != OP_EQUAL; i++)
            dels += sc->ops[i] == OP_DELETE, ins += sc->ops[i] == OP_INSERT;
        for (int j = 0; j < dels || j < ins; j++)
            ev_change(p, j < dels ? front(a, x + j) : NULL, j < ins ? front(b, y + j) : NULL);
        x += dels;
        y += ins;
    }
    ring_drop(&a->q, x);
    ring_drop(&b->q, y);
    return 0;
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

static void report_counts(FILE *out, const printer *p, uint64_t na, uint64_t nb, const cli_diff_opts *o)
{
    fprintf(out, "%" PRIu64 " hunk%s: %" PRIu64 " changed, %" PRIu64 " inserted in B, %" PRIu64
                 " deleted from A; A has %" PRIu64 " records%s, B has %" PRIu64 "\n",
            p->hunks, p->hunks == 1 ? "" : "s", p->changed, p->inserted, p->deleted, na,
            o->kinds ? " of the compared kinds" : "", nb);
    if (p->hunks > (uint64_t)p->max_hunks)
        fprintf(out, "%" PRIu64 " hunk%s not shown (--max-hunks %d)\n", p->hunks - (uint64_t)p->max_hunks,
                p->hunks - (uint64_t)p->max_hunks == 1 ? "" : "s", p->max_hunks);
}

/* Streams both traces: equal pairs pass through the printer without a copy beyond the context
 * ring; at a difference both windows are filled and realigned (see tracecmd.h); a side at its
 * end makes every record of the other one a deletion or an insertion. */
int cli_trace_diff(const char *a_path, const char *b_path, const cli_diff_opts *opts, FILE *out)
{
    cli_diff_opts defaults;
    cli_diff_opts_init(&defaults);
    const cli_diff_opts *o = opts ? opts : &defaults;
    FILE *err = o->err ? o->err : out;
    /* seq is shown, never compared: a record inserted earlier renumbers every later one */
    uint32_t ignore = o->ignore | 1u << CLI_TF_SEQ;
    int rc = 2, context = o->context < 0 ? 0 : o->context > CLI_DIFF_MAX_CONTEXT ? CLI_DIFF_MAX_CONTEXT : o->context;
    char msg[4608];
    printer p;
    memset(&p, 0, sizeof p);
    p.out = out;
    p.ignore = ignore;
    p.context = context;
    p.max_hunks = o->max_hunks < 0 ? 0 : o->max_hunks;
    side a = {0}, b = {0};
    script sc = {0};
    uint64_t na = 0, nb = 0;
    if (!(a.t = cli_tracefile_open(a_path, msg, sizeof msg)) || !(b.t = cli_tracefile_open(b_path, msg, sizeof msg))) {
        fprintf(err, "%s\n", msg);
        goto done;
    }
    p.path_a = cli_tracefile_path(a.t);
    p.path_b = cli_tracefile_path(b.t);
    if (ring_init(&p.before, context))
        goto oom;
    for (;;) {
        if (a.q.count == 0 && b.q.count == 0 && !a.eof && !b.eof) {
            /* in step: compare the records as read, copying nothing but the context */
            cli_trace_rec ra, rb;
            int ea = next_kept(a.t, o->kinds, &ra), eb = next_kept(b.t, o->kinds, &rb);
            if (ea < 0 || eb < 0) {
                fprintf(err, "%s\n", cli_tracefile_error(ea < 0 ? a.t : b.t));
                goto done;
            }
            if (!ea && !eb)
                break;
            na += (uint64_t)ea;
            nb += (uint64_t)eb;
            if (ea && eb && !records_differ(&ra, &rb, ignore)) {
                if (ev_equal(&p, &ra))
                    goto oom;
                continue;
            }
            if (!a.q.slots && (ring_init(&a.q, CLI_DIFF_WINDOW) || ring_init(&b.q, CLI_DIFF_WINDOW) ||
                               !(sc.hist = malloc(sizeof *sc.hist * (CLI_DIFF_MAX_EDITS + 1) * (CLI_DIFF_MAX_EDITS + 1))) ||
                               !(sc.ops = malloc(4 * CLI_DIFF_WINDOW))))
                goto oom;
            a.eof = !ea;
            b.eof = !eb;
            for (int s = 0; s < 2; s++) {
                side *sd = s ? &b : &a;
                if (!sd->eof) {
                    slot *sl = &sd->q.slots[sd->q.next];
                    if (slot_set(sl, s ? &rb : &ra))
                        goto oom;
                    sl->hash = hash_rec(&sl->rec, ignore);
                    sd->q.next = (sd->q.next + 1) % sd->q.size;
                    sd->q.count++;
                }
            }
        }
        if (fill(&a, 1, o->kinds, ignore, &na, err) || fill(&b, 1, o->kinds, ignore, &nb, err))
            goto done;
        if (a.q.count == 0 && b.q.count == 0)
            break;
        if (a.q.count == 0 || b.q.count == 0) {
            /* one side has ended: the other's records are deleted or inserted, one by one */
            side *s = a.q.count ? &a : &b;
            ev_change(&p, s == &a ? front(&a, 0) : NULL, s == &b ? front(&b, 0) : NULL);
            ring_drop(&s->q, 1);
            continue;
        }
        if (same_at(&a, &b, 0, 0, ignore)) {
            if (ev_equal(&p, front(&a, 0)))
                goto oom;
            ring_drop(&a.q, 1);
            ring_drop(&b.q, 1);
            continue;
        }
        if (fill(&a, CLI_DIFF_WINDOW, o->kinds, ignore, &na, err) ||
            fill(&b, CLI_DIFF_WINDOW, o->kinds, ignore, &nb, err))
            goto done;
        if (realign(&a, &b, ignore, &sc, &p))
            goto oom;
    }
    if (p.in_hunk && p.visible)
        flush_more(&p);
    if (p.hunks == 0) {
        report_same(out, na, o);
        rc = 0;
    } else {
        report_counts(out, &p, na, nb, o);
        rc = 1;
    }
    goto done;
oom:
    fprintf(err, "cspsim: out of memory\n");
done:
    ring_free(&p.before);
    ring_free(&a.q);
    ring_free(&b.q);
    free(sc.hist);
    free(sc.ops);
    cli_tracefile_close(a.t);
    cli_tracefile_close(b.t);
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
    "usage: cspsim diff A B [--ignore FIELD]... [--kinds K,...] [--context N] [--max-hunks N]\n"
    "\n"
    "Compares two traces as diff -u compares two files, with records for lines. A and B are\n"
    "trace.jsonl files or run directories holding one (cspsim run -o DIR). Two records are\n"
    "equal when every compared column is; the shortest edit script (records deleted from A,\n"
    "records inserted into B) is printed as hunks:\n"
    "  hunk 1 at record 3 of A, 3 of B:\n"
    "    A:2     ...      equal records around the change (context)\n"
    "  - A:3     ...      only in A (deleted), or A's side of a changed record\n"
    "  + B:3     ...      only in B (inserted), or B's side of a changed record\n"
    "      amount: 4320.00 | 4104.00      each column that differs in a changed record\n"
    "then the count of hunks and of changed, inserted and deleted records. So one inserted\n"
    "record shows as one hunk and the records after it line up again. Both files are\n"
    "streamed: traces of any length work. The realignment looks 2048 records ahead of a\n"
    "difference and uses at most 512 edits there; beyond that (a block of more than 512\n"
    "inserted records, or traces that no longer agree at all) the records pair up by\n"
    "position as changed records, 2048 at a time. The seq column is shown but never\n"
    "compared: a record inserted earlier renumbers every later one.\n"
    "\n"
    "  --ignore FIELD   do not compare this column; repeatable, or FIELD,FIELD. Columns:\n"
    "                   time kind action outcome reason rule tenant partner\n"
    "                   subscription from_state to_state licenses amount detail\n"
    "  --kinds K,...    compare only records of these kinds (charge, refund, action, ...);\n"
    "                   the others are dropped from both traces before comparing\n"
    "  --context N      equal records shown before and after each hunk (default 3, 0..100);\n"
    "                   hunks at most N records apart merge\n"
    "  --max-hunks N    hunks printed (default 5, 0..1000000); the others are counted\n"
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
        if (strcmp(arg, "--ignore") == 0 || strcmp(arg, "--kinds") == 0 || strcmp(arg, "--context") == 0 ||
            strcmp(arg, "--max-hunks") == 0) {
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
            } else if (strcmp(arg, "--max-hunks") == 0) {
                if (cli_parse_count(argv[i], 0, CLI_DIFF_MAX_HUNKS, &context)) {
                    snprintf(msg, sizeof msg, "--max-hunks needs a whole number from 0 to %d", CLI_DIFF_MAX_HUNKS);
                    return cli_usage_error(stderr, "diff", "%s", msg);
                }
                o.max_hunks = (int)context;
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
