/* tests/check_main.c - the one Check runner: every suite, summary line on stdout. */
#include <stdlib.h>

#include "suites.h"

int main(void)
{
    SRunner *sr = srunner_create(time_suite());
    srunner_add_suite(sr, pcg_suite());
    srunner_add_suite(sr, dist_suite());
    srunner_add_suite(sr, fel_suite());
    srunner_add_suite(sr, model_suite());
    srunner_add_suite(sr, loader_suite());
    srunner_add_suite(sr, reports_suite());
    srunner_add_suite(sr, invariants_suite());
    srunner_add_suite(sr, tracecmd_suite());
    srunner_add_suite(sr, charts_suite());
    srunner_add_suite(sr, explain_suite());
    srunner_add_suite(sr, html_suite());
    srunner_add_suite(sr, moves_suite());
    srunner_add_suite(sr, svg_suite());
    srunner_add_suite(sr, store_suite());
    srunner_add_suite(sr, population_suite());
    srunner_add_suite(sr, compare_suite());
    srunner_add_suite(sr, behaviour_suite());
    srunner_add_suite(sr, stats_suite());
    srunner_add_suite(sr, override_suite());
    srunner_add_suite(sr, order_suite());
    srunner_add_suite(sr, shard_suite());
    srunner_add_suite(sr, union_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
