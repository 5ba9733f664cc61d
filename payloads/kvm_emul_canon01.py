# SPDX-License-Identifier: GPL-2.0-or-later
"""kvm_emul_canon01's host half: the MMIO page its branch targets come
from, and a failed VM entry (the bug's symptom) reported as TFAIL."""
from ltpkvm.host import KVM_MMIO_BASEADDR, TFAIL, MmioRegion, tst_brk

mmio_regions = [MmioRegion(KVM_MMIO_BASEADDR, 0x1000)]


def fail_on_broken_entry(vm_exit):
    if vm_exit.name in ("KVM_EXIT_FAIL_ENTRY", "KVM_EXIT_INTERNAL_ERROR",
                        "KVM_EXIT_SHUTDOWN"):
        detail = vm_exit.describe()
        tst_brk(TFAIL, f"The guest stopped with {vm_exit.name}"
                + (f" ({detail})" if detail else "") + " after an emulated "
                "branch: RIP left non-canonical?")
    return False


def setup(test):
    test.setup()
    test.on_exit(fail_on_broken_entry)
