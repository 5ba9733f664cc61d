# SPDX-License-Identifier: GPL-2.0-or-later
"""Hostile guests (tests/payloads/hostile_*.c) and hostile payload files:
whatever a guest does to the result page or the VM, whatever file stands
where a payload should, the host ends with the right result and a clear
message, one Summary block and LTP's exit status, never a Python traceback,
and gives back every fd, thread and mapping; on both arches."""
import collections
import glob
import io
import os
import random
import re
import time

import pytest

from conftest import REPO, needs_kvm
from ltpkvm.host.guest_abi import (MIN_FREE_RAM, VM_KERNEL_BASEADDR,
                                   kvm_boot_header)
from ltpkvm.host.payload import Payload
from ltpkvm.ltp.definitions import TestDefinition
from ltpkvm.ltp.reporter import Reporter
from ltpkvm.ltp.runner import run_test
from test_guest_library import (ON_EACH_ARCH, assert_broken, assert_ltp_run,
                                counts, pass_in, results, run_suite,
                                symbol_range)
from test_soak import process_resources

pytestmark = [needs_kvm, ON_EACH_ARCH]

# LTP's default test timeout, LTP_TIMEOUT_MUL being at least 1
LTP_TIMEOUT = 30
STARTUP_S = 0.5   # interpreter start and imports, generously
MIB = 1024 * 1024

# What a hostile guest forges, as the host must print it: escaped
FORGED_SUMMARY = (r"\nSummary:\npassed   99\nfailed   0\nbroken   0"
                  r"\nskipped  0\nwarnings 0\n")

# Where hostile_file_addr_unmapped points: beyond 4 GiB only on x86_64
UNMAPPED_ADDR = {"x86_64": "0x100000000000", "i386": "0x80000000"}

# What the TBROK of each hostile guest must say, on both arches
BROKEN = {
    "hostile_bad_result": ["invalid result value 4660"],
    "hostile_unterminated": ["message is not NUL-terminated"],
    "hostile_file_addr_mmio": ["invalid file name pointer 0x7fff0000"],
    # One byte left before the end of guest memory, and it is no NUL
    "hostile_file_addr_end": ["invalid file name pointer 0xffffffff"],
    "hostile_triple_fault": ["Unexpected VM exit", "KVM_EXIT_SHUTDOWN (8)",
                             "triple fault"],
    "hostile_port_io": ["Unexpected VM exit", "KVM_EXIT_IO (2)",
                        "out port 0x80, 1 byte(s)"],
    "hostile_port_io_in": ["Unexpected VM exit", "KVM_EXIT_IO (2)",
                           "in port 0x5a5, 4 byte(s)"],
    "hostile_mmio": ["Unexpected VM exit", "KVM_EXIT_MMIO (6)",
                     "write at 0x7ff00000, 4 byte(s)"],
    "hostile_mmio_read": ["Unexpected VM exit", "KVM_EXIT_MMIO (6)",
                          "read at 0x12345678, 4 byte(s)"],
}


def assert_bounded_tbrok(run, *keywords):
    """The run is one host TBROK holding every keyword; nothing of the
    guest's is shown unbounded (the result page is 4 KiB)."""
    message = assert_broken(run, ".py", *keywords)
    assert len(message) < 200, message


def assert_ends_as_ltp(run, status, summary):
    """One Summary block equal to summary, no traceback, status."""
    assert run.output.splitlines().count("Summary:") == 1, run.output
    assert run.summary() == summary, run.output
    assert "Traceback" not in run.output, run.output
    assert run.status == status, run.output


@pytest.mark.parametrize("payload", BROKEN)
def test_hostile_guest_is_broken(ltpkvm, arch, payload):
    assert_bounded_tbrok(run_suite(ltpkvm, arch, payload), *BROKEN[payload])


def test_file_name_pointer_to_unmapped_memory(ltpkvm, arch):
    assert_bounded_tbrok(run_suite(ltpkvm, arch, "hostile_file_addr_unmapped"),
                         "invalid file name pointer " + UNMAPPED_ADDR[arch])


def test_forged_summary_is_escaped(ltpkvm, arch):
    run = run_suite(ltpkvm, arch, "hostile_forged_summary")
    assert_ltp_run(run, 0, [
        ("hostile_forged_summary.c", "TPASS",
         "Forged message" + FORGED_SUMMARY + r"\r\t\x1b[1;32m\x7f"),
        # A file name has no ':' but the one that ends it
        ("forged.c" + FORGED_SUMMARY.replace(":", r"\x3a"), "TPASS",
         "Forged file name"),
    ], counts(passed=2))


