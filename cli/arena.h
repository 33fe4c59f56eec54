/* cli/arena.h - a bump allocator: a parsed scenario lives in one arena, freed in one call.
 * Allocation failure returns NULL; nothing is freed individually. */
#ifndef CLI_ARENA_H
#define CLI_ARENA_H

#include <stddef.h>

typedef struct cli_arena cli_arena;

cli_arena *cli_arena_new(void);
void cli_arena_free(cli_arena *a);
/* size bytes aligned for any type, zeroed; NULL when memory ran out */
void *cli_arena_alloc(cli_arena *a, size_t size);
/* a copy of s[0..n) plus a terminating NUL */
char *cli_arena_strndup(cli_arena *a, const char *s, size_t n);
size_t cli_arena_bytes(const cli_arena *a);

#endif
