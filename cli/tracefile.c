/* cli/tracefile.c - the trace.jsonl reader: getline into one growing buffer, then a strict
 * single-pass parser of our flat object that decodes values into a second buffer of the same
 * size (a decoded value is never longer than its source text, so it always fits).
 * Must not accept anything reports/trace.c could not have written, beyond JSON whitespace
 * and key order; must not keep more than one line in memory. */
#include "tracefile.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TRACE_FILE_NAME "trace.jsonl"
#define ERR_MAX 4608  /* a path of PATH_MAX and a message */
#define NEAR_MAX 24   /* bytes of the line quoted after a syntax error */

enum { T_UINT, T_INSTANT, T_NAME, T_STR, T_INT, T_NUM };
enum { W_STRING, W_NUMBER };
#define NUMERIC(type) ((type) == T_UINT || (type) == T_INT || (type) == T_NUM)

/* A column is read as the writer writes it: a number as one of the number types. */
#define X(name, key, written, read)                                                              \
    _Static_assert(NUMERIC(T_##read) == (W_##written == W_NUMBER), "column " key " read as written");
REP_TRACE_COLUMNS(X)
#undef X

static const struct {
    const char *key;
    int type;
} fields[CLI_TF_COUNT] = {
#define X(name, key, written, read) {key, T_##read},
    REP_TRACE_COLUMNS(X)
#undef X
};

/* "seq, time, ..., detail" for the unknown-key message, after its first two bytes. */
static const char key_list[] = ""
#define X(name, key, written, read) ", " key
    REP_TRACE_COLUMNS(X)
#undef X
    ;

struct cli_tracefile {
    FILE *f;
    char *path;
    char *line; /* getline's buffer */
    size_t line_cap;
    char *vals; /* decoded values of the current line */
    size_t vals_cap;
    uint64_t lineno;
    int state; /* 0 reading, 1 at the end, -1 failed */
    char err[ERR_MAX];
};

/* The parse of one line: a cursor over [s, end) and the next free byte of the value buffer. */
typedef struct {
    const char *s, *p, *end;
    char *o;
    size_t col;       /* 1-based column of the error, 0 for none */
    char msg[512];
} parser;

const char *cli_trace_field_name(int f)
{
    return f >= 0 && f < CLI_TF_COUNT ? fields[f].key : NULL;
}

int cli_trace_field_is_number(int f)
{
    return f >= 0 && f < CLI_TF_COUNT && NUMERIC(fields[f].type);
}

int cli_trace_field_find(const char *name)
{
    for (int i = 0; i < CLI_TF_COUNT; i++)
        if (strcmp(fields[i].key, name) == 0)
            return i;
    return -1;
}

static void set_err(char *err, size_t errsize, const char *path, const char *reason)
{
    if (errsize)
        snprintf(err, errsize, "%s: error: cannot open: %s", path, reason);
}

cli_tracefile *cli_tracefile_open(const char *path, char *err, size_t errsize)
{
    if (errsize)
        err[0] = '\0';
    cli_tracefile *t = calloc(1, sizeof *t);
    if (!t) {
        set_err(err, errsize, path, "out of memory");
        return NULL;
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        set_err(err, errsize, path, strerror(errno));
        goto fail;
    }
    size_t n = strlen(path);
    if (S_ISDIR(st.st_mode)) {
        int slash = n > 0 && path[n - 1] == '/';
        t->path = malloc(n + sizeof TRACE_FILE_NAME + 1);
        if (t->path)
            sprintf(t->path, "%s%s" TRACE_FILE_NAME, path, slash ? "" : "/");
    } else {
        t->path = malloc(n + 1);
        if (t->path)
            memcpy(t->path, path, n + 1);
    }
    if (!t->path) {
        set_err(err, errsize, path, "out of memory");
        goto fail;
    }
    if (!(t->f = fopen(t->path, "rb"))) {
        set_err(err, errsize, t->path, strerror(errno));
        goto fail;
    }
    return t;
fail:
    cli_tracefile_close(t);
    return NULL;
}

void cli_tracefile_close(cli_tracefile *t)
{
    if (!t)
        return;
    if (t->f)
        fclose(t->f);
    free(t->path);
    free(t->line);
    free(t->vals);
    free(t);
}

const char *cli_tracefile_error(const cli_tracefile *t)
{
    return t->err;
}

const char *cli_tracefile_path(const cli_tracefile *t)
{
    return t->path;
}

uint64_t cli_tracefile_lines(const cli_tracefile *t)
{
    return t->lineno;
}

/* ---- the parser --------------------------------------------------------------------------- */

/* Records the first error at `at` (NULL: no column) and returns -1. */
__attribute__((format(printf, 3, 4))) static int fail(parser *ps, const char *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ps->msg, sizeof ps->msg, fmt, ap);
    va_end(ap);
    ps->col = at ? (size_t)(at - ps->s) + 1 : 0;
    return -1;
}

/* fail() with the next few bytes of the line quoted, non-printing ones shown as '?'. */
static int fail_near(parser *ps, const char *what)
{
    if (ps->p >= ps->end)
        return fail(ps, ps->p, "%s, found the end of the line", what);
    char near[NEAR_MAX + 1];
    size_t n = 0;
    for (const char *q = ps->p; q < ps->end && n < NEAR_MAX; q++) {
        unsigned char c = (unsigned char)*q;
        near[n++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
    }
    near[n] = '\0';
    return fail(ps, ps->p, "%s, found '%s'", what, near);
}

static void skip_ws(parser *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\r' || *ps->p == '\n'))
        ps->p++;
}

static int hex4(const char *p, const char *end, unsigned *out)
{
    if (end - p < 4)
        return -1;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                            : 16u;
        if (d > 15)
            return -1;
        v = v * 16 + d;
    }
    *out = v;
    return 0;
}

static char *put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) {
        *o++ = (char)cp;
    } else if (cp < 0x800) {
        *o++ = (char)(0xc0 | cp >> 6);
        *o++ = (char)(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        *o++ = (char)(0xe0 | cp >> 12);
        *o++ = (char)(0x80 | (cp >> 6 & 0x3f));
        *o++ = (char)(0x80 | (cp & 0x3f));
    } else {
        *o++ = (char)(0xf0 | cp >> 18);
        *o++ = (char)(0x80 | (cp >> 12 & 0x3f));
        *o++ = (char)(0x80 | (cp >> 6 & 0x3f));
        *o++ = (char)(0x80 | (cp & 0x3f));
    }
    return o;
}

