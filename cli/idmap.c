/* cli/idmap.c - open-addressing string map (FNV-1a, linear probing, load <= 1/2). */
#include "idmap.h"

#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
    return h;
}

const cli_identry *cli_idmap_get(const cli_idmap *m, const char *key)
{
    if (!m->cap)
        return NULL;
    for (size_t i = hash(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->slots[i].key)
            return NULL;
        if (strcmp(m->slots[i].key, key) == 0)
            return &m->slots[i];
    }
}

static int grow(cli_idmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    cli_identry *s = calloc(cap, sizeof *s);
    if (!s)
        return -1;
    for (size_t j = 0; j < m->cap; j++) {
        if (!m->slots[j].key)
            continue;
        size_t i = hash(m->slots[j].key) & (cap - 1);
        while (s[i].key)
            i = (i + 1) & (cap - 1);
        s[i] = m->slots[j];
    }
    free(m->slots);
    m->slots = s;
    m->cap = cap;
    return 0;
}

int cli_idmap_put(cli_idmap *m, const char *key, uint32_t value, const cli_ynode *where, const cli_identry **old)
{
    const cli_identry *e = cli_idmap_get(m, key);
    if (e) {
        if (old)
            *old = e;
        return 1;
    }
    if ((m->n + 1) * 2 > m->cap && grow(m))
        return -1;
    size_t i = hash(key) & (m->cap - 1);
    while (m->slots[i].key)
        i = (i + 1) & (m->cap - 1);
    m->slots[i].key = key;
    m->slots[i].value = value;
    m->slots[i].where = where;
    m->n++;
    return 0;
}

void cli_idmap_free(cli_idmap *m)
{
    free(m->slots);
    m->slots = NULL;
    m->cap = m->n = 0;
}
