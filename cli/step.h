/* cli/step.h - classroom playback: each trace record printed as one readable line the
 * moment the model emits it (date, time, tenant, subscription, what happened, why, rule id),
 * optionally pausing for Enter after each line so a trainer can talk it through.
 *
 * Ownership: a cli_stepper borrows the world (for ids) and both streams; it owns neither.
 * The caller decides whether to pause (typically isatty(0) && isatty(1)); with pauses off
 * the input is never read. The phrasing follows reports/timeline.c.
 */
#ifndef CLI_STEP_H
#define CLI_STEP_H

#include <stdio.h>

#include "model/model.h"
#include "model/record.h"

typedef struct cli_stepper cli_stepper;

/* A stepper printing to out. When interactive is nonzero, it prints a one-line hint before
 * the first record and, after each line, reads one line from in: a line reading "q" (any
 * case, surrounding blanks ignored) or the end of in stops the pauses, and the rest of the
 * run prints without waiting. NULL when memory ran out. */
cli_stepper *cli_stepper_new(const model_world *w, FILE *out, FILE *in, int interactive);

/* Prints r as one line (and waits, see above). Usable as a model_sink's emit function with
 * the stepper as its context. */
void cli_stepper_record(void *stepper, const model_record *r);

/* Records printed so far. */
unsigned long long cli_stepper_count(const cli_stepper *s);

/* Frees the stepper, not the world or the streams. NULL is allowed. */
void cli_stepper_free(cli_stepper *s);

#endif
