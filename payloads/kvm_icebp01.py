# SPDX-License-Identifier: GPL-2.0-or-later
"""kvm_icebp01's host half: a KVM that cannot run INT3, INT n or ICEBP in
the guest kernel stops the VM with an internal error at the first one
(kvm_pvm emulates them there, and KVM's emulator cannot emulate them in
protected mode). The CPL 0 cases come last, so that is reported as their
TCONF."""
from ltpkvm.host import TCONF, tst_brk

TRAPS = {0xcc: "INT3", 0xcd: "INT n", 0xf1: "ICEBP"}


def unrunnable_trap(instance, vm_exit):
    """(The trap instruction the guest kernel stopped at, its RIP), or
    (None, None)."""
    if vm_exit.name != "KVM_EXIT_INTERNAL_ERROR":
        return None, None
    if instance.vcpu.get_sregs().cs.selector & 3:
        return None, None
    rip = instance.vcpu.get_regs().rip
    code = instance.get_memptr(rip)
    if code is None or not len(code):
        return None, None
    return TRAPS.get(code[0]), rip


def setup(test):
    test.setup()

    def on_exit(vm_exit):
        instance = test.instance
        insn, rip = unrunnable_trap(instance, vm_exit)
        if insn is None:
            return False
        tst_brk(TCONF, f"{insn} cannot run in the guest kernel here: KVM "
                f"stopped the VM with {vm_exit.describe()} at "
                f"{instance.payload.symbolizer.describe(rip)}")

    test.on_exit(on_exit)
