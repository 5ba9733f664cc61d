# SPDX-License-Identifier: GPL-2.0-or-later
"""Self-tests of the guest library: each tests/payloads/selftest_*.c payload
runs in a real VM, built for each arch, and its whole output is known in
advance. Every test here runs once per arch (its `arch` argument).

The helpers here are shared with test_hostile.py and test_pagefault01.py."""
import functools
import os
import re
import subprocess

import pytest

from conftest import needs_kvm
from ltpkvm.host.x86 import i386_paging_works
from ltpkvm.kvm import KvmSystem

ARCHES = ("x86_64", "i386")
ON_EACH_ARCH = pytest.mark.parametrize("arch", ARCHES)

pytestmark = [needs_kvm, ON_EACH_ARCH]


@functools.cache
def i386_paged():
    """Whether this KVM runs i386 payloads with paging on, probed as the
    host does. kvm_pvm refuses paging outside 64-bit mode: there they run
    unpaged, with no page faults and no kvm_pagetable."""
    with KvmSystem() as system:
        return i386_paging_works(system)


def paged(arch):
    """Whether payloads of arch run with paging on."""
    return arch == "x86_64" or i386_paged()


def run_suite(ltpkvm, arch, *args, **kwargs):
    """`ltpkvm run --arch ARCH *args` of a test-suite payload."""
    return ltpkvm("run", "--arch", arch, *args, suite=True, **kwargs)


def counts(passed=0, failed=0, broken=0, skipped=0, warnings=0):
    """A Summary block as LtpRun.summary() returns it."""
    return {"passed": passed, "failed": failed, "broken": broken,
            "skipped": skipped, "warnings": warnings}


def results(run):
    """(file, TTYPE, message) of every result line; the line numbers are
    checked to be numbers and dropped (they depend on the compiler)."""
    found = run.results()
    assert all(line.isdigit() for _, line, _, _ in found), run.output
    return [(file, ttype, message) for file, _, ttype, message in found]


def assert_ltp_run(run, status, expected_results, summary):
    """The run printed exactly expected_results, one Summary block equal to
    summary, no Python traceback, and exited with status."""
    assert results(run) == expected_results, run.output
    assert run.output.splitlines().count("Summary:") == 1, run.output
    assert run.summary() == summary, run.output
    assert "Traceback" not in run.output, run.output
    assert run.status == status, run.output


def assert_broken(run, file, *keywords):
    """The run's only result is one TBROK whose file name ends with file
    (".py": any host file) and whose message holds every keyword; returns
    that message."""
    found = results(run)
    assert len(found) == 1, run.output
    result_file, ttype, message = found[0]
    assert result_file.endswith(file) and ttype == "TBROK", run.output
    for keyword in keywords:
        assert keyword in message, run.output
    assert_ltp_run(run, 2, found, counts(broken=1))
    return message


def pass_in(payload, message):
    return (payload + ".c", "TPASS", message)


def info_in(payload, message):
    return (payload + ".c", "TINFO", message)


# long and size_t: 64-bit on x86_64 (LP64), 32-bit on i386 (ILP32)
PRINTF_LONG = {
    "x86_64": ("long: -9223372036854775808 9223372036854775807 "
               "18446744073709551615 123456789abcdef0",
               "size_t: 16 18446744073709551615"),
    "i386": ("long: -2147483648 2147483647 4294967295 9abcdef0",
             "size_t: 16 4294967295"),
}


def printf_output(arch):
    long_line, size_t_line = PRINTF_LONG[arch]
    return [info_in("selftest_printf", message) for message in (
        "int: 0 -1 2147483647 -2147483648",
        "unsigned: 0 4294967295 deadbeef DEADBEEF",
        "width: [   42] [42   ] [00042] [-0042] [0000beef] [BEEF    ]",
        long_line,
        "long long: -9223372036854775808 18446744073709551615 "
        "fedcba9876543210 0000000000000abc",
        size_t_line,
        "pointer: 0x1000 (nil) [        0xfffff000]",
        "string: [hello] [     right] [left      ] [tru] [] [abc]",
        "snprintf: 10 [0123456]",
    )] + [pass_in("selftest_printf", "100% of the conversions formatted")]


def exceptions_output(paged):
    """selftest_exceptions: #PF is tested only with paging on."""
    payload = "selftest_exceptions"
    page_fault = (pass_in(payload, "#PF: vector 14 (Page fault), error code "
                          "0x2, CR2=0x80000000") if paged
                  else (payload + ".c", "TCONF", "#PF: paging is off"))
    return [
        pass_in(payload, "#UD: vector 6 (Illegal instruction error), "
                "error code 0x0"),
        pass_in(payload, "#DE: vector 0 (Division by zero), error code 0x0"),
        pass_in(payload, "#DB: vector 1 (Debug interrupt), error code 0x0"),
        page_fault,
        pass_in(payload, "#GP: vector 13 (General protection fault), "
                "error code 0x1238"),
    ]


YIELD = [info_in("selftest_yield", f"Round {n}: 1000 yields")
         for n in (1, 2, 3)] + [pass_in("selftest_yield",
                                        "Resumed after 3000 yields")]


