/* sim/fel.c - calendar-queue future-event list (see fel.h for the design and its cost). */
#include "fel.h"

#include <stdlib.h>
#include <string.h>

#define COUNTING_SORT_MIN 2048u /* below this a comparison sort is cheaper than the passes */
#define RADIX_BITS 16u          /* at most this many key bits per pass: 65,536 counts */
#define SORT_KEYS ((size_t)1 << RADIX_BITS)
#define OPEN_DAY_BIT ((uint64_t)SIM_FEL_DAY_MAX) /* in `order`: pushed into the open day */

typedef struct {
    sim_event *v;
    uint32_t n, cap;
} bucket;

struct sim_fel {
    sim_time start_day, end; /* start_day: days since epoch of bucket 0 */
    bucket *days;
    size_t ndays;
    size_t cur;          /* index of the day being processed */
    int open;            /* cur's bucket has been sorted into `sorted` */
    sim_event *sorted;   /* cur's events in order, consumed from `pos` */
    size_t nsorted, pos;
    bucket now;          /* binary heap of events pushed into the open day */
    uint32_t nowseq;     /* insertion number of the next push into `now`, from the day's opening */
    size_t size;
    sim_time last;       /* time of the last popped event */
    uint32_t *counts;    /* radix-sort scratch, SORT_KEYS + 1 entries, made on demand */
};

static int64_t day_of(sim_time t)
{
    return (t >= 0 ? t : t - (SIM_DAY - 1)) / SIM_DAY;
}

sim_fel *sim_fel_new(sim_time start, sim_time end)
{
    if (end < start)
        return NULL;
    sim_fel *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->start_day = day_of(start);
    f->end = end;
    f->ndays = (size_t)(day_of(end) - f->start_day + 1);
    f->days = calloc(f->ndays, sizeof *f->days);
    if (!f->days) {
        free(f);
        return NULL;
    }
    f->last = start;
    return f;
}

void sim_fel_free(sim_fel *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->ndays; i++)
        free(f->days[i].v);
    free(f->days);
    free(f->sorted);
    free(f->now.v);
    free(f->counts);
    free(f);
}

static int bucket_push(bucket *b, const sim_event *e)
{
    if (b->n == b->cap) {
        uint32_t cap = b->cap ? b->cap * 2 : 8;
        sim_event *v = realloc(b->v, (size_t)cap * sizeof *v);
        if (!v)
            return -1;
        b->v = v;
        b->cap = cap;
    }
    b->v[b->n++] = *e;
    return 0;
}

static void heap_up(sim_event *h, size_t i)
{
    sim_event e = h[i];
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!sim_event_before(&e, &h[p]))
            break;
        h[i] = h[p];
        i = p;
    }
    h[i] = e;
}

static void heap_down(sim_event *h, size_t n, size_t i)
{
    sim_event e = h[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && sim_event_before(&h[c + 1], &h[c]))
            c++;
        if (!sim_event_before(&h[c], &e))
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = e;
}

int sim_fel_push(sim_fel *f, sim_time t, uint32_t group, unsigned phase, uint32_t target, uint32_t tag)
{
    if (t > f->end)
        return 1;
    if (t < f->last || phase >= SIM_PHASES)
        return -1;
    size_t day = (size_t)(day_of(t) - f->start_day);
    uint64_t key = ((uint64_t)group << 32) | ((uint64_t)phase << 30);
    /* a day already passed (or being processed) is served by the heap, merged on pop; its
     * events come after the bucket's among equals, as they were pushed after it was sorted */
    if (day < f->cur || (f->open && day == f->cur)) {
        if (f->nowseq >= SIM_FEL_DAY_MAX)
            return -1;
        sim_event e = {t, key | OPEN_DAY_BIT | f->nowseq, target, tag};
        if (bucket_push(&f->now, &e))
            return -1;
        heap_up(f->now.v, f->now.n - 1);
        f->nowseq++;
    } else {
        bucket *b = &f->days[day];
        if (b->n >= SIM_FEL_DAY_MAX)
            return -1;
        sim_event e = {t, key | b->n, target, tag};
        if (bucket_push(b, &e))
            return -1;
    }
    f->size++;
    return 0;
}

static int cmp_event(const void *a, const void *b)
{
    return sim_event_before(a, b) ? -1 : sim_event_before(b, a) ? 1 : 0;
}

/* The radix key of e: (second of day, group, phase) above the day's smallest of each part. */
typedef struct {
    sim_time base;     /* 00:00 of the day + the smallest second */
    uint64_t gp_min;   /* the smallest group << 2 | phase */
    unsigned gp_bits;  /* bits of (group, phase) above gp_min */
} sort_key;

static uint64_t key_of(const sort_key *k, const sim_event *e)
{
    return ((uint64_t)(e->time - k->base) << k->gp_bits) | ((e->order >> 30) - k->gp_min);
}

static unsigned bits_of(uint64_t v)
{
    unsigned b = 0;
    while (v >> b)
        b++;
    return b;
}

