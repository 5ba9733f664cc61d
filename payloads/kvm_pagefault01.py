# SPDX-License-Identifier: GPL-2.0-or-later
"""kvm_pagefault01: metadata; runs with two-dimensional paging off (EPT or
NPT), since the bug lives in KVM's shadow MMU."""
from ltpkvm.host.guest_abi import TINFO
from ltpkvm.host.modules import read_bool_param

description = ("A guest write through a read-only page-table path must "
               "fault under KVM's shadow MMU")
tags = [("linux-git", "b1bd5cba3306691c771d558e94baa73e8b0b96b7"),
        ("CVE", "2021-38198")]
needs_root = True
supported_archs = ["x86_64"]

module_params = {"kvm_intel": {"ept": 0}, "kvm_amd": {"npt": 0}}


def setup(test):
    if read_bool_param("kvm", "tdp_mmu"):
        test.res(TINFO, "WARNING: tdp_mmu is enabled, beware of false "
                 "negatives")
    test.setup()
