#!/usr/bin/env bats
# tools/doc-test.py, the runner of the docs' console sessions (make
# test-doc): each test writes a small markdown file of its own and runs the
# runner on it, against the real steps.

load helpers

# doc_file TEXT: doc.md in the test's directory holds TEXT, a chapter of
# sessions; the runner is then run from there, so that it names doc.md:LINE.
doc_file() {
	cd "$BATS_TEST_TMPDIR" || return 1
	printf '# A document\n\n## 1. A chapter\n\n%s\n' "$1" >doc.md
}
doc_test() {
	run python3 "$PROJECT/tools/doc-test.py" "$@"
}
# The ``` of a fence, kept out of the heredocs' way.
F='```'

@test "doc-test: a session passes, one TAP line per command naming file:line [output as recorded]" {
	doc_file "${F}console
\$ sudo ./step1 --until 1 hostname
mycontainer
\$ cat; echo \"stdin: \$?\"
stdin: 0
\$ echo out; echo err >&2
out
err
${F}"
	doc_test doc.md
	assert_success
	assert_line --index 0 'ok 1 doc.md:6 $ sudo ./step1 --until 1 hostname'
	assert_line --index 1 'ok 2 doc.md:8 $ cat; echo "stdin: $?"'
	assert_line --index 2 'ok 3 doc.md:10 $ echo out; echo err >&2'
	assert_line --index 3 'ok 4 doc.md:3 chapter "1. A chapter" leaves the host as it found it'
	assert_line --partial '# doc-test: 3 commands, 1 blocks, 0 norun blocks, 0 skipped'
}

@test "doc-test: fails naming file:line, with a diff of the output [one recorded line changed]" {
	doc_file "${F}console
\$ x=web1
\$ sudo ./step1 --until 1 --hostname \$x hostname
web2
${F}"
	doc_test doc.md
	assert_failure
	assert_line 'ok 1 doc.md:6 $ x=web1'
	assert_line 'not ok 2 doc.md:7 $ sudo ./step1 --until 1 --hostname $x hostname'
	assert_line '# doc.md:7: the output of this command differs (exit status 0)'
	assert_line '# --- expected (doc.md:7)'
	assert_line '# -web2'
	assert_line '# +web1'
}

@test "doc-test: fails when a step's narrated text changes in the code [step1 rebuilt from a copy]" {
	local copy=$BATS_TEST_TMPDIR/copy
	mkdir "$copy"
	cp -r "$PROJECT"/{Makefile,steps.table,common,options,supervisor,step1-uts} "$copy/"
	mkdir "$copy/tools" && cp "$PROJECT/tools/steps.awk" "$copy/tools/"
	sed -i 's/narrate("unshare(CLONE_NEWUTS)")/narrate("unshare(CLONE_NEWUTS) now")/' "$copy/step1-uts/step1-uts.c"
	run make --no-print-directory -s -C "$copy" step1
	assert_success
	doc_file "${F}console
\$ sudo ./step1 --until 1 -v true
...
step1-uts: unshare(CLONE_NEWUTS)
...
${F}"
	doc_test doc.md
	assert_success
	doc_test --root "$copy" doc.md
	assert_failure
	assert_line 'not ok 1 doc.md:6 $ sudo ./step1 --until 1 -v true'
	assert_line '# -step1-uts: unshare(CLONE_NEWUTS)'
	assert_line '# +step1-uts: unshare(CLONE_NEWUTS) now'
}

