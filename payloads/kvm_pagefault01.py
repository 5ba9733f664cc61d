# SPDX-License-Identifier: GPL-2.0-or-later
"""kvm_pagefault01: runs with two-dimensional paging off (EPT or NPT),
since the bug lives in KVM's shadow MMU."""
from ltpkvm.host.guest_abi import TINFO
from ltpkvm.host.modules import read_bool_param

module_params = {"kvm_intel": {"ept": 0}, "kvm_amd": {"npt": 0}}


def setup(test):
    if read_bool_param("kvm", "tdp_mmu"):
        test.res(TINFO, "WARNING: tdp_mmu is enabled, beware of false "
                 "negatives")
    test.setup()
