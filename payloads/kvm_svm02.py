# SPDX-License-Identifier: GPL-2.0-or-later
"""kvm_svm02: metadata; runs with kvm_amd's nested virtualisation on."""

description = ("VMLOAD and VMSAVE in a nested guest must act on L1's memory "
               "even when L1 does not intercept them")
tags = [("linux-git", "c7dfa4009965a9b2d7b329ee970eb8da0d32f0bc"),
        ("CVE", "2021-3656")]
needs_root = True
supported_archs = ["x86_64"]
module_params = {"kvm_amd": {"nested": 1}}
needs_cpu_features = ["svm"]
