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

/* ---- how much of the trace a run writes (`run --trace all|none|sample:N`) ---- */

/* The default writes the whole trace when its estimate is at most REP_TRACE_DEFAULT_MAX
 * bytes, else a sample of tenants sized to stay under (the rest of a run's files, summary,
 * series, charts and report, take far less: about 1 GB in all). The estimate counts, per
 * subscription over the horizon's M months (days / 30, rounded up, at least 1), its charges
 * (M / billing months, at least 1), three records per term (M / term months, at least 1:
 * renewal started and completed, cancel window closed) and one more, each
 * REP_TRACE_BYTES_PER_RECORD bytes of trace.jsonl, trace.csv and timeline.txt together
 * (measured per record: 435 to 592, median 513, over the repository's 53 scenarios;
 * rounded up). Counts known before the run, so the choice is made up front; it
 * leaves out what behaviours and scripted events add. */
#define REP_TRACE_DEFAULT_MAX ((uint64_t)900 * 1000 * 1000)
#define REP_TRACE_BYTES_PER_RECORD 650u

/* The estimated records of one subscription of that term and billing period (months) over
 * a horizon of `months` months. */
uint64_t rep_trace_records_estimate(int term_months, int billing_months, uint64_t months);
/* The estimated bytes of the three files for w's subscriptions from start to end
 * (saturating). */
uint64_t rep_trace_estimate(const model_world *w, sim_time start, sim_time end);

/* The default's sample: 0 when the whole trace fits (estimate <= REP_TRACE_DEFAULT_MAX),
 * else tenants x REP_TRACE_DEFAULT_MAX / estimate, at least 1. */
size_t rep_trace_default_sample(size_t tenants, uint64_t estimate);

/* Picks n of ntenants tenants, deterministically from the seed alone: the n with the
 * smallest key splitmix64(seed XOR splitmix64(index + 1)) (ties by index), so the sample
 * does not depend on record order, thread or rank count; keep[i] becomes 1 for those, 0
 * for the rest (all 1 when n >= ntenants). 0, or -1 when memory ran out. */
int rep_trace_sample_pick(uint64_t seed, size_t ntenants, size_t n, uint8_t *keep);

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
