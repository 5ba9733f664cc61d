# SPDX-License-Identifier: GPL-2.0-or-later
"""The guest/host ABI: the single source of truth for every constant and
structure layout that the guest payloads and the host share.

The Makefile runs this file to generate the C header kvm_abi.h for the guest
library (`python3 guest_abi.py > kvm_abi.h`), so it must stay importable on
its own: standard library only. The test suite compiles the generated header
and checks it against these values.
"""
import ctypes
import sys

# Guest physical memory layout (names as LTP's kvm_common.h).
VM_KERNEL_BASEADDR = 0x1000
VM_RESET_BASEADDR = 0xfffffff0
VM_RESET_CODE_SIZE = 8
MIN_FREE_RAM = 10 * 1024 * 1024
DEFAULT_RAM_SIZE = 16 * 1024 * 1024
MAX_KVM_MEMSLOTS = 8
KVM_RESULT_BASEADDR = 0xfffff000
KVM_RESULT_SIZE = 0x1000
KVM_PAGE_SIZE = 0x1000

# Result types: LTP's tst_res() flags.
TPASS, TFAIL, TBROK, TWARN, TDEBUG, TINFO, TCONF = 0, 1, 2, 4, 8, 16, 32
TTYPE_MASK = 0x3f
TTYPE_NAMES = {TPASS: "TPASS", TFAIL: "TFAIL", TBROK: "TBROK",
               TWARN: "TWARN", TDEBUG: "TDEBUG", TINFO: "TINFO",
               TCONF: "TCONF"}

# Special values of tst_kvm_result.result.
KVM_TNONE = -1    # no result yet (also: the guest only yielded)
KVM_TSYNC = 0xfe  # the guest signals the host without stopping
KVM_TEXIT = 0xff  # end of test

# Boot protocol: the payload image starts with a kvm_boot_header; the host
# reads it, builds the page tables the header points at, and enters the
# guest's entry point directly in its final CPU mode.
KVM_BOOT_MAGIC = 0x4d564b4c  # "LKVM" little-endian
KVM_BOOT_ABI_VERSION = 2   # 2: kvm_host_info
KVM_ARCH_X86_64 = 1
KVM_ARCH_I386 = 2
KVM_PAGETABLE_PAGES = 6   # x86_64: PML4, PDPT, 2 PDs (0-2 GiB), PD + PT (result page)
KVM_STACK_SIZE = 8192
KVM_GDT_SIZE = 32         # descriptors in kvm_gdt[]
KVM_IDT_SIZE = 256        # gates in kvm_idt[]
# GDT selectors the host loads before the first instruction.
KVM_CS64_SELECTOR = 0x08
KVM_DS_SELECTOR = 0x10
KVM_CS32_SELECTOR = 0x18
KVM_TSS_SELECTOR = 0x20   # 16-byte system descriptor in 64-bit mode
# The TSS with its I/O permission bitmap (a bit per port, then a byte of
# ones), as TR's limit covers it
KVM_IOMAP_SIZE = 0x10000 // 8
KVM_TSS_SIZE = 104 + KVM_IOMAP_SIZE + 1
# Guest user mode (DPL 3), in the order SYSRET expects: 32-bit code, data,
# 64-bit code
KVM_USER_CS32_SELECTOR = 0x30
KVM_USER_DS_SELECTOR = 0x38
KVM_USER_CS64_SELECTOR = 0x40

# Page-table entry bits (x86_64 and PAE), as the host builds the boot tables
# and the guest library changes them
PTE_PRESENT = 1 << 0
PTE_WRITABLE = 1 << 1
PTE_USER = 1 << 2
PTE_ACCESSED = 1 << 5
PTE_DIRTY = 1 << 6
PTE_LARGE = 1 << 7
PTE_GLOBAL = 1 << 8
PTE_NX = 1 << 63

# Guest-physical addresses no memory slot backs: the identity map covers
# them, so the guest can reach host-answered MMIO regions there
KVM_MMIO_BASEADDR = 0x40000000

# kvm_host_info.flags: what the host offers the guest
KVM_HOST_FEP = 1 << 0     # kvm.force_emulation_prefix is on


class tst_kvm_result(ctypes.Structure):
    """The result page (LTP's struct tst_kvm_result); message[] fills the rest."""
    _fields_ = [("result", ctypes.c_int32), ("lineno", ctypes.c_int32),
                ("file_addr", ctypes.c_uint64)]


