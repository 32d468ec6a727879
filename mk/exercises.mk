# exercises.mk: the learner's loop. Each step's exercises are marked blocks
# of its reference source and a section of its exercises.md
# (tools/exercises.py explains the markers); the step's bats file grades
# them (tools/grade.sh).
#
#   make exercise STEP=1     your copy of step1 in exercise/step1-uts/, TODOs
#                            where the exercises are (FORCE=1 overwrites it)
#   sudo make check STEP=1   build the chain with your step1, run its tests,
#                            a verdict per exercise (ID=1.2: only its tests)
#   make hint STEP=1         the next hint of the first unfinished exercise
#   make solution STEP=1     your files kept as .mine, the reference, a diff
#   make reset STEP=1        start over
#   sudo make mutants        every step's list of plausible mistakes applied
#                            one at a time: each must fail its tests
#   sudo make test-exercises the exercises themselves (CI): each TODO
#                            version builds, each undone exercise fails its
#                            tests, and make mutants

EXERCISE_DIR := exercise
EXERCISE_STEPS := $(sort $(foreach file,$(wildcard step*/exercises.md),\
	$(firstword $(subst -, ,$(patsubst step%,%,$(file))))))
# The step's folder (step1-uts) and the learner's copy of it.
step_folder = $(notdir $(patsubst %/,%,$(dir $(wildcard step$(1)-*/exercises.md))))
STEP_FOLDER = $(call step_folder,$(STEP))
LEARNER_COPY = $(EXERCISE_DIR)/$(STEP_FOLDER)

# tools/grade.sh builds a step from a copy: with EXERCISE_SOURCE=DIR, the
# objects of EXERCISE_FOLDER come from DIR (a pattern with a shorter stem
# than Makefile's $(BUILD)/%.o, so make prefers it). The copy includes
# "../common/chain.h" from elsewhere: -iquote common finds it there.
ifneq ($(EXERCISE_SOURCE),)
$(BUILD)/$(EXERCISE_FOLDER)/%.o: $(EXERCISE_SOURCE)/%.c $(COMMON_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -iquote common $(shell pkg-config --cflags $(PKGS)) \
		-c -o $@ $<
endif

.PHONY: exercise check hint solution reset mutants test-exercises

# The others' check of STEP, not a target to type: not .PHONY, since make
# help lists every .PHONY target (tests/build.bats); no such file exists.
exercise-step:
	@[ -n "$(STEP)" ] || { echo "make: say which step: STEP=1 (steps with exercises: $(EXERCISE_STEPS))" >&2; exit 2; }
	@[ -n "$(STEP_FOLDER)" ] || { echo "make: step $(STEP) has no exercises (steps with exercises: $(EXERCISE_STEPS))" >&2; exit 2; }

## exercises: your copy of step STEP in exercise/, with TODOs (FORCE=1 overwrites)
exercise: exercise-step
	@if [ -e $(LEARNER_COPY) ] && [ "$(FORCE)" != 1 ]; then \
		echo "make: $(LEARNER_COPY)/ is there already, with your work: keep going, or FORCE=1 (or make reset STEP=$(STEP)) to start over" >&2; exit 2; fi
	@rm -rf $(LEARNER_COPY)
	@python3 tools/exercises.py write $(STEP) $(LEARNER_COPY)
	@echo "Your copy of $(STEP_FOLDER) is in $(LEARNER_COPY)/. Its exercises:"
	@python3 tools/exercises.py list $(STEP) | awk -F'\t' '{ print "  " $$1 " (" $$2 "): " $$3 }'
	@echo "Read TUTORIAL.md, chapter $(STEP), then fill in each TODO; sudo make check STEP=$(STEP) grades them."

## exercises sudo: build the chain with your step STEP and grade it (ID=N.k: one exercise)
check: exercise-step all test-skel faults
	@[ -d $(LEARNER_COPY) ] || { echo "make: no $(LEARNER_COPY)/ yet: make exercise STEP=$(STEP)" >&2; exit 2; }
	@bash tools/grade.sh $(STEP) $(LEARNER_COPY) $(if $(ID),$(shell python3 tools/exercises.py tag $(ID)))

## exercises: the next hint for the first unfinished exercise of step STEP
hint: exercise-step
	@[ -d $(LEARNER_COPY) ] || { echo "make: no $(LEARNER_COPY)/ yet: make exercise STEP=$(STEP)" >&2; exit 2; }
	@python3 tools/exercises.py hint $(STEP) $(LEARNER_COPY)

## exercises: keep your files as .mine, put the reference in, show the difference
solution: exercise-step
	@[ -d $(LEARNER_COPY) ] || { echo "make: no $(LEARNER_COPY)/ yet: make exercise STEP=$(STEP)" >&2; exit 2; }
	@for file in $(STEP_FOLDER)/*.[ch]; do \
		mine=$(LEARNER_COPY)/$${file##*/}; \
		cmp -s $$file $$mine && continue; \
		[ -e $$mine.mine ] || mv $$mine $$mine.mine; \
		cp $$file $$mine; \
		diff -u --label "yours: $$mine.mine" --label "reference: $$file" $$mine.mine $$file; \
	done; true

## exercises: throw your copy of step STEP away and start over
reset: exercise-step
	rm -rf $(LEARNER_COPY)
	@$(MAKE) --no-print-directory exercise STEP=$(STEP)

## exercises sudo: every plausible mistake of exercises.md must fail its tests
mutants: all test-skel faults
	bash tools/test-exercises.sh $(STEP)

## exercises sudo: the exercises themselves (CI): TODO copies build, undone ones fail
test-exercises: deps all test-skel faults
	bash tools/test-exercises.sh
