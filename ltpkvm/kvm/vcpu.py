# SPDX-License-Identifier: GPL-2.0-or-later
"""A vCPU file descriptor, its mapped struct kvm_run, and run(), which
returns the typed exit (exits.py)."""
import errno
import fcntl
import mmap

from .constants import ExitReason, Ioctl
from .exits import HLT, decode_exit
from .fd import FdObject, KvmError, ioctl
from .mapping import PROT_READ_WRITE, map_memory, unmap_memory
from .structs import (kvm_msrs_with, kvm_regs, kvm_run, kvm_sregs,
                      kvm_translation)


class KvmVcpu(FdObject):
    """kvm_run is the mapped struct kvm_run (immediate_exit is the caller's
    to set); it must not be used after close()."""

    _map_address = None

    def __init__(self, fd, mmap_size):
        self._map_size = mmap_size
        try:
            self._map_address = map_memory(mmap_size, PROT_READ_WRITE,
                                           mmap.MAP_SHARED, fd)
        except OSError as exc:
            # fd stays the caller's to close (create_vm() does)
            raise KvmError("mmap(vcpu)", exc.errno) from None
        self.fd = fd
        self.kvm_run = kvm_run.from_address(self._map_address)
        self.run = self._runner()

    def _runner(self):
        """run(): one KVM_RUN and the typed exit it ended with; KvmError
        when KVM_RUN fails (EINTR: a signal, or immediate_exit, which is
        then cleared). Everything it needs is bound here: the HLT fast path
        looks nothing up and allocates nothing."""
        fd, request, state = self.fd, int(Ioctl.KVM_RUN), self.kvm_run
        address, hlt = self._map_address, int(ExitReason.KVM_EXIT_HLT)
        call = fcntl.ioctl
        # exit_reason through a memoryview: faster than a ctypes field
        words = memoryview(state).cast("B").cast("I")
        reason_index = kvm_run.exit_reason.offset // 4

        def run():
            try:
                call(fd, request, 0)
            except OSError as exc:
                if exc.errno == errno.EINTR:
                    state.immediate_exit = 0
                raise KvmError("ioctl(KVM_RUN)", exc.errno) from None
            if words[reason_index] == hlt:
                return HLT
            return decode_exit(state, address)
        return run

    def close(self):
        self.run = _closed   # its closure holds a view of the mapping
        address, self._map_address = self._map_address, None
        if address is not None:
            unmap_memory(address, self._map_size)
        super().close()

    def get_regs(self):
        regs = kvm_regs()
        ioctl(self.fd, Ioctl.KVM_GET_REGS, regs)
        return regs

    def set_regs(self, regs):
        ioctl(self.fd, Ioctl.KVM_SET_REGS, regs)

    def get_sregs(self):
        sregs = kvm_sregs()
        ioctl(self.fd, Ioctl.KVM_GET_SREGS, sregs)
        return sregs

    def set_sregs(self, sregs):
        ioctl(self.fd, Ioctl.KVM_SET_SREGS, sregs)

    def set_cpuid2(self, cpuid):
        ioctl(self.fd, Ioctl.KVM_SET_CPUID2, cpuid)

    def get_msrs(self, indices):
        """{index: value} of the MSRs KVM read: it stops at the first one
        it cannot."""
        msrs = _msrs((index, 0) for index in indices)
        count = ioctl(self.fd, Ioctl.KVM_GET_MSRS, msrs)
        return {entry.index: entry.data for entry in msrs.entries[:count]}

    def set_msrs(self, values):
        """Write {index: value}; how many KVM took: it stops at the first
        one it refuses."""
        return ioctl(self.fd, Ioctl.KVM_SET_MSRS, _msrs(values.items()))

    def translate(self, linear_address):
        tr = kvm_translation(linear_address=linear_address)
        ioctl(self.fd, Ioctl.KVM_TRANSLATE, tr)
        return tr


def _msrs(pairs):
    pairs = list(pairs)
    msrs = kvm_msrs_with(len(pairs))(nmsrs=len(pairs))
    for entry, (index, value) in zip(msrs.entries, pairs):
        entry.index, entry.data = index, value
    return msrs


def _closed():
    """run() of a closed vCPU: its fd number may belong to another file."""
    raise KvmError("ioctl(KVM_RUN)", errno.EBADF)
