/* tests/check_html.c - report.html: a small model run written to memory (title, figures,
 * partners, rule abbreviations, highlighted rows, expectations, escaping, same bytes twice),
 * the file with inlined SVG charts checked by xmllint in XML and HTML mode, missing and
 * broken chart files, the record cap, and a failing sink. */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/model.h"
#include "reports/html.h"
#include "reports/out.h"
#include "reports/trace.h"
#include "suites.h"

Suite *html_suite(void); /* until suites.h declares it */

/* ---- helpers --------------------------------------------------------------------------- */

static sim_time T(const char *s)
{
    sim_time t = 0;
    ck_assert_msg(sim_parse_instant(s, &t) == 0, "bad instant %s", s);
    return t;
}

static const char *text_of(const rep_out *o)
{
    ck_assert_msg(!rep_out_failed(o), "sink failed: %s", rep_out_error(o));
    return rep_out_data(o, NULL);
}

static const char *find(const char *hay, const char *needle)
{
    const char *p = strstr(hay, needle);
    ck_assert_msg(p != NULL, "missing \"%s\" in:\n%.1500s", needle, hay);
    return p;
}

/* A byte loop, not strstr in a loop: the sanitizer's strstr measures the whole rest of the
 * page on every call, which made counting 20,000 rows quadratic (minutes under ASan). */
static size_t count_of(const char *hay, const char *needle)
{
    size_t n = 0, len = strlen(needle);
    for (const char *p = hay; *p; p++) {
        if (*p == *needle && strncmp(p, needle, len) == 0) {
            n++;
            p += len - 1;
        }
    }
    return n;
}

static void temp_dir(char *buf, size_t size)
{
    const char *base = getenv("TMPDIR");
    snprintf(buf, size, "%s/cspsim-html-XXXXXX", base && *base ? base : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(buf));
}

