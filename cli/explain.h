/* cli/explain.h - `cspsim explain RULE-ID [SCENARIO.yaml]`: one rule of the catalog told in
 * full for a trainer or analyst: summary, status in this version, parameters with their
 * defaults (and a scenario's values where they differ), reason codes, source.
 *
 * Everything comes from model/rules.h, except the meaning of each reason code and the rules
 * that raise it, which live in a table in explain.c (docs/rules.md, "Reason codes").
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
