/* reports/summary.c - summary.json. Counters: records by kind and rejections by reason in
 * fixed arrays; per tenant, a reason array found through a small open-addressing map from
 * tenant index, created at the tenant's first rejection. An array indexed by tenant would
 * be simpler but costs memory for every tenant of a million-tenant world. */
#include "summary.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"

typedef uint64_t reason_counts[MODEL_REASON_COUNT];

typedef struct {
    uint32_t tenant; /* MODEL_NONE: free slot */
    uint32_t block;  /* index into blocks */
} tenant_slot;

struct rep_summary {
    const model_world *w;
    uint64_t by_kind[MODEL_KIND_COUNT];
    reason_counts total;
    tenant_slot *slots; /* power-of-two table, at most half full */
    size_t nslots;
    reason_counts *blocks;
    size_t nblocks, cap_blocks;
    int failed;
    int has_fingerprint;
    uint64_t fingerprint;
    char trace_mode[48]; /* "" when not set */
    const char *const *override_paths, *const *override_values;
    size_t noverrides;
};

void rep_summary_set_overrides(rep_summary *s, const char *const *paths, const char *const *values, size_t n)
{
    s->override_paths = paths;
    s->override_values = values;
    s->noverrides = n;
}

rep_summary *rep_summary_new(const model_world *w)
{
    rep_summary *s = calloc(1, sizeof *s);
    if (s)
        s->w = w;
    return s;
}

void rep_summary_free(rep_summary *s)
{
    if (!s)
        return;
    free(s->slots);
    free(s->blocks);
    free(s);
}

static size_t slot_of(uint32_t tenant, size_t nslots)
{
    /* Fibonacci hashing: consecutive tenant indices spread over the table */
    return (size_t)(((uint64_t)tenant * UINT64_C(0x9E3779B97F4A7C15)) >> 32) & (nslots - 1);
}

/* The slot holding tenant, or the free slot where it would go. nslots > 0. */
static tenant_slot *find_slot(tenant_slot *slots, size_t nslots, uint32_t tenant)
{
    size_t i = slot_of(tenant, nslots);
    while (slots[i].tenant != MODEL_NONE && slots[i].tenant != tenant)
        i = (i + 1) & (nslots - 1);
    return &slots[i];
}

static int grow_slots(rep_summary *s)
{
    size_t n = s->nslots ? s->nslots * 2 : 64;
    tenant_slot *slots = malloc(n * sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < n; i++)
        slots[i].tenant = MODEL_NONE;
    for (size_t i = 0; i < s->nslots; i++)
        if (s->slots[i].tenant != MODEL_NONE)
            *find_slot(slots, n, s->slots[i].tenant) = s->slots[i];
    free(s->slots);
    s->slots = slots;
    s->nslots = n;
    return 0;
}

/* The reason counters of tenant, created zeroed; NULL when memory ran out. */
static uint64_t *tenant_counts(rep_summary *s, uint32_t tenant)
{
    if (s->nslots) {
        tenant_slot *slot = find_slot(s->slots, s->nslots, tenant);
        if (slot->tenant == tenant)
            return s->blocks[slot->block];
    }
    if ((s->nblocks + 1) * 2 > s->nslots && grow_slots(s) < 0)
        return NULL;
    if (s->nblocks == s->cap_blocks) {
        size_t cap = s->cap_blocks ? s->cap_blocks * 2 : 16;
        reason_counts *b = realloc(s->blocks, cap * sizeof *b);
        if (!b)
            return NULL;
        s->blocks = b;
        s->cap_blocks = cap;
    }
    tenant_slot *slot = find_slot(s->slots, s->nslots, tenant);
    slot->tenant = tenant;
    slot->block = (uint32_t)s->nblocks;
    memset(s->blocks[s->nblocks], 0, sizeof(reason_counts));
    return s->blocks[s->nblocks++];
}

/* Tenant's counters when it has any, else NULL. */
static const uint64_t *tenant_counts_find(const rep_summary *s, uint32_t tenant)
{
    if (!s->nslots)
        return NULL;
    const tenant_slot *slot = find_slot(s->slots, s->nslots, tenant);
    return slot->tenant == tenant ? s->blocks[slot->block] : NULL;
}

void rep_summary_record(rep_summary *s, const model_record *r)
{
    if ((unsigned)r->kind < MODEL_KIND_COUNT)
        s->by_kind[r->kind]++;
    if (r->outcome != MODEL_OUTCOME_REJECTED || r->reason == MODEL_REASON_NONE ||
        (unsigned)r->reason >= MODEL_REASON_COUNT)
        return;
    s->total[r->reason]++;
    if (r->tenant == MODEL_NONE || s->failed)
        return;
    uint64_t *c = tenant_counts(s, r->tenant);
    if (!c) {
        s->failed = 1;
        return;
    }
    c[r->reason]++;
}

static void sink_emit(void *ctx, const model_record *r)
{
    rep_summary_record(ctx, r);
}

