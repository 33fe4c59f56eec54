/* reports/timeline.h - timeline.txt: the run as a per-tenant story in plain English, one
 * line per trace record, for a trainer to read aloud.
 *
 * Ownership: a rep_timeline borrows the world (ids, metrics) and owns the lines it buffers.
 * Cost: every record's line is kept in memory until rep_timeline_write (about 100 bytes a
 * record), because the file is grouped by tenant while records arrive in time order; the
 * alternative, one temporary file per tenant, would need a million open files. Output is
 * byte-identical for identical records (no locale, no clock, no floating point).
 */
#ifndef REPORTS_TIMELINE_H
#define REPORTS_TIMELINE_H

#include "model/model.h"
#include "model/record.h"
#include "out.h"

typedef struct rep_timeline rep_timeline;

/* Text width of the title block (the description is wrapped to it). */
#define REP_TIMELINE_WIDTH 78

/* A timeline of w's records. NULL when memory ran out. */
/* What one record says, as its timeline line does after the time and subscription:
 * "cancel via contoso accepted: active -> canceled, 12 licenses (SUB-2)". size > 0;
 * REP_TIMELINE_PHRASE_MAX holds any phrase. */
#define REP_TIMELINE_PHRASE_MAX 768
void rep_timeline_phrase(const model_world *w, const model_record *r, char *buf, size_t size);

rep_timeline *rep_timeline_new(const model_world *w);

/* Buffers r's line under its tenant (records without a tenant go to "general"). When
 * memory runs out the timeline is marked failed and rep_timeline_write returns -1. */
void rep_timeline_record(rep_timeline *t, const model_record *r);

/* A model_sink that sends every record to rep_timeline_record(t, ...). */
model_sink rep_timeline_sink(rep_timeline *t);

/* Writes the title block (scenario_name, description wrapped; either may be NULL), then
 * one section per tenant with records, in tenant index order, lines in seq order, then
 * "general", then the totals of every tenant that has lines or nonzero metrics (read from
 * the world now: call after model_finish). Returns 0, or -1 when out failed or memory ran
 * out while recording (then nothing is written and out is marked failed, ENOMEM); does not
 * commit out. */
int rep_timeline_write(rep_timeline *t, rep_out *out, const char *scenario_name, const char *description);

/* Frees the timeline and its lines. NULL is allowed. */
void rep_timeline_free(rep_timeline *t);

#endif
