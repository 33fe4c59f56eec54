/* sweep/threads.c - the in-process transport: a pool of POSIX threads that take runs by
 * index from a shared counter, store each result in the slot of its list index, and let the
 * one thread that finds the next slot in order finished hand it (and those after it) to done.
 *
 * Why a counter and ordered slots, not a queue of finished runs: completion order varies
 * with scheduling, list order does not, and done must see the same sequence every time.
 * The cost is that a slow run holds back the output of faster later runs (they wait in
 * memory, result_size bytes each), never their computation.
 */
#include "transport.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const swp_work *w;
    unsigned char *slots;  /* n results */
    unsigned char *state;  /* 0 pending, 1 finished, 2 taken */
    size_t next_run;       /* the next list index to hand out */
    size_t next_done;      /* the next list index done expects */
    int failed, delivering;
    pthread_mutex_t mu;
} pool;

/* Hands finished results to done in list order; called with the lock held. Only one
 * thread delivers at a time (the others just mark their slot), and the lock is released
 * around done so that workers keep running. */
static void deliver(pool *p)
{
    if (p->delivering)
        return;
    p->delivering = 1;
    while (!p->failed && p->next_done < p->w->n && p->state[p->next_done] == 1) {
        size_t i = p->next_done;
        pthread_mutex_unlock(&p->mu);
        int rc = p->w->done(p->w->ctx, i, p->w->runs[i], p->slots + i * p->w->result_size);
        pthread_mutex_lock(&p->mu);
        p->state[i] = 2;
        p->next_done++;
        if (rc)
            p->failed = 1;
    }
    p->delivering = 0;
}

static void *worker(void *arg)
{
    pool *p = arg;
    pthread_mutex_lock(&p->mu);
    while (!p->failed && p->next_run < p->w->n) {
        size_t i = p->next_run++;
        pthread_mutex_unlock(&p->mu);
        int rc = p->w->run(p->w->ctx, p->w->runs[i], p->slots + i * p->w->result_size);
        pthread_mutex_lock(&p->mu);
        if (rc)
            p->failed = 1;
        p->state[i] = 1;
        deliver(p);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

int swp_threads_execute(const swp_work *w, unsigned jobs)
{
    if (w->n == 0)
        return 0;
    if (jobs < 1)
        jobs = 1;
    if (jobs > SWP_MAX_JOBS)
        jobs = SWP_MAX_JOBS;
    if ((size_t)jobs > w->n)
        jobs = (unsigned)w->n;
    pool p = {w, calloc(w->n, w->result_size ? w->result_size : 1), calloc(w->n, 1), 0, 0, 0, 0,
              PTHREAD_MUTEX_INITIALIZER};
    pthread_t tid[SWP_MAX_JOBS];
    unsigned started = 0;
    if (!p.slots || !p.state) {
        p.failed = 1;
    } else if (jobs == 1) {
        worker(&p);
    } else {
        for (; started < jobs; started++)
            if (pthread_create(&tid[started], NULL, worker, &p) != 0)
                break;
        if (started == 0)
            worker(&p); /* no thread at all: do it here rather than fail */
        for (unsigned t = 0; t < started; t++)
            pthread_join(tid[t], NULL);
    }
    int ok = !p.failed && p.next_done == w->n;
    free(p.slots);
    free(p.state);
    pthread_mutex_destroy(&p.mu);
    return ok ? 0 : -1;
}
