# SPDX-License-Identifier: GPL-2.0-or-later
"""kvm_vmx01: metadata; runs with kvm_intel's nested virtualisation on."""

description = ("VMREAD and VMWRITE access the current VMCS, and a nested "
               "guest's access the shadow VMCS")
needs_root = True
supported_archs = ["x86_64"]
module_params = {"kvm_intel": {"nested": 1}}
needs_cpu_features = ["vmx"]
