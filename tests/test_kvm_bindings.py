# SPDX-License-Identifier: GPL-2.0-or-later
"""The ctypes/ioctl bindings must equal <linux/kvm.h> on this machine.

A C program is generated from the Python definitions, compiled against the
system header and run; every size, offset and constant it prints is one test,
so a mismatch names exactly what differs.
"""
import os
import shutil
import subprocess
from ctypes import Structure, Union, alignment, sizeof

import pytest

from ltpkvm.kvm import constants
from ltpkvm.kvm import KVM_DEVICE, KvmSystem
from ltpkvm.kvm.structs import STRUCTS

KVM_HEADER = "/usr/include/linux/kvm.h"


class Check:
    """One value the C program prints and the Python value it must equal."""

    def __init__(self, key, c_expr, expected, guard=None, compare="=="):
        self.key = key            # label printed before the value
        self.c_expr = c_expr      # C expression computing the value
        self.expected = expected  # Python value
        self.guard = guard        # macro that may be absent from old headers
        self.compare = compare    # "==" or "<=" (Python <= C)

    def __str__(self):
        return self.key


def _members(ctype, c_path="", offset=0):
    """(C member path, offset, size) of every field, nested ones included.

    Members of an _anonymous_ field are spelled without its name, as C does
    for the anonymous exit union of struct kvm_run.
    """
    anonymous = getattr(ctype, "_anonymous_", ())
    for name, ftype, *_ in ctype._fields_:
        field_offset = offset + getattr(ctype, name).offset
        if name in anonymous:
            yield from _members(ftype, c_path, field_offset)
            continue
        path = f"{c_path}.{name}" if c_path else name
        yield path, field_offset, sizeof(ftype)
        if issubclass(ftype, (Structure, Union)):
            yield from _members(ftype, path, field_offset)


def _struct_checks(cls):
    c_type = f"struct {cls.__name__}"
    if cls.__name__ == "kvm_run":
        # C adds the 2 KiB sync-regs union "s" that Python leaves out.
        yield Check("kvm_run size <= offsetof(s)",
                    f"offsetof({c_type}, s)", sizeof(cls), compare="<=")
    else:
        yield Check(f"sizeof {cls.__name__}", f"sizeof({c_type})", sizeof(cls))
    yield Check(f"alignof {cls.__name__}", f"_Alignof({c_type})",
                alignment(cls))
    for path, offset, size in _members(cls):
        yield Check(f"offsetof {cls.__name__} {path}",
                    f"offsetof({c_type}, {path})", offset)
        # The size catches wrong element types and array lengths that an
        # offset check misses on a struct's last member; a flexible array
        # member (size 0 here) has none in C.
        if size:
            yield Check(f"fieldsize {cls.__name__} {path}",
                        f"sizeof((({c_type} *)0)->{path})", size)


def _constant_checks():
    """Every name the enums of constants.py declare, as the header has it."""
    for kind in (constants.Ioctl, constants.ExitReason, constants.IoDirection,
                 constants.InternalError, constants.Cap):
        for member in kind:
            yield Check(member.name, member.name, member.value,
                        guard=member.name)
    yield Check("KVM_API_VERSION", "KVM_API_VERSION",
                constants.KVM_API_VERSION, guard="KVM_API_VERSION")


CHECKS = [check for cls in STRUCTS for check in _struct_checks(cls)]
CHECKS += list(_constant_checks())


def _c_program(checks):
    lines = ["#include <linux/kvm.h>", "#include <stddef.h>",
             "#include <stdio.h>", "", "int main(void)", "{"]
    for check in checks:
        line = (f'\tprintf("%s %lu\\n", "{check.key}", '
                f'(unsigned long)({check.c_expr}));')
        if check.guard:
            # A macro missing from the header must not break the build; the
            # test then reports (or skips) just that one.
            lines += [f"#ifdef {check.guard}", line, "#endif"]
        else:
            lines.append(line)
    lines += ["\treturn 0;", "}", ""]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def header_values(tmp_path_factory):
    """{check key: value} as the C compiler sees <linux/kvm.h>."""
    gcc = shutil.which("gcc")
    if gcc is None or not os.path.exists(KVM_HEADER):
        pytest.skip(f"needs gcc and {KVM_HEADER}")
    workdir = tmp_path_factory.mktemp("kvm_header")
    source, program = workdir / "kvm_layout.c", workdir / "kvm_layout"
    source.write_text(_c_program(CHECKS))
    build = subprocess.run([gcc, "-Wall", "-o", str(program), str(source)],
                           capture_output=True, text=True)
    assert build.returncode == 0, f"cannot compile {source}:\n{build.stderr}"
    output = subprocess.run([str(program)], capture_output=True, text=True,
                            check=True).stdout
    values = {}
    for line in output.splitlines():
        key, value = line.rsplit(" ", 1)
        values[key] = int(value)
    return values


