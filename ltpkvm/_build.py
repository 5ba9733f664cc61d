# SPDX-License-Identifier: GPL-2.0-or-later
"""Build step of the wheel: `make` the payloads and put them, with their
metadata and definitions, inside the package, and ship the Makefile and
the guest library (ltpkvm/sdk/) so that `ltpkvm build` works from an
installed ltpkvm."""
import glob
import os
import shutil
import subprocess

from setuptools.command.build_py import build_py

SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SDK_FILES = ("Makefile", "payloads/include/*.h", "payloads/lib/*.[ch]",
             "payloads/x86/*.S")


class BuildPyWithPayloads(build_py):
    def run(self):
        super().run()
        build_temp = self.get_finalized_command("build").build_temp
        build = os.path.join(os.path.abspath(build_temp), "payloads")
        subprocess.run(["make", "-C", SOURCE_DIR, f"BUILD={build}",
                        "payloads"], check=True)
        package = os.path.join(self.build_lib, "ltpkvm")
        for image in glob.glob(os.path.join(build, "payloads", "*", "*.bin")):
            arch_dir = os.path.join(package, "payloads",
                                    os.path.basename(os.path.dirname(image)))
            os.makedirs(arch_dir, exist_ok=True)
            for path in (image, image[:-4] + ".elf"):
                shutil.copy2(path, arch_dir)
        for pattern in ("*.py", "*.json"):
            for path in glob.glob(os.path.join(build, "payloads", pattern)):
                shutil.copy2(path, os.path.join(package, "payloads"))
        for pattern in SDK_FILES:
            for path in glob.glob(os.path.join(SOURCE_DIR, pattern)):
                target = os.path.join(package, "sdk",
                                      os.path.relpath(path, SOURCE_DIR))
                os.makedirs(os.path.dirname(target), exist_ok=True)
                shutil.copy2(path, target)
