# SPDX-License-Identifier: GPL-2.0-or-later
"""How the host library reports, as LTP's does: tst_res() prints a result
(to the running test's sink, the LTP reporter), tst_brk() ends the test
with one.

Host-side results carry the Python file and line that raised them, as LTP's
C library prints __FILE__ and __LINE__.
"""
import contextlib
import os
import sys

_sinks = []   # the running tests' sinks, innermost last


def caller_location(depth=1):
    """(file basename, line) of the caller's caller."""
    frame = sys._getframe(depth + 1)
    return os.path.basename(frame.f_code.co_filename), frame.f_lineno


class AbortTest(Exception):
    """tst_brk(): the test cannot go on; ttype is the result to report,
    details lines that explain it (a crash report)."""

    def __init__(self, ttype, message, file=None, lineno=None, details=()):
        super().__init__(message)
        self.ttype = ttype
        self.message = message
        self.details = list(details)
        if file is None:
            file, lineno = caller_location(1)
        self.file = file
        self.lineno = lineno


def tst_brk(ttype, message, details=()):
    """Raise AbortTest located at the caller."""
    file, lineno = caller_location()
    raise AbortTest(ttype, message, file, lineno, details)


class NullSink:
    """A result sink that drops everything."""

    def result(self, file, lineno, ttype, message):
        pass


def host_res(sink, ttype, message):
    """tst_res() from host code: report through sink, located at the caller."""
    file, lineno = caller_location()
    sink.result(file, lineno, ttype, message)


@contextlib.contextmanager
def reporting_to(sink):
    """Make sink the one tst_res() reports to, for a test's run."""
    _sinks.append(sink)
    try:
        yield sink
    finally:
        _sinks.remove(sink)


def tst_res(ttype, message):
    """tst_res() for host hooks: one result of the running test, located
    at the caller."""
    if not _sinks:
        raise RuntimeError("tst_res() outside a running test")
    _sinks[-1].result(*caller_location(), ttype, message)
