# SPDX-License-Identifier: GPL-2.0-or-later
"""mmap/munmap through libc, for mappings that must go away when we say so.

Python's mmap objects refuse to close while a ctypes view exports them, and
a traceback that keeps a frame alive keeps such a view: with raw mappings,
destroying a VM never depends on who still holds a reference (nobody may
use one afterwards)."""
import ctypes
import errno
import mmap
import os

PROT_NONE = 0
MAP_NORESERVE = 0x4000  # Linux; absent from the mmap module before 3.12

_libc = ctypes.CDLL(None, use_errno=True)
_libc.mmap.restype = ctypes.c_void_p
_libc.mmap.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int,
                       ctypes.c_int, ctypes.c_int, ctypes.c_long)
_libc.mprotect.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int)
_libc.munmap.argtypes = (ctypes.c_void_p, ctypes.c_size_t)
_MAP_FAILED = ctypes.c_void_p(-1).value


def _failed(operation, err):
    """OSError saying `operation failed: ENAME (text)`, as KvmError does."""
    name = errno.errorcode.get(err, str(err))
    return OSError(err, f"{operation} failed: {name} ({os.strerror(err)})")


def map_memory(size, prot, flags, fd=-1):
    """mmap(); raises OSError."""
    address = _libc.mmap(None, size, prot, flags, fd, 0)
    if address in (None, _MAP_FAILED):
        raise _failed(f"mmap({size})", ctypes.get_errno())
    return address


def protect_memory(address, size, prot):
    if _libc.mprotect(address, size, prot):
        raise _failed("mprotect", ctypes.get_errno())


def unmap_memory(address, size):
    _libc.munmap(address, size)


PROT_READ_WRITE = mmap.PROT_READ | mmap.PROT_WRITE
