/* model/emit.c - building and numbering trace records (see emit.h). */
#include "emit.h"
#include "genid.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void rec_begin(const model_world *w, rec_t *r, sim_time t, model_kind kind, model_rule rule)
{
    (void)w;
    memset(r, 0, sizeof *r);
    r->time = t;
    r->kind = kind;
    r->rule = rule;
    r->action = -1;
    r->tenant = r->partner = r->subscription = MODEL_NONE;
    r->from_state = r->to_state = -1;
}

void rec_sub(const model_world *w, rec_t *r, uint32_t sub)
{
    const sub_t *s = &w->subs[sub];
    r->subscription = sub;
    r->tenant = s->tenant;
    r->partner = s->partner;
}

void rec_emit(model_world *w, rec_t *r)
{
    r->seq = ++w->seq;
    if (w->sink.emit)
        w->sink.emit(w->sink.ctx, r);
    if (w->on_record) /* behaviours (behaviour.c): after the sink, so a reaction's records follow */
        w->on_record(w, r);
}

void rec_detail(rec_t *r, const char *fmt, ...)
{
    size_t n = strlen(r->detail);
    if (n >= sizeof r->detail - 1)
        return;
    if (n)
        r->detail[n++] = ' ';
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->detail + n, sizeof r->detail - n, fmt, ap);
    va_end(ap);
}

static void state_record(model_world *w, rec_t *r, sim_time t, model_kind kind, model_rule rule, uint32_t sub,
                         int from, int to)
{
    rec_begin(w, r, t, kind, rule);
    rec_sub(w, r, sub);
    r->from_state = from;
    r->to_state = to;
    r->has_licenses = 1;
    r->licenses = w->subs[sub].licenses;
}

void emit_state(model_world *w, sim_time t, model_kind kind, model_rule rule, uint32_t sub, int from, int to)
{
    if (rec_skip(w))
        return;
    rec_t r;
    state_record(w, &r, t, kind, rule, sub, from, to);
    rec_emit(w, &r);
}

void emit_state_detail(model_world *w, sim_time t, model_kind kind, model_rule rule, uint32_t sub, int from, int to,
                       const char *fmt, ...)
{
    if (rec_skip(w))
        return;
    rec_t r;
    state_record(w, &r, t, kind, rule, sub, from, to);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r.detail, sizeof r.detail, fmt, ap);
    va_end(ap);
    rec_emit(w, &r);
}

const char *sub_label(const model_world *w, uint32_t sub, char buf[SUB_LABEL_BUF])
{
    if (w->subs[sub].id)
        return w->subs[sub].id;
    if (genid_sub_label(w, sub, buf) || auto_sub_label(w, sub, buf))
        return buf;
    snprintf(buf, SUB_LABEL_BUF, "s%u", (unsigned)sub); /* the trace's name for an unnamed one */
    return buf;
}

const char *auto_sub_label(const model_world *w, uint32_t sub, char buf[MODEL_LABEL_BUF])
{
    if (!w->nauto || sub < w->auto_first || sub - w->auto_first >= w->nauto)
        return NULL;
    char tb[MODEL_LABEL_BUF];
    const char *t = model_tenant_label(w, w->subs[sub].tenant, tb);
    snprintf(buf, MODEL_LABEL_BUF, "%s/r%u", t ? t : "", (unsigned)w->auto_n[sub - w->auto_first]);
    return buf;
}
