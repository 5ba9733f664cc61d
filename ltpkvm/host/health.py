# SPDX-License-Identifier: GPL-2.0-or-later
"""The host kernel's health around a test: KVM bugs often show only on the
host, so a KVM-related WARN/BUG/oops in the kernel log, or a new taint
flag, must not let a test pass unnoticed."""
import os
import re

from .guest_abi import TFAIL, TWARN

KMSG = "/dev/kmsg"
TAINTED = "/proc/sys/kernel/tainted"
TAINT_FLAGS = "PFSRMBUDAWCIOELKXTN"   # bit n -> letter, as the kernel's
SPLAT = re.compile(r"^(WARNING: |BUG: |Oops|general protection fault|"
                   r"kernel BUG at|Kernel panic)")
OOPS = re.compile(r"^(BUG: |Oops|general protection fault|kernel BUG at|"
                  r"Kernel panic)")
SPLAT_LINES = 40    # how far a splat is searched for "kvm"
QUOTED_LINES = 5


def taint_letters(mask):
    return "".join(flag for bit, flag in enumerate(TAINT_FLAGS)
                   if mask >> bit & 1)


class KernelHealth:
    """Watches the kernel log and taint from start() to finish()."""

    def __init__(self, kmsg=KMSG, tainted=TAINTED):
        self.kmsg_path, self.tainted_path = kmsg, tainted
        self.fd = None
        self.taint = None

    def _read_taint(self):
        try:
            with open(self.tainted_path) as f:
                return int(f.read().strip() or 0)
        except (OSError, ValueError):
            return None

    def start(self):
        self.taint = self._read_taint()
        try:
            self.fd = os.open(self.kmsg_path, os.O_RDONLY | os.O_NONBLOCK
                              | os.O_CLOEXEC)
            os.lseek(self.fd, 0, os.SEEK_END)   # only what comes next
        except OSError:
            self.close()   # not readable (not root): taint only
        return self

    def _new_log_lines(self):
        chunks = []
        while self.fd is not None:
            try:
                chunk = os.read(self.fd, 8192)
            except BlockingIOError:
                break
            except OSError:   # EPIPE: records overwritten; read on
                continue
            if not chunk:
                break
            chunks.append(chunk)
        lines = []
        for line in b"".join(chunks).decode(errors="replace").splitlines():
            # /dev/kmsg records: "prio,seq,time,flags;text"
            _, sep, text = line.partition(";")
            lines.append(text if sep and not line.startswith(" ") else line)
        return lines

    def finish(self):
        """[(ttype, message)]: TFAIL for a KVM-related oops, TWARN for a
        KVM-related warning or a new taint flag."""
        found = []
        lines = self._new_log_lines()
        for i, line in enumerate(lines):
            if not SPLAT.match(line):
                continue
            splat = lines[i:i + SPLAT_LINES]
            ends = [n for n, s in enumerate(splat) if s.startswith("---[ end")]
            splat = splat[:ends[0] + 1] if ends else splat
            if any("kvm" in s.lower() for s in splat):
                quote = " | ".join(s.strip() for s in splat[:QUOTED_LINES])
                found.append((TFAIL if OOPS.match(line) else TWARN,
                              f"Kernel log: {quote}"))
        taint = self._read_taint()
        if None not in (taint, self.taint) and taint & ~self.taint:
            found.append((TWARN, f"Kernel became tainted: {self.taint:#x} -> "
                          f"{taint:#x} (new flags: "
                          f"{taint_letters(taint & ~self.taint)})"))
        self.close()
        return found

    def close(self):
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
