/* tests/check_override.c - `--set KEY=VALUE` (cli/override.c): parsing and path checks,
 * applying to the tree (keys created, list elements selected, a later override winning),
 * and errors named after the override instead of a file line. */
#include <stdio.h>
#include <string.h>

#include "cli/arena.h"
#include "cli/override.h"
#include "suites.h"

static const char base[] = "version: 1\n"
                           "name: o\n"
                           "start: 2025-01-01\n"
                           "end: 2025-03-01\n"
                           "seed: 3\n"
                           "offers: [{id: e3, price: 36.00, terms: [P1M, P1Y]}, {id: e5, price: 57.00}]\n"
                           "partners: [{id: contoso, region: europe}]\n"
                           "tenants: [{id: fabrikam, region: europe, relationships: [contoso]}]\n";

static const char with_rules[] = "version: 1\n"
                                 "name: o\n"
                                 "start: 2025-01-01\n"
                                 "end: 2025-03-01\n"
                                 "rules: {expired_grace: P10D, cancel_window: PT72H}\n";

/* Parses each "KEY=VALUE" into o[] (must succeed) and loads text with them. */
static cli_scenario *load_with(cli_arena *a, const char *text, const char *const *args, size_t n, cli_override *o,
                               cli_diag *d)
{
    char err[2048];
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(cli_override_parse(a, args[i], &o[i], err, sizeof err) == 0, "%s: %s", args[i], err);
    cli_load_opts opts = {0, 0, o, n, 0, 0};
    memset(d, 0, sizeof *d);
    return cli_scenario_load_mem_opts("o.yaml", text, strlen(text), &opts, d);
}

START_TEST(bare_parameter_is_rules)
{
    cli_arena *a = cli_arena_new();
    cli_override o;
    char err[2048];
    ck_assert_int_eq(cli_override_parse(a, "expired_grace=P15D", &o, err, sizeof err), 0);
    ck_assert_str_eq(o.path, "rules.expired_grace");
    ck_assert_str_eq(o.text, "P15D");
    ck_assert_str_eq(o.origin, "--set expired_grace=P15D");
    ck_assert_int_eq(o.value->kind, CLI_Y_SCALAR);
    ck_assert_str_eq(o.value->text, "P15D");
    /* seed is a top-level key, not a parameter */
    ck_assert_int_eq(cli_override_parse(a, "seed=9", &o, err, sizeof err), 0);
    ck_assert_str_eq(o.path, "seed");
    /* a flow collection */
    ck_assert_int_eq(cli_override_parse(a, "behaviours.late-rebuy.after={dist: fixed, value: 5d}", &o, err, sizeof err), 0);
    ck_assert_str_eq(o.path, "behaviours.late-rebuy.after");
    ck_assert_int_eq(o.value->kind, CLI_Y_MAP);
    ck_assert_uint_eq(o.value->n, 2);
    cli_arena_free(a);
}
END_TEST

START_TEST(bad_arguments)
{
    static const struct {
        const char *arg, *message;
    } cases[] = {
        {"expired_grace", "--set takes KEY=VALUE, not 'expired_grace'"},
        {"expired_grace=", "--set expired_grace=: no value after '='"},
        {"rules.nope=1", "--set rules.nope=1: unknown rule parameter 'nope' (parameters: relationship_request_expiry, "
                         "ea_visibility_delay, cancel_window, cancel_backup, renewal_processing, expired_grace, "
                         "disabled_retention, suspended_at_term_end, reduce_window, update_limit, trial_licenses, trial_term, "
                         "tenant_subscription_limit, smb_seat_cap, ea_lookahead, ea_lookback, ea_processing_start, "
                         "ea_processing, ea_late_processing, transfer_expiry)"},
        {"behaviours.x.when=1", "--set behaviours.x.when=1: unknown key 'when' in a behaviour (keys: on, where, p, after, do)"},
        {"population.smb.subscriptions.colour=red",
         "--set population.smb.subscriptions.colour=red: unknown key 'colour' in a group's subscriptions (keys: count, "
         "offer, partner, channel, licenses, term, billing, start, autorenew)"},
        {"seed.x=1", "--set seed.x=1: 'seed' takes a value: nothing is below it"},
        {"population.smb=1", "--set population.smb=1: 'population.smb' names a population group: give one of its keys "
                             "(tenants, region, relationships, subscriptions, agreements)"},
        {"rules..x=1", "--set rules..x=1: 'rules..x' has an empty segment (segments are separated by one '.')"},
        {"expired_grace=a: b", "--set expired_grace=a: b: the value must be one scalar or a flow collection ({...} or [...])"},
        {"expired_grace=[P1D", "--set expired_grace=[P1D: YAML syntax: while parsing a flow sequence (started at line "
                               "1, column 1): did not find expected ',' or ']'"},
    };
    cli_arena *a = cli_arena_new();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cli_override o;
        char err[2048];
        ck_assert_int_eq(cli_override_parse(a, cases[i].arg, &o, err, sizeof err), -1);
        ck_assert_str_eq(err, cases[i].message);
    }
    /* an unknown bare key names every top-level key and every parameter */
    cli_override o;
    char err[2048];
    ck_assert_int_eq(cli_override_parse(a, "grace=P1D", &o, err, sizeof err), -1);
    ck_assert_msg(strncmp(err, "--set grace=P1D: unknown key 'grace' (keys: seed, end, rules, population, behaviours, offers, "
                               "partners, tenants; or a rule parameter: relationship_request_expiry, ",
                          strlen("--set grace=P1D: unknown key 'grace' (keys: seed, end, rules, population, behaviours, "
                                 "offers, partners, tenants; or a rule parameter: relationship_request_expiry, ")) == 0,
                  "%s", err);
    ck_assert_ptr_nonnull(strstr(err, "transfer_expiry)"));
    cli_arena_free(a);
}
END_TEST

