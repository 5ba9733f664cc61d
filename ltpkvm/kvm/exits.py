# SPDX-License-Identifier: GPL-2.0-or-later
"""Typed VM exits, as rust-vmm's kvm-ioctls returns them from
VcpuFd::run(): KvmVcpu.run() decodes struct kvm_run into one of these, so
that callers match on a type instead of reading exit_reason.

The HLT exit, which every guest result and kvm_yield() is, is the one
preallocated HLT: the run loop's fast path allocates nothing.
"""
import ctypes

from .constants import ExitReason, InternalError, IoDirection, enum_name


class VmExit:
    """An exit KVM_RUN returned with; reason is its KVM_EXIT_* number."""

    reason = None

    @property
    def name(self):
        return enum_name(ExitReason, self.reason, "KVM_EXIT_")

    def describe(self):
        """What KVM says about the exit beyond its reason ("" if nothing)."""
        return ""


class Hlt(VmExit):
    reason = ExitReason.KVM_EXIT_HLT


HLT = Hlt()


class Io(VmExit):
    """Port I/O the guest did, which KVM leaves to the host: for an IN,
    answer() gives the bytes the guest reads."""
    reason = ExitReason.KVM_EXIT_IO

    def __init__(self, data_address, direction, size, port, count):
        self.direction, self.size, self.port, self.count = \
            direction, size, port, count
        self._data = (ctypes.c_char * (size * count)).from_address(
            data_address)

    @property
    def is_out(self):
        return self.direction == IoDirection.KVM_EXIT_IO_OUT

    @property
    def data(self):
        """The bytes an OUT wrote."""
        return bytes(self._data)

    def answer(self, data):
        self._data[:len(data)] = data

    def describe(self):
        way = "out" if self.is_out else "in"
        return f"port I/O {way} port 0x{self.port:x}, {self.size} byte(s)"


class Mmio(VmExit):
    """An access to guest-physical memory no slot backs: for a read,
    answer() gives the bytes the guest reads."""
    reason = ExitReason.KVM_EXIT_MMIO

    def __init__(self, mmio):
        self._mmio = mmio
        self.phys_addr, self.len = mmio.phys_addr, mmio.len
        self.is_write = bool(mmio.is_write)

    @property
    def data(self):
        """The bytes a write wrote."""
        return bytes(self._mmio.data[:self.len])

    def answer(self, data):
        self._mmio.data[:len(data)] = data

    def describe(self):
        way = "write" if self.is_write else "read"
        return f"MMIO {way} at 0x{self.phys_addr:x}, {self.len} byte(s)"


class Shutdown(VmExit):
    reason = ExitReason.KVM_EXIT_SHUTDOWN

    def describe(self):
        return "triple fault"


class FailEntry(VmExit):
    reason = ExitReason.KVM_EXIT_FAIL_ENTRY

    def __init__(self, hardware_entry_failure_reason, cpu):
        self.hardware_entry_failure_reason = hardware_entry_failure_reason
        self.cpu = cpu

    def describe(self):
        return ("hardware entry failure reason 0x"
                f"{self.hardware_entry_failure_reason:x}")


class InternalErrorExit(VmExit):
    reason = ExitReason.KVM_EXIT_INTERNAL_ERROR

    def __init__(self, suberror, data):
        self.suberror, self.data = suberror, data

    def describe(self):
        name = enum_name(InternalError, self.suberror,
                         "KVM_INTERNAL_ERROR_")
        return (f"internal error {name.removeprefix('KVM_INTERNAL_ERROR_')} "
                f"({self.suberror})")


class UnknownExit(VmExit):
    reason = ExitReason.KVM_EXIT_UNKNOWN

    def __init__(self, hardware_exit_reason):
        self.hardware_exit_reason = hardware_exit_reason

    def describe(self):
        return f"hardware exit reason 0x{self.hardware_exit_reason:x}"


class OtherExit(VmExit):
    """An exit reason ltpkvm does not decode."""

    def __init__(self, reason):
        self.reason = reason


def decode_exit(run, run_address):
    """The typed exit struct kvm_run (mapped at run_address) holds."""
    reason = run.exit_reason
    if reason == ExitReason.KVM_EXIT_HLT:
        return HLT
    if reason == ExitReason.KVM_EXIT_IO:
        io = run.io
        return Io(run_address + io.data_offset, io.direction, io.size,
                  io.port, io.count)
    if reason == ExitReason.KVM_EXIT_MMIO:
        return Mmio(run.mmio)
    if reason == ExitReason.KVM_EXIT_SHUTDOWN:
        return Shutdown()
    if reason == ExitReason.KVM_EXIT_FAIL_ENTRY:
        entry = run.fail_entry
        return FailEntry(entry.hardware_entry_failure_reason, entry.cpu)
    if reason == ExitReason.KVM_EXIT_INTERNAL_ERROR:
        internal = run.internal
        count = min(internal.ndata, len(internal.data))
        return InternalErrorExit(internal.suberror,
                                 tuple(internal.data[:count]))
    if reason == ExitReason.KVM_EXIT_UNKNOWN:
        return UnknownExit(run.hw.hardware_exit_reason)
    return OtherExit(reason)
