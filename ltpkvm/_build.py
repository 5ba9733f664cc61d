# SPDX-License-Identifier: GPL-2.0-or-later
"""Build step of the wheel: `make` the payloads and put them, with the
runtest file, inside the package."""
import glob
import os
import shutil
import subprocess

from setuptools.command.build_py import build_py

SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


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
        for definition in glob.glob(os.path.join(build, "payloads", "*.py")):
            shutil.copy2(definition, os.path.join(package, "payloads"))
        runtest = os.path.join(package, "runtest")
        os.makedirs(runtest, exist_ok=True)
        for path in glob.glob(os.path.join(SOURCE_DIR, "runtest", "*")):
            shutil.copy2(path, runtest)
