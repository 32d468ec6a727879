# Containers - a look under the hood, in C.
#
#   make            build the steps (./step1, ./step2, ...) and the skeleton's tools
#   sudo make run   the container (deps, build, skeleton, then ./step1)
#   sudo make test  the bats suite on this kernel
#   make help       every target, with what it does
#
# Every target a user may type has a line "## GROUP: what it does" right
# above its rule, here and in mk/*.mk; `make help` prints them
# (tools/make-help.awk) and tests/build.bats checks that none is missing.
#
# The steps are the rows of steps.table, the one list of them: their
# folders, libraries, what each needs, and why each is static or dynamic.
# Steps after step5's pivot_root must be static (DESIGN.md); the others are
# static too where they can be, because without the dynamic loader each
# starts sooner (bench/RESULTS.md compares a dynamic and a static `true`).

CC ?= cc
CFLAGS ?= -O2 -g
CFLAGS += -std=c11 -Wall -Wextra -Werror $(EXTRA_CFLAGS)
BUILD ?= build
# Where the step binaries go: the top of the checkout, or a test variant's directory.
BIN ?= .
STATIC ?= -static

PKGS := libcap libseccomp libmnl
DEB_BUILD := build-essential pkg-config libcap-dev libseccomp-dev libmnl-dev python3
DEB_RUN := bats bats-support bats-assert iproute2 iputils-ping procps kmod uidmap
# Only for --net pasta (./step0), where the distribution has it.
DEB_RUN_OPTIONAL := passt

# Every step: the command line (options/), errors, narration and hand-over
# (common/), and the container's
# end of the supervisor's terminal, which whichever step is last takes
# (supervisor/console.c). step2 and step7 start the supervisor: they also
# link the rest of supervisor/ (supervisor/README.md).
COMMON_SOURCES := common/chain.c common/delegation.c options/options.c options/values.c \
		  options/user-namespace.c supervisor/console.c
SUPERVISOR_SOURCES := supervisor/supervise.c supervisor/lock.c supervisor/cgroup.c \
		      supervisor/relay.c supervisor/names.c supervisor/pasta.c
COMMON_HEADERS := common/chain.h options/options.h supervisor/supervisor.h supervisor/cgroup.h \
		  supervisor/lock.h supervisor/relay.h supervisor/names.h
COMMON_OBJECTS := $(COMMON_SOURCES:%.c=$(BUILD)/%.o)
SUPERVISOR_OBJECTS := $(SUPERVISOR_SOURCES:%.c=$(BUILD)/%.o)

# What `make test` builds before it runs bats, in this one place (make
# test-vm builds the same for the guest): the steps and the skeleton, the
# test skeleton with the probes (mk/test-skel.mk), and the steps with fault
# points (mk/faults.mk).
TEST_PREREQUISITES := all test-skel faults

# steps.table as make variables, one word of tools/steps.awk's output per
# assignment: STEP_NUMBERS (1 2 3 ...) and, for each step N, STEP_FOLDER_N,
# STEP_PIVOT_N, STEP_LINK_N, STEP_LIBS_N (-lcap ...), STEP_NEEDS_N.
$(foreach assignment,$(shell awk -f tools/steps.awk -v output=make steps.table),$(eval $(assignment)))
$(if $(STEP_NUMBERS),,$(error steps.table: no steps (tools/steps.awk says why above)))
STEPS := $(addprefix $(BIN)/step,$(STEP_NUMBERS))
STEP_FOLDERS := $(foreach step,$(STEP_NUMBERS),$(STEP_FOLDER_$(step)))
ENTER := $(BIN)/enter
STEP0 := $(BIN)/step0

.PHONY: all deps run test clean skelfs help
## running: the steps of steps.table (./step1 ...), ./step0, ./enter and the skeleton (the default)
all: $(STEPS) $(STEP0) $(ENTER) skelfs

