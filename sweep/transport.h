/* sweep/transport.h - how the runs of a sweep are carried out: in-process threads
 * (sweep/threads.c), or Open MPI ranks (sweep/mpi.c, only in `make MPI=1`, which defines
 * CSPSIM_MPI). A transport is one file behind this interface.
 *
 * The caller gives the run numbers to do, in increasing order, and two callbacks. `run`
 * computes one run into its result slot and may be called from any worker at the same time
 * as others (it must touch nothing shared but what it locks itself); `done` is called once per
 * run, never concurrently, in the order of the list, as soon as that run and every run before
 * it in the list have finished. So whatever the scheduling, the caller sees results in run
 * order and writes the same bytes (reductions in a fixed order). Runs are handed out by
 * index, one at a time: a worker that finishes early takes the next one.
 * Ownership: the transport borrows everything; results live in a slot array of n entries
 * of result_size bytes that the transport allocates and frees.
 */
#ifndef SWEEP_TRANSPORT_H
#define SWEEP_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    const uint64_t *runs; /* the run numbers to do, increasing */
    size_t n;
    size_t result_size; /* bytes of one result */
    /* Computes run into result (zeroed, result_size bytes). 0, or -1: the run failed; the
     * sweep stops handing out runs and swp_execute returns -1 once the workers are done. */
    int (*run)(void *ctx, uint64_t run, void *result);
    /* Takes the finished result of runs[i], in list order, one call at a time. 0, or -1:
     * stop (a write failed). */
    int (*done)(void *ctx, size_t i, uint64_t run, const void *result);
    void *ctx;
} swp_work;

/* Does the work with `jobs` workers (1: in the calling thread, no thread started).
 * 0 when every run ran and was taken; -1 when a run or a done failed or a thread could not
 * be started (the runs done before are already taken, in order). */
int swp_threads_execute(const swp_work *w, unsigned jobs);

/* The most workers a sweep starts (--jobs). */
#define SWP_MAX_JOBS 256

#ifdef CSPSIM_MPI
/* The Open MPI transport. Rank 0 hands out list indices, one run at a time and at most
 * SWP_MPI_AHEAD ahead per rank (a rank that finishes early takes the next run), computes
 * runs itself between messages, and calls done in list order exactly as the threads do;
 * the other ranks only compute (w->run) and send results back, so they need w->run, ctx
 * and result_size, not runs, n or done. Every rank runs its runs one at a time.
 * Results travel as bytes: the ranks are one build on one kind of machine. */
#define SWP_MPI_AHEAD 2

/* Starts MPI when a launcher started the process (mpirun or srun: OMPI_COMM_WORLD_SIZE,
 * PMIX_RANK or PMI_SIZE in the environment); otherwise does nothing and the MPI build
 * behaves as the plain one. Returns the number of ranks (1 when MPI was not started). */
int swp_mpi_start(int *argc, char ***argv);
int swp_mpi_rank(void); /* 0 when MPI was not started */
int swp_mpi_size(void); /* 1 when MPI was not started */

/* On rank 0 as swp_threads_execute (0, or -1: the runs before are taken); *failed_run is
 * the first run that failed (on any rank), UINT64_MAX if none. On the other ranks: serves
 * rank 0 until it says stop; 0, or -1 when a run failed here. */
int swp_mpi_execute(const swp_work *w, uint64_t *failed_run);

/* Ends MPI (nothing when it was not started). `met` is 1 when the command was one whose
 * ranks meet in swp_mpi_execute (sweep): a rank that ended before reaching it releases the
 * others (rank 0 tells the ranks to stop, another rank tells rank 0 it is gone, and rank 0
 * gives its runs to the rest), so one rank's early error never leaves the others waiting. */
void swp_mpi_stop(int met);
#endif

#endif
