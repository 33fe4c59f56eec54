/* cli/sweepcmd.h - `cspsim sweep` (an experiment: points x replications, in threads or as a
 * shard, resumable) and `cspsim merge` (shards into one sweep's bytes). The runs go through
 * the sweep layer (sweep/plan.h, sweep/stats.h, sweep/transport.h); this file loads the
 * scenario per run and writes DIR/plan.txt, runs.csv, points.csv, charts/ and report.html. */
#ifndef CLI_SWEEPCMD_H
#define CLI_SWEEPCMD_H

extern const char cli_usage_sweep[];
extern const char cli_usage_merge[];

/* argv holds the arguments after the command name. Exit status: 0 written; 1 a run failed
 * (the finished ones stay in runs.csv: --resume completes them); 2 bad scenario, vary
 * value, command line, shard set or resume directory (one line, nothing written); 74 an
 * output could not be written. */
int cli_cmd_sweep(int argc, char **argv);
int cli_cmd_merge(int argc, char **argv);

#endif
