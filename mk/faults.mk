# make faults: the steps built with -DFAULT_INJECTION into build-faults/,
# where CHAIN_FAULT=<point> makes a step die at that point (fault_point()).
# tests/faults.bats runs them to prove that nothing is left behind.
FAULTS_DIR := build-faults

.PHONY: faults
## testing: the steps with fault points (CHAIN_FAULT=...) in build-faults/
faults:
	$(MAKE) --no-print-directory BUILD=$(FAULTS_DIR)/obj BIN=$(FAULTS_DIR) \
		EXTRA_CFLAGS=-DFAULT_INJECTION $(addprefix $(FAULTS_DIR)/step,$(STEP_NUMBERS)) \
		$(FAULTS_DIR)/enter
	ln -sfn ../skelfs $(FAULTS_DIR)/skelfs
