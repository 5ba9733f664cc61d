# SPDX-License-Identifier: GPL-2.0-or-later
"""The guest and the host agree on every shared constant and layout.

guest_abi.py is the source; the C side is the header the Makefile generates
from it plus what the guest library and linker script build on top. These
tests compile and inspect the C side and compare."""
import ctypes
import os
import subprocess

import pytest
from elftools.elf.elffile import ELFFile

from conftest import REPO
from ltpkvm.host import guest_abi, x86
from ltpkvm.host.payload import Payload

C_PROGRAM = """
#include <stdio.h>
#include <stddef.h>
#include "kvm_test.h"
int main(void)
{
%s
	return 0;
}
"""


def c_values(build_dir, tmp_path, expressions):
    """Evaluate C integer expressions with the guest headers in scope."""
    # Unsigned, so that values above INT64_MAX (PTE_NX) print as they are;
    # a negative one compares modulo 2**64
    lines = "\n".join(f'\tprintf("%llu\\n", (unsigned long long)({e}));'
                      for e in expressions)
    source = tmp_path / "abi.c"
    source.write_text(C_PROGRAM % lines)
    exe = tmp_path / "abi"
    # Host-compiled, but with the guest's headers and COMPILE_PAYLOAD.
    subprocess.run(["gcc", "-DCOMPILE_PAYLOAD", "-I",
                    os.path.join(build_dir, "include"), "-I",
                    os.path.join(REPO, "payloads", "include"), "-o", str(exe),
                    str(source)], check=True)
    out = subprocess.run([str(exe)], check=True, capture_output=True,
                         text=True).stdout.split()
    return dict(zip(expressions, map(int, out)))


def test_constants_and_struct_layouts(build_dir, tmp_path):
    expected = {name: getattr(guest_abi, name)
                for name in guest_abi.CONSTANTS}
    for struct in guest_abi.STRUCTS:
        cname = f"struct {struct.__name__}"
        expected[f"sizeof({cname})"] = ctypes.sizeof(struct)
        for field, _ in struct._fields_:
            expected[f"offsetof({cname}, {field})"] = \
                getattr(struct, field).offset
            expected[f"sizeof((({cname} *)0)->{field})"] = \
                getattr(struct, field).size
    expected["offsetof(struct tst_kvm_result, message)"] = \
        guest_abi.KVM_RESULT_MESSAGE_OFFSET
    expected["TTYPE_RESULT(0x7ff)"] = 0x7ff & guest_abi.TTYPE_MASK
    actual = c_values(build_dir, tmp_path, list(expected))
    mismatches = {e: (v, actual[e]) for e, v in expected.items()
                  if actual[e] != v % 2**64}
    assert not mismatches, f"Python != C (python, c): {mismatches}"


def _symbols(elf_path):
    with open(elf_path, "rb") as stream:
        symtab = ELFFile(stream).get_section_by_name(".symtab")
        return {sym.name: (sym["st_value"], sym["st_size"])
                for sym in symtab.iter_symbols()}


def test_boot_header_points_at_the_guest_symbols(build_dir):
    image = os.path.join(build_dir, "payloads", "x86_64", "kvm_pagefault01.bin")
    payload = Payload(image)
    symbols = _symbols(payload.elf_path)
    header = payload.header
    assert header.entry == symbols["kvm_start"][0]
    assert header.stack_top == symbols["kvm_stack_top"][0]
    assert header.stack_top - symbols["kvm_stack_bottom"][0] == \
        guest_abi.KVM_STACK_SIZE
    assert header.pagetable == symbols["kvm_pagetable"][0]
    assert header.pagetable % guest_abi.KVM_PAGE_SIZE == 0
    assert header.gdt == symbols["kvm_gdt"][0]
    assert header.idt == symbols["kvm_idt"][0]
    assert header.tss == symbols["kvm_tss"][0]
    assert header.image_end == symbols["kvm_image_end"][0]
    assert header.host_info == symbols["kvm_host_info"][0]


@pytest.mark.parametrize("symbol, size", [
    ("kvm_gdt", 8 * guest_abi.KVM_GDT_SIZE),
    ("kvm_idt", 16 * guest_abi.KVM_IDT_SIZE),
    ("kvm_tss", guest_abi.KVM_TSS_SIZE),
    ("kvm_host_info", 8),
    ("kvm_pagetable", guest_abi.KVM_PAGETABLE_PAGES
     * guest_abi.KVM_PAGE_SIZE),
])
def test_x86_64_tables_have_the_size_the_host_assumes(build_dir, symbol, size):
    elf = os.path.join(build_dir, "payloads", "x86_64", "kvm_pagefault01.elf")
    assert _symbols(elf)[symbol][1] == size


def test_host_segments_match_the_guest_gdt(build_dir):
    """The hidden segment state the host loads equals what the CPU would
    load from the guest's own descriptors."""
    image = os.path.join(build_dir, "payloads", "x86_64", "kvm_pagefault01.bin")
    payload = Payload(image)
    gdt = payload.header.gdt - guest_abi.VM_KERNEL_BASEADDR
    cs = x86.segment_from_descriptor(int.from_bytes(
        payload.image[gdt + 8:gdt + 16], "little"), 8)
    ds = x86.segment_from_descriptor(int.from_bytes(
        payload.image[gdt + 16:gdt + 24], "little"), 16)
    assert (cs.l, cs.db, cs.present, cs.s, cs.type & 0x8) == (1, 0, 1, 1, 8)
    assert (ds.db, ds.present, ds.s, ds.type & 0x8, ds.limit) == \
        (1, 1, 1, 0, 0xffffffff)