START_TEST(applies_and_later_wins)
{
    cli_arena *a = cli_arena_new();
    cli_override o[4];
    cli_diag d;
    /* no rules: in the file: the key is created; the last of two wins; seed and a list element */
    const char *args[] = {"expired_grace=P20D", "rules.expired_grace=P15D", "seed=11", "offers.e5.price=60"};
    cli_scenario *s = load_with(a, base, args, 4, o, &d);
    ck_assert_msg(s != NULL, "%s", d.message);
    ck_assert_int_eq(model_world_params(s->world)->expired_grace.seconds, 15 * SIM_DAY);
    ck_assert_uint_eq(s->seed, 11);
    cli_scenario_free(s);
    /* the file's rules: one value replaced, the other kept */
    const char *args2[] = {"cancel_window=PT24H"};
    s = load_with(a, with_rules, args2, 1, o, &d);
    ck_assert_msg(s != NULL, "%s", d.message);
    ck_assert_int_eq(model_world_params(s->world)->cancel_window.seconds, 24 * 3600);
    ck_assert_int_eq(model_world_params(s->world)->expired_grace.seconds, 10 * SIM_DAY);
    cli_scenario_free(s);
    /* --seed wins over a seed override */
    char err[256];
    ck_assert_int_eq(cli_override_parse(a, "seed=11", &o[0], err, sizeof err), 0);
    cli_load_opts opts = {1, 5, o, 1, 0, 0};
    s = cli_scenario_load_mem_opts("o.yaml", base, strlen(base), &opts, &d);
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(s->seed, 5);
    cli_scenario_free(s);
    cli_arena_free(a);
}
END_TEST

START_TEST(errors_name_the_override)
{
    cli_arena *a = cli_arena_new();
    cli_override o[2];
    cli_diag d;
    const char *bad_value[] = {"seed=4", "expired_grace=P15X"};
    ck_assert_ptr_null(load_with(a, base, bad_value, 2, o, &d));
    ck_assert_str_eq(d.file, "--set expired_grace=P15X");
    ck_assert_int_eq(d.line, 0);
    ck_assert_str_eq(d.message, "expired_grace 'P15X' is not a duration (P30D, PT168H, P1M, 30d, 168h, 90min, 45s, 2w)");
    const char *no_element[] = {"offers.e7.price=1"};
    ck_assert_ptr_null(load_with(a, base, no_element, 1, o, &d));
    ck_assert_str_eq(d.file, "--set offers.e7.price=1");
    ck_assert_str_eq(d.message, "no offer with id 'e7' in the scenario (ids: e3, e5)");
    const char *no_list[] = {"behaviours.late.p=0.5"};
    ck_assert_ptr_null(load_with(a, base, no_list, 1, o, &d));
    ck_assert_str_eq(d.message, "the scenario has no behaviours to select 'late' in");
    /* an error of the file itself keeps its file line */
    const char *fine[] = {"cancel_window=PT24H"};
    static const char broken[] = "version: 1\nname: o\nstart: 2025-01-01\nend: 2024-03-01\n";
    ck_assert_ptr_null(load_with(a, broken, fine, 1, o, &d));
    ck_assert_str_eq(d.file, "o.yaml");
    ck_assert_int_eq(d.line, 4);
    cli_arena_free(a);
}
END_TEST

START_TEST(paths_for_vary)
{
    char err[512];
    ck_assert_int_eq(cli_path_check("rules.expired_grace", err, sizeof err), 0);
    ck_assert_int_eq(cli_path_check("behaviours.late-rebuy.p", err, sizeof err), 0);
    ck_assert_int_eq(cli_path_check("behaviours.late-rebuy.do.licenses", err, sizeof err), 0);
    ck_assert_int_eq(cli_path_check("population.smb.agreements.subscriptions.licenses", err, sizeof err), 0);
    ck_assert_int_eq(cli_path_check("population.smb.tenants", err, sizeof err), 0);
    ck_assert_int_eq(cli_path_check("end", err, sizeof err), 0);
    ck_assert_int_eq(cli_path_check("expired_grace", err, sizeof err), -1); /* vary keys are written in full */
    ck_assert_int_eq(cli_path_check("population", err, sizeof err), -1);
    ck_assert_str_eq(err, "'population' is a list: select an element by its group, then give one of its keys (tenants, "
                          "region, relationships, subscriptions, agreements)");
}
END_TEST

Suite *override_suite(void)
{
    Suite *s = suite_create("override");
    TCase *tc = tcase_create("override");
    tcase_add_test(tc, bare_parameter_is_rules);
    tcase_add_test(tc, bad_arguments);
    tcase_add_test(tc, applies_and_later_wins);
    tcase_add_test(tc, errors_name_the_override);
    tcase_add_test(tc, paths_for_vary);
    suite_add_tcase(s, tc);
    return s;
}
