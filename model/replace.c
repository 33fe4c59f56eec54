/* model/replace.c - SUB-12: what a deletion costs. Runs at phase 1 of the deletion instant,
 * after every state change of that instant, so a subscription that expires, is disabled or
 * is deleted at the same instant does not count as a replacement. Replacements are not used
 * up: one live subscription may cover several deleted ones. */
#include "replace.h"

#include "emit.h"
#include "states.h"

/* Licenses of the tenant's live subscriptions that satisfy `match`, except `self`. */
static int64_t live_licenses(const model_world *w, const sub_t *self,
                             int (*match)(const model_world *, const sub_t *, const sub_t *))
{
    int64_t n = 0;
    for (uint32_t i = w->tenants[self->tenant].first_sub; i != MODEL_NONE; i = w->subs[i].next_in_tenant) {
        const sub_t *o = &w->subs[i];
        if (o != self && sub_is_live(o->state) && match(w, self, o))
            n += o->licenses;
    }
    return n;
}

static int same_service(const model_world *w, const sub_t *a, const sub_t *b)
{
    return w->offers[a->offer].provisioning == w->offers[b->offer].provisioning;
}

static int equivalent(const model_world *w, const sub_t *a, const sub_t *b)
{
    const offer_t *o = &w->offers[a->offer];
    for (size_t i = 0; i < o->nequivalent; i++)
        if (w->offers[o->equivalent_to[i]].provisioning == w->offers[b->offer].provisioning)
            return !same_service(w, a, b);
    return 0;
}

static void emit_count(model_world *w, sim_time t, model_kind kind, uint32_t sub, int64_t n, const char *why)
{
    if (rec_skip(w))
        return;
    rec_t r;
    rec_begin(w, &r, t, kind, MODEL_RULE_SUB_12);
    rec_sub(w, &r, sub);
    r.has_licenses = 1;
    r.licenses = n;
    rec_detail(&r, "%s", why);
    rec_emit(w, &r);
}

void replace_on_deleted(model_world *w, uint32_t sub, sim_time t)
{
    const sub_t *s = &w->subs[sub];
    int64_t left = s->licenses;
    int64_t kept = live_licenses(w, s, same_service);
    if (kept > left)
        kept = left;
    left -= kept;
    if (kept > 0)
        emit_count(w, t, MODEL_KIND_DATA_KEPT, sub, kept, "by=same_provisioning_id");
    if (left > 0) {
        int64_t moved = live_licenses(w, s, equivalent);
        if (moved > left)
            moved = left;
        left -= moved;
        if (moved > 0)
            emit_count(w, t, MODEL_KIND_LICENSE_REASSIGNMENT, sub, moved, "by=equivalent_offer");
    }
    if (left > 0) {
        w->tenants[s->tenant].m.data_loss_licenses += left;
        emit_count(w, t, MODEL_KIND_DATA_LOSS, sub, left, "unreplaced");
    }
}
