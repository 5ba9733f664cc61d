# SPDX-License-Identifier: GPL-2.0-or-later
"""x86 boot: the host puts the vCPU straight into the payload's final CPU
mode, so the guest runs no 16/32-bit code (emulated instruction by
instruction on some KVMs, which made LTP's own bootstrap take seconds).

Layout promised to payloads (LTP's): identity map of the lower 2 GiB, the
rest of the lower 4 GiB unmapped except the result page; kvm_pagetable is
the PML4 (x86_64) or the PAE PDPT (i386). The identity map uses 2 MiB
pages.
"""
import functools
import struct

from ..kvm import KvmError
from ..kvm.exits import HLT
from ..kvm.structs import kvm_segment
from .guest_abi import (KVM_CS32_SELECTOR, KVM_CS64_SELECTOR,
                        KVM_DS_SELECTOR, KVM_GDT_SIZE, KVM_IDT_SIZE,
                        KVM_PAGE_SIZE, KVM_RESULT_BASEADDR, KVM_TSS_SELECTOR,
                        KVM_TSS_SIZE, PTE_LARGE, PTE_PRESENT, PTE_WRITABLE,
                        kvm_boot_header)
from .memory import GuardedBuffer

PTE_TABLE = PTE_PRESENT | PTE_WRITABLE

CR0_PE, CR0_MP, CR0_ET, CR0_NE = 1 << 0, 1 << 1, 1 << 4, 1 << 5
CR0_WP, CR0_PG = 1 << 16, 1 << 31
CR4_PAE = 1 << 5
EFER_LME, EFER_LMA, EFER_NXE = 1 << 8, 1 << 10, 1 << 11
RFLAGS_RESERVED = 1 << 1
SEGTYPE_TSS_BUSY = 0xb

CPUID_EXT_FEATURES = 0x80000001
CPUID_EDX_NX = 1 << 20


@functools.lru_cache(maxsize=8)
def page_tables(base, long_mode):
    """The page tables the payload boots with, to be copied at base.

    x86_64 (KVM_PAGETABLE_PAGES pages): PML4, PDPT, two page directories of
    2 MiB pages for 0-2 GiB, then a page directory and a page table that map
    only the result page. i386 (PAE) uses the same pages from the PDPT on,
    one page fewer."""
    first = base if long_mode else base - KVM_PAGE_SIZE  # where a PML4 would be
    pml4, pdpt, pd_low, pd_high, pt_result = (
        first + page * KVM_PAGE_SIZE for page in (0, 1, 2, 4, 5))
    tables = bytearray(pt_result + KVM_PAGE_SIZE - base)
    # PAE page-directory-pointer entries take no access bits
    directory = PTE_TABLE if long_mode else PTE_PRESENT

    def entry(table, index, value):
        struct.pack_into("<Q", tables, table - base + 8 * index, value)

    if long_mode:
        entry(pml4, 0, pdpt | PTE_TABLE)
    entry(pdpt, 0, pd_low | directory)
    entry(pdpt, 1, (pd_low + KVM_PAGE_SIZE) | directory)
    entry(pdpt, 3, pd_high | directory)
    struct.pack_into("<1024Q", tables, pd_low - base,
                     *((i << 21) | PTE_TABLE | PTE_LARGE for i in range(1024)))
    entry(pd_high, 511, pt_result | PTE_TABLE)
    entry(pt_result, 511, KVM_RESULT_BASEADDR | PTE_TABLE)
    return bytes(tables)


ADDRESS_MASK = 0x000ffffffffff000


def walk_page_tables(read_entry, cr3, addr, long_mode):
    """Guest-physical address of addr through the 4-level (long_mode) or PAE
    page tables at cr3, as the CPU walks them; 0 when unmapped.
    read_entry(paddr) reads a page-table entry from guest memory."""
    if long_mode:
        table, shifts = cr3 & ADDRESS_MASK, (39, 30, 21, 12)
    else:
        # The PAE PDPT is 4 entries, 32-byte aligned, indexed by bits 30-31
        table, shifts = cr3 & ~0x1f & 0xffffffff, (30, 21, 12)
    for level, shift in enumerate(shifts):
        entry = read_entry(table + 8 * ((addr >> shift) & 0x1ff))
        if not entry & PTE_PRESENT:
            return 0
        large = entry & PTE_LARGE and shift in (30, 21) and (
            long_mode or level > 0)   # no large pages in a PAE PDPT
        if large or shift == 12:
            offset_mask = (1 << shift) - 1
            return (entry & ADDRESS_MASK & ~offset_mask) | (addr & offset_mask)
        table = entry & ADDRESS_MASK
    return 0


def segment_from_descriptor(raw, selector):
    """The hidden segment state the CPU loads from GDT descriptor raw."""
    access = (raw >> 40) & 0xff
    flags = (raw >> 52) & 0xf
    limit = (raw & 0xffff) | ((raw >> 48) & 0xf) << 16
    if flags & 8:
        limit = (limit << 12) | 0xfff
    return kvm_segment(
        base=((raw >> 16) & 0xffffff) | ((raw >> 56) & 0xff) << 24,
        limit=limit, selector=selector, type=access & 0xf,
        s=(access >> 4) & 1, dpl=(access >> 5) & 3, present=access >> 7,
        avl=flags & 1, l=(flags >> 1) & 1, db=(flags >> 2) & 1,
        g=(flags >> 3) & 1)


