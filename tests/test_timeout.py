# SPDX-License-Identifier: GPL-2.0-or-later
"""LTP's timeout stops a spinning guest and a hanging host hook, and leaves
no thread, file descriptor or VM behind."""
import os
import threading
import time

import pytest

from conftest import BUILD, needs_kvm
from ltpkvm.ltp.definitions import TestDefinition
from ltpkvm.ltp.reporter import Reporter
from ltpkvm.ltp.runner import run_test

pytestmark = needs_kvm
SPIN = os.path.join(BUILD, "tests", "x86_64", "hostile_spin.bin")


def hook_waits_forever(test):
    """A host hook that runs the spinning vCPU on a thread and waits for a
    signal that never comes."""
    from ltpkvm.host import VcpuThread
    instance = test.create_instance()
    VcpuThread(instance).start()
    instance.wait_guest(-1)


@pytest.mark.parametrize("run_hook", [None, hook_waits_forever],
                         ids=["spinning-guest", "hanging-hook"])
def test_timeout_is_tbrok_on_time_and_leaves_nothing(build_dir, monkeypatch,
                                                     tmp_path, run_hook):
    monkeypatch.setenv("LTP_TIMEOUT_MUL", "0.04")   # 30 s -> 1.2 s
    fds = set(os.listdir("/proc/self/fd"))
    threads = threading.active_count()
    log = open(tmp_path / "log", "w+")
    started = time.monotonic()
    status = run_test(TestDefinition("hostile_spin", run=run_hook), SPIN,
                      "x86_64", Reporter(stream=log))
    elapsed = time.monotonic() - started
    log.seek(0)
    output = log.read()
    log.close()
    assert status == 2, output
    assert "TBROK: Test timed out after 1.2 s" in output
    assert "\nSummary:\n" in output
    assert 1.2 <= elapsed < 2.2, elapsed   # within a second of the deadline
    assert threading.active_count() == threads
    assert set(os.listdir("/proc/self/fd")) == fds
