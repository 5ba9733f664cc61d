# SPDX-License-Identifier: GPL-2.0-or-later
"""Host memory for guest RAM: page-aligned mappings with guard pages.

A stray access just past a buffer (by KVM or by our own code through a raw
pointer) hits a PROT_NONE page instead of another buffer.
"""
import ctypes
import mmap

from ..kvm.mapping import (MAP_NORESERVE, PROT_NONE, PROT_READ_WRITE,
                           map_memory, protect_memory, unmap_memory)

PAGE_SIZE = mmap.PAGESIZE


def page_align_down(value):
    return value & ~(PAGE_SIZE - 1)


def page_align_up(value):
    return page_align_down(value + PAGE_SIZE - 1)


class GuardedBuffer:
    """size bytes (rounded up to pages) of zeroed anonymous memory between two
    inaccessible guard pages. .address is the host address, .view a
    memoryview over exactly the usable pages."""

    _base = None
    view = None

    def __init__(self, size):
        self.size = page_align_up(size)
        self._map_size = self.size + 2 * PAGE_SIZE
        try:
            self._base = map_memory(self._map_size, PROT_NONE,
                                    mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS
                                    | MAP_NORESERVE)
        except OSError as exc:
            raise MemoryError(exc.strerror) from None
        self.address = self._base + PAGE_SIZE
        try:
            protect_memory(self.address, self.size, PROT_READ_WRITE)
        except OSError as exc:
            self.free()
            raise MemoryError(exc.strerror) from None
        self.view = memoryview(
            (ctypes.c_char * self.size).from_address(self.address)).cast("B")

    def free(self):
        """Unmap; nothing may use the memory afterwards (the view is
        released, so using it raises)."""
        if self._base:
            if self.view is not None:
                self.view.release()
                self.view = None
            # Forget it first: never unmapped twice (see _FdObject.close)
            base, self._base = self._base, None
            unmap_memory(base, self._map_size)

    def __del__(self):
        self.free()


class BufferSlice:
    """The part of a GuardedBuffer from offset on, as a buffer of its own
    for a second memory slot over the same host memory; freeing it frees
    nothing (its buffer owns the mapping)."""

    def __init__(self, buf, offset):
        self.address = buf.address + offset
        self.size = buf.size - offset
        self.view = buf.view[offset:]

    def free(self):
        self.view = None
