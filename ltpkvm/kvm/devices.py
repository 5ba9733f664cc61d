# SPDX-License-Identifier: GPL-2.0-or-later
"""One object per KVM file descriptor: the system (/dev/kvm), a VM, a vCPU.

Each closes what it opens and is a context manager. Failed ioctls raise
KvmError, which names the ioctl and the errno so callers can report it.
"""
import errno
import fcntl
import mmap
import os

from . import constants as c
from .mapping import PROT_READ_WRITE, map_memory, unmap_memory
from .structs import (kvm_cpuid2_with, kvm_regs, kvm_run, kvm_sregs,
                      kvm_translation, kvm_userspace_memory_region)

KVM_DEVICE = "/dev/kvm"


class KvmError(OSError):
    """A KVM operation failed: .operation names it, .errno says why."""

    def __init__(self, operation, err):
        name = errno.errorcode.get(err, str(err))
        super().__init__(err, f"{operation} failed: {name} ({os.strerror(err)})")
        self.operation = operation

    def __str__(self):
        return self.strerror


def _ioctl(fd, request, arg=0):
    try:
        return fcntl.ioctl(fd, request, arg)
    except OSError as exc:
        name = c.IOCTL_NAMES.get(request, hex(request))
        raise KvmError(f"ioctl({name})", exc.errno) from None


class _FdObject:
    """Owns one file descriptor."""

    fd = -1

    def close(self):
        # Forget the fd first: an exception from a signal handler between
        # the two steps may leak it, never close it twice
        fd, self.fd = self.fd, -1
        if fd >= 0:
            os.close(fd)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()


class KvmSystem(_FdObject):
    """/dev/kvm."""

    def __init__(self, path=KVM_DEVICE):
        try:
            self.fd = os.open(path, os.O_RDWR | os.O_CLOEXEC)
        except OSError as exc:
            raise KvmError(f"open({path})", exc.errno) from None
        version = self.api_version()
        if version != c.KVM_API_VERSION:
            self.close()
            raise KvmError(f"KVM API version {version} (want "
                           f"{c.KVM_API_VERSION})", errno.ENOTSUP)

    def api_version(self):
        return _ioctl(self.fd, c.KVM_GET_API_VERSION)

    def check_extension(self, cap):
        return _ioctl(self.fd, c.KVM_CHECK_EXTENSION, cap)

    def vcpu_mmap_size(self):
        return _ioctl(self.fd, c.KVM_GET_VCPU_MMAP_SIZE)

    def supported_cpuid(self):
        """KVM_GET_SUPPORTED_CPUID, growing the buffer while KVM says E2BIG."""
        nent = 64
        while True:
            cpuid = kvm_cpuid2_with(nent)()
            cpuid.nent = nent
            try:
                _ioctl(self.fd, c.KVM_GET_SUPPORTED_CPUID, cpuid)
                return cpuid
            except KvmError as exc:
                if exc.errno != errno.E2BIG or nent >= 4096:
                    raise
            nent *= 2

    def create_vm(self):
        return KvmVm(self, _ioctl(self.fd, c.KVM_CREATE_VM, 0))


class KvmVm(_FdObject):
    """A VM file descriptor."""

    def __init__(self, system, fd):
        self.system = system
        self.fd = fd

    def set_user_memory_region(self, slot, guest_phys_addr, size,
                               userspace_addr, flags=0):
        region = kvm_userspace_memory_region(slot, flags, guest_phys_addr,
                                             size, userspace_addr)
        _ioctl(self.fd, c.KVM_SET_USER_MEMORY_REGION, region)
        return region

    def create_vcpu(self, vcpu_id=0):
        fd = _ioctl(self.fd, c.KVM_CREATE_VCPU, vcpu_id)
        try:
            return KvmVcpu(fd, self.system.vcpu_mmap_size())
        except BaseException:
            os.close(fd)
            raise


class KvmVcpu(_FdObject):
    """A vCPU file descriptor and its mapped struct kvm_run (.run, which
    must not be used after close())."""

    _map_address = None

    def __init__(self, fd, mmap_size):
        self._map_size = mmap_size
        try:
            self._map_address = map_memory(mmap_size, PROT_READ_WRITE,
                                           mmap.MAP_SHARED, fd)
        except OSError as exc:
            # fd stays the caller's to close (create_vcpu() does)
            raise KvmError("mmap(vcpu)", exc.errno) from None
        self.fd = fd
        self.run = kvm_run.from_address(self._map_address)

    def close(self):
        address, self._map_address = self._map_address, None
        if address is not None:
            unmap_memory(address, self._map_size)
        super().close()

    def kvm_run(self):
        """One KVM_RUN; returns the ioctl's result. Exit info is in .run."""
        return _ioctl(self.fd, c.KVM_RUN)

    def get_regs(self):
        regs = kvm_regs()
        _ioctl(self.fd, c.KVM_GET_REGS, regs)
        return regs

    def set_regs(self, regs):
        _ioctl(self.fd, c.KVM_SET_REGS, regs)

    def get_sregs(self):
        sregs = kvm_sregs()
        _ioctl(self.fd, c.KVM_GET_SREGS, sregs)
        return sregs

    def set_sregs(self, sregs):
        _ioctl(self.fd, c.KVM_SET_SREGS, sregs)

    def set_cpuid2(self, cpuid):
        _ioctl(self.fd, c.KVM_SET_CPUID2, cpuid)

    def translate(self, linear_address):
        tr = kvm_translation(linear_address=linear_address)
        _ioctl(self.fd, c.KVM_TRANSLATE, tr)
        return tr
