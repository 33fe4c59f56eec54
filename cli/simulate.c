/* cli/simulate.c - the run of one scenario, stopping at probe instants and progress steps. */
#include "simulate.h"

#define PROGRESS_STEPS 200

int cli_simulate(cli_scenario *s, cli_checker *chk, cli_progress_fn progress, void *ctx)
{
    return cli_simulate_split(s, NULL, chk, progress, ctx);
}

int cli_simulate_split(cli_scenario *s, swp_split *split, cli_checker *chk, cli_progress_fn progress, void *ctx)
{
    size_t np = 0, next = 0;
    const sim_time *probes = chk ? cli_checker_probes(chk, &np) : NULL;
    sim_time span = s->end - s->start;
    int step = 1;
    for (;;) {
        sim_time until = s->end;
        if (progress) {
            sim_time mark = s->start + span / PROGRESS_STEPS * step;
            if (mark < until)
                until = mark;
        }
        if (next < np && probes[next] < until)
            until = probes[next];
        int rc = split ? swp_split_run_until(split, until) : model_run_until(s->world, until);
        if (rc)
            return rc;
        while (next < np && probes[next] <= until)
            cli_checker_probe(chk, probes[next++]);
        if (progress && until >= s->start + span / PROGRESS_STEPS * step) {
            progress(ctx, (double)(until - s->start) / (double)span);
            step++;
        }
        if (until >= s->end)
            break;
    }
    while (next < np) /* instants at or after the end see the final state */
        cli_checker_probe(chk, probes[next++]);
    return split ? swp_split_finish(split) : model_finish(s->world);
}

void cli_breach_print(FILE *to, const cli_scenario *s)
{
    const model_breach *b = model_breach_found(s->world);
    if (!b)
        return;
    char t[SIM_TIME_BUF];
    const char *sub = b->subscription != MODEL_NONE ? model_subscription_id(s->world, b->subscription) : NULL;
    fprintf(to, "cspsim: invariant broken: %s (seed %llu, at %s, after record %llu%s%s): %s\n", b->invariant,
            (unsigned long long)s->seed, sim_format_instant(b->time, t), (unsigned long long)b->after_record,
            sub ? ", subscription " : "", sub ? sub : "", b->detail);
}
