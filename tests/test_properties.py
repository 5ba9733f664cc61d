# SPDX-License-Identifier: GPL-2.0-or-later
"""Property tests of what stands between a hostile guest and the LTP output:
decode_result() and printable() (ltpkvm.host.results) and the Reporter.

Whatever the guest writes, decoding gives a valid result with bounded
one-line text, or a TBROK; a page written as the guest library writes it
decodes to what was written; whatever the messages, the reporter prints
one result line each and one Summary block. Each property runs 5,000
examples (the issue's minimum for CI)."""
import io
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ltpkvm.host.errors import AbortTest
from ltpkvm.host.guest_abi import (KVM_RESULT_MESSAGE_OFFSET,
                                   KVM_RESULT_MESSAGE_SIZE, KVM_RESULT_SIZE,
                                   KVM_TEXIT, KVM_TNONE, KVM_TSYNC, TBROK,
                                   TCONF, TDEBUG, TFAIL, TPASS, TTYPE_NAMES,
                                   TWARN)
from ltpkvm.host.results import (MAX_FILE_NAME, VALID_RESULTS, decode_result,
                                 printable, printable_text)
from ltpkvm.ltp.reporter import Reporter

EXAMPLES = settings(max_examples=5000, deadline=None)

# Escaping turns one byte into at most 4 characters (\xNN)
MAX_MESSAGE_CHARS = 4 * KVM_RESULT_MESSAGE_SIZE
MAX_FILE_CHARS = 4 * MAX_FILE_NAME
LINE_BREAKS = "\u2028\u2029"
INT32 = st.integers(-2**31, 2**31 - 1)
UINT64 = st.integers(0, 2**64 - 1)

# What a guest would try: fragments that forge lines, colours, a Summary
FORGERIES = ("\nSummary:\n", "Summary:", "\r", "\x1b[1;32m", "\x85", "\x00",
             "\u2028", "\u2029", "\u202e", "\u00a0", "\ufeff", "\udcff",
             "\\x0a", "\U000e0001", "\U0010ffff")


