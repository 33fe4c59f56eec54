/* sweep/split.c - one run split by tenant over threads (see split.h for the promise).
 *
 * Protocol: the calling thread issues commands (run to T, or finish) by bumping a counter
 * under one mutex; each shard's worker runs the command, writing its records into the
 * buffer of that command's parity, and reports done. The caller waits for all, then merges
 * the window while the shards wait: the writers read the shards' tables through the union,
 * and a running shard may grow them (a behaviour's new subscription moves its table).
 */
#include "split.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "transport.h"

/* A buffered record: its step key, then the record up to its detail, then the detail's
 * bytes with their NUL, padded to 8 bytes. */
typedef struct {
    sim_time key;
    uint32_t group;
    uint32_t dlen;
} item_head;

#define REC_FIXED offsetof(model_record, detail)
#define ALIGN8(x) (((x) + 7u) & ~(size_t)7u)

typedef struct {
    unsigned char *v;
    size_t n, cap;
} recbuf;

struct swp_split;

typedef struct {
    struct swp_split *s;
    model_world *w;
    recbuf buf[2];
    int cur;     /* the buffer the running command fills */
    int oom;     /* a record could not be buffered */
    int rc;      /* the last command's result */
} shard_rt;

struct swp_split {
    size_t n;
    model_union *u;
    model_sink out;
    sim_time at; /* the instant every shard stands at (all commands done) */
    shard_rt *rt;
    pthread_t *tid;
    size_t started;
    pthread_mutex_t mu;
    pthread_cond_t go, done;
    uint64_t cmd; /* commands issued */
    sim_time target;
    int finish, quit;
    size_t ndone;
    int err; /* sticky: 0, -1 or -2 */
};

static void buffer_emit(void *ctx, const model_record *r)
{
    shard_rt *rt = ctx;
    recbuf *b = &rt->buf[rt->cur];
    size_t dlen = strlen(r->detail);
    size_t need = ALIGN8(sizeof(item_head) + REC_FIXED + dlen + 1);
    if (rt->oom)
        return;
    if (b->cap - b->n < need) {
        size_t cap = b->cap ? b->cap : 1 << 16;
        while (cap - b->n < need)
            cap *= 2;
        unsigned char *v = realloc(b->v, cap);
        if (!v) {
            rt->oom = 1;
            return;
        }
        b->v = v;
        b->cap = cap;
    }
    item_head h;
    model_step_key(rt->w, &h.key, &h.group);
    h.dlen = (uint32_t)dlen;
    unsigned char *p = b->v + b->n;
    memcpy(p, &h, sizeof h);
    memcpy(p + sizeof h, r, REC_FIXED);
    memcpy(p + sizeof h + REC_FIXED, r->detail, dlen + 1);
    b->n += need;
}

