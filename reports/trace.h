/* reports/trace.h - the trace files: every model_record as one line of trace.jsonl and one
 * row of trace.csv, same columns in the same order (reports/trace_columns.h).
 *
 * Ownership: a rep_trace borrows the world (for ids) and its two sinks; it owns neither.
 * Output depends only on the records and the world's ids: no locale, no clock, no floating
 * point, so equal runs give byte-identical files. Also home of the small formatting helpers
 * the other writers share (money, JSON strings, subscription ids).
 */
#ifndef REPORTS_TRACE_H
#define REPORTS_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "model/model.h"
#include "model/record.h"
#include "out.h"
#include "trace_columns.h"

typedef struct rep_trace rep_trace;

/* The CSV header line without its line end: the keys of reports/trace_columns.h in file
 * order, joined by commas ("seq,time,...,detail"). A static string. */
const char *rep_trace_header(void);

/* A trace writer to jsonl and/or csv (either may be NULL: that file is not written). Writes
 * the CSV header line at once. NULL when memory ran out. */
rep_trace *rep_trace_new(const model_world *w, rep_out *jsonl, rep_out *csv);

/* Writes r as one JSON line and one CSV row. Write failures stay in the sinks (sticky). */
void rep_trace_record(rep_trace *t, const model_record *r);

/* A model_sink that sends every record to rep_trace_record(t, ...). */
model_sink rep_trace_sink(rep_trace *t);

/* Frees the writer, not the sinks. NULL is allowed. */
void rep_trace_free(rep_trace *t);

/* Big enough for any rep_money text ("-92233720368547758.08"). */
#define REP_MONEY_BUF 32

/* Minor units as a decimal with two places: 12345 -> "123.45", -5 -> "-0.05", 0 -> "0.00".
 * No thousands separators, '.' always (no locale). Truncates to size like snprintf. */
void rep_money(char *buf, size_t size, int64_t minor);

/* s as a JSON string with its quotes: '"' and '\\' escaped, control characters as \u00xx,
 * other bytes (UTF-8) as they are. */
void rep_json_string(rep_out *o, const char *s);

/* The trace's word for an outcome: "accepted", "rejected", or NULL for none (or out of
 * range). */
const char *rep_outcome_name(int outcome);

/* Big enough for any rep_minute text. */
#define REP_MINUTE_BUF SIM_TIME_BUF

/* The instant to the minute as the timeline and the report show it: "2025-01-08 09:30"
 * (UTC; a year past 9999 is longer). buf holds REP_MINUTE_BUF bytes. Returns buf. */
char *rep_minute(sim_time t, char *buf);

/* Big enough for "s4294967295" and a generated label (model_subscription_label). */
#define REP_SUB_ID_BUF MODEL_LABEL_BUF

/* The subscription's id (borrowed from the world), its generated label, or "s<index>" written to buf (which holds
 * REP_SUB_ID_BUF bytes) when the world has no id for it. */
const char *rep_sub_id(const model_world *w, uint32_t sub, char *buf);

#endif
