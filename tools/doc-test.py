#!/usr/bin/env python3
"""doc-test.py [--root DIR] [--chapter N] [--record] [FILE...]: run the docs'
console sessions (default: TUTORIAL.md and */README.md) and check their output.

Each chapter (`## ` heading) runs in one bash started in the repository root
(or DIR); each `$ ` line of a ```console block is a command, the lines after
it its expected stdout and stderr. Prints TAP; --record writes the actual
output over the expected output of the commands that differ. tools/README.md
has the conventions for authors: wildcards, NORMALISERS, norun, layouts.
"""
import argparse
import difflib
import glob
import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TIMEOUT = 30   # seconds per command, unless the block says timeout=N
SETTLE = 10    # seconds the kernel may take to free a container's network namespace
STRICT = os.environ.get('DOC_STRICT', '1') == '1'
FENCE = re.compile(r'^( {0,3})(```+)\s*([^`]*)$')   # CommonMark's: 4 spaces indent code
CONSOLE_WORDS = re.compile(r'^(norun|cgroup-v1|cgroup-v2|timeout=\d+)$')
COUNTS = ('blocks', 'norun', 'other layout', 'unmarked')
RECORDED_HOSTNAME = 'vm'

# What legitimately differs between machines and runs: replaced on both
# sides before comparing (tools/README.md lists them for authors).
NORMALISERS = [
    ('namespace inode number', re.compile(r'\b4026\d{6}\b'), '<ns-inode>'),
    ('MAC address', re.compile(r'\b[0-9a-f]{2}(:[0-9a-f]{2}){5}\b'), '<mac>'),
    ('interface index in ip output', re.compile(r'^\d+: '), '<ifindex>: '),
    ('peer interface index', re.compile(r'@if\d+\b'), '@if<ifindex>'),
    ("container's random name suffix", re.compile(r'-[0-9a-f]{16}\b'), '-<random>'),
    ('duration', re.compile(r'\b\d+(\.\d+)? ?(ms|us|µs|ns)\b|\b\d+\.\d+ ?s\b|\b\d+m\d+\.\d+s\b'), '<time>'),
    ('time of day', re.compile(r'\b\d{1,2}:\d{2}(:\d{2})?\b'), '<clock>'),
    ('kernel version', re.compile(r'\b\d+\.\d+\.\d+-[0-9A-Za-z][\w.+~-]*'), '<kernel>'),
    # ps and df pad their columns to widths that change between versions.
    ('column padding', re.compile(r'^ +| {2,}'), lambda m: '' if m.start() == 0 else ' '),
]


def as_recorded(line):
    """The host's hostname as the docs record it: vm."""
    host = os.uname().nodename
    if host in ('', RECORDED_HOSTNAME, 'mycontainer'):
        return line
    return re.sub(r'(?<![\w.-])%s(?![\w-])' % re.escape(host), RECORDED_HOSTNAME, line)


def normalise(line):
    line = as_recorded(line).replace(os.uname().release, '<kernel>')
    for _, pattern, replacement in NORMALISERS:
        line = pattern.sub(replacement, line)
    return line


def tidy(lines):
    """Without trailing blanks, on each line and at the end."""
    lines = [line.rstrip() for line in lines]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def matches(expected, actual):
    """A line `...` of EXPECTED matches any lines of ACTUAL, `...` in a line any text."""
    pattern = ''.join(r'(?:.*\n)*?' if line == '...' else
                      '.*'.join(re.escape(part) for part in normalise(line).split('...')) + r'\n'
                      for line in expected)
    return re.fullmatch(pattern, ''.join(normalise(line) + '\n' for line in actual)) is not None


class Command:
    def __init__(self, path, line, text, timeout, first):
        self.path, self.line, self.text, self.timeout = path, line, text, timeout
        self.expected, self.first, self.last = [], first, first   # its output: lines[first:last]

    def name(self):
        return '%s:%d $ %s' % (self.path, self.line, self.text.splitlines()[0])


class Chapter:
    def __init__(self, path, line, title):
        self.path, self.line, self.title, self.commands, self.errors = path, line, title, [], []
        self.counts = dict.fromkeys(COUNTS, 0)


