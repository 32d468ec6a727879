# make-help.awk MAKEFILE...: what `make help` prints, read from the makefiles'
# own text. A target is listed when the line right above its rule reads
#
#   ## GROUP: what it does            or      ## GROUP sudo: what it does
#
# (sudo: it installs packages or starts containers, so it needs root). The
# groups come out in the order below, the targets in the order of the files.
# A static pattern rule ($(LIST:%=fuzz-%): fuzz-%: ...) is shown by its
# pattern, with NAME for the %.

BEGIN {
	count = split("running testing checking exercises benchmarking cleaning", groups, " ")
	title["running"] = "Build and run"
	title["testing"] = "Test"
	title["checking"] = "Check"
	title["exercises"] = "Exercises"
	title["benchmarking"] = "Benchmark"
	title["cleaning"] = "Clean"
}

# A description: kept for the rule that follows.
/^## [a-z]+( sudo)?: / {
	pending = $0
	next
}

# The line after it: the rule it describes, whose target is what comes
# before the first colon outside $(...).
pending != "" {
	rule = $0
	gsub(/\$\([^()]*\)/, "", rule)
	if (rule !~ /^[^#\t =:][^=:]*:([^=]|$)/ && rule !~ /^:/) {
		printf "make-help: %s:%d: a description above no rule\n", FILENAME, FNR - 1 > "/dev/stderr"
		failed = 1
		pending = ""
		next
	}
	split(rule, part, ":")
	name = part[1]
	if (name ~ /^[ ]*$/)
		name = part[2]
	gsub(/^[ ]+|[ ]+$/, "", name)
	sub(/%/, "NAME", name)

	text = pending
	pending = ""
	sub(/^## /, "", text)
	group = text
	sub(/:.*/, "", group)
	sub(/^[^:]*: /, "", text)
	command = "make " name
	if (group ~ / sudo$/) {
		command = "sudo " command
		sub(/ sudo$/, "", group)
	}
	if (!(group in title)) {
		printf "make-help: %s:%d: no such group: %s\n", FILENAME, FNR - 1, group > "/dev/stderr"
		failed = 1
	}
	lines[group] = lines[group] sprintf("  %-24s %s\n", command, text)
}

END {
	if (failed)
		exit 1
	for (i = 1; i <= count; i++)
		if (groups[i] in lines)
			printf "%s\n%s", title[groups[i]], lines[groups[i]]
}
