# SPDX-License-Identifier: GPL-2.0-or-later
"""kvm_svm01: metadata; runs with kvm_amd's nested virtualisation on."""

description = ("AVIC enabled by L1 for a nested guest must not give it "
               "access to host memory")
tags = [("linux-git", "0f923e07124df069ba68d8bb12324398f4b6b709"),
        ("CVE", "2021-3653")]
needs_root = True
supported_archs = ["x86_64"]
module_params = {"kvm_amd": {"nested": 1}}
needs_cpu_features = ["svm"]
