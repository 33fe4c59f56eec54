/* cli/override.c - `--set KEY=VALUE` and the tree of accepted paths (see override.h).
 * Parsing checks the path against the table; applying walks the scenario's YAML tree,
 * selecting list elements by their name/group/id and creating mapping keys the file left
 * out, and copies the value into the scenario's arena. Nothing here prints. */
#include "override.h"

#include <stdio.h>
#include <string.h>

#include "limits.h"
#include "model/rules.h"

/* ---- the accepted paths (SCENARIO-FORMAT, EXPERIMENTS.md) ------------------------------- */

#define END {NULL, NULL}

static const cli_path_level rules_level = {"rules", NULL, NULL, 1, 0};

static const cli_path_key gen_sub_keys[] = {{"count", NULL}, {"offer", NULL}, {"partner", NULL}, {"channel", NULL},
                                            {"licenses", NULL}, {"term", NULL}, {"billing", NULL}, {"start", NULL},
                                            {"autorenew", NULL}, END};
static const cli_path_level gen_subs = {"a group's subscriptions", NULL, gen_sub_keys, 0, 0};
static const cli_path_key gen_ea_sub_keys[] = {{"count", NULL}, {"offer", NULL}, {"licenses", NULL}, END};
static const cli_path_level gen_ea_subs = {"a group's agreement subscriptions", NULL, gen_ea_sub_keys, 0, 0};
static const cli_path_key gen_agreement_keys[] = {{"count", NULL}, {"end", NULL}, {"subscriptions", &gen_ea_subs}, END};
static const cli_path_level gen_agreements = {"a group's agreements", NULL, gen_agreement_keys, 0, 0};
static const cli_path_key group_keys[] = {{"tenants", NULL}, {"region", NULL}, {"relationships", NULL},
                                          {"subscriptions", &gen_subs}, {"agreements", &gen_agreements}, END};
static const cli_path_level population_level = {"a population group", "group", group_keys, 0, 0};

static const cli_path_key where_keys[] = {{"group", NULL}, {"tenant", NULL}, {"offer", NULL}, {"partner", NULL},
                                          {"channel", NULL}, END};
static const cli_path_level where_level = {"where", NULL, where_keys, 0, 0};
static const cli_path_level do_level = {"do", NULL, NULL, 0, 1};
static const cli_path_key behaviour_keys[] = {{"on", NULL}, {"where", &where_level}, {"p", NULL}, {"after", NULL},
                                              {"do", &do_level}, END};
static const cli_path_level behaviours_level = {"a behaviour", "name", behaviour_keys, 0, 0};

static const cli_path_key offer_keys[] = {{"name", NULL}, {"price", NULL}, {"segment", NULL}, {"one_per_tenant", NULL},
                                          {"csp_available", NULL}, {"end_of_sale", NULL}, END};
static const cli_path_level offers_level = {"an offer", "id", offer_keys, 0, 0};
static const cli_path_key partner_keys[] = {{"type", NULL}, {"region", NULL}, END};
static const cli_path_level partners_level = {"a partner", "id", partner_keys, 0, 0};
static const cli_path_key tenant_keys[] = {{"region", NULL}, END};
static const cli_path_level tenants_level = {"a tenant", "id", tenant_keys, 0, 0};

static const cli_path_key root_keys[] = {{"seed", NULL}, {"end", NULL}, {"rules", &rules_level},
                                         {"population", &population_level}, {"behaviours", &behaviours_level},
                                         {"offers", &offers_level}, {"partners", &partners_level},
                                         {"tenants", &tenants_level}, END};
const cli_path_level cli_path_root = {"a scenario", NULL, root_keys, 0, 0};

/* The segments of path into buf (at most CLI_MAX_PATH bytes): 0 and *n, or -1. */
static int split(const char *path, char *buf, char **seg, size_t *n, char *err, size_t errsize)
{
    size_t len = strlen(path);
    if (len == 0 || len > CLI_MAX_PATH) {
        snprintf(err, errsize, len ? "the key is longer than %d characters (limit)" : "the key is empty", CLI_MAX_PATH);
        return -1;
    }
    memcpy(buf, path, len + 1);
    *n = 0;
    for (char *p = buf;;) {
        char *dot = strchr(p, '.');
        if (dot)
            *dot = '\0';
        if (!*p) {
            snprintf(err, errsize, "'%s' has an empty segment (segments are separated by one '.')", path);
            return -1;
        }
        seg[(*n)++] = p;
        if (!dot)
            return 0;
        p = dot + 1;
    }
}