static void write_text(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

static void remove_file(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    unlink(path);
}

static int have_xmllint(void)
{
    return system("command -v xmllint >/dev/null 2>&1") == 0;
}

/* ---- the fixture: a small run ----------------------------------------------------------- */

/* fabrikam (related to contoso) buys 120 licenses and cancels two days later; tailspin (no
 * relationship) is refused; adatum buys a month without autorenew and loses its data after
 * the grace period. The purchase detail carries markup, UTF-8, a bad byte and a control. */
typedef struct {
    model_world *w;
    rep_html *h;
} fixture;

static const char DESCRIPTION[] = "Tom & Jerry <b>\"quoted\"</b> it's\nsecond line";
static const char DETAIL[] = "offer=m365-e3 note=<a&b> caf\xc3\xa9 bad\xff\x01 end";

static void fixture_run(fixture *f)
{
    model_world *w = model_world_new(T("2025-01-01"), T("2025-04-15"), 42, 0);
    ck_assert_ptr_nonnull(w);
    model_offer_spec spec;
    memset(&spec, 0, sizeof spec);
    spec.id = "m365-e3";
    spec.price = 3600;
    spec.terms = MODEL_TERM_P1M | MODEL_TERM_P1Y;
    spec.csp_available = 1;
    spec.max_ratio = -1;
    uint32_t offer = model_add_offer(w, &spec);
    uint32_t contoso = model_add_partner(w, "contoso", "europe");
    uint32_t fab = model_add_tenant(w, "fabrikam", "europe");
    uint32_t tail = model_add_tenant(w, "tailspin", "europe");
    uint32_t ada = model_add_tenant(w, "adatum", "europe");
    ck_assert_int_eq(model_add_relationship(w, fab, contoso), 0);
    ck_assert_int_eq(model_add_relationship(w, ada, contoso), 0);
    uint32_t fab_e3 = model_declare_subscription(w, "fab-e3", fab);
    uint32_t tail_e3 = model_declare_subscription(w, "tail-e3", tail);
    uint32_t ada_e3 = model_declare_subscription(w, "ada-e3", ada);

    f->w = w;
    f->h = rep_html_new(w);
    ck_assert_ptr_nonnull(f->h);
    model_set_sink(w, rep_html_sink(f->h));
    ck_assert_int_eq(model_start(w), 0);

    static model_action acts[4];
    static sim_time at[4];
    model_action_init(&acts[0], MODEL_ACT_PURCHASE);
    acts[0].partner = contoso;
    acts[0].tenant = fab;
    acts[0].offer = offer;
    acts[0].new_subscription = fab_e3;
    acts[0].licenses = 120;
    acts[0].term_months = 12;
    acts[0].billing = MODEL_BILLING_MONTHLY;
    acts[0].detail = DETAIL;
    acts[1] = acts[0];
    acts[1].tenant = tail;
    acts[1].new_subscription = tail_e3;
    acts[2] = acts[0];
    acts[2].tenant = ada;
    acts[2].new_subscription = ada_e3;
    acts[2].licenses = 5;
    acts[2].term_months = 1;
    acts[2].autorenew = 0;
    acts[2].detail = "offer=m365-e3 term=P1M";
    model_action_init(&acts[3], MODEL_ACT_CANCEL);
    acts[3].subscription = fab_e3;
    at[0] = at[1] = at[2] = T("2025-01-06");
    at[3] = T("2025-01-08");
    ck_assert_int_eq(model_set_script(w, acts, at, 4), 0);
    ck_assert_int_eq(model_run_until(w, T("2025-04-15")), 0);
    ck_assert_int_eq(model_finish(w), 0);
}

static void fixture_free(fixture *f)
{
    rep_html_free(f->h);
    model_world_free(f->w);
}

static const rep_html_expect EXPECTS[] = {
    {10, "{at: +7d, subscription: fab-e3, state: canceled}", NULL, NULL},
    {12, "{event: refund, subscription: fab-e3, count: 2}", "expected count 2 <refund>, saw 1 & more", NULL},
};

static rep_html_meta meta(void)
{
    rep_html_meta m;
    memset(&m, 0, sizeof m);
    m.scenario_name = "demo";
    m.description = DESCRIPTION;
    m.seed = 42;
    m.fingerprint = "63bb76f61cc6864e";
    m.expects = EXPECTS;
    m.nexpects = 2;
    m.expects_judged = 1;
    return m;
}

/* The page of the fixture run with meta m, in a new string. */
static char *page(const rep_html_meta *m)
{
    fixture f;
    fixture_run(&f);
    rep_out *o = rep_out_memory();
    ck_assert_int_eq(rep_html_write(f.h, o, m), 0);
    char *s = strdup(text_of(o));
    rep_out_free(o);
    fixture_free(&f);
    return s;
}

/* ---- tests ----------------------------------------------------------------------------- */

START_TEST(test_html_content)
{
    fixture f;
    fixture_run(&f);
    rep_html_meta m = meta();
    rep_out *o = rep_out_memory();
    ck_assert_int_eq(rep_html_write(f.h, o, &m), 0);
    const char *s = text_of(o);
    if (getenv("HTML_DUMP")) {
        FILE *d = fopen(getenv("HTML_DUMP"), "wb");
        fputs(s, d);
        fclose(d);
    }

    ck_assert_int_eq(strncmp(s, "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"", 58), 0);
    find(s, "<title>cspsim: demo</title>");
    find(s, "<h1>demo</h1>");
    find(s, "fingerprint <code>63bb76f61cc6864e</code>");
    find(s, "seed 42");
    /* the description escaped, markup never raw */
    find(s, "<p class=\"desc\">Tom &amp; Jerry &lt;b&gt;&quot;quoted&quot;&lt;/b&gt; it&#39;s\nsecond line</p>");
    ck_assert_ptr_null(strstr(s, "<b>"));
    ck_assert_ptr_null(strstr(s, "<script"));

    /* summary figures from the world's metrics */
    model_metrics t;
    model_metrics_total(f.w, &t);
    ck_assert_int_gt(t.billed, 0);
    ck_assert_int_gt(t.data_loss_licenses, 0);
    char want[256], money[REP_MONEY_BUF];
    rep_money(money, sizeof money, t.billed);
    snprintf(want, sizeof want, "<span class=\"v\">%s</span><span class=\"k\">billed</span>", money);
    find(s, want);
    rep_money(money, sizeof money, t.refunded);
    snprintf(want, sizeof want, "<span class=\"v\">%s</span><span class=\"k\">refunded</span>", money);
    find(s, want);
    snprintf(want, sizeof want,
             "<div class=\"card bad\"><span class=\"v\">%" PRId64 "</span><span class=\"k\">licenses with data loss</span>",
             t.data_loss_licenses);
    find(s, want);
    find(s, "<span class=\"v\">1</span><span class=\"k\">rejected actions</span>");
    /* billed per partner: contoso billed everything, the widest bar */
    rep_money(money, sizeof money, t.billed);
    snprintf(want, sizeof want, "<tr><td>contoso</td><td class=\"n\">%s</td>", money);
    find(s, want);
    find(s, "<div class=\"bar\" style=\"width:100%\">");
    ck_assert_ptr_null(strstr(s, "web-direct"));

    /* rule ids as abbreviations carrying their text and source */
    snprintf(want, sizeof want, "<a class=\"r\" href=\"#rule-SUB-1\"><abbr title=\"%s \xE2\x80\x94 %s\">SUB-1</abbr></a>",
             model_rule_text(MODEL_RULE_SUB_1), model_rule_source(MODEL_RULE_SUB_1));
    find(s, want);
    /* and listed, visible, under Rules cited after the timeline: each cited rule once, in
     * catalog order, with its text and source; a rule no record cites is not listed */
    const char *rules = find(s, "<h2 id=\"rules\">Rules cited</h2>\n");
    ck_assert(find(s, "<h2 id=\"timeline\">") < rules);
    snprintf(want, sizeof want, "<tr id=\"rule-SUB-1\"><td class=\"id\">SUB-1</td><td>%s</td><td class=\"src\">%s</td></tr>",
             model_rule_text(MODEL_RULE_SUB_1), model_rule_source(MODEL_RULE_SUB_1));
    find(rules, want);
    ck_assert_uint_eq(count_of(s, "<tr id=\"rule-SUB-1\">"), 1);
    const char *sub4 = find(rules, "<tr id=\"rule-SUB-4\"><td class=\"id\">SUB-4</td>");
    const char *rel1 = find(rules, "<tr id=\"rule-REL-1\">");
    ck_assert(model_rule_find("REL-1") < model_rule_find("SUB-4") ? rel1 < sub4 : sub4 < rel1);
    ck_assert_ptr_null(strstr(s, "<tr id=\"rule-EA-3\">"));
    /* every link has its target */
    for (const char *a = strstr(s, "href=\"#rule-"); a; a = strstr(a + 1, "href=\"#rule-")) {
        char target[64];
        const char *id = a + strlen("href=\"#");
        size_t len = strcspn(id, "\"");
        ck_assert_uint_lt(len, 40);
        snprintf(target, sizeof target, "<tr id=\"%.*s\">", (int)len, id);
        ck_assert_msg(strstr(rules, target) != NULL, "no %s", target);
    }
    /* a handout: the print stylesheet drops navigation and keeps the highlight colours */
    const char *print = find(s, "@media print{");
    ck_assert(print < find(s, "</style>"));
    find(print, ".toc{display:none}");
    find(print, "print-color-adjust:exact");
    find(s, "<abbr title=\"A partner transacts for a tenant only after the tenant accepted its reseller-relationship "
            "request. \xE2\x80\x94 Partner Center: Move license-based customers to CSP;");

    /* per-tenant sections in tenant order, rejected and data loss rows highlighted */
    const char *fab = find(s, "<h3 id=\"t0\">Tenant fabrikam</h3>");
    const char *tail = find(s, "<h3 id=\"t1\">Tenant tailspin</h3>");
    const char *ada = find(s, "<h3 id=\"t2\">Tenant adatum</h3>");
    ck_assert(fab < tail && tail < ada);
    const char *rej = find(s, "<tr class=\"rej\"><td class=\"t\">2025-01-06 00:00</td><td class=\"s\">tail-e3</td>"
                              "<td>purchase via contoso<br/>");
    ck_assert(tail < rej && rej < ada);
    find(rej, "<td class=\"o\">REJECTED: no_relationship</td><td><a class=\"r\" href=\"#rule-REL-1\"><abbr title=\"");
    /* fab-e3 is deleted a week after its cancel and adatum's month ends unrenewed */
    ck_assert_uint_eq(count_of(s, "<tr class=\"loss\">"), 2);
    /* the phrase shows the licenses, so they are not added again */
    find(find(ada, "<tr class=\"loss\">"), "<td>DATA LOSS: 5 licenses<br/><span class=\"d\">unreplaced</span></td>");
    find(s, "<a href=\"#t0\">fabrikam</a>");
    /* the detail: markup escaped, UTF-8 kept, a bad byte replaced, a control byte a space */
    find(s, "<span class=\"d\">offer=m365-e3 note=&lt;a&amp;b&gt; caf\xc3\xa9 bad\xEF\xBF\xBD  end</span>");
    ck_assert_ptr_null(strstr(s, "\xff"));
    ck_assert_ptr_null(strstr(s, "\x01"));

    /* expectations: one PASS, one FAIL with its line, text and escaped failure */
    find(s, "<p><strong>1 passed, 1 failed</strong> of 2.</p>");
    find(s, "<tr class=\"pass\"><td class=\"n\">10</td><td class=\"o\">PASS</td>"
            "<td><code>{at: +7d, subscription: fab-e3, state: canceled}</code></td><td></td></tr>");
    find(s, "<tr class=\"fail\"><td class=\"n\">12</td><td class=\"o\">FAIL</td>"
            "<td><code>{event: refund, subscription: fab-e3, count: 2}</code></td>"
            "<td>expected count 2 &lt;refund&gt;, saw 1 &amp; more</td></tr>");
    ck_assert_ptr_null(strstr(s, "The timeline was cut"));
    ck_assert_int_eq(strcmp(s + strlen(s) - 8, "</html>\n"), 0);
    rep_out_free(o);
    fixture_free(&f);
}
END_TEST

START_TEST(test_html_deterministic)
{
    rep_html_meta m = meta();
    char *a = page(&m), *b = page(&m);
    ck_assert_str_eq(a, b);
    free(a);
    free(b);
}
END_TEST

START_TEST(test_html_not_judged)
{
    rep_html_meta m = meta();
    m.expects_judged = 0;
    m.description = NULL;
    m.fingerprint = NULL;
    char *s = page(&m);
    find(s, "<p>2 expectations, not judged in this run.</p>");
    ck_assert_ptr_null(strstr(s, "FAIL"));
    ck_assert_ptr_null(strstr(s, "PASS"));
    ck_assert_ptr_null(strstr(s, "class=\"desc\""));
    ck_assert_ptr_null(strstr(s, "fingerprint"));
    free(s);
    /* no meta at all */
    fixture f;
    fixture_run(&f);
    rep_out *o = rep_out_memory();
    ck_assert_int_eq(rep_html_write(f.h, o, NULL), 0);
    find(text_of(o), "<h1>(unnamed scenario)</h1>");
    ck_assert_ptr_null(strstr(text_of(o), "Expectations"));
    rep_out_free(o);
    fixture_free(&f);
}
END_TEST

static const char FAKE_SVG[] =
    "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"no\"?>\n"
    "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\"\n"
    " \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\" [ <!ENTITY x \"]>\"> ]>\n"
    "<!-- made by a test -->\n"
    "<svg onload=\"if (a > b) init(evt)\"\n xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
    "width=\"200\" height=\"100\" viewBox=\"0 0 200 100\">\n"
    "<title>fake &amp; chart</title>\n"
    "<script type=\"text/javascript\"><![CDATA[ alert(1); ]]></script>\n"
    "<rect x=\"10\" y=\"10\" width=\"120\" height=\"60\" fill=\"#0969da\" ONCLICK='x()'/>\n"
    "<!-- <script>kept in a comment</script> -->\n"
    "<defs><path id='gpPt0' d='M0,0 h2'/></defs><use xlink:href='#gpPt0' x='1'/><use href=\"#gpPt0\"/>\n"
    "<g clip-path=\"url(#clip1)\" data-href=\"#x\"/>\n"
    "<script href=\"x.js\"/>\n"
    "<text x=\"20\" y=\"90\">billed &lt; refunded</text>\n"
    "</svg>\n<!-- trailing -->\n";

START_TEST(test_html_file_xmllint)
{
    char dir[256], svg[300], missing[300], broken[300];
    temp_dir(dir, sizeof dir);
    write_text(dir, "billed.svg", FAKE_SVG);
    write_text(dir, "broken.svg", "<?xml version=\"1.0\"?>\n<html>not a chart</html>\n");
    snprintf(svg, sizeof svg, "%s/billed.svg", dir);
    snprintf(missing, sizeof missing, "%s/missing.svg", dir);
    snprintf(broken, sizeof broken, "%s/broken.svg", dir);
    const char *paths[] = {svg, missing, broken};
    const char *titles[] = {"Billed & refunded <per month>", "Data loss", NULL};

    fixture f;
    fixture_run(&f);
    rep_html_meta m = meta();
    m.svg_paths = paths;
    m.svg_titles = titles;
    m.nsvg = 3;
    rep_out *o = rep_out_file(dir, "report.html");
    ck_assert_int_eq(rep_html_write(f.h, o, &m), 0);
    ck_assert_int_eq(rep_out_commit(o), 0);
    rep_out_free(o);
    /* the same page in memory, to look at */
    rep_html_free(f.h);
    model_world_free(f.w);
    fixture_run(&f);
    o = rep_out_memory();
    ck_assert_int_eq(rep_html_write(f.h, o, &m), 0);
    const char *s = text_of(o);
    find(s, "<h2 id=\"charts\">Charts</h2>");
    const char *c1 = find(s, "<h3>Billed &amp; refunded &lt;per month&gt;</h3>\n<svg\n xmlns=\"http://www.w3.org/2000/svg\"");
    find(c1, "<rect x=\"10\" y=\"10\" width=\"120\" height=\"60\" fill=\"#0969da\"/>\n");
    find(c1, "billed &lt; refunded</text>\n</svg>\n</div>");
    ck_assert_ptr_null(strstr(s, "<?xml"));
    ck_assert_ptr_null(strstr(s, "DOCTYPE svg"));
    ck_assert_ptr_null(strstr(s, "made by a test"));
    ck_assert_ptr_null(strstr(s, "trailing"));
    ck_assert_ptr_null(strstr(s, "<script "));
    ck_assert_ptr_null(strstr(s, "x.js"));
    ck_assert_ptr_null(strstr(s, "onload"));
    ck_assert_ptr_null(strstr(s, "ONCLICK"));
    find(c1, "<!-- <script>kept in a comment</script> -->");
    /* ids and references to them carry the chart's prefix */
    find(c1, "<defs><path id='c1-gpPt0' d='M0,0 h2'/></defs><use xlink:href='#c1-gpPt0' x='1'/><use href=\"#c1-gpPt0\"/>\n");
    find(c1, "<g clip-path=\"url(#c1-clip1)\" data-href=\"#x\"/>\n");
    ck_assert_ptr_null(strstr(s, "alert"));
    ck_assert_ptr_null(strstr(s, "\xEF\xBB\xBF"));
    char want[1024];
    snprintf(want, sizeof want, "<h3>Data loss</h3>\n<p class=\"note\">Chart not available: %s (%s).</p>", missing,
             strerror(ENOENT));
    find(s, want);
    snprintf(want, sizeof want, "<h3>%s</h3>\n<p class=\"note\">Chart not available: %s (no svg element).</p>", broken,
             broken);
    find(s, want);
    ck_assert_uint_eq(count_of(s, "<svg"), 1);
    rep_out_free(o);
    fixture_free(&f);

    if (have_xmllint()) {
        char cmd[700];
        snprintf(cmd, sizeof cmd, "xmllint --noout '%s/report.html'", dir);
        ck_assert_int_eq(system(cmd), 0);
        /* libxml2's HTML4 parser calls svg elements unknown but accepts the page */
        snprintf(cmd, sizeof cmd, "xmllint --html --noout '%s/report.html' 2>/dev/null", dir);
        ck_assert_int_eq(system(cmd), 0);
    }
    remove_file(dir, "report.html");
    remove_file(dir, "billed.svg");
    remove_file(dir, "broken.svg");
    ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

START_TEST(test_html_bad_charts)
{
    char dir[256], p[4][300];
    temp_dir(dir, sizeof dir);
    write_text(dir, "open.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>x</svg>");
    write_text(dir, "prolog.svg", "<?xml version=\"1.0\"");
    write_text(dir, "svgfoo.svg", "<svgfoo></svgfoo>");
    write_text(dir, "plain.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    snprintf(p[0], sizeof p[0], "%s/open.svg", dir);
    snprintf(p[1], sizeof p[1], "%s/prolog.svg", dir);
    snprintf(p[2], sizeof p[2], "%s/svgfoo.svg", dir);
    snprintf(p[3], sizeof p[3], "%s/plain.svg", dir);
    const char *paths[] = {p[0], p[1], p[2], p[3]};
    model_world *w = model_world_new(T("2025-01-01"), T("2025-02-01"), 1, 0);
    rep_html *h = rep_html_new(w);
    rep_html_meta m;
    memset(&m, 0, sizeof m);
    m.scenario_name = "charts";
    m.svg_paths = paths;
    m.nsvg = 4;
    rep_out *o = rep_out_memory();
    ck_assert_int_eq(rep_html_write(h, o, &m), 0);
    const char *s = text_of(o);
    ck_assert_uint_eq(count_of(s, "Chart not available"), 4);
    find(s, "(malformed markup)");
    ck_assert_uint_eq(count_of(s, "(no svg element)"), 3); /* a self-closing root is not inlined either */
    find(s, "<p>No records.</p>");
    rep_out_free(o);
    rep_html_free(h);
    model_world_free(w);
    for (int i = 0; i < 4; i++)
        unlink(p[i]);
    ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

START_TEST(test_html_cut)
{
    model_world *w = model_world_new(T("2025-01-01"), T("2026-01-01"), 1, 0);
    ck_assert_uint_eq(model_add_tenant(w, "fabrikam", "europe"), 0);
    ck_assert_uint_eq(model_declare_subscription(w, "fab-e3", 0), 0);
    rep_html *h = rep_html_new(w);
    model_record r;
    memset(&r, 0, sizeof r);
    r.kind = MODEL_KIND_CHARGE;
    r.action = -1;
    r.rule = MODEL_RULE_SUB_2;
    r.tenant = 0;
    r.partner = MODEL_NONE;
    r.subscription = 0;
    r.from_state = r.to_state = -1;
    r.has_amount = 1;
    r.amount = 100;
    r.time = T("2025-01-01");
    for (uint64_t i = 0; i < REP_HTML_MAX_RECORDS + 5; i++) {
        r.seq = REP_HTML_MAX_RECORDS + 5 - i; /* reverse order: the page sorts by seq */
        rep_html_record(h, &r);
    }
    rep_out *o = rep_out_memory();
    ck_assert_int_eq(rep_html_write(h, o, NULL), 0);
    const char *s = text_of(o);
    char want[200];
    snprintf(want, sizeof want, "The timeline was cut: it shows the first %d of %d records", REP_HTML_MAX_RECORDS,
             REP_HTML_MAX_RECORDS + 5);
    find(s, want);
    ck_assert_uint_eq(count_of(s, "<td class=\"s\">fab-e3</td><td>charged 1.00</td>"), REP_HTML_MAX_RECORDS);
    rep_out_free(o);
    rep_html_free(h);
    model_world_free(w);
}
END_TEST

START_TEST(test_html_failing_sink)
{
    fixture f;
    fixture_run(&f);
    rep_html_meta m = meta();
    rep_out *o = rep_out_failing(2000);
    ck_assert_int_eq(rep_html_write(f.h, o, &m), -1);
    ck_assert_int_ne(rep_out_failed(o), 0);
    rep_out_free(o);
    fixture_free(&f);
}
END_TEST

Suite *html_suite(void)
{
    Suite *s = suite_create("html");
    TCase *tc = tcase_create("html");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_html_content);
    tcase_add_test(tc, test_html_deterministic);
    tcase_add_test(tc, test_html_not_judged);
    tcase_add_test(tc, test_html_file_xmllint);
    tcase_add_test(tc, test_html_bad_charts);
    tcase_add_test(tc, test_html_cut);
    tcase_add_test(tc, test_html_failing_sink);
    suite_add_tcase(s, tc);
    return s;
}
