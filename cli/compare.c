/* cli/compare.c - `cspsim compare`: a streaming JSON reader for summary.json and a CSV
 * reader for points.csv, both flattening their input into named figures; the pairing of two
 * lists of figures and the table or JSON that shows them.
 *
 * Numbers are kept as written and, when they have no exponent and fit, as an exact decimal
 * (an int64 and a count of decimals): money deltas are computed in minor units, never in
 * floating point. No tree is built: memory is the figures' names and numbers, and a hash
 * table of the names per side. */
#include "cli/textout.h"
#include "cli/compare.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/args.h"
#include "cli/exit.h"

/* ---- figures --------------------------------------------------------------------------- */

typedef struct {
    size_t name, text; /* offsets of NUL-terminated strings in side.pool */
    int64_t m;         /* exact: the value is m / 10^dec */
    double d;          /* the value (always set) */
    int dec;           /* digits after the point; -1 with an exponent */
    unsigned char exact, zero_if_missing;
} figure;

enum { KIND_SUMMARY, KIND_POINTS };

typedef struct {
    const char *path; /* the file read (owned: built from the argument) */
    int kind;
    figure *f;
    size_t n, cap;
    char *pool;
    size_t npool, cap_pool;
    size_t *slots; /* open addressing: figure index + 1, 0 free */
    size_t nslots;
    size_t scenario, seed, fingerprint; /* offsets in pool, 0: absent (pool[0] is "") */
    size_t rows;                         /* points.csv: data rows */
} side;

static void side_free(side *s)
{
    free((void *)s->path);
    free(s->f);
    free(s->pool);
    free(s->slots);
}

static uint64_t hash_name(const char *s)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * UINT64_C(0x100000001b3);
    return h;
}

/* The figure named name, or SIZE_MAX. */
static size_t side_find(const side *s, const char *name)
{
    if (!s->nslots)
        return SIZE_MAX;
    size_t i = (size_t)hash_name(name) & (s->nslots - 1);
    for (; s->slots[i]; i = (i + 1) & (s->nslots - 1))
        if (strcmp(s->pool + s->f[s->slots[i] - 1].name, name) == 0)
            return s->slots[i] - 1;
    return SIZE_MAX;
}

static int grow_slots(side *s)
{
    size_t n = s->nslots ? s->nslots * 2 : 1024;
    size_t *slots = calloc(n, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t k = 0; k < s->n; k++) {
        size_t i = (size_t)hash_name(s->pool + s->f[k].name) & (n - 1);
        while (slots[i])
            i = (i + 1) & (n - 1);
        slots[i] = k + 1;
    }
    free(s->slots);
    s->slots = slots;
    s->nslots = n;
    return 0;
}

/* Appends len bytes of str and a NUL to the pool; its offset, or SIZE_MAX out of memory. */
static size_t pool_add(side *s, const char *str, size_t len)
{
    if (s->npool + len + 1 > s->cap_pool) {
        size_t cap = s->cap_pool ? s->cap_pool : 4096;
        while (cap < s->npool + len + 1)
            cap *= 2;
        char *p = realloc(s->pool, cap);
        if (!p)
            return SIZE_MAX;
        s->pool = p;
        s->cap_pool = cap;
    }
    size_t off = s->npool;
    memcpy(s->pool + off, str, len);
    s->pool[off + len] = '\0';
    s->npool += len + 1;
    return off;
}

/* ---- numbers --------------------------------------------------------------------------- */

/* Nonzero when t is a JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int is_number(const char *t)
{
    const char *p = t + (*t == '-');
    if (*p == '0')
        p++;
    else if (*p >= '1' && *p <= '9')
        while (*p >= '0' && *p <= '9')
            p++;
    else
        return 0;
    if (*p == '.') {
        if (!(*++p >= '0' && *p <= '9'))
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        p += *p == '+' || *p == '-';
        if (!(*p >= '0' && *p <= '9'))
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == '\0';
}

/* Fills f's value from the number text t (is_number(t)). -1 when it is not finite. */
static int number_value(figure *f, const char *t)
{
    f->d = strtod(t, NULL); /* no setlocale anywhere: the point is '.' */
    if (!isfinite(f->d))
        return -1;
    f->dec = strpbrk(t, "eE") ? -1 : 0;
    const char *dot = strchr(t, '.');
    if (dot && f->dec == 0)
        f->dec = (int)strlen(dot + 1);
    f->exact = 0;
    if (f->dec < 0 || f->dec > 9)
        return 0;
    int64_t m = 0;
    for (const char *p = t + (*t == '-'); *p; p++) {
        if (*p == '.')
            continue;
        if (m > (INT64_MAX - 9) / 10)
            return 0; /* does not fit: kept as a double */
        m = m * 10 + (*p - '0');
    }
    f->m = *t == '-' ? -m : m;
    f->exact = 1;
    return 0;
}

/* ---- the input: one byte of look-ahead, its line and column, the byte limit ------------ */

typedef struct {
    FILE *in;
    const char *file;
    int c; /* look-ahead, EOF at the end */
    unsigned long line, col;
    uint64_t bytes;
    int status; /* 0, or the exit status of the first error */
    char msg[CLI_COMPARE_MAX_NAME + 256];
    side *s;
    char path[CLI_COMPARE_MAX_NAME + 1]; /* JSON: the name of the value being read */
    size_t plen;
} src;