static void *worker(void *arg)
{
    shard_rt *rt = arg;
    swp_split *s = rt->s;
    uint64_t seen = 0;
    pthread_mutex_lock(&s->mu);
    for (;;) {
        while (s->cmd == seen && !s->quit)
            pthread_cond_wait(&s->go, &s->mu);
        if (s->quit)
            break;
        seen = s->cmd;
        sim_time target = s->target;
        int finish = s->finish;
        pthread_mutex_unlock(&s->mu);
        rt->cur = (int)(seen & 1u);
        int rc = finish ? model_finish(rt->w) : model_run_until(rt->w, target);
        if (rt->oom && rc == 0)
            rc = -1;
        pthread_mutex_lock(&s->mu);
        rt->rc = rc;
        s->ndone++;
        pthread_cond_signal(&s->done);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

static void issue(swp_split *s, sim_time target, int finish)
{
    pthread_mutex_lock(&s->mu);
    s->target = target;
    s->finish = finish;
    s->ndone = 0;
    s->cmd++;
    pthread_cond_broadcast(&s->go);
    pthread_mutex_unlock(&s->mu);
}

/* Waits for the command in flight; the first error of the shards in shard order (an
 * invariant breach wins over memory, as the run stops for either). */
static int wait_done(swp_split *s)
{
    pthread_mutex_lock(&s->mu);
    while (s->ndone < s->n)
        pthread_cond_wait(&s->done, &s->mu);
    pthread_mutex_unlock(&s->mu);
    int rc = 0;
    for (size_t j = 0; j < s->n; j++)
        if (s->rt[j].rc == -2 || (s->rt[j].rc && !rc))
            rc = s->rt[j].rc;
    return rc;
}

static const item_head *head_at(const recbuf *b, size_t pos)
{
    return pos < b->n ? (const item_head *)(const void *)(b->v + pos) : NULL;
}

static size_t item_size(const item_head *h)
{
    return ALIGN8(sizeof *h + REC_FIXED + h->dlen + 1);
}

/* Merges buffer `which` of every shard into the sink, then empties them. */
static int merge(swp_split *s, int which)
{
    size_t pos[SWP_MAX_JOBS] = {0};
    model_record r;
    for (;;) {
        size_t best = SIZE_MAX;
        const item_head *bh = NULL;
        for (size_t j = 0; j < s->n; j++) {
            const recbuf *b = &s->rt[j].buf[which];
            const item_head *h = head_at(b, pos[j]);
            while (h && j > 0 && h->group == 0) { /* global steps: shard 0 has the same ones */
                pos[j] += item_size(h);
                h = head_at(b, pos[j]);
            }
            if (h && (!bh || h->key < bh->key || (h->key == bh->key && h->group < bh->group))) {
                best = j;
                bh = h;
            }
        }
        if (!bh)
            break;
        /* the chosen shard's run of records for this key (its group is its own) */
        const recbuf *b = &s->rt[best].buf[which];
        for (const item_head *h = bh; h && h->key == bh->key && h->group == bh->group; h = head_at(b, pos[best])) {
            const unsigned char *p = (const unsigned char *)h + sizeof *h;
            memcpy(&r, p, REC_FIXED);
            memcpy(r.detail, p + REC_FIXED, h->dlen + 1);
            pos[best] += item_size(h);
            if (model_union_translate(s->u, best, &r))
                return -1;
            if (s->out.emit)
                s->out.emit(s->out.ctx, &r);
        }
    }
    for (size_t j = 0; j < s->n; j++)
        s->rt[j].buf[which].n = 0;
    return 0;
}

swp_split *swp_split_new(model_world *const *shards, size_t n, model_union *u, model_sink out, sim_time from)
{
    if (n < 1 || n > SWP_MAX_JOBS)
        return NULL;
    swp_split *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->n = n;
    s->u = u;
    s->out = out;
    s->at = from - 1; /* nothing run yet */
    s->rt = calloc(n, sizeof *s->rt);
    s->tid = calloc(n, sizeof *s->tid);
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->go, NULL);
    pthread_cond_init(&s->done, NULL);
    if (!s->rt || !s->tid) {
        swp_split_free(s);
        return NULL;
    }
    for (size_t j = 0; j < n; j++) {
        s->rt[j].s = s;
        s->rt[j].w = shards[j];
        model_set_sink(shards[j], (model_sink){buffer_emit, &s->rt[j]});
    }
    for (; s->started < n; s->started++) {
        if (pthread_create(&s->tid[s->started], NULL, worker, &s->rt[s->started]) != 0) {
            swp_split_free(s);
            return NULL;
        }
    }
    return s;
}

/* The next window's end after at: the next 00:00 UTC, or until when that comes first. */
static sim_time next_target(sim_time at, sim_time until)
{
    sim_time day = (at >= 0 ? at : at - (SWP_SPLIT_WINDOW - 1)) / SWP_SPLIT_WINDOW * SWP_SPLIT_WINDOW;
    sim_time t = day + SWP_SPLIT_WINDOW;
    return t < until ? t : until;
}

int swp_split_run_until(swp_split *s, sim_time until)
{
    if (s->err)
        return s->err;
    if (until <= s->at)
        return 0;
    sim_time cur = next_target(s->at, until);
    issue(s, cur, 0);
    for (;;) {
        int which = (int)(s->cmd & 1u);
        int rc = wait_done(s);
        if (rc)
            return s->err = rc;
        s->at = cur;
        /* merged while the shards wait: the writers read the shards through the union, and
         * a running shard may grow its tables under them (union.h: not thread-safe) */
        if (merge(s, which))
            return s->err = -1;
        if (cur >= until)
            return 0;
        cur = next_target(cur, until);
        issue(s, cur, 0);
    }
}

int swp_split_finish(swp_split *s)
{
    if (s->err)
        return s->err;
    issue(s, 0, 1);
    int which = (int)(s->cmd & 1u);
    int rc = wait_done(s);
    if (rc)
        return s->err = rc;
    return merge(s, which) ? (s->err = -1) : 0;
}

void swp_split_free(swp_split *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->mu);
    s->quit = 1;
    pthread_cond_broadcast(&s->go);
    pthread_mutex_unlock(&s->mu);
    for (size_t j = 0; j < s->started; j++)
        pthread_join(s->tid[j], NULL);
    for (size_t j = 0; s->rt && j < s->n; j++) {
        free(s->rt[j].buf[0].v);
        free(s->rt[j].buf[1].v);
    }
    free(s->rt);
    free(s->tid);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->go);
    pthread_cond_destroy(&s->done);
    free(s);
}
