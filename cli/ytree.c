/* cli/ytree.c - libyaml events to cli_ynode trees (see ytree.h). An explicit stack of open
 * collections replaces recursion, so depth is bounded by CLI_MAX_DEPTH, not the C stack. */
#include "ytree.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "limits.h"

typedef struct {
    cli_ynode *node;
    cli_ynode **items; /* children collected so far (malloc'd, copied to the arena at the end) */
    size_t n, cap;
} frame;

typedef struct {
    cli_arena *a;
    cli_diag *d;
    frame stack[CLI_MAX_DEPTH + 1];
    int depth;
    cli_ynode *root;
    int docs;
} builder;

static cli_ynode *new_node(builder *b, cli_ykind kind, const yaml_mark_t *m)
{
    cli_ynode *n = cli_arena_alloc(b->a, sizeof *n);
    if (!n) {
        cli_diag_set(b->d, (int)m->line + 1, (int)m->column + 1, "out of memory");
        return NULL;
    }
    n->kind = kind;
    n->line = (int)m->line + 1;
    n->col = (int)m->column + 1;
    return n;
}

static int cmp_key(const void *x, const void *y)
{
    const cli_ynode *a = *(cli_ynode *const *)x, *b = *(cli_ynode *const *)y;
    int c = strcmp(a->text, b->text);
    if (c)
        return c;
    return a->line != b->line ? (a->line < b->line ? -1 : 1) : (a->col < b->col ? -1 : a->col > b->col);
}

/* A key given twice: report the later one. Sorting keeps this O(n log n) for big maps. */
static int check_duplicates(builder *b, cli_ynode *map)
{
    if (map->n < 2)
        return 0;
    cli_ynode **keys = malloc(map->n * sizeof *keys);
    if (!keys) {
        cli_diag_set(b->d, map->line, map->col, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < map->n; i++)
        keys[i] = map->items[2 * i];
    qsort(keys, map->n, sizeof *keys, cmp_key);
    const cli_ynode *dup = NULL;
    for (size_t i = 1; i < map->n; i++) {
        if (strcmp(keys[i]->text, keys[i - 1]->text) == 0) {
            const cli_ynode *k = keys[i];
            if (!dup || k->line < dup->line || (k->line == dup->line && k->col < dup->col))
                dup = k;
        }
    }
    free(keys);
    if (dup) {
        const cli_ynode *first = NULL;
        for (size_t i = 0; i < map->n; i++) {
            const cli_ynode *k = map->items[2 * i];
            if (k != dup && strcmp(k->text, dup->text) == 0 && (!first || k->line < first->line))
                first = k;
        }
        cli_diag_set(b->d, dup->line, dup->col, "duplicate key '%s' (first given at line %d)", dup->text,
                     first ? first->line : dup->line);
        return -1;
    }
    return 0;
}

/* Adds a finished node to the open collection (or makes it the root). */
static int attach(builder *b, cli_ynode *n)
{
    if (b->depth == 0) {
        b->root = n;
        return 0;
    }
    frame *f = &b->stack[b->depth - 1];
    size_t limit = f->node->kind == CLI_Y_MAP ? 2u * CLI_MAX_LIST_ITEMS : CLI_MAX_LIST_ITEMS;
    if (f->n >= limit) {
        cli_diag_set(b->d, n->line, n->col, "more than %d items in one %s (limit)", CLI_MAX_LIST_ITEMS,
                     f->node->kind == CLI_Y_MAP ? "mapping" : "list");
        return -1;
    }
    if (f->node->kind == CLI_Y_MAP && f->n % 2 == 0 && n->kind != CLI_Y_SCALAR) {
        cli_diag_set(b->d, n->line, n->col, "a mapping key must be a plain word, not a %s", cli_ykind_name(n));
        return -1;
    }
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 8;
        cli_ynode **v = realloc(f->items, cap * sizeof *v);
        if (!v) {
            cli_diag_set(b->d, n->line, n->col, "out of memory");
            return -1;
        }
        f->items = v;
        f->cap = cap;
    }
    f->items[f->n++] = n;
    return 0;
}

static int open_collection(builder *b, cli_ykind kind, const yaml_mark_t *m)
{
    if (b->depth >= CLI_MAX_DEPTH) {
        cli_diag_set(b->d, (int)m->line + 1, (int)m->column + 1, "nesting deeper than %d levels (limit)",
                     CLI_MAX_DEPTH);
        return -1;
    }
    cli_ynode *n = new_node(b, kind, m);
    if (!n)
        return -1;
    frame *f = &b->stack[b->depth++];
    memset(f, 0, sizeof *f);
    f->node = n;
    return 0;
}

