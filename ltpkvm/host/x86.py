# SPDX-License-Identifier: GPL-2.0-or-later
"""x86 boot: the host puts the vCPU straight into the payload's final CPU
mode, so the guest runs no 16/32-bit code (emulated instruction by
instruction on some KVMs, which made LTP's own bootstrap take seconds).

x86_64 layout promised to payloads (LTP's): identity map of the lower 2 GiB,
the rest of the lower 4 GiB unmapped except the result page; kvm_pagetable
is the PML4. Here the identity map uses 2 MiB pages.
"""
import functools
import struct

from ..kvm.structs import kvm_segment
from .guest_abi import (KVM_CS64_SELECTOR, KVM_DS_SELECTOR, KVM_GDT_SIZE,
                        KVM_IDT_SIZE, KVM_PAGETABLE_PAGES,
                        KVM_RESULT_BASEADDR, KVM_TSS_SELECTOR, KVM_PAGE_SIZE)

PTE_PRESENT = 1 << 0
PTE_WRITABLE = 1 << 1
PTE_LARGE = 1 << 7
PTE_TABLE = PTE_PRESENT | PTE_WRITABLE

CR0_PE, CR0_MP, CR0_ET, CR0_NE = 1 << 0, 1 << 1, 1 << 4, 1 << 5
CR0_WP, CR0_PG = 1 << 16, 1 << 31
CR4_PAE = 1 << 5
EFER_LME, EFER_LMA, EFER_NXE = 1 << 8, 1 << 10, 1 << 11
RFLAGS_RESERVED = 1 << 1
TSS64_SIZE = 104
SEGTYPE_TSS_BUSY = 0xb

CPUID_EXT_FEATURES = 0x80000001
CPUID_EDX_NX = 1 << 20


@functools.lru_cache(maxsize=8)
def x86_64_page_tables(base):
    """The KVM_PAGETABLE_PAGES pages of page tables, located at base:
    PML4, PDPT, two page directories of 2 MiB pages for 0-2 GiB, and a page
    directory and page table that map only the result page."""
    pml4, pdpt, pd_low, pd_high, pt_result = (
        base + page * KVM_PAGE_SIZE for page in (0, 1, 2, 4, 5))
    tables = bytearray(KVM_PAGETABLE_PAGES * KVM_PAGE_SIZE)

    def entry(table, index, value):
        struct.pack_into("<Q", tables, table - base + 8 * index, value)

    entry(pml4, 0, pdpt | PTE_TABLE)
    entry(pdpt, 0, pd_low | PTE_TABLE)
    entry(pdpt, 1, (pd_low + KVM_PAGE_SIZE) | PTE_TABLE)
    entry(pdpt, 3, pd_high | PTE_TABLE)
    struct.pack_into("<1024Q", tables, pd_low - base,
                     *((i << 21) | PTE_TABLE | PTE_LARGE for i in range(1024)))
    entry(pd_high, 511, pt_result | PTE_TABLE)
    entry(pt_result, 511, KVM_RESULT_BASEADDR | PTE_TABLE)
    return bytes(tables)


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


def cpu_has_nx(cpuid):
    return any(e.function == CPUID_EXT_FEATURES and e.edx & CPUID_EDX_NX
               for e in cpuid.entries[:cpuid.nent])


def boot_x86_64(vcpu, ram, header, cpuid):
    """Enter 64-bit mode at the payload's entry point. ram is the memoryview
    of slot 0 (guest-physical 0), the payload already copied in."""
    base = header.pagetable
    ram[base:base + KVM_PAGETABLE_PAGES * KVM_PAGE_SIZE] = x86_64_page_tables(base)

    def gdt_segment(selector):
        raw, = struct.unpack_from("<Q", ram, header.gdt + selector)
        return segment_from_descriptor(raw, selector)

    sregs = vcpu.get_sregs()
    sregs.cs = gdt_segment(KVM_CS64_SELECTOR)
    sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss = \
        gdt_segment(KVM_DS_SELECTOR)
    # kvm_init_arch() writes the matching busy TSS descriptor to the GDT.
    sregs.tr = kvm_segment(base=header.tss, limit=TSS64_SIZE - 1,
                           selector=KVM_TSS_SELECTOR, type=SEGTYPE_TSS_BUSY,
                           present=1)
    sregs.gdt.base, sregs.gdt.limit = header.gdt, 8 * KVM_GDT_SIZE - 1
    sregs.idt.base, sregs.idt.limit = header.idt, 16 * KVM_IDT_SIZE - 1
    sregs.cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG
    sregs.cr3 = base
    sregs.cr4 = CR4_PAE
    sregs.efer = EFER_LME | EFER_LMA | (EFER_NXE if cpu_has_nx(cpuid) else 0)
    vcpu.set_sregs(sregs)

    regs = vcpu.get_regs()
    regs.rip = header.entry
    regs.rsp = header.stack_top
    regs.rflags = RFLAGS_RESERVED
    vcpu.set_regs(regs)
