/* cli/rulescmd.h - `cspsim rules`: the rule catalog, and which rules and reason codes a set
 * of scenarios exercises (a gate for make check). */
#ifndef CLI_RULESCMD_H
#define CLI_RULESCMD_H

/* Its --help text. */
extern const char cli_usage_rules[];

/* argv holds the arguments after "rules". Exit status: 0; with --coverage 1 when a rule id
 * or reason code this version simulates is exercised by no scenario; 2 on bad arguments or
 * a scenario that does not load. */
int cli_cmd_rules(int argc, char **argv);

#endif
