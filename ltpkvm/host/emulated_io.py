# SPDX-License-Identifier: GPL-2.0-or-later
"""Host-answered MMIO and port I/O: guest-physical ranges (MmioRegion) and
I/O ports (PortRegion) that a test's definition declares, so that an
instruction touching them is emulated by KVM and answered here instead of
ending the test in TBROK.

A region behaves as plain memory the host can see: a read returns its
bytes (data, zero-padded, at the start of each VM), a write stores into
them, and every access is logged in order for the test's host half:

    from ltpkvm.host import KVM_MMIO_BASEADDR, MmioRegion
    SPLIT = MmioRegion(KVM_MMIO_BASEADDR, 0x2000)
    mmio_regions = [SPLIT]
    def run(test):
        test.run()
        ... SPLIT.writes ...   # [Access(is_write, address, data), ...]
"""
from collections import namedtuple

from ..kvm.exits import Io, Mmio
from .errors import tst_brk
from .guest_abi import TBROK

Access = namedtuple("Access", "is_write address data")
MAX_REGION_SIZE = 1 << 30
MAX_LOGGED = 100000   # accesses kept per region; a flood keeps the first


class Region:
    """start and size in the region's address space; data: its first
    bytes (the rest are zero)."""

    kind = "region"
    limit = 1 << 64

    def __init__(self, start, size, data=b""):
        for name, value in (("start", start), ("size", size)):
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"{type(self).__name__} {name} must be an "
                                f"integer, not {value!r}")
        data = bytes(data)
        if not 0 < size <= MAX_REGION_SIZE or start < 0 or \
                start + size > self.limit or len(data) > size:
            raise ValueError(f"{type(self).__name__}(0x{start:x}, 0x{size:x})"
                             f" with {len(data)} bytes of data is out of "
                             "range")
        self.start, self.size, self.initial = start, size, data
        self.memory, self.accesses = bytearray(), []
        self.reset()

    def __repr__(self):
        return f"{type(self).__name__}(0x{self.start:x}, 0x{self.size:x})"

    def reset(self):
        """Back to its data, with an empty log (each new VM)."""
        self.memory = bytearray(self.initial.ljust(self.size, b"\0"))
        self.accesses = []

    def covers(self, address, length):
        return self.start <= address and address + length <= \
            self.start + self.size

    def overlaps(self, start, size):
        return start < self.start + self.size and self.start < start + size

    @property
    def writes(self):
        return [access for access in self.accesses if access.is_write]

    @property
    def reads(self):
        return [access for access in self.accesses if not access.is_write]

    def _log(self, is_write, address, data):
        if len(self.accesses) < MAX_LOGGED:
            self.accesses.append(Access(is_write, address, data))

    def read(self, address, length):
        offset = address - self.start
        data = bytes(self.memory[offset:offset + length])
        self._log(False, address, data)
        return data

    def write(self, address, data):
        offset = address - self.start
        self.memory[offset:offset + len(data)] = data
        self._log(True, address, data)


class MmioRegion(Region):
    """Guest-physical memory that no slot backs, answered by the host."""
    kind = "MMIO"


class PortRegion(Region):
    """I/O ports start to start + size - 1, a byte each."""
    kind = "port"
    limit = 1 << 16


class EmulatedIo:
    """The regions of one VM: answer(vm_exit) serves an MMIO or port I/O
    exit that falls entirely inside one of them."""

    def __init__(self, mmio_regions=(), port_regions=()):
        self.mmio_regions = list(mmio_regions)
        self.port_regions = list(port_regions)
        for region in self.mmio_regions + self.port_regions:
            region.reset()

    def check_against_memory(self, slots):
        """TBROK when an MMIO region lies in guest memory, where KVM would
        never exit for it. slots: (guest_phys_addr, size) pairs."""
        for region in self.mmio_regions:
            for start, size in slots:
                if region.overlaps(start, size):
                    tst_brk(TBROK, f"{region!r} overlaps guest memory at "
                            f"0x{start:x}-0x{start + size - 1:x}")

    def answer(self, vm_exit):
        """True when a region served the exit (the guest goes on)."""
        if isinstance(vm_exit, Mmio):
            return self.answer_mmio(vm_exit)
        if isinstance(vm_exit, Io):
            return self.answer_io(vm_exit)
        return False

    @staticmethod
    def _find(regions, address, length):
        for region in regions:
            if region.covers(address, length):
                return region
        return None

    def answer_mmio(self, vm_exit):
        region = self._find(self.mmio_regions, vm_exit.phys_addr,
                            vm_exit.len)
        if region is None:
            return False
        if vm_exit.is_write:
            region.write(vm_exit.phys_addr, vm_exit.data)
        else:
            vm_exit.answer(region.read(vm_exit.phys_addr, vm_exit.len))
        return True

    def answer_io(self, vm_exit):
        """Each element of a string instruction (REP INS/OUTS) goes to the
        same port."""
        region = self._find(self.port_regions, vm_exit.port, vm_exit.size)
        if region is None:
            return False
        size = vm_exit.size
        if vm_exit.is_out:
            data = vm_exit.data
            for i in range(vm_exit.count):
                region.write(vm_exit.port, data[i * size:(i + 1) * size])
        else:
            vm_exit.answer(b"".join(region.read(vm_exit.port, size)
                                    for _ in range(vm_exit.count)))
        return True
