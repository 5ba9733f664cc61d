# SPDX-License-Identifier: GPL-2.0-or-later
"""ioctl numbers, exit reasons and capabilities of <linux/kvm.h>, those
ltpkvm uses, each declared by name (tests/test_kvm_bindings.py checks them
against the system header).

ioctl numbers are computed by ioctl-opt from the ctypes structure sizes, as
the kernel header computes them from the C ones.
"""
import enum

from ioctl_opt import IO, IOR, IOW, IOWR

from .structs import (kvm_cpuid2, kvm_msrs, kvm_regs, kvm_sregs,
                      kvm_translation, kvm_userspace_memory_region)

KVMIO = 0xAE
KVM_API_VERSION = 12


class Ioctl(enum.IntEnum):
    # System ioctls (on /dev/kvm)
    KVM_GET_API_VERSION = IO(KVMIO, 0x00)
    KVM_CREATE_VM = IO(KVMIO, 0x01)
    KVM_CHECK_EXTENSION = IO(KVMIO, 0x03)
    KVM_GET_VCPU_MMAP_SIZE = IO(KVMIO, 0x04)
    KVM_GET_SUPPORTED_CPUID = IOWR(KVMIO, 0x05, kvm_cpuid2)
    # VM ioctls
    KVM_CREATE_VCPU = IO(KVMIO, 0x41)
    KVM_SET_USER_MEMORY_REGION = IOW(KVMIO, 0x46,
                                     kvm_userspace_memory_region)
    # vCPU ioctls
    KVM_RUN = IO(KVMIO, 0x80)
    KVM_GET_REGS = IOR(KVMIO, 0x81, kvm_regs)
    KVM_SET_REGS = IOW(KVMIO, 0x82, kvm_regs)
    KVM_GET_SREGS = IOR(KVMIO, 0x83, kvm_sregs)
    KVM_SET_SREGS = IOW(KVMIO, 0x84, kvm_sregs)
    KVM_TRANSLATE = IOWR(KVMIO, 0x85, kvm_translation)
    KVM_GET_MSRS = IOWR(KVMIO, 0x88, kvm_msrs)
    KVM_SET_MSRS = IOW(KVMIO, 0x89, kvm_msrs)
    KVM_SET_CPUID2 = IOW(KVMIO, 0x90, kvm_cpuid2)


class ExitReason(enum.IntEnum):
    """struct kvm_run's exit_reason (KVM_EXIT_*)."""
    KVM_EXIT_UNKNOWN = 0
    KVM_EXIT_EXCEPTION = 1
    KVM_EXIT_IO = 2
    KVM_EXIT_HYPERCALL = 3
    KVM_EXIT_DEBUG = 4
    KVM_EXIT_HLT = 5
    KVM_EXIT_MMIO = 6
    KVM_EXIT_IRQ_WINDOW_OPEN = 7
    KVM_EXIT_SHUTDOWN = 8
    KVM_EXIT_FAIL_ENTRY = 9
    KVM_EXIT_INTR = 10
    KVM_EXIT_SET_TPR = 11
    KVM_EXIT_TPR_ACCESS = 12
    KVM_EXIT_S390_SIEIC = 13
    KVM_EXIT_S390_RESET = 14
    KVM_EXIT_DCR = 15
    KVM_EXIT_NMI = 16
    KVM_EXIT_INTERNAL_ERROR = 17
    KVM_EXIT_OSI = 18
    KVM_EXIT_PAPR_HCALL = 19
    KVM_EXIT_S390_UCONTROL = 20
    KVM_EXIT_WATCHDOG = 21
    KVM_EXIT_S390_TSCH = 22
    KVM_EXIT_EPR = 23
    KVM_EXIT_SYSTEM_EVENT = 24
    KVM_EXIT_S390_STSI = 25
    KVM_EXIT_IOAPIC_EOI = 26
    KVM_EXIT_HYPERV = 27
    KVM_EXIT_ARM_NISV = 28
    KVM_EXIT_X86_RDMSR = 29
    KVM_EXIT_X86_WRMSR = 30
    KVM_EXIT_DIRTY_RING_FULL = 31
    KVM_EXIT_AP_RESET_HOLD = 32
    KVM_EXIT_X86_BUS_LOCK = 33
    KVM_EXIT_XEN = 34
    KVM_EXIT_RISCV_SBI = 35
    KVM_EXIT_RISCV_CSR = 36
    KVM_EXIT_NOTIFY = 37


class IoDirection(enum.IntEnum):
    KVM_EXIT_IO_IN = 0
    KVM_EXIT_IO_OUT = 1


class InternalError(enum.IntEnum):
    """KVM_EXIT_INTERNAL_ERROR's suberror (KVM_INTERNAL_ERROR_*)."""
    KVM_INTERNAL_ERROR_EMULATION = 1
    KVM_INTERNAL_ERROR_SIMUL_EX = 2
    KVM_INTERNAL_ERROR_DELIVERY_EV = 3
    KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON = 4


class Cap(enum.IntEnum):
    """KVM_CHECK_EXTENSION's capabilities (KVM_CAP_*)."""
    KVM_CAP_USER_MEMORY = 3
    KVM_CAP_EXT_CPUID = 7
    KVM_CAP_NR_MEMSLOTS = 10


def enum_name(kind, value, prefix):
    """A value's KVM_* name, or PREFIXUNKNOWN_<n> for one we do not know."""
    try:
        return kind(value).name
    except ValueError:
        return f"{prefix}UNKNOWN_{value}"
