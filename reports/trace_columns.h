/* reports/trace_columns.h - the one definition of the trace's columns, read by the writer
 * (reports/trace.c: trace.jsonl and trace.csv) and the reader (cli/tracefile.c, and through
 * it the diff and trace commands), so that the two cannot disagree on a name, an order or
 * a type. Only macros: no code, no state.
 *
 * REP_TRACE_COLUMNS(X) calls X(NAME, key, WRITTEN, READ) once per column, in file order
 * (also the CSV header and the JSON keys; docs/cli.md, "trace.jsonl and trace.csv"):
 *   WRITTEN how the writer puts a value: NUMBER bare, STRING as a JSON string (CSV: quoted
 *           only when needed); an empty value is null in JSON and an empty CSV field;
 *   READ    what the reader accepts: UINT a whole number >= 0, never null; INSTANT and NAME
 *           a string, never null; STR a string or null; INT an integer or null; NUM any
 *           JSON number or null.
 * A NUMBER column is read as UINT, INT or NUM, a STRING column as INSTANT, NAME or STR.
 */
#ifndef REPORTS_TRACE_COLUMNS_H
#define REPORTS_TRACE_COLUMNS_H

#define REP_TRACE_COLUMNS(X)                                                                     \
    X(SEQ, "seq", NUMBER, UINT)                                                                  \
    X(TIME, "time", STRING, INSTANT)                                                             \
    X(KIND, "kind", STRING, NAME)                                                                \
    X(ACTION, "action", STRING, STR)                                                             \
    X(OUTCOME, "outcome", STRING, STR)                                                           \
    X(REASON, "reason", STRING, STR)                                                             \
    X(RULE, "rule", STRING, STR)                                                                 \
    X(TENANT, "tenant", STRING, STR)                                                             \
    X(PARTNER, "partner", STRING, STR)                                                           \
    X(SUBSCRIPTION, "subscription", STRING, STR)                                                 \
    X(FROM_STATE, "from_state", STRING, STR)                                                     \
    X(TO_STATE, "to_state", STRING, STR)                                                         \
    X(LICENSES, "licenses", NUMBER, INT)                                                         \
    X(AMOUNT, "amount", NUMBER, NUM)                                                             \
    X(DETAIL, "detail", STRING, STR)

#endif