/* One \uXXXX escape (a surrogate pair counts as one) at ps->p, which points at the 'u'. */
static int unicode_escape(parser *ps)
{
    const char *at = ps->p - 1;
    unsigned cp, lo;
    if (hex4(ps->p + 1, ps->end, &cp))
        return fail(ps, at, "\\u must be followed by 4 hex digits");
    ps->p += 5;
    if (cp == 0)
        return fail(ps, at, "\\u0000 is not allowed (a NUL byte in a string)");
    if (cp >= 0xdc00 && cp <= 0xdfff)
        return fail(ps, at, "\\u%04x is a low surrogate without a high one before it", cp);
    if (cp >= 0xd800 && cp <= 0xdbff) {
        if (ps->end - ps->p < 6 || ps->p[0] != '\\' || ps->p[1] != 'u' || hex4(ps->p + 2, ps->end, &lo) ||
            lo < 0xdc00 || lo > 0xdfff)
            return fail(ps, at, "\\u%04x is a high surrogate not followed by a low one (\\udc00..\\udfff)", cp);
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        ps->p += 6;
    }
    ps->o = put_utf8(ps->o, cp);
    return 0;
}

/* A JSON string at ps->p (its opening quote), decoded to ps->o and NUL-terminated. */
static int string(parser *ps)
{
    const char *open = ps->p++;
    while (ps->p < ps->end) {
        unsigned char c = (unsigned char)*ps->p;
        if (c == '"') {
            ps->p++;
            *ps->o++ = '\0';
            return 0;
        }
        if (c < 0x20)
            return fail(ps, ps->p, "control character 0x%02x inside a string (it must be escaped)", c);
        if (c != '\\') {
            *ps->o++ = (char)c;
            ps->p++;
            continue;
        }
        if (++ps->p >= ps->end)
            break;
        char e = *ps->p, d;
        switch (e) {
        case '"': d = '"'; break;
        case '\\': d = '\\'; break;
        case '/': d = '/'; break;
        case 'b': d = '\b'; break;
        case 'f': d = '\f'; break;
        case 'n': d = '\n'; break;
        case 'r': d = '\r'; break;
        case 't': d = '\t'; break;
        case 'u':
            if (unicode_escape(ps))
                return -1;
            continue;
        default:
            return fail(ps, ps->p - 1, "unknown escape '\\%c' (JSON has \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)",
                        e >= 0x20 && e < 0x7f ? e : '?');
        }
        *ps->o++ = d;
        ps->p++;
    }
    return fail(ps, open, "string not closed before the end of the line");
}

