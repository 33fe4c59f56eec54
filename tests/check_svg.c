/* tests/check_svg.c - the SVG sanitizer (reports/svg.h) on small hand-written files: what
 * is kept, what is left out, how ids are prefixed, and the files it refuses (nothing
 * written, the reason given). The HTML report's chart tests (check_html.c) cover files. */
#include <string.h>

#include "reports/out.h"
#include "reports/svg.h"
#include "suites.h"

/* The sanitized text of svg with prefix "c1-"; the call must succeed. */
static void expect_inline(const char *svg, const char *want)
{
    rep_out *o = rep_out_memory();
    const char *why = NULL;
    ck_assert_msg(rep_svg_inline(o, svg, strlen(svg), "c1-", &why) == 0, "refused (%s): %s", why, svg);
    ck_assert_str_eq(rep_out_data(o, NULL), want);
    rep_out_free(o);
}

/* svg is refused with why, and nothing is written. */
static void expect_refused(const char *svg, size_t n, const char *why_want)
{
    rep_out *o = rep_out_memory();
    const char *why = NULL;
    ck_assert_msg(rep_svg_inline(o, svg, n, "c1-", &why) == -1, "accepted: %s", svg);
    ck_assert_ptr_nonnull(why);
    ck_assert_str_eq(why, why_want);
    size_t len = 1;
    rep_out_data(o, &len);
    ck_assert_uint_eq(len, 0);
    rep_out_free(o);
}

START_TEST(test_svg_prolog_and_tail)
{
    /* BOM, declaration, comment, doctype whose internal subset holds a quoted "]>" */
    expect_inline("\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- gnuplot -->\n"
                  "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" [ <!ENTITY x \"]>\"> ]>\n"
                  "<svg width=\"1\">\n<g/>\n</svg>\n<!-- trailing --> text",
                  "<svg width=\"1\">\n<g/>\n</svg>");
    /* up to the last </svg>: a nested svg element stays whole */
    expect_inline("<svg>\t<svg x=\"1\"></svg></svg>junk</svg", "<svg>\t<svg x=\"1\"></svg></svg>");
    expect_inline("<svg\n></svg>", "<svg\n></svg>");
}
END_TEST

START_TEST(test_svg_scripts_and_handlers)
{
    expect_inline("<svg><script type=\"text/ecmascript\">alert(1)</script><g/><script href=\"x.js\"/></svg>",
                  "<svg><g/></svg>");
    /* on* in any case, with either quote; other attributes and their spacing kept */
    expect_inline("<svg onload=\"init(evt)\" width=\"1\"><rect ONCLICK='x()'  x = \"0\" one=\"1\"/></svg>",
                  "<svg width=\"1\"><rect  x = \"0\"/></svg>");
    /* "o" alone and "no..." are not handlers */
    expect_inline("<svg o=\"1\" nonce=\"2\"/></svg>", "<svg o=\"1\" nonce=\"2\"/></svg>");
    /* a "<scripts" element is not a script */
    expect_inline("<svg><scripts/></svg>", "<svg><scripts/></svg>");
}
END_TEST

START_TEST(test_svg_id_prefix)
{
    expect_inline("<svg><defs><linearGradient id=\"g\"/></defs>"
                  "<rect fill=\"url(#g)\" style=\"a:url(#g);b:url(#h)\"/>"
                  "<use xlink:href=\"#g\"/><a href='#g'/><use href=\"http://x/#g\"/>"
                  "<use myhref=\"#g\" xid=\"g\"/></svg>",
                  "<svg><defs><linearGradient id=\"c1-g\"/></defs>"
                  "<rect fill=\"url(#c1-g)\" style=\"a:url(#c1-g);b:url(#c1-h)\"/>"
                  "<use xlink:href=\"#c1-g\"/><a href='#c1-g'/><use href=\"http://x/#g\"/>"
                  "<use myhref=\"#g\" xid=\"g\"/></svg>");
}
END_TEST

START_TEST(test_svg_comments_and_cdata_kept)
{
    expect_inline("<svg><!-- <script>x</script> --><style><![CDATA[ a > b <script> ]]></style> 1 < 2</svg>",
                  "<svg><!-- <script>x</script> --><style><![CDATA[ a > b <script> ]]></style> 1 < 2</svg>");
}
END_TEST

START_TEST(test_svg_refused)
{
    static const char *const none[] = {
        "",
        "   \n",
        "<html>not a chart</html>",
        "<svgfoo></svgfoo>",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>", /* self-closing: no </svg> */
        "<?xml version=\"1.0\"",                       /* unterminated declaration */
        "<!-- never closed <svg></svg>",
        "<!DOCTYPE svg [ <svg></svg>",
        "text <svg></svg>",
    };
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
        expect_refused(none[i], strlen(none[i]), "no svg element");
    static const char *const broken[] = {
        "<svg><script>x</svg>",
        "<svg><script type=\"a></script></svg>",
        "<svg><!-- x</svg>",
        "<svg><![CDATA[ x</svg>",
        "<svg><rect x=1/></svg>",
        "<svg><rect x=\"1/></svg>",
        "<svg><rect disabled/></svg>",
        "<svg width=\"1\"><rect</svg>",
    };
    for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++)
        expect_refused(broken[i], strlen(broken[i]), "malformed markup");
    /* the length given is what counts, not a NUL */
    expect_refused("<svg></svg>", 6, "no svg element");
}
END_TEST

Suite *svg_suite(void)
{
    Suite *s = suite_create("svg");
    TCase *tc = tcase_create("inline");
    tcase_add_test(tc, test_svg_prolog_and_tail);
    tcase_add_test(tc, test_svg_scripts_and_handlers);
    tcase_add_test(tc, test_svg_id_prefix);
    tcase_add_test(tc, test_svg_comments_and_cdata_kept);
    tcase_add_test(tc, test_svg_refused);
    suite_add_tcase(s, tc);
    return s;
}