@test "doc-test: a line ... matches any lines, ... in a line any text [wildcards]" {
	doc_file "${F}console
\$ seq 10
1
...
4
...
10
\$ sudo ./step1 --until 1 -v true
...
step1-uts: execvp(\"true\", ...)
\$ echo 'a b c d'
a ... d
${F}"
	doc_test doc.md
	assert_success
	# A cut that leaves out a line between two others it shows does not match.
	sed -i 's/^4$/3\n5/' doc.md
	doc_test doc.md
	assert_failure
	assert_line 'not ok 1 doc.md:6 $ seq 10'
}

@test "doc-test: what differs between machines is normalised [inode, MAC, ifindex, name, hostname, kernel]" {
	doc_file "${F}console
\$ readlink /proc/self/ns/uts
uts:[4026531111]
\$ ip link add doc0 address 02:00:00:00:00:01 type veth peer name doc1
\$ ip -o link show doc0 | cut -d: -f1,2; ip -br link show doc0
91: doc0@doc1
doc0@doc1        DOWN           0a:bc:de:f0:12:34 <BROADCAST,MULTICAST,M-DOWN>
\$ ip link del doc0
\$ hostname; uname -r
vm
6.1.0-28-cloud-amd64
\$ echo mycontainer-00112233aabbccdd
mycontainer-0123456789abcdef
${F}"
	# Interfaces and a hostname of their own, in throwaway namespaces.
	run unshare --net --uts sh -c "hostname doc-host && python3 '$PROJECT/tools/doc-test.py' doc.md"
	assert_success
	assert_line 'ok 5 doc.md:13 $ hostname; uname -r'
	# Not just anything: another hostname is not the host's.
	sed -i 's/^vm$/doc-host-2/' doc.md
	run unshare --net --uts sh -c "hostname doc-host && python3 '$PROJECT/tools/doc-test.py' doc.md"
	assert_failure
	assert_line 'not ok 5 doc.md:13 $ hostname; uname -r'
}

@test "doc-test: norun blocks and the other cgroup layout's are not run [commands that would fail]" {
	local other=cgroup-v2
	[ "$(stat -fc %T /sys/fs/cgroup)" != cgroup2fs ] || other=cgroup-v1
	doc_file "Needs a second terminal:

${F}console norun
\$ false
never
${F}

${F}console $other
\$ touch $BATS_TEST_TMPDIR/ran
${F}

${F}console timeout=5
\$ echo run
run
${F}"
	doc_test doc.md
	assert_success
	assert_line 'ok 1 doc.md:17 $ echo run'
	assert_line --partial '# doc-test: 1 commands, 3 blocks, 1 norun blocks, 1 skipped for the other cgroup layout'
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
}

@test "doc-test: a plain block of \$ lines and an unknown word are errors of the document [DOC_STRICT=1, the default]" {
	doc_file "${F}
\$ hostname
vm
${F}

${F}console no-run
\$ false
${F}"
	doc_test doc.md
	assert_failure
	assert_line --index 0 --partial 'not ok 1 doc.md:5 document: a plain ``` block with `$ ` lines'
	assert_line --index 1 --partial 'not ok 2 doc.md:10 document: unknown word no-run after ```console'
	# DOC_STRICT=0, for a document being converted: only the unknown word fails.
	DOC_STRICT=0 doc_test doc.md
	assert_failure
	assert_line --index 0 --partial 'not ok 1 doc.md:10 document: unknown word no-run'
	assert_line --partial '1 plain blocks with `$ ` lines not run'
}

@test "doc-test: a command over its time limit fails and stops its chapter [timeout=1]" {
	doc_file "${F}console timeout=1
\$ sleep 60
\$ echo next
next
${F}"
	SECONDS=0
	doc_test doc.md
	assert_failure
	assert_line '# doc.md:6: the command did not end within 1 s: the chapter'"'"'s shell was stopped'
	assert_line 'not ok 2 doc.md:7 $ echo next'
	[ "$SECONDS" -lt 20 ]
	run ! pgrep -x -f 'sleep 60'
}

@test "doc-test: --record rewrites only the output of the commands that differ [a cut that matches stays]" {
	doc_file "${F}console
\$ seq 5
1
...
5
\$ sudo ./step1 --until 1 --hostname web1 hostname
web2
\$ echo same
same
${F}"
	cp doc.md before.md
	doc_test --record doc.md
	assert_failure
	assert_line '# doc.md: recorded the output of 1 commands: review git diff'
	run diff before.md doc.md
	assert_output '11c11
< web2
---
> web1'
	doc_test doc.md
	assert_success
}

@test "doc-test: a chapter that leaves an interface behind fails [veth in a throwaway network namespace]" {
	doc_file "${F}console
\$ ip link add doc0 type veth peer name doc1
${F}

## 2. The next chapter

${F}console
\$ true
${F}"
	run unshare --net python3 "$PROJECT/tools/doc-test.py" doc.md
	assert_failure
	assert_line 'not ok 2 doc.md:3 chapter "1. A chapter" leaves the host as it found it'
	assert_line '# +interface doc0'
	assert_line '# +interface doc1'
	# The next chapter is measured from where the last one left the host.
	assert_line 'ok 4 doc.md:9 chapter "2. The next chapter" leaves the host as it found it'
}
