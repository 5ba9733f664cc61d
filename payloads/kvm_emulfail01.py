# SPDX-License-Identifier: GPL-2.0-or-later
"""kvm_emulfail01's host half: the MMIO page the FLD reads, and the bug's
symptom, KVM stopping the VM with an internal error, reported as TFAIL."""
from ltpkvm.host import KVM_MMIO_BASEADDR, TFAIL, MmioRegion, tst_brk

mmio_regions = [MmioRegion(KVM_MMIO_BASEADDR, 0x1000)]


def fail_on_internal_error(vm_exit):
    if vm_exit.name == "KVM_EXIT_INTERNAL_ERROR":
        tst_brk(TFAIL, "KVM stopped the VM with an "
                f"{vm_exit.describe()} for an instruction it cannot "
                "emulate, instead of giving the guest #UD")
    return False


def setup(test):
    test.setup()
    test.on_exit(fail_on_internal_error)
