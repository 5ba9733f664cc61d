# SPDX-License-Identifier: GPL-2.0-or-later
"""Kernel module parameters for host hooks: read them from /sys/module and
reload a module with other parameters, restoring the originals at cleanup
(as LTP's kvm_pagefault01 turns two-dimensional paging off)."""
import os

from .errors import tst_brk
from .guest_abi import TBROK, TCONF

SYS_MODULE = "/sys/module"
MODPROBE = "modprobe"


def module_loaded(module, sysfs=None):
    return os.path.isdir(os.path.join(sysfs or SYS_MODULE, module))


def read_param(module, param, sysfs=None):
    """A module parameter's text, or None when the module or parameter is
    absent."""
    path = os.path.join(sysfs or SYS_MODULE, module, "parameters", param)
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return None


def read_bool_param(module, param, sysfs=None):
    """A boolean module parameter: True, False, or None when absent or not
    a boolean (Y/N/1/0)."""
    return {"Y": True, "1": True, "N": False, "0": False}.get(
        read_param(module, param, sysfs))


def _differs(module, param, wanted, sysfs=None):
    current = read_bool_param(module, param, sysfs)
    if current is not None and str(wanted) in ("0", "1", "Y", "N"):
        return current != (str(wanted) in ("1", "Y"))
    return read_param(module, param, sysfs) != str(wanted)


class ModuleReloader:
    """Reloads kernel modules with new parameters and, at restore(), reloads
    them with the parameter values they had, in reverse order."""

    def __init__(self, sysfs=None, modprobe=None):
        self.sysfs = sysfs or SYS_MODULE
        self.modprobe = modprobe or MODPROBE
        self._saved = []   # (module, {param: original value})

    def _run(self, *args):
        import subprocess   # only a test that reloads a module pays for it
        try:
            proc = subprocess.run([self.modprobe, *args], capture_output=True,
                                  text=True)
        except OSError as exc:
            tst_brk(TCONF, f"Cannot run {self.modprobe}: {exc.strerror}")
        if proc.returncode:
            tst_brk(TBROK, f"{self.modprobe} {' '.join(args)} failed: "
                    f"{proc.stderr.strip() or proc.returncode}")

    def reload(self, module, **params):
        """Reload module with params (name=value); remember the originals."""
        original = {name: read_param(module, name, self.sysfs)
                    for name in params}
        self._run("-r", module)
        self._saved.append((module, original))
        self._run(module, *(f"{name}={value}"
                            for name, value in params.items()))

    def apply(self, module_params, report):
        """Reload each loaded module of {module: {param: value}} whose
        parameters differ; report(message) says what is reloaded."""
        for module, params in module_params.items():
            if not module_loaded(module, self.sysfs):
                continue
            changes = {param: value for param, value in params.items()
                       if _differs(module, param, value, self.sysfs)}
            if changes:
                report(f"Reloading {module} with " + " ".join(
                    f"{param}={value}" for param, value in changes.items()))
                self.reload(module, **changes)

    def restore(self):
        while self._saved:
            module, original = self._saved.pop()
            self._run("-r", module)
            self._run(module, *(f"{name}={value}" for name, value
                                in original.items() if value is not None))
