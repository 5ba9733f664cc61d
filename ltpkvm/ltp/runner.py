# SPDX-License-Identifier: GPL-2.0-or-later
"""Running one test the way LTP's tst_test.c runs it: setup, iterations,
cleanup, then the Summary block and the exit status."""
import traceback

from ..host.errors import AbortTest
from ..host.guest_abi import TBROK
from ..host.instance import KvmTest


def _report_abort(reporter, exc):
    reporter.result(exc.file, exc.lineno, exc.ttype, exc.message)


def _report_crash(reporter, exc, debug):
    """An exception we did not expect is our bug: report it as TBROK."""
    frames = traceback.extract_tb(exc.__traceback__) or [None]
    where = frames[-1]
    file = where.filename.rsplit("/", 1)[-1] if where else "ltpkvm"
    lineno = where.lineno if where else 0
    reporter.result(file, lineno, TBROK,
                    f"Internal error: {type(exc).__name__}: {exc}")
    if debug:
        traceback.print_exception(exc, file=reporter.stream)


def run_test(payload_path, reporter, iterations=1, debug=False):
    """Run a test; returns LTP's exit status. The Summary is always printed."""
    test = KvmTest(payload_path, reporter)
    try:
        test.setup()
        for _ in range(iterations):
            before = reporter.counts()
            test.run()
            if reporter.counts() == before:
                raise AbortTest(TBROK, "Test haven't reported results!")
    except AbortTest as exc:
        _report_abort(reporter, exc)
    except Exception as exc:  # noqa: BLE001 - a user never sees a traceback
        _report_crash(reporter, exc, debug)
    finally:
        try:
            test.cleanup()
        except Exception as exc:  # noqa: BLE001
            _report_crash(reporter, exc, debug)
    reporter.summary()
    return reporter.exit_status()
