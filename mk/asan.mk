# asan.mk: the bats suite against steps built with AddressSanitizer and
# UndefinedBehaviorSanitizer.
#
#   sudo make test-asan   build the steps into build-asan/ and run the tests
#                         against them (STEPS=build-asan, SKEL=build-asan/skelfs)
#
# The steps after step5's pivot_root (pivot "after" in steps.table) are
# static in the normal build because the host's libraries are out of reach
# there (the others are static only to start sooner). The sanitizers'
# runtimes cannot be linked statically (gcc and clang refuse -static with
# -fsanitize=address), so here every step is dynamic, and the skeleton
# they pivot into, build-asan/skelfs, is a copy of skelfs/ plus every
# library that ldd lists for the steps after the pivot (libasan, libubsan,
# libcap, libseccomp, libgcc_s...). The steps find it next to their binaries
# through /proc/self/exe; tests that make their own skeleton copy $SKEL.

ASAN_DIR := build-asan
ASAN_CC ?= clang
ASAN_CFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	       -fno-sanitize-recover=all
ASAN_STEPS := $(addprefix $(ASAN_DIR)/step,$(STEP_NUMBERS))
ASAN_AFTER_PIVOT := $(strip $(foreach step,$(STEP_NUMBERS),$(if $(filter after,$(STEP_PIVOT_$(step))),$(step))))
# The suite checks exit statuses, so any report fails the test that caused
# it: ASan exits with 1 (or aborts: status 134), UBSan aborts because of
# -fno-sanitize-recover.
# detect_leaks=0: LeakSanitizer checks at exit, from a tracer thread it
# makes with clone(2). The one step that exits normally is step2's
# supervisor, and after unshare(CLONE_NEWPID) its children go into the
# container's PID namespace, whose init is dead by then: clone fails with
# ENOMEM (pid_namespaces(7)) and LSan aborts ("Failed spawning a tracer
# thread (errno 12)") on every run. The other steps exec instead of
# exiting, which skips the check anyway.
# disable_coredump=0: ASan otherwise sets every sanitized step's soft
# RLIMIT_CORE to 0, which would override step7's --ulimit core=... .
ASAN_OPTIONS_TEST := abort_on_error=1:halt_on_error=1:detect_leaks=0:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1:disable_coredump=0
UBSAN_OPTIONS_TEST := print_stacktrace=1:halt_on_error=1:abort_on_error=1

# asan_skeleton FROM TO: TO becomes a copy of the skeleton FROM plus every
# library ldd lists for the steps after the pivot, at its /usr path (merged /usr, as
# tools/make-skelfs.sh lays it out).
define asan_skeleton
	rm -rf $(2)
	cp -a $(1) $(2)
	@for library in $$(for step in $(ASAN_AFTER_PIVOT); do ldd $(ASAN_DIR)/step$$step; done \
			| awk '$$2 == "=>" && $$3 ~ /^\// { print $$3 } $$1 ~ /^\// { print $$1 }' | sort -u); do \
		case $$library in /usr/*) target=$(2)$$library ;; *) target=$(2)/usr$$library ;; esac; \
		mkdir -p $$(dirname $$target) && cp -L --preserve=mode $$library $$target || exit 1; \
	done
endef

.PHONY: asan test-asan
# CFLAGS from the environment, not the command line, so that the Makefile's
# `CFLAGS +=` (-std=c11 -Wall -Wextra -Werror) still applies; STATIC= makes
# the static steps (all but step3) dynamic. clang links the sanitizer runtimes into each binary,
# so the skeleton only gains libm, libgcc_s, libseccomp (gcc would add
# libasan, libubsan and libstdc++: 13 MB more in every container's tmpfs).
# The test skeleton (mk/test-skel.mk, when there) gets the same
# libraries in $(ASAN_DIR)/test-skel, passed to the tests as TEST_SKEL.
## testing: the steps with ASan and UBSan in build-asan/, and their skeletons
asan: skelfs
	CFLAGS='$(ASAN_CFLAGS)' $(MAKE) --no-print-directory CC=$(ASAN_CC) BUILD=$(ASAN_DIR)/obj \
		BIN=$(ASAN_DIR) STATIC= $(ASAN_STEPS) $(ASAN_DIR)/step0
	$(call asan_skeleton,skelfs,$(ASAN_DIR)/skelfs)
	$(if $(TEST_SKEL),$(MAKE) --no-print-directory test-skel)
	$(if $(TEST_SKEL),$(call asan_skeleton,$(TEST_SKEL),$(ASAN_DIR)/test-skel))
	@echo "asan: steps in $(ASAN_DIR)/, skeletons $$(du -sh $(ASAN_DIR)/*skel* | tr '\t\n' '  ')"

# ./enter is not sanitized: the process that runs its steps 6-9 is outside
# the container's PID namespace, so it has no /proc/self in the container's
# /proc, which the sanitizers' runtime reads (without it, it warns on every
# exec, and hangs if its descriptors are closed). The tests enter the
# sanitized containers with the normal ./enter and its static steps.
# Not the files that run none of the steps: the makefiles' checks, those of
# tools/doc-test.py, and the exercises' grading, which builds its own.
ASAN_NOT_RUN := tests/build.bats tests/doc.bats tests/exercises.bats
## testing sudo: the bats suite against the sanitized steps of make asan
test-asan: deps asan all
	STEPS=$(CURDIR)/$(ASAN_DIR) SKEL=$(CURDIR)/$(ASAN_DIR)/skelfs ENTER=$(CURDIR)/enter \
		$(if $(TEST_SKEL),TEST_SKEL=$(CURDIR)/$(ASAN_DIR)/test-skel) \
		ASAN_OPTIONS=$(ASAN_OPTIONS_TEST) UBSAN_OPTIONS=$(UBSAN_OPTIONS_TEST) \
		bats $(filter-out $(ASAN_NOT_RUN),$(sort $(wildcard tests/*.bats)))
