# SPDX-License-Identifier: GPL-2.0-or-later
"""The nested-virtualisation tests (kvm_svm0*, kvm_vmx0*): on a CPU without
SVM/VMX each ends quickly in exactly one TCONF; kvm_svm03's host half
passes, fails and never hangs; the SVM/VMX headers are self-contained and
the library defines everything they declare, for both arches."""
import functools
import os
import shutil
import subprocess
import time

import pytest

from conftest import REPO, needs_kvm
from test_guest_library import assert_ltp_run, counts, results

SVM_TESTS = ("kvm_svm01", "kvm_svm02", "kvm_svm03", "kvm_svm04")
VMX_TESTS = ("kvm_vmx01", "kvm_vmx02")
MAX_SECONDS = 5
PAYLOADS = os.path.join(REPO, "payloads")


@functools.cache
def cpu_flags():
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("flags"):
                return set(line.split(":", 1)[1].split())
    return set()


def expected_tconf(name, arch):
    """(file, message) of the one TCONF name reports on this machine."""
    if arch == "i386":
        return "runner.py", "This arch 'i386' is not supported for test!"
    if os.geteuid() != 0:
        return "runner.py", "Test needs to be run as root"
    if name == "kvm_svm03" and os.cpu_count() < 2:
        return "runner.py", "Test needs at least 2 CPUs online"
    return "runner.py", ("KVM does not offer the guest CPU feature(s) "
                         + ("svm" if name in SVM_TESTS else "vmx"))


def timed_run(ltpkvm, *args, **kwargs):
    start = time.monotonic()
    run = ltpkvm(*args, **kwargs)
    return run, time.monotonic() - start


@needs_kvm
@pytest.mark.parametrize("arch", ("x86_64", "i386"))
@pytest.mark.parametrize("name", SVM_TESTS + VMX_TESTS)
def test_tconf_without_nested_virtualisation(ltpkvm, name, arch):
    flag = "svm" if name in SVM_TESTS else "vmx"
    if flag in cpu_flags():
        pytest.skip(f"this CPU has {flag}: {name} runs for real")
    run, seconds = timed_run(ltpkvm, "run", "--arch", arch, name)
    file, message = expected_tconf(name, arch)
    found = [result for result in results(run) if result[1] != "TINFO"]
    assert found == [(file, "TCONF", message)], run.output
    assert run.summary() == counts(skipped=1), run.output
    assert run.output.splitlines().count("Summary:") == 1, run.output
    assert "Traceback" not in run.output, run.output
    assert run.status == 32, run.output
    assert seconds < MAX_SECONDS, run.output


def _svm03_host_with(tmp_path, build_dir, definition=None):
    """A payload folder where kvm_svm03's host half (kvm_svm03.py, or
    definition wrapping it) drives host_eintr, a guest that signals the host
    and spins as kvm_svm03's nested guest does."""
    for arch in ("x86_64", "i386"):
        (tmp_path / arch).mkdir()
        shutil.copy(os.path.join(build_dir, "tests", arch, "host_eintr.bin"),
                    tmp_path / arch / "kvm_svm03.bin")
    # The C source's metadata: tags, root, 2 CPUs
    shutil.copy(os.path.join(build_dir, "payloads", "kvm_svm03.json"),
                tmp_path)
    # The stand-in guest needs no SVM: kvm_svm03.py without its feature
    # requirement
    with open(os.path.join(PAYLOADS, "kvm_svm03.py")) as real:
        host_half = real.read().replace('needs_cpu_features = ["svm"]\n', "")
    (tmp_path / "real").mkdir()
    source = tmp_path / "real" / "kvm_svm03.py"
    source.write_text(host_half)
    (tmp_path / "kvm_svm03.py").write_text(
        host_half if definition is None
        else definition.replace("SOURCE", repr(str(source))))
    return {"LTPKVM_PAYLOAD_DIR": str(tmp_path)}


@needs_kvm
def test_svm03_host_passes_when_the_signal_stops_the_vcpu(ltpkvm, tmp_path,
                                                          build_dir):
    if os.geteuid() != 0 or os.cpu_count() < 2:
        pytest.skip("kvm_svm03 needs root and 2 CPUs")
    env = _svm03_host_with(tmp_path, build_dir)
    run, seconds = timed_run(ltpkvm, "run", "kvm_svm03", env=env)
    assert [r for r in results(run) if r[1] != "TINFO"] == [
        ("kvm_svm03.py", "TPASS", "vCPU thread was interrupted by the signal")
    ], run.output
    assert_ltp_run(run, 0, results(run), counts(passed=1))
    assert seconds < MAX_SECONDS, run.output


# kvm_svm03.py, with the first signal to the vCPU thread lost: the thread
# then looks deaf, as on a vulnerable kernel.
DEAF_VCPU = '''
import importlib.util

_spec = importlib.util.spec_from_file_location("kvm_svm03_real", SOURCE)
_real = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_real)
module_params = _real.module_params


def run(test):
    create = test.create_instance

    def create_deaf():
        instance = create()
        kick, lost = instance.interrupt_vcpu, []

        def interrupt(thread_id, *args):
            if lost:
                kick(thread_id, *args)
            lost.append(thread_id)
        instance.interrupt_vcpu = interrupt
        return instance
    test.create_instance = create_deaf
    _real.run(test)
'''


