# cspsim - one non-recursive Makefile. Objects go under $(BUILD); flavours are variables:
#   make SAN=1          AddressSanitizer + UndefinedBehaviorSanitizer build in build-san/
#   make UBSAN_CLANG=1  clang's UndefinedBehaviorSanitizer (float-cast-overflow included, every
#                       finding fatal) in build-ubsan-clang/
#   make FUZZ=1         libFuzzer instrumentation (clang), in build-fuzz/ (`make fuzz` builds the targets)
#   make FAULT=1        the fault build in build-fault/: ASan/UBSan plus tests/fault_hook.c
#                       wrapping the allocators and output calls (tests/fault_loop.sh)
#   make CC=clang       any C11 compiler; OPT=-O0 for a debug build
#   make MPI=1          the Open MPI build in build-mpi/ (mpicc, sweep/mpi.c, -DCSPSIM_MPI;
#                       scripts/deps.sh mpi installs Open MPI first); the plain build never
#                       compiles sweep/mpi.c
# Targets: all (build/cspsim), check, demo, bench, deps, clean, install, mpi, fuzz, fault.

CC      ?= cc
OPT     ?= -O2
SAN     ?=
UBSAN_CLANG ?=
MPI     ?=
FAULT   ?=
FUZZ    ?=
BUILD   ?= build$(if $(MPI),-mpi)$(if $(SAN),-san)$(if $(UBSAN_CLANG),-ubsan-clang)$(if $(FAULT),-fault)$(if $(FUZZ),-fuzz)
PKGS    := yaml-0.1
# The flavours' common stem: check and determinism put the others beside it ($(BASE)-san/ ...).
BASE    := $(patsubst %-mpi,%,$(patsubst %-fuzz,%,$(patsubst %-fault,%,$(patsubst %-ubsan-clang,%,$(patsubst %-san,%,$(BUILD))))))

# UBSAN_CLANG=1 and FUZZ=1 mean clang unless CC was given (make's built-in default is "cc").
ifneq ($(UBSAN_CLANG)$(FUZZ),)
ifeq ($(origin CC),default)
CC := clang
endif
endif

# MPI=1 compiles with mpicc around the compiler asked for (OMPI_CC), so CC=clang still holds.
ifneq ($(MPI),)
ifneq ($(notdir $(CC)),mpicc)
export OMPI_CC := $(CC)
override CC := mpicc
endif
endif

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CFLAGS  ?= $(OPT) -g
SAN_ON  := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -DCSPSIM_INVARIANTS
UBSAN_ON := -fsanitize=undefined,float-cast-overflow -fno-sanitize-recover=all -fno-omit-frame-pointer \
            -DCSPSIM_INVARIANTS
FUZZ_ON := -fsanitize=fuzzer-no-link,address,undefined,float-cast-overflow -fno-sanitize-recover=all \
           -fno-omit-frame-pointer -DCSPSIM_INVARIANTS
SANFLAGS := $(if $(SAN)$(FAULT),$(SAN_ON)) $(if $(UBSAN_CLANG),$(UBSAN_ON)) $(if $(FUZZ),$(FUZZ_ON))
# The fault build's hook (tests/fault_hook.c) takes the place of these calls in cspsim's objects
# (the last, the model's invariant check, for the injected breach of tests/breach.sh).
FAULT_WRAP := malloc calloc realloc strdup strndup posix_memalign fopen fwrite fputs fputc putc putchar \
              puts printf fprintf vfprintf fflush fclose rename mkdir syscall \
              invariants_after_step
FAULT_LINK := $(if $(FAULT),$(BUILD)/tests/fault_hook.o $(foreach f,$(FAULT_WRAP),-Wl,--wrap=$(f)))

# pkg-config runs once per make, on first use: each of these replaces itself with its value
# the first time it is expanded. Not `:=`, which would run it for `make clean` too and, in
# `make demo`, before `deps` has installed it; not a plain `=`, which ran it once for every
# object compiled (62 runs for a full build).
PKG_CFLAGS   = $(eval PKG_CFLAGS := $$(shell pkg-config --cflags $(PKGS) 2>/dev/null))$(PKG_CFLAGS)
LDLIBS_YAML  = $(eval LDLIBS_YAML := $$(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lyaml) -lm)$(LDLIBS_YAML)
LDLIBS_CHECK = $(eval LDLIBS_CHECK := $$(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lrt -lpthread) -lm)$(LDLIBS_CHECK)
ALL_CFLAGS   = -std=c11 -D_DEFAULT_SOURCE $(WARN) $(CFLAGS) $(SANFLAGS) -I. $(PKG_CFLAGS) $(if $(MPI),-DCSPSIM_MPI)

