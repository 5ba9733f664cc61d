# SPDX-License-Identifier: GPL-2.0-or-later
"""What this host can test, and why not: the facts `ltpkvm doctor` shows."""
import os
import stat

from ..kvm import KVM_DEVICE, KvmError, KvmSystem
from .modules import SYS_MODULE, read_param
from .x86 import CPU_FEATURES, guest_cpu_features, i386_paging_works

VENDOR_MODULES = ("kvm_intel", "kvm_amd", "kvm_pvm")
INTERESTING_PARAMS = {"kvm": ("tdp_mmu", "nx_huge_pages"),
                      "kvm_intel": ("nested", "ept", "unrestricted_guest"),
                      "kvm_amd": ("nested", "npt", "avic"),
                      "kvm_pvm": ()}


def _cpuinfo_flags():
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def host_facts():
    """[(check, value, ok)] where ok is True, False (a problem) or None
    (information); plus the KVM-offered CPU features (None: unknown) and
    whether i386 payloads run paged (None: unknown)."""
    facts = []
    try:
        mode = os.stat(KVM_DEVICE)
        facts.append((KVM_DEVICE, f"present, mode {stat.filemode(mode.st_mode)}"
                      f", owner uid {mode.st_uid}", True))
        access = os.access(KVM_DEVICE, os.R_OK | os.W_OK)
        facts.append(("access", "read-write" if access else
                       "no permission: tests report TCONF", access))
    except OSError as exc:
        facts.append((KVM_DEVICE, f"{exc.strerror}: tests report TCONF",
                      False))
    features = paged = None
    try:
        with KvmSystem() as system:
            facts.append(("KVM API version", str(system.api_version()), True))
            features = guest_cpu_features(system.supported_cpuid())
            paged = i386_paging_works(system)
    except KvmError as exc:
        facts.append(("KVM", str(exc), False))
    vendors = [m for m in VENDOR_MODULES
               if os.path.isdir(os.path.join(SYS_MODULE, m))]
    facts.append(("vendor module", ", ".join(vendors) or "none found", None))
    for module in ("kvm",) + tuple(vendors):
        for param in INTERESTING_PARAMS.get(module, ()):
            value = read_param(module, param)
            if value is not None:
                facts.append((f"{module}.{param}", value, None))
    flags = _cpuinfo_flags()
    facts.append(("running as a guest", "yes (hypervisor CPU flag)"
                  if "hypervisor" in flags else "no", None))
    if features is not None:
        for name in CPU_FEATURES:
            facts.append((f"guest CPU: {name}", "offered" if name in features
                          else "not offered" + (" (the host CPU has it)"
                                                if name in flags else ""),
                          None))
    if paged is not None:
        facts.append(("i386 payloads", "paged (32-bit PAE paging works)"
                      if paged else "unpaged: this KVM refuses paging "
                      "outside 64-bit mode", None))
    return facts, features
