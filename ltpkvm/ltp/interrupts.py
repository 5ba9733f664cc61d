# SPDX-License-Identifier: GPL-2.0-or-later
"""The ways a run is cut short from outside: the deadline (SIGALRM) and
SIGINT, SIGTERM, SIGHUP. Each becomes an AbortTest raised in the main
thread (a KVM_RUN there returns EINTR), so that the test's cleanup runs,
module parameters are restored and the Summary is printed, as LTP's library
process does when it stops a test.

Never inside a critical section (a result line being printed and counted):
a signal that lands there is held until the section ends, so no line is
torn and the counts match the lines. A section blocked for longer than
GRACE (a reader that stopped reading) is cut anyway, to keep the run
bounded.
"""
import contextlib
import signal
import time

from ..host.errors import AbortTest, caller_location
from ..host.guest_abi import TBROK

RETRY_INTERVAL = 0.1   # re-send SIGALRM until the handler has run
GRACE = 0.5            # seconds a held deadline waits for a section
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Stopped(AbortTest):
    """The run was stopped by a signal: the session runs no more tests."""


class Interrupts:
    def __init__(self):
        self._depth = 0
        self._held = None        # the AbortTest to raise after the section
        self._held_since = None
        self.stop_signal = None  # the first SIGINT/SIGTERM/SIGHUP seen
        self._armed = False
        self._previous = {}

    @contextlib.contextmanager
    def critical(self):
        """A section no interrupt may cut (unless it blocks past GRACE)."""
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
            if self._depth == 0 and self._held is not None:
                held, self._held = self._held, None
                raise held

    def _deliver(self, exc, force=False):
        if self._depth and not force:
            if self._held is None:
                self._held, self._held_since = exc, time.monotonic()
            return
        self._held = None
        raise exc

    # SIGINT, SIGTERM, SIGHUP: a TBROK, once; cleanup is never cut
    def _stop(self, signum, frame):
        if self.stop_signal is not None:
            # Already stopping: let cleanup finish, unless the first one
            # is still held by a section that does not end
            if self._armed and isinstance(self._held, Stopped):
                self._deliver(self._held, force=True)
            return
        self.stop_signal = signum
        if self._armed:
            self._deliver(self.stopped())

    def stopped(self):
        """The TBROK of the stop signal."""
        return Stopped(TBROK, "Test interrupted by "
                       f"{signal.Signals(self.stop_signal).name}")

    def raise_stopped(self):
        raise self.stopped()

    @contextlib.contextmanager
    def armed(self):
        """A stop signal raises in here (the test's setup and runs); out of
        it (cleanup, between tests) it is only noted."""
        self._armed = True
        try:
            if self.stop_signal is not None:
                raise self.stopped()
            yield
        finally:
            self._armed = False

    def install(self):
        """Take SIGINT, SIGTERM and SIGHUP, and SIGALRM outside deadlines
        (a stray one must not end the process); main thread only."""
        for signum in STOP_SIGNALS:
            self._previous[signum] = signal.signal(signum, self._stop)
        self._previous[signal.SIGALRM] = signal.signal(
            signal.SIGALRM, lambda *_: None)

    def uninstall(self):
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._previous.clear()

    @contextlib.contextmanager
    def deadline(self, seconds):
        """TBROK "Test timed out" in the main thread after seconds (None:
        no limit). The timer repeats until the handler has raised: a signal
        that lands just before KVM_RUN is entered would otherwise be lost,
        and a held one is raised once its section ends or GRACE passes."""
        if seconds is None:
            yield
            return
        # Located at the `with` (the frames between: contextlib's)
        expired = AbortTest(TBROK, f"Test timed out after {seconds:g} s",
                            *caller_location(2))

        def alarm(signum, frame):
            late = self._held is expired and \
                time.monotonic() - self._held_since > GRACE
            if not self._depth or late:
                signal.setitimer(signal.ITIMER_REAL, 0)
            self._deliver(expired, force=late)

        previous = signal.signal(signal.SIGALRM, alarm)
        # setitimer(0) would disable the timer: never ask for less than 1 ms
        signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001),
                         RETRY_INTERVAL)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            if self._held is expired:
                self._held = None   # the test ended in time after all
