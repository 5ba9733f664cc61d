# SPDX-License-Identifier: GPL-2.0-or-later
"""Raw KVM bindings: structures, ioctl numbers and fd objects."""
from .devices import KVM_DEVICE, KvmError, KvmSystem, KvmVcpu, KvmVm

__all__ = ["KVM_DEVICE", "KvmError", "KvmSystem", "KvmVcpu", "KvmVm"]
