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

# --- steps.table: the one list of the steps ------------------------------------------------

# table_rows: "number folder pivot link libs needs first-word-of-help" per row.
table_rows() { awk '!/^[ \t]*(#|$)/ { print $1, $2, $3, $4, $5, $6, $7 }' "$PROJECT/steps.table"; }

@test "steps.table: its rows are the step folders there are, numbered 1 to the last in order" {
	local folders
	# step0-user is before the chain, not a row of it (DESIGN.md).
	folders=$(cd "$PROJECT" && printf '%s\n' step*-*/ | tr -d / | grep -vx step0-user | sort -V)
	assert_equal "$(table_rows | cut -d' ' -f2)" "$folders"
	assert_equal "$(table_rows | cut -d' ' -f1)" "$(seq 1 "$LAST_STEP")"
	assert_equal "${STEP_FOLDERS[1]}" step1-uts
	[ "$LAST_STEP" -ge 8 ]
}

@test "steps.table: --until takes 1 to the last row, and refuses the next naming the last" {
	local step
	for ((step = 1; step <= LAST_STEP; step++)); do
		run "$STEPS/step1" --until "$step" --help
		assert_success
	done
	run --separate-stderr "$STEPS/step1" --until $((LAST_STEP + 1)) true
	assert_failure 2
	assert_equal "$stderr" "step1-uts: --until: '$((LAST_STEP + 1))' is not a step number from 1 to $LAST_STEP (see step1-uts --help)"
}

@test "steps.table: --help lists every row in order, each with its description" {
	local number folder word
	run "$STEPS/step1" --help
	assert_success
	assert_equal "$(grep -oE '^  step[0-9]+-[a-z0-9]+ ' <<<"$output" | tr -d ' ')" \
		"$(table_rows | cut -d' ' -f2)"
	while read -r number folder _ _ _ _ word; do
		assert_line --regexp "^  $folder +$word( |$)"
	done < <(table_rows)
}

