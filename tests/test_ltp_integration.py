# SPDX-License-Identifier: GPL-2.0-or-later
"""ltpkvm inside an installed LTP: install-ltp, kirk (for real, from PyPI),
runltp-style invocation by bare name, metadata for executors."""
import hashlib
import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import needs_kvm
from ltpkvm.ltp.runtest import read_entries


def snapshot(root):
    """{relative path: content hash or 'dir'} of a whole tree."""
    tree = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            tree[os.path.relpath(os.path.join(folder, name), root)] = "dir"
        for name in files:
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                tree[os.path.relpath(path, root)] = hashlib.sha256(
                    f.read()).hexdigest()
    return tree


@pytest.fixture
def ltproot(tmp_path):
    """A small installed LTP: its own runtest, binary and metadata."""
    root = tmp_path / "ltp"
    (root / "runtest").mkdir(parents=True)
    (root / "runtest" / "kvm").write_text("kvm_pagefault01 kvm_pagefault01\n")
    (root / "testcases" / "bin").mkdir(parents=True)
    (root / "testcases" / "bin" / "abort01").write_text("#!/bin/sh\n")
    (root / "metadata").mkdir()
    (root / "metadata" / "ltp.json").write_text(json.dumps(
        {"testsuite": {"name": "LTP"}, "tests": {
            "abort01": {"needs_tmpdir": "1"},
            "kvm_pagefault01": {"needs_root": "1", "doc": ["LTP's own"]}}}))
    return root


def install(ltpkvm, root, *args):
    run = ltpkvm("install-ltp", "--ltproot", str(root), *args)
    assert run.status == 0, run.output
    return run


def test_install_twice_then_uninstall_restores_every_byte(ltpkvm, ltproot):
    before = snapshot(ltproot)
    install(ltpkvm, ltproot)
    installed = snapshot(ltproot)
    install(ltpkvm, ltproot)
    assert snapshot(ltproot) == installed
    assert "runtest/ltpkvm" in installed and "testcases/bin/ltpkvm" in installed
    metadata = json.loads((ltproot / "metadata" / "ltp.json").read_text())
    assert metadata["tests"]["abort01"] == {"needs_tmpdir": "1"}
    # LTP's own kvm_pagefault01 entry is kept.
    assert metadata["tests"]["kvm_pagefault01"]["doc"] == ["LTP's own"]
    install(ltpkvm, ltproot, "--uninstall")
    assert snapshot(ltproot) == before


def test_install_into_a_new_ltproot_and_uninstall_leaves_nothing(
        ltpkvm, tmp_path):
    root = tmp_path / "ltp"
    install(ltpkvm, root)
    assert (root / "testcases" / "bin" / "kvm_pagefault01").exists()
    install(ltpkvm, root, "--uninstall")
    assert not root.exists()


def test_uninstall_without_install_is_a_clear_error(ltpkvm, tmp_path):
    run = ltpkvm("install-ltp", "--ltproot", str(tmp_path), "--uninstall")
    assert run.status == 1
    assert "ltpkvm is not installed in" in run.output
    assert "Traceback" not in run.output


def test_metadata_has_ltp_shape_and_the_tags(ltpkvm):
    metadata = json.loads(ltpkvm("metadata").stdout)
    test = metadata["tests"]["kvm_pagefault01"]
    assert metadata["defaults"]["timeout"] == 30
    assert ["CVE", "2021-38198"] in test["tags"]
    assert test["needs_root"] == "1"
    assert test["supported_archs"] == ["x86_64"]


@needs_kvm
def test_runltp_style_bare_name_from_testcases_bin(ltpkvm, tmp_path):
    root = tmp_path / "ltp"
    install(ltpkvm, root)
    bin_dir = root / "testcases" / "bin"
    env = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}",
               LTP_COLORIZE_OUTPUT="n")
    env.pop("LTPKVM_PAYLOAD_DIR", None)
    for command in (["kvm_pagefault01"], ["ltpkvm", "run", "kvm_pagefault01"]):
        proc = subprocess.run(command, cwd=tmp_path, env=env, text=True,
                              capture_output=True)
        assert proc.returncode == 0, proc.stderr
        assert "TPASS: KVM enforces memory write permissions" in proc.stderr


# How kirk reads an LTP exit status
KIRK_STATUS = {0: "pass", 1: "fail", 2: "brok", 4: "warn", 32: "conf"}


def kirk_command():
    kirk = shutil.which("kirk") or os.path.join(os.path.dirname(
        sys.executable), "kirk")
    if not os.path.exists(kirk):
        pytest.skip("kirk is not installed (pip install '.[test]')")
    return kirk


@needs_kvm
@pytest.mark.parametrize("workers", [1, 2])
def test_kirk_reports_each_tests_true_result(ltpkvm, tmp_path, workers):
    root = tmp_path / "ltp"
    install(ltpkvm, root)
    # A skip (kirk says "conf") beside the pass: the x86_64-only test as i386
    with open(root / "runtest" / "ltpkvm", "a") as runtest:
        runtest.write("kvm_pagefault01_i386 ltpkvm run --arch i386 "
                      "kvm_pagefault01\n")
    (tmp_path / "kirk").mkdir()
    report = tmp_path / "report.json"
    env = dict(os.environ, LTPROOT=str(root))
    env.pop("LTPKVM_PAYLOAD_DIR", None)
    proc = subprocess.run(
        [kirk_command(), "--run-suite", "ltpkvm", "--json-report",
         str(report), "--tmp-dir", str(tmp_path / "kirk"), "--workers",
         str(workers)], cwd=tmp_path, env=env, text=True,
        capture_output=True, timeout=300)
    assert report.exists(), proc.stdout + proc.stderr
    results = {r["test_fqn"]: r for r in json.loads(report.read_text())[
        "results"]}
    entries = read_entries(str(root / "runtest" / "ltpkvm"))
    assert sorted(results) == sorted(entry.name for entry in entries)
    assert results["kvm_pagefault01"]["status"] == "pass"
    assert results["kvm_pagefault01_i386"]["status"] == "conf"
    # For every test, kirk's verdict and counts are what ltpkvm printed
    for entry in entries:
        ours = ltpkvm(*entry.args)
        assert results[entry.name]["status"] == KIRK_STATUS[ours.status], \
            ours.output
        assert {k: results[entry.name]["test"][k] for k in ours.summary()} \
            == ours.summary(), entry.name
