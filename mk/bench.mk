# bench.mk: how long the chain takes to start, and where the time goes.
#
#   sudo make deps-bench   hyperfine, crun, runc, rsync, strace (Debian packages)
#   sudo make bench        time the chain, its prefixes and the others;
#                          writes bench/RESULTS.md and bench/layers.svg
#   make bench-clean       remove bench/.work (cached skeletons, bundles)
#
# BENCH_RUNS runs per command (in BENCH_ROUNDS rounds), BENCH_WARMUP warm-up
# runs before each round. See bench/README.md.

DEB_BENCH := hyperfine crun runc rsync strace util-linux iproute2 python3
BENCH_WORK := bench/.work
BENCH_RUNS ?= 30
BENCH_WARMUP ?= 5
BENCH_ROUNDS ?= 3

.PHONY: bench deps-bench bench-clean
## benchmarking sudo: install hyperfine, crun, runc, rsync, strace
deps-bench:
	@bash tools/install-packages.sh $(DEB_BENCH)

$(BENCH_WORK)/floor: bench/floor.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -std=c11 -Wall -Wextra -Werror -o $@ $<

$(BENCH_WORK)/probe: bench/probe.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -std=c11 -Wall -Wextra -Werror -o $@ $<

# x86-64 only (bench/true-nolibc.c makes its system call by hand).
ifeq ($(shell uname -m),x86_64)
BENCH_NOLIBC := $(BENCH_WORK)/true-nolibc
endif
$(BENCH_WORK)/true-nolibc: bench/true-nolibc.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -std=c11 -Wall -Wextra -Werror -static -nostdlib -o $@ $<

## benchmarking sudo: time the chain and others into bench/RESULTS.md, layers.svg
bench: deps-bench all $(BENCH_WORK)/floor $(BENCH_WORK)/probe $(BENCH_NOLIBC)
	BENCH_RUNS=$(BENCH_RUNS) BENCH_WARMUP=$(BENCH_WARMUP) BENCH_ROUNDS=$(BENCH_ROUNDS) \
		bash bench/bench.sh

## cleaning: remove bench/.work (cached skeletons, bundles, raw results)
bench-clean:
	rm -rf $(BENCH_WORK)
