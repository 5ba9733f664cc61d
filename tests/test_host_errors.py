# SPDX-License-Identifier: GPL-2.0-or-later
"""Host-side errors: a failed KVM ioctl, mmap or open is reported as TBROK
(TCONF where KVM is unusable: see test_cli.py for /dev/kvm missing or
forbidden) naming the operation and the errno, never as an uncaught
OSError or a traceback, and leaves no fd, thread or mapping behind."""
import contextlib
import errno
import functools
import gc
import io
import os
import sys

import pytest

from conftest import REPO, needs_kvm
from ltpkvm.host import instance as host_instance
from ltpkvm.host import lifecycle
from ltpkvm.host.errors import AbortTest
from ltpkvm.host.guest_abi import TBROK
from ltpkvm.host.instance import KvmInstance
from ltpkvm.host.memory import PAGE_SIZE, GuardedBuffer
from ltpkvm.host.payload import Payload
from ltpkvm.kvm import KvmError, KvmSystem
from ltpkvm.kvm.structs import kvm_cpuid2_with
from ltpkvm.ltp.definitions import TestDefinition
from ltpkvm.ltp.reporter import Reporter
from ltpkvm.ltp.runner import run_test
from test_host_library import ListSink
from test_soak import payload, process_resources

pytestmark = needs_kvm

INVALID_FD = 2**31 - 1   # never open: EBADF
KVM_MAX_CPUID_ENTRIES = 256


def error_text(operation, code):
    """How the host names a failed operation: `op failed: ENAME (text)`."""
    return (f"{operation} failed: {errno.errorcode[code]} "
            f"({os.strerror(code)})")


@pytest.fixture
def unraisable(monkeypatch):
    """Exceptions that Python could only print as 'Exception ignored in'
    (from __del__, say): the list of them."""
    caught = []
    monkeypatch.setattr(sys, "unraisablehook", caught.append)
    return caught


# The bindings: each failing call raises KvmError naming its ioctl (or
# open, mmap) and errno. slot0 is 2 pages of guest memory at 0 in slot 0.
def overlapping_slot(system, vm, ram):
    vm.set_user_memory_region(1, PAGE_SIZE, PAGE_SIZE, ram.address)


def unaligned_slot_size(system, vm, ram):
    vm.set_user_memory_region(1, 0x100000, PAGE_SIZE + 1, ram.address)


def unaligned_guest_address(system, vm, ram):
    vm.set_user_memory_region(1, 0x100800, PAGE_SIZE, ram.address)


def unknown_slot_flag(system, vm, ram):
    vm.set_user_memory_region(1, 0x100000, PAGE_SIZE, ram.address, 0x80)


def vcpu_created_twice(system, vm, ram):
    with vm.create_vcpu(0):
        vm.create_vcpu(0)


def vcpu_id_out_of_range(system, vm, ram):
    vm.create_vcpu(1 << 20)


def device_that_is_not_kvm(system, vm, ram):
    KvmSystem("/dev/null")


def missing_device(system, vm, ram):
    KvmSystem("/nonexistent/kvm")


@pytest.mark.parametrize("call, operation, code", [
    (overlapping_slot, "ioctl(KVM_SET_USER_MEMORY_REGION)", errno.EEXIST),
    (unaligned_slot_size, "ioctl(KVM_SET_USER_MEMORY_REGION)", errno.EINVAL),
    (unaligned_guest_address, "ioctl(KVM_SET_USER_MEMORY_REGION)",
     errno.EINVAL),
    (unknown_slot_flag, "ioctl(KVM_SET_USER_MEMORY_REGION)", errno.EINVAL),
    (vcpu_created_twice, "ioctl(KVM_CREATE_VCPU)", errno.EEXIST),
    (vcpu_id_out_of_range, "ioctl(KVM_CREATE_VCPU)", errno.EINVAL),
    (device_that_is_not_kvm, "ioctl(KVM_GET_API_VERSION)", errno.ENOTTY),
    (missing_device, "open(/nonexistent/kvm)", errno.ENOENT),
], ids=lambda value: getattr(value, "__name__", None))
def test_binding_error_names_the_operation_and_errno(system, unraisable,
                                                     call, operation, code):
    with system.create_vm() as vm:
        ram = GuardedBuffer(2 * PAGE_SIZE)
        try:
            vm.set_user_memory_region(0, 0, ram.size, ram.address)
            before = process_resources()
            with pytest.raises(KvmError) as info:
                call(system, vm, ram)
            error = (info.value.operation, info.value.errno,
                     str(info.value), isinstance(info.value, OSError))
            del info   # and with it the frames of the failed call
            assert process_resources() == before
        finally:
            ram.free()
    assert error == (operation, code, error_text(operation, code), True)
    assert not unraisable


