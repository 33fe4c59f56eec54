/* tests/check_charts.c - the gnuplot charts: a small model run written twice (byte-identical,
 * and equal to tests/golden-charts/), the row and tenant filters, a failing directory, then
 * rendering through gnuplot (PNG size from IHDR, SVG), a broken script, and gnuplot missing
 * from PATH. Without gnuplot the rendering is left out with a SKIP line (tests/skip.h). Run
 * from the repository root (golden files are found relative to it). CSPSIM_WRITE_GOLDEN=1
 * rewrites the golden files instead of comparing. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/gnuplot.h"
#include "model/model.h"
#include "reports/charts.h"
#include "reports/out.h"
#include "skip.h"
#include "suites.h"

Suite *charts_suite(void);

#define GOLDEN_DIR "tests/golden-charts"

static int gnuplot_found; /* set by charts_suite(), before the tests run */

static sim_time T(const char *s)
{
    sim_time t = 0;
    ck_assert_msg(sim_parse_instant(s, &t) == 0, "bad instant %s", s);
    return t;
}

static void temp_dir(char *buf, size_t size)
{
    snprintf(buf, size, "/tmp/cspsim-charts-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(buf));
}

/* The whole file in a malloc'd buffer (NUL-terminated), or NULL when it cannot be read. */
static char *slurp(const char *dir, const char *name, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    ck_assert_ptr_nonnull(buf);
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            ck_assert_ptr_nonnull(buf);
        }
        size_t got = fread(buf + n, 1, 4096, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

static void remove_tree(const char *dir)
{
    static const char *const exts[] = {"dat", "gp", "png", "svg"};
    char path[512];
    for (size_t i = 0; i < REP_CHARTS_COUNT; i++) {
        for (size_t e = 0; e < 4; e++) {
            snprintf(path, sizeof path, "%s/%s.%s", dir, rep_chart_names[i], exts[e]);
            unlink(path);
        }
    }
    snprintf(path, sizeof path, "%s/broken.gp", dir);
    unlink(path);
    rmdir(dir);
}

/* ---- the fixture ------------------------------------------------------------------------- */

typedef struct {
    model_world *w;
    rep_charts *charts;
} run;

/* Partners contoso and northwind; tenants fabrikam (contoso), tailspin (contoso, northwind)
 * and woodgrove (none). fabrikam buys e3 and cancels it in the window, buys a monthly bp
 * without autorenew that expires; woodgrove is refused; tailspin buys a yearly plan through
 * northwind, is suspended and resumed, and its cancel is refused after the window. */
static void run_fixture(run *x, const rep_chart_opts *opts)
{
    model_world *w = model_world_new(T("2025-01-01"), T("2025-04-01"), 7, 0);
    ck_assert_ptr_nonnull(w);
    model_world_params(w)->tenant_subscription_limit = 5;
    model_offer_spec spec;
    memset(&spec, 0, sizeof spec);
    spec.id = "m365-e3";
    spec.price = 3600;
    spec.terms = MODEL_TERM_P1M | MODEL_TERM_P1Y;
    spec.csp_available = 1;
    spec.max_ratio = -1;
    uint32_t e3 = model_add_offer(w, &spec);
    spec.id = "m365-bp";
    spec.price = 2200;
    uint32_t bp = model_add_offer(w, &spec);
    uint32_t contoso = model_add_partner(w, "contoso", "europe");
    uint32_t northwind = model_add_partner(w, "northwind", "europe");
    uint32_t fab = model_add_tenant(w, "fabrikam", "europe");
    uint32_t tail = model_add_tenant(w, "tailspin", "europe");
    uint32_t wood = model_add_tenant(w, "woodgrove", "europe");
    ck_assert_int_eq(model_add_relationship(w, fab, contoso), 0);
    ck_assert_int_eq(model_add_relationship(w, tail, contoso), 0);
    ck_assert_int_eq(model_add_relationship(w, tail, northwind), 0);
    uint32_t fab_e3 = model_declare_subscription(w, "fab-e3", fab);
    uint32_t fab_bp = model_declare_subscription(w, "fab-bp", fab);
    uint32_t wood_e3 = model_declare_subscription(w, "wood-e3", wood);
    uint32_t tail_a = model_declare_subscription(w, "tail-a", tail);
    uint32_t tail_b = model_declare_subscription(w, "tail-b", tail);

    x->w = w;
    x->charts = rep_charts_new(w, opts);
    ck_assert_ptr_nonnull(x->charts);
    model_set_sink(w, rep_charts_sink(x->charts));
    ck_assert_int_eq(model_start(w), 0);

    static model_action acts[9];
    static sim_time at[9];
    size_t n = 0;
#define BUY(when, p, t, s, o, lic, months, bill, renew)                                                                \
    do {                                                                                                               \
        model_action_init(&acts[n], MODEL_ACT_PURCHASE);                                                               \
        acts[n].partner = p, acts[n].tenant = t, acts[n].new_subscription = s, acts[n].offer = o;                     \
        acts[n].licenses = lic, acts[n].has_licenses = 1, acts[n].term_months = months, acts[n].has_term = 1;         \
        acts[n].billing = bill, acts[n].has_billing = 1, acts[n].autorenew = renew;                                   \
        at[n++] = T(when);                                                                                             \
    } while (0)
#define ON(when, kind, s)                                                                                              \
    do {                                                                                                               \
        model_action_init(&acts[n], kind);                                                                             \
        acts[n].subscription = s;                                                                                      \
        at[n++] = T(when);                                                                                             \
    } while (0)
    BUY("2025-01-06", contoso, fab, fab_e3, e3, 120, 12, MODEL_BILLING_MONTHLY, 1);
    BUY("2025-01-06", contoso, wood, wood_e3, e3, 10, 12, MODEL_BILLING_MONTHLY, 1);
    ON("2025-01-08", MODEL_ACT_CANCEL, fab_e3);
    BUY("2025-01-10", contoso, fab, fab_bp, bp, 10, 1, MODEL_BILLING_MONTHLY, 0);
    BUY("2025-01-15", northwind, tail, tail_a, e3, 5, 12, MODEL_BILLING_ANNUAL, 1);
    BUY("2025-01-20", northwind, tail, tail_b, bp, 3, 1, MODEL_BILLING_MONTHLY, 1);
    ON("2025-02-01", MODEL_ACT_SUSPEND, tail_a);
    ON("2025-02-15", MODEL_ACT_RESUME, tail_a);
    ON("2025-02-20", MODEL_ACT_CANCEL, tail_a);
#undef BUY
#undef ON
    ck_assert_int_eq(model_set_script(w, acts, at, n), 0);
    ck_assert_int_eq(model_run_until(w, T("2025-04-01")), 0);
    ck_assert_int_eq(model_finish(w), 0);
}

static void free_run(run *x)
{
    rep_charts_free(x->charts);
    model_world_free(x->w);
}

static void write_fixture(const char *dir, const rep_chart_opts *opts)
{
    run x;
    run_fixture(&x, opts);
    ck_assert_int_eq(rep_charts_write(x.charts, dir, "charts-demo", T("2025-01-01"), T("2025-04-01"), 5), 0);
    free_run(&x);
}

static const char *const extensions[] = {"dat", "gp"};

/* ---- tests ------------------------------------------------------------------------------- */

START_TEST(test_golden)
{
    char a[64], b[64];
    temp_dir(a, sizeof a);
    temp_dir(b, sizeof b);
    write_fixture(a, NULL);
    write_fixture(b, NULL);
    int rewrite = getenv("CSPSIM_WRITE_GOLDEN") != NULL;
    for (size_t i = 0; i < REP_CHARTS_COUNT; i++) {
        for (size_t e = 0; e < 2; e++) {
            char name[64];
            snprintf(name, sizeof name, "%s.%s", rep_chart_names[i], extensions[e]);
            size_t na, nb, ng;
            char *ta = slurp(a, name, &na), *tb = slurp(b, name, &nb);
            ck_assert_msg(ta != NULL && tb != NULL, "%s not written", name);
            ck_assert_msg(na == nb && memcmp(ta, tb, na) == 0, "%s differs between two equal runs", name);
            if (rewrite) {
                char path[256];
                snprintf(path, sizeof path, "%s/%s", GOLDEN_DIR, name);
                FILE *f = fopen(path, "wb");
                ck_assert_msg(f != NULL, "cannot write %s", path);
                ck_assert_uint_eq(fwrite(ta, 1, na, f), na);
                fclose(f);
            }
            char *tg = slurp(GOLDEN_DIR, name, &ng);
            ck_assert_msg(tg != NULL, "missing golden %s/%s (run from the repository root)", GOLDEN_DIR, name);
            ck_assert_msg(ng == na && memcmp(ta, tg, na) == 0, "%s differs from %s/%s", name, GOLDEN_DIR, name);
            free(ta);
            free(tb);
            free(tg);
        }
    }
    remove_tree(a);
    remove_tree(b);
}
END_TEST

START_TEST(test_contents)
{
    char d[64];
    temp_dir(d, sizeof d);
    write_fixture(d, NULL);
    char *life = slurp(d, "lifecycle.dat", NULL);
    ck_assert_ptr_nonnull(strstr(life, "purchase no_relationship\n"));
    ck_assert_ptr_nonnull(strstr(life, "cancel cancel_window_closed\n"));
    ck_assert_ptr_nonnull(strstr(life, " 8 canceled\n"));
    ck_assert_ptr_nonnull(strstr(life, " 4 suspended\n"));
    ck_assert_ptr_nonnull(strstr(life, " 5 expired\n"));
    /* fab-e3 (row 0) canceled 01-08 is deleted with its 120 licenses on 01-15 (the window's
     * end + 7 days, no replacement); fab-bp (row 1) expires 02-10, deleted 30 days later;
     * tail-b (row 3) renews monthly */
    ck_assert_ptr_nonnull(strstr(life, "\n# block 3, lifecycle events: time row event licenses\n"));
    ck_assert_ptr_nonnull(strstr(life, "\n2025-01-15T00:00:00Z 0 data_loss 120\n"));
    ck_assert_ptr_nonnull(strstr(life, "\n2025-03-12T00:00:00Z 1 data_loss 10\n"));
    ck_assert_ptr_nonnull(strstr(life, " 3 renewal_completed 3\n"));
    char *lgp = slurp(d, "lifecycle.gp", NULL);
    /* blocks 0-2 hold data, so the events are gnuplot's index 3 */
    ck_assert_ptr_nonnull(strstr(lgp, "index 3 using 1:(strcol(3) eq 'data_loss' ? $2 : NaN) with points"));
    ck_assert_ptr_nonnull(strstr(lgp, "title 'DATA LOST (deleted, not replaced)'"));
    ck_assert_ptr_nonnull(strstr(lgp, "sprintf('DATA LOST: %s licenses', strcol(4))"));
    ck_assert_ptr_nonnull(strstr(lgp, "title 'renewed (new term)'"));
    ck_assert_ptr_null(strstr(lgp, "data kept")); /* no replacement in this run */
    ck_assert_ptr_null(strstr(lgp, "font ',8'"));
    ck_assert_ptr_null(strstr(lgp, "font ',10'"));
    free(lgp);
    char *gp = slurp(d, "tenant-count.gp", NULL);
    /* peak 2 is not below a quarter of the limit 5: the lines are drawn, the axis reaches 5 + 1 */
    ck_assert_ptr_nonnull(strstr(gp, "set yrange [0:6]\n"));
    ck_assert_ptr_null(strstr(gp, "set arrow"));
    ck_assert_ptr_nonnull(strstr(gp, "duplication line (a move of more than 2 subscriptions exceeds the limit)"));
    ck_assert_ptr_nonnull(strstr(gp, "set output 'tenant-count.png'"));
    ck_assert_ptr_nonnull(strstr(gp, "set output 'tenant-count.svg'"));
    char *bill = slurp(d, "billing.gp", NULL);
    ck_assert_ptr_nonnull(strstr(bill, "'northwind billed'"));
    ck_assert_ptr_nonnull(strstr(bill, "'contoso refunded'"));
    char *states = slurp(d, "states.dat", NULL);
    ck_assert_ptr_nonnull(strstr(states, "\n2025-01-01 "));
    ck_assert_ptr_nonnull(strstr(states, "\n2025-03-31 "));
    ck_assert_ptr_null(strstr(states, "\n2025-04-01 "));
    free(life);
    free(gp);
    free(bill);
    free(states);
    remove_tree(d);
}
END_TEST

static size_t count_lines_in_block0(const char *dat)
{
    size_t n = 0;
    const char *p = dat;
    while (*p && !(p[0] == '\n' && p[1] == '\n')) {
        if ((p == dat || p[-1] == '\n') && *p != '#' && *p != '\n')
            n++;
        p++;
    }
    return n;
}

START_TEST(test_filters)
{
    char d[64];
    temp_dir(d, sizeof d);
    rep_chart_opts o = {1, NULL, NULL};
    write_fixture(d, &o);
    char *gp = slurp(d, "lifecycle.gp", NULL);
    ck_assert_ptr_nonnull(strstr(gp, "set ytics ('"));
    ck_assert_ptr_null(strstr(gp, "' 1"));
    free(gp);
    o = (rep_chart_opts){0, "tailspin", NULL};
    write_fixture(d, &o);
    gp = slurp(d, "lifecycle.gp", NULL);
    ck_assert_ptr_nonnull(strstr(gp, "'tailspin / tail-a' 0, 'tailspin / tail-b' 1)"));
    free(gp);
    gp = slurp(d, "tenant-count.gp", NULL);
    ck_assert_ptr_nonnull(strstr(gp, "title 'tailspin'"));
    ck_assert_ptr_null(strstr(gp, "fabrikam"));
    free(gp);
    o = (rep_chart_opts){0, NULL, "fab-bp"};
    write_fixture(d, &o);
    gp = slurp(d, "lifecycle.gp", NULL);
    ck_assert_ptr_nonnull(strstr(gp, "set ytics ('fabrikam / fab-bp' 0)"));
    /* no rejected action on this row: its empty block takes no gnuplot index */
    ck_assert_ptr_nonnull(strstr(gp, "index 2 using 1:(strcol(3) eq 'data_loss' ? $2 : NaN)"));
    free(gp);
    char *dat = slurp(d, "lifecycle.dat", NULL);
    ck_assert_uint_ge(count_lines_in_block0(dat), 2);
    free(dat);
    remove_tree(d);
}
END_TEST

/* A limit far above the data (peak 2 < 300 / 4): the axis fits the data (2 + 2 / 4 + 2 = 4)
 * and the limit lines become labelled arrows. */
START_TEST(test_tenant_count_scaled)
{
    char d[64];
    temp_dir(d, sizeof d);
    run x;
    run_fixture(&x, NULL);
    ck_assert_int_eq(rep_charts_write(x.charts, d, "charts-demo", T("2025-01-01"), T("2025-04-01"), 300), 0);
    free_run(&x);
    char *gp = slurp(d, "tenant-count.gp", NULL);
    ck_assert_ptr_nonnull(strstr(gp, "set yrange [0:4]\nset ytics 1\n"));
    ck_assert_ptr_nonnull(strstr(gp, "set arrow 1 from graph 0.03, graph 0.86 to graph 0.03, graph 0.99 head"));
    ck_assert_ptr_nonnull(strstr(gp, "set label 1 'tenant limit 300 (off the scale, above)'"));
    ck_assert_ptr_nonnull(
        strstr(gp, "set label 2 'duplication line 150: a move of more than 150 subscriptions exceeds the limit'"));
    ck_assert_ptr_null(strstr(gp, "with lines dt 2")); /* no limit line at 300 squashing the data */
    free(gp);
    remove_tree(d);
}
END_TEST

/* The training scenario the chart is for: fab-e3 replaced in the grace keeps its data,
 * fab-visio loses it, both marked on their rows (run through the built binary). */
START_TEST(test_expiry_and_grace)
{
    const char *bin = getenv("CSPSIM");
    if (!bin || !*bin) {
        printf("SKIP test_expiry_and_grace: CSPSIM (the built binary) not set\n");
        return;
    }
    char d[64], cmd[512];
    temp_dir(d, sizeof d);
    snprintf(cmd, sizeof cmd, "'%s' run scenarios/training/expiry-and-grace.yaml -o '%s' -q >/dev/null 2>&1", bin, d);
    ck_assert_int_eq(system(cmd), 0);
    char sub[96];
    snprintf(sub, sizeof sub, "%s/charts", d);
    char *dat = slurp(sub, "lifecycle.dat", NULL), *gp = slurp(sub, "lifecycle.gp", NULL);
    ck_assert_ptr_nonnull(dat);
    ck_assert_ptr_nonnull(gp);
    ck_assert_ptr_nonnull(strstr(gp, "'fabrikam / fab-e3' 0, 'fabrikam / fab-visio' 1"));
    ck_assert_ptr_nonnull(strstr(dat, "\n2025-03-31T00:00:00Z 1 data_loss 10\n"));
    ck_assert_ptr_nonnull(strstr(dat, "\n2025-03-31T00:00:00Z 0 data_kept 50\n"));
    ck_assert_ptr_nonnull(strstr(gp, "title 'data kept (a replacement took over)'"));
    free(dat);
    free(gp);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", d);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(test_write_failure)
{
    run x;
    run_fixture(&x, NULL);
    ck_assert_int_eq(rep_charts_write(x.charts, "/nonexistent-cspsim-dir/charts", "x", T("2025-01-01"),
                                      T("2025-04-01"), 5),
                     -1);
    free_run(&x);
}
END_TEST

START_TEST(test_empty_run)
{
    char d[64];
    temp_dir(d, sizeof d);
    model_world *w = model_world_new(T("2025-01-01"), T("2025-02-01"), 1, 0);
    rep_charts *c = rep_charts_new(w, NULL);
    ck_assert_int_eq(rep_charts_write(c, d, NULL, T("2025-01-01"), T("2025-02-01"), 250), 0);
    rep_charts_free(c);
    model_world_free(w);
    if (gnuplot_found) {
        FILE *err = tmpfile();
        ck_assert_int_eq(cli_gnuplot_render(d, rep_chart_scripts, REP_CHARTS_COUNT, err), 0);
        fclose(err);
    }
    remove_tree(d);
}
END_TEST

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

START_TEST(test_render)
{
    char d[64];
    temp_dir(d, sizeof d);
    write_fixture(d, NULL);
    FILE *err = tmpfile();
    ck_assert_ptr_nonnull(err);
    int rc = cli_gnuplot_render(d, rep_chart_scripts, REP_CHARTS_COUNT, err);
    rewind(err);
    char msg[2048] = "";
    size_t got = fread(msg, 1, sizeof msg - 1, err);
    msg[got] = '\0';
    fclose(err);
    ck_assert_msg(rc == 0, "render failed: %s", msg);
    for (size_t i = 0; i < REP_CHARTS_COUNT; i++) {
        char name[64];
        size_t n;
        snprintf(name, sizeof name, "%s.png", rep_chart_names[i]);
        unsigned char *png = (unsigned char *)slurp(d, name, &n);
        ck_assert_msg(png != NULL, "%s missing", name);
        ck_assert_uint_ge(n, 24);
        ck_assert_msg(memcmp(png, "\x89PNG\r\n\x1a\n", 8) == 0, "%s is not a PNG", name);
        ck_assert_msg(memcmp(png + 12, "IHDR", 4) == 0, "%s: no IHDR", name);
        ck_assert_uint_eq(be32(png + 16), 1280);
        ck_assert_uint_eq(be32(png + 20), 720);
        free(png);
        snprintf(name, sizeof name, "%s.svg", rep_chart_names[i]);
        char *svg = slurp(d, name, NULL);
        ck_assert_msg(svg != NULL, "%s missing", name);
        ck_assert_ptr_nonnull(strstr(svg, "<svg"));
        free(svg);
    }
    remove_tree(d);
}
END_TEST

START_TEST(test_render_broken)
{
    char d[64], path[128];
    temp_dir(d, sizeof d);
    snprintf(path, sizeof path, "%s/broken.gp", d);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("set terminal dumb\nplot this is not gnuplot\n", f);
    fclose(f);
    FILE *err = tmpfile();
    const char *const scripts[] = {"broken.gp"};
    ck_assert_int_eq(cli_gnuplot_render(d, scripts, 1, err), -1);
    rewind(err);
    char msg[4096] = "";
    size_t got = fread(msg, 1, sizeof msg - 1, err);
    msg[got] = '\0';
    fclose(err);
    char want[256];
    snprintf(want, sizeof want, "cspsim: gnuplot failed on %s/broken.gp:\n", d);
    ck_assert_msg(strncmp(msg, want, strlen(want)) == 0, "got: %s", msg);
    ck_assert_uint_gt(strlen(msg), strlen(want)); /* gnuplot's own message follows */
    remove_tree(d);
}
END_TEST

START_TEST(test_render_not_found)
{
    char d[64], empty[64];
    temp_dir(d, sizeof d);
    temp_dir(empty, sizeof empty);
    const char *old = getenv("PATH");
    char *saved = old ? strdup(old) : NULL;
    ck_assert_int_eq(setenv("PATH", empty, 1), 0);
    FILE *err = tmpfile();
    int rc = cli_gnuplot_render(d, rep_chart_scripts, REP_CHARTS_COUNT, err);
    if (saved) {
        setenv("PATH", saved, 1);
        free(saved);
    } else {
        unsetenv("PATH");
    }
    ck_assert_int_eq(rc, 1);
    rewind(err);
    char msg[1024] = "";
    size_t got = fread(msg, 1, sizeof msg - 1, err);
    msg[got] = '\0';
    fclose(err);
    char want[512];
    snprintf(want, sizeof want,
             "cspsim: gnuplot not found; the chart data and scripts are in %s: run 'cd %s && gnuplot lifecycle.gp "
             "tenant-count.gp billing.gp states.gp data-loss.gp' to render them\n",
             d, d);
    ck_assert_str_eq(msg, want);
    rmdir(empty);
    remove_tree(d);
}
END_TEST

Suite *charts_suite(void)
{
    Suite *s = suite_create("charts");
    TCase *tc = tcase_create("write");
    tcase_add_test(tc, test_golden);
    tcase_add_test(tc, test_contents);
    tcase_add_test(tc, test_filters);
    tcase_add_test(tc, test_tenant_count_scaled);
    tcase_add_test(tc, test_expiry_and_grace);
    tcase_add_test(tc, test_write_failure);
    suite_add_tcase(s, tc);
    tc = tcase_create("render");
    tcase_set_timeout(tc, 60);
    gnuplot_found = test_have_tool("gnuplot", "charts: render, render_broken and the empty run's rendering");
    tcase_add_test(tc, test_empty_run);
    if (gnuplot_found) {
        tcase_add_test(tc, test_render);
        tcase_add_test(tc, test_render_broken);
    }
    tcase_add_test(tc, test_render_not_found);
    suite_add_tcase(s, tc);
    return s;
}
