/* cli/step.c - classroom playback: one line per record as it is emitted, pausing for Enter.
 * The phrases are those of reports/timeline.c (kept in step with it by hand: timeline.c
 * keeps its formatter static); a stepper adds the tenant column, since its lines come in
 * time order rather than grouped per tenant, and the meaning of a refusal's reason code. */
#include "step.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/explain.h"
#include "reports/trace.h"

#define STEP_ID_WIDTH_MAX 24 /* ids longer than this push their line's text to the right */
#define STEP_LINE_MAX 1024   /* a phrase, the ids, two states, a 192-byte detail, a meaning */

struct cli_stepper {
    const model_world *w;
    FILE *out, *in;
    int pausing;
    int hinted;
    int tenant_width, sub_width;
    unsigned long long count;
};

/* What a system record says, as in reports/timeline.c. {amount}, {licenses}, {partner} and
 * {KEY} (the value of KEY=... in the detail, then not repeated) are filled in. */
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
    [MODEL_KIND_CLAIM_PROCESSED] = "EA renewal claim processed",
    [MODEL_KIND_TRANSFER_COMPLETED] = "transfer completed",
    [MODEL_KIND_TRIAL_CONVERTED] = "trial converted to paid",
    [MODEL_KIND_SCHEDULED_CHANGE_APPLIED] = "scheduled change applied",
    [MODEL_KIND_SCHEDULED_CHANGE_REMOVED] = "scheduled change removed",
    [MODEL_KIND_RELATIONSHIP_EXPIRED] = "relationship request expired, partner {partner}",
    [MODEL_KIND_TRANSFER_EXPIRED] = "transfer request expired",
    [MODEL_KIND_DOUBLE_BILLING_STARTED] = "double billing started",
    [MODEL_KIND_DOUBLE_BILLING_ENDED] = "double billing ended",
    [MODEL_KIND_DATA_KEPT] = "data kept: {licenses} licenses covered by same-service subscriptions",
};

/* ---- one line of text -------------------------------------------------------------------- */

typedef struct {
    char buf[STEP_LINE_MAX];
    size_t n;
} line_buf;

static void add_n(line_buf *b, const char *s, size_t n)
{
    size_t room = sizeof b->buf - 1 - b->n;
    if (n > room)
        n = room;
    memcpy(b->buf + b->n, s, n);
    b->n += n;
    b->buf[b->n] = '\0';
}

static void add(line_buf *b, const char *s)
{
    add_n(b, s, strlen(s));
}

static void add_padded(line_buf *b, const char *s, int width)
{
    add(b, s);
    for (int i = (int)strlen(s); i < width; i++)
        add_n(b, " ", 1);
    add_n(b, "  ", 2);
}

#define DETAIL_TOKENS 24

typedef struct {
    const char *p[DETAIL_TOKENS];
    size_t n[DETAIL_TOKENS];
    int used[DETAIL_TOKENS];
    int count;
} detail_tokens;

static void split_detail(const char *d, detail_tokens *t)
{
    t->count = 0;
    while (*d && t->count < DETAIL_TOKENS) {
        while (*d == ' ')
            d++;
        if (!*d)
            break;
        const char *start = d;
        while (*d && *d != ' ')
            d++;
        if (t->count == DETAIL_TOKENS - 1) /* the rest stays one token */
            d += strlen(d);
        t->p[t->count] = start;
        t->n[t->count] = (size_t)(d - start);
        t->used[t->count] = 0;
        t->count++;
    }
}

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

static void expand(line_buf *b, const char *tpl, const model_world *w, const model_record *r, detail_tokens *dt)
{
    while (*tpl) {
        const char *open = strchr(tpl, '{');
        const char *close = open ? strchr(open, '}') : NULL;
        if (!open || !close) {
            add(b, tpl);
            return;
        }
        add_n(b, tpl, (size_t)(open - tpl));
        const char *name = open + 1;
        size_t len = (size_t)(close - name);
        char num[REP_MONEY_BUF];
        if (len == 6 && memcmp(name, "amount", 6) == 0) {
            rep_money(num, sizeof num, r->has_amount ? r->amount : 0);
            add(b, num);
        } else if (len == 8 && memcmp(name, "licenses", 8) == 0) {
            snprintf(num, sizeof num, "%" PRId64, r->has_licenses ? r->licenses : 0);
            add(b, num);
        } else if (len == 7 && memcmp(name, "partner", 7) == 0) {
            add(b, r->partner != MODEL_NONE ? model_partner_id(w, r->partner) : "web-direct");
        } else {
            size_t vlen;
            const char *v = detail_value(dt, name, len, &vlen);
            add_n(b, v ? v : "?", v ? vlen : 1);
        }
        tpl = close + 1;
    }
}

/* "<action>[ via <partner>] accepted" or "... REJECTED: <reason> (<what it means>)". */
static void action_phrase(line_buf *b, const model_world *w, const model_record *r)
{
    add(b, model_action_name(r->action));
    if (r->partner != MODEL_NONE) {
        add(b, " via ");
        add(b, model_partner_id(w, r->partner));
    }
    if (r->outcome == MODEL_OUTCOME_ACCEPTED) {
        add(b, " accepted");
    } else if (r->outcome == MODEL_OUTCOME_REJECTED) {
        add(b, " REJECTED");
        if (r->reason != MODEL_REASON_NONE) {
            add(b, ": ");
            add(b, model_reason_code(r->reason));
            if (*cli_reason_meaning(r->reason)) {
                add(b, " (");
                add(b, cli_reason_meaning(r->reason));
                add(b, ")");
            }
        }
    }
}

