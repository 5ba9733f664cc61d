# SPDX-License-Identifier: GPL-2.0-or-later
"""The Makefile: incremental, out of tree, and a test that does not build
for an arch becomes a TCONF payload instead of a build failure."""
import os
import subprocess

from conftest import REPO, needs_kvm


def make(*args):
    return subprocess.run(["make", "-C", REPO, *args], capture_output=True,
                          text=True)


@needs_kvm
def test_unbuildable_test_becomes_a_tconf_payload(tmp_path, ltpkvm):
    tests = tmp_path / "src"
    tests.mkdir()
    (tests / "kvm_broken01.c").write_text(
        '#include "kvm_test.h"\nvoid main(void) { no_such_function(); }\n'
        "#error this test does not build here\n")
    build = tmp_path / "build"
    result = make(f"BUILD={build}", f"TESTS_DIR={tests}", "payloads")
    assert result.returncode == 0, result.stderr
    assert "kvm_broken01 cannot be built for x86_64" in result.stderr
    assert "this test does not build here" in result.stderr  # the reason
    run = ltpkvm("run", "kvm_broken01",
                 env={"LTPKVM_PAYLOAD_DIR": str(build / "payloads")})
    assert run.status == 32, run.output
    assert "TCONF: kvm_broken01 cannot be built for x86_64" in run.output


def test_second_make_rebuilds_nothing(build_dir):
    # make -q exits 0 only when every target is up to date.
    result = make("-q", f"BUILD={build_dir}")
    assert result.returncode == 0, make("-n", f"BUILD={build_dir}").stdout


def test_changing_the_abi_source_rebuilds_the_header(build_dir):
    header = os.path.join(build_dir, "include", "kvm_abi.h")
    assert os.path.getmtime(header) >= os.path.getmtime(
        os.path.join(REPO, "ltpkvm", "host", "guest_abi.py"))
