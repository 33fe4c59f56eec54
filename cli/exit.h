/* cli/exit.h - the exit statuses of every cspsim command, in one place (docs/cli.md's table).
 * 0 success; 1 differences or failed expectations (and out of memory); the rest below. */
#ifndef CLI_EXIT_H
#define CLI_EXIT_H

/* Bad input or a wrong command line: nothing was written. */
#define CLI_EXIT_USAGE 2
/* An invariant of the simulator broke (a bug of cspsim): nothing was written. */
#define CLI_EXIT_INVARIANT 70
/* An output (a file, a chart, standard output) could not be written or an input read: EX_IOERR. */
#define CLI_EXIT_IOERR 74

#endif
