# SPDX-License-Identifier: GPL-2.0-or-later
"""SIGINT, SIGTERM and SIGALRM at random moments into runs of a flooding
guest, a spinning guest and a guest spinning on a vCPU thread: every run
ends within its timeout plus 1 s, prints exactly one Summary whose counts
equal the result lines printed, restores the module parameters it changed
(a fake sysfs) and leaves no thread or file descriptor behind."""
import io
import os
import random
import re
import shutil
import signal
import threading
import time

from conftest import needs_kvm
from ltpkvm.host import modules
from ltpkvm.ltp.catalog import Catalog
from ltpkvm.ltp.interrupts import Interrupts
from ltpkvm.ltp.reporter import Reporter
from ltpkvm.ltp.runner import run_test

RUNS = 120
TIMEOUT_MUL = 0.02          # LTP's 30 s -> 0.6 s
TIMEOUT = 30 * TIMEOUT_MUL
COUNTED = {"TPASS": "passed", "TFAIL": "failed", "TBROK": "broken",
           "TCONF": "skipped", "TWARN": "warnings"}
RESULT_LINE = re.compile(r"^[^:]*:-?\d+: (T[A-Z]+): ", re.M)

RELOADS = 'module_params = {"kvm_amd": {"npt": 0}}\n'
ON_A_THREAD = RELOADS + '''
import errno

from ltpkvm.host import VcpuThread


def run(test):
    instance = test.create_instance()
    vcpu = VcpuThread(instance, exp_errno=errno.EINTR)
    vcpu.start()
    vcpu.join()
'''
GUESTS = {"kvm_flood01": ("hostile_fail_flood", RELOADS),
          "kvm_spin01": ("hostile_spin", RELOADS),
          "kvm_thread01": ("hostile_spin", ON_A_THREAD)}


def open_fds():
    return set(os.listdir("/proc/self/fd"))


@needs_kvm
def test_signals_at_random_moments(build_dir, fake_host, tmp_path,
                                   monkeypatch):
    monkeypatch.setenv("LTP_TIMEOUT_MUL", str(TIMEOUT_MUL))
    monkeypatch.setenv("LTP_COLORIZE_OUTPUT", "n")
    (tmp_path / "x86_64").mkdir()
    for name, (payload, definition) in GUESTS.items():
        shutil.copy(os.path.join(build_dir, "tests", "x86_64",
                                 payload + ".bin"),
                    tmp_path / "x86_64" / f"{name}.bin")
        (tmp_path / f"{name}.py").write_text(definition)
    catalog = Catalog(str(tmp_path))
    rng = random.Random(20261202)
    main_thread = threading.main_thread().ident
    threads, fds = threading.active_count(), open_fds()
    seen = set()
    for run in range(RUNS):
        name = rng.choice(sorted(GUESTS))
        signum = rng.choice([signal.SIGINT, signal.SIGTERM, signal.SIGALRM])
        delay = rng.uniform(0, TIMEOUT * 1.2)
        interrupts = Interrupts()
        interrupts.install()
        timer = threading.Timer(delay, signal.pthread_kill,
                                (main_thread, signum))
        reporter = Reporter(stream=io.StringIO())
        started = time.monotonic()
        try:
            timer.start()
            status = run_test(catalog.definition(name),
                              catalog.payload_path(name, "x86_64"), "x86_64",
                              reporter, interrupts=interrupts)
            elapsed = time.monotonic() - started
            timer.join()
        finally:
            timer.cancel()
            interrupts.uninstall()
        output = reporter.stream.getvalue()
        what = f"run {run}: {name}, {signum.name} after {delay:.2f} s"
        assert elapsed < TIMEOUT + 1, f"{what}: took {elapsed:.2f} s"
        assert output.splitlines().count("Summary:") == 1, what
        printed = dict.fromkeys(COUNTED.values(), 0)
        for ttype in RESULT_LINE.findall(output):
            if ttype in COUNTED:
                printed[COUNTED[ttype]] += 1
        summary = output[output.index("\nSummary:\n"):].split("\n")[2:7]
        assert printed == {key: int(value) for key, value in
                           (line.split() for line in summary)}, what
        assert status & 2, f"{what}: not broken ({status})"
        assert modules.read_bool_param("kvm_amd", "npt") is True, what
        assert threading.active_count() == threads, what
        assert open_fds() == fds, what
        seen.add((name, signum, "interrupted" in output))
    # Each guest met each signal, and signals landed inside runs
    assert {(n, s) for n, s, _ in seen} == {
        (n, s) for n in GUESTS for s in (signal.SIGINT, signal.SIGTERM,
                                         signal.SIGALRM)}
    assert any(hit for *_, hit in seen)
