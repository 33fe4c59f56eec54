/* tests/fuzz/fuzz_run.c - libFuzzer target (b): load and simulate with the invariants on
 * (model_check_invariants), the records going to the trace, timeline and summary writers and
 * the expect checker as in `cspsim run`, into sinks that only hash (nothing is written). A
 * broken invariant aborts: it is a finding (a bug of the model), as is any sanitizer report.
 * Inputs whose run would be slow are skipped, so that one input takes milliseconds:
 * horizons past FUZZ_MAX_YEARS, more than FUZZ_MAX_SUBS subscriptions or FUZZ_MAX_ACTIONS
 * scripted actions. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "cli/expect.h"
#include "cli/scenario.h"
#include "cli/simulate.h"
#include "reports/out.h"
#include "reports/summary.h"
#include "reports/timeline.h"
#include "reports/trace.h"

#define FUZZ_MAX_YEARS 12
#define FUZZ_MAX_SUBS 200
#define FUZZ_MAX_ACTIONS 400

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    rep_trace *trace;
    rep_timeline *timeline;
    rep_summary *summary;
    cli_checker *checker;
} fanout;

static void fan_emit(void *ctx, const model_record *r)
{
    fanout *f = ctx;
    rep_trace_record(f->trace, r);
    rep_timeline_record(f->timeline, r);
    rep_summary_record(f->summary, r);
    cli_checker_record(f->checker, r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cli_diag d;
    cli_scenario *s = cli_scenario_load_mem("fuzz.yaml", (const char *)data, size, 0, 0, &d);
    if (!s)
        return 0;
    if (s->end - s->start > (sim_time)FUZZ_MAX_YEARS * 366 * 86400 ||
        model_count_subscriptions(s->world) > FUZZ_MAX_SUBS || s->nactions > FUZZ_MAX_ACTIONS) {
        cli_scenario_free(s);
        return 0;
    }
    rep_out *jsonl = rep_out_null(), *csv = rep_out_null(), *other = rep_out_null();
    fanout f = {0};
    if (jsonl && csv && other) {
        f.trace = rep_trace_new(s->world, jsonl, csv);
        f.timeline = rep_timeline_new(s->world);
        f.summary = rep_summary_new(s->world);
        f.checker = cli_checker_new(s);
    }
    if (f.trace && f.timeline && f.summary && f.checker) {
        model_set_sink(s->world, (model_sink){fan_emit, &f});
        model_check_invariants(s->world, 1);
        int rc = cli_simulate(s, f.checker, NULL, NULL);
        if (rc == -2)
            abort(); /* an invariant broke: model_breach_found says which */
        if (rc == 0) {
            uint64_t fp = rep_out_hash(jsonl);
            rep_summary_set_fingerprint(f.summary, fp);
            rep_timeline_write(f.timeline, other, s->name, s->description);
            rep_summary_write(f.summary, other, s->name, s->seed);
            cli_checker_finish(f.checker, &fp);
        }
    }
    rep_trace_free(f.trace);
    rep_timeline_free(f.timeline);
    rep_summary_free(f.summary);
    cli_checker_free(f.checker);
    rep_out_free(jsonl);
    rep_out_free(csv);
    rep_out_free(other);
    cli_scenario_free(s);
    return 0;
}
