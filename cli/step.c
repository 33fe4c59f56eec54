/* cli/step.c - classroom playback: the introduction, then one line per record, printed as
 * emitted or walked with keys after the run, with a state panel under each line.
 * The phrase is reports/timeline.c's (rep_timeline_phrase); a stepper adds the tenant
 * column, since its lines come in time order rather than grouped per tenant, and after a
 * refusal the meaning of its reason code. */
#include "step.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/explain.h"
#include "reports/timeline.h"
#include "reports/text.h"
#include "reports/trace.h"

#define STEP_ID_WIDTH_MAX 24 /* ids longer than this push their line's text to the right */
#define STEP_LINE_MAX 1024   /* a phrase, the ids, two states, a 192-byte detail, a meaning */

struct cli_stepper {
    const model_world *w;
    const char *name, *description;
    FILE *out, *in;
    int pausing, colour;
    int introduced;
    int tenant_width, sub_width;
    unsigned long long count;
    /* with CLI_STEP_PAUSE: the records kept for the walk, and the states before the first */
    model_record *recs;
    size_t nrecs, cap;
    int out_of_memory;
    unsigned char *initial;
    size_t ninitial;
};

/* ---- one line of text -------------------------------------------------------------------- */

static void add_padded(rep_text *b, const char *s, int width)
{
    rep_text_add(b, s);
    for (int i = (int)strlen(s); i < width; i++)
        rep_text_addn(b, " ", 1);
    rep_text_addn(b, "  ", 2);
}

#define DETAIL_TOKENS 24

/* "2025-01-08 00:00  TENANT  SUB  what happened[: from -> to][ (detail)] (RULE)" */
static void format_line(rep_text *b, const cli_stepper *s, const model_record *r)
{
    const model_world *w = s->w;
    char when[SIM_TIME_BUF], idbuf[REP_SUB_ID_BUF];
    sim_format_instant(r->time, when); /* "2025-01-08T00:00:00Z" */
    size_t tpos = strcspn(when, "T"); /* years past 9999 are longer */
    rep_text_addn(b, when, tpos);
    rep_text_addn(b, " ", 1);
    rep_text_addn(b, when + tpos + 1, 5);
    rep_text_addn(b, "  ", 2);
    add_padded(b, r->tenant != MODEL_NONE ? model_tenant_id(w, r->tenant) : "-", s->tenant_width);
    if (s->sub_width > 0)
        add_padded(b, r->subscription != MODEL_NONE ? rep_sub_id(w, r->subscription, idbuf) : "", s->sub_width);

    char phrase[REP_TIMELINE_PHRASE_MAX];
    rep_timeline_phrase(w, r, phrase, sizeof phrase);
    rep_text_add(b, phrase);
    if (r->outcome == MODEL_OUTCOME_REJECTED && *cli_reason_meaning(r->reason)) {
        rep_text_add(b, " - ");
        rep_text_add(b, cli_reason_meaning(r->reason));
    }
    for (size_t i = 0; i < b->len; i++) /* one record, one line */
        if ((unsigned char)b->buf[i] < 0x20 || b->buf[i] == 0x7f)
            b->buf[i] = ' ';
}

/* ---- the stepper ------------------------------------------------------------------------- */

int cli_step_flags(void)
{
    int flags = 0;
    if (isatty(0) && isatty(1))
        flags |= CLI_STEP_PAUSE;
    const char *no_colour = getenv("NO_COLOR"), *term = getenv("TERM");
    if (isatty(1) && !(no_colour && *no_colour) && !(term && strcmp(term, "dumb") == 0))
        flags |= CLI_STEP_COLOUR;
    return flags;
}