def test_unicode_line_breaks_are_escaped(ltpkvm, arch):
    run = run_suite(ltpkvm, arch, "hostile_unicode_newlines")
    assert not any(0x80 <= ord(c) <= 0x9f or c in "\u2028\u2029"
                   for c in run.output), ascii(run.output)
    assert [result[:2] for result in results(run)] == [
        ("hostile_unicode_newlines.c", "TPASS")], run.output
    assert_ltp_run(run, 0, results(run), counts(passed=1))


def test_line_numbers_are_shown_as_the_guest_sent_them(ltpkvm, arch):
    run = run_suite(ltpkvm, arch, "hostile_lineno")
    assert run.results() == [
        ("hostile_lineno.c", "-2147483648", "TINFO", "Line INT_MIN"),
        ("hostile_lineno.c", "-1", "TINFO", "Line -1"),
        ("hostile_lineno.c", "0", "TINFO", "Line 0"),
        ("hostile_lineno.c", "2147483647", "TPASS", "Line INT_MAX"),
    ], run.output
    assert_ends_as_ltp(run, 0, counts(passed=1))


def test_signal_without_a_waiting_host_is_ignored(ltpkvm, arch):
    assert_ltp_run(run_suite(ltpkvm, arch, "hostile_signal_no_waiter"), 0, [
        pass_in("hostile_signal_no_waiter",
                "Guest went on after signalling a host that does not wait")],
        counts(passed=1))


@pytest.mark.parametrize("payload", [
    "hostile_spin",             # never exits
    "hostile_hlt_loop",         # exits forever, without a result
    "hostile_wait_no_waiter",   # tst_wait_host() with no host to release it
])
def test_guest_that_never_ends_times_out(ltpkvm, arch, payload):
    # LTP_TIMEOUT_MUL scales LTP's 30 s default down to 1.5 s
    started = time.monotonic()
    run = run_suite(ltpkvm, arch, payload, env={"LTP_TIMEOUT_MUL": "0.05"},
                    timeout=LTP_TIMEOUT)
    elapsed = time.monotonic() - started
    message = assert_broken(run, "runner.py")
    assert message == "Test timed out after 1.5 s", message
    assert 1.5 <= elapsed < 2.5 + STARTUP_S, elapsed


def test_fault_through_a_missing_gate_is_a_double_fault(ltpkvm, arch):
    """#PF (paged) or #DE whose gate is not present: #NP on delivery, then
    #DF, which the library's default handler reports."""
    assert_broken(run_suite(ltpkvm, arch, "hostile_double_fault"),
                  "lib_x86.c", "Unhandled interrupt 8 (Double fault), "
                  "error code 0x0, RIP=0x")


def test_exception_in_an_exception_callback_is_broken(ltpkvm, arch,
                                                      build_dir):
    """The #UD callback raises #UD: the nested one goes to the default
    handler (or the nesting guard), not back to the callback forever."""
    run = run_suite(ltpkvm, arch, "hostile_nested_exception",
                    env={"LTP_TIMEOUT_MUL": "0.1"})
    message = assert_broken(run, "lib_x86.c")
    if message != "Nested exceptions while handling an exception":
        match = re.fullmatch(r"Unhandled interrupt 6 \(Illegal instruction "
                             r"error\), error code 0x0, RIP=0x([0-9a-f]+), "
                             r"CPL 0",
                             message)
        assert match, message
        start, end = symbol_range(os.path.join(
            build_dir, "tests", arch, "hostile_nested_exception.elf"),
            "fault_again")
        assert start <= int(match.group(1), 16) < end, message


def test_stack_overflow_is_broken(ltpkvm, arch):
    """Unbounded recursion tramples the page tables and the payload below
    the stack; however the guest dies (triple fault, emulation failure,
    exception, timeout), it is one TBROK, quickly."""
    started = time.monotonic()
    run = run_suite(ltpkvm, arch, "hostile_stack_overflow",
                    env={"LTP_TIMEOUT_MUL": "0.1"}, timeout=LTP_TIMEOUT)
    assert_broken(run, "")
    assert time.monotonic() - started < 10


FLOOD = 100_000


def test_flood_of_results_is_relayed_in_full(ltpkvm, arch):
    """hostile_flood numbers its TINFO results by their line numbers."""
    run = run_suite(ltpkvm, arch, "hostile_flood")
    found = run.results()
    infos = [result for result in found if result[2] == "TINFO"]
    assert len(infos) == FLOOD, run.output[-500:]
    wrong = next((result for line, result in enumerate(infos)
                  if result != ("hostile_flood.c", str(line), "TINFO",
                                "Flood")), None)
    assert wrong is None, wrong
    assert [result[2:] for result in found[FLOOD:]] == [
        ("TPASS", f"Sent {FLOOD} results")], run.output[-500:]
    assert_ends_as_ltp(run, 0, counts(passed=1))


