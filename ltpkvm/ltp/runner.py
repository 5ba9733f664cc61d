# SPDX-License-Identifier: GPL-2.0-or-later
"""Running one test the way LTP's tst_test.c runs it: requirement checks,
setup, iterations, cleanup, then the Summary block and the exit status."""
import os
import traceback

from ..host.errors import AbortTest, tst_brk
from ..host.guest_abi import TBROK, TCONF
from ..host.instance import KvmTest


def check_requirements(definition, arch):
    """TCONF, with LTP's wording, when this host cannot run the test."""
    if arch not in definition.supported_archs:
        tst_brk(TCONF, f"This arch '{arch}' is not supported for test!")
    if definition.needs_root and os.geteuid() != 0:
        tst_brk(TCONF, "Test needs to be run as root")
    if os.cpu_count() < definition.min_cpus:
        tst_brk(TCONF, f"Test needs at least {definition.min_cpus} CPUs "
                "online")


def _report_crash(reporter, exc, debug):
    """An exception we did not expect is a bug (ours or a hook's): TBROK."""
    frames = traceback.extract_tb(exc.__traceback__) or [None]
    where = frames[-1]
    file = os.path.basename(where.filename) if where else "ltpkvm"
    lineno = where.lineno if where else 0
    reporter.result(file, lineno, TBROK,
                    f"Internal error: {type(exc).__name__}: {exc}")
    if debug:
        traceback.print_exception(exc, file=reporter.stream)


def _guarded(reporter, debug, action, *args):
    """Run action; report how it ended the test, if it did. True if not."""
    try:
        action(*args)
        return True
    except AbortTest as exc:
        reporter.result(exc.file, exc.lineno, exc.ttype, exc.message)
    except Exception as exc:  # noqa: BLE001 - a user never sees a traceback
        _report_crash(reporter, exc, debug)
    return False


def run_test(definition, payload_path, arch, reporter, iterations=1,
             debug=False):
    """Run a test; returns LTP's exit status. The Summary is always printed."""
    test = KvmTest(payload_path, reporter)
    setup = definition.setup or KvmTest.setup
    run = definition.run or KvmTest.run
    cleanup = definition.cleanup or KvmTest.cleanup

    def setup_and_run():
        check_requirements(definition, arch)
        setup(test)
        for _ in range(iterations):
            before = reporter.counts()
            run(test)
            if reporter.counts() == before:
                tst_brk(TBROK, "Test haven't reported results!")

    _guarded(reporter, debug, setup_and_run)
    _guarded(reporter, debug, cleanup, test)
    if definition.cleanup:
        _guarded(reporter, debug, KvmTest.cleanup, test)  # never leak a VM
    reporter.summary()
    return reporter.exit_status()
