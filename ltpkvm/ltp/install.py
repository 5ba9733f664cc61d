# SPDX-License-Identifier: GPL-2.0-or-later
"""Installing ltpkvm beside an installed LTP ($LTPROOT): the runtest file,
an `ltpkvm` executable and one per test in testcases/bin (runltp and kirk
run commands from there), and our entries merged into metadata/ltp.json.
LTP's own files and entries win: a test LTP also has (kvm_pagefault01)
keeps LTP's executable and metadata. A manifest records what was added, so
installing again changes nothing and uninstalling restores every byte."""
import json
import os
import shlex
import shutil
import sys

from .catalog import PACKAGE_DIR, own_payload_dir
from .runtest import RUNTEST_NAME, runtest_text

PACKAGE_PARENT = os.path.dirname(PACKAGE_DIR)

MANIFEST = os.path.join("metadata", "ltpkvm-install.json")
METADATA = os.path.join("metadata", "ltp.json")
SAVED_METADATA = METADATA + ".before-ltpkvm"

WRAPPER = """#!/bin/sh
# Installed by `ltpkvm install-ltp`; `ltpkvm install-ltp --uninstall` removes it.
exec {command} "$@"
"""


class Installer:
    def __init__(self, ltproot, tests_folder=None):
        """tests_folder: the built tests the wrappers run, when they are
        not ltpkvm's own (ltpkvm --tests DIR)."""
        self.root = os.path.abspath(ltproot)
        self.tests_folder = tests_folder
        self.created = []      # files, then folders, relative to root
        self.kept = []         # LTP's own files we did not replace

    def path(self, relative):
        return os.path.normpath(os.path.join(self.root, relative))

    def _makedirs(self, relative):
        """Create the folder and its missing parents, LTPROOT included."""
        missing = []
        while not os.path.isdir(self.path(relative or ".")):
            missing.append(relative or ".")
            if not relative:
                break
            relative = os.path.dirname(relative)
        for folder in reversed(missing):
            os.mkdir(self.path(folder))
            self.created.append(folder + "/")

    def _write(self, relative, text, mode=0o644):
        self._makedirs(os.path.dirname(relative))
        with open(self.path(relative), "w") as out:
            out.write(text)
        os.chmod(self.path(relative), mode)
        self.created.append(relative)

    def install(self, entries, metadata):
        """Install the runtest entries and their metadata, replacing an
        earlier ltpkvm install of this LTPROOT."""
        if os.path.exists(self.path(MANIFEST)):
            self.uninstall()
        # Runs this very ltpkvm, installed or from a source tree.
        ltpkvm = (f"env PYTHONPATH={shlex.quote(PACKAGE_PARENT)}"
                  "${PYTHONPATH:+:$PYTHONPATH} "
                  f"{shlex.quote(sys.executable)} -m ltpkvm")
        if self.tests_folder and os.path.abspath(self.tests_folder) != \
                os.path.abspath(own_payload_dir()):
            ltpkvm += " --tests " + shlex.quote(os.path.abspath(
                self.tests_folder))
        self._write(os.path.join("runtest", RUNTEST_NAME),
                    runtest_text(entries))
        bin_dir = os.path.join("testcases", "bin")
        for name, args in [("ltpkvm", ())] + [
                (entry.name, entry.args) for entry in entries]:
            relative = os.path.join(bin_dir, name)
            if os.path.lexists(self.path(relative)):
                self.kept.append(relative)   # e.g. LTP's own kvm_pagefault01
                continue
            self._write(relative, WRAPPER.format(command=" ".join(
                [ltpkvm, *map(shlex.quote, args)])), 0o755)
        self._merge_metadata(metadata)
        self._write(MANIFEST, json.dumps({"created": self.created},
                                         indent=1) + "\n")

    def _merge_metadata(self, ours):
        """Add our tests to ltp.json, keeping LTP's own and its bytes."""
        existing = self.path(METADATA)
        self._makedirs(os.path.dirname(METADATA))
        if os.path.exists(existing):
            shutil.copy2(existing, self.path(SAVED_METADATA))
            self.created.append(SAVED_METADATA)
            with open(existing) as f:
                merged = json.load(f)
            tests = merged.setdefault("tests", {})
            for name, fields in ours["tests"].items():
                tests.setdefault(name, fields)   # LTP's own entry wins
        else:
            merged = ours
            self.created.append(METADATA)
        with open(existing, "w") as out:
            json.dump(merged, out, indent=1)
            out.write("\n")

    def uninstall(self):
        """Remove exactly what install() added; restore ltp.json."""
        try:
            with open(self.path(MANIFEST)) as f:
                created = json.load(f)["created"]
        except (OSError, ValueError, KeyError):
            return False
        if SAVED_METADATA in created:
            os.replace(self.path(SAVED_METADATA), self.path(METADATA))
        for relative in reversed(created + [MANIFEST]):
            path = self.path(relative)
            if relative.endswith("/"):
                if os.path.isdir(path) and not os.listdir(path):
                    os.rmdir(path)
            elif os.path.lexists(path) and relative != SAVED_METADATA:
                os.remove(path)
        return True
