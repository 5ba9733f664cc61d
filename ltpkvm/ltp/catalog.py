# SPDX-License-Identifier: GPL-2.0-or-later
"""The built tests: every payload image in a folder of built tests is a
test, described by the metadata of its C source and its NAME.py."""
import functools
import os

from .definitions import ARCHES, load_definition

PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# An installed package carries its payloads; a source checkout has them in
# build/ after `make`.
PAYLOAD_DIRS = (os.path.join(PACKAGE_DIR, "payloads"),
                os.path.join(os.path.dirname(PACKAGE_DIR), "build",
                             "payloads"))


def host_arch():
    machine = os.uname().machine
    return {"i686": "i386", "i586": "i386", "amd64": "x86_64"}.get(
        machine, machine)


def own_payload_dir():
    """ltpkvm's own built tests: the first of PAYLOAD_DIRS that exists."""
    for folder in PAYLOAD_DIRS:
        if os.path.isdir(folder):
            return folder
    return PAYLOAD_DIRS[0]


def payload_dir():
    """The folder of built tests to run: $LTPKVM_PAYLOAD_DIR (tests built
    from another folder, see `ltpkvm build`), else ltpkvm's own."""
    return os.environ.get("LTPKVM_PAYLOAD_DIR") or own_payload_dir()


def unknown_test_message(name, names):
    """What to tell a user who named no test among names."""
    import difflib   # only for this message
    # Compared without the kvm_ that every name shares, which would make
    # any two names look alike
    stripped = {n.removeprefix("kvm_"): n for n in names}
    hint = [stripped[n] for n in difflib.get_close_matches(
        name.removeprefix("kvm_"), stripped, n=5, cutoff=0.6)]
    return f"Unknown test '{name}'" + (f"; did you mean: {', '.join(hint)}?"
                                       if hint else "; see 'ltpkvm list'")


class Catalog:
    """The tests built in one folder (folder/ARCH/NAME.bin, with NAME.json
    and NAME.py beside the arch folders), listed once."""

    def __init__(self, folder=None):
        self.folder = folder or payload_dir()
        # A test built elsewhere still finds ltpkvm's own NAME.py
        own = own_payload_dir()
        self.fallback_folders = () if os.path.abspath(own) == \
            os.path.abspath(self.folder) else (own,)
        self._names = {}
        for arch in ARCHES:
            try:
                entries = os.listdir(os.path.join(self.folder, arch))
            except OSError:
                entries = []
            self._names[arch] = sorted(e[:-4] for e in entries
                                       if e.endswith(".bin"))

    def names(self, arch=None):
        """The tests built for arch (default: the host's)."""
        return self._names.get(arch or host_arch(), [])

    def all_names(self):
        """Every test built for any arch."""
        return sorted({name for names in self._names.values()
                       for name in names})

    def built_arches(self, name):
        return [arch for arch in ARCHES if name in self._names[arch]]

    def payload_path(self, name, arch=None):
        return os.path.join(self.folder, arch or host_arch(), name + ".bin")

    @functools.lru_cache(maxsize=None)
    def definition(self, name):
        """The test's definition; TBROK (AbortTest) when it is broken."""
        return load_definition(name, self.folder, self.fallback_folders)

    def unknown_test_message(self, name, arch=None):
        names = self.names(arch) if arch else self.all_names()
        if not names:
            return (f"No built {arch or ''} tests in {self.folder}: run "
                    "'make' in the source tree or reinstall ltpkvm").replace(
                        "  ", " ")
        return unknown_test_message(name, names)
