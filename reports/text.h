/* reports/text.h - a bounded text line: appends into a buffer the caller owns, cut (never
 * overrun) at its size, always NUL-terminated. The writers build one line at a time with it
 * (phrases, timeline lines, the stepper's lines); a cut line is the caller's accepted cost. */
#ifndef REP_TEXT_H
#define REP_TEXT_H

#include <stddef.h>

typedef struct {
    char *buf;   /* borrowed, size bytes */
    size_t size; /* > 0 */
    size_t len;  /* bytes in buf before its NUL, < size */
} rep_text;

/* An empty text over buf[0..size). */
rep_text rep_text_over(char *buf, size_t size);
/* Appends n bytes of s, as many as fit. */
void rep_text_addn(rep_text *t, const char *s, size_t n);
/* Appends the string s, as much as fits. */
void rep_text_add(rep_text *t, const char *s);

#endif
