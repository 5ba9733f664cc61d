# SPDX-License-Identifier: GPL-2.0-or-later
"""needs_kconfigs as LTP checks them: the kernel config is read from
$KCONFIG_PATH, else /proc/config.gz, else /boot/config-$(uname -r); each
requirement is `CONFIG_X` (built in or a module), `CONFIG_X=value`, or
alternatives joined by `|`. KCONFIG_SKIP_CHECK skips the check."""
import errno
import os

from ..host.errors import tst_brk
from ..host.files import read_regular_file
from ..host.guest_abi import TBROK, TCONF, TINFO


MAX_CONFIG_SIZE = 64 * 1024 * 1024


def config_path():
    override = os.environ.get("KCONFIG_PATH")
    if override:
        return override
    for path in ("/proc/config.gz", f"/boot/config-{os.uname().release}"):
        if os.path.exists(path):
            return path
    return None


def read_config(path):
    """{CONFIG_X: value} of a kernel config file (gzip or plain, a regular
    file of at most MAX_CONFIG_SIZE bytes, compressed or not)."""
    import gzip   # only for tests that need kernel options
    import io
    import zlib
    data = read_regular_file(path, MAX_CONFIG_SIZE)
    if path.endswith(".gz"):
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as unpacked:
                data = unpacked.read(MAX_CONFIG_SIZE + 1)
        except (EOFError, zlib.error) as exc:
            raise OSError(errno.EINVAL, f"corrupt gzip data ({exc})",
                          path) from None
        if len(data) > MAX_CONFIG_SIZE:
            raise OSError(errno.EFBIG, f"larger than {MAX_CONFIG_SIZE} "
                          "bytes", path)
    config = {}
    for line in data.decode(errors="replace").splitlines():
        name, sep, value = line.strip().partition("=")
        if sep and name.startswith("CONFIG_"):
            config[name] = value.strip('"')
    return config


def _satisfied(config, term):
    name, sep, value = term.strip().partition("=")
    if sep:
        return config.get(name) == value.strip('"')
    return config.get(name) in ("y", "m")


def check_kconfigs(requirements, report):
    """TCONF when the running kernel's config lacks a requirement.
    report(ttype, message) prints the TINFO lines LTP prints."""
    if not requirements:
        return
    if os.environ.get("KCONFIG_SKIP_CHECK"):
        report(TINFO, "Skipping kernel config check as requested")
        return
    path = config_path()
    if path is None:
        tst_brk(TBROK, "Couldn't locate kernel config!")
    report(TINFO, f"Parsing kernel config '{path}'")
    try:
        config = read_config(path)
    except OSError as exc:
        tst_brk(TBROK, f"Cannot read kernel config '{path}': {exc.strerror}")
    missing = [req for req in requirements
               if not any(_satisfied(config, term) for term in req.split("|"))]
    for req in missing:
        report(TINFO, f"Constraint '{req}' not satisfied!")
    if missing:
        tst_brk(TCONF, "Aborting due to unsuitable kernel config, see above!")