def fenced_blocks(lines):
    """Each `## ` heading as (index, title, None), each fenced block as (index, info words, body)."""
    i = 0
    while i < len(lines):
        fence = FENCE.match(lines[i])
        if fence:
            start = i
            i += 1
            while i < len(lines) and not re.match(r'^ {0,3}%s`*\s*$' % fence.group(2), lines[i]):
                i += 1
            yield start, fence.group(3).split(), [line[len(fence.group(1)):] for line in lines[start + 1:i]]
        elif lines[i].startswith('## '):
            yield i, lines[i][3:].strip(), None
        i += 1


def parse(path, lines, layout):
    """The chapters of PATH: their commands to run, counts, and errors of the document."""
    chapters = [Chapter(path, 1, '(top)')]
    for start, words, body in fenced_blocks(lines):
        if body is None:
            chapters.append(Chapter(path, start + 1, words))
            continue
        chapter, where = chapters[-1], '%s:%d' % (path, start + 1)
        unknown = ', '.join(word for word in words[1:] if not CONSOLE_WORDS.match(word))
        if not words:
            if any(line.startswith('$ ') for line in body):
                chapter.counts['unmarked'] += 1
                if STRICT:
                    chapter.errors.append((where, 'a plain ``` block with `$ ` lines: mark it ```console '
                                                  '(or ```console norun, or ```text if it is no session)'))
        elif words[0] != 'console':
            pass
        elif unknown:
            chapter.errors.append((where, 'unknown word %s after ```console (norun, cgroup-v1, cgroup-v2, '
                                          'timeout=SECONDS)' % unknown))
        elif 'norun' in words or any(word.startswith('cgroup-') and word != layout for word in words):
            chapter.counts['blocks'] += 1
            chapter.counts['norun' if 'norun' in words else 'other layout'] += 1
        else:
            chapter.counts['blocks'] += 1
            timeout = int(next((word[8:] for word in words if word.startswith('timeout=')), TIMEOUT))
            session(chapter, start, body, timeout)
    return chapters


def session(chapter, start, body, timeout):
    """The commands of the console block whose fence is lines[START]."""
    command, j = None, 0
    while j < len(body):
        line = start + 2 + j   # body[j]'s line number, and the index of the line after it
        if body[j].startswith('$ '):
            text = [body[j][2:]]
            while text[-1].endswith('\\') and j + 1 < len(body):
                j += 1
                text.append(body[j])
            command = Command(chapter.path, line, '\n'.join(text), timeout, start + 2 + j)
            chapter.commands.append(command)
        elif command is None:
            chapter.errors.append(('%s:%d' % (chapter.path, line), 'output before the first `$ ` command'))
            return
        else:
            command.expected.append(body[j])
            command.last = line
        j += 1


def cgroup_layout():
    for line in open('/proc/self/mountinfo'):
        fields = line.split()
        if fields[4] == '/sys/fs/cgroup':
            return 'cgroup-v2' if fields[fields.index('-') + 1] == 'cgroup2' else 'cgroup-v1'
    return 'cgroup-v1'


def host_state(step_names):
    """What a chapter must leave as it found it (tests/helpers.bash's host_state), sorted."""
    state = ['interface ' + line.split(':')[0].strip() for line in open('/proc/net/dev').readlines()[2:]]
    for fields in (line.split() for line in open('/proc/self/mountinfo')):
        state.append('mount %s %s' % (fields[4], fields[fields.index('-') + 1]))
    for pattern in ('/sys/fs/cgroup/under-the-hood*', '/sys/fs/cgroup/*/under-the-hood*',
                    '/sys/fs/cgroup/*/*/under-the-hood*', '/run/under-the-hood', '/run/under-the-hood/*',
                    '/run/under-the-hood/names/*'):
        state += ['path ' + path for path in glob.glob(pattern)]
    state += ['process %d %s' % (pid, name) for pid, (_, name) in processes().items() if name in step_names]
    state += ['%s %s' % (name, open('/proc/sys/kernel/' + name).read().strip()) for name in ('hostname', 'domainname')]
    for kind in ('shm', 'sem', 'msg'):
        if os.path.exists('/proc/sysvipc/' + kind):
            state += ['%s %s' % (kind, ' '.join(line.split()[:2]))
                      for line in open('/proc/sysvipc/' + kind).readlines()[1:]]
    return sorted(state)


