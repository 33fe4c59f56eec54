/* cli/step.h - classroom playback (`run --step`): the scenario's description and trainer
 * notes, then each trace record as one readable line (date, time, tenant, subscription,
 * what happened, why, rule id). On a terminal a trainer walks the records with keys: Enter
 * the next record, n the next notable one (a refusal, a data loss, double billing), j DATE
 * a jump, b back one, q quit, ? help; a state panel under each line shows every
 * subscription's state at that record (capped for big scenarios, saying how many more).
 *
 * Ownership: a cli_stepper borrows the scenario (world, name, description) and both
 * streams; it owns neither, only its copy of the records. Without CLI_STEP_PAUSE the lines
 * are printed as the model emits them and the input is never read (a pipe or a file prints
 * straight through); with it the records are kept and walked after the run
 * (cli_stepper_play), so going back and jumping need no second run. The phrasing follows
 * reports/timeline.c.
 */
#ifndef CLI_STEP_H
#define CLI_STEP_H

#include <stdio.h>

#include "cli/scenario.h"
#include "model/model.h"
#include "model/record.h"

/* Flags of cli_stepper_new. */
#define CLI_STEP_PAUSE 1  /* keep the records and walk them with keys (cli_stepper_play) */
#define CLI_STEP_COLOUR 2 /* highlight REJECTED and DATA LOSS lines with ANSI colour */

/* Records kept for a walk; past it the walk covers the first ones and says so (a record is
 * about 300 bytes: 30 MB). */
#define CLI_STEP_RECORDS_MAX 100000
/* Subscriptions named in the state panel; the rest are counted ("+N more"). */
#define CLI_STEP_PANEL_MAX 10

typedef struct cli_stepper cli_stepper;

/* The flags for `run --step` on this process: CLI_STEP_PAUSE when standard input and
 * output are terminals, CLI_STEP_COLOUR when standard output is a terminal, NO_COLOR is
 * unset or empty and TERM is not "dumb". */
int cli_step_flags(void);

/* A stepper over s's world printing to out and, with CLI_STEP_PAUSE, reading keys from in
 * (which may then not be NULL). Records the states of the subscriptions that exist now, so
 * create it before the run. NULL when memory ran out. */
cli_stepper *cli_stepper_new(const cli_scenario *s, FILE *out, FILE *in, int flags);

/* Takes one record: without CLI_STEP_PAUSE prints it as one line (the introduction first);
 * with it keeps a copy. Usable as a model_sink's emit function with the stepper as its
 * context. */
void cli_stepper_record(void *stepper, const model_record *r);

/* After the run: with CLI_STEP_PAUSE prints the introduction and walks the kept records
 * until q or the end of in; without it prints the introduction if no record did. */
void cli_stepper_play(cli_stepper *s);

/* Records taken so far. */
unsigned long long cli_stepper_count(const cli_stepper *s);

/* Frees the stepper, not the scenario or the streams. NULL is allowed. */
void cli_stepper_free(cli_stepper *s);

#endif