static int close_collection(builder *b)
{
    frame *f = &b->stack[--b->depth];
    cli_ynode *n = f->node;
    if (f->n) {
        n->items = cli_arena_alloc(b->a, f->n * sizeof *n->items);
        if (!n->items) {
            free(f->items);
            cli_diag_set(b->d, n->line, n->col, "out of memory");
            return -1;
        }
        memcpy(n->items, f->items, f->n * sizeof *n->items);
    }
    n->n = n->kind == CLI_Y_MAP ? f->n / 2 : f->n;
    free(f->items);
    f->items = NULL;
    if (n->kind == CLI_Y_MAP && check_duplicates(b, n))
        return -1;
    return attach(b, n);
}

static int on_event(builder *b, const yaml_event_t *e)
{
    const yaml_mark_t *m = &e->start_mark;
    switch (e->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (++b->docs > 1) {
            cli_diag_set(b->d, (int)m->line + 1, (int)m->column + 1, "only one YAML document per scenario file");
            return -1;
        }
        return 0;
    case YAML_ALIAS_EVENT:
        cli_diag_set(b->d, (int)m->line + 1, (int)m->column + 1, "aliases (*%s) are not supported: write the value out",
                     (const char *)e->data.alias.anchor);
        return -1;
    case YAML_SCALAR_EVENT: {
        if (e->data.scalar.length > CLI_MAX_SCALAR) {
            cli_diag_set(b->d, (int)m->line + 1, (int)m->column + 1, "scalar longer than %d bytes (limit)",
                         CLI_MAX_SCALAR);
            return -1;
        }
        cli_ynode *n = new_node(b, CLI_Y_SCALAR, m);
        if (!n)
            return -1;
        n->len = e->data.scalar.length;
        n->text = cli_arena_strndup(b->a, (const char *)e->data.scalar.value, n->len);
        n->plain = e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        if (!n->text)
            return -1;
        if (strlen(n->text) != n->len) {
            cli_diag_set(b->d, n->line, n->col, "a NUL character inside a scalar");
            return -1;
        }
        return attach(b, n);
    }
    case YAML_SEQUENCE_START_EVENT:
        return open_collection(b, CLI_Y_SEQ, m);
    case YAML_MAPPING_START_EVENT:
        return open_collection(b, CLI_Y_MAP, m);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return close_collection(b);
    default:
        return 0;
    }
}

int cli_ytree_parse(cli_arena *a, const char *text, size_t len, cli_ynode **root, cli_diag *d)
{
    builder b;
    memset(&b, 0, sizeof b);
    b.a = a;
    b.d = d;
    *root = NULL;
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) {
        cli_diag_set(d, 0, 0, "out of memory");
        return -1;
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    int rc = 0, done = 0;
    while (!done) {
        yaml_event_t e;
        if (!yaml_parser_parse(&p, &e)) {
            const yaml_mark_t *m = &p.problem_mark;
            if (p.context)
                cli_diag_set(d, (int)m->line + 1, (int)m->column + 1, "YAML syntax: %s (started at line %d, column %d): %s",
                             p.context, (int)p.context_mark.line + 1, (int)p.context_mark.column + 1,
                             p.problem ? p.problem : "malformed input");
            else
                cli_diag_set(d, (int)m->line + 1, (int)m->column + 1, "YAML syntax: %s",
                             p.problem ? p.problem : "malformed input");
            rc = -1;
            break;
        }
        done = e.type == YAML_STREAM_END_EVENT;
        rc = on_event(&b, &e);
        yaml_event_delete(&e);
        if (rc)
            break;
    }
    yaml_parser_delete(&p);
    for (int i = 0; i < b.depth; i++)
        free(b.stack[i].items);
    if (rc == 0)
        *root = b.root;
    return rc;
}

const cli_ynode *cli_ymap_get(const cli_ynode *map, const char *key)
{
    if (!map || map->kind != CLI_Y_MAP)
        return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (strcmp(map->items[2 * i]->text, key) == 0)
            return map->items[2 * i + 1];
    return NULL;
}

const char *cli_ykind_name(const cli_ynode *n)
{
    if (!n)
        return "nothing";
    return n->kind == CLI_Y_SCALAR ? "scalar" : n->kind == CLI_Y_SEQ ? "list" : "mapping";
}
