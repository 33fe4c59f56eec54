/* cli/diag.c - formatting located errors with their source line and a caret. */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void cli_diag_set(cli_diag *d, int line, int col, const char *fmt, ...)
{
    d->line = line;
    d->col = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->message, sizeof d->message, fmt, ap);
    va_end(ap);
}

/* The length of the line break at p, 0 when there is none: the breaks libyaml counts (its
 * IS_BREAK: CR LF, LF, CR alone, NEL U+0085, LS U+2028, PS U+2029), so that line N here is
 * the line N of libyaml's marks. */
static size_t break_len(const char *p)
{
    const unsigned char *u = (const unsigned char *)p;
    if (u[0] == '\r')
        return u[1] == '\n' ? 2 : 1;
    if (u[0] == '\n')
        return 1;
    if (u[0] == 0xC2 && u[1] == 0x85)
        return 2;
    if (u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0xA8 || u[2] == 0xA9))
        return 3;
    return 0;
}

/* The start of line `line` (1-based) of text, NULL past its end; *n gets the line's length
 * without its break. */
static const char *find_line(const char *text, int line, size_t *n)
{
    const char *p = text;
    for (int l = 1; l < line; l++) {
        size_t k;
        while (*p && !break_len(p))
            p++;
        if (!*p)
            return NULL;
        k = break_len(p);
        p += k;
    }
    const char *e = p;
    while (*e && !break_len(e))
        e++;
    *n = (size_t)(e - p);
    return p;
}

void cli_diag_capture(cli_diag *d, const char *text)
{
    d->source[0] = '\0';
    if (!text || d->line <= 0)
        return;
    size_t n;
    const char *p = find_line(text, d->line, &n);
    if (!p)
        return;
    if (n >= sizeof d->source)
        n = sizeof d->source - 1;
    memcpy(d->source, p, n);
    d->source[n] = '\0';
}

void cli_diag_print(FILE *to, const cli_diag *d)
{
    if (d->line <= 0) {
        fprintf(to, "%s: error: %s\n", d->file, d->message);
        return;
    }
    fprintf(to, "%s:%d:%d: error: %s\n", d->file, d->line, d->col, d->message);
    if (!d->source[0])
        return;
    fprintf(to, "  %s\n  ", d->source);
    size_t n = strlen(d->source);
    for (int c = 1; c < d->col && (size_t)c <= n; c++)
        fputc(d->source[c - 1] == '\t' ? '\t' : ' ', to);
    fputs("^\n", to);
}

char *cli_source_line(const char *text, int line, size_t max)
{
    size_t n = 0;
    const char *p = find_line(text, line, &n);
    if (!p) {
        p = "";
        n = 0;
    }
    const char *start = p;
    while (*p == ' ' || *p == '\t' || (*p == '-' && (p[1] == ' ' || p[1] == '\t')))
        p++;
    n -= (size_t)(p - start) <= n ? (size_t)(p - start) : n;
    return strndup(p, n > max ? max : n);
}