@pytest.mark.parametrize("check", CHECKS, ids=str)
def test_matches_kvm_header(header_values, check):
    if check.key not in header_values:
        if check.key.startswith("KVM_EXIT_"):
            # The installed header may predate the running kernel.
            pytest.skip(f"{check.key} not defined by {KVM_HEADER}")
        pytest.fail(f"{check.key} is defined in Python but not by "
                    f"{KVM_HEADER}")
    python, c_value = check.expected, header_values[check.key]
    if check.compare == "<=":
        assert python <= c_value, (
            f"{check.key}: Python {python} > C {c_value} ({check.c_expr})")
    else:
        assert python == c_value, (
            f"{check.key}: Python {python} != C {c_value} ({check.c_expr})")


def test_bindings_cover_the_required_fields():
    """Guard against the walk silently dropping what the harness decodes."""
    keys = {check.key for check in CHECKS}
    for required in ("kvm_run exit_reason", "kvm_run kvm_valid_regs",
                     "kvm_run io.port", "kvm_run io.data_offset",
                     "kvm_run mmio.is_write", "kvm_run fail_entry.cpu",
                     "kvm_run internal.data", "kvm_run hw.hardware_exit_reason",
                     "kvm_run ex.error_code", "kvm_sregs cs.selector",
                     "kvm_sregs gdt.limit", "kvm_sregs interrupt_bitmap",
                     "kvm_regs rip", "kvm_cpuid2 nent",
                     "kvm_cpuid_entry2 edx", "kvm_translation valid",
                     "kvm_userspace_memory_region userspace_addr"):
        assert f"offsetof {required}" in keys, required


def test_exit_reason_names():
    assert constants.enum_name(constants.ExitReason, 5, "KVM_EXIT_") == \
        "KVM_EXIT_HLT"
    assert constants.enum_name(constants.ExitReason, 999, "KVM_EXIT_") == \
        "KVM_EXIT_UNKNOWN_999"


@pytest.mark.skipif(not os.path.exists(KVM_DEVICE),
                    reason=f"{KVM_DEVICE} absent")
@pytest.mark.skipif(os.path.exists(KVM_DEVICE)
                    and not os.access(KVM_DEVICE, os.R_OK | os.W_OK),
                    reason=f"no read/write access to {KVM_DEVICE}")
def test_kvm_system():
    with KvmSystem() as kvm:
        assert kvm.api_version() == 12
        cpuid = kvm.supported_cpuid()
        assert 0 < cpuid.nent <= len(cpuid.entries)
        # Leaf 0 (vendor and highest basic leaf) is always reported first.
        assert cpuid.entries[0].function == 0


@pytest.mark.skipif(not os.path.exists(KVM_DEVICE)
                    or not os.access(KVM_DEVICE, os.R_OK | os.W_OK),
                    reason=f"no read/write access to {KVM_DEVICE}")
def test_vcpu_msrs():
    """KVM_SET_MSRS takes what it can, in order, and KVM_GET_MSRS reads it
    back; both stop at the first MSR they refuse."""
    lstar, cstar, nonexistent = 0xc0000082, 0xc0000083, 0x12345678
    with KvmSystem() as kvm, kvm.create_vm() as vm, vm.create_vcpu() as vcpu:
        vcpu.set_cpuid2(kvm.supported_cpuid())
        assert vcpu.set_msrs({lstar: 0x1000, cstar: 0x2000}) == 2
        assert vcpu.get_msrs([lstar, cstar]) == {lstar: 0x1000, cstar: 0x2000}
        assert vcpu.set_msrs({lstar: 0x3000, nonexistent: 1,
                              cstar: 0x4000}) == 1
        assert vcpu.get_msrs([lstar, nonexistent, cstar]) == {lstar: 0x3000}
        assert vcpu.set_msrs({lstar: 0xdead000000000000}) == 0
