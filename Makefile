# Containers - a look under the hood, in C.
#
#   make            build ./step1 ... ./step8 and the skeleton's tools
#   sudo make run   the container (deps, build, skeleton, then ./step1)
#   sudo make test  the bats suite on this kernel
#   make help       every target, with what it does
#
# Every target a user may type has a line "## GROUP: what it does" right
# above its rule, here and in mk/*.mk; `make help` prints them
# (tools/make-help.awk) and tests/build.bats checks that none is missing.
#
# Steps 6-8 run after step5 has replaced the root with the skeleton, where
# the host's libraries are out of reach, so they must be linked statically
# (DESIGN.md). Steps 1, 2, 4 and 5 are static too: without the dynamic
# loader each starts sooner (bench/RESULTS.md compares a dynamic and a
# static `true`), and the chain starts eight programs. step3 is dynamic:
# Debian ships no static libmnl.

CC ?= cc
CFLAGS ?= -O2 -g
CFLAGS += -std=c11 -Wall -Wextra -Werror $(EXTRA_CFLAGS)
BUILD ?= build
# Where the step binaries go: the top of the checkout, or a test variant's directory.
BIN ?= .
STATIC ?= -static

PKGS := libcap libseccomp libmnl
DEB_BUILD := build-essential pkg-config libcap-dev libseccomp-dev libmnl-dev
DEB_RUN := bats bats-support bats-assert iproute2 iputils-ping procps kmod

# Every step: the command line (options/), errors, narration and hand-over
# (common/), and the container's
# end of the supervisor's terminal, which whichever step is last takes
# (supervisor/console.c). step2 and step7 start the supervisor: they also
# link the rest of supervisor/ (supervisor/README.md).
COMMON_SOURCES := common/chain.c options/options.c options/values.c supervisor/console.c
SUPERVISOR_SOURCES := supervisor/supervise.c supervisor/lock.c supervisor/cgroup.c \
		      supervisor/relay.c
COMMON_HEADERS := common/chain.h options/options.h supervisor/supervisor.h supervisor/cgroup.h \
		  supervisor/lock.h supervisor/relay.h
COMMON_OBJECTS := $(COMMON_SOURCES:%.c=$(BUILD)/%.o)
SUPERVISOR_OBJECTS := $(SUPERVISOR_SOURCES:%.c=$(BUILD)/%.o)

# What `make test` builds before it runs bats, in this one place (make
# test-vm builds the same for the guest): the steps and the skeleton, the
# test skeleton with the probes (mk/test-skel.mk), and the steps with fault
# points (mk/faults.mk).
TEST_PREREQUISITES := all test-skel faults

STEPS := $(BIN)/step1 $(BIN)/step2 $(BIN)/step3 $(BIN)/step4 $(BIN)/step5 \
	 $(BIN)/step6 $(BIN)/step7 $(BIN)/step8

.PHONY: all deps run test clean skelfs help
## running: the steps ./step1 ... ./step8 and the skeleton (the default)
all: $(STEPS) skelfs

## running: this list
help:
	@awk -f tools/make-help.awk $(filter Makefile mk/%.mk,$(MAKEFILE_LIST))

$(BUILD)/%.o: %.c $(COMMON_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(shell pkg-config --cflags $(PKGS)) -c -o $@ $<

# The list step8 compiles in (made by tools/seccomp-allowlist.py, committed),
# and the header of its rules on arguments.
$(BUILD)/step8-seccomp/step8-seccomp.o: step8-seccomp/allowed-calls.h step8-seccomp/argument-masks.h
$(BUILD)/step8-seccomp/argument-masks.o: step8-seccomp/argument-masks.h

$(BIN)/step1: $(BUILD)/step1-uts/step1-uts.o $(COMMON_OBJECTS)
	$(CC) $(CFLAGS) $(LDFLAGS) $(STATIC) -o $@ $^ -lcap
$(BIN)/step2: $(BUILD)/step2-pid/step2-pid.o $(COMMON_OBJECTS) $(SUPERVISOR_OBJECTS)
	$(CC) $(CFLAGS) $(LDFLAGS) $(STATIC) -o $@ $^ -lcap
$(BIN)/step3: $(BUILD)/step3-net/step3-net.o $(BUILD)/step3-net/netlink.o $(COMMON_OBJECTS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ -lcap -lmnl
$(BIN)/step4: $(BUILD)/step4-mnt/step4-mnt.o $(COMMON_OBJECTS)
	$(CC) $(CFLAGS) $(LDFLAGS) $(STATIC) -o $@ $^ -lcap
$(BIN)/step5: $(BUILD)/step5-rootfs/step5-rootfs.o $(BUILD)/step5-rootfs/copy.o \
		   $(BUILD)/step5-rootfs/dev.o $(BUILD)/step5-rootfs/mounts.o $(COMMON_OBJECTS)
	$(CC) $(CFLAGS) $(LDFLAGS) $(STATIC) -o $@ $^ -lcap
$(BIN)/step6: $(BUILD)/step6-caps/step6-caps.o $(COMMON_OBJECTS)
	$(CC) $(CFLAGS) $(LDFLAGS) $(STATIC) -o $@ $^ -lcap
$(BIN)/step7: $(BUILD)/step7-cgroup/step7-cgroup.o $(BUILD)/step7-cgroup/rlimits.o \
		   $(BUILD)/step7-cgroup/guarantees.o $(BUILD)/step7-cgroup/io.o \
		   $(BUILD)/step7-cgroup/cgroup-files.o $(COMMON_OBJECTS) $(SUPERVISOR_OBJECTS)
	$(CC) $(CFLAGS) $(LDFLAGS) $(STATIC) -o $@ $^ -lcap
$(BIN)/step8: $(BUILD)/step8-seccomp/step8-seccomp.o $(BUILD)/step8-seccomp/argument-masks.o \
		   $(COMMON_OBJECTS)
	$(CC) $(CFLAGS) $(LDFLAGS) $(STATIC) -o $@ $^ -lseccomp -lcap

# The skeleton: committed fixed files, plus the host's tools and their
# libraries (gitignored), refreshed when the list of tools changes.
## running: skelfs/, the container's root: fixed files plus the host's tools
skelfs: skelfs/.populated
skelfs/.populated: tools/make-skelfs.sh
	bash tools/make-skelfs.sh skelfs
	@touch $@

## running sudo: install the Debian packages to build, run and test, if missing
deps:
	@bash tools/install-packages.sh $(DEB_BUILD) $(DEB_RUN)

## running sudo: the container: deps, the build, then ./step1
run: deps
	$(MAKE) all
	./step1

## testing sudo: the bats suite on this kernel, after deps and TEST_PREREQUISITES
test: deps
	$(MAKE) --no-print-directory $(TEST_PREREQUISITES)
	bats tests/

## cleaning: remove build/, ./step1 ... ./step8, the host's tools in skelfs/
clean:
	rm -rf $(BUILD) $(STEPS)
	bash tools/make-skelfs.sh --clean skelfs

-include mk/*.mk