# The git revision `cspsim --version` names (no output file embeds it); "unknown" outside
# a git tree. $(BUILD)/revision changes only when the revision does, so cli/main.o follows it.
REVISION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)
PREFIX  ?= /usr/local
DESTDIR ?=

CORE_SRC  := $(wildcard sim/*.c model/*.c)
LIB_SRC   := $(CORE_SRC) $(wildcard reports/*.c) $(filter-out sweep/mpi.c,$(wildcard sweep/*.c)) \
             $(if $(MPI),sweep/mpi.c) $(filter-out cli/main.c,$(wildcard cli/*.c))
TEST_SRC  := $(wildcard tests/check_*.c)
BENCH_SRC := $(wildcard bench/*.c)

obj = $(patsubst %.c,$(BUILD)/%.o,$(1))

CSPSIM := $(BUILD)/cspsim
# Every scenario with an expect block: `make scenarios` and valgrind test them all.
EXPECT_SCENARIOS := scenarios/rules/*.yaml scenarios/studies/*.yaml scenarios/training/*.yaml \
                    scenarios/population/*.yaml scenarios/demo.yaml
TESTS  := $(BUILD)/check_cspsim
BENCH  := $(BUILD)/bench_model

.PHONY: all check unit scenarios valgrind determinism mpi mpi-deps golden-update demo bench deps clean install FORCE \
        fuzz fuzz-seeds fuzz-replay fault
all: $(CSPSIM)

$(BUILD)/revision: FORCE
	@mkdir -p $(BUILD)
	@echo '$(REVISION)' | cmp -s - $@ || echo '$(REVISION)' > $@
$(BUILD)/cli/main.o: $(BUILD)/revision
$(BUILD)/cli/main.o: ALL_CFLAGS += -DCSPSIM_REVISION='"$(REVISION)"'

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(CSPSIM): $(call obj,$(LIB_SRC) cli/main.c) $(if $(FAULT),$(BUILD)/tests/fault_hook.o)
	$(CC) $(ALL_CFLAGS) -o $@ $(call obj,$(LIB_SRC) cli/main.c) $(FAULT_LINK) $(LDLIBS_YAML) -pthread

$(TESTS): $(call obj,$(LIB_SRC) $(TEST_SRC))
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS_CHECK) $(LDLIBS_YAML) -pthread

$(BENCH): $(call obj,$(CORE_SRC) $(BENCH_SRC))
	$(CC) $(ALL_CFLAGS) -o $@ $^ -lm

# Open MPI before the first object of the MPI build (mpicc and mpi.h come with it).
ifneq ($(MPI),)
$(call obj,$(LIB_SRC) cli/main.c $(TEST_SRC)): | mpi-deps
endif
mpi-deps:
	@sh scripts/deps.sh mpi
# Fuzz targets (tests/fuzz/fuzz_NAME.c): with libFuzzer (FUZZ=1 build), or with the replay
# main (tests/fuzz/replay.c) in any build, for make check.
FUZZ_TARGETS := load run
$(BUILD)/fuzz_%: $(call obj,$(LIB_SRC)) $(BUILD)/tests/fuzz/fuzz_%.o
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $^ $(LDLIBS_YAML) -pthread
$(BUILD)/replay_%: $(call obj,$(LIB_SRC)) $(BUILD)/tests/fuzz/fuzz_%.o $(BUILD)/tests/fuzz/replay.o
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS_YAML) -pthread
.SECONDARY: $(call obj,$(wildcard tests/fuzz/*.c))

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# Installs the Debian packages the build needs when they are missing (see scripts/deps.sh).
deps:
	@sh scripts/deps.sh

# Unit tests, scenario expectations, the bad-input corpus; then all of it again under
# ASan/UBSan (gcc) and clang's UBSan. Check's summary line and cspsim's "N passed, N failed"
# stay on stdout. A check whose tool is missing prints a "SKIP:" line and appends it to
# $(SKIPS); the last lines count them (each distinct skip with how many flavours had it).
SKIPS = $(abspath $(BUILD))/check-skips.txt
check: export CSPSIM_SKIPS = $(SKIPS)
check: deps
	@mkdir -p $(BUILD) && : >$(SKIPS)
	$(MAKE) SAN= UBSAN_CLANG= BUILD=$(BASE) unit scenarios valgrind
	$(MAKE) SAN=1 UBSAN_CLANG= BUILD=$(BASE)-san unit scenarios
	$(MAKE) SAN= UBSAN_CLANG=1 BUILD=$(BASE)-ubsan-clang unit scenarios
	$(MAKE) BUILD=$(BASE) determinism
	$(MAKE) SAN= UBSAN_CLANG= BUILD=$(BASE) mpi
	$(MAKE) SAN=1 UBSAN_CLANG= BUILD=$(BASE)-san fuzz-replay
	$(MAKE) SAN= UBSAN_CLANG= FAULT=1 BUILD=$(BASE)-fault fault FAULT_MODE=sample
	@n=$$(wc -l <$(SKIPS)); echo "make check: passed, $$n skipped"; sort $(SKIPS) | uniq -c | sed 's/^ */  /'

# libFuzzer targets in build-fuzz/ (clang): fuzz_load (the loader) and fuzz_run (load and
# simulate with invariants). FUZZ_TIME=SECONDS also runs each that long on one core, adding
# what it finds to build-fuzz/corpus-NAME/ (tests/fuzz/README.md: merging into the corpus).
FUZZ_TIME ?=
# -fork=1: one process at a time, fuzzing on past a finding (each saved in build-fuzz/artifacts/)
FUZZ_OPTS = -dict=tests/fuzz/cspsim.dict -use_value_profile=1 -max_len=8192 -timeout=10 -rss_limit_mb=1024 \
            -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1
fuzz:
	$(MAKE) FUZZ=1 BUILD=build-fuzz $(foreach t,$(FUZZ_TARGETS),build-fuzz/fuzz_$(t))
	$(if $(FUZZ_TIME),for t in $(FUZZ_TARGETS); do mkdir -p build-fuzz/corpus-$$t build-fuzz/artifacts && \
	    build-fuzz/fuzz_$$t $(FUZZ_OPTS) -max_total_time=$(FUZZ_TIME) -artifact_prefix=build-fuzz/artifacts/ \
	    build-fuzz/corpus-$$t tests/fuzz/corpus $(wildcard build-fuzz/seeds) || exit 1; done)

# Structure-aware seeds (tests/fuzz/seeds.py): every scenario with one value at a boundary of
# its kind, into build-fuzz/seeds/, which `make fuzz FUZZ_TIME=...` then reads as well.
fuzz-seeds:
	rm -rf build-fuzz/seeds
	python3 tests/fuzz/seeds.py build-fuzz/seeds

# The corpus (tests/fuzz/corpus/) replayed through both targets without libFuzzer: under
# the sanitizer build in make check.
fuzz-replay: $(foreach t,$(FUZZ_TARGETS),$(BUILD)/replay_$(t))
	for t in $(FUZZ_TARGETS); do $(BUILD)/replay_$$t tests/fuzz/corpus || exit 1; done

# Fault loops (tests/fault_loop.sh) with the fault build: every allocation and every write
# failing in turn; make check runs FAULT_MODE=sample. Then the injected invariant breach
# (tests/breach.sh: exit 70, nothing written).
FAULT_MODE ?= full
fault:
	$(MAKE) FAULT=1 BUILD=$(BASE)-fault $(BASE)-fault/cspsim
	sh tests/fault_loop.sh $(BASE)-fault/cspsim $(FAULT_MODE)
	sh tests/breach.sh $(BASE)-fault/cspsim

# Rewrites tests/golden/ from the current simulator: review the diff before committing.
golden-update: $(CSPSIM)
	sh tests/golden.sh $(CSPSIM) --update

# Every scenario x 20 seeds under -O2, -O0 and the sanitizer build of the same compiler:
# byte-identical outputs. The builds are $(BASE)/, $(BASE)-o0/ and $(BASE)-san/, so
# `make CC=clang BUILD=build-clang determinism` compares three clang builds.
determinism:
	$(MAKE) SAN= UBSAN_CLANG= OPT=-O2 BUILD=$(BASE) $(BASE)/cspsim
	$(MAKE) SAN= UBSAN_CLANG= OPT=-O0 BUILD=$(BASE)-o0 $(BASE)-o0/cspsim
	$(MAKE) SAN=1 UBSAN_CLANG= OPT=-O2 BUILD=$(BASE)-san $(BASE)-san/cspsim
	sh tests/determinism.sh 20 $(BASE)/cspsim $(BASE)-o0/cspsim $(BASE)-san/cspsim

# The Open MPI transport: `mpirun --oversubscribe -n 2` of the MPI build against --jobs 1
# of the plain one, byte for byte (tests/mpi.sh). The MPI build is $(BASE)-mpi/.
mpi:
	$(MAKE) MPI=1 SAN= UBSAN_CLANG= BUILD=$(BASE)-mpi $(BASE)-mpi/cspsim
	$(MAKE) MPI= SAN= UBSAN_CLANG= BUILD=$(BASE) $(BASE)/cspsim
	sh tests/mpi.sh $(BASE)-mpi/cspsim $(BASE)/cspsim

unit: $(TESTS) $(CSPSIM)
	CSPSIM=$(CSPSIM) $(TESTS)

scenarios: $(CSPSIM)
	$(CSPSIM) test $(EXPECT_SCENARIOS)
	$(CSPSIM) rules --coverage scenarios/rules/*.yaml scenarios/studies/*.yaml scenarios/demo.yaml
	sh tests/bad_inputs.sh $(CSPSIM)
	sh tests/cli_outputs.sh $(CSPSIM)
	sh tests/atomic.sh $(CSPSIM)
	sh tests/scale.sh $(CSPSIM)
	sh tests/sweep.sh $(CSPSIM)
	sh tests/jobs.sh $(CSPSIM)
	sh tests/step_pty.sh $(CSPSIM)
	sh tests/golden.sh $(CSPSIM)
	sh tests/install.sh $(BUILD)

# The command under valgrind (the sanitizer build covers the unit suites).
valgrind: $(CSPSIM)
	valgrind -q --error-exitcode=9 --leak-check=full $(CSPSIM) test $(EXPECT_SCENARIOS) >/dev/null
	valgrind -q --error-exitcode=9 --leak-check=full $(CSPSIM) run scenarios/demo.yaml -o $(BUILD)/valgrind-demo -q

demo: deps $(CSPSIM)
	$(CSPSIM) run scenarios/demo.yaml -o out/demo
	@cat out/demo/timeline.txt

# bench/bench.sh: `cspsim run` on the reference workload against its SimPy peer (issue 14);
# BENCH_QUICK=1 for 100,000 tenants only, BENCH_FULL=1 to run 1,000,000 whatever it costs.
bench: deps $(BENCH) $(CSPSIM)
	@sh scripts/deps.sh bench
	$(BENCH) $(BENCH_ARGS)
	sh bench/bench_transfer_list.sh $(CSPSIM)
	sh bench/bench_sweep.sh $(CSPSIM)
	sh bench/bench_one_tenant.sh $(CSPSIM)
	sh bench/bench.sh $(CSPSIM)

# The binary, the man page and the shell completions (generated by the built binary from its
# command table) under $(DESTDIR)$(PREFIX); tests/install.sh checks them.
install: $(CSPSIM)
	$(CSPSIM) completion bash > $(BUILD)/cspsim.bash
	$(CSPSIM) completion zsh > $(BUILD)/_cspsim
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions
	install -m 755 $(CSPSIM) $(DESTDIR)$(PREFIX)/bin/cspsim
	install -m 644 docs/cspsim.1 $(DESTDIR)$(PREFIX)/share/man/man1/cspsim.1
	install -m 644 $(BUILD)/cspsim.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/cspsim
	install -m 644 $(BUILD)/_cspsim $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_cspsim

clean:
	rm -rf build build-san build-o0 build-ubsan-clang build-mpi build-fault build-fuzz out