def lowest_free_fd():
    fd = os.open("/dev/null", os.O_RDONLY)
    os.close(fd)
    return fd


def fd_is_open(fd):
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


def test_failed_vcpu_mapping_closes_the_vcpu_fd_once(system, monkeypatch,
                                                    unraisable):
    monkeypatch.setattr(system, "vcpu_mmap_size", lambda: 0)
    with system.create_vm() as vm:
        vcpu_fd = lowest_free_fd()
        with pytest.raises(KvmError) as info:
            vm.create_vcpu()
        assert str(info.value) == error_text("mmap(vcpu)", errno.EINVAL)
        sentinel = os.open("/dev/null", os.O_RDONLY)   # the vCPU's number
        try:
            assert sentinel == vcpu_fd
            del info
            gc.collect()
            assert fd_is_open(sentinel), "the failed vCPU closed it again"
        finally:
            with contextlib.suppress(OSError):
                os.close(sentinel)
    assert not unraisable


# The host library and the runner: the same failures end the test in one
# TBROK naming the operation and errno. Each breaker sabotages one step of
# the default run (boot a VM, run the payload), through patch.
def invalid_system_fd(test, patch):
    patch.setattr(test.system, "fd", INVALID_FD)


def oversized_cpuid(test, patch):
    nent = KVM_MAX_CPUID_ENTRIES + 1
    patch.setattr(host_instance, "get_cpuid",
                  lambda system: kvm_cpuid2_with(nent)(nent=nent))


def unmappable_vcpu(test, patch):
    patch.setattr(test.system, "vcpu_mmap_size", lambda: 0)


def vcpu_told_to_exit(test, patch):
    """KVM_RUN returns EINTR at once (immediate_exit), unexpected here."""
    create = test.create_instance

    def create_with_immediate_exit():
        instance = create()
        instance.vcpu.kvm_run.immediate_exit = 1
        return instance
    patch.setattr(test, "create_instance", create_with_immediate_exit)


@pytest.mark.parametrize("breaker, operation, code", [
    (invalid_system_fd, "ioctl(KVM_CREATE_VM)", errno.EBADF),
    (oversized_cpuid, "ioctl(KVM_SET_CPUID2)", errno.E2BIG),
    (unmappable_vcpu, "mmap(vcpu)", errno.EINVAL),
    (vcpu_told_to_exit, "ioctl(KVM_RUN)", errno.EINTR),
], ids=lambda value: getattr(value, "__name__", None))
def test_run_ends_in_tbrok_naming_the_operation_and_errno(
        build_dir, capfd, unraisable, breaker, operation, code):
    def sabotaged_run(test):
        with pytest.MonkeyPatch.context() as patch:
            breaker(test, patch)
            test.run()

    before = process_resources()
    out = io.StringIO()
    status = run_test(TestDefinition("selftest_hello", run=sabotaged_run),
                      payload("selftest_hello"), "x86_64",
                      Reporter(stream=out))
    gc.collect()
    stderr = capfd.readouterr().err
    assert process_resources() == before
    output = out.getvalue()
    results = [line for line in output.splitlines() if ": T" in line
               and "TINFO" not in line]
    assert len(results) == 1 and results[0].endswith(
        "TBROK: " + error_text(operation, code)), output
    assert output.count("\nSummary:\n") == 1, output
    assert status == 2, output
    assert "Traceback" not in output + stderr, output + stderr
    assert not unraisable, unraisable[0].exc_value