/* Sorts bucket b (events in insertion order) into f->sorted. Large buckets: LSD radix passes
 * of `digit` bits over the key, each stable, alternating between b->v and a second array. */
static int sort_day(sim_fel *f, bucket *b)
{
    free(f->sorted);
    f->sorted = NULL;
    f->nsorted = b->n;
    f->pos = 0;
    f->nowseq = 0;
    if (b->n < COUNTING_SORT_MIN) {
        qsort(b->v, b->n, sizeof *b->v, cmp_event); /* the key is unique: insertion numbers */
        f->sorted = b->v;
    } else {
        sim_time tmin = b->v[0].time, tmax = tmin;
        uint64_t gmin = b->v[0].order >> 30, gmax = gmin;
        for (uint32_t i = 1; i < b->n; i++) {
            sim_time t = b->v[i].time;
            uint64_t g = b->v[i].order >> 30;
            tmin = t < tmin ? t : tmin;
            tmax = t > tmax ? t : tmax;
            gmin = g < gmin ? g : gmin;
            gmax = g > gmax ? g : gmax;
        }
        sort_key k = {tmin, gmin, bits_of(gmax - gmin)};
        unsigned total = k.gp_bits + bits_of((uint64_t)(tmax - tmin));
        unsigned passes = (total + RADIX_BITS - 1) / RADIX_BITS;
        sim_event *in = b->v;
        if (passes > 0) {
            unsigned digit = (total + passes - 1) / passes;
            size_t nkeys = (size_t)1 << digit;
            uint64_t mask = nkeys - 1;
            if (!f->counts && !(f->counts = malloc((SORT_KEYS + 1) * sizeof *f->counts)))
                return -1;
            sim_event *out = malloc((size_t)b->n * sizeof *out);
            if (!out)
                return -1;
            for (unsigned p = 0; p < passes; p++) {
                unsigned shift = p * digit;
                memset(f->counts, 0, (nkeys + 1) * sizeof *f->counts);
                for (uint32_t i = 0; i < b->n; i++)
                    f->counts[((key_of(&k, &in[i]) >> shift) & mask) + 1]++;
                for (size_t j = 0; j < nkeys; j++)
                    f->counts[j + 1] += f->counts[j];
                for (uint32_t i = 0; i < b->n; i++)
                    out[f->counts[(key_of(&k, &in[i]) >> shift) & mask]++] = in[i];
                sim_event *tmp = in;
                in = out;
                out = tmp;
            }
            free(out); /* the other array: b->v or the scratch one */
        }
        f->sorted = in;
    }
    b->v = NULL;
    b->n = b->cap = 0;
    return 0;
}

/* Makes sure the open day has something, advancing days; -1 when the list is empty. */
static int settle(sim_fel *f)
{
    for (;;) {
        /* heap events always belong to the open day or an earlier one: they come first */
        if ((f->open && f->pos < f->nsorted) || f->now.n > 0)
            return 0;
        if (f->open) {
            f->cur++;
            f->open = 0;
        }
        while (f->cur < f->ndays && f->days[f->cur].n == 0)
            f->cur++;
        if (f->cur >= f->ndays)
            return -1;
        if (sort_day(f, &f->days[f->cur]))
            return -1;
        f->open = 1;
    }
}

/* Which source holds the next event: 0 sorted run, 1 now-heap. */
static int next_source(const sim_fel *f)
{
    if (!f->open || f->pos >= f->nsorted)
        return 1;
    if (f->now.n == 0)
        return 0;
    return sim_event_before(&f->now.v[0], &f->sorted[f->pos]) ? 1 : 0;
}

int sim_fel_peek(sim_fel *f, sim_event *out)
{
    if (settle(f))
        return -1;
    *out = next_source(f) ? f->now.v[0] : f->sorted[f->pos];
    return 0;
}

int sim_fel_pop(sim_fel *f, sim_event *out)
{
    if (settle(f))
        return -1;
    if (next_source(f)) {
        *out = f->now.v[0];
        f->now.v[0] = f->now.v[--f->now.n];
        if (f->now.n)
            heap_down(f->now.v, f->now.n, 0);
    } else {
        *out = f->sorted[f->pos++];
    }
    f->size--;
    f->last = out->time;
    return 0;
}

const sim_event *sim_fel_ahead(const sim_fel *f, size_t k)
{
    return f->open && f->pos + k < f->nsorted ? &f->sorted[f->pos + k] : NULL;
}

size_t sim_fel_size(const sim_fel *f)
{
    return f->size;
}

size_t sim_fel_bytes(const sim_fel *f)
{
    size_t bytes = sizeof *f + f->ndays * sizeof *f->days;
    for (size_t i = 0; i < f->ndays; i++)
        bytes += (size_t)f->days[i].cap * sizeof(sim_event);
    bytes += f->nsorted * sizeof(sim_event) + (size_t)f->now.cap * sizeof(sim_event);
    if (f->counts)
        bytes += (SORT_KEYS + 1) * sizeof *f->counts;
    return bytes;
}
