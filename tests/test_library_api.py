# SPDX-License-Identifier: GPL-2.0-or-later
"""What the command line shows comes from the library: doctor's verdicts,
info's facts and run's combined status, computed without the CLI (which
only parses and prints)."""
import os

from conftest import needs_kvm
from ltpkvm.ltp.catalog import Catalog
from ltpkvm.ltp import inventory
from ltpkvm.ltp.session import run_tests, select_tests


def test_doctor_verdicts(build_dir):
    facts, verdicts = inventory.doctor_report(Catalog(os.path.join(build_dir,
                                                         "payloads")))
    assert any(check == "/dev/kvm" for check, _, _ in facts)
    by_test = {(v["test"], v["arch"]): v for v in verdicts}
    assert by_test["kvm_pagefault01", "i386"]["kind"] == "arch"
    assert not by_test["kvm_pagefault01", "i386"]["runs"]


def test_info_facts(build_dir, monkeypatch):
    monkeypatch.setenv("LTP_TIMEOUT_MUL", "2")
    about = inventory.test_info(Catalog(os.path.join(build_dir, "payloads")),
                      "kvm_svm03")
    assert about.timeout == "60 s"          # LTP_TIMEOUT_MUL counts
    assert about.needs == ["root", "2 CPUs", "guest CPU svm"]
    assert ("CVE", "2021-3656", None) not in about.tags
    assert about.runs_with == ["kvm_amd nested=1"]


@needs_kvm
def test_run_combines_the_statuses(build_dir, capfd, monkeypatch):
    monkeypatch.setenv("LTP_COLORIZE_OUTPUT", "n")
    catalog = Catalog(os.path.join(build_dir, "tests"))
    selected = select_tests(catalog, ["selftest_hello", "selftest_tconf"],
                            False, "x86_64")
    runs, status = run_tests(catalog, selected)
    assert [r.status for r in runs] == [0, 32]
    assert status == 32
    assert capfd.readouterr().err.count("\nSummary:\n") == 2
