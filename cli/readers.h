/* cli/readers.h - the typed value readers every section of a scenario is read with, and
 * the loader context they share.
 *
 * A reader takes one YAML node and either stores the value and returns 0, or sets a located
 * diag ("what must be ..., not '...'") on the loader and returns -1; it never prints. Keys
 * are checked against a table of allowed keys (cli_check_keys) before any value is read.
 * The context borrows the scenario, its arena and the diag; its id maps and transfer lists
 * are the loader's (cli/scenario.c frees them). New sections (populations, behaviours,
 * experiments) read their values with these, so every file gives the same messages.
 */
#ifndef CLI_READERS_H
#define CLI_READERS_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "idmap.h"
#include "scenario.h"
#include "sim/dist.h"
#include "sim/time.h"
#include "ytree.h"

/* The state of one load: what is being built and the ids defined so far. */
typedef struct {
    cli_scenario *s;
    cli_arena *a;
    cli_diag *d;
    model_world *w;
    cli_idmap offers, partners, tenants, subs, agreements;
    cli_idmap transfers;  /* transfer id -> index into xfers (and the model's transfers) */
    cli_idmap claim_ids;  /* a claim's new subscription id -> the EA subscription it claims */
    size_t nsubs;
    struct cli_xfer_list {
        const uint32_t *subs;
        size_t n;
    } *xfers;
    size_t nxfers, cap_xfers;
    /* read_sub_list's stamps, one per subscription index: a list is checked for repeats and
     * for membership in its transfer in one pass (a stamp per list, not a clear per list). */
    uint32_t *sub_mark;
    size_t cap_mark;
    uint32_t mark_gen;
} cli_loader;

/* Sets the diag at node's place and evaluates to -1: `return CLI_FAIL_AT(L, n, "...", ...);` */
#define CLI_FAIL_AT(L, node, ...) (cli_diag_set((L)->d, (node)->line, (node)->col, __VA_ARGS__), -1)

/* One allowed key of a mapping; a table ends with CLI_KEYS_END. */
typedef struct {
    const char *key;
    int required;
} cli_keyspec;

#define CLI_KEYS_END {NULL, 0}

/* node is a mapping (named `what` in messages) whose keys are all in specs, with every
 * required one present; an unknown key is reported at the key with the allowed ones. */
int cli_check_keys(cli_loader *L, const cli_ynode *node, const cli_keyspec *specs, const char *what);

/* A single, non-empty value. */
int cli_read_scalar(cli_loader *L, const cli_ynode *n, const char *what);
/* An id: 1..CLI_MAX_ID letters, digits, '.', '_' or '-'. Borrowed from the arena. */
int cli_read_id(cli_loader *L, const cli_ynode *n, const char *what, const char **out);
/* Any scalar text, possibly empty. */
int cli_read_text(cli_loader *L, const cli_ynode *n, const char *what, const char **out);
/* true or false, unquoted. */
int cli_read_bool(cli_loader *L, const cli_ynode *n, const char *what, int *out);
/* A whole number in lo..hi, unquoted. */
int cli_read_int(cli_loader *L, const cli_ynode *n, const char *what, int64_t lo, int64_t hi, int64_t *out);
/* A finite decimal number in lo..hi, unquoted ("1.5", "2", "1e3"); "inf", "nan", hex and
 * anything that overflows a double (1e400) are refused. */
int cli_read_real(cli_loader *L, const cli_ynode *n, const char *what, double lo, double hi, double *out);
/* A money amount ("36", "36.5", "36.00") into minor units; negative allowed when sign_ok. */
int cli_read_money(cli_loader *L, const cli_ynode *n, const char *what, int sign_ok, int64_t *out);
/* A UTC instant: 2025-03-01, 2025-03-01T09:30Z or 2025-03-01T09:30:00Z. */
int cli_read_instant(cli_loader *L, const cli_ynode *n, const char *what, sim_time *out);
/* A duration (P30D, PT168H, P1M, 30d, 168h, 90min, 45s, 2w); a bare 'm' is refused. */
int cli_read_duration(cli_loader *L, const cli_ynode *n, const char *what, sim_duration *out);
/* A duration without months or years (distributions draw seconds). */
int cli_read_seconds(cli_loader *L, const cli_ynode *n, const char *what, sim_duration *out);
/* `at` of events and expectations: an instant, or +DURATION after the scenario's start
 * (L->s->start must be set). */
int cli_read_when(cli_loader *L, const cli_ynode *n, const char *what, sim_time *out);
/* A term: P1M, P1Y or P3Y, as months. */
int cli_read_term(cli_loader *L, const cli_ynode *n, const char *what, int *months);
/* One of the NULL-terminated words; *out gets its index. */
int cli_read_word(cli_loader *L, const cli_ynode *n, const char *what, const char *const *words, int *out);
/* n is a sequence (the caller reads its items). */
int cli_read_list(cli_loader *L, const cli_ynode *n, const char *what);
/* An agreement's last day: a date, no time of day (2025-01-01T00:00:00Z is refused too). */
int cli_read_last_day(cli_loader *L, const cli_ynode *n, const char *what, sim_time *out);
/* A reference to an id defined in m (`kind` names it in messages: "unknown offer 'x'"). */
int cli_read_ref(cli_loader *L, const cli_ynode *n, const cli_idmap *m, const char *kind, uint32_t *out);
/* Defines id in m at node n; a second definition is an error naming the first one's line. */
int cli_define_id(cli_loader *L, cli_idmap *m, const cli_ynode *n, const char *id, uint32_t value, const char *kind);
/* A distribution: a fixed duration, or {dist: fixed|uniform|exponential|lognormal|choice,
 * ...}; a choice's values and weights live in the arena. */
int cli_read_dist(cli_loader *L, const cli_ynode *n, const char *what, sim_dist *out);

/* The keys action `kind` takes beside `at` and `action` (SCENARIO-FORMAT's events table, one
 * table in cli/scenario.c for events and behaviours' `do`): the i-th key and whether events
 * require it, or NULL past the last. */
const char *cli_action_key(int kind, int i, int *required);

/* The words of the enumerations, in the order of their model enums. */
extern const char *const cli_billing_words[];  /* model_billing */
extern const char *const cli_channel_words[];  /* model_channel */
extern const char *const cli_segment_words[];  /* model_segment */
extern const char *const cli_partner_types[];  /* a partner's type */
/* The states a subscription may hold at the start (hand-written or generated), and their
 * model states in the same order. */
extern const char *const cli_start_state_words[];
extern const model_state cli_start_state_values[];

/* A subscription state by its model name (model_state_name: the one table of states). */
int cli_read_state(cli_loader *L, const cli_ynode *n, const char *what, int *out);

#endif
