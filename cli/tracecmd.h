/* cli/tracecmd.h - comparing and querying trace.jsonl files: `cspsim diff`, `cspsim trace`
 * and the golden-trace check behind `cspsim run --golden`.
 *
 * Everything streams through cli_tracefile: memory depends on the longest line and the
 * number of context records, never on the length of a trace. The functions write their
 * results to the FILE they are given and never exit. Nothing here owns a caller's string.
 */
#ifndef CLI_TRACECMD_H
#define CLI_TRACECMD_H

#include <stdint.h>
#include <stdio.h>

#include "sim/time.h"

#define CLI_DIFF_DEFAULT_CONTEXT 3
#define CLI_DIFF_MAX_CONTEXT 100 /* records of A kept before the first difference */

/* How to compare; a small value the caller fills (cli_diff_opts_init gives the defaults). */
typedef struct {
    uint32_t ignore; /* bit f set: column f (cli_trace_field) is not compared */
    uint64_t kinds;  /* bit k set: records of model_kind k are compared; 0: all kinds */
    int context;     /* records of A shown before the first difference, 0..CLI_DIFF_MAX_CONTEXT */
    FILE *err;       /* where errors go; NULL: to the output stream */
} cli_diff_opts;

/* Which records `trace` prints; NULL strings and a 0 mask match everything. */
typedef struct {
    const char *tenant, *subscription, *partner;
    uint64_t kinds; /* bit per model_kind, as in cli_diff_opts */
    int has_from, has_to;
    sim_time from, to; /* kept: from <= time < to */
} cli_trace_filter;

/* Compares nothing ignored, all kinds, CLI_DIFF_DEFAULT_CONTEXT records of context. */
void cli_diff_opts_init(cli_diff_opts *o);

/* Parses "charge,refund" into a mask of model kinds (bits added to *mask). -1 with a message in
 * err naming the unknown kind and listing the known ones; *mask is then unchanged. */
int cli_trace_kinds_parse(const char *list, uint64_t *mask, char *err, size_t errsize);

/* Compares traces a and b (files or run directories) record by record, in order, after
 * dropping on both sides the records whose kind is not in o->kinds. Prints to out
 * "identical: ..." when they agree; otherwise the first difference (record number, seqs,
 * time, each differing column with both values, up to o->context records of a before it,
 * both records) and the count of further differing positions with both record counts (a
 * tail only one side has counts as differing). o may be NULL (defaults).
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

/* `cspsim diff A B [--ignore FIELD]... [--kinds K,...] [--context N]`; argv holds only the
 * arguments after "diff". Returns the exit status: 0 same, 1 different, 2 error or bad usage. */
int cli_cmd_diff(int argc, char **argv);

/* `cspsim trace FILE|DIR [--tenant T] [--subscription S] [--partner P] [--kind K,...]
 * [--from INSTANT] [--to INSTANT]`; argv holds only the arguments after "trace". Returns the
 * exit status: 0 printed (even nothing), 2 bad usage or unreadable trace. */
int cli_cmd_trace(int argc, char **argv);

#endif
