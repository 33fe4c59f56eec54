/* tests/suites.h - every Check suite of the runner; each tests/check_<module>.c gives one. */
#ifndef TESTS_SUITES_H
#define TESTS_SUITES_H

#include <check.h>

Suite *time_suite(void);
Suite *pcg_suite(void);
Suite *dist_suite(void);
Suite *fel_suite(void);
Suite *model_suite(void);
Suite *loader_suite(void);
Suite *reports_suite(void);
Suite *invariants_suite(void);
Suite *tracecmd_suite(void);
Suite *charts_suite(void);
Suite *explain_suite(void);
Suite *html_suite(void);
Suite *moves_suite(void);
Suite *svg_suite(void);
Suite *store_suite(void);
Suite *population_suite(void);
Suite *compare_suite(void);
Suite *behaviour_suite(void);
Suite *stats_suite(void);
Suite *override_suite(void);
Suite *order_suite(void);
Suite *shard_suite(void);
Suite *union_suite(void);

#endif
