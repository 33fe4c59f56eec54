/* reports/text.c - the bounded text line of reports/text.h. */
#include "text.h"

#include <string.h>

rep_text rep_text_over(char *buf, size_t size)
{
    buf[0] = '\0';
    return (rep_text){buf, size, 0};
}

void rep_text_addn(rep_text *t, const char *s, size_t n)
{
    size_t room = t->size - 1 - t->len;
    if (n > room)
        n = room;
    memcpy(t->buf + t->len, s, n);
    t->len += n;
    t->buf[t->len] = '\0';
}

void rep_text_add(rep_text *t, const char *s)
{
    rep_text_addn(t, s, strlen(s));
}