## running: this list
help:
	@awk -f tools/make-help.awk $(filter Makefile mk/%.mk,$(MAKEFILE_LIST))

# steps.table as C: LAST_STEP, FOR_EACH_STEP() and --help's list of steps,
# which common/chain.h includes.
STEPS_HEADER := $(BUILD)/steps.h
$(STEPS_HEADER): steps.table tools/steps.awk
	@mkdir -p $(dir $@)
	awk -f tools/steps.awk -v output=c steps.table >$@.new && mv $@.new $@

$(BUILD)/%.o: %.c $(COMMON_HEADERS) $(STEPS_HEADER)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -I$(BUILD) $(shell pkg-config --cflags $(PKGS)) -c -o $@ $<

# The list step8 compiles in (made by tools/seccomp-allowlist.py, committed),
# and the header of its rules on arguments.
$(BUILD)/step8-seccomp/step8-seccomp.o: step8-seccomp/allowed-calls.h step8-seccomp/argument-masks.h
$(BUILD)/step8-seccomp/argument-masks.o: step8-seccomp/argument-masks.h

# ./stepN: every .c of its folder, the shared objects, supervisor/ if its
# row needs it, static unless its row says dynamic, and its row's libraries.
define step_rule
$(BIN)/step$(1): $(patsubst %.c,$(BUILD)/%.o,$(wildcard $(STEP_FOLDER_$(1))/*.c)) $(COMMON_OBJECTS) \
		$(if $(filter supervisor,$(STEP_NEEDS_$(1))),$(SUPERVISOR_OBJECTS))
	$$(CC) $$(CFLAGS) $$(LDFLAGS) $(if $(filter static,$(STEP_LINK_$(1))),$$(STATIC)) -o $$@ $$^ $(STEP_LIBS_$(1))
endef
$(foreach step,$(STEP_NUMBERS),$(eval $(call step_rule,$(step))))

# ./step0: before the chain, for a user without root (step0-user/README.md):
# a user namespace, then ./step1. Not a row of steps.table: the chain does
# not need it, and run as root it is not there. Dynamic, for getpwuid(3).
$(STEP0): $(patsubst %.c,$(BUILD)/%.o,$(wildcard step0-user/*.c)) $(COMMON_OBJECTS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ -lcap

# ./enter: not a step of the chain but beside it (enter-setns/README.md);
# it links the supervisor, whose part it plays for the process it starts.
$(ENTER): $(patsubst %.c,$(BUILD)/%.o,$(wildcard enter-setns/*.c)) $(COMMON_OBJECTS) \
		$(SUPERVISOR_OBJECTS)
	$(CC) $(CFLAGS) $(LDFLAGS) $(STATIC) -o $@ $^ -lcap

$(BUILD)/enter-setns/%.o: enter-setns/enter.h supervisor/names.h

# The skeleton: committed fixed files, plus the host's tools and their
# libraries (gitignored), refreshed when the list of tools changes.
## running: skelfs/, the container's root: fixed files plus the host's tools
skelfs: skelfs/.populated
skelfs/.populated: tools/make-skelfs.sh
	bash tools/make-skelfs.sh skelfs
	@touch $@

## running sudo: install the Debian packages to build, run and test, if missing
deps:
	@bash tools/install-packages.sh $(DEB_BUILD) $(DEB_RUN) --if-available $(DEB_RUN_OPTIONAL)

## running sudo: the container: deps, the build, then ./step1
run: deps
	$(MAKE) all
	./step1

## testing sudo: the bats suite on this kernel, after deps and TEST_PREREQUISITES
test: deps
	$(MAKE) --no-print-directory $(TEST_PREREQUISITES)
	bats tests/

## cleaning: remove build/, the steps (./step1 ...), ./enter, the host's tools in skelfs/
clean:
	rm -rf $(BUILD) $(STEPS) $(ENTER)
	bash tools/make-skelfs.sh --clean skelfs

-include mk/*.mk