/* A JSON number at ps->p, copied verbatim to ps->o. *integer: it has no fraction or exponent. */
static int number(parser *ps, int *integer)
{
    const char *start = ps->p, *p = ps->p, *end = ps->end;
    *integer = 1;
    if (p < end && *p == '-')
        p++;
    if (p >= end || *p < '0' || *p > '9')
        return fail(ps, start, "malformed number: a digit must follow '-'");
    if (*p == '0' && p + 1 < end && p[1] >= '0' && p[1] <= '9')
        return fail(ps, start, "malformed number: leading zero");
    while (p < end && *p >= '0' && *p <= '9')
        p++;
    if (p < end && *p == '.') {
        *integer = 0;
        if (++p >= end || *p < '0' || *p > '9')
            return fail(ps, start, "malformed number: a digit must follow '.'");
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        *integer = 0;
        if (++p < end && (*p == '+' || *p == '-'))
            p++;
        if (p >= end || *p < '0' || *p > '9')
            return fail(ps, start, "malformed number: a digit must follow the exponent");
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    }
    memcpy(ps->o, start, (size_t)(p - start));
    ps->o += p - start;
    *ps->o++ = '\0';
    ps->p = p;
    return 0;
}

static int literal(parser *ps, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
        return fail_near(ps, "expected a string, a number or null");
    ps->p += n;
    return 0;
}

/* The value of field f at ps->p into rec->v[f]. */
static int value(parser *ps, int f, cli_trace_rec *rec)
{
    const char *key = fields[f].key, *at = ps->p;
    int type = fields[f].type, numeric = NUMERIC(type);
    char c = ps->p < ps->end ? *ps->p : '\0';
    if (c == '"') {
        if (numeric)
            return fail(ps, at, "%s must be a number%s, not a string", key, type == T_UINT ? "" : " or null");
        rec->v[f] = ps->o;
        return string(ps);
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
        if (!numeric)
            return fail(ps, at, "%s must be a string%s, not a number", key,
                        type == T_STR ? " or null" : "");
        int integer;
        rec->v[f] = ps->o;
        if (number(ps, &integer))
            return -1;
        if (type == T_UINT && (!integer || *at == '-'))
            return fail(ps, at, "%s must be a whole number (0, 1, 2, ...)", key);
        if (type == T_INT && !integer)
            return fail(ps, at, "%s must be an integer or null", key);
        return 0;
    }
    if (c == 'n') {
        if (literal(ps, "null"))
            return -1;
        if (type == T_UINT || type == T_INSTANT || type == T_NAME)
            return fail(ps, at, "%s must not be null", key);
        rec->v[f] = NULL;
        return 0;
    }
    if (c == 't' || c == 'f')
        return fail(ps, at, "%s: true and false are not trace values (a string, a number or null)", key);
    if (c == '{' || c == '[')
        return fail(ps, at, "%s: nested %s are not part of a trace record", key, c == '{' ? "objects" : "arrays");
    return fail_near(ps, "expected a string, a number or null");
}

/* seq and time, checked beyond their JSON type. */
static int semantics(parser *ps, cli_trace_rec *rec, const char *const *at)
{
    const char *s = rec->v[CLI_TF_SEQ];
    errno = 0;
    char *endp;
    unsigned long long seq = strtoull(s, &endp, 10);
    if (errno || *endp)
        return fail(ps, at[CLI_TF_SEQ], "seq %s does not fit in 64 bits", s);
    rec->seq = seq;
    if (sim_parse_instant(rec->v[CLI_TF_TIME], &rec->time))
        return fail(ps, at[CLI_TF_TIME], "time \"%.64s\" is not an instant like 2025-01-15T09:00:00Z",
                    rec->v[CLI_TF_TIME]);
    if (!*rec->v[CLI_TF_KIND])
        return fail(ps, at[CLI_TF_KIND], "kind must not be empty");
    return 0;
}

