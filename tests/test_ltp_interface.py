# SPDX-License-Identifier: GPL-2.0-or-later
"""ltpkvm's guest headers provide LTP's whole guest interface, on x86_64 and
i386: a C check generated from tests/reference/ltp-guest-api.md (see
ltp_api_check.py) must compile, and every bit-field must sit where LTP's
does."""
import os
import re
import subprocess

import pytest
from elftools.elf.elffile import ELFFile

from conftest import REPO
from ltp_api_check import BITFIELD_SECTION, c_check

REFERENCE = os.path.join(REPO, "tests", "reference", "ltp-guest-api.md")
# The project's copy is the one the suite reads; where the shared original
# is present, they must be the same.
SHARED_REFERENCE = os.path.join(os.path.dirname(REPO), "shared", "reference",
                                "ltp-guest-api.md")
ARCH_FLAGS = {"x86_64": ["-m64"], "i386": ["-m32", "-march=i686"]}


def guest_compile(build_dir, source, obj, arch):
    """Compile source as a payload is compiled; the compiler's messages."""
    proc = subprocess.run(
        ["gcc", "-std=gnu11", "-O2", "-Wall", "-ffreestanding", "-fno-builtin",
         "-fno-pic", "-mgeneral-regs-only", "-fmax-errors=0", "-Wno-overflow",
         "-DCOMPILE_PAYLOAD", *ARCH_FLAGS[arch],
         "-I", os.path.join(build_dir, "include"),
         "-I", os.path.join(REPO, "payloads", "include"),
         "-c", str(source), "-o", str(obj)],
        capture_output=True, text=True)
    return proc.returncode, proc.stderr


def section_symbols(obj, section_name):
    """{symbol: bytes} of the objects in one section of an object file."""
    with open(obj, "rb") as stream:
        elf = ELFFile(stream)
        section = elf.get_section_by_name(section_name)
        data = section.data() if section else b""
        index = [i for i, s in enumerate(elf.iter_sections())
                 if s.name == section_name]
        found = {}
        for sym in elf.get_section_by_name(".symtab").iter_symbols():
            if index and sym["st_shndx"] == index[0] and sym["st_size"]:
                start = sym["st_value"]
                found[sym.name] = data[start:start + sym["st_size"]]
    return found


def test_reference_is_the_shared_one():
    if not os.path.exists(SHARED_REFERENCE):
        pytest.skip("no shared reference folder beside the repository")
    with open(REFERENCE) as ours, open(SHARED_REFERENCE) as shared:
        assert ours.read() == shared.read()


def test_generated_check_covers_every_listed_name():
    with open(REFERENCE) as f:
        text = f.read()
    source, _ = c_check(text)
    listed = set(re.findall(r"^- (?:\w+ )?`(\w+)", text, re.M))
    missing = {name for name in listed if name not in source}
    assert not missing
    assert len(listed) > 500


def interface_problems(build_dir, tmp_path, text, arch):
    """What the check generated from text finds wrong with our headers on
    arch: compiler errors, then bit-fields placed differently."""
    source, masks = c_check(text)
    check = tmp_path / f"ltp_api_check_{arch}.c"
    check.write_text(source)
    obj = tmp_path / f"ltp_api_check_{arch}.o"
    status, messages = guest_compile(build_dir, check, obj, arch)
    problems = sorted(set(
        line.replace("static assertion failed: ", "").strip('"')
        for line in re.findall(r"error: (.*)", messages)))
    if status:
        return problems or [messages[-2000:]]
    objects = section_symbols(obj, BITFIELD_SECTION)
    wanted = "__x86_64__" if arch == "x86_64" else "__i386__"
    for need, struct, member in masks:
        if need in (None, wanted):
            ours = objects[f"ours_{struct}_{member}"]
            ref = objects[f"ref_{struct}_{member}"]
            if ours != ref:
                problems.append(f"bit-field {struct}.{member}: bits "
                                f"{ours.hex()} where LTP has {ref.hex()}")
    return problems


@pytest.mark.parametrize("arch", ARCH_FLAGS)
def test_guest_headers_provide_the_ltp_interface(build_dir, tmp_path, arch):
    with open(REFERENCE) as f:
        problems = interface_problems(build_dir, tmp_path, f.read(), arch)
    assert not problems, f"{len(problems)} interface problem(s) on " \
        f"{arch}:\n" + "\n".join(problems)


def test_a_wrong_header_fails_the_check(build_dir, tmp_path):
    """The check can fail: a value, a type and a bit-field that differ from
    ours are each caught."""
    text = open(REFERENCE).read()
    for old, new in (
            ("- `KVM_TSYNC` = `0xfe`", "- `KVM_TSYNC` = `0xfd`"),
            ("- typedef `uint64_t` unsigned long long",
             "- typedef `uint64_t` unsigned long"),
            ("- member `limit_hi` unsigned int:4 - segment_descriptor\n",
             "- member `limit_hi` unsigned int:3 - segment_descriptor\n")):
        assert old in text
        text = text.replace(old, new, 1)
    problems = interface_problems(build_dir, tmp_path, text, "x86_64")
    assert "kvm_common.h: KVM_TSYNC == 0xfd" in problems
    assert "kvm_guest.h: typedef uint64_t is unsigned long" in problems
    text = text.replace("`KVM_TSYNC` = `0xfd`", "`KVM_TSYNC` = `0xfe`")
    text = text.replace("typedef `uint64_t` unsigned long\n",
                        "typedef `uint64_t` unsigned long long\n")
    problems = interface_problems(build_dir, tmp_path, text, "x86_64")
    assert problems and all(p.startswith("bit-field segment_descriptor.")
                            for p in problems), problems
    assert problems[0].startswith("bit-field segment_descriptor.limit_hi: "
                                  "bits 0000000000000f00 where LTP has "
                                  "0000000000000700")