# CPU features a guest may need, as /proc/cpuinfo names them:
# name -> (CPUID leaf, subleaf, register, bit)
CPU_FEATURES = {
    "vmx": (1, 0, "ecx", 5),
    "svm": (CPUID_EXT_FEATURES, 0, "ecx", 2),
    "nx": (CPUID_EXT_FEATURES, 0, "edx", 20),
    "pdpe1gb": (CPUID_EXT_FEATURES, 0, "edx", 26),
    "lm": (CPUID_EXT_FEATURES, 0, "edx", 29),
    "la57": (7, 0, "ecx", 16),
}


def guest_cpu_features(cpuid):
    """The CPU_FEATURES that KVM offers guests, from its CPUID list."""
    entries = {(e.function, e.index): e for e in cpuid.entries[:cpuid.nent]}
    return {name for name, (leaf, index, reg, bit) in CPU_FEATURES.items()
            if (leaf, index) in entries
            and getattr(entries[leaf, index], reg) >> bit & 1}


def cpu_has_nx(cpuid):
    return "nx" in guest_cpu_features(cpuid)


def boot_x86(vcpu, ram, header, cpuid, long_mode, paging=True):
    """Put the vCPU in the payload's CPU mode at its entry point: 64-bit mode
    (long_mode), else 32-bit protected mode, with PAE paging or, where this
    KVM refuses paging outside long mode, unpaged (linear = physical, the
    same layout for RAM and the result page). ram is the memoryview of slot
    0 (guest-physical 0) with the payload already copied in."""
    paging = paging or long_mode
    if paging:
        tables = page_tables(header.pagetable, long_mode)
        ram[header.pagetable:header.pagetable + len(tables)] = tables

    def gdt_segment(selector):
        raw, = struct.unpack_from("<Q", ram, header.gdt + selector)
        return segment_from_descriptor(raw, selector)

    sregs = vcpu.get_sregs()
    sregs.cs = gdt_segment(KVM_CS64_SELECTOR if long_mode
                           else KVM_CS32_SELECTOR)
    sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss = \
        gdt_segment(KVM_DS_SELECTOR)
    # kvm_init_arch() writes the matching busy TSS descriptor to the GDT.
    sregs.tr = kvm_segment(base=header.tss, limit=KVM_TSS_SIZE - 1,
                           selector=KVM_TSS_SELECTOR, type=SEGTYPE_TSS_BUSY,
                           present=1)
    sregs.gdt.base, sregs.gdt.limit = header.gdt, 8 * KVM_GDT_SIZE - 1
    gate_size = 16 if long_mode else 8
    sregs.idt.base, sregs.idt.limit = header.idt, gate_size * KVM_IDT_SIZE - 1
    sregs.cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE
    sregs.cr4 = sregs.cr3 = sregs.efer = 0
    if paging:
        sregs.cr0 |= CR0_WP | CR0_PG
        sregs.cr3 = header.pagetable
        sregs.cr4 = CR4_PAE
        sregs.efer = EFER_NXE if cpu_has_nx(cpuid) else 0
    if long_mode:
        sregs.efer |= EFER_LME | EFER_LMA
    vcpu.set_sregs(sregs)

    regs = vcpu.get_regs()
    regs.rip = header.entry
    regs.rsp = header.stack_top
    regs.rflags = RFLAGS_RESERVED
    vcpu.set_regs(regs)


# Flat 4 GiB 32-bit code and data descriptors, for the probe's GDT.
_FLAT_CODE32, _FLAT_DATA = 0x00cf9b000000ffff, 0x00cf93000000ffff
_probed = {}


def i386_paging_works(system):
    """Whether this KVM runs 32-bit code with paging on, found once per
    process by booting a lone HLT that way. (kvm_pvm supports paging only in
    long mode: the vCPU shuts down instead.)"""
    if "i386" not in _probed:
        _probed["i386"] = probe_i386(system, paging=True)
    return _probed["i386"]


def probe_i386(system, paging):
    """Does a lone HLT run in 32-bit protected mode, paged or not?"""
    code, gdt, tables = 0x1000, 0x2000, 0x4000
    header = kvm_boot_header(entry=code, stack_top=code, pagetable=tables,
                             gdt=gdt, idt=gdt, tss=gdt)
    ram = GuardedBuffer(0x10000)
    try:
        with system.create_vm() as vm:
            vm.set_user_memory_region(0, 0, ram.size, ram.address)
            ram.view[code] = 0xf4  # hlt
            struct.pack_into("<Q", ram.view, gdt + KVM_DS_SELECTOR,
                             _FLAT_DATA)
            struct.pack_into("<Q", ram.view, gdt + KVM_CS32_SELECTOR,
                             _FLAT_CODE32)
            with vm.create_vcpu() as vcpu:
                cpuid = system.supported_cpuid()
                vcpu.set_cpuid2(cpuid)
                boot_x86(vcpu, ram.view, header, cpuid, long_mode=False,
                         paging=paging)
                return (vcpu.run() is HLT
                        and vcpu.get_regs().rip == code + 1)
    except KvmError:
        return False
    finally:
        ram.free()
