# SPDX-License-Identifier: GPL-2.0-or-later
"""kvm_vmx02: metadata; runs with kvm_intel's nested virtualisation on."""

description = ("A nested guest's APIC accesses are virtualised with the "
               "APIC-access and virtual-APIC pages L1 chose")
needs_root = True
supported_archs = ["x86_64"]
module_params = {"kvm_intel": {"nested": 1}}
needs_cpu_features = ["vmx"]
