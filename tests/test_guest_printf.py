# SPDX-License-Identifier: GPL-2.0-or-later
"""Host-side tests for the freestanding guest libc (string.c, vsprintf.c).

The library sources are built with the guest compiler flags, their symbols
renamed to g_<name>, and linked into tests/c/printf_harness.c, which
compares every function against glibc.  The objects are also checked to be
self-contained for both -m64 and -m32, since guests link without libgcc.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LIB_DIR = ROOT / "payloads" / "lib"
INCLUDE_DIR = ROOT / "payloads" / "include"
HARNESS = ROOT / "tests" / "c" / "printf_harness.c"
LIB_SOURCES = ("string.c", "vsprintf.c")

LIB_FUNCS = (
    "memset", "memzero", "memcpy", "memcmp", "strcpy", "strcat", "strlen",
    "strchr", "strrchr", "vsnprintf", "vsprintf", "snprintf", "sprintf",
)

LIB_CFLAGS = [
    "-ffreestanding", "-fno-builtin", "-fno-tree-loop-distribute-patterns",
    "-fno-stack-protector", "-mno-sse", "-mno-mmx", "-mno-80387",
    "-mgeneral-regs-only", "-O2", "-Wall", "-Wextra", "-Werror",
]

# Provided by the linker, not by libgcc: fine in a PIC -m32 object
LINKER_SYMBOLS = {"_GLOBAL_OFFSET_TABLE_"}

MIN_PRINTF_CASES = 60

pytestmark = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("gcc", "nm", "objcopy", "objdump")),
    reason="needs gcc and binutils",
)


def run(cmd, **kwargs):
    return subprocess.run([str(c) for c in cmd], check=True,
                          capture_output=True, text=True, **kwargs)


def include_flags(stub_dir):
    """Test the library on its own: a stub kvm_guest.h, found before the
    real one, pulls in only kvm_guest_libc.h (the real header also needs
    the generated kvm_abi.h)."""
    stub_dir.mkdir(exist_ok=True)
    (stub_dir / "kvm_guest.h").write_text('#include "kvm_guest_libc.h"\n')
    return [f"-I{stub_dir}", f"-I{INCLUDE_DIR}"]


def compile_lib(out_dir, bits, extra_flags=()):
    """Compile the library sources for -m<bits>, return the object paths."""
    incs = include_flags(out_dir / "stub-include")
    objs = []
    for src in LIB_SOURCES:
        obj = out_dir / f"{Path(src).stem}-m{bits}.o"
        run(["gcc", f"-m{bits}", *extra_flags, *LIB_CFLAGS, *incs, "-c",
             LIB_DIR / src, "-o", obj])
        objs.append(obj)
    return objs


@pytest.fixture(scope="module")
def harness(tmp_path_factory):
    out = tmp_path_factory.mktemp("guest-printf")
    renames = [f"--redefine-sym={f}=g_{f}" for f in LIB_FUNCS]
    objs = []
    for obj in compile_lib(out, 64):
        renamed = obj.with_name("g-" + obj.name)
        run(["objcopy", *renames, obj, renamed])
        objs.append(renamed)

    exe = out / "printf_harness"
    # Several cases deliberately use formats -Wformat dislikes
    run(["gcc", "-O1", "-m64", "-Wall", "-Wno-format",
         "-Wno-format-truncation", "-Wno-format-overflow", HARNESS, *objs,
         "-o", exe])
    return exe


def run_harness(exe, mode):
    res = subprocess.run([exe, mode], capture_output=True, text=True,
                         timeout=60)
    summary = re.search(r"^(\d+) cases, (\d+) failures$", res.stdout, re.M)
    assert summary, f"harness crashed or misbehaved:\n{res.stdout}{res.stderr}"
    assert res.returncode == 0, res.stdout
    assert summary.group(2) == "0", res.stdout
    return int(summary.group(1))


def test_printf_matches_glibc(harness):
    assert run_harness(harness, "printf") >= MIN_PRINTF_CASES


def test_string_matches_glibc(harness):
    assert run_harness(harness, "string") >= 40


@pytest.mark.parametrize("bits", [64, 32])
@pytest.mark.parametrize("pic", [True, False], ids=["pic", "nopic"])
def test_objects_need_no_libgcc(tmp_path, bits, pic):
    """Only our own functions may be undefined: in particular no
    __udivdi3/__umoddi3 from 64-bit division on -m32."""
    # The host compiler defaults to PIE; guests may be linked either way
    objs = compile_lib(tmp_path, bits, () if pic else ("-fno-pic",))
    for obj in objs:
        undefined = set(run(["nm", "-u", obj]).stdout.split()) - {"U"}
        extra = undefined - set(LIB_FUNCS) - LINKER_SYMBOLS
        assert not extra, f"{obj.name} needs {sorted(extra)}"


@pytest.mark.parametrize("bits", [64, 32])
def test_no_self_calls(tmp_path, bits):
    """GCC can turn a byte loop into a call to memset/memcpy; inside those
    very functions that would recurse forever."""
    obj = compile_lib(tmp_path, bits)[0]
    assert obj.name.startswith("string")
    dump = run(["objdump", "-dr", obj]).stdout
    func = None
    for line in dump.splitlines():
        m = re.match(r"^[0-9a-f]+ <([\w.]+)>:$", line)
        if m:
            func = m.group(1)
            continue
        m = re.search(r"\bR_\w+\s+([\w.]+)", line)
        if m and func in LIB_FUNCS:
            assert m.group(1) != func, f"{func} calls itself"