class kvm_boot_header(ctypes.Structure):
    """First bytes of every payload image, at VM_KERNEL_BASEADDR."""
    _fields_ = [("magic", ctypes.c_uint32),
                ("abi_version", ctypes.c_uint16),
                ("arch", ctypes.c_uint16),
                ("entry", ctypes.c_uint64),
                ("stack_top", ctypes.c_uint64),
                ("pagetable", ctypes.c_uint64),   # kvm_pagetable
                ("gdt", ctypes.c_uint64),         # kvm_gdt
                ("idt", ctypes.c_uint64),         # kvm_idt
                ("tss", ctypes.c_uint64),
                ("image_end", ctypes.c_uint64),   # end of .bss: heap start
                ("host_info", ctypes.c_uint64)]   # kvm_host_info


class kvm_host_info(ctypes.Structure):
    """What the host tells the guest before its first instruction."""
    _fields_ = [("flags", ctypes.c_uint32),       # KVM_HOST_*
                ("reserved", ctypes.c_uint32)]


KVM_RESULT_MESSAGE_OFFSET = ctypes.sizeof(tst_kvm_result)
KVM_RESULT_MESSAGE_SIZE = KVM_RESULT_SIZE - KVM_RESULT_MESSAGE_OFFSET

CONSTANTS = (
    "VM_KERNEL_BASEADDR", "VM_RESET_BASEADDR", "VM_RESET_CODE_SIZE",
    "MIN_FREE_RAM", "DEFAULT_RAM_SIZE", "MAX_KVM_MEMSLOTS",
    "KVM_RESULT_BASEADDR", "KVM_RESULT_SIZE", "KVM_PAGE_SIZE",
    "TPASS", "TFAIL", "TBROK", "TWARN", "TDEBUG", "TINFO", "TCONF",
    "TTYPE_MASK", "KVM_TNONE", "KVM_TSYNC", "KVM_TEXIT",
    "KVM_BOOT_MAGIC", "KVM_BOOT_ABI_VERSION", "KVM_ARCH_X86_64",
    "KVM_ARCH_I386", "KVM_PAGETABLE_PAGES", "KVM_STACK_SIZE",
    "KVM_GDT_SIZE", "KVM_IDT_SIZE", "KVM_CS64_SELECTOR", "KVM_DS_SELECTOR",
    "KVM_CS32_SELECTOR", "KVM_TSS_SELECTOR", "KVM_IOMAP_SIZE",
    "KVM_TSS_SIZE", "KVM_USER_CS32_SELECTOR",
    "KVM_USER_DS_SELECTOR", "KVM_USER_CS64_SELECTOR", "PTE_PRESENT",
    "PTE_WRITABLE", "PTE_USER", "PTE_ACCESSED", "PTE_DIRTY", "PTE_LARGE",
    "PTE_GLOBAL", "PTE_NX", "KVM_MMIO_BASEADDR", "KVM_HOST_FEP",
    "KVM_RESULT_MESSAGE_OFFSET", "KVM_RESULT_MESSAGE_SIZE")
STRUCTS = (tst_kvm_result, kvm_boot_header, kvm_host_info)

_C_TYPES = {ctypes.c_int32: "int32_t", ctypes.c_uint16: "uint16_t",
            ctypes.c_uint32: "uint32_t", ctypes.c_uint64: "uint64_t"}


def _c_literal(value):
    if value < 0:
        return f"({value})"
    return f"0x{value:x}" if value > 9 else str(value)


def c_header():
    """The C header kvm_abi.h, usable from C and from assembly."""
    lines = ["/* SPDX-License-Identifier: GPL-2.0-or-later */",
             "/* Generated from ltpkvm/host/guest_abi.py: do not edit. */",
             "#ifndef KVM_ABI_H_", "#define KVM_ABI_H_", ""]
    lines += [f"#define {name} {_c_literal(globals()[name])}"
              for name in CONSTANTS]
    # The integer types come from the includer: kvm_guest.h in a payload
    # (LTP's types), <stdint.h> in host C code.
    lines += ["", "#ifndef __ASSEMBLER__", ""]
    for struct in STRUCTS:
        lines.append(f"struct {struct.__name__} {{")
        lines += [f"\t{_C_TYPES[ctype]} {name};"
                  for name, ctype in struct._fields_]
        if struct is tst_kvm_result:
            lines.append("\tchar message[0];")
        lines += ["};", ""]
    lines += ["#endif /* __ASSEMBLER__ */", "#endif /* KVM_ABI_H_ */"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(c_header())
