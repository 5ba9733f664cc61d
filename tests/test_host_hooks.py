# SPDX-License-Identifier: GPL-2.0-or-later
"""Tests with host hooks and metadata: their definitions beside the C file,
guest-host signalling, a vCPU thread interrupted by a signal, requirement
checks, and a broken definition file."""
import pytest

from conftest import needs_kvm
from test_guest_library import assert_ltp_run, counts

ARCHES = ("x86_64", "i386")
pytestmark = needs_kvm


@pytest.mark.parametrize("arch", ARCHES)
def test_guest_waits_for_the_host(ltpkvm, arch):
    run = ltpkvm("run", "--arch", arch, "host_signal", suite=True)
    assert_ltp_run(run, 0, [
        ("host_signal.c", "TINFO", "Waiting for the host"),
        ("host_signal.py", "TPASS",
         "The host got the guest's data: ping from the guest"),
        ("host_signal.c", "TPASS", "The host released the guest")],
        counts(passed=2))


@pytest.mark.parametrize("arch", ARCHES)
def test_signal_interrupts_the_vcpu_thread_with_eintr(ltpkvm, arch):
    run = ltpkvm("run", "--arch", arch, "host_eintr", suite=True)
    assert_ltp_run(run, 0, [
        ("host_eintr.py", "TPASS",
         "KVM_RUN returned EINTR to the interrupted vCPU thread")],
        counts(passed=1))


def _suite_with(tmp_path, build_dir, name, definition):
    """A payload folder holding the built selftest_hello under name, with
    the given definition file."""
    import shutil
    for arch in ARCHES:
        (tmp_path / arch).mkdir()
        shutil.copy(f"{build_dir}/tests/{arch}/selftest_hello.bin",
                    tmp_path / arch / f"{name}.bin")
    (tmp_path / f"{name}.py").write_text(definition)
    return {"LTPKVM_PAYLOAD_DIR": str(tmp_path)}


def test_unsupported_arch_is_tconf(ltpkvm, tmp_path, build_dir):
    env = _suite_with(tmp_path, build_dir, "kvm_only64",
                      'supported_archs = ["x86_64"]\n')
    run = ltpkvm("run", "--arch", "i386", "kvm_only64", env=env)
    assert_ltp_run(run, 32, [("runner.py", "TCONF",
                              "This arch 'i386' is not supported for test!")],
                   counts(skipped=1))
    assert ltpkvm("run", "kvm_only64", env=env).status == 0


def test_too_few_cpus_is_tconf(ltpkvm, tmp_path, build_dir):
    env = _suite_with(tmp_path, build_dir, "kvm_many", "min_cpus = 4096\n")
    run = ltpkvm("run", "kvm_many", env=env)
    assert_ltp_run(run, 32, [("runner.py", "TCONF",
                              "Test needs at least 4096 CPUs online")],
                   counts(skipped=1))


def test_broken_definition_is_tbrok_without_traceback(ltpkvm, tmp_path,
                                                      build_dir):
    env = _suite_with(tmp_path, build_dir, "kvm_typo", "needs_root = Ture\n")
    run = ltpkvm("run", "kvm_typo", env=env)
    assert run.status == 2, run.output
    assert "TBROK: Cannot load" in run.output
    assert "NameError: name 'Ture' is not defined" in run.output
    assert "Traceback" not in run.output


def test_hook_bug_is_tbrok_and_the_vm_is_still_cleaned_up(ltpkvm, tmp_path,
                                                          build_dir):
    env = _suite_with(tmp_path, build_dir, "kvm_buggy",
                      "def run(test):\n"
                      "    test.create_instance()\n"
                      "    {}['missing']\n")
    run = ltpkvm("run", "-D", "kvm_buggy", env=env)
    assert run.status == 2, run.output
    assert "kvm_buggy.py:3: TBROK: Internal error: KeyError: 'missing'" \
        in run.output
