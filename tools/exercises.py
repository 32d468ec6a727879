#!/usr/bin/env python3
"""exercises.py: the learner's copy of a step, its hints and its verdict.

An exercise is a block of a step's reference source between two comments,

	/* exercise 1.1: give this process a UTS namespace of its own
	 * (unshare(2), uts_namespaces(7)) */
	...the reference code...
	/* end of exercise 1.1 */

and a section of the step's exercises.md (its title, hints, the names the
block uses that the learner's copy must keep, and plausible mistakes). The
reference stays the compiled and tested code; this tool derives the rest.
mk/exercises.mk runs it; `make help` lists the targets.

	exercises.py list STEP                   the exercises, one per line
	exercises.py write STEP DIR [ID...]      the step's folder, those blocks
	                                         (default: all) replaced by TODOs
	exercises.py hint STEP DIR               the next hint of the first
	                                         unfinished exercise in DIR
	exercises.py verdict STEP TAP            a verdict per exercise from
	                                         bats's TAP output
	exercises.py mistakes STEP               ID and number of each mistake
	exercises.py mutate STEP ID N DIR        the reference folder with
	                                         mistake N of ID applied
	exercises.py tag ID                      the bats tag of ID: exercise:1-1
	exercises.py filters STEP TAG            a bats -f filter for each test
	                                         tagged TAG, in the file's order
"""
import os
import re
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BEGIN = re.compile(r'^(?P<indent>\s*)/\* exercise (?P<id>\d+\.\d+): (?P<text>.*)$')
END = re.compile(r'^\s*/\* end of exercise (?P<id>\d+\.\d+) \*/\s*$')
TAG = re.compile(r'^# bats test_tags=(?P<tags>.*)$')
TEST = re.compile(r'^@test "(?P<name>(?:[^"\\]|\\.)*)"')
NOT_DONE = re.compile(r'exercise (?P<id>\d+\.\d+) is not done')
TAP = re.compile(r'^(?P<status>ok|not ok) \d+ (?P<name>.*?)(?: # skip.*)?$')


class ExerciseError(Exception):
    pass


def step_folder(step):
    """The folder of step STEP (a number): step1-uts."""
    for name in sorted(os.listdir(ROOT)):
        if re.fullmatch(r'step%s-[a-z0-9-]+' % re.escape(step), name) and \
                os.path.isdir(os.path.join(ROOT, name)):
            return name
    raise ExerciseError('no step %s: there is no folder step%s-*' % (step, step))


def sources(folder):
    return [name for name in sorted(os.listdir(folder)) if name.endswith(('.c', '.h'))]


def blocks(path):
    """Each marked block of PATH: (id, first line, last line, TODO text, indent)."""
    with open(path) as file:
        lines = file.read().split('\n')
    found, open_block = [], None
    for number, line in enumerate(lines):
        begin, end = BEGIN.match(line), END.match(line)
        if begin:
            if open_block:
                raise ExerciseError('%s:%d: exercise %s begins inside exercise %s'
                                    % (path, number + 1, begin['id'], open_block[0]))
            text, last = begin['text'], number
            while not text.rstrip().endswith('*/'):
                last += 1
                if last == len(lines):
                    raise ExerciseError('%s:%d: the comment of exercise %s never ends'
                                        % (path, number + 1, begin['id']))
                text += '\n' + lines[last].strip().lstrip('*').strip()
            open_block = (begin['id'], number, text.rstrip()[:-2].strip(), begin['indent'])
        elif end:
            if not open_block or open_block[0] != end['id']:
                raise ExerciseError('%s:%d: end of exercise %s without its beginning'
                                    % (path, number + 1, end['id']))
            found.append((open_block[0], open_block[1], number, open_block[2], open_block[3]))
            open_block = None
    if open_block:
        raise ExerciseError('%s: exercise %s has no end' % (path, open_block[0]))
    return lines, found


