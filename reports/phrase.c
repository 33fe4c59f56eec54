/* reports/phrase.c - the phrase table and its expansion. A system record's phrase is a
 * template indexed by its kind; placeholders take the record's amount, licenses, partner or
 * a KEY=value pair of its detail, and a pair so taken is left out of the rest of the detail.
 * Scripted actions are phrased from their action name and partner instead. */
#include "phrase.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "text.h"
#include "trace.h"

/* What a system record says. Placeholders: {amount} (money), {licenses}, {partner}, and
 * {KEY} for the value of KEY=... in the detail (that pair is then not repeated). A NULL
 * entry falls back to the kind's name.
 * These were once two tables (timeline.c and html.c) that had drifted; the timeline's,
 * which carry the figures and ids a trainer reads out, are the ones kept. */
static const char *const phrases[MODEL_KIND_COUNT] = {
    [MODEL_KIND_SUBSCRIPTION_CREATED] = "subscription created",
    [MODEL_KIND_RENEWAL_STARTED] = "renewal started",
    [MODEL_KIND_RENEWAL_COMPLETED] = "renewal completed, new term ends {term_end}",
    [MODEL_KIND_CANCEL_WINDOW_CLOSED] = "cancel window closed",
    [MODEL_KIND_TERM_ENDED] = "term ended",
    [MODEL_KIND_EXPIRED] = "expired: users keep access for the grace period",
    [MODEL_KIND_GRACE_ENDED] = "grace period ended",
    [MODEL_KIND_DISABLED] = "disabled: users lost access, admins keep data",
    [MODEL_KIND_DELETED] = "deleted: data removed",
    [MODEL_KIND_DATA_LOSS] = "DATA LOSS: {licenses} licenses",
    [MODEL_KIND_LICENSE_REASSIGNMENT] = "licenses need reassignment: {licenses}",
    [MODEL_KIND_CHARGE] = "charged {amount}",
    [MODEL_KIND_REFUND] = "refunded {amount}",
    [MODEL_KIND_CLAIM_PROCESSED] = "EA renewal claim of {ea_subscription} processed",
    [MODEL_KIND_TRANSFER_COMPLETED] = "transferred to {to_partner} as {to_subscription}",
    [MODEL_KIND_TRIAL_CONVERTED] = "trial converted to paid",
    [MODEL_KIND_SCHEDULED_CHANGE_APPLIED] = "scheduled change applied",
    [MODEL_KIND_SCHEDULED_CHANGE_REMOVED] = "scheduled change removed",
    [MODEL_KIND_RELATIONSHIP_EXPIRED] = "relationship request expired, partner {partner}",
    [MODEL_KIND_TRANSFER_EXPIRED] = "transfer {transfer} from {from} expired unanswered",
    [MODEL_KIND_DOUBLE_BILLING_STARTED] = "DOUBLE BILLING started: {subscriptions} serve one service",
    [MODEL_KIND_DOUBLE_BILLING_ENDED] = "double billing ended after {days} days",
    [MODEL_KIND_DATA_KEPT] = "data kept: {licenses} licenses covered by same-service subscriptions",
};

const char *rep_phrase_template(int k)
{
    return k >= 0 && k < MODEL_KIND_COUNT ? phrases[k] : NULL;
}

/* The detail as "key=value" tokens; a used token is not repeated in the rest. */
typedef struct {
    const char *p[REP_PHRASE_DETAIL_TOKENS];
    size_t n[REP_PHRASE_DETAIL_TOKENS];
    int used[REP_PHRASE_DETAIL_TOKENS];
    int count;
} detail_tokens;

static void split_detail(const char *d, detail_tokens *t)
{
    t->count = 0;
    while (*d && t->count < REP_PHRASE_DETAIL_TOKENS) {
        while (*d == ' ')
            d++;
        if (!*d)
            break;
        const char *start = d;
        while (*d && *d != ' ')
            d++;
        /* past the token limit the rest of the detail stays one token */
        if (t->count == REP_PHRASE_DETAIL_TOKENS - 1)
            d += strlen(d);
        t->p[t->count] = start;
        t->n[t->count] = (size_t)(d - start);
        t->used[t->count] = 0;
        t->count++;
    }
}

/* The value of key=... in the detail (marked used), or NULL with *len 0. */
static const char *detail_value(detail_tokens *t, const char *key, size_t keylen, size_t *len)
{
    for (int i = 0; i < t->count; i++) {
        if (t->n[i] > keylen && memcmp(t->p[i], key, keylen) == 0 && t->p[i][keylen] == '=') {
            t->used[i] = 1;
            *len = t->n[i] - keylen - 1;
            return t->p[i] + keylen + 1;
        }
    }
    *len = 0;
    return NULL;
}

/* Appends the template with its placeholders filled from r. */
static void expand(rep_phrase *p, rep_text *t, const char *tpl, const model_world *w, const model_record *r, detail_tokens *dt)
{
    while (*tpl) {
        const char *open = strchr(tpl, '{');
        const char *close = open ? strchr(open, '}') : NULL;
        if (!open || !close) {
            rep_text_add(t, tpl);
            return;
        }
        rep_text_addn(t, tpl, (size_t)(open - tpl));
        const char *name = open + 1;
        size_t len = (size_t)(close - name);
        char num[REP_MONEY_BUF];
        if (len == 6 && memcmp(name, "amount", 6) == 0) {
            rep_money(num, sizeof num, r->has_amount ? r->amount : 0);
            rep_text_add(t, num);
            p->used_amount = 1;
        } else if (len == 8 && memcmp(name, "licenses", 8) == 0) {
            snprintf(num, sizeof num, "%" PRId64, r->has_licenses ? r->licenses : 0);
            rep_text_add(t, num);
            p->used_licenses = 1;
        } else if (len == 7 && memcmp(name, "partner", 7) == 0) {
            rep_text_add(t, r->partner != MODEL_NONE ? model_partner_id(w, r->partner) : "web-direct");
        } else {
            size_t vlen;
            const char *v = detail_value(dt, name, len, &vlen);
            rep_text_addn(t, v ? v : "?", v ? vlen : 1);
        }
        tpl = close + 1;
    }
}

void rep_phrase_of(const model_world *w, const model_record *r, rep_phrase *p)
{
    rep_text text = rep_text_over(p->text, sizeof p->text), *t = &text;
    p->rest_len = 0;
    p->rest[0] = '\0';
    p->used_amount = p->used_licenses = 0;
    p->is_action = r->kind == MODEL_KIND_ACTION && r->action >= 0;
    detail_tokens dt;
    split_detail(r->detail, &dt);
    const char *tpl = rep_phrase_template(r->kind);
    if (p->is_action) {
        rep_text_add(t, model_action_name(r->action));
        if (r->partner != MODEL_NONE) {
            rep_text_add(t, " via ");
            rep_text_add(t, model_partner_id(w, r->partner));
        }
    } else if (tpl) {
        expand(p, t, tpl, w, r, &dt);
    } else {
        const char *name = model_kind_name(r->kind);
        rep_text_add(t, *name ? name : "record");
    }
    /* the tokens are a subset of the detail with at most its separators: rest fits */
    for (int i = 0; i < dt.count; i++) {
        if (dt.used[i])
            continue;
        if (p->rest_len)
            p->rest[p->rest_len++] = ' ';
        memcpy(p->rest + p->rest_len, dt.p[i], dt.n[i]);
        p->rest_len += dt.n[i];
    }
    p->rest[p->rest_len] = '\0';
    p->len = text.len;
}
