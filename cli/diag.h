/* cli/diag.h - a located error: what the loader returns instead of printing.
 * line and col are 1-based (0 when the error has no place in the file, e.g. cannot open). */
#ifndef CLI_DIAG_H
#define CLI_DIAG_H

#include <stdio.h>

typedef struct {
    const char *file;
    int line, col;
    char message[512];
    char source[256]; /* the offending line (cut at 255 bytes), "" when unknown */
} cli_diag;

void cli_diag_set(cli_diag *d, int line, int col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Line `line` (1-based) of text without its indentation or list dash, at most max bytes,
 * as a new string (NULL when memory ran out). */
char *cli_source_line(const char *text, int line, size_t max);

/* Copies line d->line of text (the whole file, NUL-terminated) into d->source. */
void cli_diag_capture(cli_diag *d, const char *text);

/* Prints "FILE:LINE:COLUMN: error: MESSAGE", then the source line and a caret under the
 * column when the source line is known. */
void cli_diag_print(FILE *to, const cli_diag *d);

#endif
