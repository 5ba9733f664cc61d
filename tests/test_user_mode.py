# SPDX-License-Identifier: GPL-2.0-or-later
"""Guest user mode, host-answered MMIO and port I/O, and the forced-emulation
flag the host passes to the guest, on real VMs."""
import os

import pytest

from conftest import needs_kvm
from test_guest_library import (ARCHES, assert_broken, assert_ltp_run,
                                counts, pass_in, paged, run_suite)
from test_host_library import ListSink
from ltpkvm.host import guest_abi as abi
from ltpkvm.host import instance as instance_module
from ltpkvm.host.emulated_io import EmulatedIo, MmioRegion, PortRegion
from ltpkvm.host.errors import AbortTest
from ltpkvm.host.payload import Payload

pytestmark = needs_kvm
NEEDS_PAGING = ("lib_x86_user.c", "TCONF", "Guest user mode needs paging, "
                "which this KVM does not support outside 64-bit mode")
USER_RESULTS = [
    "User function at CPL 3: returned 69495",
    "HLT at CPL 3, skipped by the #GP callback: returned 9",
    "HLT at CPL 3, abandoned by the #GP callback: returned -7",
    "User read of a supervisor page: returned -7",
    "User read of a page made user-accessible: returned 1234",
    "User read after access is taken back: returned -7",
    "User call into the kernel: returned 1244",
    "#UD at CPL 0 after user mode: returned 1",
]


def run_user_mode(ltpkvm, arch, payload):
    """The payload's run where user mode can run; None (and the run
    checked to be user mode's TCONF) where it cannot."""
    run = run_suite(ltpkvm, arch, payload)
    if paged(arch):
        return run
    assert_ltp_run(run, 32, [NEEDS_PAGING], counts(skipped=1))
    return None


def assert_user_mode_passes(ltpkvm, arch, payload, messages):
    """The payload passes with exactly these TPASS messages, where user
    mode can run."""
    run = run_user_mode(ltpkvm, arch, payload)
    if run:
        assert_ltp_run(run, 0, [pass_in(payload, message)
                                for message in messages],
                       counts(passed=len(messages)))


@pytest.mark.parametrize("arch", ARCHES)
def test_user_functions_return_fault_and_call_the_kernel(ltpkvm, arch):
    assert_user_mode_passes(ltpkvm, arch, "selftest_user", USER_RESULTS)


@pytest.mark.parametrize("arch", ARCHES)
def test_unhandled_exception_at_cpl3_names_the_cpl(ltpkvm, arch):
    run = run_user_mode(ltpkvm, arch, "selftest_user_unhandled")
    if not run:
        return
    message = assert_broken(run, "lib_x86.c", "General protection fault")
    assert message.endswith(", CPL 3"), message
    assert "user_hlt" in run.output, run.output   # the backtrace


MMIO_RESULTS = [
    "Read of the region's data: 0x4f494d4d",
    "Read past the data: 0x0",
    "Write, then read back: 0x11223344",
    "ADD to MMIO: 0x11223349",
    "Write across a page boundary, read back: 0x1020304",
    "OUT, then IN of the same port: 0xab",
]


@pytest.mark.parametrize("arch", ARCHES)
def test_mmio_and_ports_the_host_answers(ltpkvm, arch):
    run = run_suite(ltpkvm, arch, "selftest_mmio")
    expected = [pass_in("selftest_mmio", message) for message in MMIO_RESULTS]
    expected += [("selftest_mmio.py", "TPASS",
                  "The host saw the 4 MMIO writes"),
                 ("selftest_mmio.py", "TPASS", "The host saw the port write")]
    assert_ltp_run(run, 0, expected, counts(passed=len(expected)))


@pytest.mark.parametrize("value, enabled", [
    ("0", False), ("N", False), ("1", True), ("Y", True), ("2", True),
    (None, False), ("junk", False)])
