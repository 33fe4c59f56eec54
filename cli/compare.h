/* cli/compare.h - `cspsim compare A B`: two runs' summary.json figures, or two sweeps'
 * points.csv means, side by side with the delta and the percent change; a verdict against a
 * relative tolerance.
 *
 * Each input is read once by a small streaming reader (a JSON reader for summary.json, a CSV
 * reader for points.csv) into a flat list of named figures; every size is bounded by the
 * limits below and one past a limit is an error naming it. Nothing here exits or keeps a
 * caller's string; results go to the FILE given, errors to o->err.
 */
#ifndef CLI_COMPARE_H
#define CLI_COMPARE_H

#include <stdint.h>
#include <stdio.h>

/* The limits of one input. A summary of 1,000,000 tenants (about 9 million figures and
 * 300 MB) fits. */
#define CLI_COMPARE_MAX_BYTES ((uint64_t)1 << 30) /* bytes of one file */
#define CLI_COMPARE_MAX_FIGURES 10000000          /* figures of a summary, rows of points.csv */
#define CLI_COMPARE_MAX_DEPTH 16                  /* nested JSON objects and arrays (summary.json: 3) */
#define CLI_COMPARE_MAX_NAME 1024                 /* bytes of a figure's name, e.g. tenants[t].billed */
#define CLI_COMPARE_MAX_STRING 1024               /* bytes of a JSON string or a CSV field */
#define CLI_COMPARE_MAX_NUMBER 40                 /* characters of a number */
#define CLI_COMPARE_MAX_LINE 65536                /* bytes of a CSV line */
#define CLI_COMPARE_MAX_COLUMNS 1024              /* columns of points.csv */

/* How to compare; a small value the caller fills. */
typedef struct {
    double tolerance;           /* a figure differs when |B - A| > tolerance * max(|A|, |B|) */
    const char *tolerance_text; /* the tolerance as given (printed as is); NULL: "0" */
    int json;                   /* nonzero: JSON instead of the table */
    int changed_only;           /* nonzero: print only the figures that are not equal */
    FILE *err;                  /* where errors go; NULL: stderr */
} cli_compare_opts;

/* Compares a and b: each a summary.json, a points.csv, or a directory holding one (points.csv
 * first). A file is a summary when its first byte other than white space is '{'. Figures of a
 * summary are its numbers but the seed, named by their path: events, total.billed,
 * partners[contoso].billed, tenants[fabrikam].rejections_by_reason.relationship_pending
 * (an array's objects are named by their "id" when it comes first, else by index); a count
 * missing from rejections_by_reason or records_by_kind is 0. Figures of points.csv are the
 * means, one per row, named "point P (KEY=VALUE, ...) OUTCOME" with the vary columns
 * (those between point and outcome). Rows are printed in A's order, with figures only in B
 * where B has them.
 * Returns 0 when no figure differs beyond the tolerance and both have the same figures;
 * 1 when one does or a figure is only in one side (also: memory ran out); 2 an input is
 * malformed or over a limit (FILE:LINE:COLUMN: error: ... on o->err) or the two are not of
 * one kind; 74 an input cannot be read (CLI_EXIT_IOERR). Output write errors are the
 * caller's to check (ferror). */
int cli_compare(const char *a, const char *b, const cli_compare_opts *o, FILE *out);

/* The --help text (the command table of cli/main.c shows it too). */
extern const char cli_usage_compare[];

/* `cspsim compare A B [--tolerance X] [--json] [--changed]`; argv holds only the arguments
 * after "compare". Returns the exit status of cli_compare, 2 for a bad command line, 74 when
 * standard output cannot be written. */
int cli_cmd_compare(int argc, char **argv);

#endif
