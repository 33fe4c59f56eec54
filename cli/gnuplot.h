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
#include <sys/types.h>

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

/* The seconds a gnuplot may run before it is killed (run --chart-timeout's default). */
#define CLI_GNUPLOT_TIMEOUT 60
/* The smallest PNG a chart can be (a signature, IHDR, one IDAT and IEND are 57 bytes). */
#define CLI_PNG_MIN_BYTES 57

/* cli_gnuplot_render with a deadline: a gnuplot still running after timeout_s seconds (0:
 * no deadline) is killed by its pid, reported as "cspsim: gnuplot on DIR/SCRIPT did not
 * finish in N s (--chart-timeout): killed it" and counts as failed (-1); one killed by a
 * signal is reported with the signal's name. cli_gnuplot_render uses CLI_GNUPLOT_TIMEOUT. */
int cli_gnuplot_render_timed(const char *dir, const char *const *scripts, size_t n, int timeout_s, FILE *err);

/* The pid of the gnuplot running now, 0 when none: async-signal-safe, for a handler that
 * must not leave it behind. */
pid_t cli_gnuplot_child(void);

/* "SIGSEGV", "SIGKILL", ... for the common signals. */
const char *cli_signal_name(int sig);

/* 0 when path is a PNG file (its signature, at least CLI_PNG_MIN_BYTES), else -1 with one
 * line on err naming the file ("did not write" / "wrote a broken"). */
int cli_png_check(const char *path, FILE *err);

#endif
