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

void cli_diag_capture(cli_diag *d, const char *text)
{
    d->source[0] = '\0';
    if (!text || d->line <= 0)
        return;
    const char *p = text;
    for (int l = 1; l < d->line && p; l++) {
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    if (!p)
        return;
    size_t n = strcspn(p, "\r\n");
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
    const char *p = text;
    for (int l = 1; l < line && p; l++)
        if ((p = strchr(p, '\n')))
            p++;
    if (!p)
        p = "";
    while (*p == ' ' || *p == '\t' || (*p == '-' && (p[1] == ' ' || p[1] == '\t')))
        p++;
    size_t n = strcspn(p, "\r\n");
    return strndup(p, n > max ? max : n);
}
