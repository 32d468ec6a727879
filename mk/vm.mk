# make test-vm: the bats suite inside a VM whose kernel mounts only cgroup v2
# (Debian's cloud kernel under qemu, TCG when there is no KVM), with the same
# binaries, printing the TAP output here and failing when the suite fails.
#
#   sudo make test-vm                             every test file but two (below)
#   sudo make test-vm VM_TESTS=tests/step1-uts.bats   some files
#   sudo make test-vm VM_TESTS=                   the docs' sessions alone
#   make deps-vm                                  qemu, cpio, zstd, kmod, the kernel
#   make clean-vm                                 forget the cache (.cache/vm/)
#
# VM_TIMEOUT (s, default 3600), VM_MEM (2G), VM_SMP (2) reach tools/vm/run.sh.
# VM_JOBS guests (default 2) share the test files (tools/vm/split.sh): TCG
# runs each in one host thread.

VM_DIR := .cache/vm
VM_KERNEL_PACKAGE ?= linux-image-cloud-amd64
# Modules the steps need that the cloud kernel does not build in: step3's
# veth pair, step5's overlay, and loop for the test's own disks in
# tests/step7-io.bats, and tun for --net pasta (tests/step0-user.bats).
# Their dependencies come along (modules.dep).
VM_MODULES ?= veth overlay loop tun
# Every test file but the bad-input table and the build's own checks: the
# table's 144 rows check the option parser, the same code on any kernel,
# and under TCG each test costs ~4 s (about 10 minutes of CI for nothing
# that cgroup v2 changes); tests/build.bats reads the makefiles, which the
# guest does not build with. VM_TESTS=tests/ runs them all.
# tests/doc.bats checks tools/doc-test.py itself, which reads text the same
# way on any kernel, and builds a step from a copy of the sources (no
# compiler in the guest); the guest runs doc-test itself, below.
VM_NOT_IN_GUEST := tests/bad-input.bats tests/build.bats tests/exercises.bats tests/doc.bats
VM_TESTS ?= $(filter-out $(VM_NOT_IN_GUEST),$(sort $(wildcard tests/*.bats)))
# After the bats files the guest runs the docs' console sessions, as make
# test-doc does (DOC_FILES and DOC_CHAPTER narrow them), on its cgroup v2
# layout: the ```console cgroup-v2 blocks run there. VM_DOC=no leaves them
# out (make exports a command line's variables: run.sh must not see that).
VM_DOC ?= yes
VM_JOBS ?= 2
# What of the project goes into the guest, at the same path; what does not
# exist is left out. Object files (obj/, *.o) never go.
# steps.table: the tests read the list of steps from it (tests/helpers.bash).
VM_PROJECT_FILES ?= $(STEPS) $(STEP0) $(ENTER) steps.table skelfs tests $(BUILD)/test-skel build-faults
DEB_VM := qemu-system-x86 cpio zstd kmod

VM_KERNEL := $(VM_DIR)/kernel/version
VM_INITRAMFS := $(VM_DIR)/initramfs.img
VM_CONFIG := $(VM_DIR)/config
# Everything that goes into the guest's root: a change to any rebuilds it.
# Directories are listed too, so that a removed file counts as a change
# (as dir/., since a bare "skelfs" is also a phony target).
VM_INPUTS = $(VM_KERNEL) mk/vm.mk tools/vm/build-initramfs.sh tools/vm/init \
	$(wildcard $(VM_CONFIG)) \
	$(wildcard $(shell git -c safe.directory=$(CURDIR) ls-files -co --exclude-standard 2>/dev/null)) \
	$(shell find $(VM_PROJECT_FILES) -name obj -prune -o -type d -printf '%p/.\n' \
		-o ! -type l ! -name '*.o' -print 2>/dev/null)

.PHONY: deps-vm test-vm vm-image clean-vm

## testing sudo: install qemu, cpio, zstd, kmod and fetch the guest's kernel
deps-vm:
	@bash tools/install-packages.sh $(DEB_VM)
	@$(MAKE) --no-print-directory $(VM_KERNEL)

$(VM_KERNEL): tools/vm/fetch-kernel.sh
	bash tools/vm/fetch-kernel.sh $(VM_DIR)/kernel $(VM_KERNEL_PACKAGE)

## testing: the guest's root, .cache/vm/initramfs.img, from the files built
vm-image: $(VM_INITRAMFS)
$(VM_INITRAMFS): $(VM_INPUTS)
	VM_PROJECT_FILES='$(VM_PROJECT_FILES)' \
		bash tools/vm/build-initramfs.sh $@ $(VM_DIR)/kernel $(CURDIR) $(VM_MODULES)

# First what `make test` builds before it runs bats (TEST_PREREQUISITES, in
# the Makefile). Then the initramfs, in a make of its own, so that its
# prerequisites are listed once they exist; VM_CONFIG changes with the
# variables that shape it.
## testing sudo: the suite in a qemu guest, cgroup v2 only (VM_TESTS=tests/x.bats)
test-vm: deps deps-vm
	$(MAKE) --no-print-directory $(TEST_PREREQUISITES)
	@mkdir -p $(VM_DIR)
	@echo 'modules: $(VM_MODULES); files: $(VM_PROJECT_FILES)' >$(VM_CONFIG).new
	@cmp -s $(VM_CONFIG).new $(VM_CONFIG) && rm $(VM_CONFIG).new || mv $(VM_CONFIG).new $(VM_CONFIG)
	$(MAKE) --no-print-directory vm-image
	$(if $(filter yes,$(VM_DOC)),VM_DOC='$(strip $(DOC_ARGS))',env -u VM_DOC) \
		bash tools/vm/split.sh $(VM_JOBS) $(VM_DIR)/kernel $(VM_INITRAMFS) $(VM_DIR)/test-vm.log $(VM_TESTS)

## cleaning: remove .cache/vm/ (the guest's kernel, initramfs and log)
clean-vm:
	rm -rf $(VM_DIR)
