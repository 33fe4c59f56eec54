/* reports/phrase.h - what a record says in plain English: the one table of phrases per
 * record kind, shared by the timeline (timeline.txt, the classroom stepper) and the HTML
 * report, so the two cannot drift apart.
 *
 * Ownership: a rep_phrase is a plain value the caller holds; rep_phrase_of fills it from a
 * borrowed world and record and keeps no pointer to either. No locale, clock or floating
 * point: equal records give equal phrases.
 */
#ifndef REPORTS_PHRASE_H
#define REPORTS_PHRASE_H

#include <stddef.h>

#include "model/model.h"
#include "model/record.h"

/* Holds any phrase: the longest template, two ids, money and a whole detail value; the
 * same bound as a timeline line, so a phrase is never cut shorter than its line. */
#define REP_PHRASE_MAX 768

/* One record's phrase, without outcome, states and rule (each writer shows those its way). */
typedef struct {
    /* For a scripted action "<action>[ via <partner>]"; for a system record its kind's
     * phrase with the placeholders filled ({amount}, {licenses}, {partner}, and {KEY} for
     * the value of KEY=... in the detail, "?" when missing); otherwise the kind's name, or
     * "record" for a kind without one. NUL-terminated, cut at REP_PHRASE_MAX - 1 bytes. */
    char text[REP_PHRASE_MAX];
    size_t len;
    /* The detail without the key=value pairs the phrase used, tokens joined by one space
     * (a detail of more than REP_PHRASE_DETAIL_TOKENS tokens keeps the tail as one). */
    char rest[MODEL_DETAIL_MAX];
    size_t rest_len;
    int is_action;     /* the record is a scripted action (text is its name and partner) */
    int used_amount;   /* text shows the record's amount */
    int used_licenses; /* text shows the record's licenses */
} rep_phrase;

#define REP_PHRASE_DETAIL_TOKENS 24

/* Fills *p for r. Bytes are copied as they are (the caller escapes or replaces them). */
void rep_phrase_of(const model_world *w, const model_record *r, rep_phrase *p);

/* The template of kind k ("charged {amount}", ...), or NULL when k has none (actions, an
 * unknown kind). For tests and documentation. */
const char *rep_phrase_template(int k);

#endif