@test "steps.table: make all links one binary per row, from every .c of its folder, static as its row says" {
	local bin=$BATS_TEST_TMPDIR/bin build=$BATS_TEST_TMPDIR/build links line source object
	local number folder pivot link libs needs _
	run --separate-stderr make --no-print-directory -C "$PROJECT" -n -B BIN="$bin" BUILD="$build" all
	assert_success
	links=$(grep -E -- " -o $bin/step[0-9]+ " <<<"$output" | grep -vF -- " -o $bin/step0 ")
	assert_equal "$(grep -c . <<<"$links")" "$LAST_STEP"
	# ./step0, beside the rows: its own folder, dynamic (getpwuid(3)).
	line=$(grep -E -- " -o $bin/step0 " <<<"$output")
	[[ $line == *" $build/step0-user/step0-user.o "* && $line != *" -static "* ]] || fail "step0: $line"
	while read -r number folder pivot link libs needs _; do
		line=$(grep -E -- " -o $bin/step$number " <<<"$links")" "
		for source in "$PROJECT/$folder"/*.c; do
			object=$build/${source#"$PROJECT/"}
			[[ $line == *" ${object%.c}.o "* ]] || fail "step$number does not link ${object%.c}.o: $line"
		done
		[[ $line == *" $build/common/chain.o "* ]]
		[[ $line == *" -l${libs//,/ -l} "* ]] || fail "step$number does not link $libs last: $line"
		if [ "$link" = static ]; then
			[[ $line == *" -static "* ]]
		else
			[[ $line != *" -static "* ]]
		fi
		if [[ ,$needs, == *,supervisor,* ]]; then
			[[ $line == *" $build/supervisor/supervise.o "* ]]
		else
			[[ $line != *" $build/supervisor/supervise.o "* ]]
		fi
		[ "$pivot" = before ] || [ "$link" = static ]
	done < <(table_rows)
}

@test "steps.table: tools/steps.awk refuses a row that breaks the header's rules, naming its line" {
	local table=$BATS_TEST_TMPDIR/steps.table
	refused() { # refused ROWS MESSAGE
		printf '# a comment\n%b' "$1" >"$table"
		run --separate-stderr awk -f "$PROJECT/tools/steps.awk" -v output=c "$table"
		assert_failure
		assert_output ""
		assert_equal "$stderr" "$table:$2"
	}
	refused '1 step1-uts before static cap - one\n3 step3-net before static cap - two\n' \
		'3: step 3 where step 2 comes next (rows go 1, 2, 3... in order)'
	refused '1 step2-uts before static cap - one\n' \
		'2: folder step2-uts: not step1-NAME, NAME in lower-case letters and digits'
	refused '1 step1-uts after dynamic cap - one\n' \
		'2: link dynamic after the pivot: the host'"'"'s loader and libraries are out of reach there'
	refused '1 step1-uts after static cap - one\n2 step2-pid before static cap - two\n' \
		'3: pivot before, but step1 comes after the pivot already'
	refused '1 step1-averylongname before static cap - one\n' \
		"2: folder step1-averylongname: longer than 15 characters, the kernel's limit for a process name"
	refused '1 step1-uts before static cap network one\n' \
		'2: needs network: one of supervisor, skeleton, cgroup, or -'
	refused '1 step1-uts before static cap -\n' \
		'2: a row has 7 columns: step folder pivot link libs needs help'
}

@test "steps.table: no other file of the build, the chain or the tests lists the steps" {
	# A glob of the numbers, a loop over them, the C constant, a C list of names.
	run grep -rnIE --exclude-dir=.work 'step\[1-[0-9]\]|[1] 2 3 4 5 6 7 8|define LAST_STEP [0-9]|"step[0-9]-[a-z]+", *"step' \
		"$PROJECT"/{Makefile,mk,common,options,supervisor,tools,tests,fuzz,bench,.gitignore,.clang-tidy}
	echo "$output"
	assert_failure 1
}

# --- docs/chain.svg: the picture of the chain ----------------------------------------------

@test "make diagram: docs/chain.svg is what docs/chain.dot makes [with dot]" {
	command -v dot >/dev/null || skip "dot is not installed: sudo make deps-docs (graphviz)"
	local made=$BATS_TEST_TMPDIR/chain.svg
	run make --no-print-directory -C "$PROJECT" diagram DIAGRAM_SVG="$made"
	assert_success
	# A stale picture differs from the one its source makes now; file
	# times cannot tell, since a checkout gives both files the same.
	run diff -u "$PROJECT/docs/chain.svg" "$made"
	echo "# docs/chain.svg is not what docs/chain.dot makes: make diagram, then commit both"
	echo "# this machine's dot: $(dot -V 2>&1); the committed picture: $(grep -m1 -o 'graphviz version [^-]*' "$PROJECT/docs/chain.svg")"
	assert_success
}

@test "make apparmor-profile: step0's profile names this checkout's step0 by its absolute path, and allows userns" {
	run make --no-print-directory -C "$PROJECT" apparmor-profile APPARMOR_PROFILE_FILE="$BATS_TEST_TMPDIR/profile"
	assert_success
	run grep -v '^ *#' "$BATS_TEST_TMPDIR/profile"
	assert_line "profile under-the-hood-step0 \"$(realpath -m "$PROJECT/step0")\" flags=(unconfined) {"
	assert_line '  userns,'
}

@test "make apparmor: where the kernel restricts no user namespace, one line says step0 needs no profile, nothing written" {
	[ ! -e /proc/sys/kernel/apparmor_restrict_unprivileged_userns ] ||
		skip "this kernel restricts user namespaces through AppArmor: make apparmor installs here"
	run make --no-print-directory -C "$PROJECT" apparmor APPARMOR_PROFILE_FILE="$BATS_TEST_TMPDIR/profile"
	assert_failure
	assert_line --index 0 --regexp '^make apparmor: .*step0 needs no profile$'
	[ ! -e "$BATS_TEST_TMPDIR/profile" ]
}
