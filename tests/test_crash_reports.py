# SPDX-License-Identifier: GPL-2.0-or-later
"""Crash reports: symbolised RIPs, registers and guest backtraces."""
import os
import re
import subprocess

import pytest

from conftest import needs_kvm
from ltpkvm.host.symbols import Symbolizer

ARCHES = ("x86_64", "i386")


def elf(build_dir, arch, name):
    return os.path.join(build_dir, "tests", arch, f"{name}.elf")


def addr2line(path, address):
    """(function, file basename, line) as binutils sees the address."""
    out = subprocess.run(["addr2line", "-f", "-e", path, hex(address)],
                         capture_output=True, text=True, check=True)
    function, where = out.stdout.splitlines()[:2]
    file, _, line = where.rpartition(":")
    if "?" in where:
        return function, None, None   # no line information
    return function, os.path.basename(file), int(line.split()[0])


@pytest.mark.parametrize("arch", ARCHES)
def test_symbolizer_agrees_with_binutils(build_dir, arch):
    path = elf(build_dir, arch, "selftest_exceptions")
    symbolizer = Symbolizer(path)
    table = subprocess.run(["nm", "-S", "--defined-only", path],
                           capture_output=True, text=True).stdout
    checked = 0
    for line in table.splitlines():
        fields = line.split()
        if len(fields) != 4 or fields[2] not in "tT":
            continue
        start, size = int(fields[0], 16), int(fields[1], 16)
        for address in (start, start + size // 2):
            function, file, lineno = addr2line(path, address)
            assert symbolizer.function(address) == (fields[3],
                                                    address - start)
            assert symbolizer.line(address) == (
                (file, lineno) if file else None), hex(address)
            checked += 1
    assert checked > 40


def test_symbolizer_without_an_elf_gives_bare_addresses(tmp_path):
    assert Symbolizer(str(tmp_path / "missing.elf")).describe(0x1234) == \
        "0x1234"


@needs_kvm
@pytest.mark.parametrize("arch", ARCHES)
def test_triple_fault_report_symbolises_the_faulting_instruction(ltpkvm,
                                                                arch):
    run = ltpkvm("run", "--arch", arch, "hostile_triple_fault", suite=True)
    assert run.status == 2, run.output
    assert re.search(r"\n    RIP 0x[0-9a-f]+ is main\+0x[0-9a-f]+ "
                     r"\(hostile_triple_fault\.c:\d+\)\n", run.stderr), \
        run.stderr
    register = "RAX" if arch == "x86_64" else "EAX"
    assert f"\n      {register}=" in run.stderr
    assert re.search(r"CR0=[0-9a-f]+ CR2=[0-9a-f]+ CR3=[0-9a-f]+ "
                     r"CR4=[0-9a-f]+ EFER=[0-9a-f]+", run.stderr)
    assert "CS=" in run.stderr and "TR=0020" in run.stderr
    assert re.search(r"#0 main\+0x[0-9a-f]+ \(hostile_triple_fault\.c:\d+\)"
                     r"\n      #1 kvm_start\+", run.stderr), run.stderr


@needs_kvm
def test_unhandled_exception_backtrace_reaches_the_faulting_code(ltpkvm,
                                                                 build_dir):
    """The interrupt stub links the handler's frames to the interrupted
    ones: the backtrace names the faulting line, as addr2line does."""
    run = ltpkvm("run", "selftest_unhandled_pf", suite=True)
    assert run.status == 2, run.output
    rip = int(re.search(r"RIP=0x([0-9a-f]+)", run.stderr).group(1), 16)
    function, file, line = addr2line(
        elf(build_dir, "x86_64", "selftest_unhandled_pf"), rip)
    assert function == "main"
    assert re.search(r"#0 tst_handle_interrupt\+0x[0-9a-f]+ \(lib_x86\.c:\d+\)"
                     r"\n.*#1 kvm_intr_common\+.*\n.*#2 main\+0x[0-9a-f]+ "
                     rf"\({file}:{line}\)\n.*#3 kvm_start\+", run.stderr), \
        run.stderr


@needs_kvm
def test_a_passing_test_never_reads_the_elf(build_dir):
    """Symbols cost nothing until something must be symbolised."""
    import sys
    code = ("import sys\n"
            "from ltpkvm.ltp.definitions import TestDefinition\n"
            "from ltpkvm.ltp.reporter import Reporter\n"
            "from ltpkvm.ltp.runner import run_test\n"
            f"status = run_test(TestDefinition('selftest_hello'), "
            f"{os.path.join(build_dir, 'tests', 'x86_64', 'selftest_hello.bin')!r}"
            ", 'x86_64', Reporter())\n"
            "print(status, 'elftools' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True,
                         text=True, check=True).stdout
    assert out.split() == ["0", "False"]
