# SPDX-License-Identifier: GPL-2.0-or-later
"""The Makefile: incremental and out of tree (compile errors:
test_ltp_style.py)."""
import os
import subprocess

from conftest import REPO


def make(*args):
    return subprocess.run(["make", "-C", REPO, *args], capture_output=True,
                          text=True)


def test_second_make_rebuilds_nothing(build_dir):
    # make -q exits 0 only when every target is up to date.
    result = make("-q", f"BUILD={build_dir}")
    assert result.returncode == 0, make("-n", f"BUILD={build_dir}").stdout


def test_changing_the_abi_source_rebuilds_the_header(build_dir):
    header = os.path.join(build_dir, "include", "kvm_abi.h")
    assert os.path.getmtime(header) >= os.path.getmtime(
        os.path.join(REPO, "ltpkvm", "host", "guest_abi.py"))
