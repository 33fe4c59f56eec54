/* cli/ytree.h - a YAML document as our own tree, built from libyaml's event API.
 *
 * Every node keeps its 1-based line and column. The builder enforces the limits of
 * cli/limits.h, refuses aliases where they are written, refuses a key given twice in one
 * mapping (at the second one), ignores anchors and tags, and takes exactly one document.
 * Nodes live in the caller's arena. On failure the diag holds the first error's place.
 */
#ifndef CLI_YTREE_H
#define CLI_YTREE_H

#include <stddef.h>

#include "arena.h"
#include "diag.h"

typedef enum { CLI_Y_SCALAR, CLI_Y_SEQ, CLI_Y_MAP } cli_ykind;

typedef struct cli_ynode {
    cli_ykind kind;
    int line, col;
    int plain;        /* scalar written without quotes (a number or boolean can only be plain) */
    const char *text; /* scalar text, NUL-terminated */
    size_t len;
    struct cli_ynode **items; /* SEQ: n items; MAP: 2n nodes, key then value */
    size_t n;
} cli_ynode;

/* Parses text[0..len) into *root (NULL for an empty document). 0, or -1 with d filled. */
int cli_ytree_parse(cli_arena *a, const char *text, size_t len, cli_ynode **root, cli_diag *d);

/* The value of key in map, or NULL. */
const cli_ynode *cli_ymap_get(const cli_ynode *map, const char *key);

const char *cli_ykind_name(const cli_ynode *n);

#endif