model_sink rep_summary_sink(rep_summary *s)
{
    model_sink k = {sink_emit, s};
    return k;
}

/* ---- a small pretty-printing JSON writer (the layout of Python's json.dumps indent=2) ---- */

#define JSON_MAX_DEPTH 8

typedef struct {
    rep_out *o;
    int depth;
    int first[JSON_MAX_DEPTH]; /* no member written yet at that depth */
} json_w;

/* Comma, newline and indent before a member, then its key when given. */
static void member(json_w *j, const char *key)
{
    if (j->depth > 0) {
        rep_puts(j->o, j->first[j->depth] ? "\n" : ",\n");
        j->first[j->depth] = 0;
        for (int i = 0; i < j->depth; i++)
            rep_write(j->o, "  ", 2);
    }
    if (key) {
        rep_json_string(j->o, key);
        rep_write(j->o, ": ", 2);
    }
}

static void open_(json_w *j, const char *key, char brace)
{
    member(j, key);
    rep_write(j->o, &brace, 1);
    if (j->depth + 1 < JSON_MAX_DEPTH) /* summary.json nests 3 deep */
        j->depth++;
    j->first[j->depth] = 1;
}

static void close_(json_w *j, char brace)
{
    int empty = j->first[j->depth];
    j->depth--;
    if (!empty) {
        rep_write(j->o, "\n", 1);
        for (int i = 0; i < j->depth; i++)
            rep_write(j->o, "  ", 2);
    }
    rep_write(j->o, &brace, 1);
}

static void num(json_w *j, const char *key, int64_t v)
{
    member(j, key);
    rep_printf(j->o, "%" PRId64, v);
}

static void unum(json_w *j, const char *key, uint64_t v)
{
    member(j, key);
    rep_printf(j->o, "%" PRIu64, v);
}

static void money(json_w *j, const char *key, int64_t minor)
{
    char buf[REP_MONEY_BUF];
    rep_money(buf, sizeof buf, minor);
    member(j, key);
    rep_puts(j->o, buf);
}

static void str(json_w *j, const char *key, const char *v)
{
    member(j, key);
    rep_json_string(j->o, v);
}

/* ---- summary.json ---------------------------------------------------------------------- */

/* {"code": n, ...}: nonzero counts in reason-table order; counts may be NULL (all zero). */
static void reasons(json_w *j, const uint64_t *counts)
{
    open_(j, "rejections_by_reason", '{');
    for (int i = 1; counts && i < MODEL_REASON_COUNT; i++)
        if (counts[i])
            unum(j, model_reason_code((model_reason)i), counts[i]);
    close_(j, '}');
}

static void metrics(json_w *j, const model_metrics *m)
{
    num(j, "data_loss_licenses", m->data_loss_licenses);
    num(j, "interruption_days", m->interruption_days);
    money(j, "billed", m->billed);
    money(j, "refunded", m->refunded);
    num(j, "double_billing_days", m->double_billing_days);
    num(j, "rejections", m->rejections);
}

static void metrics_add(model_metrics *to, const model_metrics *m)
{
    to->data_loss_licenses += m->data_loss_licenses;
    to->interruption_days += m->interruption_days;
    to->billed += m->billed;
    to->refunded += m->refunded;
    to->double_billing_days += m->double_billing_days;
    to->rejections += m->rejections;
}

static void partner(json_w *j, const char *id, int64_t billed, int64_t refunded, const model_partner_figures *f)
{
    open_(j, NULL, '{');
    str(j, "id", id);
    money(j, "billed", billed);
    money(j, "refunded", refunded);
    if (f) {
        num(j, "claims_won", f->claims_won);
        num(j, "claims_refused", f->claims_refused);
        num(j, "transfers_accepted", f->transfers_accepted);
        num(j, "transfers_refused", f->transfers_refused);
    }
    close_(j, '}');
}

void rep_summary_set_fingerprint(rep_summary *s, uint64_t fingerprint)
{
    s->has_fingerprint = 1;
    s->fingerprint = fingerprint;
}

void rep_summary_set_trace(rep_summary *s, const char *mode)
{
    snprintf(s->trace_mode, sizeof s->trace_mode, "%s", mode ? mode : "");
}

char *rep_fingerprint(uint64_t fingerprint, char *buf)
{
    snprintf(buf, REP_FINGERPRINT_BUF, "%016llx", (unsigned long long)fingerprint);
    return buf;
}

