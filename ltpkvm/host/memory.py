# SPDX-License-Identifier: GPL-2.0-or-later
"""Host memory for guest RAM: page-aligned mappings with guard pages.

A stray access just past a buffer (by KVM or by our own code through a raw
pointer) hits a PROT_NONE page instead of another buffer.
"""
import ctypes
import mmap
import os

PAGE_SIZE = mmap.PAGESIZE

_libc = ctypes.CDLL(None, use_errno=True)
_libc.mmap.restype = ctypes.c_void_p
_libc.mmap.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int,
                       ctypes.c_int, ctypes.c_int, ctypes.c_long)
_libc.mprotect.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int)
_libc.munmap.argtypes = (ctypes.c_void_p, ctypes.c_size_t)
_MAP_FAILED = ctypes.c_void_p(-1).value
PROT_NONE = 0
MAP_NORESERVE = 0x4000  # Linux; absent from the mmap module before 3.12


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
        base = _libc.mmap(None, self._map_size, PROT_NONE,
                          mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS
                          | MAP_NORESERVE, -1, 0)
        if base in (None, _MAP_FAILED):
            raise MemoryError(f"mmap({self._map_size}) failed: "
                              f"{os.strerror(ctypes.get_errno())}")
        self._base = base
        self.address = base + PAGE_SIZE
        if _libc.mprotect(self.address, self.size,
                          mmap.PROT_READ | mmap.PROT_WRITE):
            err = ctypes.get_errno()
            self.free()
            raise MemoryError(f"mprotect failed: {os.strerror(err)}")
        self.view = memoryview(
            (ctypes.c_char * self.size).from_address(self.address)).cast("B")

    def free(self):
        """Unmap; the view must not be used afterwards."""
        if self._base:
            if self.view is not None:
                self.view.release()
                self.view = None
            _libc.munmap(self._base, self._map_size)
            self._base = None

    def __del__(self):
        self.free()