def processes():
    """{pid: (parent's pid, name)} of every process."""
    found = {}
    for pid in filter(str.isdigit, os.listdir('/proc')):
        try:
            with open('/proc/%s/stat' % pid) as file:
                name, rest = file.read().split(' (', 1)[1].rsplit(') ', 1)
            found[int(pid)] = (int(rest.split()[1]), name)
        except (OSError, IndexError, ValueError):
            pass   # gone meanwhile
    return found


# The chapter's shell: reads NUL-separated (command, output file) pairs from
# descriptor $1, runs each with stdin from /dev/null, stdout and stderr into
# the file, and writes its status to descriptor $2. The command sees neither
# descriptor, so what it leaves running cannot hold them open.
DRIVER = r'''
__doc_commands=$1 __doc_statuses=$2
cd "$3" || exit
if [ "$(id -u)" -eq 0 ]; then sudo() { env -- "$@"; }; fi
__doc_status=0
while IFS= read -r -d '' -u "$__doc_commands" __doc_command &&
	IFS= read -r -d '' -u "$__doc_commands" __doc_output; do
	# $? of a command is the previous command's status, as at a prompt.
	(exit "$__doc_status")
	eval "$__doc_command" </dev/null >"$__doc_output" 2>&1 {__doc_commands}<&- {__doc_statuses}>&-
	__doc_status=$?
	echo "$__doc_status" >&"$__doc_statuses"
done
'''


class Shell:
    def __init__(self, root):
        commands, self.commands = os.pipe()
        self.statuses, statuses = os.pipe()
        self.process = subprocess.Popen(
            ['bash', '--noprofile', '--norc', '-c', DRIVER, 'doc-test', str(commands), str(statuses), root],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(commands, statuses), start_new_session=True, env=dict(os.environ, LC_ALL='C', TERM='dumb'))
        os.close(commands)
        os.close(statuses)
        self.alive, self.ended = True, None

    def run(self, text, output, timeout):
        """The command's exit status; None if it did not end in time or ended the shell."""
        open(output, 'wb').close()
        status, deadline = b'', time.monotonic() + timeout
        try:
            os.write(self.commands, text.encode() + b'\0' + output.encode() + b'\0')
        except BrokenPipeError:
            pass   # the shell is gone: the read below finds its end
        while not status.endswith(b'\n'):
            ready, _, _ = select.select([self.statuses], [], [], max(0, deadline - time.monotonic()))
            chunk = os.read(self.statuses, 64) if ready else b''
            if not chunk:
                self.ended = 'ended the shell' if ready else 'did not end within %d s' % timeout
                self.close(kill=True)
                return None
            status += chunk
        return int(status)

    def close(self, kill):
        """At the end of its input the shell ends; KILL: with all it started."""
        if self.alive:
            self.alive = False
            os.close(self.commands)
            if kill:
                self.kill()
            self.process.wait()
            os.close(self.statuses)

    def kill(self):
        """The shell, what runs under it, and what outlived it in its process group."""
        everyone, found = processes(), [self.process.pid]
        for parent in found:
            found += [pid for pid, (ppid, _) in everyone.items() if ppid == parent]
        for pid in found:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


class Tap:
    count, failed = 0, 0

    def result(self, passed, name, diagnostics=()):
        self.count += 1
        self.failed += not passed
        print('%s %d %s' % ('ok' if passed else 'not ok', self.count, name))
        print(''.join('# %s\n' % line for line in diagnostics), end='', flush=True)


def run_chapter(tap, root, commands, workdir, step_names, recorded):
    """Run the commands in one shell; the host's state before and after."""
    before = host_state(step_names)
    shell = Shell(root)
    for command in commands:
        if not shell.alive:
            tap.result(False, command.name(), ['not run: the chapter\'s shell was stopped above'])
            continue
        output = os.path.join(workdir, 'output-%d' % tap.count)
        status = shell.run(command.text, output, command.timeout)
        with open(output, 'rb') as file:
            actual = tidy(file.read().decode('utf-8', 'replace').split('\n'))
        expected = tidy(command.expected)
        if status is not None and matches(expected, actual):
            tap.result(True, command.name())
            continue
        where = '%s:%d' % (command.path, command.line)
        if status is None:
            why = '%s: the command %s: the chapter\'s shell was stopped' % (where, shell.ended)
        else:
            why = '%s: the output of this command differs (exit status %d)' % (where, status)
            if recorded is not None:
                recorded.append((command, [as_recorded(line) for line in actual]))
        tap.result(False, command.name(), [why] + list(difflib.unified_diff(
            expected, actual, 'expected (%s)' % where, 'actual', lineterm='')))
    shell.close(kill=False)
    after, deadline = host_state(step_names), time.monotonic() + SETTLE
    while after != before and time.monotonic() < deadline:
        time.sleep(0.1)
        after = host_state(step_names)
    shell.kill()   # what the chapter left running, once the check has seen it
    return before, after


