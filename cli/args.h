/* cli/args.h - what every cspsim command does with its command line: spot --help, parse
 * seeds, seed ranges and bounded counts, take an option's value, and complain about a wrong
 * command line in one line.
 *
 * The parsers accept plain decimal digits only (no sign, no spaces, no 0x) and return 0, or
 * -1 leaving *out unchanged. Nothing here exits or keeps a pointer; strings are borrowed.
 */
#ifndef CLI_ARGS_H
#define CLI_ARGS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli/exit.h"


/* Nonzero when any argument is -h or --help. */
int cli_wants_help(int argc, char **argv);

/* Writes "cspsim: MESSAGE; see 'cspsim COMMAND --help'" (or 'cspsim --help' when command is
 * NULL) as one line to err and returns CLI_EXIT_USAGE. */
int cli_usage_error(FILE *err, const char *command, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A seed: 0 .. 2^63-1. */
int cli_parse_seed(const char *s, uint64_t *out);

/* A range of seeds "A-B": A <= B, both seeds, at most max_count seeds (B - A < max_count). */
int cli_parse_seed_range(const char *s, uint64_t max_count, uint64_t *first, uint64_t *last);

/* A whole number from lo to hi (0 <= lo <= hi). */
int cli_parse_count(const char *s, long lo, long hi, long *out);

/* The value of the option at argv[*i]: advances *i to it and returns it, or NULL when the
 * option is the last argument (*i unchanged). */
const char *cli_option_value(int argc, char **argv, int *i);

/* Sets *dst to value for option opt; -1 with a message in msg when the option was already
 * given or value is empty. */
int cli_string_option(const char **dst, const char *opt, const char *value, char *msg, size_t size);

#endif
