# SPDX-License-Identifier: GPL-2.0-or-later
"""The command line as users and scripts meet it."""
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import REPO, LtpRun, needs_kvm

SUMMARY_BROKEN = {"passed": 0, "failed": 0, "broken": 1, "skipped": 0,
                  "warnings": 0}


def test_unknown_test_suggests_close_names(ltpkvm):
    run = ltpkvm("run", "kvm_pagefualt01")
    assert run.status == 2
    assert run.results() == [("cli.py", run.results()[0][1], "TBROK",
                              "Unknown test 'kvm_pagefualt01'; did you mean: "
                              "kvm_pagefault01?")]
    assert run.summary() == SUMMARY_BROKEN


def test_usage_error_is_tbrok_with_summary(ltpkvm):
    run = ltpkvm("run", "-i", "many", "kvm_pagefault01")
    assert run.status == 2
    assert "TBROK: Invalid value for '-i'" in run.output
    assert run.summary() == SUMMARY_BROKEN
    assert "Traceback" not in run.output


def test_no_payloads_built_is_a_clear_tbrok(ltpkvm, tmp_path):
    run = ltpkvm("run", "kvm_pagefault01",
                 env={"LTPKVM_PAYLOAD_DIR": str(tmp_path)})
    assert run.status == 2
    assert "No built x86_64 tests in" in run.output


def test_list_and_version(ltpkvm):
    listing = ltpkvm("list", env={"COLUMNS": "200"}).stdout
    assert "kvm_pagefault01" in listing
    # A test's tags one per line, not joined by an escaped newline
    assert "\\n" not in listing
    assert re.search(r"linux-git c7dfa4009965 +│.*\n.*│ CVE 2021-3656 +│",
                     listing), listing
    version = ltpkvm("-V")
    assert version.status == 0 and "ltpkvm" in version.stdout


@needs_kvm
@pytest.mark.parametrize("setting, coloured", [("y", True), ("1", True),
                                               ("n", False), ("0", False)])
def test_colour_follows_ltp_colorize_output(ltpkvm, setting, coloured):
    run = ltpkvm("run", "kvm_pagefault01",
                 env={"LTP_COLORIZE_OUTPUT": setting})
    assert ("\033[1;32mTPASS: \033[0m" in run.output) == coloured
    assert ("\033[" in run.output) == coloured


def _isolated_dev(script):
    """Run ltpkvm in a mount namespace whose /dev is prepared by script."""
    if os.geteuid() != 0 or not shutil.which("unshare"):
        pytest.skip("needs root and unshare")
    command = (f"mount -t tmpfs none /dev && {script} "
               f"{sys.executable} -m ltpkvm run kvm_pagefault01")
    proc = subprocess.run(["unshare", "--mount", "sh", "-c", command],
                          cwd=REPO, capture_output=True, text=True,
                          env=dict(os.environ, LTP_COLORIZE_OUTPUT="n"))
    return LtpRun(proc)


def test_missing_dev_kvm_is_tconf(build_dir):
    run = _isolated_dev("")
    assert run.status == 32, run.output
    assert "TCONF: KVM is not available: open(/dev/kvm) failed: ENOENT" \
        in run.output
    assert run.summary()["skipped"] == 1


def test_dev_kvm_without_permission_is_tconf(build_dir):
    run = _isolated_dev(
        "mknod -m 600 /dev/kvm c 10 232 && chown 1 /dev/kvm && "
        "setpriv --bounding-set=-dac_override,-dac_read_search")
    assert run.status == 32, run.output
    assert "open(/dev/kvm) failed: EACCES" in run.output


def test_python_dash_m_and_console_script_agree(ltpkvm):
    assert ltpkvm("list", "--json").stdout == subprocess.run(
        [sys.executable, "-c", "from ltpkvm.cli import main; main()", "list",
         "--json"],
        cwd=REPO, capture_output=True, text=True,
        env=dict(os.environ, LTPKVM_PAYLOAD_DIR=os.path.join(
            REPO, "build", "payloads"))).stdout


@needs_kvm
def test_several_tests_each_keep_ltp_format_and_a_json_report(ltpkvm,
                                                              tmp_path):
    report = tmp_path / "report.json"
    run = ltpkvm("run", "--arch", "all", "selftest_hello", "selftest_tconf",
                 "--json-report", str(report), suite=True)
    assert run.status == 32, run.output  # TCONF only where nothing passed
    assert run.output.count("\nSummary:\n") == 4
    data = __import__("json").loads(report.read_text())
    assert [(t["name"], t["arch"], t["status"], t["verdict"])
            for t in data["tests"]] == [
        ("selftest_hello", "x86_64", 0, "pass"),
        ("selftest_hello", "i386", 0, "pass"),
        ("selftest_tconf", "x86_64", 32, "skipped"),
        ("selftest_tconf", "i386", 32, "skipped")]
    hello = data["tests"][0]
    assert hello["counts"] == {"passed": 1, "failed": 0, "broken": 0,
                               "skipped": 0, "warnings": 0}
    assert hello["results"][-1] == {"file": "selftest_hello.c", "line": 7,
                                    "type": "TPASS",
                                    "message": "Hello, world!"}
    assert data["status"] == 32
    assert "ltpkvm results" in run.stdout  # the final table


@needs_kvm
def test_run_all_runs_every_built_test(ltpkvm, tmp_path, build_dir):
    import json
    report = tmp_path / "report.json"
    run = ltpkvm("run", "--all", "--json-report", str(report))
    tests = json.loads(report.read_text())["tests"]
    assert sorted(t["name"] for t in tests) == sorted(
        name[:-4] for name in os.listdir(f"{build_dir}/payloads/x86_64")
        if name.endswith(".bin"))
    status = 0
    for test in tests:
        status |= test["status"]
    assert run.status == status, run.output
    assert {t["name"]: t["verdict"] for t in tests}["kvm_pagefault01"] == \
        "pass"


@needs_kvm
def test_duration_option_repeats_for_that_long(ltpkvm):
    run = ltpkvm("run", "-I", "1", "selftest_hello", suite=True)
    assert run.status == 0, run.output
    assert run.summary()["passed"] > 3


def test_list_json_and_info(ltpkvm):
    import json
    tests = {t["name"]: t for t in json.loads(ltpkvm("list", "--json").stdout)}
    assert tests["kvm_pagefault01"]["archs"] == ["x86_64"]
    assert ["CVE", "2021-38198"] in tests["kvm_pagefault01"]["tags"]
    assert tests["kvm_pagefault01"]["hooks"] == ["setup"]
    info = ltpkvm("info", "kvm_pagefault01")
    assert info.status == 0
    assert "cvename.cgi?name=CVE-2021-38198" in info.stdout.replace("\n", "")
    # The doc comment of the C source
    assert "used when two-dimensional paging is off" in \
        info.stdout.replace("\n", " ")
    assert "kvm_intel ept=0" in info.stdout
    unknown = ltpkvm("info", "kvm_pagefault1")
    assert unknown.status == 1 and "did you mean: kvm_pagefault01" in \
        unknown.output


def test_no_test_named_is_tbrok(ltpkvm):
    run = ltpkvm("run")
    assert run.status == 2
    assert "No test named (give NAME... or --all)" in run.output
