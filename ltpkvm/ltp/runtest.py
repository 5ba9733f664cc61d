# SPDX-License-Identifier: GPL-2.0-or-later
"""The runtest file: the tests as runltp and kirk see them, one line each
(`NAME COMMAND ARGS...`). Ours runs `ltpkvm run [--arch ARCH] TEST`."""
import dataclasses
import os
import shlex

from .catalog import PACKAGE_DIR

RUNTEST_NAME = "ltpkvm"
# An installed package carries the file; a source checkout has runtest/.
RUNTEST_PATHS = (os.path.join(PACKAGE_DIR, "runtest", RUNTEST_NAME),
                 os.path.join(os.path.dirname(PACKAGE_DIR), "runtest",
                              RUNTEST_NAME))


@dataclasses.dataclass(frozen=True)
class Entry:
    name: str      # the LTP test name
    test: str      # the ltpkvm test it runs
    arch: str      # None: the host's
    args: tuple    # the command's arguments after `ltpkvm`


def runtest_path():
    for path in RUNTEST_PATHS:
        if os.path.exists(path):
            return path
    return RUNTEST_PATHS[0]


def parse_runtest(text):
    """The entries of a runtest file that run ltpkvm tests."""
    entries = []
    for line in text.splitlines():
        words = shlex.split(line, comments=True)
        if len(words) < 4 or words[1:3] != ["ltpkvm", "run"]:
            continue
        args = words[3:]
        arch = args[args.index("--arch") + 1] if "--arch" in args else None
        entries.append(Entry(words[0], args[-1], arch, tuple(words[2:])))
    return entries


def read_entries(path=None):
    with open(path or runtest_path()) as runtest:
        return parse_runtest(runtest.read())