@needs_kvm
def test_svm03_host_fails_when_the_vcpu_ignores_the_signal(ltpkvm, tmp_path,
                                                           build_dir):
    if os.geteuid() != 0 or os.cpu_count() < 2:
        pytest.skip("kvm_svm03 needs root and 2 CPUs")
    env = _svm03_host_with(tmp_path, build_dir, DEAF_VCPU)
    run, seconds = timed_run(ltpkvm, "run", "kvm_svm03", env=env)
    assert [r for r in results(run) if r[1] != "TINFO"] == [
        ("kvm_svm03.py", "TFAIL", "vCPU thread did not respond to the signal")
    ], run.output
    assert_ltp_run(run, 1, results(run), counts(failed=1))
    assert "91b7130cb6606d8c6b3b77e54426b3f3a83f48b1" in run.output  # hint
    assert seconds < 2 * MAX_SECONDS, run.output


# Every function the headers declare, so that linking proves the library
# defines them on each arch.
HEADER_CHECK = {
    "svm_header.c": '''#include "kvm_test.h"
#include "kvm_x86_svm.h"

void *const api[] = {
	kvm_is_svm_supported, kvm_get_svm_state, kvm_set_svm_state,
	kvm_init_svm, kvm_alloc_vmcb, kvm_vmcb_copy_gdt_descriptor,
	kvm_vmcb_set_intercept, kvm_init_guest_vmcb, kvm_create_svm_vcpu,
	kvm_svm_vmrun, kvm_svm_vmload, kvm_svm_vmsave,
	kvm_vmcb_fill_vmsave_state, kvm_vmcb_cmp_vmsave_state,
};

void main(void)
{
	struct kvm_svm_vcpu vcpu = {0};

	tst_res(TINFO, "%u %p", (unsigned int)sizeof(struct kvm_vmcb),
		(void *)vcpu.vmcb);
}
''',
    "vmx_header.c": '''#include "kvm_test.h"
#include "kvm_x86_vmx.h"

void *const api[] = {
	kvm_is_vmx_supported, kvm_set_vmx_state, kvm_alloc_vmcs,
	kvm_vmx_vmclear, kvm_vmx_vmptrld, kvm_vmx_vmptrst, kvm_vmx_vmread,
	kvm_vmx_vmwrite, kvm_vmx_vmlaunch, kvm_vmx_vmresume,
	kvm_vmx_read_vmctl_mask, kvm_vmcs_copy_gdt_descriptor,
	kvm_init_vmx_vcpu, kvm_create_vmx_vcpu, kvm_vmx_activate_vcpu,
	kvm_vmx_vmrun, kvm_vmx_inst_errno, kvm_vmx_inst_strerr,
	kvm_vmx_inst_err,
};

void main(void)
{
	struct kvm_vmx_vcpu vcpu = {0};
	uint64_t value;

	tst_res(TINFO, "%u %d", (unsigned int)sizeof(struct kvm_vmcs),
		vcpu.launched + (int)sizeof(kvm_vmx_vmread_raw(0, &value)));
}
''',
}


def test_headers_are_self_contained(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for name, text in HEADER_CHECK.items():
        (src / name).write_text(text)
    build = tmp_path / "build"
    result = subprocess.run(
        ["make", "-C", REPO, f"BUILD={build}", f"TESTS_DIR={src}",
         "payloads"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "cannot be built" not in result.stderr, result.stderr
    assert "warning:" not in result.stderr, result.stderr
    for arch in ("x86_64", "i386"):
        for name in HEADER_CHECK:
            assert (build / "payloads" / arch /
                    name.replace(".c", ".bin")).exists()


def test_runtest_lists_every_nested_test(ltpkvm):
    runtest = ltpkvm("runtest")
    assert runtest.status == 0, runtest.output
    lines = [line.split() for line in runtest.stdout.splitlines()
             if line.strip() and not line.startswith("#")]
    for name in SVM_TESTS + VMX_TESTS:
        assert [name, "ltpkvm", "run", name] in lines


@needs_kvm
@pytest.mark.parametrize("name, file, message", [
    ("kvm_svm01", "lib_x86_svm.c", "CPU does not support SVM"),
    ("kvm_vmx01", "lib_x86_vmx.c", "CPU does not support VMX")])
def test_the_guest_itself_reports_missing_nesting(ltpkvm, build_dir,
                                                  tmp_path, name, file,
                                                  message):
    """Without its definition (as an LTP source would run elsewhere; an
    empty NAME.py beside the payload stands in for ltpkvm's own) the
    payload detects the missing feature itself."""
    import shutil
    flag = "svm" if "svm" in name else "vmx"
    if flag in cpu_flags():
        pytest.skip(f"this CPU has {flag}")
    (tmp_path / "x86_64").mkdir()
    shutil.copy(f"{build_dir}/payloads/x86_64/{name}.bin", tmp_path / "x86_64")
    (tmp_path / f"{name}.py").write_text("")
    run = ltpkvm("run", name, env={"LTPKVM_PAYLOAD_DIR": str(tmp_path)})
    assert [r for r in results(run) if r[1] != "TINFO"] == [
        (file, "TCONF", message)], run.output
    assert run.status == 32
