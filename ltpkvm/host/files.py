# SPDX-License-Identifier: GPL-2.0-or-later
"""Reading a test's files (payload, metadata, kernel config): the test's
author may have made one a FIFO, a device or a link to /dev/zero, so only
regular files are read, and never past a bound."""
import errno
import os
import stat


CHUNK = 1024 * 1024


class NotARegularFile(OSError):
    pass


def read_regular_file(path, limit):
    """The bytes of the regular file at path; OSError (NotARegularFile
    when it is not one, EFBIG when it holds more than limit bytes)."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise NotARegularFile(errno.EINVAL, "not a regular file", path)
    # O_NONBLOCK: a file swapped for a FIFO meanwhile does not block open()
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(fd, "rb", buffering=0) as stream:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotARegularFile(errno.EINVAL, "not a regular file", path)
        # In chunks: /proc files say size 0, and read(limit) would
        # allocate the whole limit up front
        chunks, size = [], 0
        while size <= limit:
            chunk = stream.read(min(CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    if size > limit:
        raise OSError(errno.EFBIG, f"larger than {limit} bytes", path)
    return b"".join(chunks)
