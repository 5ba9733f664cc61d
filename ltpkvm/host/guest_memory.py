# SPDX-License-Identifier: GPL-2.0-or-later
"""Guest memory of a VM instance: its memory slots, their allocation, and
guest-virtual to host memory lookups.

Two translation paths: KVM_TRANSLATE asks KVM, which sees the vCPU's
current page tables but waits for the vCPU to stop, so it is used from the
thread that runs the vCPU (or while nobody does); from any other thread,
while the vCPU runs, the guest's boot page tables are walked here instead
(a test that loads another CR3 must stop the vCPU before asking)."""
import errno
import threading

from ..kvm import KvmError
from .errors import tst_brk
from .guest_abi import (KVM_PAGE_SIZE, KVM_PAGETABLE_PAGES, MAX_KVM_MEMSLOTS,
                        TBROK)
from .memory import BufferSlice, GuardedBuffer, page_align_down, page_align_up
from .results import read_c_string
from .x86 import walk_page_tables

# Unpaged i386 payloads: the RAM above kvm_pagetable, whose pages are left
# out so that a test touching them exits (TCONF) instead of going wrong
RAM_ABOVE_PAGETABLE_SLOT = MAX_KVM_MEMSLOTS - 1


def kvm_call(operation, *args):
    """Run a KVM operation; its failure is the test's TBROK."""
    try:
        return operation(*args)
    except KvmError as exc:
        tst_brk(TBROK, str(exc))


class GuestMemory:
    """The memory half of KvmInstance: self.ram[slot] is (region, buffer);
    needs self.vm, self.vcpu, self.payload, self.paging and
    self.run_thread."""

    def alloc_memory(self, slot, baseaddr, size, flags=0):
        """tst_kvm_alloc_memory(): a guarded, page-aligned host buffer
        installed in memory slot at guest-physical baseaddr; returns the
        memoryview of its page-aligned start."""
        if not 0 <= slot < MAX_KVM_MEMSLOTS:
            tst_brk(TBROK, f"Invalid KVM memory slot {slot}")
        if self.ram[slot] is not None:
            tst_brk(TBROK, f"KVM memory slot {slot} already in use")
        start = page_align_down(baseaddr)
        size = page_align_up(baseaddr + size) - start
        try:
            buf = GuardedBuffer(size)
        except MemoryError as exc:
            tst_brk(TBROK, str(exc))
        try:
            region = kvm_call(self.vm.set_user_memory_region, slot, start,
                              size, buf.address, flags)
        except BaseException:
            buf.free()
            raise
        self.ram[slot] = (region, buf)
        return buf.view

    def leave_out_pagetable(self):
        """Split slot 0 around the page-table pages: unbacked, so that a
        guest access to them is an MMIO exit the run loop reports."""
        region, buf = self.ram[0]
        start = self.payload.header.pagetable
        end = start + KVM_PAGETABLE_PAGES * KVM_PAGE_SIZE
        kvm_call(self.vm.set_user_memory_region, 0, 0, 0, buf.address)
        self.ram[0] = (kvm_call(self.vm.set_user_memory_region, 0, 0, start,
                                buf.address), buf)
        above = BufferSlice(buf, end)
        self.ram[RAM_ABOVE_PAGETABLE_SLOT] = (kvm_call(
            self.vm.set_user_memory_region, RAM_ABOVE_PAGETABLE_SLOT, end,
            above.size, above.address), above)

    def in_left_out_pagetable(self, paddr):
        start = self.payload.header.pagetable
        return (not self.paging and
                start <= paddr < start + KVM_PAGETABLE_PAGES * KVM_PAGE_SIZE)

    def free_memory(self):
        for slot, entry in enumerate(self.ram):
            if entry is not None:
                entry[1].free()
                self.ram[slot] = None

    def get_phys_address(self, addr):
        """tst_kvm_get_phys_address(): guest-virtual to guest-physical; 0
        when unmapped."""
        if self.run_thread not in (None, threading.get_ident()):
            return self._walk_page_tables(addr)
        try:
            tr = self.vcpu.translate(addr)
        except KvmError as exc:
            if exc.errno in (errno.EINVAL, errno.ENOTTY, errno.ENOSYS):
                return addr  # no KVM_TRANSLATE on this arch
            raise
        return tr.physical_address if tr.valid else 0

    def _walk_page_tables(self, addr):
        if not self.paging:
            return addr

        def read_entry(paddr):
            memory = self.phys_memory(paddr)
            return 0 if memory is None or len(memory) < 8 else \
                int.from_bytes(memory[:8], "little")

        return walk_page_tables(read_entry, self.payload.header.pagetable,
                                addr, self.payload.arch == "x86_64")

    def phys_memory(self, paddr):
        """Guest memory from guest-physical paddr to the end of its slot;
        None where no slot is."""
        slot = self.find_phys_memslot(paddr)
        if slot < 0:
            return None
        region, buf = self.ram[slot]
        return buf.view[paddr - region.guest_phys_addr:]

    def find_phys_memslot(self, paddr):
        """tst_kvm_find_phys_memslot(): the slot holding paddr, or -1."""
        for slot, entry in enumerate(self.ram):
            if entry is not None:
                region = entry[0]
                if 0 <= paddr - region.guest_phys_addr < region.memory_size:
                    return slot
        return -1

    def find_memslot(self, addr):
        """tst_kvm_find_memslot(): the slot holding guest-virtual addr, or
        -1."""
        paddr = self.get_phys_address(addr)
        if not paddr and addr:
            return -1
        return self.find_phys_memslot(paddr)

    def get_memptr(self, addr):
        """tst_kvm_get_memptr(): a memoryview of guest memory from
        guest-virtual addr to the end of its slot, or None if unbacked."""
        paddr = self.get_phys_address(addr)
        if not paddr and addr:
            return None
        return self.phys_memory(paddr)

    def read_guest_string(self, addr, limit):
        """The bytes of the NUL-terminated string at guest-virtual addr; the
        first limit bytes when it is longer; None when it does not end in
        guest memory."""
        memory = self.get_memptr(addr)
        if memory is None:
            return None
        found = read_c_string(memory, 0, limit)
        if found is None and len(memory) >= limit:
            return bytes(memory[:limit])
        return found