def record(path, lines, recorded):
    """Write each command's actual output over its expected output in PATH."""
    for command, actual in sorted(recorded, key=lambda item: -item[0].first):
        if any(line.startswith(('$ ', '```')) for line in actual):
            print('# %s:%d: not recorded: a line of its output starts with `$ ` or ```' % (path, command.line))
            continue
        lines[command.first:command.last] = actual
    with open(path, 'w', encoding='utf-8') as file:
        file.write('\n'.join(lines))


def wanted(chapter, which):
    """--chapter 3: the heading that starts with 3 (not 30); a text: the headings with it."""
    if which is None:
        return True
    if which.isdigit():
        return re.match(r'%s(?!\d)' % which, chapter.title) is not None
    return which.lower() in chapter.title.lower()


def main():
    parser = argparse.ArgumentParser(description='Run the docs\' console sessions and check their output (TAP).')
    parser.add_argument('files', nargs='*', metavar='FILE')
    parser.add_argument('--root', default=ROOT, help='where each chapter\'s shell starts (default: the checkout)')
    parser.add_argument('--chapter', help='only the chapter whose heading starts with this number '
                                          '(or the chapters whose heading has this text)')
    parser.add_argument('--record', action='store_true',
                        help='write the actual output over the expected one where they differ')
    options = parser.parse_args()
    root = os.path.abspath(options.root)
    files = options.files or [os.path.relpath(path) for path in
                              [os.path.join(ROOT, 'TUTORIAL.md')] + sorted(glob.glob(os.path.join(ROOT, '*/README.md')))]
    with open(os.path.join(root if os.path.exists(os.path.join(root, 'steps.table')) else ROOT, 'steps.table')) as table:
        # With ./enter, step0 and the helpers it and step2 start (newuidmap,
        # newgidmap, pasta, whose binary is passt or passt.avx2).
        step_names = {row.split()[1] for row in table if re.match(r'^\d+\s', row)} | {
            'enter', 'step0', 'newuidmap', 'newgidmap', 'pasta', 'passt', 'passt.avx2'}
    layout, tap = cgroup_layout(), Tap()
    totals = dict.fromkeys(('chapters', 'commands') + COUNTS, 0)
    with tempfile.TemporaryDirectory(prefix='doc-test.') as workdir:
        for path in files:
            with open(path, encoding='utf-8') as file:
                lines = file.read().split('\n')
            recorded = [] if options.record else None
            for chapter in (chapter for chapter in parse(path, lines, layout) if wanted(chapter, options.chapter)):
                for where, message in chapter.errors:
                    tap.result(False, '%s document: %s' % (where, message))
                totals['chapters'] += 1
                for key in COUNTS:
                    totals[key] += chapter.counts[key]
                if chapter.commands:
                    totals['commands'] += len(chapter.commands)
                    before, after = run_chapter(tap, root, chapter.commands, workdir, step_names, recorded)
                    tap.result(before == after, '%s:%d chapter "%s" leaves the host as it found it'
                               % (path, chapter.line, chapter.title),
                               list(difflib.unified_diff(before, after, 'before', 'after', lineterm=''))[2:])
            if recorded:
                record(path, lines, recorded)
                print('# %s: recorded the output of %d commands: review git diff' % (path, len(recorded)))
    if options.chapter and not totals['chapters']:
        parser.error('no chapter of %s has "%s" in its heading' % (', '.join(files), options.chapter))
    print('1..%d' % tap.count)
    print('# doc-test: %d commands, %d blocks, %d norun blocks, %d skipped for the other cgroup layout (%s here), '
          '%d plain blocks with `$ ` lines not run%s; %d failed'
          % (totals['commands'], totals['blocks'], totals['norun'], totals['other layout'], layout,
             totals['unmarked'], '' if STRICT else ' (errors with DOC_STRICT=1)', tap.failed))
    return 1 if tap.failed else 0


if __name__ == '__main__':
    sys.exit(main())
