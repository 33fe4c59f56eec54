/* reports/svg.c - the SVG sanitizer. One pass finds the root element; copy_svg then walks
 * the markup twice, first without a sink (only to check that every construct is
 * terminated), then writing, so that a broken file gives nothing instead of half a chart.
 * The cost is reading each chart twice, which is nothing beside rendering it. */
#include "svg.h"

#include <string.h>

/* The first occurrence of needle (nlen bytes) in s[0..n), or NULL. */
static const char *find_bytes(const char *s, size_t n, const char *needle, size_t nlen)
{
    if (nlen == 0 || n < nlen)
        return NULL;
    for (size_t i = 0; i + nlen <= n; i++)
        if (s[i] == needle[0] && memcmp(s + i, needle, nlen) == 0)
            return s + i;
    return NULL;
}

/* The last occurrence of needle in s[0..n), or NULL. */
static const char *find_last(const char *s, size_t n, const char *needle, size_t nlen)
{
    if (nlen == 0 || n < nlen)
        return NULL;
    for (size_t i = n - nlen + 1; i-- > 0;)
        if (memcmp(s + i, needle, nlen) == 0)
            return s + i;
    return NULL;
}

static int starts(const char *p, const char *end, const char *prefix)
{
    size_t n = strlen(prefix);
    return (size_t)(end - p) >= n && memcmp(p, prefix, n) == 0;
}

/* Skips the prolog: BOM, whitespace, <?...?>, <!--...-->, <!DOCTYPE ...[...]>. Returns where
 * the root element should start, or NULL when the prolog is unterminated. */
static const char *skip_prolog(const char *p, const char *end)
{
    if (starts(p, end, "\xEF\xBB\xBF"))
        p += 3;
    for (;;) {
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
            p++;
        const char *close;
        if (starts(p, end, "<?")) {
            close = find_bytes(p, (size_t)(end - p), "?>", 2);
            if (!close)
                return NULL;
            p = close + 2;
        } else if (starts(p, end, "<!--")) {
            close = find_bytes(p + 4, (size_t)(end - p - 4), "-->", 3);
            if (!close)
                return NULL;
            p = close + 3;
        } else if (starts(p, end, "<!DOCTYPE")) {
            int depth = 0; /* inside the internal subset [...] */
            char quote = 0;
            for (p += 9; p < end; p++) {
                if (quote) {
                    quote = *p == quote ? 0 : quote;
                } else if (*p == '"' || *p == '\'') {
                    quote = *p;
                } else if (*p == '[') {
                    depth++;
                } else if (*p == ']') {
                    depth--;
                } else if (*p == '>' && depth <= 0) {
                    break;
                }
            }
            if (p == end)
                return NULL;
            p++;
        } else {
            return p;
        }
    }
}

static void put(rep_out *o, const char *p, size_t n)
{
    if (o)
        rep_write(o, p, n);
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int is_name_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}

/* An attribute value (without quotes) with the chart's id prefix: id="X" becomes
 * id="PREFIX-X", and the references "#X" of href attributes and "url(#X)" anywhere follow. */
static void put_value(rep_out *o, const char *name, size_t nlen, const char *v, size_t n, const char *prefix)
{
    int is_id = nlen == 2 && memcmp(name, "id", 2) == 0;
    int is_href = nlen >= 4 && memcmp(name + nlen - 4, "href", 4) == 0 && (nlen == 4 || name[nlen - 5] == ':');
    if (is_id) {
        rep_puts(o, prefix);
    } else if (is_href && n > 0 && v[0] == '#') {
        rep_write(o, "#", 1);
        rep_puts(o, prefix);
        v++;
        n--;
    }
    const char *end = v + n;
    for (;;) {
        const char *u = find_bytes(v, (size_t)(end - v), "url(#", 5);
        if (!u)
            break;
        rep_write(o, v, (size_t)(u - v) + 5);
        rep_puts(o, prefix);
        v = u + 5;
    }
    rep_write(o, v, (size_t)(end - v));
}

/* One start tag at p ('<' then a name) without its on* attributes (event handlers), ids and
 * references prefixed (put_value). Returns the end of the tag, or NULL when it is not
 * terminated. o NULL: only checks. */