def hostile_text(max_size):
    """Any str (lone surrogates too), or one with a FORGERIES fragment."""
    half = st.text(max_size=max_size // 2)
    return st.one_of(st.text(max_size=max_size),
                     st.builds("{}{}{}".format, half,
                               st.sampled_from(FORGERIES), half))


def hostile_bytes(max_size):
    """Any bytes: random ones, or hostile text as UTF-8 (surrogates
    encoded, which makes invalid UTF-8)."""
    return st.one_of(
        st.binary(max_size=max_size),
        hostile_text(max_size // 4).map(
            lambda text: text.encode("utf-8", "surrogatepass")[:max_size]))


# With TERRNO, TTERRNO and TRERRNO, which the host masks as LTP does
RESULT_VALUES = st.one_of(
    st.sampled_from(sorted(VALID_RESULTS) + [KVM_TNONE, KVM_TSYNC,
                                             KVM_TEXIT]),
    st.builds(lambda value, flags: value | flags,
              st.sampled_from(sorted(VALID_RESULTS)),
              st.sampled_from([0x100, 0x200, 0x400, 0x700])),
    INT32)
PAGE_TYPES = st.sampled_from([bytes, bytearray, memoryview])


def repeat_to(data, size):
    """data repeated to size bytes (0xaa when there is no data)."""
    data = data or b"\xaa"
    return (data * (size // len(data) + 1))[:size]


MESSAGE_BYTES = hostile_bytes(600)
FILLERS = st.binary(min_size=1, max_size=8)


@st.composite
def result_pages(draw):
    """Any 4 KiB result page: its header, then a message area that starts
    with drawn bytes and goes on with a repeated filler, which may hold a
    NUL or not (an unterminated message)."""
    header = struct.pack("<iiQ", draw(RESULT_VALUES), draw(INT32),
                         draw(UINT64))
    body = draw(MESSAGE_BYTES)
    filler = repeat_to(draw(FILLERS), KVM_RESULT_MESSAGE_SIZE)
    area = (body + filler)[:KVM_RESULT_MESSAGE_SIZE]
    return draw(PAGE_TYPES)(header + area)


# What read_guest_string() may answer: nothing, or at most limit bytes
FILE_NAMES = st.one_of(st.none(), hostile_bytes(MAX_FILE_NAME + 8))


class GuestStrings:
    """A read_guest_string() that answers name whatever is asked, and
    remembers what it was asked."""

    def __init__(self, name):
        self.name = name
        self.asked = []

    def __call__(self, addr, limit):
        self.asked.append((addr, limit))
        return None if self.name is None else self.name[:limit]


def assert_one_line(text):
    """text is a str that cannot break or recolour an output line: no C0
    or C1 control, DEL, Unicode line or paragraph separator."""
    assert isinstance(text, str)
    assert not any(ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f
                   or c in LINE_BREAKS for c in text), ascii(text)
    assert len(text.splitlines()) <= 1, ascii(text)


def assert_printable(text):
    """The brief's definition: str.isprintable(), and one line."""
    assert_one_line(text)
    assert text.isprintable(), ascii(text)


def decode(page, read_guest_string):
    """decode_result(): a result, or None for a TBROK (the only exception
    allowed), whose message must be one bounded line."""
    try:
        return decode_result(page, read_guest_string)
    except AbortTest as exc:
        assert exc.ttype == TBROK, exc.message
        assert_one_line(exc.message)
        assert len(exc.message) <= MAX_MESSAGE_CHARS + 200
        return None


@EXAMPLES
@given(page=result_pages(), name=FILE_NAMES)
def test_decode_result_is_a_valid_bounded_result_or_tbrok(page, name):
    guest_strings = GuestStrings(name)
    decoded = decode(page, guest_strings)
    value, line, file_addr = struct.unpack_from("<iiQ", page)
    # The file name is read at most once, where the guest said, bounded
    assert guest_strings.asked in ([], [(file_addr, MAX_FILE_NAME + 1)])
    if decoded is None:
        return
    ttype, file, lineno, message = decoded
    assert ttype == value & 0x3f and ttype in VALID_RESULTS
    assert lineno == line
    assert_one_line(file)
    assert_one_line(message)
    assert 0 < len(file) <= MAX_FILE_CHARS
    assert len(message) <= MAX_MESSAGE_CHARS


@EXAMPLES
@given(page=result_pages(), name=FILE_NAMES)
def test_decode_result_text_is_printable(page, name):
    decoded = decode(page, GuestStrings(name))
    if decoded is not None:
        assert_printable(decoded[1])
        assert_printable(decoded[3])


@EXAMPLES
@given(raw=hostile_bytes(4 * KVM_RESULT_SIZE))
def test_printable_is_one_bounded_line(raw):
    text = printable(raw)
    assert_one_line(text)
    assert len(text) <= 4 * len(raw)


@EXAMPLES
@given(raw=hostile_bytes(4 * KVM_RESULT_SIZE))
def test_printable_is_printable(raw):
    assert_printable(printable(raw))


# Text that printable() must leave alone: printable characters only
PRINTABLE_CHARS = st.characters(exclude_categories=(
    "Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"), include_characters=" ")


def fits(size, min_size=0):
    """Printable text whose UTF-8 is shorter than size (room for a NUL),
    long ones included."""
    return st.one_of(
        st.text(PRINTABLE_CHARS, min_size=min_size, max_size=size // 4 - 1),
        st.integers(min_size, size - 1).map("x".__mul__))


@EXAMPLES
@given(ttype=st.sampled_from(sorted(VALID_RESULTS)), lineno=INT32,
       message=fits(KVM_RESULT_MESSAGE_SIZE),
       file=fits(MAX_FILE_NAME, min_size=1),   # "" is no file name
       leftover=st.binary(max_size=64), file_offset=st.integers(0, 4096),
       page_type=PAGE_TYPES)
def test_result_written_as_the_guest_library_does_round_trips(
        ttype, lineno, message, file, leftover, file_offset, page_type):
    """post_result(): lineno, file_addr, the NUL-terminated message, then
    the result; the rest of the page keeps what an earlier result left."""
    base = 0x2000
    memory = bytes(file_offset) + file.encode() + b"\0" + leftover
    file_addr = base + file_offset

    def read_guest_string(addr, limit):
        if addr < base:
            return None
        chunk = memory[addr - base:addr - base + limit]
        end = chunk.find(b"\0")
        return chunk if end < 0 and len(chunk) == limit else \
            None if end < 0 else chunk[:end]

    page = bytearray(repeat_to(leftover, KVM_RESULT_SIZE))
    struct.pack_into("<iiQ", page, 0, ttype, lineno, file_addr)
    raw = message.encode() + b"\0"
    page[KVM_RESULT_MESSAGE_OFFSET:KVM_RESULT_MESSAGE_OFFSET + len(raw)] = raw
    # Printable text comes back as it was (but a "Summary:" at its end)
    assert decode_result(page_type(bytes(page)), read_guest_string) == (
        ttype, printable_text(file), lineno, printable_text(message))


# Reporter: any file, line, type and message, as host code may pass them;
# the types are every result type (0-32) and values that are none
TTYPES = st.lists(st.integers(-1, 2 * max(TTYPE_NAMES)), max_size=8)
FILE_TEXT, MESSAGE_TEXT = hostile_text(16), hostile_text(64)


@st.composite
def reported(draw):
    """Up to 8 results of any types, with any file, line and message (the
    same for each result: the reporter handles each alone)."""
    file, lineno, message = (draw(FILE_TEXT), draw(st.integers()),
                             draw(MESSAGE_TEXT))
    return [(file, lineno, ttype, message) for ttype in draw(TTYPES)]


REPORTED = reported()
COUNTED = (TPASS, TFAIL, TBROK, TCONF, TWARN)   # Reporter.counts() order


@pytest.fixture(scope="module", autouse=True)
def plain_output():
    """Results as LTP prints them without a terminal: no colour."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LTP_COLORIZE_OUTPUT", "n")
        patch.delenv("LTP_REPRODUCIBLE_OUTPUT", raising=False)
        yield


def report(results):
    """What a Reporter prints for results, then its Summary block."""
    reporter = Reporter(stream=io.StringIO())
    for file, lineno, ttype, message in results:
        reporter.result(file, lineno, ttype, message)
    reporter.summary()
    return reporter, reporter.stream.getvalue()


@EXAMPLES
@given(results=REPORTED)
def test_reporter_counts_every_result_and_ends_with_the_summary(results):
    reporter, output = report(results)
    counts = [sum(1 for r in results if r[2] == ttype) for ttype in COUNTED]
    assert list(reporter.counts()) == counts
    assert output.endswith("\nSummary:\n" + "".join(
        f"{name:<8} {count}\n" for name, count in zip(
            ("passed", "failed", "broken", "skipped", "warnings"), counts)))


@EXAMPLES
@given(results=REPORTED)
def test_reporter_prints_one_line_per_result_and_one_summary(results):
    _, output = report(results)
    shown = sum(1 for r in results if r[2] != TDEBUG)
    lines = output.split("\n")
    assert lines.count("Summary:") == 1
    assert output.splitlines().count("Summary:") == 1
    for line in lines[:shown]:
        assert_printable(line)
    assert lines[shown:shown + 2] == ["", "Summary:"]
