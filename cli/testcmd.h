/* cli/testcmd.h - `cspsim test`: run scenarios and judge their expect blocks, for people
 * (one line per scenario) and for CI (JUnit XML, TAP), under one seed or a range. */
#ifndef CLI_TESTCMD_H
#define CLI_TESTCMD_H

/* Its --help text. */
extern const char cli_usage_test[];

/* argv holds the arguments after "test". Exit status: 0 all held, 1 an expectation failed,
 * 2 a scenario could not be loaded or bad arguments, 70 an invariant broke, 74 the JUnit
 * file could not be written. */
int cli_cmd_test(int argc, char **argv);

#endif
