#!/usr/bin/env python3
"""tests/fuzz/seeds.py OUTDIR [SCENARIO...] - structure-aware seeds for the fuzz targets.

Random byte mutation rarely turns a valid scenario's `licenses: 5` into `licenses: 2147483648`
while keeping the file loadable, and the overflows the loader must bound live there. So each
seed is a valid scenario (default: scenarios/demo.yaml, scenarios/rules/*.yaml and the
studies) with ONE value replaced by a boundary of its kind:
  - integers (licenses, counts, seeds, limits): around 2^31, 2^32, 2^53, 2^63, 1e9, 1e18, 0, -1;
  - decimals (prices, ratios, p): 1e308, 1e400, inf, nan, -0.0, 1e-300, 0.999999999999;
  - durations (P30D, PT1H, 20d): P0D, P99999Y, P2147483647D, PT9223372036854775807S;
  - instants (2025-01-01): 0001-01-01, 9999-12-31, 2038-01-19, 1970-01-01, 2024-02-29.
Each value gets 3 of its kind's boundaries (rotating); files longer than the fuzzers'
-max_len (8192) are left out. Each seed is written as OUTDIR/NAME-LINE-COLUMN-K.yaml; the
fuzzer keeps the ones that reach new coverage (libFuzzer -merge=1, tests/fuzz/README.md). Deterministic: the same inputs give the
same seeds. Standard library only (Debian's python3).
"""
import glob
import os
import re
import sys

INTS = ["0", "-1", "2147483647", "2147483648", "4294967296", "9007199254740993",
        "9223372036854775807", "9223372036854775808", "1000000000", "1000000000000000000"]
DECIMALS = ["1e308", "1e400", "inf", ".inf", "nan", "-0.0", "1e-300", "0.999999999999",
            "99999999999999.99", "-1.5"]
DURATIONS = ["P0D", "P99999Y", "P2147483647D", "PT9223372036854775807S", "P1M1D", "0d", "99999999d"]
INSTANTS = ["0001-01-01", "9999-12-31", "2038-01-19", "1970-01-01", "2024-02-29",
            "2025-02-29", "2025-01-01T23:59:59Z"]

# a mapping value: after "key: " (block or flow style), up to a delimiter
VALUE = re.compile(r"(?<=[A-Za-z_]: )([-+]?[0-9][0-9A-Za-z:.+-]*|P[0-9A-Z]+)(?=[,\]} #]|$)")
PER_VALUE = 3     # boundaries tried per value (rotating through its kind's list)
MAX_LEN = 8192    # the fuzzers' -max_len: longer files would be cut


def kind(tok):
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9:]+Z)?", tok):
        return INSTANTS
    if re.fullmatch(r"P[0-9A-Z]+|[0-9]+[dhms]", tok):
        return DURATIONS
    if re.fullmatch(r"[-+]?[0-9]+", tok):
        return INTS
    if re.fullmatch(r"[-+]?[0-9]*\.[0-9]+(e[-+]?[0-9]+)?", tok):
        return DECIMALS
    return None


def seeds_of(path, out):
    name = os.path.splitext(os.path.basename(path))[0]
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if len(text) > MAX_LEN:
        return 0
    lines = text.split("\n")
    n = 0
    j = 0
    for i, line in enumerate(lines):
        if line.lstrip().startswith("#"):
            continue
        for m in VALUE.finditer(line):
            values = kind(m.group(1))
            if not values:
                continue
            j += 1
            for t in range(PER_VALUE):
                k = (j * PER_VALUE + t) % len(values)
                v = values[k]
                copy = list(lines)
                copy[i] = line[:m.start(1)] + v + line[m.end(1):]
                with open(os.path.join(out, "%s-%d-%d-%d.yaml" % (name, i + 1, m.start(1), k)), "w",
                          encoding="utf-8") as f:
                    f.write("\n".join(copy))
                n += 1
    return n


def main():
    if len(sys.argv) < 2:
        sys.stderr.write("usage: tests/fuzz/seeds.py OUTDIR [SCENARIO...]\n")
        return 2
    out = sys.argv[1]
    inputs = sys.argv[2:] or (["scenarios/demo.yaml"] + sorted(glob.glob("scenarios/rules/*.yaml"))
                              + sorted(glob.glob("scenarios/studies/*.yaml")))
    os.makedirs(out, exist_ok=True)
    total = sum(seeds_of(p, out) for p in inputs)
    print("seeds.py: %d seeds from %d scenarios in %s" % (total, len(inputs), out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
