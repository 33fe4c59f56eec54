/* cli/rundir.h - a run directory replaced as a whole: every output is written into a fresh
 * DIR.tmp-PID beside DIR, then swapped in, so that a reader, a failure or a kill at any
 * instant sees either the complete old set or the complete new one.
 *
 * One run directory per process (the state is static, so a signal handler can reach it).
 * Ownership: the paths are copied; nothing is kept of the caller's strings. Messages go to
 * the err given; nothing exits except the SIGINT/SIGTERM handler, which removes the
 * temporary directory (and any parent directories begin created), kills a running gnuplot
 * by its pid, and re-raises the signal. The handler uses only unlink, rmdir and kill, on
 * paths composed from a fixed list of the names a run writes.
 */
#ifndef CLI_RUNDIR_H
#define CLI_RUNDIR_H

#include <stdio.h>

/* Creates DIR's missing parents and a fresh, empty DIR.tmp-PID and installs the signal
 * handlers. Returns the temporary directory's path (valid until cli_rundir_end), or NULL
 * with one line on err (DIR is a file, a parent cannot be created; errno ENOMEM and "out of
 * memory" when memory ran out). */
const char *cli_rundir_begin(const char *dir, FILE *err);

/* Swaps the temporary directory in: one atomic exchange where the system has it (Linux
 * renameat2 RENAME_EXCHANGE), else DIR -> DIR.old-PID, DIR.tmp-PID -> DIR (DIR is then
 * absent for an instant, never mixed); the old set is removed. 0, or -1 with one line on err
 * and DIR as it was. */
int cli_rundir_commit(FILE *err);

/* Removes whatever of the temporary directory is left (all of it when not committed) and
 * the parents begin created when nothing was committed; restores the signal handlers. */
void cli_rundir_end(void);

#endif
