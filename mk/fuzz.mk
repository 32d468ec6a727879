# fuzz.mk: libFuzzer targets for the option parsers (fuzz/*.c).
#
#   make fuzz          build the targets into build/fuzz/ and run each for
#                      FUZZ_SECONDS (default 20: nine targets, about 3
#                      minutes in all); fails on a crash or broken property
#   make fuzz-build    only build them
#   make fuzz-NAME     run one target, e.g. make fuzz-options FUZZ_SECONDS=600
#
# Seeds are committed in fuzz/corpus/NAME/; what the fuzzer finds goes to
# build/fuzz/corpus/NAME/ (not committed), a crashing input to
# build/fuzz/crash-NAME-*, which `build/fuzz/fuzz_NAME FILE` replays.
# Needs clang and libclang-rt-14-dev (make deps-lint installs both).

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 20
FUZZ_DIR := $(BUILD)/fuzz
FUZZ_TARGETS := parse_size format_size parse_cidr parse_cpus parse_cpu_list parse_capability valid_hostname \
		parse_ulimit options
FUZZ_BINARIES := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)
# UBSan aborts instead of printing and going on, so libFuzzer sees it.
FUZZ_CFLAGS := -g -O1 -std=c11 -Wall -Wextra -Werror -fno-omit-frame-pointer \
	       -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_LIBRARY := $(FUZZ_DIR)/obj/options/options.o $(FUZZ_DIR)/obj/options/values.o \
		$(FUZZ_DIR)/obj/options/user-namespace.o \
		$(FUZZ_DIR)/obj/common/chain.o $(FUZZ_DIR)/obj/common/delegation.o \
		$(FUZZ_DIR)/obj/supervisor/console.o
# Named, so that make keeps them between runs instead of deleting them as
# intermediate files of the pattern rules.
FUZZ_OBJECTS := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/obj/fuzz/fuzz_%.o) $(FUZZ_LIBRARY)

.PHONY: fuzz fuzz-build $(FUZZ_TARGETS:%=fuzz-%)
## checking: build the libFuzzer targets into build/fuzz/
fuzz-build: $(FUZZ_OBJECTS) $(FUZZ_BINARIES)

$(FUZZ_DIR)/obj/%.o: %.c $(COMMON_HEADERS) $(STEPS_HEADER) fuzz/fuzz.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -I$(BUILD) $(shell pkg-config --cflags libcap) \
		-c -o $@ $<

$(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/obj/fuzz/fuzz_%.o $(FUZZ_LIBRARY)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^ -lcap

# libFuzzer's progress goes to a log; a failure shows its end (the report
# and the saved input), a success its last line.
## checking: run one fuzz target, e.g. make fuzz-options FUZZ_SECONDS=600
$(FUZZ_TARGETS:%=fuzz-%): fuzz-%: $(FUZZ_DIR)/fuzz_%
	@mkdir -p $(FUZZ_DIR)/corpus/$*
	@echo "fuzz: $* for $(FUZZ_SECONDS)s"
	@$(FUZZ_DIR)/fuzz_$* -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=1024 \
		-artifact_prefix=$(FUZZ_DIR)/crash-$*- \
		$(FUZZ_DIR)/corpus/$* fuzz/corpus/$* >$(FUZZ_DIR)/$*.log 2>&1 \
		|| { tail -n 40 $(FUZZ_DIR)/$*.log; echo "fuzz: $* FAILED (log: $(FUZZ_DIR)/$*.log)"; exit 1; }
	@grep -E '^Done [0-9]+ runs' $(FUZZ_DIR)/$*.log | sed 's/^/fuzz: $*: /'

# One after another: the machine may be running containers too.
## checking: run every fuzz target for FUZZ_SECONDS (default 20) each
fuzz: fuzz-build
	@for target in $(FUZZ_TARGETS); do $(MAKE) --no-print-directory fuzz-$$target || exit 1; done
