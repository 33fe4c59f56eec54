/* cli/override.h - key paths applied to a scenario's YAML tree before it is loaded: what
 * `--set KEY=VALUE` (run, test, sweep) and `experiment.vary` change.
 *
 * A path is segments separated by '.': on a mapping a segment is a key (created when the
 * format allows it there and the file left it out), on a list it selects the element whose
 * `name` (behaviours), `group` (population) or `id` (offers, partners, tenants) equals it.
 * The accepted paths are the tree of cli_path_level below, exported so that the sweep's
 * `vary` keys are checked against the same table. Values are not checked here: the loader
 * reads them as it reads the file, and a bad one is reported under the override's name
 * (`--set PATH=VALUE: error: ...`) instead of a file line.
 * Ownership: cli_override_parse puts the value's nodes and texts in the caller's arena,
 * which must outlive the load; the loader copies what it keeps into the scenario's own
 * arena, so the scenario does not borrow the overrides. Nothing here prints.
 */
#ifndef CLI_OVERRIDE_H
#define CLI_OVERRIDE_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "scenario.h"
#include "ytree.h"

/* One override. origin and text are NULL for values that come from the file itself (a
 * `vary` value: its nodes keep their file lines). */
typedef struct {
    const char *path;         /* canonical: a bare rule parameter is "rules.NAME" */
    const cli_ynode *value;
    const char *origin;       /* what messages name for the value: "--set KEY=VALUE" */
    const char *text;         /* VALUE as written (summary.json, report.html) */
} cli_override;

/* "KEY=VALUE" from the command line: VALUE parsed as a YAML flow scalar or flow collection
 * (so `--set 'behaviours.late-rebuy.after={dist: fixed, value: 5d}'` works); a bare rule
 * parameter name is short for rules.NAME. The path is checked against cli_path_root. 0, or
 * -1 with a one-line message in err (an unknown key names the valid keys at its level). */
int cli_override_parse(cli_arena *a, const char *arg, cli_override *out, char *err, size_t errsize);

/* Loads like cli_scenario_load, with each override applied to the tree first (in order; a
 * later one wins). has_seed/seed is --seed, which wins over a `seed` override. o may be
 * NULL (no overrides, the file's seed, the whole scenario).
 *
 * shard/nshards load one shard of a run split by tenant (run --jobs): nshards 0 or 1 is the
 * whole scenario, exactly as without them. With nshards = N > 1 (shard < N, else an error)
 * the world is shard j = shard:
 * - the generated tenants are numbered globally (groups in file order, tenants in order;
 *   T in all) and the shard holds the contiguous range [T*j/N, T*(j+1)/N), possibly parts of
 *   several groups; each is drawn from its own (seed, replication, group, index) stream and
 *   labelled (`smb-1234`, `smb-1234.s2`) as in the whole world, so it is the same tenant in
 *   whatever shard holds it, and the tables hold the shard's tenants in global order;
 * - shard 0 also holds every hand-written entity (tenants, subscriptions, agreements,
 *   transfers), every scripted event and the expect block: it is the whole load with a
 *   slice of the population;
 * - shards j > 0 hold the catalog (rules, offers, partners and their types, population
 *   groups, behaviours, experiment) and only the tenant-less events (set_rule), no expect.
 *   They still read and check the hand-written sections as the whole load does (into a
 *   scratch world, dropped), so a shard refuses what the whole load refuses; a behaviour
 *   naming a hand-written tenant or subscription there can never fire (that tenant is in
 *   shard 0) and does not.
 * Limits: no shard refuses what the whole load accepts, except that (for N > 1) a behaviour
 * whose `do` names a tenant or subscription without `where: {tenant: ...}` is refused,
 * since it acts across tenants; the whole population's subscription limit
 * (CLI_MAX_POP_SUBSCRIPTIONS) is the caller's to check: each shard's generated
 * subscriptions are s->pop_subscriptions (cli/scenario.h), and their sum must not pass it. */
typedef struct {
    int has_seed;
    uint64_t seed;
    const cli_override *overrides;
    size_t noverrides;
    uint32_t shard, nshards;
} cli_load_opts;
cli_scenario *cli_scenario_load_opts(const char *path, const cli_load_opts *o, cli_diag *d);
/* The same from memory, as cli_scenario_load_mem. */
cli_scenario *cli_scenario_load_mem_opts(const char *name, const char *buf, size_t len, const cli_load_opts *o,
                                         cli_diag *d);

/* The `--set` options of one command line, in order: what cli_load_opts takes, and what
 * summary.json and report.html show (paths[i]=texts[i]: each path once, with its last
 * value, where it was last given). Owns its arena and arrays; a zeroed list is empty. */
typedef struct {
    cli_arena *arena;
    cli_override *v;
    size_t n;
    const char **paths, **texts;
    size_t nshown;
} cli_override_list;

/* Parses arg ("KEY=VALUE") and appends it (at most CLI_MAX_OVERRIDES). 0, or -1 with a
 * one-line message in err. */
int cli_override_list_add(cli_override_list *l, const char *arg, char *err, size_t errsize);
void cli_override_list_free(cli_override_list *l);

/* ---- the accepted paths ---------------------------------------------------------------- */

typedef struct cli_path_level cli_path_level;

/* A key of a mapping level; next is the level below it (NULL: the key takes a value). */
typedef struct {
    const char *key;
    const cli_path_level *next;
} cli_path_key;

struct cli_path_level {
    const char *what;   /* named in messages: "rules", "a behaviour" */
    const char *select; /* a list: the key a segment matches (name, group, id); NULL: a mapping */
    const cli_path_key *keys; /* the mapping's keys (a list: its elements' keys), ending {NULL, NULL} */
    int params;         /* the keys are the rule parameters of the catalog (rules) */
    int any;            /* any key: the loader checks it (an action's keys under `do`) */
};

/* The top of the tree: rules, population, behaviours, offers, partners, tenants, seed, end. */
extern const cli_path_level cli_path_root;

/* Checks path against cli_path_root: 0, or -1 with a one-line message (an unknown key names
 * every valid key of its level; for rules every parameter name). */
int cli_path_check(const char *path, char *err, size_t errsize);

/* Applies override o (number i of the load) to the tree under root, in arena a (the
 * scenario's). A selector matching no element, or a node of the wrong kind on the way, is an
 * error in d (under o->origin when set, else at the file node). 0, or -1. */
int cli_override_apply(cli_arena *a, cli_ynode *root, const cli_override *o, size_t i, cli_diag *d);

/* The line a node copied from override i gets: negative, so that an error at it is reported
 * under the override's origin (cli_override_locate) and never as a file line. */
#define CLI_OVERRIDE_LINE(i) (-1 - (int)(i))

/* When d points at a node of an override with an origin, names that override instead of a
 * file line. */
void cli_override_locate(cli_diag *d, const cli_override *o, size_t n);

#endif
