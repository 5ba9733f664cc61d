# SPDX-License-Identifier: GPL-2.0-or-later
"""How the host library reports: tst_brk() ends the test with a result,
tst_res() hands one to whatever sink the caller gave (the LTP reporter).

Host-side results carry the Python file and line that raised them, as LTP's
C library prints __FILE__ and __LINE__.
"""
import os
import sys


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