def exercise_sections(step):
    """exercises.md of STEP: {id: {title, hints, keeps, mistakes}}, in order."""
    folder = step_folder(step)
    path = os.path.join(ROOT, folder, 'exercises.md')
    sections, current, field = {}, None, None
    with open(path) as file:
        for number, line in enumerate(file, 1):
            line = line.rstrip('\n')
            heading = re.match(r'^## (\d+\.\d+) (.*)$', line)
            if heading:
                current = sections.setdefault(heading[1], {
                    'title': heading[2], 'hints': [], 'keeps': [], 'mistakes': []})
                field = None
            elif current is None:
                continue
            elif line.startswith('Keeps: '):
                current['keeps'] = [name.strip() for name in line[7:].split(',')]
            elif line in ('Hints:', 'Mistakes:'):
                field = line[:-1].lower()
            elif field and line.startswith('- '):
                current[field].append(line[2:])
            elif field and line.startswith('  ') and current[field]:
                current[field][-1] += ' ' + line.strip()
            elif line.strip():
                field = None
    for exercise, section in sections.items():
        for index, mistake in enumerate(section['mistakes']):
            parts = re.match(r'^`(?P<old>(?:[^`])+)` → `(?P<new>[^`]*)`: (?P<why>.+)$', mistake)
            if not parts:
                raise ExerciseError('%s: mistake %d of %s is not "`OLD` → `NEW`: why"'
                                    % (path, index + 1, exercise))
            section['mistakes'][index] = (parts['old'], parts['new'], parts['why'])
    return sections


def all_blocks(step):
    """{id: (file name, block)} of STEP, checked against exercises.md."""
    folder = os.path.join(ROOT, step_folder(step))
    found = {}
    for name in sources(folder):
        for block in blocks(os.path.join(folder, name))[1]:
            if block[0] in found:
                raise ExerciseError('exercise %s is marked twice' % block[0])
            if not block[0].startswith(step + '.'):
                raise ExerciseError('%s: exercise %s is not numbered %s.N'
                                    % (name, block[0], step))
            found[block[0]] = (name, block)
    sections = exercise_sections(step)
    for exercise in set(found) ^ set(sections):
        where = 'exercises.md' if exercise in sections else found[exercise][0]
        raise ExerciseError('exercise %s is only in %s' % (exercise, where))
    return dict(sorted(found.items(), key=lambda item: [int(n) for n in item[0].split('.')]))


def tag(exercise):
    return 'exercise:' + exercise.replace('.', '-')


def todo_lines(exercise, text, indent, keeps):
    lines = text.split('\n')
    out = ['%s/* TODO exercise %s: %s' % (indent, exercise, lines[0])]
    out += ['%s * %s' % (indent, line) for line in lines[1:]]
    out[-1] += ' */'
    out += ['%s(void)%s; /* your code uses it */' % (indent, name) for name in keeps]
    out.append('%sexercise_not_done("%s");' % (indent, exercise))
    return out


def write(step, target, only=None, plain=False):
    """Copy the step's folder to TARGET with the blocks (ONLY, or all; none
    when PLAIN) as TODOs."""
    folder = os.path.join(ROOT, step_folder(step))
    found, sections = all_blocks(step), exercise_sections(step)
    for exercise in only or []:
        if exercise not in found:
            raise ExerciseError('step %s has no exercise %s (it has %s)'
                                % (step, exercise, ', '.join(found)))
    os.makedirs(target, exist_ok=True)
    for name in sorted(os.listdir(folder)):
        source = os.path.join(folder, name)
        if not os.path.isfile(source):
            continue
        if name == "exercises.md":
            continue  # its mistakes are the answers
        if not name.endswith(('.c', '.h')):
            shutil.copyfile(source, os.path.join(target, name))
            continue
        lines, marked = blocks(source)
        out, position = [], 0
        for exercise, first, last, text, indent in marked:
            out += lines[position:first]
            if plain or (only and exercise not in only):
                out += lines[first:last + 1]
            else:
                out += todo_lines(exercise, text, indent, sections[exercise]['keeps'])
            position = last + 1
        out += lines[position:]
        with open(os.path.join(target, name), 'w') as file:
            file.write('\n'.join(out))


