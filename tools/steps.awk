# steps.awk: reads steps.table (its header says what the columns mean), checks
# every row, and prints the steps in the form one reader needs:
#
#   awk -f tools/steps.awk -v output=c steps.table      build/steps.h, for C:
#       LAST_STEP, FOR_EACH_STEP(STEP) with STEP(number, name, needs), and
#       STEPS_HELP, the list of steps in --help
#   awk -f tools/steps.awk -v output=make steps.table   one make assignment
#       per word, for the Makefile's $(eval): STEP_NUMBERS += 1,
#       STEP_FOLDER_1 := step1-uts, STEP_LIBS_1 += -lcap, ...
#
# A row that breaks a rule of the header is refused with its line number,
# and nothing is printed.

BEGIN {
	if (output != "c" && output != "make") {
		print "steps.awk: -v output=c or -v output=make" > "/dev/stderr"
		exit failed = 1
	}
	split("supervisor skeleton cgroup", known, " ")
	for (i in known)
		need_flag[known[i]] = "STEP_NEEDS_" toupper(known[i])
	help_indent = 17 # "  step8-seccomp  ": what comes before a description
	help_width = 79
}

function refuse(text) {
	printf "%s:%d: %s\n", FILENAME, FNR, text > "/dev/stderr"
	failed = 1
}

# "a,b,c" or "-" into list[1..n]; returns n.
function split_list(text, list) {
	if (text == "-")
		return 0
	return split(text, list, ",")
}

# TEXT as a C string literal; SUFFIX is added as it is (an escape: "\\n").
function c_string(text, suffix) {
	gsub(/\\/, "\\\\", text)
	gsub(/"/, "\\\"", text)
	return "\"" text suffix "\""
}

/^[ \t]*(#|$)/ { next }

{
	if (NF < 7) {
		refuse("a row has 7 columns: step folder pivot link libs needs help")
		next
	}
	number = $1; folder = $2; pivot = $3; link = $4
	if (number != count + 1)
		refuse("step " number " where step " count + 1 " comes next (rows go 1, 2, 3... in order)")
	if (folder !~ "^step" number "-[a-z][a-z0-9]*$")
		refuse("folder " folder ": not step" number "-NAME, NAME in lower-case letters and digits")
	if (length(folder) > 15)
		refuse("folder " folder ": longer than 15 characters, the kernel's limit for a process name")
	if (pivot != "before" && pivot != "after")
		refuse("pivot " pivot ": before or after")
	if (pivot == "before" && after_pivot)
		refuse("pivot before, but step" after_pivot " comes after the pivot already")
	if (link != "static" && link != "dynamic")
		refuse("link " link ": static or dynamic")
	if (pivot == "after" && link != "static")
		refuse("link dynamic after the pivot: the host's loader and libraries are out of reach there")
	libs_count = split_list($5, libs)
	for (i = 1; i <= libs_count; i++)
		if (libs[i] !~ /^[a-z][a-z0-9_+-]*$/)
			refuse("libs " $5 ": library names without -l, comma-separated, or -")
	needs_count = split_list($6, needs)
	for (i = 1; i <= needs_count; i++)
		if (!(needs[i] in need_flag))
			refuse("needs " needs[i] ": one of supervisor, skeleton, cgroup, or -")
	help = $0
	for (i = 1; i <= 6; i++)
		sub(/^[ \t]*[^ \t]+/, "", help)
	sub(/^[ \t]+/, "", help)
	sub(/[ \t]+$/, "", help)

	count++
	if (pivot == "after" && !after_pivot)
		after_pivot = number
	if (output == "make")
		print_make()
	else
		print_c()
}

function print_make() {
	make = make " STEP_NUMBERS+=" number " STEP_FOLDER_" number ":=" folder
	make = make " STEP_PIVOT_" number ":=" pivot " STEP_LINK_" number ":=" link
	for (i = 1; i <= libs_count; i++)
		make = make " STEP_LIBS_" number "+=-l" libs[i]
	for (i = 1; i <= needs_count; i++)
		make = make " STEP_NEEDS_" number "+=" needs[i]
}

# The row as STEP(...), and its --help line, wrapped at a blank to
# help_width columns, the continuation indented under the description.
function print_c(    flags, line, words, n) {
	flags = ""
	for (i = 1; i <= needs_count; i++)
		flags = flags (flags == "" ? "" : " | ") need_flag[needs[i]]
	rows = rows sprintf("\tSTEP(%d, %s, %s) \\\n", number, c_string(folder), flags == "" ? "0" : flags)

	line = sprintf("  %-" (help_indent - 3) "s ", folder)
	n = split(help, words, " ")
	for (i = 1; i <= n; i++) {
		if (i > 1 && length(line) + 1 + length(words[i]) > help_width) {
			help_lines = help_lines "\t" c_string(line, "\\n") " \\\n"
			line = sprintf("%" help_indent "s", "")
		} else if (i > 1) {
			line = line " "
		}
		line = line words[i]
	}
	help_lines = help_lines "\t" c_string(line, "\\n") " \\\n"
}

END {
	if (failed)
		exit 1
	if (count == 0) {
		print FILENAME ": no step" > "/dev/stderr"
		exit 1
	}
	if (output == "make") {
		print make
		exit 0
	}
	print "/* steps.h: made from steps.table by tools/steps.awk (make); do not edit. */"
	print "#ifndef STEPS_H"
	print "#define STEPS_H"
	print ""
	print "#define LAST_STEP " count
	print ""
	print "/* STEP(number, name, needs) for each row, in order; needs is 0 or"
	print " * STEP_NEEDS_* flags (common/chain.h). */"
	print "#define FOR_EACH_STEP(STEP) \\"
	printf "%s\n", rows
	print "/* The list of steps in --help (options/options.c). */"
	print "#define STEPS_HELP \\"
	printf "%s\n", help_lines
	print "#endif"
}
