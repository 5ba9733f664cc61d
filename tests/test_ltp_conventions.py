# SPDX-License-Identifier: GPL-2.0-or-later
"""LTP's conventions beyond result lines: failure hints, kernel-config
requirements, reproducible output, shell completion."""
import gzip
import os
import shutil
import subprocess
import sys

import pytest

from conftest import REPO, needs_kvm

pytestmark = needs_kvm

HINTS = """
HINT: You _MAY_ be missing kernel fixes:

https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id=0123456789ab

HINT: You _MAY_ be vulnerable to CVE(s):

https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2099-0001
https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2099-0002

Summary:
"""


def suite_copy(tmp_path, build_dir, payload, name, definition):
    """A payload folder with a built suite payload renamed and given a
    definition file."""
    for arch in ("x86_64", "i386"):
        (tmp_path / arch).mkdir(exist_ok=True)
        shutil.copy(f"{build_dir}/tests/{arch}/{payload}.bin",
                    tmp_path / arch / f"{name}.bin")
    (tmp_path / f"{name}.py").write_text(definition)
    return {"LTPKVM_PAYLOAD_DIR": str(tmp_path)}


TAGS = ('tags = [("linux-git", "0123456789ab"), ("CVE", "2099-0001"), '
        '("CVE", "2099-0002")]\n')


def test_failure_prints_ltp_hints_before_the_summary(ltpkvm, tmp_path,
                                                     build_dir):
    env = suite_copy(tmp_path, build_dir, "selftest_mixed_results",
                     "kvm_tagged", TAGS)
    run = ltpkvm("run", "kvm_tagged", env=env)
    assert run.status == 1 | 4, run.output
    assert HINTS in run.stderr


def test_no_hints_without_a_failure(ltpkvm, tmp_path, build_dir):
    env = suite_copy(tmp_path, build_dir, "selftest_hello", "kvm_tagged",
                     TAGS)
    run = ltpkvm("run", "kvm_tagged", env=env)
    assert run.status == 0 and "HINT" not in run.output


@pytest.fixture
def kconfig_test(tmp_path, build_dir):
    """A test needing CONFIG_KVM and (CONFIG_KVM_AMD or CONFIG_KVM_INTEL),
    and a fake kernel config (gzipped, as /proc/config.gz is)."""
    env = suite_copy(tmp_path, build_dir, "selftest_hello", "kvm_kconfig",
                     'needs_kconfigs = ["CONFIG_KVM", '
                     '"CONFIG_KVM_AMD | CONFIG_KVM_INTEL=y"]\n')
    config = tmp_path / "config.gz"

    def write_config(text):
        with gzip.open(config, "wt") as f:
            f.write(text)
        return dict(env, KCONFIG_PATH=str(config))
    return write_config


def test_kconfig_satisfied_runs_the_test(ltpkvm, kconfig_test):
    env = kconfig_test("CONFIG_KVM=m\n# CONFIG_KVM_AMD is not set\n"
                       "CONFIG_KVM_INTEL=y\n")
    run = ltpkvm("run", "kvm_kconfig", env=env)
    assert run.status == 0, run.output
    assert f"TINFO: Parsing kernel config '{env['KCONFIG_PATH']}'" \
        in run.output


def test_kconfig_missing_is_tconf_naming_it(ltpkvm, kconfig_test):
    env = kconfig_test("CONFIG_KVM=y\nCONFIG_KVM_INTEL=m\n")
    run = ltpkvm("run", "kvm_kconfig", env=env)
    assert run.status == 32, run.output
    assert ("TINFO: Constraint 'CONFIG_KVM_AMD | CONFIG_KVM_INTEL=y' not "
            "satisfied!") in run.output
    assert "TCONF: Aborting due to unsuitable kernel config, see above!" \
        in run.output
    skipped = ltpkvm("run", "kvm_kconfig", env=dict(
        env, KCONFIG_SKIP_CHECK="1"))
    assert skipped.status == 0, skipped.output
    assert "Skipping kernel config check as requested" in skipped.output


def test_reproducible_output_drops_the_messages(ltpkvm):
    run = ltpkvm("run", "selftest_hello", suite=True,
                 env={"LTP_REPRODUCIBLE_OUTPUT": "1"})
    assert run.status == 0
    assert "selftest_hello.c:7: TPASS: \n" in run.stderr
    assert "Hello" not in run.output


def test_shell_completion_of_test_names():
    env = dict(os.environ, _LTPKVM_COMPLETE="bash_complete",
               COMP_WORDS="ltpkvm run kvm_page", COMP_CWORD="2")
    proc = subprocess.run([sys.executable, "-c",
                           "from ltpkvm.cli import main; "
                           "main(prog_name='ltpkvm')"],
                          cwd=REPO, env=env, capture_output=True, text=True)
    assert "plain,kvm_pagefault01" in proc.stdout.splitlines()
