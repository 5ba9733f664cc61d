# SPDX-License-Identifier: GPL-2.0-or-later
"""LTP's result output: `FILE:LINE: TTYPE: message` lines, the Summary
block and the exit status, byte for byte as LTP's C library prints them
(to stderr, colour codes as LTP's), so runltp, kirk and scripts read us as
they read LTP."""
import collections
import contextlib
import os
import sys

from ..host.guest_abi import (TBROK, TCONF, TDEBUG, TFAIL, TINFO, TPASS,
                              TTYPE_NAMES, TWARN)
from ..host.results import printable_text
from .tags import failure_hints

_COLOURS = {TPASS: "\033[1;32m", TFAIL: "\033[1;31m", TBROK: "\033[1;31m",
            TWARN: "\033[1;35m", TDEBUG: "\033[1;37m", TINFO: "\033[1;34m",
            TCONF: "\033[1;33m"}
_RESET = "\033[0m"
# Results kept for reports (--json-report): the first and the last halves
MAX_RECORDS = 1000


def colour_enabled(stream):
    """LTP_COLORIZE_OUTPUT: y/1 always, n/0 never, else only on a tty."""
    setting = os.environ.get("LTP_COLORIZE_OUTPUT", "")
    if setting[:1] in ("y", "1"):
        return True
    if setting[:1] in ("n", "0"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class FullWrites:
    """A text stream over a file descriptor whose writes are never cut
    short: Python's unbuffered stderr (PYTHONUNBUFFERED, python -u) drops
    the rest of a write that a signal interrupts halfway, as a pipe does
    with a line longer than PIPE_BUF."""

    def __init__(self, stream):
        self.stream = stream
        self.fd = stream.fileno()

    def write(self, text):
        self.stream.flush()   # what others wrote to it goes first
        data = text.encode("utf-8", "replace")
        while data:
            data = data[os.write(self.fd, data):]

    def flush(self):
        pass

    def isatty(self):
        return self.stream.isatty()


def _full_writes(stream):
    """stream, or FullWrites over it when it has a file descriptor."""
    try:
        stream.fileno()
    except (AttributeError, OSError, ValueError):
        return stream
    return FullWrites(stream)


class Reporter:
    """Counts results and prints them as LTP does. guard() is a context
    manager that each line is printed and counted in (Interrupts.critical:
    no signal tears a line or its count)."""

    def __init__(self, stream=None, debug=False, guard=None):
        self.stream = _full_writes(stream or sys.stderr)
        self.guard = guard or contextlib.nullcontext
        self.colour = colour_enabled(self.stream)
        self.debug = debug
        self.reproducible = os.environ.get("LTP_REPRODUCIBLE_OUTPUT", "")[:1] \
            in ("1", "y")
        self.passed = self.failed = self.broken = self.skipped = 0
        self.warnings = 0
        # (file, lineno, ttype name, message) of the first and the last
        # results: a guest may send millions
        self._first_records = []
        self._last_records = collections.deque(maxlen=MAX_RECORDS // 2)
        self.omitted_records = 0

    def result(self, file, lineno, ttype, message):
        """tst_res_(): print and count one result."""
        if ttype == TDEBUG and not self.debug:
            return
        name = TTYPE_NAMES.get(ttype, f"T{ttype}")
        # One line per result, whatever host code passes (paths, test
        # names, exception text): no forged result line or Summary. A file
        # name has no ':', so that only the real one ends it.
        file = printable_text(str(file)).replace(":", "\\x3a")
        message = printable_text(str(message))
        label = (f"{_COLOURS[ttype]}{name}: {_RESET}" if self.colour
                 and ttype in _COLOURS else f"{name}: ")
        shown = "" if self.reproducible else message  # as LTP does
        with self.guard():
            self._record((file, lineno, name, message))
            self.stream.write(f"{file}:{lineno}: {label}{shown}\n")
            self.stream.flush()
            self._count(ttype)

    def _count(self, ttype):
        if ttype == TPASS:
            self.passed += 1
        elif ttype == TFAIL:
            self.failed += 1
        elif ttype == TBROK:
            self.broken += 1
        elif ttype == TCONF:
            self.skipped += 1
        elif ttype == TWARN:
            self.warnings += 1

    def details(self, lines):
        """Lines explaining the last result (a crash report), indented so
        that no reader takes them for results."""
        with self.guard():
            self.stream.write("".join(f"    {printable_text(str(line))}\n"
                                      for line in lines))
            self.stream.flush()

    def _record(self, record):
        if len(self._first_records) < MAX_RECORDS // 2:
            self._first_records.append(record)
            return
        if len(self._last_records) == self._last_records.maxlen:
            self.omitted_records += 1
        self._last_records.append(record)

    @property
    def records(self):
        """The results kept: all of them up to MAX_RECORDS, else the first
        and the last MAX_RECORDS // 2 (omitted_records were left out)."""
        return self._first_records + list(self._last_records)

    def counts(self):
        return (self.passed, self.failed, self.broken, self.skipped,
                self.warnings)

    def summary(self, tags=()):
        """The Summary block, after LTP's hints when something failed or
        broke."""
        if self.failed or self.broken:
            self.stream.write(failure_hints(
                tags, f"{_COLOURS[TCONF]}HINT: {_RESET}" if self.colour
                else "HINT: "))
        self.stream.write(
            "\nSummary:\n"
            f"passed   {self.passed}\n"
            f"failed   {self.failed}\n"
            f"broken   {self.broken}\n"
            f"skipped  {self.skipped}\n"
            f"warnings {self.warnings}\n")
        self.stream.flush()

    def exit_status(self):
        """LTP's exit status: result bits OR-ed."""
        status = 0
        if self.failed:
            status |= TFAIL
        if self.skipped and not self.passed:
            status |= TCONF
        if self.warnings:
            status |= TWARN
        if self.broken:
            status |= TBROK
        return status
