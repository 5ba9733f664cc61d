# SPDX-License-Identifier: GPL-2.0-or-later
"""kvm_svm04: metadata; runs with kvm_amd's nested virtualisation on."""

description = ("VMLOAD and VMSAVE load and store the documented state, in "
               "L1 and in a nested guest")
needs_root = True
supported_archs = ["x86_64"]
module_params = {"kvm_amd": {"nested": 1}}
needs_cpu_features = ["svm"]