def test_forced_emulation_reads_the_kvm_parameter(monkeypatch, value,
                                                  enabled):
    monkeypatch.setattr(instance_module, "read_param",
                        lambda module, param: value)
    assert instance_module.forced_emulation() is enabled
    assert instance_module.host_info().flags == (
        abi.KVM_HOST_FEP if enabled else 0)


@pytest.mark.parametrize("value", ["0", "1"])
def test_the_guest_sees_the_forced_emulation_flag(system, build_dir,
                                                  monkeypatch, value):
    monkeypatch.setattr(instance_module, "read_param",
                        lambda module, param: value)
    payload = Payload(os.path.join(build_dir, "tests", "x86_64",
                                   "selftest_fep.bin"))
    sink = ListSink()
    with instance_module.KvmInstance(system, payload, sink) as inst:
        try:
            inst.run_instance()
        except AbortTest as exc:
            sink.result(exc.file, exc.ttype, exc.message)
    if value == "1":
        assert sink.results == [("selftest_fep.c", abi.TINFO,
                                 "The host enables forced emulation")]
    else:
        [(file, ttype, message)] = sink.results
        assert (file, ttype) == ("lib_x86.c", abi.TCONF)
        assert "force_emulation_prefix=1" in message


def test_region_bounds_and_types_are_checked():
    with pytest.raises(TypeError):
        MmioRegion("0x1000", 16)
    for start, size, data in ((0, 0, b""), (-1, 16, b""), (0, 4, b"12345")):
        with pytest.raises(ValueError):
            MmioRegion(start, size, data)
    with pytest.raises(ValueError):
        PortRegion(0xffff, 2)


def test_a_region_is_memory_with_a_log_reset_per_vm():
    region = MmioRegion(0x1000, 8, b"ab")
    region.write(0x1002, b"cd")
    assert region.read(0x1000, 4) == b"abcd"
    assert [tuple(access) for access in region.accesses] == [
        (True, 0x1002, b"cd"), (False, 0x1000, b"abcd")]
    assert region.writes == region.accesses[:1]
    EmulatedIo([region])   # a new VM
    assert region.read(0x1000, 4) == b"ab\0\0" and len(region.accesses) == 1


def test_a_region_in_guest_memory_is_refused():
    io = EmulatedIo([MmioRegion(0x2000, 0x1000)])
    with pytest.raises(AbortTest) as exc:
        io.check_against_memory([(0, 0x10000)])
    assert "overlaps guest memory" in exc.value.message


@pytest.mark.parametrize("text, accepted", [
    ("mmio_regions = [MmioRegion(KVM_MMIO_BASEADDR, 16)]", True),
    ("port_regions = (PortRegion(0x80, 1),)", True),
    ("mmio_regions = MmioRegion(KVM_MMIO_BASEADDR, 16)", False),
    ("port_regions = [MmioRegion(KVM_MMIO_BASEADDR, 16)]", False),
    ("mmio_regions = [(0x40000000, 16)]", False)])
def test_definitions_declare_regions(tmp_path, text, accepted):
    from ltpkvm.ltp.definitions import load_definition
    (tmp_path / "regions.py").write_text(
        "from ltpkvm.host import KVM_MMIO_BASEADDR, MmioRegion, PortRegion\n"
        + text + "\n")
    if accepted:
        definition = load_definition("regions", str(tmp_path))
        assert len(definition.mmio_regions + definition.port_regions) == 1
        return
    with pytest.raises(AbortTest) as exc:
        load_definition("regions", str(tmp_path))
    assert "_regions must be a list of" in exc.value.message


CATCH_RESULTS = [f"{what} at CPL {cpl}: {how}" for cpl in (0, 3)
                 for what, how in (
                     ("UD2", "as expected"), ("NOP", "as expected"),
                     ("JMP to an unmapped page",
                      "caught at the landing address"))] + [
    "kvm_catch_exceptions() forgets the landing address"]


@pytest.mark.parametrize("arch", ARCHES)
def test_catching_one_instructions_exception(ltpkvm, arch):
    assert_user_mode_passes(ltpkvm, arch, "selftest_catch", CATCH_RESULTS)
