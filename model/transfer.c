/* model/transfer.c - partner-to-partner transfers (XFER-1). A transfer is declared at load
 * with the ids its subscriptions will have at the target; request_transfer opens it,
 * accept_transfer moves some or all of its subscriptions, reject_transfer or the expiry
 * timer closes it. The checks are rows of the action table in actions.c. */
#include "transfer.h"

#include "calendar.h"
#include "changes.h"
#include "emit.h"
#include "lifecycle.h"

uint32_t model_add_transfer(model_world *w, const char *id, uint32_t tenant, uint32_t from, uint32_t to,
                            const uint32_t *subs, const uint32_t *news, size_t n)
{
    if (store_grow((void **)&w->transfers, &w->cap_transfers, w->ntransfers, sizeof *w->transfers))
        return MODEL_NONE;
    uint32_t i = (uint32_t)w->ntransfers++;
    w->transfers[i] = (transfer_t){id, tenant, from, to, subs, news, n, XFER_NONE, 0, 0, MODEL_NONE};
    return i;
}

void transfer_request(model_world *w, uint32_t transfer, sim_time t)
{
    transfer_t *x = &w->transfers[transfer];
    x->state = XFER_PENDING;
    x->requested_at = t;
    x->gen++;
    for (size_t i = 0; i < x->n; i++) {
        ext_t *e = sub_ext(w, x->subs[i]);
        if (e)
            e->transfer = transfer;
    }
    sim_time due = sim_add_duration(t, w->params.transfer_expiry);
    if (sim_fel_push(w->fel, due, store_group(x->tenant), 0, transfer, TIMER_TAG(TIMER_XFER, x->gen & 0x0FFFFFFFu)) < 0)
        w->failed = 1;
}

void transfer_close(model_world *w, uint32_t transfer, int state)
{
    transfer_t *x = &w->transfers[transfer];
    x->state = (uint8_t)state;
    for (size_t i = 0; i < x->n; i++) {
        ext_t *e = sub_ext_if(w, x->subs[i]);
        if (e && e->transfer == transfer)
            e->transfer = MODEL_NONE;
    }
    if (state != XFER_ACCEPTED)
        w->partners[x->to].f.transfers_refused++;
}

/* The id the source subscription gets at the target. */
static uint32_t new_id_of(const transfer_t *x, uint32_t src)
{
    for (size_t i = 0; i < x->n; i++)
        if (x->subs[i] == src)
            return x->news[i];
    return MODEL_NONE;
}

void transfer_accept(model_world *w, uint32_t transfer, const uint32_t *subs, size_t n, sim_time t)
{
    transfer_t *x = &w->transfers[transfer];
    if (!subs) {
        subs = x->subs;
        n = x->n;
    }
    /* first every accepted subscription at the target: same offer, licenses, term, billing,
     * autorenew and calendar, so the term end date is kept */
    for (size_t i = 0; i < n; i++) {
        uint32_t src = subs[i], dst = new_id_of(x, src);
        const sub_t *s = &w->subs[src];
        sub_t *d = &w->subs[dst];
        d->offer = s->offer;
        d->partner = x->to;
        d->channel = MODEL_CHANNEL_CSP;
        d->licenses = s->licenses;
        d->billing = s->billing;
        d->autorenew = s->autorenew;
        sub_copy_calendar(d, s);
        if (store_set_reseller(w, dst, x->reseller))
            w->failed = 1;
        sub_set_state(w, dst, MODEL_STATE_ACTIVE, t);
        char lb[SUB_LABEL_BUF];
        emit_state_detail(w, t, MODEL_KIND_SUBSCRIPTION_CREATED, MODEL_RULE_XFER_1, dst, MODEL_STATE_NONE,
                          MODEL_STATE_ACTIVE, "transfer=%s from_subscription=%s", x->id, sub_label(w, src, lb));
        sub_begin_term(w, dst, t, TERM_CHARGE | TERM_PRORATE); /* no new cancel window */
        d->opened = s->opened; /* the term goes on: no new reduce window either (SUB-6) */
        sub_schedule(w, dst);
    }
    /* then the sources end: canceled, no refund, billing stops */
    for (size_t i = 0; i < n; i++) {
        uint32_t src = subs[i];
        sub_t *s = &w->subs[src];
        sched_remove(w, src, t, "transfer");
        s->flags &= (uint8_t)~SUBF_WINDOW_OPEN;
        s->next_charge = SIM_TIME_NEVER;
        int from = s->state;
        sub_set_state(w, src, MODEL_STATE_CANCELED, t);
        char lb[SUB_LABEL_BUF];
        emit_state_detail(w, t, MODEL_KIND_TRANSFER_COMPLETED, MODEL_RULE_XFER_1, src, from, MODEL_STATE_CANCELED,
                          "transfer=%s to_subscription=%s to_partner=%s", x->id, sub_label(w, new_id_of(x, src), lb),
                          w->partners[x->to].id);
        sub_schedule(w, src);
    }
    w->partners[x->to].f.transfers_accepted++;
    transfer_close(w, transfer, XFER_ACCEPTED);
}

void transfer_on_timer(model_world *w, uint32_t transfer, uint32_t gen, sim_time t)
{
    transfer_t *x = &w->transfers[transfer];
    if ((x->gen & 0x0FFFFFFFu) != gen || x->state != XFER_PENDING)
        return;
    transfer_close(w, transfer, XFER_EXPIRED);
    if (rec_skip(w))
        return;
    rec_t r;
    rec_begin(w, &r, t, MODEL_KIND_TRANSFER_EXPIRED, MODEL_RULE_XFER_1);
    r.tenant = x->tenant;
    r.partner = x->to;
    rec_detail(&r, "transfer=%s from=%s", x->id, w->partners[x->from].id);
    rec_emit(w, &r);
}
