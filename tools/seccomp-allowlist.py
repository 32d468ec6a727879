#!/usr/bin/env python3
"""seccomp-allowlist.py DEFAULT.JSON --source TEXT > step8-seccomp/allowed-calls.h

Turns Docker's default seccomp profile (moby's default.json, now vendored
from github.com/moby/profiles/seccomp) into the list step8 compiles in: the
system calls the profile allows, without conditions, on x86_64 to a
container that holds the capabilities step6 keeps (read from
step6-caps/step6-caps.c, so that the two cannot disagree).

The profile's rules with conditions on arguments (clone, personality,
socket) and its clone3 -> ENOSYS are not data: step8 writes them, with the
reasons (clone's in step8-seccomp.c, the others in argument-masks.c), and
ioctl's too, which the profile allows whole and step8 allows but TIOCSTI
(libseccomp drops conditional rules beside an unconditional one for the
same call, so ioctl must not be in the list). A
new rule with conditions in a newer profile stops this script, so that it
is not lost without anyone noticing.

--source names where DEFAULT.JSON came from (repository, commit, path,
module version); it goes into the header comment. Only the standard
library is used.
"""
import argparse
import json
import re
import sys
import textwrap
from pathlib import Path

ARCH = "amd64"  # Docker's name for x86_64; step8 refuses i386 and x32 whole
# The rules step8 writes by hand (step8-seccomp.c, argument-masks.c).
WRITTEN_IN_STEP8 = {"clone", "clone3", "ioctl", "personality", "socket"}


def default_capabilities(step6_source):
    """The capabilities in step6's docker_defaults[] array."""
    text = Path(step6_source).read_text()
    match = re.search(r"docker_defaults\[\]\s*=\s*\{(.*?)\};", text, re.S)
    if not match:
        sys.exit(f"seccomp-allowlist: no docker_defaults[] in {step6_source}")
    return set(re.findall(r"\bCAP_[A-Z_]+\b", match.group(1)))


def applies(rule, capabilities):
    """Whether a rule of the profile applies on x86_64 with these capabilities."""
    includes = rule.get("includes") or {}
    excludes = rule.get("excludes") or {}
    if includes.get("arches") and ARCH not in includes["arches"]:
        return False
    if ARCH in (excludes.get("arches") or []):
        return False
    # Docker requires every capability a rule includes (all of them, not any).
    if not set(includes.get("caps") or []) <= capabilities:
        return False
    if set(excludes.get("caps") or []) & capabilities:
        return False
    # includes.minKernel (4.8, for ptrace) is taken as met: the project's
    # steps need newer kernels than that.
    return True


def allowed_calls(profile, capabilities):
    if profile.get("defaultAction") != "SCMP_ACT_ERRNO" or profile.get("defaultErrnoRet") != 1:
        sys.exit("seccomp-allowlist: the profile's default is no longer ERRNO(EPERM): "
                 "step8's default needs a look")
    allowed, by_hand = set(), set()
    for rule in profile["syscalls"]:
        if not applies(rule, capabilities):
            continue
        if rule["action"] == "SCMP_ACT_ALLOW" and not rule.get("args"):
            allowed.update(rule["names"])
        else:
            by_hand.update(rule["names"])
    unexpected = by_hand - WRITTEN_IN_STEP8
    if unexpected:
        sys.exit("seccomp-allowlist: rules with conditions or errors for "
                 f"{', '.join(sorted(unexpected))}: write them in step8-seccomp/")
    return sorted(allowed - WRITTEN_IN_STEP8)


def header(calls, capabilities, source):
    names = ", ".join(f'"{name}"' for name in calls)
    body = textwrap.fill(names, width=92, initial_indent="\t", subsequent_indent="\t",
                         break_on_hyphens=False, break_long_words=False)
    caps = textwrap.fill(" ".join(sorted(capabilities)), width=74,
                         initial_indent=" * ", subsequent_indent=" * ")
    origin = textwrap.fill(f"from {source}.", width=74, initial_indent=" * ",
                           subsequent_indent=" * ", break_on_hyphens=False)
    return f"""/* allowed-calls.h, made by tools/seccomp-allowlist.py (do not edit)
{origin}
 *
 * The system calls Docker's default seccomp profile allows, without a
 * condition on their arguments, on x86_64 (amd64) to a container holding
 * the capabilities step6 keeps:
{caps}
 * Names that are not system calls on x86_64 (the profile serves every
 * architecture: chown32, _llseek, ...) are here too; step8 skips them.
 * clone, clone3, personality and socket have conditions or an errno of
 * their own in the profile, and ioctl gets one in step8 (not TIOCSTI):
 * step8-seccomp.c and argument-masks.c write those rules.
 */
static const char *const docker_allowed_calls[] = {{
{body}
}};
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("profile", help="moby's default.json")
    parser.add_argument("--source", required=True,
                        help="where the profile came from, for the header comment")
    parser.add_argument("--step6", default=str(Path(__file__).parent.parent /
                                               "step6-caps/step6-caps.c"),
                        help="step6's source, for its default capabilities")
    arguments = parser.parse_args()
    profile = json.loads(Path(arguments.profile).read_text())
    capabilities = default_capabilities(arguments.step6)
    calls = allowed_calls(profile, capabilities)
    sys.stdout.write(header(calls, capabilities, arguments.source))


if __name__ == "__main__":
    main()
