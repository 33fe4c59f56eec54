# cspsim - one non-recursive Makefile. Objects go under $(BUILD); flavours are variables:
#   make SAN=1          AddressSanitizer + UndefinedBehaviorSanitizer build in build-san/
#   make UBSAN_CLANG=1  clang's UndefinedBehaviorSanitizer (float-cast-overflow included, every
#                       finding fatal) in build-ubsan-clang/
#   make CC=clang       any C11 compiler; OPT=-O0 for a debug build
# Targets: all (build/cspsim), check, demo, bench, deps, clean.

CC      ?= cc
OPT     ?= -O2
SAN     ?=
UBSAN_CLANG ?=
BUILD   ?= build$(if $(SAN),-san)$(if $(UBSAN_CLANG),-ubsan-clang)
PKGS    := yaml-0.1
# The flavours' common stem: check and determinism put the others beside it ($(BASE)-san/ ...).
BASE    := $(patsubst %-ubsan-clang,%,$(patsubst %-san,%,$(BUILD)))

# UBSAN_CLANG=1 means clang unless CC was given (make's built-in default is "cc").
ifneq ($(UBSAN_CLANG),)
ifeq ($(origin CC),default)
CC := clang
endif
endif

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CFLAGS  ?= $(OPT) -g
SAN_ON  := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -DCSPSIM_INVARIANTS
UBSAN_ON := -fsanitize=undefined,float-cast-overflow -fno-sanitize-recover=all -fno-omit-frame-pointer \
            -DCSPSIM_INVARIANTS
SANFLAGS := $(if $(SAN),$(SAN_ON)) $(if $(UBSAN_CLANG),$(UBSAN_ON))

# pkg-config runs once per make, on first use: each of these replaces itself with its value
# the first time it is expanded. Not `:=`, which would run it for `make clean` too and, in
# `make demo`, before `deps` has installed it; not a plain `=`, which ran it once for every
# object compiled (62 runs for a full build).
PKG_CFLAGS   = $(eval PKG_CFLAGS := $$(shell pkg-config --cflags $(PKGS) 2>/dev/null))$(PKG_CFLAGS)
LDLIBS_YAML  = $(eval LDLIBS_YAML := $$(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lyaml) -lm)$(LDLIBS_YAML)
LDLIBS_CHECK = $(eval LDLIBS_CHECK := $$(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lrt -lpthread) -lm)$(LDLIBS_CHECK)
ALL_CFLAGS   = -std=c11 -D_DEFAULT_SOURCE $(WARN) $(CFLAGS) $(SANFLAGS) -I. $(PKG_CFLAGS)

# The git revision `cspsim --version` names (no output file embeds it); "unknown" outside
# a git tree. $(BUILD)/revision changes only when the revision does, so cli/main.o follows it.
REVISION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)
PREFIX  ?= /usr/local
DESTDIR ?=

CORE_SRC  := $(wildcard sim/*.c model/*.c)
LIB_SRC   := $(CORE_SRC) $(wildcard reports/*.c) $(filter-out cli/main.c,$(wildcard cli/*.c))
TEST_SRC  := $(wildcard tests/check_*.c)
BENCH_SRC := $(wildcard bench/*.c)

obj = $(patsubst %.c,$(BUILD)/%.o,$(1))

CSPSIM := $(BUILD)/cspsim
# Every scenario with an expect block: `make scenarios` and valgrind test them all.
EXPECT_SCENARIOS := scenarios/rules/*.yaml scenarios/studies/*.yaml scenarios/training/*.yaml \
                    scenarios/population/*.yaml scenarios/demo.yaml
TESTS  := $(BUILD)/check_cspsim
BENCH  := $(BUILD)/bench_model

.PHONY: all check unit scenarios valgrind determinism golden-update demo bench deps clean install FORCE
all: $(CSPSIM)

$(BUILD)/revision: FORCE
	@mkdir -p $(BUILD)
	@echo '$(REVISION)' | cmp -s - $@ || echo '$(REVISION)' > $@
$(BUILD)/cli/main.o: $(BUILD)/revision
$(BUILD)/cli/main.o: ALL_CFLAGS += -DCSPSIM_REVISION='"$(REVISION)"'

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(CSPSIM): $(call obj,$(LIB_SRC) cli/main.c)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS_YAML)

$(TESTS): $(call obj,$(LIB_SRC) $(TEST_SRC))
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS_CHECK) $(LDLIBS_YAML)

$(BENCH): $(call obj,$(CORE_SRC) $(BENCH_SRC))
	$(CC) $(ALL_CFLAGS) -o $@ $^ -lm

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
	@n=$$(wc -l <$(SKIPS)); echo "make check: passed, $$n skipped"; sort $(SKIPS) | uniq -c | sed 's/^ */  /'

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

unit: $(TESTS) $(CSPSIM)
	CSPSIM=$(CSPSIM) $(TESTS)

scenarios: $(CSPSIM)
	$(CSPSIM) test $(EXPECT_SCENARIOS)
	$(CSPSIM) rules --coverage scenarios/rules/*.yaml scenarios/studies/*.yaml scenarios/demo.yaml
	sh tests/bad_inputs.sh $(CSPSIM)
	sh tests/cli_outputs.sh $(CSPSIM)
	sh tests/atomic.sh $(CSPSIM)
	sh tests/scale.sh $(CSPSIM)
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
	rm -rf build build-san build-o0 build-ubsan-clang out