def test_payload_larger_than_ram_grows_ram_with_a_warning(ltpkvm, arch,
                                                          build_dir):
    """A 64 MiB .bss: RAM grows to hold it and MIN_FREE_RAM, as LTP's
    host library does it (TWARN, so exit status 4), and the test runs."""
    size = Payload(os.path.join(build_dir, "tests", arch,
                                "hostile_big_bss.bin")).size
    assert size > 64 * MIB
    ram = -(-(size + MIN_FREE_RAM + VM_KERNEL_BASEADDR) // MIB) * MIB
    assert_ltp_run(run_suite(ltpkvm, arch, "hostile_big_bss"), 4, [
        ("instance.py", "TWARN", f"RAM size increased to {ram} bytes"),
        pass_in("hostile_big_bss", "The last byte of a 64 MiB .bss is RAM")],
        counts(passed=1, warnings=1))


def test_payload_past_the_result_page_does_not_fit(ltpkvm, arch):
    assert_bounded_tbrok(run_suite(ltpkvm, arch, "hostile_huge_bss"),
                         "does not fit")


# Payload files that are not what they should be, made from the built
# selftest_hello of the arch: its image, its ELF, the other arch's image.
Built = collections.namedtuple("Built", "image elf other_arch_image")


def header_with(**fields):
    """The image with boot header fields replaced."""
    def damage(built):
        header = kvm_boot_header.from_buffer_copy(built.image)
        for name, value in fields.items():
            setattr(header, name, value)
        return bytes(header) + built.image[len(bytes(header)):]
    return damage


MISSING, DIRECTORY = "missing", "directory"
BAD_PAYLOADS = [
    pytest.param(MISSING, ["Cannot read payload", "No such file or directory"],
                 id="missing"),
    pytest.param(DIRECTORY, ["is not a regular file"], id="directory"),
    pytest.param(lambda built: b"", ["is truncated (0 bytes)"], id="empty"),
    pytest.param(lambda built: built.image[:10], ["is truncated (10 bytes)"],
                 id="truncated"),
    pytest.param(lambda built: random.Random(7).randbytes(len(built.image)),
                 ["is not an ltpkvm payload (no boot header)"],
                 id="random-bytes"),
    pytest.param(lambda built: built.elf,
                 ["is not an ltpkvm payload (no boot header)"], id="elf"),
    pytest.param(header_with(abi_version=99), ["uses boot ABI 99",
                                               "rebuild it"], id="newer-abi"),
    pytest.param(header_with(arch=7), ["has unknown arch 7"],
                 id="unknown-arch"),
    pytest.param(header_with(entry=0xfffff000),
                 ["has an inconsistent boot header"], id="entry-outside"),
    pytest.param(lambda built: built.other_arch_image, ["is built for"],
                 id="other-arch"),
]


def bad_payload(folder, build_dir, arch, kind):
    """folder/<arch>/kvm_bad.bin made bad as kind says; its path."""
    os.mkdir(os.path.join(folder, arch))
    path = os.path.join(folder, arch, "kvm_bad.bin")
    if kind == MISSING:
        os.symlink(os.path.join(folder, "nowhere.bin"), path)
    elif kind == DIRECTORY:
        os.mkdir(path)
    else:
        def read(arch, suffix):
            with open(os.path.join(build_dir, "tests", arch,
                                   "selftest_hello." + suffix), "rb") as f:
                return f.read()
        other_arch = "i386" if arch == "x86_64" else "x86_64"
        with open(path, "wb") as f:
            f.write(kind(Built(read(arch, "bin"), read(arch, "elf"),
                               read(other_arch, "bin"))))
    return path


@pytest.mark.parametrize("kind, keywords", BAD_PAYLOADS)
def test_bad_payload_file_is_broken(ltpkvm, arch, build_dir, tmp_path, kind,
                                    keywords):
    path = bad_payload(str(tmp_path), build_dir, arch, kind)
    run = ltpkvm("run", "--arch", arch, "kvm_bad",
                 env={"LTPKVM_PAYLOAD_DIR": str(tmp_path)})
    assert_broken(run, ".py", path, *keywords)


# Every hostile payload, in-process: whatever ends it, the process gets
# back its fds, threads and VM mappings (the CLI tests above cannot see
# that: their process exits).
HOSTILE = sorted(os.path.basename(path)[:-2] for path in glob.glob(
    os.path.join(REPO, "tests", "payloads", "hostile_*.c")))


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_guest_leaves_nothing_behind(build_dir, monkeypatch, arch,
                                             payload):
    monkeypatch.setenv("LTP_TIMEOUT_MUL", "0.01")   # 0.3 s for the spinners
    before = process_resources()
    out = io.StringIO()
    run_test(TestDefinition(payload),
             os.path.join(build_dir, "tests", arch, payload + ".bin"), arch,
             Reporter(stream=out))
    assert process_resources() == before
    output = out.getvalue()
    assert output.split("\n").count("Summary:") == 1, output
    assert "Traceback" not in output, output
