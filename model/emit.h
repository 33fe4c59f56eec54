/* model/emit.h - building and numbering trace records (model_record, record.h).
 *
 * A record is built only when a sink is set, so a run without output pays nothing for
 * formatting; it is numbered either way, so record numbers (and invariant reports) do not
 * depend on the sink. The usual shape: `if (rec_skip(w)) return;` then rec_begin, fill,
 * rec_emit. */
#ifndef MODEL_EMIT_H
#define MODEL_EMIT_H

#include "store.h"

/* A record being built: fill, then emit. */
typedef model_record rec_t;

/* 1 when neither a sink nor a behaviour wants records: the record is numbered and not built;
 * 0: build and emit it. */
static inline int rec_skip(model_world *w)
{
    if (w->build_records)
        return 0;
    w->seq++;
    return 1;
}
/* A zeroed record for (t, kind, rule): no entity, no state change, no action. */
void rec_begin(const model_world *w, rec_t *r, sim_time t, model_kind kind, model_rule rule);
/* Names sub with its tenant and partner. */
void rec_sub(const model_world *w, rec_t *r, uint32_t sub);
/* Numbers the record and hands it to the sink. */
void rec_emit(model_world *w, rec_t *r);
/* Appends " text" to the detail (truncated at its size). */
void rec_detail(rec_t *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The subscription's id for a detail text: its id, its generated label, or "s<index>" like the trace writes. */
#define SUB_LABEL_BUF MODEL_LABEL_BUF
const char *sub_label(const model_world *w, uint32_t sub, char buf[SUB_LABEL_BUF]);
/* The label of a subscription made by a behaviour's `id: auto` (TENANT/rN: its tenant's N-th;
 * '/' is in no id, so it names no other subscription) into buf, or NULL when it is not one. */
const char *auto_sub_label(const model_world *w, uint32_t sub, char buf[MODEL_LABEL_BUF]);
/* A state change record of sub, from -> to (-1, -1: no change), with its licenses. */
void emit_state(model_world *w, sim_time t, model_kind kind, model_rule rule, uint32_t sub, int from, int to);
/* The same with a detail text. */
void emit_state_detail(model_world *w, sim_time t, model_kind kind, model_rule rule, uint32_t sub, int from, int to,
                       const char *fmt, ...) __attribute__((format(printf, 8, 9)));

#endif
