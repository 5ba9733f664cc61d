# SPDX-License-Identifier: GPL-2.0-or-later
"""kvm_pagefault01: runs with two-dimensional paging off (EPT or NPT),
since the bug lives in KVM's shadow MMU."""
from ltpkvm.host import TINFO, read_bool_param, tst_res

module_params = {"kvm_intel": {"ept": 0}, "kvm_amd": {"npt": 0}}


def setup(test):
    if read_bool_param("kvm", "tdp_mmu"):
        tst_res(TINFO, "WARNING: tdp_mmu is enabled, beware of false "
                "negatives")
    test.setup()