/* Every valid key of a level, comma-separated, into buf. */
static void level_keys(const cli_path_level *l, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    if (l->params) {
        size_t np;
        const model_param_info *tab = model_param_table(&np);
        for (size_t j = 0; j < np && len < size; j++)
            len += (size_t)snprintf(buf + len, size - len, "%s%s", j ? ", " : "", tab[j].name);
        return;
    }
    for (const cli_path_key *k = l->keys; k && k->key && len < size; k++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? ", " : "", k->key);
}

/* The key seg of level l (a mapping level): *next gets the level below (NULL: a value). */
static int level_find(const cli_path_level *l, const char *seg, const cli_path_level **next)
{
    *next = NULL;
    if (l->any)
        return 0;
    if (l->params)
        return model_param_find(seg) ? 0 : -1;
    for (const cli_path_key *k = l->keys; k->key; k++)
        if (strcmp(k->key, seg) == 0) {
            *next = k->next;
            return 0;
        }
    return -1;
}

int cli_path_check(const char *path, char *err, size_t errsize)
{
    char buf[CLI_MAX_PATH + 1], *seg[CLI_MAX_PATH / 2 + 1];
    size_t n;
    if (split(path, buf, seg, &n, err, errsize))
        return -1;
    const cli_path_level *l = &cli_path_root;
    int selected = 0; /* on a list level: an element was selected */
    for (size_t i = 0; i < n; i++) {
        if (l->select && !selected) {
            selected = 1;
            if (i + 1 == n)
                break; /* reported below */
            continue;
        }
        const cli_path_level *next;
        if (level_find(l, seg[i], &next)) {
            char keys[1200];
            level_keys(l, keys, sizeof keys);
            if (l->params)
                snprintf(err, errsize, "unknown rule parameter '%s' (parameters: %s)", seg[i], keys);
            else if (l == &cli_path_root) {
                char params[1000];
                level_keys(&rules_level, params, sizeof params);
                snprintf(err, errsize, "unknown key '%s' (keys: %s; or a rule parameter: %s)", seg[i], keys, params);
            } else
                snprintf(err, errsize, "unknown key '%s' in %s (keys: %s)", seg[i], l->what, keys);
            return -1;
        }
        if (!next && i + 1 < n) {
            snprintf(err, errsize, "'%s' takes a value: nothing is below it", seg[i]);
            return -1;
        }
        l = next;
        selected = 0;
    }
    if (l && l->select) { /* the path ends on a list or one of its elements */
        char keys[400];
        level_keys(l, keys, sizeof keys);
        if (selected)
            snprintf(err, errsize, "'%s' names %s: give one of its keys (%s)", path, l->what, keys);
        else
            snprintf(err, errsize, "'%s' is a list: select an element by its %s, then give one of its keys (%s)", path,
                     l->select, keys);
        return -1;
    }
    return 0;
}

/* ---- parsing --------------------------------------------------------------------------- */

