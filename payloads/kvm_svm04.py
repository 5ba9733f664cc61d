# SPDX-License-Identifier: GPL-2.0-or-later
"""kvm_svm04: runs with kvm_amd's nested virtualisation on."""

module_params = {"kvm_amd": {"nested": 1}}
needs_cpu_features = ["svm"]
