/* cli/arena.c - chunked bump allocator (see arena.h). */
#include "arena.h"

#include <stdlib.h>
#include <string.h>

#define CHUNK (64u * 1024u)

typedef struct chunk {
    struct chunk *next;
    size_t used, size;
    _Alignas(16) unsigned char data[];
} chunk;

struct cli_arena {
    chunk *head;
    size_t bytes;
};

cli_arena *cli_arena_new(void)
{
    return calloc(1, sizeof(cli_arena));
}

void cli_arena_free(cli_arena *a)
{
    if (!a)
        return;
    for (chunk *c = a->head, *n; c; c = n) {
        n = c->next;
        free(c);
    }
    free(a);
}

void *cli_arena_alloc(cli_arena *a, size_t size)
{
    size = (size + 15u) & ~(size_t)15u;
    chunk *c = a->head;
    if (!c || c->size - c->used < size) {
        size_t cap = size > CHUNK ? size : CHUNK;
        c = malloc(sizeof *c + cap);
        if (!c)
            return NULL;
        c->size = cap;
        c->used = 0;
        if (a->head && size > CHUNK) { /* a big block: keep the current chunk in front */
            c->next = a->head->next;
            a->head->next = c;
        } else {
            c->next = a->head;
            a->head = c;
        }
        a->bytes += sizeof *c + cap;
    }
    void *p = c->data + c->used;
    c->used += size;
    memset(p, 0, size);
    return p;
}

char *cli_arena_strndup(cli_arena *a, const char *s, size_t n)
{
    char *p = cli_arena_alloc(a, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

size_t cli_arena_bytes(const cli_arena *a)
{
    return a->bytes;
}
