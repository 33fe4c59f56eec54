/* tests/fuzz/fuzz_load.c - libFuzzer target (a): the loader from memory
 * (cli_scenario_load_mem). Every input is either a scenario or a located refusal; a crash,
 * a leak or a sanitizer report is a finding. Built by `make fuzz` (clang, libFuzzer) and, with
 * tests/fuzz/replay.c instead of libFuzzer, by the sanitizer build for `make check`. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cli_diag d;
    cli_scenario *s = cli_scenario_load_mem("fuzz.yaml", (const char *)data, size, 0, 0, &d);
    if (!s) {
        /* a refusal names a line within the text (or none) and says something */
        if (d.line < 0 || d.col < 0 || !d.message[0] || !memchr(d.message, '\0', sizeof d.message))
            abort();
        return 0;
    }
    cli_scenario_free(s);
    return 0;
}
