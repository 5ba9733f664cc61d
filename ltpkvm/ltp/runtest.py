# SPDX-License-Identifier: GPL-2.0-or-later
"""The runtest file: the tests as runltp and kirk see them, one line each
(`NAME COMMAND ARGS...`). Ours runs `ltpkvm run TEST`; it is made from the
built catalog, never kept by hand."""
import collections
import shlex

RUNTEST_NAME = "ltpkvm"
HEADER = ("# ltpkvm: LTP-compatible KVM tests, generated from the built "
          "tests.\n# Sits in $LTPROOT/runtest/ beside LTP's own runtest/kvm "
          "(`ltpkvm install-ltp`).\n")


# name: the LTP test name; test: the ltpkvm test it runs; arch: None for
# the host's; args: the command's arguments after `ltpkvm`
Entry = collections.namedtuple("Entry", "name test arch args")


def catalog_entries(catalog):
    """One entry per test built for the host's arch."""
    return [Entry(name, name, None, ("run", name))
            for name in catalog.names()]


def runtest_text(entries):
    return HEADER + "".join(
        f"{entry.name} ltpkvm {shlex.join(entry.args)}\n" for entry in entries)


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


def read_entries(path):
    with open(path) as runtest:
        return parse_runtest(runtest.read())
