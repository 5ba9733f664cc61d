# SPDX-License-Identifier: GPL-2.0-or-later
"""Running one test the way LTP's tst_test.c runs it: requirement checks,
setup, iterations, cleanup, then the Summary block and the exit status."""
import math
import os
import re
import time

from .. import __version__
from ..host.errors import (AbortTest, NullSink, caller_location,
                           reporting_to, tst_brk)
from ..host.guest_abi import TBROK, TCONF, TINFO
from ..host.health import KernelHealth
from ..host.lifecycle import KvmTest
from ..host.runloop import install_kick_handler
from ..host.modules import ModuleReloader, module_loaded
from ..host.x86 import CPU_FEATURES, guest_cpu_features
from ..kvm import KvmError, KvmSystem
from .definitions import DEFAULT_TIMEOUT
from .interrupts import Interrupts
from .kconfig import check_kconfigs
from .sysconf import SysConf

MAX_MULTIPLIER = 10000  # LTP's bound for LTP_TIMEOUT_MUL and LTP_RUNTIME_MUL


def _multiplier(name):
    """LTP_TIMEOUT_MUL or LTP_RUNTIME_MUL: a finite number > 0 and at most
    LTP's 10000 (LTP also wants it >= 0.099; smaller ones are allowed here,
    for testing)."""
    text = os.environ.get(name, "1")
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 < value <= MAX_MULTIPLIER:
        tst_brk(TBROK, f"{name} must be a number > 0 and <= "
                f"{MAX_MULTIPLIER} ({text[:40]!r})")
    return value


def timeout_multiplier():
    return _multiplier("LTP_TIMEOUT_MUL")


def test_timeout(definition):
    """Seconds each run may take, as LTP reckons them: its 30 s plus the
    test's own extra, times LTP_TIMEOUT_MUL, plus its runtime times
    LTP_RUNTIME_MUL; None when the test's timeout is -1 (unlimited)."""
    if definition.timeout < -1:
        tst_brk(TBROK, f"Invalid timeout value {definition.timeout}")
    if definition.runtime < 0:
        tst_brk(TBROK, f"Invalid runtime value {definition.runtime}")
    if definition.timeout == -1:
        return None
    runtime = definition.runtime * _multiplier("LTP_RUNTIME_MUL") \
        if definition.runtime else 0
    return (DEFAULT_TIMEOUT + definition.timeout) * timeout_multiplier() + \
        runtime


def print_preamble(reporter, timeout):
    """The TINFO lines every LTP test starts with."""
    def info(message):
        reporter.result(*caller_location(), TINFO, message)

    uname = os.uname()
    info(f"ltpkvm version: {__version__}")
    info(f"Tested kernel: {uname.release} {uname.version} {uname.machine}")
    if timeout is None:
        info("Test timeout is not limited")
        return
    seconds = round(timeout)
    info(f"Timeout per run is {seconds // 3600}h {seconds // 60 % 60:02d}m "
         f"{seconds % 60:02d}s")


class Unmet(AbortTest):
    """A requirement this host does not meet (TCONF); .kind says which:
    tconf_msg, arch, root, kver, cpus, cmd, driver, kconfig or
    cpu_feature."""

    def __init__(self, kind, message):
        file, lineno = caller_location(1)
        super().__init__(TCONF, message, file, lineno)
        self.kind = kind


def _kernel_version(release):
    return tuple(int(part) for part in re.findall(r"\d+", release)[:3])


def _driver_available(name):
    """LTP's tst_check_driver(): loaded, built in, or among the modules."""
    variants = {name, name.replace("-", "_"), name.replace("_", "-")}
    if any(os.path.isdir(f"/sys/module/{v}") for v in variants):
        return True
    release = os.uname().release
    for index in ("modules.builtin", "modules.dep"):
        try:
            with open(f"/lib/modules/{release}/{index}") as f:
                for line in f:
                    module = os.path.basename(line.split(":")[0])
                    if module.split(".ko")[0] in variants:
                        return True
        except OSError:
            continue
    return False


def check_requirements(definition, arch, reporter):
    """Unmet (TCONF), with LTP's wording, when this host cannot run the
    test; in LTP's order."""
    if definition.tconf_msg:
        raise Unmet("tconf_msg", definition.tconf_msg)
    if arch not in definition.supported_archs:
        raise Unmet("arch", f"This arch '{arch}' is not supported for test!")
    check_kconfigs(definition.needs_kconfigs,
                   lambda ttype, message: reporter.result(
                       *caller_location(), ttype, message))
    if definition.needs_root and os.geteuid() != 0:
        raise Unmet("root", "Test needs to be run as root")
    if definition.min_kver and _kernel_version(os.uname().release) < \
            _kernel_version(definition.min_kver):
        raise Unmet("kver", f"The test requires kernel {definition.min_kver}"
                    " or newer")
    if definition.needs_cmds:
        import shutil   # which(): only for tests that need commands
    for command in definition.needs_cmds:
        name = command.split()[0] if command.split() else command
        if not shutil.which(name):
            raise Unmet("cmd", f"Couldn't find '{name}' in $PATH")
    for driver in definition.needs_drivers:
        if not _driver_available(driver):
            raise Unmet("driver", f"{driver} driver not available")
    if os.cpu_count() < definition.min_cpus:
        raise Unmet("cpus", f"Test needs at least {definition.min_cpus} CPUs "
                    "online")


