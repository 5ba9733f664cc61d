# SPDX-License-Identifier: GPL-2.0-or-later
"""/dev/kvm: the system file descriptor."""
import errno
import os

from .constants import KVM_API_VERSION, Ioctl
from .fd import FdObject, KvmError, ioctl
from .structs import kvm_cpuid2_with
from .vm import KvmVm

KVM_DEVICE = "/dev/kvm"


class KvmSystem(FdObject):
    """/dev/kvm, checked to speak KVM API version 12."""

    def __init__(self, path=KVM_DEVICE):
        try:
            self.fd = os.open(path, os.O_RDWR | os.O_CLOEXEC)
        except OSError as exc:
            raise KvmError(f"open({path})", exc.errno) from None
        version = self.api_version()
        if version != KVM_API_VERSION:
            self.close()
            raise KvmError(f"KVM API version {version} (want "
                           f"{KVM_API_VERSION})", errno.ENOTSUP)

    def api_version(self):
        return ioctl(self.fd, Ioctl.KVM_GET_API_VERSION)

    def check_extension(self, cap):
        return ioctl(self.fd, Ioctl.KVM_CHECK_EXTENSION, cap)

    def vcpu_mmap_size(self):
        return ioctl(self.fd, Ioctl.KVM_GET_VCPU_MMAP_SIZE)

    def supported_cpuid(self):
        """KVM_GET_SUPPORTED_CPUID, growing the buffer while KVM says E2BIG."""
        nent = 64
        while True:
            cpuid = kvm_cpuid2_with(nent)()
            cpuid.nent = nent
            try:
                ioctl(self.fd, Ioctl.KVM_GET_SUPPORTED_CPUID, cpuid)
                return cpuid
            except KvmError as exc:
                if exc.errno != errno.E2BIG or nent >= 4096:
                    raise
            nent *= 2

    def create_vm(self):
        return KvmVm(self, ioctl(self.fd, Ioctl.KVM_CREATE_VM, 0))
