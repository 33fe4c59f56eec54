/* tests/skip.h - a check that needs a tool missing from PATH is skipped where it can be seen:
 * one "SKIP: ..." line on stdout, and the same line appended to the file named by
 * $CSPSIM_SKIPS when it is set (make check counts those lines at the end). Call it while
 * building the suite, before Check forks the tests, and leave out what needs the tool: whole
 * tests are then not added (neither run nor counted as passed). */
#ifndef TESTS_SKIP_H
#define TESTS_SKIP_H

#include <stdio.h>
#include <stdlib.h>

/* 1 when tool is on PATH; otherwise prints and records "SKIP: what (tool not on PATH)" and
 * returns 0. tool is a plain command name. */
static inline int test_have_tool(const char *tool, const char *what)
{
    char cmd[160];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
    if (system(cmd) == 0)
        return 1;
    printf("SKIP: %s (%s not on PATH)\n", what, tool);
    fflush(stdout); /* before the forks, or each test's exit would print it again */
    const char *log = getenv("CSPSIM_SKIPS");
    FILE *f = log && *log ? fopen(log, "a") : NULL;
    if (f) {
        fprintf(f, "SKIP: %s (%s not on PATH)\n", what, tool);
        fclose(f);
    }
    return 0;
}

#endif