cli_stepper *cli_stepper_new(const cli_scenario *sc, FILE *out, FILE *in, int flags)
{
    cli_stepper *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    const model_world *w = sc->world;
    s->w = w;
    s->name = sc->name;
    s->description = sc->description;
    s->out = out;
    s->in = in;
    s->pausing = (flags & CLI_STEP_PAUSE) && in != NULL;
    s->colour = (flags & CLI_STEP_COLOUR) != 0;
    s->tenant_width = 1; /* "-" */
    for (size_t i = 0, n = model_count_tenants(w); i < n; i++) {
        int len = (int)strlen(model_tenant_id(w, (uint32_t)i));
        if (len > s->tenant_width)
            s->tenant_width = len > STEP_ID_WIDTH_MAX ? STEP_ID_WIDTH_MAX : len;
    }
    char idbuf[REP_SUB_ID_BUF];
    size_t nsubs = model_count_subscriptions(w);
    for (size_t i = 0; i < nsubs; i++) {
        int len = (int)strlen(rep_sub_id(w, (uint32_t)i, idbuf));
        if (len > s->sub_width)
            s->sub_width = len > STEP_ID_WIDTH_MAX ? STEP_ID_WIDTH_MAX : len;
    }
    if (s->pausing && nsubs) {
        if (!(s->initial = malloc(nsubs))) {
            free(s);
            return NULL;
        }
        for (size_t i = 0; i < nsubs; i++) {
            model_sub_view v;
            model_subscription_view(w, (uint32_t)i, &v);
            s->initial[i] = (unsigned char)v.state;
        }
        s->ninitial = nsubs;
    }
    return s;
}

/* The description up to its first paragraph starting "Point out", then that paragraph and
 * the rest under "Trainer notes:"; the training scenarios write their notes that way. */
static void print_intro(cli_stepper *s)
{
    if (s->introduced)
        return;
    s->introduced = 1;
    FILE *o = s->out;
    fprintf(o, "== %s ==\n", s->name && *s->name ? s->name : "(unnamed scenario)");
    const char *d = s->description ? s->description : "";
    const char *notes = NULL;
    for (const char *p = d; (p = strstr(p, "Point out")) != NULL; p++) {
        if (p == d || (p >= d + 2 && p[-1] == '\n' && p[-2] == '\n')) {
            notes = p;
            break;
        }
    }
    size_t about = notes ? (size_t)(notes - d) : strlen(d);
    while (about > 0 && (d[about - 1] == '\n' || d[about - 1] == ' '))
        about--;
    if (about)
        fprintf(o, "%.*s\n", (int)about, d);
    if (notes) {
        size_t n = strlen(notes);
        while (n > 0 && (notes[n - 1] == '\n' || notes[n - 1] == ' '))
            n--;
        fprintf(o, "\nTrainer notes:\n%.*s\n", (int)n, notes);
    }
    fputc('\n', o);
}

static int is_notable(const model_record *r)
{
    return r->outcome == MODEL_OUTCOME_REJECTED || r->kind == MODEL_KIND_DATA_LOSS ||
           r->kind == MODEL_KIND_DOUBLE_BILLING_STARTED || r->kind == MODEL_KIND_DOUBLE_BILLING_ENDED;
}

/* One record's line, highlighted when it is a refusal or a data loss on a colour terminal. */
static void print_line(cli_stepper *s, const model_record *r)
{
    char line[STEP_LINE_MAX];
    rep_text b = rep_text_over(line, sizeof line);
    format_line(&b, s, r);
    const char *on = NULL;
    if (s->colour && r->outcome == MODEL_OUTCOME_REJECTED)
        on = "\033[1;31m"; /* bold red */
    else if (s->colour && r->kind == MODEL_KIND_DATA_LOSS)
        on = "\033[1;35m"; /* bold magenta */
    if (on)
        fputs(on, s->out);
    fwrite(b.buf, 1, b.len, s->out);
    if (on)
        fputs("\033[0m", s->out);
    fputc('\n', s->out);
}

