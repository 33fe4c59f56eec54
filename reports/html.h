/* reports/html.h - report.html: the run as one self-contained page for a trainer or an
 * analyst: title and description, summary figures, billed per partner, the charts (SVG files
 * inlined), the expectations' results, the per-tenant timeline as a table whose rule ids
 * show the rule's text on hover and link to "Rules cited": every rule the kept records cite,
 * with its text and source, visible (a projector or paper has no hover). A print stylesheet
 * (@media print) makes a handout. Inline CSS and SVG only: no script, no external resource.
 *
 * Ownership: a rep_html borrows the world (ids, metrics) and owns the records it keeps;
 * rep_html_write borrows the sink and the meta block. Output is well-formed XML as well as
 * HTML (every tag closed, text and attributes escaped, invalid UTF-8 and control bytes
 * replaced) and byte-identical for identical input (no locale, clock or floating point).
 * Cost: at most REP_HTML_MAX_RECORDS records are kept (about 250 bytes each); later records
 * are counted, not kept, and the page says the timeline was cut.
 *
 * A population (more than REP_HTML_POPULATION_TENANTS tenants) gets a page that reads at
 * scale instead of the per-tenant timeline: "Worst tenants" (the top REP_HTML_WORST by
 * licenses with data loss, double-billing days and rejected actions, from the world's
 * per-tenant metrics) and "Notable records" (rejected actions, data loss, double billing
 * started and ended, in trace order; the first REP_HTML_MAX_NOTABLE kept, the rest
 * counted). The page then stays under 5 MB whatever the population (charts included).
 */
#ifndef REPORTS_HTML_H
#define REPORTS_HTML_H

#include <stddef.h>
#include <stdint.h>

#include "model/model.h"
#include "model/record.h"
#include "out.h"

typedef struct rep_html rep_html;

/* Records the timeline table keeps; a browser stays usable with a table this long. */
#define REP_HTML_MAX_RECORDS 20000
/* Tenants past which the page is a population's (worst tenants, notable records). */
#define REP_HTML_POPULATION_TENANTS 200
/* Rows of each worst-tenants table, and notable records kept, for a population. */
#define REP_HTML_WORST 20
#define REP_HTML_MAX_NOTABLE 2000
/* The largest SVG file inlined; a larger one gets a note instead. */
#define REP_HTML_SVG_MAX ((size_t)8 << 20)

/* One expectation: its line in the scenario, its text, why it failed (NULL: it held) and
 * why it was not judged in this run (NULL: it was; shown as SKIP). */
typedef struct {
    int line;
    const char *text;
    const char *failure;
    const char *skipped;
} rep_html_expect;

/* What the page says besides the records; every pointer is borrowed and may be NULL (a
 * missing string is left out, svg_titles[i] NULL gives the file name). expects_judged zero:
 * the expectations were not checked in this run and no PASS/FAIL is shown. */
typedef struct {
    const char *scenario_name, *description;
    uint64_t seed;
    const char *fingerprint;
    const rep_html_expect *expects;
    size_t nexpects;
    int expects_judged;
    const char *const *svg_paths;
    const char *const *svg_titles;
    size_t nsvg;
    /* `--set` overrides, in command-line order: a line under the title when n > 0 */
    const char *const *override_paths, *const *override_values;
    size_t noverrides;
} rep_html_meta;

/* A page for w's records. NULL when memory ran out. */
rep_html *rep_html_new(const model_world *w);

/* Keeps r (up to REP_HTML_MAX_RECORDS; later ones are only counted). When memory runs out
 * the page is marked failed and rep_html_write returns -1. */
void rep_html_record(rep_html *h, const model_record *r);

/* A model_sink that sends every record to rep_html_record(h, ...). */
model_sink rep_html_sink(rep_html *h);

/* Writes the page to out (metrics read from the world now: call after model_finish). Each
 * SVG file is read and inlined without its XML declaration, doctype, comments before the
 * root, <script> elements and on* (event handler) attributes, its ids prefixed "cN-" (the
 * Nth chart, references "#id" and "url(#id)" alike); a file that cannot be read,
 * is too large, holds no <svg>...</svg> element or has unterminated markup gives a short
 * note in its place, not a failure. Returns 0, or -1 when out failed or memory ran out
 * while recording (then out is marked failed, ENOMEM); does not commit out. */
int rep_html_write(rep_html *h, rep_out *out, const rep_html_meta *m);

/* Frees the page and its records. NULL is allowed. */
void rep_html_free(rep_html *h);

#endif
