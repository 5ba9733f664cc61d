# SPDX-License-Identifier: GPL-2.0-or-later
"""kvm_vmx02: runs with kvm_intel's nested virtualisation on."""

module_params = {"kvm_intel": {"nested": 1}}
needs_cpu_features = ["vmx"]
