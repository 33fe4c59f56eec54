/* cli/args.c - command-line helpers shared by the commands (cli/args.h). */
#include "args.h"

#include <stdarg.h>
#include <string.h>

int cli_wants_help(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return 1;
    return 0;
}

int cli_usage_error(FILE *err, const char *command, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (command)
        fprintf(err, "cspsim: %s; see 'cspsim %s --help'\n", msg, command);
    else
        fprintf(err, "cspsim: %s; see 'cspsim --help'\n", msg);
    return CLI_EXIT_USAGE;
}

/* Digits s[0..end) as a number no larger than max. */
static int parse_digits(const char *s, const char *end, uint64_t max, uint64_t *out)
{
    if (s == end)
        return -1;
    uint64_t v = 0;
    for (const char *p = s; p < end; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        unsigned d = (unsigned)(*p - '0');
        if (v > (max - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

int cli_parse_seed(const char *s, uint64_t *out)
{
    return parse_digits(s, s + strlen(s), INT64_MAX, out);
}

int cli_parse_seed_range(const char *s, uint64_t max_count, uint64_t *first, uint64_t *last)
{
    const char *dash = strchr(s, '-');
    uint64_t a, b;
    if (!dash || parse_digits(s, dash, INT64_MAX, &a) || parse_digits(dash + 1, dash + 1 + strlen(dash + 1), INT64_MAX, &b) ||
        b < a || b - a >= max_count)
        return -1;
    *first = a;
    *last = b;
    return 0;
}

int cli_parse_count(const char *s, long lo, long hi, long *out)
{
    uint64_t v;
    if (parse_digits(s, s + strlen(s), (uint64_t)hi, &v) || v < (uint64_t)lo)
        return -1;
    *out = (long)v;
    return 0;
}

const char *cli_option_value(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc)
        return NULL;
    return argv[++*i];
}

int cli_string_option(const char **dst, const char *opt, const char *value, char *msg, size_t size)
{
    if (*dst) {
        snprintf(msg, size, "%s given twice", opt);
        return -1;
    }
    if (!*value) {
        snprintf(msg, size, "%s needs a non-empty value", opt);
        return -1;
    }
    *dst = value;
    return 0;
}
