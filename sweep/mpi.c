/* sweep/mpi.c - the Open MPI transport (sweep/transport.h): rank 0 hands out runs by list
 * index and writes nothing but through done, in list order; the other ranks compute the
 * runs they are given and send the results back. The only file that includes mpi.h; built
 * only by `make MPI=1`. It never prints: what went wrong comes back as a value.
 *
 * Why rank 0 also computes: with `mpirun -n 2` a rank that only hands out would leave one
 * core idle. It computes one run at a time between reading messages, so a rank waits for
 * its next run at most one run of rank 0; SWP_MPI_AHEAD runs handed out ahead per rank hide
 * that wait (the rank already holds its next run when it sends a result).
 * Why polling with short sleeps, not blocking receives: Open MPI's blocking calls spin on a
 * core, which is the core rank 0 or a neighbour computes on; a probe every 50 us to 2 ms
 * costs nothing next to a run and keeps waiting ranks off the processor.
 * Failures: a run that fails stops the handing out, the runs out are collected, every rank
 * is told to stop. A rank that dies takes the job with it (Open MPI's default, errors are
 * fatal), so rank 0 never waits for it forever; runs.csv holds every run taken before.
 */
#include "transport.h"

#include <mpi.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { TAG_WORK = 1, TAG_STOP, TAG_RESULT, TAG_GONE };

static int started, executed, rank, size = 1;

int swp_mpi_start(int *argc, char ***argv)
{
    if (!getenv("OMPI_COMM_WORLD_SIZE") && !getenv("PMIX_RANK") && !getenv("PMI_SIZE"))
        return 1;
    if (MPI_Init(argc, argv) != MPI_SUCCESS)
        return 1;
    started = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    return size;
}

int swp_mpi_rank(void)
{
    return rank;
}

int swp_mpi_size(void)
{
    return size;
}

/* Waits for a message from src (or MPI_ANY_SOURCE) without spinning a core. */
static void wait_probe(int src, MPI_Status *st)
{
    long ns = 50000;
    for (;;) {
        int flag = 0;
        MPI_Iprobe(src, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, st);
        if (flag)
            return;
        struct timespec t = {0, ns};
        nanosleep(&t, NULL);
        if (ns < 2000000)
            ns *= 2;
    }
}

/* ---- rank 0 ------------------------------------------------------------------------------ */

typedef struct {
    const swp_work *w;
    unsigned char *slots; /* n results */
    unsigned char *state; /* 0 to hand out, 1 out, 2 finished, 3 taken */
    int *owner;           /* the rank a run is out at */
    size_t *back;         /* runs given back by a rank that left */
    size_t nback, next_run, next_done;
    int *out, *alive;     /* per rank: runs out, still serving */
    long nout;
    unsigned char *msg;   /* one result message */
    int failed;
    uint64_t failed_run;
} master;

static size_t msg_size(const swp_work *w)
{
    return 2 * sizeof(uint64_t) + w->result_size;
}

static void note_failure(master *m, size_t i)
{
    m->failed = 1;
    if (m->failed_run == UINT64_MAX || m->w->runs[i] < m->failed_run)
        m->failed_run = m->w->runs[i];
}

/* The next list index to run, in increasing order but for runs given back. */
static int take(master *m, size_t *i)
{
    if (m->failed)
        return 0;
    if (m->nback) {
        *i = m->back[--m->nback];
        return 1;
    }
    if (m->next_run < m->w->n) {
        *i = m->next_run++;
        return 1;
    }
    return 0;
}

/* Gives rank r runs until it holds SWP_MPI_AHEAD. */
static void feed(master *m, int r)
{
    size_t i;
    while (m->alive[r] && m->out[r] < SWP_MPI_AHEAD && take(m, &i)) {
        uint64_t job[2] = {i, m->w->runs[i]};
        m->state[i] = 1;
        m->owner[i] = r;
        m->out[r]++;
        m->nout++;
        MPI_Send(job, 2, MPI_UINT64_T, r, TAG_WORK, MPI_COMM_WORLD);
    }
}

static void deliver(master *m)
{
    while (!m->failed && m->next_done < m->w->n && m->state[m->next_done] == 2) {
        size_t i = m->next_done++;
        m->state[i] = 3;
        if (m->w->done(m->w->ctx, i, m->w->runs[i], m->slots + i * m->w->result_size))
            m->failed = 1;
    }
}

