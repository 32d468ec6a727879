#!/usr/bin/env bats
# The build describes itself: `make help` lists every target a user may type
# (every .PHONY target of the Makefile and mk/*.mk; file targets such as
# ./step1 or build/... are internal), each with its line, and `make test`
# takes what it builds from TEST_PREREQUISITES alone. Reads make's database
# (make -pRrq runs no recipe), so it needs neither root nor a container.

load helpers

# Nothing here starts a container: no host state to compare.
setup() { :; }

# make_database: the rules and variables make reads, after parsing.
make_database() {
	make --no-print-directory -C "$PROJECT" -pRrq help 2>/dev/null || true
}

# phony_targets: one per line, as make expands them.
phony_targets() {
	make_database | sed -n 's/^\.PHONY: //p' | tr ' ' '\n' | grep -v '^$' | sort -u
}

# help_targets: the target of each line of `make help`, NAME left as is.
help_targets() {
	make --no-print-directory -C "$PROJECT" help | sed -n 's/^  \(sudo \)\{0,1\}make \([^ ]*\) .*/\2/p'
}

@test "make help: lists every target of the makefiles, each with its line" {
	run --separate-stderr make --no-print-directory -C "$PROJECT" help
	assert_success
	assert_equal "$stderr" ""
	local help=$output target missing=()
	while read -r target; do
		# fuzz-options is listed as fuzz-NAME.
		grep -qE "^  (sudo )?make ($target|${target%%-*}-NAME) +[^ ]" <<<"$help" || missing+=("$target")
	done < <(phony_targets)
	echo "# not in make help: ${missing[*]}"
	assert_equal "${#missing[@]}" 0
	[ "$(phony_targets | wc -l)" -ge 26 ]
}

@test "make help: every target it names is a target of the makefiles" {
	local phony target unknown=()
	phony=$(phony_targets)
	while read -r target; do
		grep -qxE "${target/NAME/.+}" <<<"$phony" || unknown+=("$target")
	done < <(help_targets)
	echo "# in make help, not a target: ${unknown[*]}"
	assert_equal "${#unknown[@]}" 0
	[ "$(help_targets | wc -l)" -ge 20 ]
}

@test "make help: a description above no rule is refused, naming its line" {
	local makefile=$BATS_TEST_TMPDIR/broken.mk
	printf '## testing: built from nothing\nVARIABLE := value\n' >"$makefile"
	run --separate-stderr awk -f "$PROJECT/tools/make-help.awk" "$makefile"
	assert_failure
	assert_equal "$stderr" "make-help: $makefile:1: a description above no rule"
	printf '## nonsense: a group that does not exist\nsomething:\n' >"$makefile"
	run --separate-stderr awk -f "$PROJECT/tools/make-help.awk" "$makefile"
	assert_failure
	assert_equal "$stderr" "make-help: $makefile:1: no such group: nonsense"
}

@test "make test: builds TEST_PREREQUISITES, and no makefile adds to test's prerequisites" {
	local database listed target
	database=$(make_database)
	# The rule: deps only, the rest comes from the variable in its recipe.
	run sed -n 's/^test: *//p' <<<"$database"
	assert_output "deps"
	listed=$(sed -n 's/^TEST_PREREQUISITES := //p' <<<"$database")
	echo "# TEST_PREREQUISITES: $listed"
	[ -n "$listed" ]
	for target in $listed; do
		grep -qxF "$target" <(phony_targets)
	done
	# make test-vm builds the same list, not a copy of it.
	run grep -c 'TEST_PREREQUISITES' "$PROJECT/mk/vm.mk"
	[ "$output" -ge 1 ]
	run grep -n -- '-pRrq' "$PROJECT/mk/vm.mk"
	assert_failure
}
