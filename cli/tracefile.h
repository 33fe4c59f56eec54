/* cli/tracefile.h - reading trace.jsonl back, one record at a time, for the diff and trace
 * commands and for golden comparisons.
 *
 * Ownership: a cli_tracefile owns its FILE, one line buffer and one value buffer; both grow to
 * the longest line read and never shrink, so memory is constant in the number of records.
 * A cli_trace_rec borrows those buffers: its texts are valid until the next
 * cli_tracefile_next or cli_tracefile_close on the same reader.
 *
 * The parser accepts exactly the shape reports/trace.c writes and nothing looser: one flat
 * JSON object per line holding each of the 15 columns once (any order; no other key), every
 * value a string, a number or null (no objects, arrays or booleans), strings with the JSON
 * escapes (\uXXXX decoded to UTF-8, surrogate pairs joined; lone surrogates and \u0000
 * refused), each value of its column's READ type (reports/trace_columns.h: seq a whole
 * number, time an instant, kind a string, licenses an integer or null, amount a number or
 * null, the others a string or null). Whitespace between tokens is allowed as JSON allows it; empty lines
 * are not. Raw bytes >= 0x80 pass through unchecked: the writer cuts detail at a byte limit,
 * which may split a UTF-8 sequence, and such a trace must still be readable.
 */
#ifndef CLI_TRACEFILE_H
#define CLI_TRACEFILE_H

#include <stddef.h>
#include <stdint.h>

#include "reports/trace_columns.h"
#include "sim/time.h"

/* The columns, in file order: reports/trace_columns.h (names, keys and what each accepts). */
typedef enum {
#define X(name, key, written, read) CLI_TF_##name,
    REP_TRACE_COLUMNS(X)
#undef X
    CLI_TF_COUNT
} cli_trace_field;

/* One record. v[i] is column i's text as written (strings decoded, numbers verbatim) or NULL
 * for JSON null; never NULL for seq, time and kind. */
typedef struct {
    const char *v[CLI_TF_COUNT];
    const char *line; /* the raw line without its line end, NUL-terminated */
    size_t line_len;
    uint64_t lineno; /* 1-based line number in the file */
    uint64_t seq;    /* v[CLI_TF_SEQ] as a number */
    sim_time time;   /* v[CLI_TF_TIME] as an instant */
} cli_trace_rec;

typedef struct cli_tracefile cli_tracefile;

/* The column's key ("seq", ...), or NULL when f is out of range. */
const char *cli_trace_field_name(int f);

/* The column whose key is name, or -1. */
int cli_trace_field_find(const char *name);

/* 1 when column f holds a JSON number (seq, licenses, amount), 0 for a string column or f
 * out of range. */
int cli_trace_field_is_number(int f);

/* Opens path for reading: a trace.jsonl file, or a directory holding one (a run's -o DIR).
 * NULL on failure with "PATH: error: cannot open: REASON" in err (cut to errsize; err may be NULL
 * when errsize is 0). */
cli_tracefile *cli_tracefile_open(const char *path, char *err, size_t errsize);

/* Reads the next record into *out: 1 a record, 0 the end of the file, -1 a malformed line, a
 * read error or no memory (cli_tracefile_error says which and where; *out is then
 * unspecified). After -1 or 0 every further call returns the same. */
int cli_tracefile_next(cli_tracefile *t, cli_trace_rec *out);

/* The last error as "PATH:LINE:COL: error: MESSAGE" (COL a 1-based byte column; ":COL" left
 * out when no column applies), or "" when there was none. Owned by the reader. */
const char *cli_tracefile_error(const cli_tracefile *t);

/* The file actually read (DIR/trace.jsonl for a directory). Owned by the reader. */
const char *cli_tracefile_path(const cli_tracefile *t);

/* Lines read so far (the number of the line last returned or refused). */
uint64_t cli_tracefile_lines(const cli_tracefile *t);

/* Closes the file and frees the reader and its buffers. NULL is allowed. */
void cli_tracefile_close(cli_tracefile *t);

#endif