int cli_override_parse(cli_arena *a, const char *arg, cli_override *out, char *err, size_t errsize)
{
    memset(out, 0, sizeof *out);
    const char *eq = strchr(arg, '=');
    if (!eq) {
        snprintf(err, errsize, "--set takes KEY=VALUE, not '%s'", arg);
        return -1;
    }
    size_t klen = (size_t)(eq - arg);
    char key[CLI_MAX_PATH + 8];
    if (klen > CLI_MAX_PATH) {
        snprintf(err, errsize, "--set %s: the key is longer than %d characters (limit)", arg, CLI_MAX_PATH);
        return -1;
    }
    memcpy(key, arg, klen);
    key[klen] = '\0';
    /* a bare rule parameter is short for rules.NAME */
    const cli_path_level *next;
    if (!strchr(key, '.') && level_find(&cli_path_root, key, &next) && model_param_find(key)) {
        memmove(key + 6, key, klen + 1);
        memcpy(key, "rules.", 6);
    }
    char msg[2048];
    if (cli_path_check(key, msg, sizeof msg)) {
        snprintf(err, errsize, "--set %s: %s", arg, msg);
        return -1;
    }
    const char *value = eq + 1;
    size_t vlen = strlen(value);
    const char *first = value + strspn(value, " \t");
    cli_diag d;
    d.file = "--set";
    cli_ynode *root;
    if (cli_ytree_parse(a, value, vlen, &root, &d)) {
        snprintf(err, errsize, "--set %s: %s", arg, d.message);
        return -1;
    }
    if (!root || (root->kind == CLI_Y_SCALAR && root->plain && root->len == 0)) {
        snprintf(err, errsize, "--set %s: no value after '='", arg);
        return -1;
    }
    if (root->kind != CLI_Y_SCALAR && *first != '{' && *first != '[') {
        snprintf(err, errsize, "--set %s: the value must be one scalar or a flow collection ({...} or [...])", arg);
        return -1;
    }
    size_t olen = strlen(arg) + 7;
    char *origin = cli_arena_alloc(a, olen);
    char *path = cli_arena_strndup(a, key, strlen(key));
    if (!origin || !path) {
        snprintf(err, errsize, "--set %s: out of memory", arg);
        return -1;
    }
    snprintf(origin, olen, "--set %s", arg);
    out->path = path;
    out->value = root;
    out->origin = origin;
    out->text = origin + 6 + klen + 1;
    return 0;
}

/* ---- applying -------------------------------------------------------------------------- */

/* A deep copy of n in a, every node at line `line` (column 0) when line < 0. */
static cli_ynode *copy_node(cli_arena *a, const cli_ynode *n, int line)
{
    cli_ynode *c = cli_arena_alloc(a, sizeof *c);
    if (!c)
        return NULL;
    *c = *n;
    if (line < 0) {
        c->line = line;
        c->col = 0;
    }
    if (n->kind == CLI_Y_SCALAR) {
        c->text = cli_arena_strndup(a, n->text, n->len);
        return c->text ? c : NULL;
    }
    size_t items = n->kind == CLI_Y_MAP ? 2 * n->n : n->n;
    c->items = NULL;
    if (items) {
        c->items = cli_arena_alloc(a, items * sizeof *c->items);
        if (!c->items)
            return NULL;
        for (size_t i = 0; i < items; i++)
            if (!(c->items[i] = copy_node(a, n->items[i], line)))
                return NULL;
    }
    return c;
}

/* Appends key -> value to map (a new items array in a). */
static int map_append(cli_arena *a, cli_ynode *map, cli_ynode *key, cli_ynode *value)
{
    cli_ynode **items = cli_arena_alloc(a, 2 * (map->n + 1) * sizeof *items);
    if (!items)
        return -1;
    if (map->n)
        memcpy(items, map->items, 2 * map->n * sizeof *items);
    items[2 * map->n] = key;
    items[2 * map->n + 1] = value;
    map->items = items;
    map->n++;
    return 0;
}

/* An error of override o: under its origin, or at node `at` of the file. */
static int fail(cli_diag *d, const cli_override *o, const cli_ynode *at, const char *msg)
{
    if (o->origin) {
        d->file = o->origin;
        cli_diag_set(d, 0, 0, "%s", msg);
    } else {
        cli_diag_set(d, at ? at->line : 0, at ? at->col : 0, "%s: %s", o->path, msg);
    }
    return -1;
}