def test_kvm_device_that_is_not_kvm_is_tbrok(build_dir, monkeypatch):
    monkeypatch.setattr(lifecycle, "KvmSystem",
                        functools.partial(KvmSystem, "/dev/null"))
    out = io.StringIO()
    status = run_test(TestDefinition("selftest_hello"),
                      payload("selftest_hello"), "x86_64",
                      Reporter(stream=out))
    assert "TBROK: " + error_text("ioctl(KVM_GET_API_VERSION)",
                                  errno.ENOTTY) in out.getvalue()
    assert status == 2, out.getvalue()


def test_kvm_run_after_the_vm_fd_is_closed_still_runs(system, hello):
    """The vCPU holds its VM: closing the VM fd early breaks nothing, and
    destroying the instance afterwards closes nothing twice."""
    before = process_resources()
    instance = KvmInstance(system, hello, ListSink())
    instance.vm.close()
    assert instance.run_instance() == 0
    assert instance.sink.results[-1][2] == "Hello, world!"
    instance.destroy_instance()
    assert process_resources() == before


def test_memory_slot_error_is_tbrok_and_frees_the_buffer(system, hello):
    """A guest address beyond what the CPU can address: EINVAL."""
    instance = KvmInstance(system, hello, ListSink())
    try:
        before = process_resources()
        with pytest.raises(AbortTest) as info:
            instance.alloc_memory(2, 1 << 60, PAGE_SIZE)
        assert process_resources() == before
        assert instance.ram[2] is None
    finally:
        instance.destroy_instance()
    assert info.value.ttype == TBROK
    assert info.value.message == error_text(
        "ioctl(KVM_SET_USER_MEMORY_REGION)", errno.EINVAL)


def test_guest_memory_mmap_error_is_tbrok_naming_mmap_and_errno(system,
                                                                 hello):
    """More guest memory than the address space holds: ENOMEM."""
    instance = KvmInstance(system, hello, ListSink())
    try:
        before = process_resources()
        with pytest.raises(AbortTest) as info:
            instance.alloc_memory(2, 1 << 32, 1 << 50)
        assert process_resources() == before
    finally:
        instance.destroy_instance()
    assert info.value.ttype == TBROK
    assert "mmap(" in info.value.message
    assert "ENOMEM (Cannot allocate memory)" in info.value.message


def test_unreadable_payload_is_tbrok_naming_open_and_errno(tmp_path):
    path = str(tmp_path / "missing.bin")
    with pytest.raises(AbortTest) as info:
        Payload(path)
    assert info.value.ttype == TBROK
    assert path in info.value.message
    assert "ENOENT (No such file or directory)" in info.value.message


def test_oversized_image_is_tbrok_without_reading_it(tmp_path):
    image = tmp_path / "huge.bin"
    with open(image, "wb") as f:
        f.truncate(0xfffff000)   # sparse: nothing is written
    with pytest.raises(AbortTest) as exc:
        Payload(str(image))
    assert "does not fit below the result page" in exc.value.message


@needs_kvm
def test_runs_in_little_address_space(ltpkvm, build_dir):
    """Reading a payload never reserves its 4 GiB limit up front (a 2 GiB
    lab VM could not run any test)."""
    import resource
    import subprocess

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
    proc = subprocess.run(
        [sys.executable, "-m", "ltpkvm", "run", "kvm_pagefault01"],
        cwd=REPO, capture_output=True, text=True, preexec_fn=limit,
        env=dict(os.environ, LTP_COLORIZE_OUTPUT="n"))
    assert proc.returncode == 0, proc.stderr
