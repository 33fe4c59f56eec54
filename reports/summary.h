/* reports/summary.h - summary.json: the run's figures (the world's metrics) and counts of
 * its records (rejections by reason, in total and per tenant; records by kind).
 *
 * Ownership: a rep_summary borrows the world and owns its counters. Per-tenant reason
 * counters exist only for tenants with a rejection (a world may hold a million tenants).
 * Output: JSON indented by 2 spaces, keys in a fixed order, money as numbers with two
 * decimals; byte-identical for identical runs.
 */
#ifndef REPORTS_SUMMARY_H
#define REPORTS_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "model/model.h"
#include "model/record.h"
#include "out.h"

typedef struct rep_summary rep_summary;

/* A population's summary gives each group's summed figures ("groups") and lists its
 * generated tenants one by one only up to this many (about 250 bytes each: 25 MB); past it,
 * "generated_tenants_not_listed" counts them and hand-written tenants are still listed. */
#define REP_SUMMARY_MAX_GENERATED 100000

/* A summary of w's run. NULL when memory ran out. */
rep_summary *rep_summary_new(const model_world *w);

/* Counts r: by kind, and when it is a rejected action by reason (total and its tenant's).
 * When memory runs out the summary is marked failed and rep_summary_write returns -1. */
void rep_summary_record(rep_summary *s, const model_record *r);

/* A model_sink that sends every record to rep_summary_record(s, ...). */
model_sink rep_summary_sink(rep_summary *s);

/* Writes summary.json: scenario, seed, events, records, total, partners (plus "web-direct"
 * when it billed or refunded anything), tenants, records_by_kind. Figures are read from the
 * world now: call after model_finish. Returns 0, or -1 when out failed or memory ran out
 * while recording (then nothing is written and out is marked failed, ENOMEM); does not
 * commit out. */
/* The run's fingerprint (rep_out_hash of trace.jsonl), written as "fingerprint" after "seed". */
void rep_summary_set_fingerprint(rep_summary *s, uint64_t fingerprint);

/* How much of the trace the run wrote ("all", "none", "sample:N"), written as "trace"
 * after the fingerprint; copied (at most 47 bytes). Without it no "trace" key is written. */
void rep_summary_set_trace(rep_summary *s, const char *mode);
/* The run's overrides (`--set`), written as "overrides" after "seed" in this order when n > 0:
 * paths and their values as given. Both arrays are borrowed until rep_summary_write. */
void rep_summary_set_overrides(rep_summary *s, const char *const *paths, const char *const *values, size_t n);

#define REP_FINGERPRINT_BUF 17
/* 16 lowercase hex digits into buf (REP_FINGERPRINT_BUF bytes). Returns buf. */
char *rep_fingerprint(uint64_t fingerprint, char *buf);

int rep_summary_write(rep_summary *s, rep_out *out, const char *scenario_name, uint64_t seed);

/* Frees the summary. NULL is allowed. */
void rep_summary_free(rep_summary *s);

#endif
