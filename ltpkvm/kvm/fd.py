# SPDX-License-Identifier: GPL-2.0-or-later
"""What every KVM file descriptor object shares: owning the fd, and
ioctls whose failures raise KvmError naming the ioctl and the errno."""
import errno
import fcntl
import os

from .constants import Ioctl, enum_name


class KvmError(OSError):
    """A KVM operation failed: .operation names it, .errno says why."""

    def __init__(self, operation, err):
        name = errno.errorcode.get(err, str(err))
        super().__init__(err, f"{operation} failed: {name} ({os.strerror(err)})")
        self.operation = operation

    def __str__(self):
        return self.strerror


def ioctl(fd, request, arg=0):
    try:
        return fcntl.ioctl(fd, request, arg)
    except OSError as exc:
        name = enum_name(Ioctl, request, "KVM_IOCTL_")
        raise KvmError(f"ioctl({name})", exc.errno) from None


class FdObject:
    """Owns one file descriptor; a context manager."""

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
