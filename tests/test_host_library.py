# SPDX-License-Identifier: GPL-2.0-or-later
"""The host library API (LTP's lib_host.c equivalents) on real VMs."""
import os

import pytest

from conftest import needs_kvm
from ltpkvm.host import guest_abi as abi
from ltpkvm.host.errors import AbortTest
from ltpkvm.host.instance import KvmInstance, get_cpuid, validate_result

MIB = 1024 * 1024


class ListSink:
    def __init__(self):
        self.results = []

    def result(self, file, lineno, ttype, message):
        self.results.append((file, ttype, message))


@pytest.fixture
def instance(system, hello):
    sink = ListSink()
    inst = KvmInstance(system, hello, sink)
    yield inst
    inst.destroy_instance()


pytestmark = needs_kvm


def test_run_instance_relays_results_then_stops_on_exit(instance):
    assert instance.run_instance() == 0
    assert instance.sink.results == [
        ("selftest_hello.c", abi.TPASS, "Hello, world!")]


def test_memory_slots_and_address_lookups(instance):
    assert instance.find_phys_memslot(0) == 0
    assert instance.find_phys_memslot(abi.DEFAULT_RAM_SIZE - 1) == 0
    assert instance.find_phys_memslot(abi.DEFAULT_RAM_SIZE) == -1
    assert instance.find_phys_memslot(abi.KVM_RESULT_BASEADDR + 5) == 1
    # Identity map below 2 GiB, result page mapped, the rest unmapped.
    assert instance.get_phys_address(0x1000) == 0x1000
    assert instance.get_phys_address(abi.KVM_RESULT_BASEADDR) == \
        abi.KVM_RESULT_BASEADDR
    assert instance.get_phys_address(0x80000000) == 0
    assert instance.find_memslot(0x80000000) == -1
    assert instance.find_memslot(abi.KVM_RESULT_BASEADDR) == 1
    assert instance.get_memptr(0x7f000000) is None  # mapped, not backed
    image = bytes(instance.get_memptr(abi.VM_KERNEL_BASEADDR)[:64])
    assert image == instance.payload.image[:64]


def test_alloc_memory_is_page_aligned_and_guarded(instance):
    view = instance.alloc_memory(2, 0x40000123, 100)
    region, buf = instance.ram[2]
    assert region.guest_phys_addr == 0x40000000
    assert region.memory_size == buf.size == 4096
    assert buf.address % 4096 == 0 and len(view) == 4096
    view[0x123] = 0x5a
    assert instance.get_memptr(0x40000123)[0] == 0x5a
    with pytest.raises(AbortTest, match="slot 2 already in use"):
        instance.alloc_memory(2, 0x50000000, 4096)
    with pytest.raises(AbortTest, match="Invalid KVM memory slot 8"):
        instance.alloc_memory(abi.MAX_KVM_MEMSLOTS, 0x50000000, 4096)


def test_overlapping_slot_is_tbrok_naming_the_ioctl(instance):
    with pytest.raises(AbortTest) as exc:
        instance.alloc_memory(3, 0x1000, 4096)
    assert exc.value.ttype == abi.TBROK
    assert "KVM_SET_USER_MEMORY_REGION" in exc.value.message
    assert "EEXIST" in exc.value.message


def test_small_ram_is_grown_with_a_warning(system, hello):
    sink = ListSink()
    inst = KvmInstance(system, hello, sink, ram_size=MIB)
    try:
        assert inst.ram[0][0].memory_size >= hello.size + abi.MIN_FREE_RAM
        assert inst.ram[0][0].memory_size % MIB == 0
        assert [(t, m.split(" to ")[0]) for _, t, m in sink.results] == [
            (abi.TWARN, "RAM size increased")]
    finally:
        inst.destroy_instance()


def test_ram_above_the_result_page_is_truncated(system, hello):
    sink = ListSink()
    inst = KvmInstance(system, hello, sink, ram_size=8 << 30)
    try:
        assert inst.ram[0][0].memory_size == abi.KVM_RESULT_BASEADDR
        assert sink.results == [("instance.py", abi.TWARN,
                                 f"RAM size truncated to "
                                 f"{abi.KVM_RESULT_BASEADDR} bytes")]
    finally:
        inst.destroy_instance()


def test_get_cpuid_lists_the_supported_leaves(system):
    cpuid = get_cpuid(system)
    functions = {e.function for e in cpuid.entries[:cpuid.nent]}
    assert {0, 1, 0x80000000, 0x80000001} <= functions


@pytest.mark.parametrize("value", [abi.KVM_TNONE, 3, 0x43, 0x105, -7])
def test_validate_result_rejects_non_results(value):
    with pytest.raises(AbortTest) as exc:
        validate_result(value)
    assert exc.value.ttype == abi.TBROK


@pytest.mark.parametrize("value", [abi.TPASS, abi.TFAIL, abi.TBROK,
                                   abi.TWARN, abi.TINFO, abi.TCONF,
                                   abi.TPASS | 0x100, abi.TFAIL | 0x200,
                                   abi.TINFO | 0x400, abi.TCONF | 0x700])
def test_validate_result_accepts_results(value):
    validate_result(value)


def test_destroy_releases_every_fd(system, hello):
    before = set(os.listdir("/proc/self/fd"))
    for _ in range(5):
        inst = KvmInstance(system, hello, ListSink())
        inst.run_instance()
        inst.destroy_instance()
    assert set(os.listdir("/proc/self/fd")) == before


@pytest.mark.parametrize("addr", [0x0, 0x1234, 0x1fffff, 0x200000, 0x7fffffff,
                                  0x80000000, 0xbffff000, 0xfffff000,
                                  0xfffff123, 0x100000000, 0xffffffff])
def test_software_page_walk_agrees_with_kvm_translate(instance, addr):
    """While the vCPU runs on another thread the host walks the page tables
    itself; it must find what KVM_TRANSLATE finds."""
    from ltpkvm.host.x86 import walk_page_tables
    ram = instance.ram[0][1].view
    result = instance.ram[1][1].view

    def read_entry(paddr):
        memory = ram if paddr < len(ram) else None
        return int.from_bytes(memory[paddr:paddr + 8], "little") \
            if memory is not None else 0

    assert len(result) == 4096
    walked = walk_page_tables(read_entry, instance.payload.header.pagetable,
                              addr, long_mode=True)
    assert walked == instance.get_phys_address(addr)


def test_missing_capabilities_are_named(system, monkeypatch):
    from ltpkvm.host import lifecycle as host
    assert host.missing_capabilities(system) == []
    monkeypatch.setattr(system, "check_extension",
                        lambda cap: 4 if cap == 10 else 0)  # 10: NR_MEMSLOTS
    assert host.missing_capabilities(system) == [
        "KVM_CAP_USER_MEMORY", "KVM_CAP_EXT_CPUID",
        "KVM_CAP_NR_MEMSLOTS >= 8"]