void cli_stepper_record(void *stepper, const model_record *r)
{
    cli_stepper *s = stepper;
    s->count++;
    if (!s->pausing) {
        print_intro(s);
        print_line(s, r);
        return;
    }
    if (s->nrecs == s->cap) {
        if (s->cap == CLI_STEP_RECORDS_MAX || s->out_of_memory)
            return;
        size_t cap = s->cap ? s->cap * 2 : 256;
        if (cap > CLI_STEP_RECORDS_MAX)
            cap = CLI_STEP_RECORDS_MAX;
        model_record *p = realloc(s->recs, cap * sizeof *p);
        if (!p) {
            s->out_of_memory = 1;
            return;
        }
        s->recs = p;
        s->cap = cap;
    }
    s->recs[s->nrecs++] = *r;
}

/* ---- the walk ------------------------------------------------------------------------------ */

typedef struct {
    cli_stepper *s;
    unsigned char *state; /* per subscription, after the record at pos */
    size_t nsubs;
    long pos; /* the record shown, -1 before the first */
} walk;

static int changes_state(const model_record *r, size_t nsubs)
{
    return r->subscription != MODEL_NONE && r->subscription < nsubs && r->to_state >= 0 &&
           r->outcome != MODEL_OUTCOME_REJECTED;
}

/* Moves to record i, applying the records' transitions forward or undoing them (each
 * record carries its from_state) backward: no replay from the start. */
static void move_to(walk *k, long i)
{
    while (k->pos < i) {
        const model_record *r = &k->s->recs[++k->pos];
        if (changes_state(r, k->nsubs))
            k->state[r->subscription] = (unsigned char)r->to_state;
    }
    while (k->pos > i) {
        const model_record *r = &k->s->recs[k->pos--];
        if (changes_state(r, k->nsubs))
            k->state[r->subscription] = (unsigned char)(r->from_state >= 0 ? r->from_state : MODEL_STATE_NONE);
    }
}

/* "   states: e3 active, e3b canceled (+4 more)": the subscriptions that exist at the
 * record, in file order; past CLI_STEP_PANEL_MAX the record's tenant's come first. */
static void print_panel(walk *k)
{
    cli_stepper *s = k->s;
    const model_world *w = s->w;
    const model_record *r = &s->recs[k->pos];
    size_t exist = 0;
    for (size_t i = 0; i < k->nsubs; i++)
        exist += k->state[i] != MODEL_STATE_NONE;
    if (exist == 0) {
        fputs("   states: no subscription yet\n", s->out);
        return;
    }
    int tenant_first = exist > CLI_STEP_PANEL_MAX && r->tenant != MODEL_NONE;
    size_t shown = 0, col = 11;
    char idbuf[REP_SUB_ID_BUF];
    fputs("   states:", s->out);
    for (int pass = tenant_first ? 0 : 1; pass < 2; pass++) {
        for (size_t i = 0; i < k->nsubs && shown < CLI_STEP_PANEL_MAX; i++) {
            if (k->state[i] == MODEL_STATE_NONE)
                continue;
            int own = model_subscription_tenant(w, (uint32_t)i) == r->tenant;
            if (tenant_first && (pass == 0) != own)
                continue;
            const char *id = rep_sub_id(w, (uint32_t)i, idbuf);
            const char *st = model_state_name(k->state[i]);
            size_t len = strlen(id) + 1 + strlen(st) + 2;
            if (shown > 0 && col + len > 96) {
                fputs(",\n          ", s->out);
                col = 10;
            } else if (shown > 0) {
                fputc(',', s->out);
            }
            fprintf(s->out, " %s %s", id, st);
            col += len;
            shown++;
        }
    }
    if (exist > shown)
        fprintf(s->out, " (+%zu more)", exist - shown);
    fputc('\n', s->out);
}

static void show(walk *k, long i)
{
    move_to(k, i);
    print_line(k->s, &k->s->recs[i]);
    print_panel(k);
}

static const char keys_help[] = "keys: Enter next record, n next notable (refusal, data loss, double billing),\n"
                                "      j DATE jump (2025-03-01 or 2025-03-01T09:30Z), b back one, q quit, ? help\n";

