/* bench/bench_model.c - throughput and memory of the model on a synthetic population.
 *
 * Builds tenants x subscriptions through the model API (no YAML), with an autorenew mix,
 * some cancels inside and outside the window, expiries and suspensions, runs the given
 * years and prints events, events/s, ns/event, peak RSS and bytes per subscription.
 * Usage: bench_model [--tenants N] [--subs N] [--years N] [--seed N] [--records]
 * (--records builds every trace record into a counting sink, as a run with output would).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "model/model.h"
#include "sim/pcg.h"

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long arg_long(int argc, char **argv, const char *name, long def)
{
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], name) == 0)
            return strtol(argv[i + 1], NULL, 10);
    return def;
}

static void count_record(void *ctx, const model_record *r)
{
    (void)r;
    ++*(uint64_t *)ctx;
}

int main(int argc, char **argv)
{
    long tenants = arg_long(argc, argv, "--tenants", 100000);
    long subs = arg_long(argc, argv, "--subs", 10);
    long years = arg_long(argc, argv, "--years", 3);
    uint64_t seed = (uint64_t)arg_long(argc, argv, "--seed", 1);
    int records = 0;
    for (int i = 1; i < argc; i++)
        records |= strcmp(argv[i], "--records") == 0;
    if (tenants < 1 || subs < 1 || years < 1 || subs > 300) {
        fprintf(stderr, "usage: bench_model [--tenants N>=1] [--subs 1..300] [--years N>=1] [--seed N] [--records]\n");
        return 2;
    }
    sim_time start, end;
    sim_parse_instant("2025-01-01", &start);
    end = sim_add_months(start, (int32_t)(12 * years));
    double t0 = now_seconds();
    model_world *w = model_world_new(start, end, seed, 0);
    sim_pcg g;
    sim_pcg_for_run(&g, seed, 1);
    static const struct {
        const char *id;
        int64_t price;
        int term, billing;
    } mix[] = {{"m365-e3", 3600, 12, MODEL_BILLING_MONTHLY},
               {"m365-e5", 5700, 12, MODEL_BILLING_ANNUAL},
               {"teams-ess", 400, 1, MODEL_BILLING_MONTHLY},
               {"visio-p2", 1500, 36, MODEL_BILLING_ANNUAL}};
    for (size_t i = 0; i < 4; i++) {
        model_offer_spec o = {0};
        o.id = mix[i].id;
        o.price = mix[i].price;
        o.terms = MODEL_TERM_P1M | MODEL_TERM_P1Y | MODEL_TERM_P3Y;
        o.csp_available = 1;
        o.max_ratio = -1;
        model_add_offer(w, &o);
    }
    if (w && model_reserve(w, (size_t)tenants, (size_t)tenants * (size_t)subs + (size_t)tenants)) {
        fprintf(stderr, "bench_model: out of memory\n");
        return 1;
    }
    for (int p = 0; p < 10; p++)
        model_add_partner(w, NULL, "europe");
    size_t cap = (size_t)tenants / 5 + 16, n = 0;
    model_action *acts = malloc(cap * sizeof *acts);
    sim_time *at = malloc(cap * sizeof *at);
    if (!w || !acts || !at) {
        fprintf(stderr, "bench_model: out of memory\n");
        return 1;
    }
    for (long t = 0; t < tenants; t++) {
        uint32_t ti = model_add_tenant(w, NULL, "europe");
        uint32_t partner = sim_pcg_bounded(&g, 10);
        model_add_relationship(w, ti, partner);
        for (long s = 0; s < subs; s++) {
            uint32_t si = model_declare_subscription(w, NULL, ti);
            uint32_t k = sim_pcg_bounded(&g, 4);
            model_sub_spec sp = {0};
            sp.offer = k;
            sp.partner = partner;
            sp.channel = MODEL_CHANNEL_CSP;
            sp.licenses = 1 + (int32_t)sim_pcg_bounded(&g, 200);
            sp.term_months = mix[k].term;
            sp.billing = (model_billing)mix[k].billing;
            sp.start = start - (sim_time)sim_pcg_bounded(&g, 300) * SIM_DAY;
            sp.autorenew = sim_pcg_bounded(&g, 100) < 90; /* 10% expire */
            sp.state = MODEL_STATE_ACTIVE;
            if (sp.start + (sim_time)sp.term_months * 28 * SIM_DAY <= start)
                sp.start = start;
            if (model_init_subscription(w, si, &sp))
                return 1;
            uint32_t r = sim_pcg_bounded(&g, 1000);
            if (r < 10 && n < cap) { /* 1%: suspended some time during the run */
                model_action_init(&acts[n], MODEL_ACT_SUSPEND);
                acts[n].subscription = si;
                at[n++] = start + (sim_time)sim_pcg_bounded(&g, (uint32_t)((end - start) / SIM_DAY)) * SIM_DAY;
            } else if (r < 20 && n < cap) { /* 1%: a cancel, mostly outside the window */
                model_action_init(&acts[n], MODEL_ACT_CANCEL);
                acts[n].subscription = si;
                at[n++] = start + (sim_time)sim_pcg_bounded(&g, 60) * SIM_DAY;
            }
        }
        if (sim_pcg_bounded(&g, 100) < 5 && n + 2 <= cap) { /* 5%: a purchase, cancelled in the window */
            uint32_t si = model_declare_subscription(w, NULL, ti);
            model_action_init(&acts[n], MODEL_ACT_PURCHASE);
            acts[n].partner = partner;
            acts[n].tenant = ti;
            acts[n].offer = 0;
            acts[n].new_subscription = si;
            acts[n].licenses = 10;
            acts[n].term_months = 12;
            acts[n].billing = MODEL_BILLING_MONTHLY;
            sim_time when = start + (sim_time)sim_pcg_bounded(&g, 300) * SIM_DAY;
            at[n++] = when;
            model_action_init(&acts[n], MODEL_ACT_CANCEL);
            acts[n].subscription = si;
            at[n++] = when + 2 * SIM_DAY;
        }
    }
    uint64_t nrec = 0;
    if (records)
        model_set_sink(w, (model_sink){count_record, &nrec});
    if (model_set_script(w, acts, at, n) || model_start(w)) {
        fprintf(stderr, "bench_model: out of memory\n");
        return 1;
    }
    double t1 = now_seconds();
    if (model_run_until(w, end)) {
        fprintf(stderr, "bench_model: out of memory during the run\n");
        return 1;
    }
    model_finish(w);
    double t2 = now_seconds();
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    uint64_t events = model_events_processed(w);
    size_t nsubs = model_count_subscriptions(w);
    model_metrics m;
    model_metrics_total(w, &m);
    printf("population   %ld tenants x %ld subscriptions, %ld years, %zu scripted actions%s\n", tenants, subs,
           years, n, records ? ", records built" : "");
    printf("build        %.2f s\n", t1 - t0);
    printf("run          %.2f s\n", t2 - t1);
    printf("events       %llu\n", (unsigned long long)events);
    printf("records      %llu\n", (unsigned long long)model_records_emitted(w));
    printf("events/s     %.0f\n", (double)events / (t2 - t1));
    printf("ns/event     %.1f\n", (t2 - t1) * 1e9 / (double)events);
    printf("peak RSS     %.1f MiB\n", (double)ru.ru_maxrss / 1024.0);
    printf("bytes/sub    %.1f (RSS), %.1f (model tables)\n", (double)ru.ru_maxrss * 1024.0 / (double)nsubs,
           (double)model_world_bytes(w) / (double)nsubs);
    printf("outcome      data loss %lld licenses, %lld rejections, billed %lld.%02lld\n",
           (long long)m.data_loss_licenses, (long long)m.rejections, (long long)(m.billed / 100),
           (long long)(m.billed % 100));
    model_world_free(w);
    free(acts);
    free(at);
    return 0;
}
