/* reports/series.h - series.csv: the population's figures at the end of every day, for an
 * analyst's spreadsheet or plot: subscriptions per state, live subscriptions per tenant
 * (max and nearest-rank p50/p95/p99 over every tenant of the world, those with none
 * included), and the cumulative licenses with data loss, double-billing days and billed.
 *
 * Ownership: a rep_series borrows the world and owns its counters. Cost: per subscription 1
 * byte (its state), per tenant 4 bytes (its live count), a histogram of tenants by live
 * count (one counter per count up to the largest seen), and per day one row of 8-byte
 * figures (at most REP_SERIES_MAX_DAYS); each record costs O(1), each day O(states + the
 * largest live count): nothing grows with the trace. Output: integers and money with two
 * decimals, no locale, no clock: byte-identical for identical records.
 *
 * Columns: date,<one per state but none, in model order>,live_max,live_p50,live_p95,
 * live_p99,data_loss_licenses,double_billing_days,billed. Double-billing days are counted
 * when a stretch ends (the days= of its double_billing_ended record), billed is the sum of
 * charge records (refunds not subtracted), data loss the licenses of data_loss records.
 */
#ifndef REPORTS_SERIES_H
#define REPORTS_SERIES_H

#include <stdint.h>

#include "model/model.h"
#include "model/record.h"
#include "out.h"

typedef struct rep_series rep_series;

#define REP_SERIES_MAX_DAYS 36600 /* a horizon longer than 100 years is cut there */

/* A series of w's run from start to end (the days [start, end], end's day included when
 * end is past its midnight). Subscriptions that exist at the start are counted from it.
 * NULL when memory ran out. */
rep_series *rep_series_new(const model_world *w, sim_time start, sim_time end);

/* Accounts r (records in time order, as the model emits them). When memory runs out the
 * series is marked failed and rep_series_write returns -1. */
void rep_series_record(rep_series *s, const model_record *r);

/* Writes series.csv (header line, then one row per day). 0, or -1 when out failed or
 * memory ran out while recording (out is then marked failed, ENOMEM); does not commit. */
int rep_series_write(rep_series *s, rep_out *out);

/* Frees the series. NULL is allowed. */
void rep_series_free(rep_series *s);

#endif