/* Reads one line into buf, blanks at both ends removed; -1 at the end of input. */
static int read_key(FILE *in, char *buf, size_t size)
{
    size_t n = 0;
    int c;
    while ((c = fgetc(in)) != EOF && c != '\n')
        if (n + 1 < size && (n > 0 || !isspace(c)))
            buf[n++] = (char)c;
    if (c == EOF && n == 0)
        return -1;
    while (n > 0 && isspace((unsigned char)buf[n - 1]))
        n--;
    buf[n] = '\0';
    return 0;
}

void cli_stepper_play(cli_stepper *s)
{
    if (!s->pausing) {
        print_intro(s); /* a run without records still says what it is */
        return;
    }
    print_intro(s);
    FILE *o = s->out;
    fputs(keys_help, o);
    if (s->out_of_memory || s->count > s->nrecs)
        fprintf(o, "(only the first %zu of %llu records are kept for stepping)\n", s->nrecs, s->count);
    if (s->nrecs == 0) {
        fputs("(the run wrote no records)\n", o);
        return;
    }
    walk k = {s, NULL, model_count_subscriptions(s->w), -1};
    if (k.nsubs && !(k.state = calloc(k.nsubs, 1))) {
        fputs("cspsim: out of memory for the state panel\n", o);
        return;
    }
    if (s->ninitial)
        memcpy(k.state, s->initial, s->ninitial < k.nsubs ? s->ninitial : k.nsubs);
    long last = (long)s->nrecs - 1;
    fputc('\n', o);
    show(&k, 0);
    char key[64];
    for (;;) {
        fputs("step> ", o);
        fflush(o);
        if (read_key(s->in, key, sizeof key) < 0) {
            fputc('\n', o);
            break;
        }
        char c = (char)tolower((unsigned char)key[0]);
        if (key[0] == '\0') {
            if (k.pos < last)
                show(&k, k.pos + 1);
            else
                fputs("(the run ends here: b back, j DATE, q quit)\n", o);
        } else if (c == 'q' && key[1] == '\0') {
            break;
        } else if (c == 'b' && key[1] == '\0') {
            if (k.pos > 0)
                show(&k, k.pos - 1);
            else
                fputs("(this is the first record)\n", o);
        } else if (c == 'n' && key[1] == '\0') {
            long i = k.pos + 1;
            while (i <= last && !is_notable(&s->recs[i]))
                i++;
            if (i > last) {
                fputs("(no notable record after this one)\n", o);
            } else {
                if (i > k.pos + 1)
                    fprintf(o, "(%ld records passed)\n", i - k.pos - 1);
                show(&k, i);
            }
        } else if (c == 'j' && (key[1] == ' ' || key[1] == '\0')) {
            const char *arg = key + 1;
            while (*arg == ' ')
                arg++;
            sim_time t;
            if (!*arg || sim_parse_instant(arg, &t)) {
                fputs("(j needs a date: j 2025-03-01 or j 2025-03-01T09:30Z)\n", o);
                continue;
            }
            long i = 0;
            while (i <= last && s->recs[i].time < t)
                i++;
            if (i > last) {
                char when[SIM_TIME_BUF];
                fprintf(o, "(no record at or after %s; the last is at %s)\n", arg,
                        sim_format_instant(s->recs[last].time, when));
            } else {
                show(&k, i);
            }
        } else if (key[0] == '?' || c == 'h') {
            fputs(keys_help, o);
        } else {
            fprintf(o, "(unknown key '%s'; ? lists the keys)\n", key);
        }
    }
    free(k.state);
}

unsigned long long cli_stepper_count(const cli_stepper *s)
{
    return s->count;
}

void cli_stepper_free(cli_stepper *s)
{
    if (!s)
        return;
    free(s->recs);
    free(s->initial);
    free(s);
}
