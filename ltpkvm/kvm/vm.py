# SPDX-License-Identifier: GPL-2.0-or-later
"""A VM file descriptor."""
import os

from .constants import Ioctl
from .fd import FdObject, ioctl
from .structs import kvm_userspace_memory_region
from .vcpu import KvmVcpu


class KvmVm(FdObject):
    def __init__(self, system, fd):
        self.system = system
        self.fd = fd

    def set_user_memory_region(self, slot, guest_phys_addr, size,
                               userspace_addr, flags=0):
        region = kvm_userspace_memory_region(slot, flags, guest_phys_addr,
                                             size, userspace_addr)
        ioctl(self.fd, Ioctl.KVM_SET_USER_MEMORY_REGION, region)
        return region

    def create_vcpu(self, vcpu_id=0):
        fd = ioctl(self.fd, Ioctl.KVM_CREATE_VCPU, vcpu_id)
        try:
            return KvmVcpu(fd, self.system.vcpu_mmap_size())
        except BaseException:
            os.close(fd)
            raise
