# SPDX-License-Identifier: GPL-2.0-or-later
"""The privilege-boundary tests (issue 11) on this host: each ends in the
verdict it must have here (TPASS, or TCONF with its reason, never TBROK),
with exactly the TFAIL findings tests/known_failures.json lists for this
host's KVM and none anywhere else; and each negative control
(tests/payloads/control_<test>.c) reaches its TFAIL path."""
import json
import os
import re

import pytest

from conftest import REPO, needs_kvm
from test_guest_library import ARCHES, run_suite

pytestmark = needs_kvm

TESTS = ("kvm_emul_priv01", "kvm_iopl01", "kvm_umip01", "kvm_wrmsr_canon01",
         "kvm_emul_canon01", "kvm_emulfail01", "kvm_mmio_split01",
         "kvm_movss01", "kvm_icebp01", "kvm_ac01", "kvm_db01",
         "kvm_emul_cpl02", "kvm_mmu_access01")
KNOWN_FAILURES = os.path.join(REPO, "tests", "known_failures.json")


def known_failures(test, arch):
    """The TFAIL messages known_failures.json expects here."""
    with open(KNOWN_FAILURES) as f:
        entries = json.load(f)["failures"]
    release = os.uname().release
    return sorted(
        message for entry in entries
        if entry["test"] == test and entry["arch"] == arch
        and os.path.isdir(f"/sys/module/{entry['module']}")
        and re.match(entry["release"] or ".", release)
        for message in entry["tfail"])


def assert_clean_run(run):
    """One Summary, no TBROK, no traceback."""
    assert run.output.splitlines().count("Summary:") == 1, run.output
    assert "Traceback" not in run.output, run.output
    assert run.summary()["broken"] == 0, run.output


@pytest.mark.parametrize("arch", ARCHES)
@pytest.mark.parametrize("test", TESTS)
def test_verdict_on_this_host(ltpkvm, test, arch):
    run = ltpkvm("run", "--arch", arch, test)
    assert_clean_run(run)
    summary = run.summary()
    failed = sorted(message for _, _, ttype, message in run.results()
                    if ttype == "TFAIL")
    assert failed == known_failures(test, arch), run.output
    if not failed:
        assert summary["passed"] or summary["skipped"], run.output
        assert run.status in (0, 32), run.output
    for _, _, ttype, message in run.results():
        if ttype == "TCONF":
            assert len(message) > 20, run.output   # a reason, not a word


@pytest.mark.parametrize("test", TESTS)
def test_negative_control_fails(ltpkvm, test):
    run = run_suite(ltpkvm, "x86_64", f"control_{test}")
    assert_clean_run(run)
    assert run.summary()["failed"] >= 1, run.output
    assert run.status & 1, run.output


def test_known_failures_name_real_tests():
    with open(KNOWN_FAILURES) as f:
        entries = json.load(f)["failures"]
    for entry in entries:
        assert set(entry) == {"test", "arch", "module", "release", "tfail",
                              "reason"}, entry
        assert os.path.exists(os.path.join(REPO, "payloads",
                                           entry["test"] + ".c")), entry
        assert entry["reason"] and entry["tfail"], entry


def load_hook(test):
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        f"{test}_hook", os.path.join(REPO, "payloads", f"{test}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class FakeMsrs:
    """A vCPU's MSRs as the host sees them: takes what take() allows."""

    def __init__(self, take):
        self.values, self.take = {}, take

    def get_msrs(self, indices):
        return {i: self.values.get(i, 0x1000) for i in indices}

    def set_msrs(self, values):
        taken = 0
        for index, value in values.items():
            value = self.take(index, value)
            if value is None:
                break
            self.values[index] = value
            taken += 1
        return taken


@pytest.mark.parametrize("take, failures", [
    (lambda index, value: None, 0),                      # refuses all
    (lambda index, value: value, 7),                     # the bug: takes all
    (lambda index, value: 0 if index in (0x175, 0x176) else None, 0),
    (lambda index, value: 0, 5),                  # "took" what it must not
])
def test_wrmsr_canon01_host_half(monkeypatch, take, failures):
    hook = load_hook("kvm_wrmsr_canon01")
    seen = []
    monkeypatch.setattr(hook, "tst_res",
                        lambda ttype, msg: seen.append((ttype, msg)))
    hook.check_host_writes(FakeMsrs(take))
    assert len(seen) == 7
    assert sum(ttype == hook.TFAIL for ttype, _ in seen) == failures, seen
