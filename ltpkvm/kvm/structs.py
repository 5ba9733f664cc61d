# SPDX-License-Identifier: GPL-2.0-or-later
"""ctypes mirrors of the parts of <linux/kvm.h> (x86) that ltpkvm uses.

Field names follow the kernel header so that code reads like C; the test
suite compiles a program against the system header and checks every size and
offset below.
"""
from ctypes import (Structure, Union, c_char, c_uint8, c_uint16, c_uint32,
                    c_uint64, sizeof)

u8, u16, u32, u64 = c_uint8, c_uint16, c_uint32, c_uint64


class kvm_regs(Structure):
    _fields_ = [(name, u64) for name in (
        "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rsp", "rbp",
        "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
        "rip", "rflags")]


class kvm_segment(Structure):
    _fields_ = [("base", u64), ("limit", u32), ("selector", u16),
                ("type", u8), ("present", u8), ("dpl", u8), ("db", u8),
                ("s", u8), ("l", u8), ("g", u8), ("avl", u8),
                ("unusable", u8), ("padding", u8)]


class kvm_dtable(Structure):
    _fields_ = [("base", u64), ("limit", u16), ("padding", u16 * 3)]


KVM_NR_INTERRUPTS = 256


class kvm_sregs(Structure):
    _fields_ = [(seg, kvm_segment) for seg in
                ("cs", "ds", "es", "fs", "gs", "ss", "tr", "ldt")] + [
        ("gdt", kvm_dtable), ("idt", kvm_dtable),
        ("cr0", u64), ("cr2", u64), ("cr3", u64), ("cr4", u64),
        ("cr8", u64), ("efer", u64), ("apic_base", u64),
        ("interrupt_bitmap", u64 * ((KVM_NR_INTERRUPTS + 63) // 64))]


class kvm_userspace_memory_region(Structure):
    _fields_ = [("slot", u32), ("flags", u32), ("guest_phys_addr", u64),
                ("memory_size", u64), ("userspace_addr", u64)]


class kvm_cpuid_entry2(Structure):
    _fields_ = [("function", u32), ("index", u32), ("flags", u32),
                ("eax", u32), ("ebx", u32), ("ecx", u32), ("edx", u32),
                ("padding", u32 * 3)]


class kvm_cpuid2(Structure):
    """Header only: the kernel's flexible entries[] follow it in memory."""
    _fields_ = [("nent", u32), ("padding", u32)]


def with_entries(header, entry, count):
    """header's type followed by room for count entries (the kernel's
    flexible array member)."""
    fields = [field for field in header._fields_ if field[0] != "entries"]
    return type(f"{header.__name__}_{count}", (Structure,), {
        "_fields_": fields + [("entries", entry * count)]})


def kvm_cpuid2_with(nent):
    """A kvm_cpuid2 type with room for nent entries."""
    return with_entries(kvm_cpuid2, kvm_cpuid_entry2, nent)


class kvm_msr_entry(Structure):
    _fields_ = [("index", u32), ("reserved", u32), ("data", u64)]


class kvm_msrs(Structure):
    """Header only: the kernel's flexible entries[] follow it in memory
    (the empty array gives the struct their alignment, as in C)."""
    _fields_ = [("nmsrs", u32), ("pad", u32), ("entries", kvm_msr_entry * 0)]


def kvm_msrs_with(nmsrs):
    """A kvm_msrs type with room for nmsrs entries."""
    return with_entries(kvm_msrs, kvm_msr_entry, nmsrs)


class kvm_translation(Structure):
    _fields_ = [("linear_address", u64), ("physical_address", u64),
                ("valid", u8), ("writeable", u8), ("usermode", u8),
                ("pad", u8 * 5)]


# The exit-information union of struct kvm_run, for the exits we decode.
class _exit_hw(Structure):
    _fields_ = [("hardware_exit_reason", u64)]


class _exit_fail_entry(Structure):
    _fields_ = [("hardware_entry_failure_reason", u64), ("cpu", u32)]


class _exit_ex(Structure):
    _fields_ = [("exception", u32), ("error_code", u32)]


class _exit_io(Structure):
    _fields_ = [("direction", u8), ("size", u8), ("port", u16),
                ("count", u32), ("data_offset", u64)]


class _exit_mmio(Structure):
    _fields_ = [("phys_addr", u64), ("data", u8 * 8), ("len", u32),
                ("is_write", u8)]


class _exit_internal(Structure):
    _fields_ = [("suberror", u32), ("ndata", u32), ("data", u64 * 16)]


class _exit_system_event(Structure):
    _fields_ = [("type", u32), ("ndata", u32), ("data", u64 * 16)]


class _kvm_run_exit(Union):
    _fields_ = [("hw", _exit_hw), ("fail_entry", _exit_fail_entry),
                ("ex", _exit_ex), ("io", _exit_io), ("mmio", _exit_mmio),
                ("internal", _exit_internal),
                ("system_event", _exit_system_event),
                ("padding", c_char * 256)]


class kvm_run(Structure):
    _anonymous_ = ("exit",)
    _fields_ = [("request_interrupt_window", u8), ("immediate_exit", u8),
                ("padding1", u8 * 6),
                ("exit_reason", u32), ("ready_for_interrupt_injection", u8),
                ("if_flag", u8), ("flags", u16),
                ("cr8", u64), ("apic_base", u64),
                ("exit", _kvm_run_exit),
                ("kvm_valid_regs", u64), ("kvm_dirty_regs", u64)]


STRUCTS = (kvm_regs, kvm_segment, kvm_dtable, kvm_sregs,
           kvm_userspace_memory_region, kvm_cpuid_entry2, kvm_cpuid2,
           kvm_msr_entry, kvm_msrs, kvm_translation, kvm_run)

assert sizeof(kvm_run) >= 32 + 256
