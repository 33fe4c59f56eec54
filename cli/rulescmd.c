/* cli/rulescmd.c - listing the rule catalog and measuring its coverage by scenarios. */
#include "rulescmd.h"

#include <stdio.h>
#include <string.h>

#include "cli/textout.h"
#include "cli/args.h"
#include "cli/explain.h"
#include "cli/scenario.h"
#include "cli/simulate.h"
#include "model/rules.h"

const char cli_usage_rules[] =
    "usage: cspsim rules [--json] [--coverage SCENARIO.yaml...]\n"
    "\n"
    "Without arguments: every rule id with its summary, whether this version simulates it,\n"
    "its parameters with their defaults (override them under `rules:` in a scenario) and its\n"
    "source. docs/rules.md explains each rule at length.\n"
    "\n"
    "  --json                   the catalog as one JSON object: rules, each with its id,\n"
    "                           text, simulated, source and parameters (name, kind, default)\n"
    "  --coverage SCENARIO...   run the scenarios and report the rule ids and reason codes\n"
    "                           that no scenario exercised (seen in no trace record)\n"
    "\n"
    "exit status: 0; with --coverage, 1 when a rule or reason code that this version\n"
    "simulates was not exercised; 2 on bad arguments or a scenario that does not load.\n";

static void list_rules(void)
{
    size_t np;
    const model_param_info *params = model_param_table(&np);
    for (int r = 1; r < MODEL_RULE_COUNT; r++) {
        printf("%-7s %s%s\n", model_rule_id((model_rule)r), model_rule_text((model_rule)r),
               model_rule_simulated((model_rule)r) ? "" : " [planned]");
        for (size_t i = 0; i < np; i++)
            if (params[i].rule == (model_rule)r)
                printf("        parameter %s = %s\n", params[i].name, params[i].default_text);
        printf("        source: %s\n", model_rule_source((model_rule)r));
    }
}

static void list_rules_json(void)
{
    size_t np;
    const model_param_info *params = model_param_table(&np);
    static const char *const kinds[] = {"duration", "distribution", "count", "choice"};
    fputs("{\"rules\":[", stdout);
    for (int r = 1; r < MODEL_RULE_COUNT; r++) {
        fputs(r > 1 ? ",{\"id\":" : "{\"id\":", stdout);
        cli_json_string(stdout, model_rule_id((model_rule)r));
        fputs(",\"text\":", stdout);
        cli_json_string(stdout, model_rule_text((model_rule)r));
        printf(",\"simulated\":%s,\"source\":", model_rule_simulated((model_rule)r) ? "true" : "false");
        cli_json_string(stdout, model_rule_source((model_rule)r));
        fputs(",\"parameters\":[", stdout);
        int first = 1;
        for (size_t i = 0; i < np; i++) {
            if (params[i].rule != (model_rule)r)
                continue;
            fputs(first ? "{\"name\":" : ",{\"name\":", stdout);
            first = 0;
            cli_json_string(stdout, params[i].name);
            fputs(",\"kind\":", stdout);
            cli_json_string(stdout, (unsigned)params[i].kind < 4 ? kinds[params[i].kind] : "?");
            fputs(",\"default\":", stdout);
            cli_json_string(stdout, params[i].default_text);
            fputc('}', stdout);
        }
        fputs("]}", stdout);
    }
    fputs("]}\n", stdout);
}

typedef struct {
    unsigned char rules[MODEL_RULE_COUNT];
    unsigned char reasons[MODEL_REASON_COUNT];
} seen;

static void note(void *ctx, const model_record *r)
{
    seen *s = ctx;
    if (r->rule < MODEL_RULE_COUNT)
        s->rules[r->rule] = 1;
    if (r->reason < MODEL_REASON_COUNT)
        s->reasons[r->reason] = 1;
}

static int coverage(int n, char **files)
{
    seen s;
    memset(&s, 0, sizeof s);
    for (int i = 0; i < n; i++) {
        cli_diag d;
        cli_scenario *sc = cli_scenario_load(files[i], 0, 0, &d);
        if (!sc) {
            cli_diag_print(stderr, &d);
            return 2;
        }
        model_set_sink(sc->world, (model_sink){note, &s});
        int rc = cli_simulate(sc, NULL, NULL, NULL);
        cli_scenario_free(sc);
        if (rc) {
            fprintf(stderr, "cspsim: %s did not run to its end\n", files[i]);
            return 2;
        }
    }
    int missing = 0, rules = 0, rules_seen = 0, reasons = 0, reasons_seen = 0;
    for (int r = 1; r < MODEL_RULE_COUNT; r++) {
        if (!model_rule_simulated((model_rule)r))
            continue;
        rules++;
        rules_seen += s.rules[r];
        if (!s.rules[r]) {
            printf("not exercised: rule %s (%s)\n", model_rule_id((model_rule)r), model_rule_text((model_rule)r));
            missing++;
        }
    }
    for (int r = 1; r < MODEL_REASON_COUNT; r++) {
        if (!model_reason_simulated((model_reason)r))
            continue;
        reasons++;
        reasons_seen += s.reasons[r];
        if (!s.reasons[r]) {
            printf("not exercised: reason %s\n", model_reason_code((model_reason)r));
            missing++;
        }
    }
    printf("coverage: %d of %d simulated rules, %d of %d reason codes, by %d scenarios\n", rules_seen, rules,
           reasons_seen, reasons, n);
    return missing ? 1 : 0;
}

int cli_cmd_rules(int argc, char **argv)
{
    if (argc >= 1 && (strcmp(argv[0], "-h") == 0 || strcmp(argv[0], "--help") == 0)) {
        fputs(cli_usage_rules, stdout);
        return 0;
    }
    if (argc == 0) {
        list_rules();
        return 0;
    }
    if (argc == 1 && strcmp(argv[0], "--json") == 0) {
        list_rules_json();
        return 0;
    }
    if (strcmp(argv[0], "--coverage") == 0 && argc >= 2)
        return coverage(argc - 1, argv + 1);
    return cli_usage_error(stderr, "rules", "rules takes no arguments, or --coverage and scenario files");
}
