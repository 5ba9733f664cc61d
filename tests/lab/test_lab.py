# SPDX-License-Identifier: GPL-2.0-or-later
"""The emulated SVM lab (tests/lab/run-lab) end to end: boots a Debian
kernel in QEMU TCG with an AMD CPU that has SVM and runs ltpkvm's tests on
its kvm_amd nested=1. Too slow and too demanding (root, apt, QEMU) for
every CI run: it runs only with LTPKVM_LAB=1."""
import json
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
RUN_LAB = os.path.join(HERE, "run-lab")
RESULTS = os.path.join(os.path.dirname(os.path.dirname(HERE)), "build",
                       "lab", "run", "results.json")

pytestmark = pytest.mark.skipif(
    os.environ.get("LTPKVM_LAB") != "1",
    reason="the emulated SVM lab runs only with LTPKVM_LAB=1")

# The lab limits itself to 20 minutes; this only catches a lab that does not.
LAB_TIMEOUT = 1200


@pytest.fixture(scope="module")
def lab():
    """Run the lab once with its default tests: (process, results.json)."""
    if os.path.exists(RESULTS):
        os.unlink(RESULTS)
    proc = subprocess.run([sys.executable, RUN_LAB,
                           f"--timeout={LAB_TIMEOUT - 60}"],
                          capture_output=True, text=True,
                          timeout=LAB_TIMEOUT, check=False)
    # What the lab printed, for a failing assertion's report.
    print(proc.stdout[-20000:], proc.stderr[-5000:], sep="\n")
    with open(RESULTS) as f:
        return proc, json.load(f)


def verdicts(results):
    return {t["test"]: t["verdict"] for t in results["tests"]}


def test_lab_completed(lab):
    proc, results = lab
    assert results["completed"], results["problems"]
    assert proc.returncode == 0
    assert "LAB COMPLETED" in proc.stdout
    assert results["kernel"]
    assert "kvm_amd.nested=1" in results["kvm_params"]


def test_nested_svm_works_in_the_lab(lab):
    _, results = lab
    assert verdicts(results)["lab_svm_smoke"] == "pass"


def test_pagefault01_passes_in_the_lab(lab):
    proc, results = lab
    assert verdicts(results)["kvm_pagefault01"] == "pass"
    assert "TPASS: KVM enforces memory write permissions" in proc.stdout


def test_every_test_got_a_verdict(lab):
    """Each test the lab chose (every kvm_svm0* built when it started) got a
    verdict from the lab kernel; which one is the test's business: a failure
    there can be a real kernel finding."""
    _, results = lab
    for test in results["tests"]:
        assert test["verdict"] != "not run", test["test"]
