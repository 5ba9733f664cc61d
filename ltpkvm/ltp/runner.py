# SPDX-License-Identifier: GPL-2.0-or-later
"""Running one test the way LTP's tst_test.c runs it: requirement checks,
setup, iterations, cleanup, then the Summary block and the exit status."""
import contextlib
import os
import signal
import time
import traceback

from .. import __version__
from ..host.errors import AbortTest, NullSink, caller_location, tst_brk
from ..host.guest_abi import TBROK, TCONF, TINFO
from ..host.health import KernelHealth
from ..host.instance import KvmTest, install_kick_handler
from ..host.modules import ModuleReloader, module_loaded
from ..host.x86 import CPU_FEATURES, guest_cpu_features
from ..kvm import KvmError, KvmSystem
from .kconfig import check_kconfigs

DEFAULT_TIMEOUT = 30   # seconds, LTP's default per run
RETRY_INTERVAL = 0.1   # re-send SIGALRM until the handler has run


def timeout_multiplier():
    """LTP_TIMEOUT_MUL; unlike LTP, values below 1 are allowed (> 0)."""
    text = os.environ.get("LTP_TIMEOUT_MUL", "1")
    try:
        value = float(text)
    except ValueError:
        value = 0
    if not value > 0:
        tst_brk(TBROK, f"LTP_TIMEOUT_MUL must be a number > 0 ({text!r})")
    return value


def test_timeout(definition):
    """Seconds each run may take: LTP's 30 s plus the test's own extra,
    times LTP_TIMEOUT_MUL."""
    return (DEFAULT_TIMEOUT + definition.timeout) * timeout_multiplier()


@contextlib.contextmanager
def deadline(seconds):
    """TBROK "Test timed out" in the main thread after seconds.

    SIGALRM makes a KVM_RUN on this thread return EINTR and the handler
    raises. The timer repeats until the handler has run: a signal that
    lands just before KVM_RUN is entered would otherwise be lost."""
    def expired(signum, frame):
        signal.setitimer(signal.ITIMER_REAL, 0)
        raise AbortTest(TBROK, f"Test timed out after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds, RETRY_INTERVAL)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def print_preamble(reporter, timeout):
    """The TINFO lines every LTP test starts with."""
    def info(message):
        reporter.result(*caller_location(), TINFO, message)

    uname = os.uname()
    info(f"ltpkvm version: {__version__}")
    info(f"Tested kernel: {uname.release} {uname.version} {uname.machine}")
    seconds = round(timeout)
    info(f"Timeout per run is {seconds // 3600}h {seconds // 60 % 60:02d}m "
         f"{seconds % 60:02d}s")


def check_requirements(definition, arch, reporter):
    """TCONF, with LTP's wording, when this host cannot run the test."""
    if arch not in definition.supported_archs:
        tst_brk(TCONF, f"This arch '{arch}' is not supported for test!")
    if definition.needs_root and os.geteuid() != 0:
        tst_brk(TCONF, "Test needs to be run as root")
    if os.cpu_count() < definition.min_cpus:
        tst_brk(TCONF, f"Test needs at least {definition.min_cpus} CPUs "
                "online")
    check_kconfigs(definition.needs_kconfigs,
                   lambda ttype, message: reporter.result(
                       *caller_location(), ttype, message))


def check_cpu_features(definition):
    """TCONF when KVM does not offer the guest a CPU feature the test
    needs. Checked after module_params are applied (nested=1 is what makes
    KVM offer SVM or VMX)."""
    missing = set(definition.needs_cpu_features) - offered_cpu_features()
    if missing:
        tst_brk(TCONF, "KVM does not offer the guest CPU feature(s) "
                f"{', '.join(sorted(missing))}")


def requirement_problem(definition, arch):
    """Why the test would report TCONF before booting on this host, or
    None; prints nothing and changes no module parameter."""
    try:
        check_requirements(definition, arch, NullSink())
        check_cpu_features(definition)
    except AbortTest as exc:
        changes = "; ".join(f"{module} " + " ".join(
            f"{param}={value}" for param, value in params.items())
            for module, params in definition.module_params.items()
            if module_loaded(module))
        return exc.message + (f" (unless the test's {changes} changes that)"
                              if changes and "CPU feature" in exc.message
                              else "")
    return None


def offered_cpu_features():
    """What KVM offers guests; everything when KVM cannot be asked (the
    test's setup then reports why KVM is unusable)."""
    try:
        with KvmSystem() as system:
            return guest_cpu_features(system.supported_cpuid())
    except KvmError:
        return set(CPU_FEATURES)


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
        reporter.details(exc.details)
    except Exception as exc:  # noqa: BLE001 - a user never sees a traceback
        _report_crash(reporter, exc, debug)
    return False


def _iterations(iterations, duration):
    """Iteration numbers: `iterations` of them, or (-I) as many as fit in
    duration seconds, at least one."""
    if not duration:
        yield from range(iterations)
        return
    end = time.monotonic() + duration
    count = 0
    while count == 0 or time.monotonic() < end:
        yield count
        count += 1


def run_test(definition, payload_path, arch, reporter, iterations=1,
             debug=False, duration=0):
    """Run a test; returns LTP's exit status. The Summary is always printed."""
    test = KvmTest(payload_path, reporter, debug=debug)
    setup = definition.setup or KvmTest.setup
    run = definition.run or KvmTest.run
    cleanup = definition.cleanup or KvmTest.cleanup

    reloader = ModuleReloader()

    def setup_and_run():
        timeout = test_timeout(definition)
        print_preamble(reporter, timeout)
        check_requirements(definition, arch, reporter)
        install_kick_handler()
        with deadline(timeout):
            reloader.apply(definition.module_params, lambda message:
                           reporter.result(*caller_location(), TINFO,
                                           message))
            check_cpu_features(definition)
            setup(test)
        if test.payload is not None and test.payload.arch != arch:
            tst_brk(TBROK, f"Payload {payload_path} is built for "
                    f"{test.payload.arch}, not {arch}")
        for _ in _iterations(iterations, duration):
            before = reporter.counts()
            with deadline(timeout):
                run(test)
            if reporter.counts() == before:
                tst_brk(TBROK, "Test haven't reported results!")

    health = KernelHealth().start()
    _guarded(reporter, debug, setup_and_run)
    _guarded(reporter, debug, cleanup, test)
    if definition.cleanup:
        _guarded(reporter, debug, KvmTest.cleanup, test)  # never leak a VM
    _guarded(reporter, debug, reloader.restore)
    for ttype, message in health.finish():
        reporter.result(*caller_location(), ttype, message)
    reporter.summary(definition.tags)
    return reporter.exit_status()