/* Receives the message st announces: a result, or a rank leaving. */
static void handle(master *m, const MPI_Status *st)
{
    int r = st->MPI_SOURCE;
    if (st->MPI_TAG == TAG_RESULT) {
        MPI_Recv(m->msg, (int)msg_size(m->w), MPI_BYTE, r, TAG_RESULT, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        uint64_t head[2];
        memcpy(head, m->msg, sizeof head);
        size_t i = (size_t)head[0];
        if (i >= m->w->n || m->state[i] != 1 || m->owner[i] != r)
            return; /* not a run out at r: cannot happen between ranks of one build */
        memcpy(m->slots + i * m->w->result_size, m->msg + sizeof head, m->w->result_size);
        m->state[i] = 2;
        m->out[r]--;
        m->nout--;
        if (head[1])
            note_failure(m, i);
        feed(m, r);
    } else if (st->MPI_TAG == TAG_GONE) {
        MPI_Recv(NULL, 0, MPI_BYTE, r, TAG_GONE, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        m->alive[r] = 0;
        for (size_t i = 0; i < m->w->n && m->out[r] > 0; i++)
            if (m->state[i] == 1 && m->owner[i] == r) {
                m->state[i] = 0;
                m->back[m->nback++] = i;
                m->out[r]--;
                m->nout--;
            }
        for (int k = 1; k < size; k++)
            feed(m, k);
    } else { /* nothing else is sent to rank 0: take it off the line */
        MPI_Recv(NULL, 0, MPI_BYTE, r, st->MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    }
}

static int run_master(const swp_work *w, uint64_t *failed_run)
{
    size_t n = w->n ? w->n : 1;
    master m = {w, calloc(n, w->result_size ? w->result_size : 1), calloc(n, 1), calloc(n, sizeof(int)),
                calloc(n, sizeof(size_t)), 0, 0, 0, calloc((size_t)size, sizeof(int)),
                calloc((size_t)size, sizeof(int)), 0, malloc(msg_size(w)), 0, UINT64_MAX};
    if (!m.slots || !m.state || !m.owner || !m.back || !m.out || !m.alive || !m.msg)
        m.failed = 1;
    for (int r = 1; m.alive && r < size; r++)
        m.alive[r] = 1;
    for (int r = 1; !m.failed && r < size; r++)
        feed(&m, r);
    while (m.state) {
        MPI_Status st;
        int flag = 0;
        while (MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st), flag)
            handle(&m, &st);
        deliver(&m);
        if (m.nout == 0 && (m.failed || m.next_done == w->n))
            break;
        size_t i;
        if (take(&m, &i)) { /* a run here */
            m.state[i] = 1;
            m.owner[i] = 0;
            if (w->run(w->ctx, w->runs[i], memset(m.slots + i * w->result_size, 0, w->result_size)))
                note_failure(&m, i);
            m.state[i] = 2;
            deliver(&m);
        } else if (m.nout > 0) {
            wait_probe(MPI_ANY_SOURCE, &st);
            handle(&m, &st);
        } else {
            m.failed = 1; /* nothing out, nothing to run, not all taken: cannot happen */
        }
    }
    for (int r = 1; m.alive && r < size; r++)
        if (m.alive[r])
            MPI_Send(NULL, 0, MPI_BYTE, r, TAG_STOP, MPI_COMM_WORLD);
    int ok = !m.failed && m.next_done == w->n;
    if (failed_run)
        *failed_run = m.failed_run;
    free(m.slots);
    free(m.state);
    free(m.owner);
    free(m.back);
    free(m.out);
    free(m.alive);
    free(m.msg);
    return ok ? 0 : -1;
}

/* ---- the other ranks ----------------------------------------------------------------- */

static int run_worker(const swp_work *w)
{
    uint64_t queue[SWP_MPI_AHEAD][2];
    int nq = 0, stop = 0, failed = 0;
    unsigned char *msg = malloc(msg_size(w));
    for (;;) {
        while (!stop && nq < SWP_MPI_AHEAD) { /* take what has come; wait only with nothing to do */
            MPI_Status st;
            int flag = 1;
            if (nq)
                MPI_Iprobe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
            else
                wait_probe(0, &st);
            if (!flag)
                break;
            if (st.MPI_TAG == TAG_WORK) {
                MPI_Recv(queue[nq++], 2, MPI_UINT64_T, 0, TAG_WORK, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            } else {
                MPI_Recv(NULL, 0, MPI_BYTE, 0, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                stop = st.MPI_TAG == TAG_STOP;
            }
        }
        if (stop)
            break;
        uint64_t head[2] = {queue[0][0], 0};
        uint64_t run = queue[0][1];
        memmove(queue[0], queue[1], (size_t)(nq - 1) * sizeof queue[0]);
        nq--;
        if (!msg) {
            head[1] = 1;
            MPI_Send(head, (int)sizeof head, MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD);
            failed = 1;
            continue;
        }
        unsigned char *result = memset(msg + sizeof head, 0, w->result_size);
        if (w->run(w->ctx, run, result)) {
            head[1] = 1;
            failed = 1;
        }
        memcpy(msg, head, sizeof head);
        MPI_Send(msg, (int)msg_size(w), MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD);
    }
    free(msg);
    return failed ? -1 : 0;
}

int swp_mpi_execute(const swp_work *w, uint64_t *failed_run)
{
    executed = 1;
    if (failed_run)
        *failed_run = UINT64_MAX;
    return rank == 0 ? run_master(w, failed_run) : run_worker(w);
}

void swp_mpi_stop(int met)
{
    if (!started)
        return;
    if (met && !executed && size > 1) {
        if (rank == 0)
            for (int r = 1; r < size; r++)
                MPI_Send(NULL, 0, MPI_BYTE, r, TAG_STOP, MPI_COMM_WORLD);
        else
            MPI_Send(NULL, 0, MPI_BYTE, 0, TAG_GONE, MPI_COMM_WORLD);
    }
    MPI_Finalize();
    started = 0;
}
