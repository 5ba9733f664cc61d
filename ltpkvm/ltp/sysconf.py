# SPDX-License-Identifier: GPL-2.0-or-later
"""struct tst_test's save_restore, as LTP's tst_sys_conf.c does it: each
file's first line is saved before setup (and the given value written), and
written back after cleanup; a missing or read-only file ends the test in
TCONF, TBROK or is skipped, as its flags say."""
import os

from ..host.errors import tst_brk
from ..host.guest_abi import TBROK, TCONF, TINFO, TWARN
from .csource import SAVE_RESTORE_FLAGS

TBROK_MISSING = SAVE_RESTORE_FLAGS["TST_SR_TBROK_MISSING"]
SKIP_MISSING = SAVE_RESTORE_FLAGS["TST_SR_SKIP_MISSING"]
TBROK_RO = SAVE_RESTORE_FLAGS["TST_SR_TBROK_RO"]
SKIP_RO = SAVE_RESTORE_FLAGS["TST_SR_SKIP_RO"]
IGNORE_ERR = SAVE_RESTORE_FLAGS["TST_SR_IGNORE_ERR"]


class SysConf:
    """The saved values, restored in reverse order."""

    def __init__(self, report):
        self.report = report     # report(ttype, message)
        self.saved = []          # (path, first line)

    def _problem(self, flags, message):
        """A failure to read or write: TINFO with IGNORE_ERR, else TBROK."""
        if flags & IGNORE_ERR:
            self.report(TINFO, message)
            return
        tst_brk(TBROK, message)

    def _usable(self, path, flags):
        """Whether path can be saved: TCONF or TBROK when it is missing or
        read-only, unless the flags say to skip it (then False)."""
        for ok, skip, tbrok, problem in (
                (os.path.exists(path), SKIP_MISSING, TBROK_MISSING,
                 "Path not found"),
                (_writable(path), SKIP_RO, TBROK_RO,
                 "Path is not writable")):
            if not ok:
                if flags & skip:
                    self.report(TINFO, f"{problem}: {path}")
                    return False
                tst_brk(TBROK if flags & tbrok else TCONF,
                        f"{problem}: {path}")
        return True

    def save(self, path, value, flags):
        if not self._usable(path, flags):
            return
        try:
            with open(path) as f:
                line = f.readline(4096)
        except OSError as exc:
            self._problem(flags, f"Failed to open '{path}' for reading: "
                          f"{exc.strerror}")
            return
        if not line:
            self._problem(flags, f"Failed to read anything from '{path}'")
            return
        self.saved.append((path, line))
        if value is not None:
            problem = _write(path, value)
            if problem:
                self._problem(flags, f"Failed to write into '{path}': "
                              f"{problem}")

    def apply(self, entries):
        for path, value, flags in entries:
            self.save(path, value, flags)

    def restore(self):
        """Write back every saved value; a failure is a TWARN (LTP breaks
        there, which would leave the others unrestored)."""
        while self.saved:
            path, line = self.saved.pop()
            problem = _write(path, line)
            if problem:
                self.report(TWARN, f"Failed to restore '{path}': {problem}")


def _writable(path):
    """access(W_OK) says yes to root whatever the mode; a sysfs or procfs
    file without write bits refuses root all the same."""
    try:
        return os.access(path, os.W_OK) and bool(os.stat(path).st_mode & 0o222)
    except OSError:
        return False


def _write(path, text):
    """Write text to path; why it failed, or None."""
    try:
        with open(path, "w") as f:
            f.write(text)
    except OSError as exc:
        return exc.strerror
    return None
