# SPDX-License-Identifier: GPL-2.0-or-later
"""kvm_pagefault01: metadata, and a setup that turns two-dimensional paging
off, since the bug lives in KVM's shadow MMU."""
from ltpkvm.host.guest_abi import TINFO
from ltpkvm.host.modules import ModuleReloader, read_bool_param

description = ("A guest write through a read-only page-table path must "
               "fault under KVM's shadow MMU")
tags = [("linux-git", "b1bd5cba3306691c771d558e94baa73e8b0b96b7"),
        ("CVE", "2021-38198")]
needs_root = True
supported_archs = ["x86_64"]

# (module, parameter) that enable two-dimensional paging
TDP_PARAMS = (("kvm_intel", "ept"), ("kvm_amd", "npt"))


def setup(test):
    test.reloader = ModuleReloader()
    for module, param in TDP_PARAMS:
        if read_bool_param(module, param):
            test.res(TINFO, f"Reloading {module} with {param}=0 to test the "
                     "shadow MMU")
            test.reloader.reload(module, **{param: 0})
    if read_bool_param("kvm", "tdp_mmu"):
        test.res(TINFO, "WARNING: tdp_mmu is enabled, beware of false "
                 "negatives")
    test.setup()


def cleanup(test):
    test.cleanup()
    if hasattr(test, "reloader"):
        test.reloader.restore()
