/* cli/explain.h - `cspsim explain TERM [SCENARIO.yaml]` and `cspsim explain SCENARIO.yaml
 * --subscription ID`, for a trainer or analyst. TERM is a rule id (summary, status in this
 * version, parameters with their defaults and a scenario's values, reason codes, source), a
 * reason code, a parameter or a record kind (what it means and the rules behind it). With
 * --subscription the scenario is run and the records about that subscription that led to
 * its final state (and to its data being lost or kept) are told, each with its rule's text.
 * --json gives the same as one JSON object.
 *
 * Everything comes from model/rules.h, except the meaning of each reason code and the rules
 * that raise it, what each parameter sets and what each record kind says, which live in
 * tables in explain.c (docs/rules.md, "Reason codes", the rules' sections, "Record kinds").
 * Nothing here owns a caller's string; output goes to the FILEs given, the functions never
 * exit.
 */
#ifndef CLI_EXPLAIN_H
#define CLI_EXPLAIN_H

#include <stdio.h>

#include "model/rules.h"

/* Its --help text. */
extern const char cli_usage_explain[];

/* `cspsim explain ...`; argv holds the arguments after "explain". Writes to stdout and
 * stderr. Returns 0, or 2 on an unknown rule id, a scenario that does not load, or bad
 * arguments. */
int cli_cmd_explain(int argc, char **argv);

/* The same with the two streams given (tests capture them). */
int cli_explain(int argc, char **argv, FILE *out, FILE *err);

/* What a reason code means in plain words ("the cancel window of the term is over"); ""
 * for MODEL_REASON_NONE or an unknown value. */
const char *cli_reason_meaning(model_reason r);

/* The rule ids that raise the reason, space-separated ("SUB-2 SUB-3 ..."); "" when none. */
const char *cli_reason_rules(model_reason r);

#endif
