# SPDX-License-Identifier: GPL-2.0-or-later
"""Hostile guests (tests/payloads/hostile_*.c): whatever a guest does to the
result page or the VM, the host ends with a clear result, one Summary block
and LTP's exit status, never a Python traceback; on both arches."""
import time

import pytest

from conftest import needs_kvm
from test_guest_library import (ON_EACH_ARCH, assert_broken, assert_ltp_run,
                                counts, results, run_suite)

pytestmark = [needs_kvm, ON_EACH_ARCH]

# LTP's default test timeout, LTP_TIMEOUT_MUL being at least 1
LTP_TIMEOUT = 30
STARTUP_S = 0.5   # interpreter start and imports, generously

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
    "hostile_triple_fault": ["Unexpected VM exit", "KVM_EXIT_SHUTDOWN (8)",
                             "triple fault"],
    "hostile_port_io": ["Unexpected VM exit", "KVM_EXIT_IO (2)",
                        "out port 0x80"],
    "hostile_mmio": ["Unexpected VM exit", "KVM_EXIT_MMIO (6)",
                     "write at 0x7ff00000"],
}


def assert_bounded_tbrok(run, *keywords):
    """The run is one host TBROK holding every keyword; nothing of the
    guest's is shown unbounded (the result page is 4 KiB)."""
    message = assert_broken(run, ".py", *keywords)
    assert len(message) < 200, message


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
        ("forged.c" + FORGED_SUMMARY, "TPASS", "Forged file name"),
    ], counts(passed=2))


def test_unicode_line_breaks_are_escaped(ltpkvm, arch):
    run = run_suite(ltpkvm, arch, "hostile_unicode_newlines")
    assert not any(0x80 <= ord(c) <= 0x9f or c in "\u2028\u2029"
                   for c in run.output), ascii(run.output)
    assert [result[:2] for result in results(run)] == [
        ("hostile_unicode_newlines.c", "TPASS")], run.output
    assert_ltp_run(run, 0, results(run), counts(passed=1))


def test_spinning_guest_times_out(ltpkvm, arch):
    # LTP_TIMEOUT_MUL scales LTP's 30 s default down to 1.5 s
    started = time.monotonic()
    run = run_suite(ltpkvm, arch, "hostile_spin",
                    env={"LTP_TIMEOUT_MUL": "0.05"}, timeout=LTP_TIMEOUT)
    elapsed = time.monotonic() - started
    message = assert_broken(run, "runner.py")
    assert message == "Test timed out after 1.5 s", message
    assert 1.5 <= elapsed < 2.5 + STARTUP_S, elapsed