static const char *copy_start_tag(rep_out *o, const char *p, const char *end, const char *prefix)
{
    const char *q = p + 1;
    while (q < end && !is_space(*q) && *q != '>' && *q != '/')
        q++;
    put(o, p, (size_t)(q - p));
    for (;;) {
        const char *ws = q;
        while (q < end && is_space(*q))
            q++;
        if (q >= end)
            return NULL;
        if (*q == '>' || (*q == '/' && q + 1 < end && q[1] == '>')) {
            const char *after = q + (*q == '>' ? 1 : 2);
            put(o, ws, (size_t)(after - ws));
            return after;
        }
        const char *name = q;
        while (q < end && !is_space(*q) && *q != '=' && *q != '>' && *q != '/')
            q++;
        size_t nlen = (size_t)(q - name);
        while (q < end && is_space(*q))
            q++;
        if (q >= end || *q != '=' || nlen == 0)
            return NULL; /* XML attributes always have a value */
        q++;
        while (q < end && is_space(*q))
            q++;
        if (q >= end || (*q != '"' && *q != '\''))
            return NULL;
        const char *value = q + 1;
        const char *close = memchr(value, *q, (size_t)(end - value));
        if (!close)
            return NULL;
        q = close + 1;
        int handler = (name[0] == 'o' || name[0] == 'O') && nlen > 1 && (name[1] == 'n' || name[1] == 'N');
        if (!handler && o) {
            rep_write(o, ws, (size_t)(value - ws));
            put_value(o, name, nlen, value, (size_t)(close - value), prefix);
            rep_write(o, close, 1);
        }
    }
}

/* Copies the SVG markup p..end without <script> elements and on* attributes: the page runs
 * no script. Comments and CDATA sections are copied as they are. Returns -1 when a comment,
 * CDATA section, tag or script element is not terminated. o NULL: only checks, so that a
 * broken file gives a note instead of half a chart. */
static int copy_svg(rep_out *o, const char *p, const char *end, const char *prefix)
{
    const char *run = p;
    while (p < end) {
        const char *next = memchr(p, '<', (size_t)(end - p));
        if (!next)
            break;
        p = next;
        const char *skip_to = NULL;
        if (starts(p, end, "<!--")) {
            skip_to = find_bytes(p + 4, (size_t)(end - p - 4), "-->", 3);
            if (!skip_to)
                return -1;
            p = skip_to + 3;
        } else if (starts(p, end, "<![CDATA[")) {
            skip_to = find_bytes(p + 9, (size_t)(end - p - 9), "]]>", 3);
            if (!skip_to)
                return -1;
            p = skip_to + 3;
        } else if (starts(p, end, "<script") && p + 7 < end && (is_space(p[7]) || p[7] == '>' || p[7] == '/')) {
            put(o, run, (size_t)(p - run));
            const char *tag_end = copy_start_tag(NULL, p, end, prefix);
            if (!tag_end)
                return -1;
            if (tag_end[-2] != '/') {
                const char *close = find_bytes(tag_end, (size_t)(end - tag_end), "</script>", 9);
                if (!close)
                    return -1;
                tag_end = close + 9;
            }
            p = run = tag_end;
        } else if (p + 1 < end && is_name_start(p[1])) {
            put(o, run, (size_t)(p - run));
            p = copy_start_tag(o, p, end, prefix);
            if (!p)
                return -1;
            run = p;
        } else {
            p++;
        }
    }
    put(o, run, (size_t)(end - run));
    return 0;
}

int rep_svg_inline(rep_out *o, const char *buf, size_t n, const char *prefix, const char **why)
{
    const char *end = buf + n;
    const char *root = skip_prolog(buf, end);
    const char *last = root ? find_last(root, (size_t)(end - root), "</svg>", 6) : NULL;
    if (!root || !starts(root, end, "<svg") || root + 4 >= end || (!is_space(root[4]) && root[4] != '>') || !last) {
        *why = "no svg element";
        return -1;
    }
    if (copy_svg(NULL, root, last + 6, prefix) < 0) {
        *why = "malformed markup";
        return -1;
    }
    copy_svg(o, root, last + 6, prefix);
    return 0;
}
