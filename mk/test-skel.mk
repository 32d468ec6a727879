# test-skel.mk: the test skeleton: a copy of skelfs/ with the test programs in
# /usr/local/bin, for the tests that run them inside the container
# (--skel "$PROJECT/build/test-skel", whatever BUILD is). The programs are
# static: the skeleton has only the libraries of its own tools.
TEST_SKEL := build/test-skel
SYSCALL_PROBE := $(TEST_SKEL)/usr/local/bin/syscall-probe
ESCAPE_PROBE := $(TEST_SKEL)/usr/local/bin/escape-probe
# fail-call runs on the host (tests/messages.bats), beside the others so
# that it goes wherever the test skeleton goes (make test-vm, test-asan).
FAIL_CALL := $(TEST_SKEL)/usr/local/bin/fail-call

.PHONY: test-skel
## testing: build/test-skel/: the skeleton plus the probes of tests/probes/
test-skel: $(SYSCALL_PROBE) $(ESCAPE_PROBE) $(FAIL_CALL)

# Copied again whenever make-skelfs.sh has repopulated skelfs/.
$(TEST_SKEL)/.copied: skelfs/.populated
	rm -rf $(TEST_SKEL)
	@mkdir -p $(dir $(TEST_SKEL))
	cp -a skelfs $(TEST_SKEL)
	@touch $@

$(SYSCALL_PROBE): tests/probes/syscalls.c $(TEST_SKEL)/.copied
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Wall -Wextra -Werror -static -o $@ tests/probes/syscalls.c

$(ESCAPE_PROBE): tests/probes/escape.c $(TEST_SKEL)/.copied
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Wall -Wextra -Werror -static -o $@ tests/probes/escape.c

$(FAIL_CALL): tests/probes/fail-call.c $(TEST_SKEL)/.copied
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Wall -Wextra -Werror -static $(shell pkg-config --cflags libseccomp) -o $@ \
		tests/probes/fail-call.c -lseccomp