static int src_fail(src *r, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Records the first error (with the look-ahead's place for status 2) and returns -1. */
static int src_fail(src *r, int status, const char *fmt, ...)
{
    if (r->status)
        return -1;
    r->status = status;
    char m[sizeof r->msg - 64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof m, fmt, ap);
    va_end(ap);
    if (status == CLI_EXIT_USAGE)
        snprintf(r->msg, sizeof r->msg, "%s:%lu:%lu: error: %s", r->file, r->line, r->col, m);
    else
        snprintf(r->msg, sizeof r->msg, "cspsim: %s", m);
    return -1;
}

static int src_nomem(src *r)
{
    return src_fail(r, 1, "out of memory reading %s", r->file);
}

static void src_next(src *r)
{
    if (r->c == '\n') {
        r->line++;
        r->col = 1;
    } else if (r->c != EOF) {
        r->col++;
    }
    r->c = getc(r->in);
    if (r->c != EOF && ++r->bytes > CLI_COMPARE_MAX_BYTES) {
        src_fail(r, CLI_EXIT_USAGE, "the file is longer than %llu bytes", (unsigned long long)CLI_COMPARE_MAX_BYTES);
        r->c = EOF;
    }
}

static void src_space(src *r)
{
    while (r->c == ' ' || r->c == '\t' || r->c == '\n' || r->c == '\r')
        src_next(r);
}

/* Adds the figure r->path = text (a number) to the side. */
static int add_figure(src *r, const char *text, int zero_if_missing)
{
    side *s = r->s;
    if (s->n >= CLI_COMPARE_MAX_FIGURES)
        return src_fail(r, CLI_EXIT_USAGE, "more than %d figures", CLI_COMPARE_MAX_FIGURES);
    if (side_find(s, r->path) != SIZE_MAX)
        return src_fail(r, CLI_EXIT_USAGE, "%s appears twice", r->path);
    figure f = {0};
    if (number_value(&f, text))
        return src_fail(r, CLI_EXIT_USAGE, "%s: the number %s is out of range", r->path, text);
    f.zero_if_missing = (unsigned char)zero_if_missing;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        figure *nf = realloc(s->f, cap * sizeof *nf);
        if (!nf)
            return src_nomem(r);
        s->f = nf;
        s->cap = cap;
    }
    if ((s->n + 1) * 2 > s->nslots && grow_slots(s))
        return src_nomem(r);
    if ((f.name = pool_add(s, r->path, r->plen)) == SIZE_MAX || (f.text = pool_add(s, text, strlen(text))) == SIZE_MAX)
        return src_nomem(r);
    size_t i = (size_t)hash_name(r->path) & (s->nslots - 1);
    while (s->slots[i])
        i = (i + 1) & (s->nslots - 1);
    s->slots[i] = s->n + 1;
    s->f[s->n++] = f;
    return 0;
}

/* ---- summary.json ---------------------------------------------------------------------- */

/* Appends "[id]" (bracket) or ".name" (the dot left out at the start) to the path. */
static int path_push(src *r, const char *name, int bracket)
{
    int n = snprintf(r->path + r->plen, sizeof r->path - r->plen, bracket ? "[%s]" : r->plen ? ".%s" : "%s", name);
    if (n < 0 || (size_t)n >= sizeof r->path - r->plen)
        return src_fail(r, CLI_EXIT_USAGE, "a figure's name is longer than %d bytes", CLI_COMPARE_MAX_NAME);
    r->plen += (size_t)n;
    return 0;
}

static void put_utf8(char *buf, size_t *n, unsigned long cp)
{
    if (cp < 0x80) {
        buf[(*n)++] = (char)cp;
    } else if (cp < 0x800) {
        buf[(*n)++] = (char)(0xC0 | (cp >> 6));
        buf[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        buf[(*n)++] = (char)(0xE0 | (cp >> 12));
        buf[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        buf[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else {
        buf[(*n)++] = (char)(0xF0 | (cp >> 18));
        buf[(*n)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
        buf[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        buf[(*n)++] = (char)(0x80 | (cp & 0x3F));
    }
}

/* Four hex digits after \u; -1 on an error. */
static long hex4(src *r)
{
    long v = 0;
    for (int i = 0; i < 4; i++) {
        src_next(r);
        int c = r->c, d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                                         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return src_fail(r, CLI_EXIT_USAGE, "\\u needs four hex digits");
        v = v * 16 + d;
    }
    return v;
}

/* The buffer of a decoded string: the limit, one UTF-8 sequence past it, the NUL. */
#define STRBUF (CLI_COMPARE_MAX_STRING + 4)

/* A JSON string at r->c == '"' into buf (STRBUF bytes), decoded. */
static int read_string(src *r, char *buf)
{
    size_t n = 0;
    src_next(r);
    while (r->c != '"') {
        if (r->c == EOF)
            return src_fail(r, CLI_EXIT_USAGE, "a string is not closed");
        if (r->c < 0x20)
            return src_fail(r, CLI_EXIT_USAGE, "a control character in a string (write it as \\u00XX)");
        if (n > CLI_COMPARE_MAX_STRING)
            break;
        if (r->c != '\\') {
            buf[n++] = (char)r->c;
            src_next(r);
            continue;
        }
        src_next(r);
        const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t", *e = r->c != EOF ? strchr(from, r->c) : NULL;
        if (e && *e) {
            buf[n++] = to[e - from];
        } else if (r->c == 'u') {
            long cp = hex4(r);
            if (cp < 0)
                return -1;
            if (cp >= 0xD800 && cp < 0xDC00) { /* a surrogate pair */
                src_next(r);
                if (r->c != '\\')
                    return src_fail(r, CLI_EXIT_USAGE, "a lone surrogate \\u%04lX", (unsigned long)cp);
                src_next(r);
                long lo = r->c == 'u' ? hex4(r) : -1;
                if (lo < 0xDC00 || lo > 0xDFFF)
                    return src_fail(r, CLI_EXIT_USAGE, "a lone surrogate \\u%04lX", (unsigned long)cp);
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                return src_fail(r, CLI_EXIT_USAGE, "a lone surrogate \\u%04lX", (unsigned long)cp);
            } else if (cp == 0) {
                return src_fail(r, CLI_EXIT_USAGE, "a string holds \\u0000");
            }
            put_utf8(buf, &n, (unsigned long)cp);
        } else {
            return src_fail(r, CLI_EXIT_USAGE, "an unknown escape in a string");
        }
        src_next(r);
    }
    if (n > CLI_COMPARE_MAX_STRING)
        return src_fail(r, CLI_EXIT_USAGE, "a string is longer than %d bytes", CLI_COMPARE_MAX_STRING);
    src_next(r);
    buf[n] = '\0';
    return 0;
}

/* A number's characters at r->c into buf (CLI_COMPARE_MAX_NUMBER + 1 bytes), checked. */
static int read_number(src *r, char *buf)
{
    size_t n = 0;
    while (r->c == '-' || r->c == '+' || r->c == '.' || r->c == 'e' || r->c == 'E' || (r->c >= '0' && r->c <= '9')) {
        if (n == CLI_COMPARE_MAX_NUMBER)
            return src_fail(r, CLI_EXIT_USAGE, "a number is longer than %d characters", CLI_COMPARE_MAX_NUMBER);
        buf[n++] = (char)r->c;
        src_next(r);
    }
    buf[n] = '\0';
    if (!is_number(buf))
        return src_fail(r, CLI_EXIT_USAGE, "'%s' is not a number", buf);
    return 0;
}

static int read_value(src *r, int depth, int counts);

static int read_literal(src *r)
{
    static const char *const words[] = {"true", "false", "null"};
    for (size_t i = 0; i < 3; i++) {
        if (r->c != words[i][0])
            continue;
        for (const char *p = words[i]; *p; p++, src_next(r))
            if (r->c != *p)
                return src_fail(r, CLI_EXIT_USAGE, "expected %s", words[i]);
        return 0;
    }
    return src_fail(r, CLI_EXIT_USAGE, "expected a value");
}

/* Nonzero for the maps whose missing members are zero counts (summary.json writes only the
 * codes and kinds that occurred). */
static int is_count_map(const char *key)
{
    return strcmp(key, "rejections_by_reason") == 0 || strcmp(key, "records_by_kind") == 0;
}

/* An object at r->c == '{'. index >= 0: it is that element of an array, named by its first
 * member "id" when that is a string, else by index. counts: its numbers are zero when missing. */
static int read_object(src *r, int depth, long index, int counts)
{
    char key[STRBUF];
    size_t base = r->plen;
    src_next(r);
    src_space(r);
    if (r->c == '}') {
        src_next(r);
        return 0;
    }
    for (int first = 1;; first = 0) {
        if (r->c != '"')
            return src_fail(r, CLI_EXIT_USAGE, "expected a member name in quotes");
        if (read_string(r, key))
            return -1;
        src_space(r);
        if (r->c != ':')
            return src_fail(r, CLI_EXIT_USAGE, "expected ':' after \"%s\"", key);
        src_next(r);
        src_space(r);
        if (first && index >= 0 && strcmp(key, "id") == 0 && r->c == '"') {
            char id[STRBUF];
            if (read_string(r, id) || path_push(r, id, 1))
                return -1;
        } else {
            char num[24];
            snprintf(num, sizeof num, "%ld", index);
            if (first && index >= 0 && path_push(r, num, 1))
                return -1;
            size_t here = r->plen;
            if (depth == 1 && r->c == '"' &&
                (strcmp(key, "scenario") == 0 || strcmp(key, "fingerprint") == 0)) { /* who, not a figure */
                char v[STRBUF];
                size_t off;
                if (read_string(r, v))
                    return -1;
                if ((off = pool_add(r->s, v, strlen(v))) == SIZE_MAX)
                    return src_nomem(r);
                *(key[0] == 's' ? &r->s->scenario : &r->s->fingerprint) = off;
            } else if (depth == 1 && strcmp(key, "seed") == 0 && (r->c == '-' || (r->c >= '0' && r->c <= '9'))) {
                char v[CLI_COMPARE_MAX_NUMBER + 1];
                if (read_number(r, v) || (r->s->seed = pool_add(r->s, v, strlen(v))) == SIZE_MAX)
                    return r->status ? -1 : src_nomem(r);
            } else {
                if (path_push(r, key, 0))
                    return -1;
                if (r->c == '-' || (r->c >= '0' && r->c <= '9')) {
                    char v[CLI_COMPARE_MAX_NUMBER + 1];
                    if (read_number(r, v) || add_figure(r, v, counts))
                        return -1;
                } else if (read_value(r, depth, is_count_map(key))) {
                    return -1;
                }
            }
            r->plen = here;
            r->path[here] = '\0';
        }
        src_space(r);
        if (r->c == '}')
            break;
        if (r->c != ',')
            return src_fail(r, CLI_EXIT_USAGE, "expected ',' or '}'");
        src_next(r);
        src_space(r);
    }
    src_next(r);
    r->plen = base;
    r->path[base] = '\0';
    return 0;
}

static int read_array(src *r, int depth)
{
    size_t base = r->plen;
    src_next(r);
    src_space(r);
    if (r->c == ']') {
        src_next(r);
        return 0;
    }
    for (long i = 0;; i++) {
        if (r->c == '{') {
            if (depth + 1 > CLI_COMPARE_MAX_DEPTH)
                return src_fail(r, CLI_EXIT_USAGE, "nested deeper than %d", CLI_COMPARE_MAX_DEPTH);
            if (read_object(r, depth + 1, i, 0))
                return -1;
        } else {
            char num[24];
            snprintf(num, sizeof num, "%ld", i);
            if (path_push(r, num, 1))
                return -1;
            if (r->c == '-' || (r->c >= '0' && r->c <= '9')) {
                char v[CLI_COMPARE_MAX_NUMBER + 1];
                if (read_number(r, v) || add_figure(r, v, 0))
                    return -1;
            } else if (read_value(r, depth, 0)) {
                return -1;
            }
        }
        r->plen = base;
        r->path[base] = '\0';
        src_space(r);
        if (r->c == ']')
            break;
        if (r->c != ',')
            return src_fail(r, CLI_EXIT_USAGE, "expected ',' or ']'");
        src_next(r);
        src_space(r);
    }
    src_next(r);
    return 0;
}

/* A value other than a number (those are figures, read by the caller) at depth. */
static int read_value(src *r, int depth, int counts)
{
    if ((r->c == '{' || r->c == '[') && depth + 1 > CLI_COMPARE_MAX_DEPTH)
        return src_fail(r, CLI_EXIT_USAGE, "nested deeper than %d", CLI_COMPARE_MAX_DEPTH);
    if (r->c == '{')
        return read_object(r, depth + 1, -1, counts);
    if (r->c == '[')
        return read_array(r, depth + 1);
    if (r->c == '"') {
        char v[STRBUF];
        return read_string(r, v);
    }
    return read_literal(r);
}

static int read_summary(src *r)
{
    if (read_object(r, 1, -1, 0))
        return -1;
    src_space(r);
    if (r->c != EOF)
        return src_fail(r, CLI_EXIT_USAGE, "text after the summary's closing brace");
    return 0;
}

/* ---- points.csv ------------------------------------------------------------------------ */

/* The next line (without its \n and a \r before it) into buf; its length, or -1 at the end. */
static long read_line(src *r, char *buf)
{
    if (r->c == EOF)
        return -1;
    size_t n = 0;
    while (r->c != '\n' && r->c != EOF) {
        if (n == CLI_COMPARE_MAX_LINE)
            return src_fail(r, CLI_EXIT_USAGE, "a line is longer than %d bytes", CLI_COMPARE_MAX_LINE);
        buf[n++] = (char)r->c;
        src_next(r);
    }
    if (n && buf[n - 1] == '\r')
        n--;
    buf[n] = '\0';
    return (long)n;
}

/* Splits line (of r->line) into fields, in place: commas, "quoted" fields with "" for a
 * quote. Their count, or -1 on an error. */
static int split_fields(src *r, char *line, char **fields)
{
    int n = 0;
    char *p = line;
    for (;;) {
        if (n == CLI_COMPARE_MAX_COLUMNS)
            return src_fail(r, CLI_EXIT_USAGE, "more than %d columns", CLI_COMPARE_MAX_COLUMNS);
        r->col = (unsigned long)(p - line) + 1;
        char *out = p, *start = p;
        if (*p == '"') {
            p++;
            for (;;) {
                if (!*p)
                    return src_fail(r, CLI_EXIT_USAGE, "a quoted field is not closed");
                if (*p == '"' && p[1] != '"')
                    break;
                p += *p == '"';
                *out++ = *p++;
            }
            p++;
            if (*p && *p != ',')
                return src_fail(r, CLI_EXIT_USAGE, "text after a quoted field");
        } else {
            while (*p && *p != ',')
                out++, p++;
        }
        if (out - start > CLI_COMPARE_MAX_STRING)
            return src_fail(r, CLI_EXIT_USAGE, "a field is longer than %d bytes", CLI_COMPARE_MAX_STRING);
        int last = *p == '\0';
        *out = '\0';
        fields[n++] = start;
        if (last)
            return n;
        p++;
    }
}

static int read_points(src *r)
{
    char *line = malloc(CLI_COMPARE_MAX_LINE + 1), **fields = malloc(CLI_COMPARE_MAX_COLUMNS * sizeof *fields);
    char **names = calloc(CLI_COMPARE_MAX_COLUMNS, sizeof *names);
    int nhead = 0, outcome = -1, mean = -1, rc = -1;
    if (!line || !fields || !names) {
        src_nomem(r);
        goto done;
    }
    long len;
    while ((len = read_line(r, line)) == 0) /* blank lines before the header */
        src_next(r);
    if (len < 0) {
        if (!r->status)
            src_fail(r, CLI_EXIT_USAGE, "no header line (point,...,outcome,n,mean,...)");
        goto done;
    }
    if ((nhead = split_fields(r, line, fields)) < 0)
        goto done;
    for (int i = 0; i < nhead; i++) {
        if (!(names[i] = strdup(fields[i]))) {
            src_nomem(r);
            goto done;
        }
        if (i > 0 && outcome < 0 && strcmp(fields[i], "outcome") == 0)
            outcome = i;
        else if (outcome > 0 && mean < 0 && strcmp(fields[i], "mean") == 0)
            mean = i;
    }
    r->col = 1;
    if (strcmp(names[0], "point") != 0 || outcome < 0 || mean < 0) {
        src_fail(r, CLI_EXIT_USAGE, "the header is not point,<vary keys>,outcome,n,mean,... (a sweep's points.csv)");
        goto done;
    }
    for (;;) {
        src_next(r); /* past the \n */
        if ((len = read_line(r, line)) < 0)
            break;
        if (len == 0)
            continue;
        int n = split_fields(r, line, fields);
        if (n < 0)
            goto done;
        r->col = 1;
        if (n != nhead) {
            src_fail(r, CLI_EXIT_USAGE, "%d fields, the header has %d", n, nhead);
            goto done;
        }
        if (!fields[0][0] || !fields[outcome][0]) {
            src_fail(r, CLI_EXIT_USAGE, "a row without its point or outcome");
            goto done;
        }
        int k = snprintf(r->path, sizeof r->path, "point %s", fields[0]);
        for (int i = 1; i < outcome && k >= 0 && (size_t)k < sizeof r->path; i++)
            k += snprintf(r->path + k, sizeof r->path - (size_t)k, "%s%s=%s", i == 1 ? " (" : ", ", names[i],
                          fields[i]);
        if (k >= 0 && (size_t)k < sizeof r->path)
            k += snprintf(r->path + k, sizeof r->path - (size_t)k, "%s %s", outcome > 1 ? ")" : "", fields[outcome]);
        if (k < 0 || (size_t)k >= sizeof r->path) {
            src_fail(r, CLI_EXIT_USAGE, "a row's name is longer than %d bytes", CLI_COMPARE_MAX_NAME);
            goto done;
        }
        r->plen = (size_t)k;
        char *v = fields[mean];
        for (int i = 0; i < mean; i++) /* the column of the mean, for the messages below */
            r->col += (unsigned long)strlen(fields[i]) + 1;
        if (!is_number(v) || strlen(v) > CLI_COMPARE_MAX_NUMBER) {
            src_fail(r, CLI_EXIT_USAGE, "mean '%.40s' is not a number", v);
            goto done;
        }
        if (add_figure(r, v, 0))
            goto done;
        r->s->rows++;
    }
    rc = r->status ? -1 : 0;
done:
    for (int i = 0; names && i < nhead; i++)
        free(names[i]);
    free(names);
    free(fields);
    free(line);
    return rc;
}

/* ---- reading one side ------------------------------------------------------------------ */

/* Reads path (a file or a directory with points.csv or summary.json) into s. 0, or the exit
 * status with its message printed to err. */
static int side_read(side *s, const char *path, FILE *err)
{
    struct stat st;
    char *file = NULL;
    size_t len = strlen(path);
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        static const char *const names[] = {"points.csv", "summary.json"};
        for (size_t i = 0; i < 2; i++) {
            free(file);
            if (!(file = malloc(len + 16)))
                break;
            snprintf(file, len + 16, "%s/%s", path, names[i]);
            if (stat(file, &st) == 0)
                break;
        }
        if (file && stat(file, &st) != 0) {
            fprintf(err, "cspsim: cannot read %s: no points.csv or summary.json in it\n", path);
            free(file);
            return CLI_EXIT_IOERR;
        }
    } else {
        file = strdup(path);
    }
    if (!file) {
        fprintf(err, "cspsim: out of memory\n");
        return 1;
    }
    s->path = file;
    if (pool_add(s, "", 0) == SIZE_MAX) { /* offset 0: absent */
        fprintf(err, "cspsim: out of memory\n");
        return 1;
    }
    src r = {0};
    r.file = file;
    r.s = s;
    r.line = r.col = 1;
    if (!(r.in = fopen(file, "rb"))) {
        fprintf(err, "cspsim: cannot read %s: %s\n", file, strerror(errno));
        return CLI_EXIT_IOERR;
    }
    r.c = getc(r.in);
    r.bytes = r.c != EOF;
    src_space(&r);
    if (r.c == EOF && !r.status && !ferror(r.in))
        src_fail(&r, CLI_EXIT_USAGE, "the file is empty (a summary.json or a points.csv)");
    else if (r.c == '{')
        s->kind = KIND_SUMMARY, read_summary(&r);
    else if (!r.status)
        s->kind = KIND_POINTS, read_points(&r);
    if (ferror(r.in)) {
        r.status = 0;
        src_fail(&r, CLI_EXIT_IOERR, "cannot read %s: %s", file, strerror(errno));
    }
    fclose(r.in);
    if (r.status)
        fprintf(err, "%s\n", r.msg);
    return r.status;
}

/* ---- pairing and printing -------------------------------------------------------------- */

typedef enum { ST_SAME, ST_WITHIN, ST_BEYOND, ST_ONLY_A, ST_ONLY_B } verdict;
static const char *const verdict_names[] = {"same", "within", "beyond", "only_a", "only_b"};

/* One line of the comparison: 24 bytes, so that ten million figures cost 240 MB; its texts
 * are made again when it is printed (judge). */
typedef struct {
    size_t a, b; /* figure indices; SIZE_MAX: missing from that side */
    verdict st;
} row;

/* A row as printed. */
typedef struct {
    verdict st;
    char va[CLI_COMPARE_MAX_NUMBER + 2], vb[CLI_COMPARE_MAX_NUMBER + 2]; /* as written, "0" or "-" */
    char delta[48], change[32];                                         /* "" when not computed */
} view;

/* 10^k * v exactly, or -1 when it does not fit. */
static int scale(int64_t v, int k, int64_t *out)
{
    for (; k > 0; k--) {
        if (v > INT64_MAX / 10 || v < INT64_MIN / 10)
            return -1;
        v *= 10;
    }
    *out = v;
    return 0;
}

/* The delta b - a as text (signed, the larger number of decimals); sets *zero. */
static void format_delta(const figure *fa, const figure *fb, char *buf, size_t size, int *zero)
{
    int dec = fa->dec > fb->dec ? fa->dec : fb->dec;
    int64_t ma, mb;
    if (fa->exact && fb->exact && !scale(fa->m, dec - fa->dec, &ma) && !scale(fb->m, dec - fb->dec, &mb) &&
        !((ma < 0 && mb > INT64_MAX + ma) || (ma > 0 && mb < INT64_MIN + ma))) {
        int64_t dm = mb - ma;
        uint64_t u = dm < 0 ? (uint64_t)0 - (uint64_t)dm : (uint64_t)dm, p = 1;
        for (int i = 0; i < dec; i++)
            p *= 10;
        *zero = dm == 0;
        char frac[24]; /* 20 digits, the last dec of them are the fraction (dec <= 9) */
        snprintf(frac, sizeof frac, "%020llu", (unsigned long long)(u % p));
        if (dec > 0)
            snprintf(buf, size, "%c%llu.%s", dm < 0 ? '-' : '+', (unsigned long long)(u / p), frac + 20 - dec);
        else
            snprintf(buf, size, "%c%llu", dm < 0 ? '-' : '+', (unsigned long long)u);
        return;
    }
    double d = fb->d - fa->d;
    *zero = d == 0;
    if (d == 0)
        d = 0; /* no -0 */
    if (fa->dec >= 0 && fb->dec >= 0)
        snprintf(buf, size, "%+.*f", dec > 12 ? 12 : dec, d);
    else
        snprintf(buf, size, "%+.6g", d);
}

/* Fills rw from figures ia of sa and ib of sb (either may be SIZE_MAX: the side does not
 * have it). With tolerance 0 any change is beyond it, also one too small for a double. */
static void judge(view *rw, const side *sa, size_t ia, const side *sb, size_t ib, double tol)
{
    const figure *fa = ia != SIZE_MAX ? &sa->f[ia] : NULL, *fb = ib != SIZE_MAX ? &sb->f[ib] : NULL;
    figure zero = {0};
    if (!fa && fb->zero_if_missing)
        fa = &zero, zero.exact = 1;
    if (!fb && fa->zero_if_missing)
        fb = &zero, zero.exact = 1;
    snprintf(rw->va, sizeof rw->va, "%s", fa == &zero ? "0" : fa ? sa->pool + fa->text : "-");
    snprintf(rw->vb, sizeof rw->vb, "%s", fb == &zero ? "0" : fb ? sb->pool + fb->text : "-");
    rw->delta[0] = rw->change[0] = '\0';
    if (!fa || !fb) {
        rw->st = fa ? ST_ONLY_A : ST_ONLY_B;
        return;
    }
    int same;
    format_delta(fa, fb, rw->delta, sizeof rw->delta, &same);
    double d = fb->d - fa->d, big = fmax(fabs(fa->d), fabs(fb->d));
    rw->st = same ? ST_SAME : tol == 0 || fabs(d) > tol * big ? ST_BEYOND : ST_WITHIN;
    if (fa->d != 0)
        snprintf(rw->change, sizeof rw->change, "%+.2f%%", (same ? 0 : d) / fabs(fa->d) * 100);
    else if (same)
        snprintf(rw->change, sizeof rw->change, "+0.00%%");
}

static const char *row_name(const side *a, const side *b, const row *rw)
{
    return rw->a != SIZE_MAX ? a->pool + a->f[rw->a].name : b->pool + b->f[rw->b].name;
}

/* The rows in A's order; figures only in B come where B has them. NULL out of memory. */
static row *pair(const side *a, const side *b, double tol, size_t *nrows)
{
    row *rows = malloc((a->n + b->n + 1) * sizeof *rows);
    unsigned char *done = calloc(b->n + 1, 1);
    size_t n = 0, i = 0, j = 0;
    if (!rows || !done) {
        free(rows);
        free(done);
        return NULL;
    }
    while (i < a->n || j < b->n) {
        if (j < b->n && done[j]) {
            j++;
            continue;
        }
        size_t ia = SIZE_MAX, ib = SIZE_MAX;
        if (i < a->n) {
            size_t k = side_find(b, a->pool + a->f[i].name);
            if (k == SIZE_MAX || k == j || j >= b->n || side_find(a, b->pool + b->f[j].name) != SIZE_MAX) {
                ia = i++; /* A's figure: alone, or with its B (in place, or out of order) */
                ib = k;
            } else {
                ib = j; /* B's figure here is only in B */
            }
        } else {
            ib = j;
        }
        if (ib != SIZE_MAX) {
            done[ib] = 1;
            j += ib == j;
        }
        view v;
        judge(&v, a, ia, b, ib, tol);
        rows[n].a = ia;
        rows[n].b = ib;
        rows[n++].st = v.st;
    }
    free(done);
    *nrows = n;
    return rows;
}

/* A number's text for JSON: "-" is null, a leading '+' dropped. */
static void json_number(FILE *out, const char *t)
{
    if (!*t || strcmp(t, "-") == 0)
        fputs("null", out);
    else
        fputs(t + (*t == '+'), out);
}

static void json_side(FILE *out, const char *key, const side *s)
{
    fprintf(out, "  \"%s\": {\"path\": ", key);
    cli_json_string(out, s->path);
    if (s->kind == KIND_POINTS) {
        fprintf(out, ", \"rows\": %zu", s->rows);
    } else {
        if (s->scenario)
            fputs(", \"scenario\": ", out), cli_json_string(out, s->pool + s->scenario);
        if (s->seed)
            fprintf(out, ", \"seed\": %s", s->pool + s->seed);
        if (s->fingerprint)
            fputs(", \"fingerprint\": ", out), cli_json_string(out, s->pool + s->fingerprint);
    }
    fputs("},\n", out);
}

static void text_side(FILE *out, const char *label, const side *s)
{
    fprintf(out, "%s = %s", label, s->path);
    if (s->kind == KIND_POINTS) {
        fprintf(out, ": %zu rows\n", s->rows);
        return;
    }
    const char *sep = ": ";
    if (s->scenario)
        fprintf(out, "%sscenario %s", sep, s->pool + s->scenario), sep = ", ";
    if (s->seed)
        fprintf(out, "%sseed %s", sep, s->pool + s->seed), sep = ", ";
    if (s->fingerprint)
        fprintf(out, "%sfingerprint %s", sep, s->pool + s->fingerprint);
    fputc('\n', out);
}

static void print_rows(const side *a, const side *b, const row *rows, size_t n, const cli_compare_opts *o,
                       const char *tol, FILE *out)
{
    view v, *rw = &v;
    size_t count[5] = {0};
    for (size_t i = 0; i < n; i++)
        count[rows[i].st]++;
    if (o->json) {
        fputs("{\n", out);
        fprintf(out, "  \"kind\": \"%s\",\n", a->kind == KIND_POINTS ? "points" : "summary");
        json_side(out, "a", a);
        json_side(out, "b", b);
        fprintf(out, "  \"tolerance\": %s,\n  \"figures\": [", tol);
        const char *sep = "\n";
        for (size_t i = 0; i < n; i++) {
            if (o->changed_only && rows[i].st == ST_SAME)
                continue;
            judge(rw, a, rows[i].a, b, rows[i].b, o->tolerance);
            fprintf(out, "%s    {\"figure\": ", sep);
            cli_json_string(out, row_name(a, b, &rows[i]));
            fputs(", \"a\": ", out);
            json_number(out, rw->va);
            fputs(", \"b\": ", out);
            json_number(out, rw->vb);
            fputs(", \"delta\": ", out);
            json_number(out, rw->delta);
            fputs(", \"change_pct\": ", out);
            const char *pct = rw->change + (rw->change[0] == '+');
            if (*pct)
                fprintf(out, "%.*s", (int)strlen(pct) - 1, pct); /* without the '%' */
            else
                fputs("null", out);
            fprintf(out, ", \"status\": \"%s\"}", verdict_names[rw->st]);
            sep = ",\n";
        }
        fprintf(out, "%s],\n", sep[0] == ',' ? "\n  " : "");
        fprintf(out,
                "  \"counts\": {\"figures\": %zu, \"same\": %zu, \"within\": %zu, \"beyond\": %zu, \"only_a\": %zu, "
                "\"only_b\": %zu}\n}\n",
                n, count[ST_SAME], count[ST_WITHIN], count[ST_BEYOND], count[ST_ONLY_A], count[ST_ONLY_B]);
        return;
    }
    text_side(out, "A", a);
    text_side(out, "B", b);
    int wn = 6, wa = 1, wb = 1, wd = 5; /* "figure", "A", "B", "delta" */
    for (size_t i = 0; i < n; i++) {
        if (o->changed_only && rows[i].st == ST_SAME)
            continue;
        judge(rw, a, rows[i].a, b, rows[i].b, o->tolerance);
        int l = (int)strlen(row_name(a, b, &rows[i]));
        wn = l > wn ? l : wn;
        wa = (int)strlen(rw->va) > wa ? (int)strlen(rw->va) : wa;
        wb = (int)strlen(rw->vb) > wb ? (int)strlen(rw->vb) : wb;
        wd = (int)strlen(rw->delta) > wd ? (int)strlen(rw->delta) : wd;
    }
    fprintf(out, "  %-*s  %*s  %*s  %*s  change\n", wn, "figure", wa, "A", wb, "B", wd, "delta");
    for (size_t i = 0; i < n; i++) {
        if (o->changed_only && rows[i].st == ST_SAME)
            continue;
        judge(rw, a, rows[i].a, b, rows[i].b, o->tolerance);
        const char *change = rw->st == ST_ONLY_A ? "only in A" : rw->st == ST_ONLY_B ? "only in B"
                             : rw->change[0]       ? rw->change
                                                   : "n/a";
        int mark = rw->st == ST_BEYOND || rw->st == ST_ONLY_A || rw->st == ST_ONLY_B;
        fprintf(out, "%c %-*s  %*s  %*s  %*s  %s\n", mark ? '*' : ' ', wn, row_name(a, b, &rows[i]), wa, rw->va, wb,
                rw->vb, wd, rw->delta[0] ? rw->delta : "-", change);
    }
    fprintf(out, "%zu figures: %zu same, %zu within --tolerance %s, %zu beyond it (*), %zu only in A, %zu only in B\n",
            n, count[ST_SAME], count[ST_WITHIN], tol, count[ST_BEYOND], count[ST_ONLY_A], count[ST_ONLY_B]);
}

int cli_compare(const char *a, const char *b, const cli_compare_opts *o, FILE *out)
{
    cli_compare_opts defaults = {0};
    if (!o)
        o = &defaults;
    FILE *err = o->err ? o->err : stderr;
    const char *tol = o->tolerance_text ? o->tolerance_text : "0";
    side sa = {0}, sb = {0};
    int rc = side_read(&sa, a, err);
    if (!rc)
        rc = side_read(&sb, b, err);
    if (!rc && sa.kind != sb.kind) {
        fprintf(err, "cspsim: %s is %s, %s is %s: compare two summaries or two sweeps' points\n", sa.path,
                sa.kind == KIND_POINTS ? "a sweep's points" : "a run's summary", sb.path,
                sb.kind == KIND_POINTS ? "a sweep's points" : "a run's summary");
        rc = CLI_EXIT_USAGE;
    }
    if (!rc) {
        size_t n;
        row *rows = pair(&sa, &sb, o->tolerance, &n);
        if (!rows) {
            fprintf(err, "cspsim: out of memory\n");
            rc = 1;
        } else {
            print_rows(&sa, &sb, rows, n, o, tol, out);
            for (size_t i = 0; i < n && !rc; i++)
                rc = rows[i].st == ST_BEYOND || rows[i].st == ST_ONLY_A || rows[i].st == ST_ONLY_B;
            free(rows);
        }
    }
    side_free(&sa);
    side_free(&sb);
    return rc;
}

/* ---- the command ----------------------------------------------------------------------- */

const char cli_usage_compare[] =
    "usage: cspsim compare A B [--tolerance X] [--json] [--changed]\n"
    "\n"
    "Compares two runs' summaries (A and B: summary.json files or run directories) or two\n"
    "sweeps' points (points.csv files or sweep directories): each figure side by side with\n"
    "the delta B - A and the percent change relative to A. A summary's figures are its\n"
    "numbers but the seed: events, records, total.*, partners[ID].*, tenants[ID].*,\n"
    "records_by_kind.* (a missing count is 0); a sweep's are the mean of each row, named by\n"
    "its point, vary values and outcome. Lines marked * differ beyond the tolerance or\n"
    "are only in one side.\n"
    "\n"
    "  --tolerance X   a figure differs when |B - A| > X * max(|A|, |B|) (relative: 0.01 is\n"
    "                  1%; default 0, any change)\n"
    "  --json          the comparison as one JSON object instead of the table\n"
    "  --changed       print only the figures that changed (the counts cover them all)\n"
    "\n"
    "exit status: 0 no figure differs beyond the tolerance, 1 one does or is only in one\n"
    "             side, 2 bad command line, malformed input or two inputs of different\n"
    "             kinds, 74 an input or standard output could not be read or written.\n";

/* A tolerance: decimal digits with an optional fraction (no sign, no exponent). */
static int parse_tolerance(const char *s, double *out)
{
    const char *p = s;
    if (!(*p >= '0' && *p <= '9') || strlen(s) > CLI_COMPARE_MAX_NUMBER)
        return -1;
    while (*p >= '0' && *p <= '9')
        p++;
    if (*p == '.') {
        if (!(*++p >= '0' && *p <= '9'))
            return -1;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p)
        return -1;
    *out = strtod(s, NULL);
    return isfinite(*out) ? 0 : -1;
}

int cli_cmd_compare(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(cli_usage_compare, stdout);
        return 0;
    }
    cli_compare_opts o = {0};
    o.err = stderr;
    const char *paths[2];
    int npaths = 0;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--tolerance") == 0) {
            const char *v = cli_option_value(argc, argv, &i);
            if (!v || parse_tolerance(v, &o.tolerance))
                return cli_usage_error(stderr, "compare", "--tolerance needs a number such as 0.01 (0 or more)");
            o.tolerance_text = v;
        } else if (strcmp(arg, "--json") == 0) {
            o.json = 1;
        } else if (strcmp(arg, "--changed") == 0) {
            o.changed_only = 1;
        } else if (arg[0] == '-' && arg[1]) {
            return cli_usage_error(stderr, "compare", "unknown option '%.900s'", arg);
        } else if (npaths == 2) {
            return cli_usage_error(stderr, "compare", "compare takes two summaries; '%.900s' is one too many", arg);
        } else {
            paths[npaths++] = arg;
        }
    }
    if (npaths < 2)
        return cli_usage_error(stderr, "compare",
                               "compare needs two summaries or points (files, run or sweep directories)");
    int rc = cli_compare(paths[0], paths[1], &o, stdout);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "cspsim: cannot write standard output: %s\n", strerror(errno));
        rc = CLI_EXIT_IOERR;
    }
    return rc;
}
