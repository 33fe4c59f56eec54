/* cli/tracecmd.h - comparing and querying trace.jsonl files: `cspsim diff`, `cspsim trace`
 * and the golden-trace check behind `cspsim run --golden`.
 *
 * Everything streams through cli_tracefile: memory depends on the longest line, the number
 * of context records and the diff's window (CLI_DIFF_WINDOW), never on the length of a trace. The functions write their
 * results to the FILE they are given and never exit. Nothing here owns a caller's string.
 */
#ifndef CLI_TRACECMD_H
#define CLI_TRACECMD_H

#include <stdint.h>
#include <stdio.h>

#include "sim/time.h"

#define CLI_DIFF_DEFAULT_CONTEXT 3
#define CLI_DIFF_MAX_CONTEXT 100 /* equal records shown before and after each hunk */
#define CLI_DIFF_DEFAULT_MAX_HUNKS 5
#define CLI_DIFF_MAX_HUNKS 1000000 /* --max-hunks: hunks printed; the rest are counted */
#define CLI_DIFF_HUNK_SHOW 50      /* differing records printed per hunk; the rest are counted */

/* The realignment of `diff` and what it costs. Where the traces stop agreeing, up to
 * CLI_DIFF_WINDOW records of each (of the compared kinds) are read ahead and Myers' O(ND)
 * greedy search finds the shortest edit script (deletions from A, insertions into B) that
 * reaches the end of either window, using at most CLI_DIFF_MAX_EDITS edits; equal records are
 * found by a hash of the compared columns, then confirmed column by column. Memory: two
 * windows of copied records plus (CLI_DIFF_MAX_EDITS + 1)^2 ints (1 MiB); time: at most
 * (2 * CLI_DIFF_WINDOW) * CLI_DIFF_MAX_EDITS comparisons per window, nothing extra while the
 * traces agree. Past the bounds: more than CLI_DIFF_MAX_EDITS edits within the windows (a
 * block of more than 512 inserted records, or traces that no longer agree at all) and the
 * windows' records pair up by position as changed records, as the diff of earlier versions
 * did, and the search starts again at the next difference; edits at a window's cut end are
 * left for the next window, so a script is never cut in the middle of an insertion. The
 * traces themselves are streamed: their length does not matter. */
#define CLI_DIFF_WINDOW 2048
#define CLI_DIFF_MAX_EDITS 512

/* How to compare; a small value the caller fills (cli_diff_opts_init gives the defaults). */
typedef struct {
    uint32_t ignore; /* bit f set: column f (cli_trace_field) is not compared */
    uint64_t kinds;  /* bit k set: records of model_kind k are compared; 0: all kinds */
    int context;     /* equal records shown around each hunk, 0..CLI_DIFF_MAX_CONTEXT */
    int max_hunks;   /* hunks printed, 0..CLI_DIFF_MAX_HUNKS; the others are only counted */
    FILE *err;       /* where errors go; NULL: to the output stream */
} cli_diff_opts;

/* Which records `trace` prints; NULL strings and a 0 mask match everything. */
typedef struct {
    const char *tenant, *subscription, *partner;
    uint64_t kinds; /* bit per model_kind, as in cli_diff_opts */
    int has_from, has_to;
    sim_time from, to; /* kept: from <= time < to */
} cli_trace_filter;

/* Compares nothing ignored, all kinds, CLI_DIFF_DEFAULT_CONTEXT records of context,
 * CLI_DIFF_DEFAULT_MAX_HUNKS hunks shown. */
void cli_diff_opts_init(cli_diff_opts *o);

/* Parses "charge,refund" into a mask of model kinds (bits added to *mask). -1 with a message in
 * err naming the unknown kind and listing the known ones; *mask is then unchanged. */
int cli_trace_kinds_parse(const char *list, uint64_t *mask, char *err, size_t errsize);

/* Compares traces a and b (files or run directories) as a minimal edit script over records,
 * after dropping on both sides the records whose kind is not in o->kinds; two records are
 * equal when every compared column is. Prints to out "identical: ..." when they agree;
 * otherwise each hunk of differing records (up to o->max_hunks; see CLI_DIFF_WINDOW for how
 * far the realignment reaches):
 *   hunk N at record I of A, J of B:
 *     A:LINE  ...        up to o->context equal records before and after (of A)
 *   - A:LINE  ...        a record A has and B has not (deleted), or the A side of a change
 *   + B:LINE  ...        a record B has and A has not (inserted), or the B side of a change
 *       FIELD: A-value | B-value     each differing column of a changed pair
 * where deletions and insertions next to each other pair up as changed records; then
 * "H hunks: C changed, I inserted in B, D deleted from A; A has N records, B has M" and, when
 * some were left out, "K hunks not shown (--max-hunks X)". Hunks at most o->context equal
 * records apart merge. o may be NULL (defaults).
 * Returns 0 identical, 1 different, 2 an error (cannot open, malformed line, no memory: the
 * message, naming file and line, goes to o->err or out); an error wins over a difference. */
int cli_trace_diff(const char *a, const char *b, const cli_diff_opts *o, FILE *out);

/* cli_trace_diff(golden, actual, defaults, out): the check of `cspsim run --golden FILE`. */
int cli_golden_compare(const char *golden, const char *actual, FILE *out);

/* Prints each record of path (file or run directory) that f keeps as one line to out, then
 * "N of M records matched" to err. Returns 0 (also when nothing matched) or 2 when the file
 * cannot be read or a line is malformed (message to err; lines before it are printed). */
int cli_trace_query(const char *path, const cli_trace_filter *f, FILE *out, FILE *err);

/* The --help texts of the two commands (the command table of cli/main.c shows them too). */
extern const char cli_usage_diff[];
extern const char cli_usage_trace[];

/* `cspsim diff A B [--ignore FIELD]... [--kinds K,...] [--context N] [--max-hunks N]`; argv holds only the
 * arguments after "diff". Returns the exit status: 0 same, 1 different, 2 error or bad usage. */
int cli_cmd_diff(int argc, char **argv);

/* `cspsim trace FILE|DIR [--tenant T] [--subscription S] [--partner P] [--kind K,...]
 * [--from INSTANT] [--to INSTANT]`; argv holds only the arguments after "trace". Returns the
 * exit status: 0 printed (even nothing), 2 bad usage or unreadable trace. */
int cli_cmd_trace(int argc, char **argv);

#endif
