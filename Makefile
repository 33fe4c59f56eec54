# cspsim - one non-recursive Makefile. Objects go under $(BUILD); flavours are variables:
#   make SAN=1      AddressSanitizer + UndefinedBehaviorSanitizer build in build-san/
#   make CC=clang   any C11 compiler; OPT=-O0 for a debug build
# Targets: all (build/cspsim), check, demo, bench, deps, clean.

CC      ?= cc
OPT     ?= -O2
SAN     ?=
BUILD   ?= build$(if $(SAN),-san)
PKGS    := yaml-0.1

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CFLAGS  ?= $(OPT) -g
SAN_ON  := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -DCSPSIM_INVARIANTS
SANFLAGS := $(if $(SAN),$(SAN_ON))
ALL_CFLAGS = -std=c11 -D_DEFAULT_SOURCE $(WARN) $(CFLAGS) $(SANFLAGS) -I. \
             $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS_YAML  = $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lyaml) -lm
LDLIBS_CHECK = $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lrt -lpthread) -lm

CORE_SRC  := $(wildcard sim/*.c model/*.c)
LIB_SRC   := $(CORE_SRC) $(wildcard reports/*.c) $(filter-out cli/main.c,$(wildcard cli/*.c))
TEST_SRC  := $(wildcard tests/check_*.c)
BENCH_SRC := $(wildcard bench/*.c)

obj = $(patsubst %.c,$(BUILD)/%.o,$(1))

CSPSIM := $(BUILD)/cspsim
TESTS  := $(BUILD)/check_cspsim
BENCH  := $(BUILD)/bench_model

.PHONY: all check unit scenarios valgrind determinism golden-update demo bench deps clean
all: $(CSPSIM)

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
# ASan/UBSan. Check's summary line and cspsim's "N passed, N failed" stay on stdout.
check: deps
	$(MAKE) unit scenarios valgrind
	$(MAKE) SAN=1 unit scenarios
	$(MAKE) determinism

# Rewrites tests/golden/ from the current simulator: review the diff before committing.
golden-update: $(CSPSIM)
	sh tests/golden.sh $(CSPSIM) --update

# Every scenario x 20 seeds under -O0, -O2 and the sanitizer build: byte-identical outputs.
determinism:
	$(MAKE) build/cspsim
	$(MAKE) BUILD=build-o0 OPT=-O0 build-o0/cspsim
	$(MAKE) SAN=1 build-san/cspsim
	sh tests/determinism.sh 20 build/cspsim build-o0/cspsim build-san/cspsim

unit: $(TESTS) $(CSPSIM)
	CSPSIM=$(CSPSIM) $(TESTS)

scenarios: $(CSPSIM)
	$(CSPSIM) test scenarios/rules/*.yaml scenarios/studies/*.yaml scenarios/training/*.yaml scenarios/demo.yaml
	$(CSPSIM) rules --coverage scenarios/rules/*.yaml scenarios/studies/*.yaml scenarios/demo.yaml
	sh tests/bad_inputs.sh $(CSPSIM)
	sh tests/cli_outputs.sh $(CSPSIM)
	sh tests/step_pty.sh $(CSPSIM)
	sh tests/golden.sh $(CSPSIM)

# The command under valgrind (the sanitizer build covers the unit suites).
valgrind: $(CSPSIM)
	valgrind -q --error-exitcode=9 --leak-check=full $(CSPSIM) test scenarios/rules/*.yaml scenarios/studies/*.yaml scenarios/demo.yaml >/dev/null
	valgrind -q --error-exitcode=9 --leak-check=full $(CSPSIM) run scenarios/demo.yaml -o $(BUILD)/valgrind-demo -q

demo: deps $(CSPSIM)
	$(CSPSIM) run scenarios/demo.yaml -o out/demo
	@cat out/demo/timeline.txt

bench: deps $(BENCH)
	$(BENCH) $(BENCH_ARGS)

clean:
	rm -rf build build-san build-o0 out