def unfinished(step, directory):
    """The exercises whose TODO is still in the learner's copy at DIRECTORY."""
    text = ''
    for name in sources(directory):
        with open(os.path.join(directory, name)) as file:
            text += file.read()
    return [e for e in all_blocks(step) if 'exercise_not_done("%s")' % e in text]


def hint(step, directory):
    """The next hint of the first exercise that is unfinished or failed the
    last check; each call shows one more, as a learner asks again."""
    sections = exercise_sections(step)
    failed = []
    verdict = os.path.join(directory, '.verdict')
    if os.path.exists(verdict):
        with open(verdict) as file:
            failed = [line.split()[1] for line in file if line.startswith('not-passed ')]
    todo = unfinished(step, directory)
    pending = [e for e in sections if e in failed or e in todo]
    if not pending:
        print('step %s: every exercise is done and passed the last check; '
              '`make check STEP=%s` to check again' % (step, step))
        return
    exercise = pending[0]
    seen_path = os.path.join(directory, '.hints-' + exercise)
    seen = int(open(seen_path).read()) if os.path.exists(seen_path) else 0
    hints = sections[exercise]['hints']
    shown = min(seen, len(hints) - 1)
    print('exercise %s, %s: hint %d of %d' % (exercise, sections[exercise]['title'],
                                             shown + 1, len(hints)))
    print('  ' + hints[shown])
    if shown + 1 < len(hints):
        print('(`make hint STEP=%s` again for the next one)' % step)
    else:
        print('(that was the last; `make solution STEP=%s` shows the reference)' % step)
    with open(seen_path, 'w') as file:
        file.write(str(shown + 1))


def tagged_tests(step):
    """[(name, [tags])] of the step's bats file, in its order; the name as
    written between the quotes of @test."""
    path = os.path.join(ROOT, 'tests', step_folder(step) + '.bats')
    tests, pending = [], []
    with open(path) as file:
        for line in file:
            match = TAG.match(line.strip())
            if match:
                pending += [t.strip() for t in match['tags'].split(',')]
                continue
            match = TEST.match(line)
            if match:
                tests.append((match['name'], pending))
                pending = []
    return tests


def tests_by_tag(step):
    """{test name, as TAP prints it: [exercise ids]} of the step's bats file."""
    return {name.replace('\\"', '"'): [t[len('exercise:'):].replace('-', '.')
                                       for t in tags if t.startswith('exercise:')]
            for name, tags in tagged_tests(step)}


def filters(step, tag_name):
    """A `bats -f` filter for each test tagged TAG_NAME, in the file's order.
    bats matches the name as written with bash's =~ (a POSIX extended regular
    expression): the special characters are escaped."""
    return ['^' + re.sub(r'([][\\.^$*+?(){}|])', r'\\\1', name) + '$'
            for name, tags in tagged_tests(step) if tag_name in tags]