def mixed(debug):
    """selftest_mixed_results: TDEBUG shows only with -D."""
    file = "selftest_mixed_results.c"
    return ([(file, "TPASS", "A pass"), (file, "TFAIL", "A failure"),
             (file, "TWARN", "A warning"), (file, "TCONF", "A skipped part")]
            + ([(file, "TDEBUG", "A debug message")] if debug else [])
            + [(file, "TINFO", "The end")])


# TFAIL | TWARN; the TCONF does not count beside a TPASS
MIXED_STATUS = 1 | 4
MIXED_COUNTS = counts(passed=1, failed=1, skipped=1, warnings=1)


# The same output on both arches
@pytest.mark.parametrize("args, status, expected, summary", [
    pytest.param(["selftest_heap"], 0, [pass_in(
        "selftest_heap", "7 heap blocks are aligned, disjoint and writable")],
        counts(passed=1), id="heap"),
    pytest.param(["selftest_yield"], 0, YIELD, counts(passed=1), id="yield"),
    pytest.param(["-i", "3", "selftest_yield"], 0, YIELD * 3,
                 counts(passed=3), id="yield-3-iterations"),
    pytest.param(["selftest_tconf"], 32, [
        info_in("selftest_tconf", "Checking for a feature"),
        ("selftest_tconf.c", "TCONF", "Feature X is not supported")],
        counts(skipped=1), id="tst_brk-tconf"),
    pytest.param(["selftest_mixed_results"], MIXED_STATUS, mixed(False),
                 MIXED_COUNTS, id="fail-warn"),
    pytest.param(["selftest_errno_flags"], 0, [
        pass_in("selftest_errno_flags", "Passed with TERRNO"),
        info_in("selftest_errno_flags", "Information with TTERRNO"),
        pass_in("selftest_errno_flags", "Passed with all three")],
        counts(passed=2), id="errno-flags-masked"),
    pytest.param(["selftest_noresult"], 2, [
        ("runner.py", "TBROK", "Test haven't reported results!")],
        counts(broken=1), id="no-result"),
])
def test_payload_output(ltpkvm, arch, args, status, expected, summary):
    assert_ltp_run(run_suite(ltpkvm, arch, *args), status, expected, summary)


def test_debug_shows_guest_tdebug(ltpkvm, arch):
    """-D: the guest's TDEBUG too, among the host's own TDEBUG lines."""
    run = run_suite(ltpkvm, arch, "-D", "selftest_mixed_results")
    found = results(run)
    assert [r for r in found if not r[0].endswith(".py")] == mixed(True), \
        run.output
    assert all(ttype == "TDEBUG" for file, ttype, _ in found
               if file.endswith(".py")), run.output
    assert_ltp_run(run, MIXED_STATUS, found, MIXED_COUNTS)


def test_printf(ltpkvm, arch):
    assert_ltp_run(run_suite(ltpkvm, arch, "selftest_printf"), 0,
                   printf_output(arch), counts(passed=1))


def test_exceptions(ltpkvm, arch):
    paging = paged(arch)
    assert_ltp_run(run_suite(ltpkvm, arch, "selftest_exceptions"), 0,
                   exceptions_output(paging), counts(passed=5) if paging
                   else counts(passed=4, skipped=1))


def symbol_range(elf, name):
    """[start, end) of a function in a payload ELF."""
    table = subprocess.run(["nm", "-S", elf], check=True, text=True,
                           capture_output=True).stdout
    for line in table.splitlines():
        fields = line.split()
        if len(fields) == 4 and fields[3] == name:
            start, size = int(fields[0], 16), int(fields[1], 16)
            return start, start + size
    raise LookupError(f"{name} not in {elf}")


def test_unhandled_page_fault(ltpkvm, arch, build_dir):
    """One library TBROK naming the fault and a RIP in main(); without
    paging the payload reports TCONF (no page faults)."""
    run = run_suite(ltpkvm, arch, "selftest_unhandled_pf")
    if not paged(arch):
        assert_ltp_run(run, 32, [("selftest_unhandled_pf.c", "TCONF",
                                  "Paging is off: no page faults")],
                       counts(skipped=1))
        return
    message = assert_broken(run, "lib_x86.c", "Page fault", "error code 0x",
                            "RIP=0x", "CR2=0x80000000")
    match = re.fullmatch(r"Unhandled interrupt 14 \(Page fault\), error code "
                         r"0x2, RIP=0x([0-9a-f]+), CPL 0, CR2=0x80000000",
                         message)
    assert match, message
    start, end = symbol_range(os.path.join(
        build_dir, "tests", arch, "selftest_unhandled_pf.elf"), "main")
    assert start <= int(match.group(1), 16) < end, message


def test_pagetable(ltpkvm, arch):
    """kvm_pagetable is the page table CR3 holds; where i386 runs unpaged,
    touching it is the host's TCONF."""
    run = run_suite(ltpkvm, arch, "selftest_pagetable")
    if paged(arch):
        assert_ltp_run(run, 0, [pass_in(
            "selftest_pagetable", "CR3 points at kvm_pagetable, whose first "
            "entry is present")], counts(passed=1))
    else:
        assert_ltp_run(run, 32, [("runloop.py", "TCONF", "This test needs "
                                  "paging, which this KVM does not support "
                                  "outside 64-bit mode")], counts(skipped=1))
