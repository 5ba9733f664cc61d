# SPDX-License-Identifier: GPL-2.0-or-later
"""The LTP KVM host library. Host hooks (a test's NAME.py) import what they
use from here, and only from here:

    from ltpkvm.host import (KVM_TEXIT, TFAIL, TPASS, VcpuThread, tst_brk,
                             tst_res)

Names load on first use, so a command that needs none of them pays for
none."""
import importlib

# name -> the module (in this package) that defines it
_EXPORTS = {
    "KvmTest": "lifecycle", "VcpuThread": "lifecycle",
    "KvmInstance": "instance", "tst_res": "errors", "tst_brk": "errors",
    "AbortTest": "errors", "read_c_string": "results",
    "read_param": "modules", "read_bool_param": "modules",
    "module_loaded": "modules", "ModuleReloader": "modules",
    "MmioRegion": "emulated_io", "PortRegion": "emulated_io",
    "Access": "emulated_io", "EmulatedIo": "emulated_io", "forced_emulation": "instance",
    "check_kick_returns": "kick",
    **dict.fromkeys(("TPASS", "TFAIL", "TBROK", "TWARN", "TINFO", "TCONF",
                     "TDEBUG", "KVM_TEXIT", "KVM_TNONE", "KVM_TSYNC",
                     "KVM_RESULT_BASEADDR", "KVM_PAGE_SIZE",
                     "KVM_MMIO_BASEADDR",
                     "DEFAULT_RAM_SIZE"), "guest_abi"),
}
__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"),
                    name)
    globals()[name] = value
    return value


def __dir__():
    return __all__
