# SPDX-License-Identifier: GPL-2.0-or-later
"""kvm_wrmsr_canon01's host half: the host's way to the same MSRs,
KVM_SET_MSRS, must refuse a non-canonical address as the guest's WRMSR
does (the fix checks both), before the guest runs its own writes."""
from ltpkvm.host import TFAIL, TPASS, tst_res

# index: may KVM take the value canonicalised (SYSENTER_ESP/EIP)?
MSRS = {"FS_BASE": (0xc0000100, False), "GS_BASE": (0xc0000101, False),
        "KERNEL_GS_BASE": (0xc0000102, False), "LSTAR": (0xc0000082, False),
        "CSTAR": (0xc0000083, False), "SYSENTER_ESP": (0x175, True),
        "SYSENTER_EIP": (0x176, True)}
NONCANONICAL = 0xdead000000000000   # whether addresses have 48 or 57 bits


def is_canonical(value, bits=48):
    top = value >> (bits - 1)
    return top in (0, (1 << (65 - bits)) - 1)


def check_host_writes(instance):
    for name, (index, may_canonicalise) in MSRS.items():
        before = instance.get_msrs([index]).get(index)
        taken = instance.set_msrs({index: NONCANONICAL})
        after = instance.get_msrs([index]).get(index)
        what = f"KVM_SET_MSRS {name}, {NONCANONICAL:#x}"
        if after is None or before is None:
            tst_res(TFAIL, f"{what}: KVM_GET_MSRS cannot read it back")
        elif not is_canonical(after):
            tst_res(TFAIL, f"{what}: taken, the MSR now holds {after:#x}")
        elif taken and not may_canonicalise:
            tst_res(TFAIL, f"{what}: KVM said it took it (it reads "
                    f"{after:#x})")
        elif not taken and after != before:
            tst_res(TFAIL, f"{what}: refused, but the MSR changed from "
                    f"{before:#x} to {after:#x}")
        else:
            tst_res(TPASS, f"{what}: " + ("refused" if not taken else
                                          f"canonicalised to {after:#x}"))


def run(test):
    try:
        check_host_writes(test.create_instance())
        test.instance.run_instance()
    finally:
        test.destroy_instance()