int rep_summary_write(rep_summary *s, rep_out *out, const char *scenario_name, uint64_t seed)
{
    if (s->failed) {
        rep_out_fail(out, ENOMEM);
        return -1;
    }
    const model_world *w = s->w;
    json_w j = {out, 0, {0}};
    model_metrics m;
    open_(&j, NULL, '{');
    str(&j, "scenario", scenario_name ? scenario_name : "");
    unum(&j, "seed", seed);
    if (s->noverrides) {
        open_(&j, "overrides", '{');
        for (size_t i = 0; i < s->noverrides; i++)
            str(&j, s->override_paths[i], s->override_values[i]);
        close_(&j, '}');
    }
    if (s->has_fingerprint) {
        char fp[REP_FINGERPRINT_BUF];
        str(&j, "fingerprint", rep_fingerprint(s->fingerprint, fp));
    }
    if (s->trace_mode[0])
        str(&j, "trace", s->trace_mode);
    unum(&j, "events", model_events_processed(w));
    unum(&j, "records", model_records_emitted(w));

    open_(&j, "total", '{');
    model_metrics_total(w, &m);
    metrics(&j, &m);
    reasons(&j, s->total);
    close_(&j, '}');

    open_(&j, "partners", '[');
    int64_t billed, refunded;
    for (size_t i = 0; i < model_count_partners(w); i++) {
        model_partner_figures f;
        model_metrics_partner(w, (uint32_t)i, &billed, &refunded);
        model_partner_figures_get(w, (uint32_t)i, &f);
        partner(&j, model_partner_id(w, (uint32_t)i), billed, refunded, &f);
    }
    model_metrics_partner(w, MODEL_NONE, &billed, &refunded);
    if (billed || refunded)
        partner(&j, "web-direct", billed, refunded, NULL);
    close_(&j, ']');

    /* REL-6: what providers did for each indirect reseller; only when the run has one, so
     * that runs without resellers keep their summary as it was */
    int resellers = 0;
    for (size_t i = 0; i < model_count_partners(w) && !resellers; i++)
        resellers = model_partner_type_get(w, (uint32_t)i) == MODEL_PARTNER_INDIRECT_RESELLER;
    if (resellers) {
        open_(&j, "resellers", '[');
        for (size_t i = 0; i < model_count_partners(w); i++) {
            if (model_partner_type_get(w, (uint32_t)i) != MODEL_PARTNER_INDIRECT_RESELLER)
                continue;
            model_reseller_figures rf;
            model_reseller_figures_get(w, (uint32_t)i, &rf);
            open_(&j, NULL, '{');
            str(&j, "id", model_partner_id(w, (uint32_t)i));
            money(&j, "billed", rf.billed);
            money(&j, "refunded", rf.refunded);
            num(&j, "subscriptions", rf.subscriptions);
            close_(&j, '}');
        }
        close_(&j, ']');
    }

    /* Population groups: each group's tenants and their summed figures, in group order; only
     * when the scenario generates tenants, so that other summaries stay as they were. A large
     * population lists its groups, not every generated tenant (REP_SUMMARY_MAX_GENERATED). */
    size_t ngroups = model_count_groups(w), generated = 0;
    if (ngroups) {
        model_metrics *sum = calloc(ngroups, sizeof *sum);
        uint64_t *count = calloc(ngroups, sizeof *count);
        if (!sum || !count) {
            free(sum);
            free(count);
            rep_out_fail(out, ENOMEM);
            return -1;
        }
        for (size_t i = 0; i < model_count_tenants(w); i++) {
            uint32_t g = model_tenant_group(w, (uint32_t)i);
            if (g == MODEL_NONE || g >= ngroups)
                continue;
            model_metrics_tenant(w, (uint32_t)i, &m);
            metrics_add(&sum[g], &m);
            count[g]++;
            generated++;
        }
        open_(&j, "groups", '[');
        for (size_t g = 0; g < ngroups; g++) {
            open_(&j, NULL, '{');
            str(&j, "group", model_group_name(w, (uint32_t)g));
            unum(&j, "tenants", count[g]);
            metrics(&j, &sum[g]);
            close_(&j, '}');
        }
        close_(&j, ']');
        free(sum);
        free(count);
    }
    int list_generated = generated <= REP_SUMMARY_MAX_GENERATED;
    if (!list_generated)
        unum(&j, "generated_tenants_not_listed", generated);

    open_(&j, "tenants", '[');
    for (size_t i = 0; i < model_count_tenants(w) && !rep_out_failed(out); i++) {
        if (!list_generated && model_tenant_group(w, (uint32_t)i) != MODEL_NONE)
            continue;
        open_(&j, NULL, '{');
        str(&j, "id", model_tenant_id(w, (uint32_t)i));
        model_metrics_tenant(w, (uint32_t)i, &m);
        metrics(&j, &m);
        reasons(&j, tenant_counts_find(s, (uint32_t)i));
        close_(&j, '}');
    }
    close_(&j, ']');

    open_(&j, "records_by_kind", '{');
    for (int i = 0; i < MODEL_KIND_COUNT; i++)
        if (s->by_kind[i])
            unum(&j, model_kind_name((model_kind)i), s->by_kind[i]);
    close_(&j, '}');
    close_(&j, '}');
    rep_write(out, "\n", 1);
    return rep_out_failed(out) ? -1 : 0;
}
