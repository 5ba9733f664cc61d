# SPDX-License-Identifier: GPL-2.0-or-later
"""ioctl numbers, exit reasons and capabilities of <linux/kvm.h>.

ioctl numbers are computed by ioctl-opt from the ctypes structure sizes, as
the kernel header computes them from the C ones.
"""

from ioctl_opt import IO, IOR, IOW, IOWR

from .structs import (kvm_cpuid2, kvm_regs, kvm_sregs, kvm_translation,
                      kvm_userspace_memory_region)

KVMIO = 0xAE
KVM_API_VERSION = 12

# System ioctls (on /dev/kvm)
KVM_GET_API_VERSION = IO(KVMIO, 0x00)
KVM_CREATE_VM = IO(KVMIO, 0x01)
KVM_CHECK_EXTENSION = IO(KVMIO, 0x03)
KVM_GET_VCPU_MMAP_SIZE = IO(KVMIO, 0x04)
KVM_GET_SUPPORTED_CPUID = IOWR(KVMIO, 0x05, kvm_cpuid2)
# VM ioctls
KVM_CREATE_VCPU = IO(KVMIO, 0x41)
KVM_SET_USER_MEMORY_REGION = IOW(KVMIO, 0x46, kvm_userspace_memory_region)
KVM_SET_TSS_ADDR = IO(KVMIO, 0x47)
# vCPU ioctls
KVM_RUN = IO(KVMIO, 0x80)
KVM_GET_REGS = IOR(KVMIO, 0x81, kvm_regs)
KVM_SET_REGS = IOW(KVMIO, 0x82, kvm_regs)
KVM_GET_SREGS = IOR(KVMIO, 0x83, kvm_sregs)
KVM_SET_SREGS = IOW(KVMIO, 0x84, kvm_sregs)
KVM_TRANSLATE = IOWR(KVMIO, 0x85, kvm_translation)
KVM_SET_CPUID2 = IOW(KVMIO, 0x90, kvm_cpuid2)
KVM_GET_CPUID2 = IOWR(KVMIO, 0x91, kvm_cpuid2)

IOCTL_NAMES = {number: name for name, number in globals().items()
               if name.startswith("KVM_") and isinstance(number, int)
               and name not in ("KVM_API_VERSION",)}

# Exit reasons, indexed by number (KVM_EXIT_*)
EXIT_REASONS = (
    "UNKNOWN", "EXCEPTION", "IO", "HYPERCALL", "DEBUG", "HLT", "MMIO",
    "IRQ_WINDOW_OPEN", "SHUTDOWN", "FAIL_ENTRY", "INTR", "SET_TPR",
    "TPR_ACCESS", "S390_SIEIC", "S390_RESET", "DCR", "NMI",
    "INTERNAL_ERROR", "OSI", "PAPR_HCALL", "S390_UCONTROL", "WATCHDOG",
    "S390_TSCH", "EPR", "SYSTEM_EVENT", "S390_STSI", "IOAPIC_EOI", "HYPERV",
    "ARM_NISV", "X86_RDMSR", "X86_WRMSR", "DIRTY_RING_FULL",
    "AP_RESET_HOLD", "X86_BUS_LOCK", "XEN", "RISCV_SBI", "RISCV_CSR",
    "NOTIFY")
for _number, _name in enumerate(EXIT_REASONS):
    globals()["KVM_EXIT_" + _name] = _number

KVM_EXIT_IO_IN, KVM_EXIT_IO_OUT = 0, 1

INTERNAL_ERRORS = {1: "EMULATION", 2: "SIMUL_EX", 3: "DELIVERY_EV",
                   4: "UNEXPECTED_EXIT_REASON"}

KVM_CAP_USER_MEMORY = 3
KVM_CAP_SET_TSS_ADDR = 4
KVM_CAP_EXT_CPUID = 7
KVM_CAP_NR_MEMSLOTS = 10
KVM_CAP_IMMEDIATE_EXIT = 136

KVM_MEM_LOG_DIRTY_PAGES = 1 << 0
KVM_MEM_READONLY = 1 << 1


def exit_reason_name(reason):
    """KVM_EXIT_* name of an exit reason number, or UNKNOWN_<n>."""
    if 0 <= reason < len(EXIT_REASONS):
        return "KVM_EXIT_" + EXIT_REASONS[reason]
    return f"KVM_EXIT_UNKNOWN_{reason}"


