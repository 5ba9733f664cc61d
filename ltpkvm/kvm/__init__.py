# SPDX-License-Identifier: GPL-2.0-or-later
"""Raw KVM bindings: structures, ioctl numbers, typed exits, and one object
per file descriptor (system, VM, vCPU)."""
from .fd import KvmError
from .system import KVM_DEVICE, KvmSystem
from .vcpu import KvmVcpu
from .vm import KvmVm

__all__ = ["KVM_DEVICE", "KvmError", "KvmSystem", "KvmVcpu", "KvmVm"]