def verdict(step, tap_path, directory=None):
    """Print a verdict per exercise from the TAP output of the step's tests;
    exit 1 when one did not pass. Kept in DIRECTORY/.verdict for `make hint`."""
    sections, tagged = exercise_sections(step), tests_by_tag(step)
    results = {exercise: [] for exercise in sections}
    untagged_failures = []
    # A failed test whose output says "exercise N.k is not done" failed
    # because the step stopped at that TODO, whatever its own exercise.
    stopped_at, current = {}, None
    # The tests show what the step printed, which need not be text: a
    # step8 that exports its filter to stdout prints BPF code.
    with open(tap_path, errors='replace') as file:
        for line in file:
            match = TAP.match(line.rstrip('\n'))
            if not match:
                todo = NOT_DONE.search(line)
                if todo and current:
                    stopped_at.setdefault(current, todo['id'])
                continue
            current = match['name'] if match['status'] == 'not ok' else None
            passed = match['status'] == 'ok'
            exercises = tagged.get(match['name'], [])
            for exercise in exercises:
                if exercise in results:
                    results[exercise].append((passed, match['name']))
            if not exercises and not passed:
                untagged_failures.append(match['name'])
    lines, status = [], 0
    print()
    for exercise, section in sections.items():
        ran = results[exercise]
        failed = [name for passed, name in ran if not passed]
        if not ran:
            print('exercise %s, %s: not graded (no test of it ran)' % (exercise, section['title']))
            continue
        waiting = sorted({stopped_at[name] for name in failed if name in stopped_at} - {exercise})
        if failed and len(waiting) and all(stopped_at.get(name, exercise) != exercise
                                           for name in failed):
            status = 1
            print('exercise %s, %s: not graded yet: its tests stop at the TODO of %s first'
                  % (exercise, section['title'], ', '.join(waiting)))
        elif failed:
            status = 1
            lines.append('not-passed %s' % exercise)
            print('exercise %s, %s: NOT PASSED (%d of %d tests failed)'
                  % (exercise, section['title'], len(failed), len(ran)))
            for name in failed:
                print('    failed: %s' % name)
            print('    hint: %s' % section['hints'][0])
        else:
            lines.append('passed %s' % exercise)
            print('exercise %s, %s: passed (%d tests)' % (exercise, section['title'], len(ran)))
    if untagged_failures and status:
        print('%d more tests of the step failed; they need the whole step: finish the '
              'exercises first' % len(untagged_failures))
    elif untagged_failures:
        status = 1
        print('Every exercise passed, but the step broke what its other tests check:')
        for name in untagged_failures:
            print('    failed: %s' % name)
    if directory:
        with open(os.path.join(directory, '.verdict'), 'w') as file:
            file.write('\n'.join(lines) + '\n')
    return status


def mutate(step, exercise, number, target):
    """The reference folder in TARGET with mistake NUMBER (from 1) of EXERCISE."""
    sections, found = exercise_sections(step), all_blocks(step)
    old, new, _ = sections[exercise]['mistakes'][number - 1]
    # \n and \t in a mistake stand for a new line and a tab
    old, new = [text.replace('\\n', '\n').replace('\\t', '\t') for text in (old, new)]
    write(step, target, plain=True)
    path = os.path.join(target, found[exercise][0])
    with open(path) as file:
        text = file.read()
    if text.count(old) != 1:
        raise ExerciseError('mistake %d of %s: `%s` is in %s %d times, not once'
                            % (number, exercise, old, found[exercise][0], text.count(old)))
    with open(path, 'w') as file:
        file.write(text.replace(old, new))


def main(argv):
    if len(argv) < 2:
        print(__doc__.split('\n\n')[-1], file=sys.stderr)
        return 2
    command, arguments = argv[1], argv[2:]
    if command == 'tag' and len(arguments) == 1:
        print(tag(arguments[0]))
    elif command == 'filters' and len(arguments) == 2:
        print('\n'.join(filters(*arguments)))
    elif command == 'list' and len(arguments) == 1:
        sections = exercise_sections(arguments[0])
        for exercise, (name, block) in all_blocks(arguments[0]).items():
            print('%s\t%s\t%s: %s' % (exercise, name, sections[exercise]['title'],
                                      ' '.join(block[3].split())))
    elif command == 'write' and len(arguments) >= 2:
        only = [e for argument in arguments[2:] for e in argument.split(',') if e]
        write(arguments[0], arguments[1], only)
    elif command == 'hint' and len(arguments) == 2:
        hint(*arguments)
    elif command == 'verdict' and len(arguments) in (2, 3):
        return verdict(*arguments)
    elif command == 'mistakes' and len(arguments) == 1:
        for exercise, section in exercise_sections(arguments[0]).items():
            for number, (_, _, why) in enumerate(section['mistakes'], 1):
                print('%s\t%d\t%s' % (exercise, number, why))
    elif command == 'mutate' and len(arguments) == 4:
        mutate(arguments[0], arguments[1], int(arguments[2]), arguments[3])
    else:
        print('exercises.py: unknown command or wrong arguments: %s' % ' '.join(argv[1:]),
              file=sys.stderr)
        return 2
    return 0


if __name__ == '__main__':
    try:
        sys.exit(main(sys.argv))
    except (ExerciseError, OSError) as error:
        print('exercises: %s' % error, file=sys.stderr)
        sys.exit(2)
