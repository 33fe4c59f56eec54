/* cli/step.c - classroom playback: one line per record as it is emitted, pausing for Enter.
 * The phrase is reports/timeline.c's (rep_timeline_phrase); a stepper adds the tenant
 * column, since its lines come in time order rather than grouped per tenant, and after a
 * refusal the meaning of its reason code. */
#include "step.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/explain.h"
#include "reports/timeline.h"
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

    char phrase[REP_TIMELINE_PHRASE_MAX];
    rep_timeline_phrase(w, r, phrase, sizeof phrase);
    add(b, phrase);
    if (r->outcome == MODEL_OUTCOME_REJECTED && *cli_reason_meaning(r->reason)) {
        add(b, " - ");
        add(b, cli_reason_meaning(r->reason));
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