/* "2025-01-08 00:00  TENANT  SUB  what happened[: from -> to][ (detail)] (RULE)" */
static void format_line(line_buf *b, const cli_stepper *s, const model_record *r)
{
    const model_world *w = s->w;
    char when[SIM_TIME_BUF], idbuf[REP_SUB_ID_BUF];
    sim_format_instant(r->time, when); /* "2025-01-08T00:00:00Z" */
    size_t tpos = strcspn(when, "T"); /* years past 9999 are longer */
    add_n(b, when, tpos);
    add_n(b, " ", 1);
    add_n(b, when + tpos + 1, 5);
    add_n(b, "  ", 2);
    add_padded(b, r->tenant != MODEL_NONE ? model_tenant_id(w, r->tenant) : "-", s->tenant_width);
    if (s->sub_width > 0)
        add_padded(b, r->subscription != MODEL_NONE ? rep_sub_id(w, r->subscription, idbuf) : "", s->sub_width);

    detail_tokens dt;
    split_detail(r->detail, &dt);
    int is_action = r->kind == MODEL_KIND_ACTION && r->action >= 0;
    if (is_action)
        action_phrase(b, w, r);
    else if ((unsigned)r->kind < MODEL_KIND_COUNT && phrases[r->kind])
        expand(b, phrases[r->kind], w, r, &dt);
    else
        add(b, *model_kind_name(r->kind) ? model_kind_name(r->kind) : "record");
    if (r->from_state >= 0 || r->to_state >= 0) {
        add(b, is_action ? ": " : " [");
        add(b, r->from_state >= 0 ? model_state_name(r->from_state) : "?");
        add(b, " -> ");
        add(b, r->to_state >= 0 ? model_state_name(r->to_state) : "?");
        if (!is_action)
            add(b, "]");
    }
    if (is_action && r->has_licenses) {
        char num[32];
        snprintf(num, sizeof num, ", %" PRId64 " licenses", r->licenses);
        add(b, num);
    }
    int first = 1;
    for (int i = 0; i < dt.count; i++) {
        if (dt.used[i])
            continue;
        add(b, first ? " (" : " ");
        add_n(b, dt.p[i], dt.n[i]);
        first = 0;
    }
    if (!first)
        add(b, ")");
    if (r->rule != MODEL_RULE_NONE && *model_rule_id(r->rule)) {
        add(b, " (");
        add(b, model_rule_id(r->rule));
        add(b, ")");
    }
    for (size_t i = 0; i < b->n; i++) /* one record, one line */
        if ((unsigned char)b->buf[i] < 0x20 || b->buf[i] == 0x7f)
            b->buf[i] = ' ';
}

/* ---- the stepper ------------------------------------------------------------------------- */

cli_stepper *cli_stepper_new(const model_world *w, FILE *out, FILE *in, int interactive)
{
    cli_stepper *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->w = w;
    s->out = out;
    s->in = in;
    s->pausing = interactive && in != NULL;
    s->tenant_width = 1; /* "-" */
    for (size_t i = 0, n = model_count_tenants(w); i < n; i++) {
        int len = (int)strlen(model_tenant_id(w, (uint32_t)i));
        if (len > s->tenant_width)
            s->tenant_width = len > STEP_ID_WIDTH_MAX ? STEP_ID_WIDTH_MAX : len;
    }
    char idbuf[REP_SUB_ID_BUF];
    for (size_t i = 0, n = model_count_subscriptions(w); i < n; i++) {
        int len = (int)strlen(rep_sub_id(w, (uint32_t)i, idbuf));
        if (len > s->sub_width)
            s->sub_width = len > STEP_ID_WIDTH_MAX ? STEP_ID_WIDTH_MAX : len;
    }
    return s;
}

/* Reads one line of input; 1 when the pauses should stop ("q", or the input ended). */
static int wait_for_enter(FILE *in)
{
    char word[8];
    size_t n = 0;
    int c, other = 0;
    while ((c = fgetc(in)) != EOF && c != '\n') {
        if (isspace(c))
            continue;
        if (n < sizeof word - 1)
            word[n++] = (char)tolower(c);
        else
            other = 1;
    }
    word[n] = '\0';
    if (c == EOF && n == 0)
        return 1;
    return !other && strcmp(word, "q") == 0;
}

void cli_stepper_record(void *stepper, const model_record *r)
{
    cli_stepper *s = stepper;
    if (s->pausing && !s->hinted) {
        fputs("(Enter: next line; q and Enter: play the rest without pausing)\n", s->out);
        s->hinted = 1;
    }
    line_buf b;
    b.n = 0;
    b.buf[0] = '\0';
    format_line(&b, s, r);
    fwrite(b.buf, 1, b.n, s->out);
    fputc('\n', s->out);
    s->count++;
    if (s->pausing) {
        fflush(s->out);
        if (wait_for_enter(s->in))
            s->pausing = 0;
    }
}

unsigned long long cli_stepper_count(const cli_stepper *s)
{
    return s->count;
}

void cli_stepper_free(cli_stepper *s)
{
    free(s);
}