int cli_override_apply(cli_arena *a, cli_ynode *root, const cli_override *o, size_t i, cli_diag *d)
{
    if (!root || root->kind != CLI_Y_MAP)
        return 0; /* the loader reports what the file is */
    char buf[CLI_MAX_PATH + 1], *seg[CLI_MAX_PATH / 2 + 1], err[256];
    size_t n;
    if (split(o->path, buf, seg, &n, err, sizeof err))
        return fail(d, o, NULL, err);
    int line = o->origin ? CLI_OVERRIDE_LINE(i) : o->value->line;
    cli_ynode *node = root;
    const cli_path_level *l = &cli_path_root;
    for (size_t k = 0; k < n; k++) {
        if (l->select) { /* node is the list: select the element */
            cli_ynode *hit = NULL;
            char names[300] = "";
            size_t len = 0;
            for (size_t j = 0; j < node->n && !hit; j++) {
                const cli_ynode *sel = cli_ymap_get(node->items[j], l->select);
                if (!sel || sel->kind != CLI_Y_SCALAR)
                    continue;
                if (strcmp(sel->text, seg[k]) == 0)
                    hit = node->items[j];
                else if (len < sizeof names - 1)
                    len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", len ? ", " : "", sel->text);
            }
            if (!hit) {
                snprintf(err, sizeof err, "no %s with %s '%s' in the scenario (%ss: %s)",
                         l->what + (l->what[1] == 'n' ? 3 : 2), l->select, seg[k], l->select, len ? names : "none");
                return fail(d, o, node, err);
            }
            if (hit->kind != CLI_Y_MAP) {
                snprintf(err, sizeof err, "'%s' is a %s in the scenario, not a mapping", seg[k], cli_ykind_name(hit));
                return fail(d, o, hit, err);
            }
            node = hit;
            if (++k == n)
                break; /* cli_path_check refuses paths that end on an element */
        }
        const cli_path_level *next = NULL;
        level_find(l, seg[k], &next);
        cli_ynode *v = NULL;
        for (size_t j = 0; j < node->n; j++)
            if (strcmp(node->items[2 * j]->text, seg[k]) == 0)
                v = node->items[2 * j + 1];
        if (k + 1 == n) { /* the value */
            cli_ynode *c = copy_node(a, o->value, line);
            if (!c)
                return fail(d, o, NULL, "out of memory");
            if (v) {
                for (size_t j = 0; j < node->n; j++)
                    if (strcmp(node->items[2 * j]->text, seg[k]) == 0)
                        node->items[2 * j + 1] = c;
                return 0;
            }
            cli_ynode *key = cli_arena_alloc(a, sizeof *key);
            if (!key || !(key->text = cli_arena_strndup(a, seg[k], strlen(seg[k]))))
                return fail(d, o, NULL, "out of memory");
            key->kind = CLI_Y_SCALAR;
            key->plain = 1;
            key->len = strlen(seg[k]);
            key->line = line;
            return map_append(a, node, key, c) ? fail(d, o, NULL, "out of memory") : 0;
        }
        if (!next) { /* cli_path_check refuses these; a path from elsewhere may not be checked */
            snprintf(err, sizeof err, "'%s' takes a value: nothing is below it", seg[k]);
            return fail(d, o, node, err);
        }
        if (!v) {
            if (next->select) { /* a list the file does not have: nothing to select in it */
                snprintf(err, sizeof err, "the scenario has no %s to select '%s' in", seg[k], seg[k + 1]);
                return fail(d, o, node, err);
            }
            cli_ynode *key = cli_arena_alloc(a, sizeof *key), *map = cli_arena_alloc(a, sizeof *map);
            if (!key || !map || !(key->text = cli_arena_strndup(a, seg[k], strlen(seg[k]))))
                return fail(d, o, NULL, "out of memory");
            key->kind = CLI_Y_SCALAR;
            key->plain = 1;
            key->len = strlen(seg[k]);
            key->line = map->line = line;
            map->kind = CLI_Y_MAP;
            if (map_append(a, node, key, map))
                return fail(d, o, NULL, "out of memory");
            v = map;
        }
        cli_ykind want = next->select ? CLI_Y_SEQ : CLI_Y_MAP;
        if (v->kind != want) {
            snprintf(err, sizeof err, "'%s' is a %s in the scenario, not a %s", seg[k], cli_ykind_name(v),
                     want == CLI_Y_SEQ ? "list" : "mapping");
            return fail(d, o, v, err);
        }
        node = v;
        l = next;
    }
    return 0;
}

void cli_override_locate(cli_diag *d, const cli_override *o, size_t n)
{
    if (d->line >= 0)
        return;
    size_t i = (size_t)(-1 - d->line);
    if (i >= n || !o[i].origin)
        return;
    d->file = o[i].origin;
    d->line = d->col = 0;
    d->source[0] = '\0';
}
