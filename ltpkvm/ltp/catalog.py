# SPDX-License-Identifier: GPL-2.0-or-later
"""Where the built tests are: every payload image is a test."""
import difflib
import os
import platform

from .definitions import ARCHES, load_definition

PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# An installed package carries its payloads; a source checkout has them in
# build/ after `make`.
PAYLOAD_DIRS = (os.path.join(PACKAGE_DIR, "payloads"),
                os.path.join(os.path.dirname(PACKAGE_DIR), "build",
                             "payloads"))


def host_arch():
    machine = platform.machine()
    return {"i686": "i386", "i586": "i386", "amd64": "x86_64"}.get(
        machine, machine)


def payload_dir():
    """The folder of built payloads: $LTPKVM_PAYLOAD_DIR, else the first of
    PAYLOAD_DIRS that exists."""
    override = os.environ.get("LTPKVM_PAYLOAD_DIR")
    if override:
        return override
    for folder in PAYLOAD_DIRS:
        if os.path.isdir(folder):
            return folder
    return PAYLOAD_DIRS[0]


def test_names(arch=None, folder=None):
    folder = os.path.join(folder or payload_dir(), arch or host_arch())
    try:
        entries = os.listdir(folder)
    except OSError:
        return []
    return sorted(name[:-4] for name in entries if name.endswith(".bin"))


def payload_path(name, arch=None, folder=None):
    return os.path.join(folder or payload_dir(), arch or host_arch(),
                        name + ".bin")


def definition(name, folder=None):
    """The test's definition (its .py beside the built payloads, if any)."""
    return load_definition(name, folder or payload_dir())


def all_test_names(folder=None):
    """Every test built for any arch."""
    return sorted({name for arch in ARCHES for name in test_names(arch, folder)})


def built_arches(name, folder=None):
    """The archs the test is built for and declared to support."""
    return [arch for arch in ARCHES
            if os.path.exists(payload_path(name, arch, folder))]


def unknown_test_message(name, names):
    """What to tell a user who named no test among names."""
    hint = difflib.get_close_matches(name, names, n=5, cutoff=0.6)
    return f"Unknown test '{name}'" + (f"; did you mean: {', '.join(hint)}?"
                                       if hint else "; see 'ltpkvm list'")
