# lint.mk: static checks, all of which must come out clean.
#
#   sudo make deps-lint   clang-tidy, cppcheck, shellcheck, clang (and its
#                         sanitizer runtimes for make fuzz), from Debian;
#                         and graphviz, for tests/build.bats's check of
#                         the docs' picture (mk/docs.mk)
#   make lint             cppcheck and clang-tidy over every C file,
#                         shellcheck over the shell scripts and the tests
#
# clang-tidy's checks, and why some are off, are in .clang-tidy.

DEB_LINT := clang clang-tidy cppcheck shellcheck libclang-rt-14-dev
# The test probes (tests/probes/*.c) are not in LINT_C yet: escape.c has
# clang-tidy findings (atoi, unchecked fclose) to fix first.
LINT_C := $(sort $(wildcard common/*.c options/*.c supervisor/*.c $(STEP_FOLDERS:%=%/*.c) \
	step0-user/*.c enter-setns/*.c fuzz/*.c bench/*.c))
LINT_C_DIRS := common options supervisor step0-user $(STEP_FOLDERS) enter-setns fuzz $(wildcard bench/*.c)
# -I$(BUILD): the header made from steps.table (the Makefile), which chain.h includes.
LINT_CFLAGS := -std=c11 -I$(BUILD) $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LINT_SHELL := $(wildcard tools/*.sh tools/vm/* .ci/run bench/*.sh bench/*/*.sh tests/*.bash)
LINT_BATS := $(wildcard tests/*.bats)
# The tests' own false alarms, for bats files only: SC2154, variables that
# bats' `run` assigns (status, output, lines, stderr, stderr_lines); SC2034,
# variables set in a test and read by helpers.bash (HOST_STATE_BEFORE);
# SC2016, single-quoted `sh -c '... $x'` scripts that expand inside the
# container, on purpose; SC2030/SC2031, each @test is a subshell by design.
LINT_BATS_EXCLUDE := SC2154,SC2034,SC2016,SC2030,SC2031

.PHONY: lint lint-cppcheck lint-tidy lint-shell lint-bats deps-lint
# Separate targets, so that `make -k lint` reports every tool's findings.
## checking: cppcheck, clang-tidy and shellcheck; all must come out clean
lint: lint-cppcheck lint-tidy lint-shell lint-bats

# missingIncludeSystem (.cppcheck-suppressions): cppcheck is not given the
# system's include paths, on purpose (it would check glibc, not our code).
## checking: cppcheck over the C files
lint-cppcheck: $(STEPS_HEADER)
	cppcheck --quiet --std=c11 --enable=warning,style,performance,portability \
		--inline-suppr --suppressions-list=.cppcheck-suppressions --error-exitcode=1 \
		-D_GNU_SOURCE -I$(BUILD) $(LINT_C_DIRS)

## checking: clang-tidy over the C files (its checks are in .clang-tidy)
lint-tidy: $(STEPS_HEADER)
	@failed=0; for file in $(LINT_C); do \
		clang-tidy --quiet $$file -- $(LINT_CFLAGS) 2>/dev/null || failed=1; \
	done; exit $$failed

## checking: shellcheck over the shell scripts
lint-shell:
	shellcheck $(LINT_SHELL)

## checking: shellcheck over the test files
lint-bats:
	shellcheck -s bash -e $(LINT_BATS_EXCLUDE) $(LINT_BATS)

## checking sudo: install clang-tidy, cppcheck, shellcheck, clang and its runtimes, graphviz
deps-lint:
	@bash tools/install-packages.sh $(DEB_LINT) $(DEB_DOCS)
