# SPDX-License-Identifier: GPL-2.0-or-later
"""Building a folder of LTP-style test sources with ltpkvm's guest library,
from a source tree or from an installed ltpkvm (whose wheel carries the
Makefile and the guest library in ltpkvm/sdk/)."""
import os
import subprocess
import sys

from .catalog import PACKAGE_DIR

SOURCE_TREE = os.path.dirname(PACKAGE_DIR)
SDK_DIR = os.path.join(PACKAGE_DIR, "sdk")


def sdk_dir():
    """Where the Makefile and the guest library are: the source tree this
    ltpkvm runs from, else the installed package's sdk/."""
    if os.path.exists(os.path.join(SOURCE_TREE, "Makefile")) and \
            os.path.isdir(os.path.join(SOURCE_TREE, "payloads", "lib")):
        return SOURCE_TREE
    return SDK_DIR


def tests_folder(build_dir):
    """The folder of built tests that a build into build_dir makes."""
    return os.path.join(build_dir, "payloads")


def build_tests(tests_dir, build_dir, verbose=False):
    """make the tests of tests_dir into build_dir; the finished make
    (returncode, stdout, stderr). OSError when make cannot run."""
    sdk = sdk_dir()
    command = ["make", "-C", sdk, f"TESTS_DIR={os.path.abspath(tests_dir)}",
               f"BUILD={os.path.abspath(build_dir)}",
               f"LTPKVM_DIR={PACKAGE_DIR}", f"PYTHON={sys.executable}",
               f"-j{os.cpu_count() or 1}", "payloads"]
    if verbose:
        command.append("V=1")
    return subprocess.run(command, capture_output=True, text=True)