def check_cpu_features(definition):
    """Unmet when KVM does not offer the guest a CPU feature the test
    needs. Checked after module_params are applied (nested=1 is what makes
    KVM offer SVM or VMX)."""
    missing = set(definition.needs_cpu_features) - offered_cpu_features()
    if missing:
        raise Unmet("cpu_feature", "KVM does not offer the guest CPU "
                    f"feature(s) {', '.join(sorted(missing))}")


class Skip:
    """Why a test would be skipped on this host: kind (as Unmet's), message,
    and the module parameters the test reloads that may change that."""

    def __init__(self, kind, message, unless=""):
        self.kind, self.message, self.unless = kind, message, unless

    def __str__(self):
        return self.message + (f" (unless the test's {self.unless} changes "
                               "that)" if self.unless else "")


def requirement_problem(definition, arch):
    """The Skip saying why the test would report TCONF before booting on
    this host, or None; prints nothing and changes no module parameter."""
    try:
        test_timeout(definition)
        check_requirements(definition, arch, NullSink())
        check_cpu_features(definition)
    except Unmet as exc:
        unless = ""
        if exc.kind == "cpu_feature":
            unless = "; ".join(f"{module} " + " ".join(
                f"{param}={value}" for param, value in params.items())
                for module, params in definition.module_params.items()
                if module_loaded(module))
        return Skip(exc.kind, exc.message, unless)
    except AbortTest as exc:
        return Skip("broken", exc.message)
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
    import traceback   # a passing test never needs it
    frames = traceback.extract_tb(exc.__traceback__) or [None]
    where = frames[-1]
    file = os.path.basename(where.filename) if where else "ltpkvm"
    lineno = where.lineno if where else 0
    if isinstance(exc, SystemExit):
        message = f"The test exited (SystemExit: {exc.code!r})"
    elif isinstance(exc, KeyboardInterrupt):
        message = "KeyboardInterrupt raised by the test"
    else:
        message = f"Internal error: {type(exc).__name__}: {exc}"
    reporter.result(file, lineno, TBROK, message)
    if debug:
        reporter.details("".join(traceback.format_exception(exc))
                         .splitlines())


def _guarded(reporter, debug, action, *args):
    """Run action; report how it ended the test, if it did: a hook's
    SystemExit or KeyboardInterrupt is its TBROK too, never a way out
    without the Summary. True if it did not end the test."""
    try:
        action(*args)
        return True
    except AbortTest as exc:
        reporter.result(exc.file, exc.lineno, exc.ttype, exc.message)
        reporter.details(exc.details)
    except BaseException as exc:  # noqa: BLE001 - never a traceback
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
             debug=False, duration=0, interrupts=None):
    """Run a test; returns LTP's exit status. However it ends (a result, a
    timeout, a signal, an exception from a hook), cleanup runs, module
    parameters and save_restore files are restored and the Summary is
    printed. interrupts: the session's, whose stop signals end it."""
    interrupts = interrupts or Interrupts()
    test = KvmTest(payload_path, reporter, debug=debug,
                   mmio_regions=definition.mmio_regions,
                   port_regions=definition.port_regions)
    setup = definition.setup or KvmTest.setup
    run = definition.run or KvmTest.run

    def info(message):
        reporter.result(*caller_location(), TINFO, message)

    reloader = ModuleReloader()
    sysconf = SysConf(lambda ttype, message: reporter.result(
        *caller_location(), ttype, message))
    timeout = None

    def setup_and_run():
        nonlocal timeout
        timeout = test_timeout(definition)
        print_preamble(reporter, timeout)
        check_requirements(definition, arch, reporter)
        install_kick_handler()
        with interrupts.deadline(timeout):
            sysconf.apply(definition.save_restore)
            reloader.apply(definition.module_params, info)
            check_cpu_features(definition)
            setup(test)
        if test.payload is not None and test.payload.arch != arch:
            tst_brk(TBROK, f"Payload {payload_path} is built for "
                    f"{test.payload.arch}, not {arch}")
        for _ in _iterations(iterations, duration):
            before = reporter.counts()
            with interrupts.deadline(timeout):
                run(test)
            if reporter.counts() == before:
                tst_brk(TBROK, "Test haven't reported results!")

    def armed_setup_and_run():
        with interrupts.armed():
            setup_and_run()

    def cleanup_hook():
        # A hook that hangs in cleanup is cut like one that hangs in run
        with interrupts.deadline(timeout):
            definition.cleanup(test)

    reporter.guard = interrupts.critical
    health = KernelHealth().start()
    with reporting_to(reporter):   # the hooks' tst_res()
        _guarded(reporter, debug, armed_setup_and_run)
        stopped_in_run = interrupts.stop_signal is not None
        if definition.cleanup:
            _guarded(reporter, debug, cleanup_hook)
        # Never leak a VM: no deadline can cut this one short
        _guarded(reporter, debug, KvmTest.cleanup, test)
        _guarded(reporter, debug, reloader.restore)
        _guarded(reporter, debug, sysconf.restore)
    if interrupts.stop_signal is not None and not stopped_in_run:
        # Stopped during cleanup, which was left to finish first
        _guarded(reporter, debug, interrupts.raise_stopped)
    for ttype, message in health.finish():
        reporter.result(*caller_location(), ttype, message)
    reporter.summary(definition.tags)
    return reporter.exit_status()