static int parse_line(parser *ps, cli_trace_rec *rec)
{
    const char *at[CLI_TF_COUNT] = {NULL};
    skip_ws(ps);
    if (ps->p >= ps->end)
        return fail(ps, NULL, "empty line; every line must be one trace record");
    if (*ps->p != '{')
        return fail_near(ps, "expected '{' (a trace record is one JSON object per line)");
    ps->p++;
    for (;;) {
        skip_ws(ps);
        if (ps->p >= ps->end || *ps->p != '"')
            return fail_near(ps, "expected a key in double quotes");
        const char *key_at = ps->p;
        char *key = ps->o;
        if (string(ps))
            return -1;
        int f = cli_trace_field_find(key);
        if (f < 0)
            return fail(ps, key_at, "unknown key \"%.64s\" (a trace record has: %s)", key, key_list + 2);
        if (at[f])
            return fail(ps, key_at, "key \"%s\" appears twice", fields[f].key);
        ps->o = key; /* the key's text is no longer needed */
        skip_ws(ps);
        if (ps->p >= ps->end || *ps->p != ':')
            return fail_near(ps, "expected ':' after the key");
        ps->p++;
        skip_ws(ps);
        at[f] = ps->p;
        if (value(ps, f, rec))
            return -1;
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p == '}') {
            ps->p++;
            break;
        }
        return fail_near(ps, "expected ',' or '}' after a value");
    }
    skip_ws(ps);
    if (ps->p < ps->end)
        return fail_near(ps, "expected the end of the line after the record");
    for (int i = 0; i < CLI_TF_COUNT; i++)
        if (!at[i])
            return fail(ps, NULL, "missing key \"%s\" (every record has all %d columns)", fields[i].key,
                        CLI_TF_COUNT);
    return semantics(ps, rec, at);
}

/* ---- reading ---------------------------------------------------------------------------- */

static int read_failed(cli_tracefile *t, const char *what)
{
    snprintf(t->err, sizeof t->err, "%s:%" PRIu64 ": error: %s", t->path, t->lineno + 1, what);
    t->state = -1;
    return -1;
}

int cli_tracefile_next(cli_tracefile *t, cli_trace_rec *out)
{
    if (t->state)
        return t->state < 0 ? -1 : 0;
    errno = 0;
    ssize_t got = getline(&t->line, &t->line_cap, t->f);
    if (got < 0) {
        if (feof(t->f) && !ferror(t->f)) {
            t->state = 1;
            return 0;
        }
        return read_failed(t, errno == ENOMEM ? "out of memory reading a line" : strerror(errno ? errno : EIO));
    }
    t->lineno++;
    size_t len = (size_t)got;
    if (len && t->line[len - 1] == '\n')
        len--;
    if (len && t->line[len - 1] == '\r')
        len--;
    t->line[len] = '\0';
    /* a decoded line never outgrows its source: +1 for a number's NUL at the very end */
    if (t->vals_cap < len + 2) {
        size_t cap = t->vals_cap ? t->vals_cap : 256;
        while (cap < len + 2)
            cap *= 2;
        char *v = realloc(t->vals, cap);
        if (!v) {
            t->lineno--;
            return read_failed(t, "out of memory reading a line");
        }
        t->vals = v;
        t->vals_cap = cap;
    }
    memset(out, 0, sizeof *out);
    parser ps = {.s = t->line, .p = t->line, .end = t->line + len, .o = t->vals};
    if (parse_line(&ps, out)) {
        if (ps.col)
            snprintf(t->err, sizeof t->err, "%s:%" PRIu64 ":%zu: error: %s", t->path, t->lineno, ps.col, ps.msg);
        else
            snprintf(t->err, sizeof t->err, "%s:%" PRIu64 ": error: %s", t->path, t->lineno, ps.msg);
        t->state = -1;
        return -1;
    }
    out->line = t->line;
    out->line_len = len;
    out->lineno = t->lineno;
    return 1;
}
