/* cli/gnuplot.h - renders chart scripts (reports/charts.h) by running the gnuplot program.
 *
 * Ownership: borrows every argument. Each script runs as its own child process,
 * `gnuplot SCRIPT` with the working directory DIR, started with fork + execvp (PATH
 * lookup, never a shell, so no quoting of DIR or SCRIPT is involved). The child's stderr is
 * read through a pipe and shown only when gnuplot fails.
 */
#ifndef CLI_GNUPLOT_H
#define CLI_GNUPLOT_H

#include <stddef.h>
#include <stdio.h>

/* The child's exit code when gnuplot could not be found (execvp failed with ENOENT). */
#define CLI_GNUPLOT_NOT_FOUND 127
/* The largest part of a failing gnuplot's stderr that is printed (the rest is dropped). */
#define CLI_GNUPLOT_STDERR_MAX 8192

/* Runs `gnuplot scripts[i]` in dir for i in [0, n), in order. Returns 0 when every script
 * exited 0; 1 when gnuplot is not installed (one line on err: "cspsim: gnuplot not found; the
 * chart data and scripts are in DIR: run 'cd DIR && gnuplot S1 S2 ...' to render them", and
 * no further script is tried); -1 when a script failed (for each: "cspsim: gnuplot failed on
 * DIR/SCRIPT:" and its messages on err; the remaining scripts still run) or a process could
 * not be started. */
int cli_gnuplot_render(const char *dir, const char *const *scripts, size_t n, FILE *err);

#endif
