/* reports/charts.h - five charts of a run as gnuplot data and scripts: lifecycle (a state
 * bar per subscription with the scripted actions, data lost, data kept, licenses reassigned
 * and renewals as markers, the first three labelled; rows with a rejected action or data
 * loss are chosen first, then those with the most records), tenant-count (live
 * subscriptions per tenant against the tenant limit; when the peak is below a quarter of
 * the limit the axis fits the data and the limit lines become labelled arrows; with more
 * tenants than REP_CHARTS_TENANT_LINES and no --chart-tenant, the distribution instead: a
 * histogram of tenants by live count at the end and on the day with the most live
 * subscriptions, against the duplication line and the limit), billing (cumulative billed
 * and refunded per partner), states (the whole population's state occupancy per day) and
 * data-loss (cumulative licenses with data loss per day).
 * Legends sit outside the plot, right of it; no text is smaller than 11 px at 1280x720.
 *
 * Ownership: a rep_charts borrows the world (ids) and the options' strings, and owns what it
 * accumulates. Pure: it writes only through rep_out file sinks, never spawns gnuplot (the
 * cli does, cli/gnuplot.h). Output is byte-identical for identical records: integers and
 * fixed decimals computed from integers, no locale, no clock.
 *
 * Cost: per subscription 24 bytes of current state, per tenant 8 bytes, per day and state 8
 * bytes, per day and partner 32 bytes; the lifecycle and tenant-count charts read the kept
 * state intervals (24 bytes each, at most REP_CHARTS_MAX_INTERVALS) and markers (32 bytes, at
 * most REP_CHARTS_MAX_MARKERS). A subscription whose intervals or markers did not all fit is
 * left out of those two charts rather than drawn wrong (renewal markers past the cap are
 * only dropped); the other charts never lose data.
 *
 * Each chart NAME is NAME.dat (whitespace-separated columns, dates as YYYY-MM-DD or ISO
 * instants) and NAME.gp: `cd DIR && gnuplot NAME.gp` writes NAME.png (pngcairo when the
 * gnuplot has it, else png, 1280x720) and then NAME.svg (svg, 1280x720) from the same script.
 */
#ifndef REPORTS_CHARTS_H
#define REPORTS_CHARTS_H

#include <stddef.h>
#include <stdint.h>

#include "model/model.h"
#include "model/record.h"
#include "out.h"

typedef struct rep_charts rep_charts;

#define REP_CHARTS_MAX_INTERVALS ((size_t)1 << 20)
#define REP_CHARTS_MAX_MARKERS ((size_t)1 << 18)
#define REP_CHARTS_MAX_DAYS 36600       /* a horizon longer than 100 years is cut there */
#define REP_CHARTS_DEFAULT_ROWS 60      /* lifecycle rows when max_rows is 0 */
#define REP_CHARTS_TENANT_LINES 8       /* tenants drawn on tenant-count (by peak) */
#define REP_CHARTS_PARTNER_LINES 8      /* partners drawn on billing (by billed) */
#define REP_CHARTS_COUNT 5

/* The chart names in write order; the scripts are NAME.gp. */
extern const char *const rep_chart_names[REP_CHARTS_COUNT];
/* Each chart's title, as the chart and the report show it (one table for both). */
extern const char *const rep_chart_titles[REP_CHARTS_COUNT];
/* "lifecycle.gp", ...: ready for cli_gnuplot_render. */
extern const char *const rep_chart_scripts[REP_CHARTS_COUNT];

typedef struct {
    size_t max_rows;          /* lifecycle rows; 0: REP_CHARTS_DEFAULT_ROWS */
    const char *tenant;       /* lifecycle and tenant-count: only this tenant; NULL: by records */
    const char *subscription; /* lifecycle: only this subscription; NULL: by records */
} rep_chart_opts;

/* Charts of w's records. o may be NULL (defaults); its strings are borrowed. NULL when
 * memory ran out. */
rep_charts *rep_charts_new(const model_world *w, const rep_chart_opts *o);

/* Accumulates r (records must arrive in time order, as the model emits them). When memory
 * runs out the charts are marked failed and rep_charts_write returns -1. */
void rep_charts_record(rep_charts *c, const model_record *r);

/* A model_sink that sends every record to rep_charts_record(c, ...). */
model_sink rep_charts_sink(rep_charts *c);

/* Writes the five charts' .dat and .gp into dir (which must exist), each through
 * rep_out_file + rep_out_commit so no half-written file appears. Intervals still open are
 * closed at end; tenant_limit draws the limit and the duplication line (half of it).
 * Returns 0, -1 when a file could not be written, or -2 when memory ran out (files already
 * committed stay). */
int rep_charts_write(rep_charts *c, const char *dir, const char *scenario_name, sim_time start, sim_time end,
                     int64_t tenant_limit);

/* Frees the charts. NULL is allowed. */
void rep_charts_free(rep_charts *c);

#endif
