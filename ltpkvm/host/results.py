# SPDX-License-Identifier: GPL-2.0-or-later
"""Decoding the result page. The guest writes it and may be hostile: every
field is checked, text is bounded and made printable, and a bad page is
described, never trusted."""
import struct

from .errors import tst_brk
from .guest_abi import (KVM_RESULT_MESSAGE_OFFSET, KVM_TNONE, TBROK, TCONF,
                        TDEBUG, TFAIL, TINFO, TPASS, TTYPE_MASK, TWARN)

# LTP's, and TDEBUG (shown with -D), which LTP's host would refuse
VALID_RESULTS = frozenset((TPASS, TFAIL, TBROK, TWARN, TDEBUG, TINFO, TCONF))
MAX_FILE_NAME = 256
SUMMARY_START = "Summary:"

# Control characters and line breaks (which could forge a Summary block)
# and the bytes that are not UTF-8 are shown escaped.
_ESCAPES = {i: f"\\x{i:02x}" for i in (*range(0x20), *range(0x7f, 0xa0))}
_ESCAPES.update({ord("\t"): "\\t", ord("\n"): "\\n", ord("\r"): "\\r",
                 0x2028: "\\u2028", 0x2029: "\\u2029"})


def _escape(char):
    code = ord(char)
    if code in _ESCAPES:
        return _ESCAPES[code]
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def printable_text(text):
    """str -> a printable one-line str: every character that
    str.isprintable() refuses (controls, line and paragraph separators,
    format characters such as the bidi overrides, private-use and
    unassigned code points, lone surrogates) is shown escaped. A text that
    ends a line must not end in the "Summary:" that starts the block kirk
    reads: its colon is shown escaped too."""
    if not text.isprintable():
        text = "".join(c if c.isprintable() else _escape(c) for c in text)
    if text.endswith(SUMMARY_START):
        text = text[:-1] + "\\x3a"
    return text


def printable(raw):
    """bytes -> a printable one-line str; bytes that are not UTF-8 are
    shown escaped too."""
    return printable_text(raw.decode("utf-8", "backslashreplace"))


def result_type(value):
    """TTYPE_RESULT(): the result type of value, without the TERRNO,
    TTERRNO and TRERRNO flags (which LTP masks the same way)."""
    return value & TTYPE_MASK


def is_valid_result(value):
    """Can value go to tst_res()/tst_brk()?"""
    return result_type(value) in VALID_RESULTS


def validate_result(value):
    """tst_kvm_validate_result(): TBROK unless value's result type is a
    reportable one."""
    if value == KVM_TNONE:
        tst_brk(TBROK, "KVM test did not return any result")
    if not is_valid_result(value):
        tst_brk(TBROK, f"KVM test returned invalid result value {value}")


def read_c_string(view, offset, limit):
    """The NUL-terminated bytes at view[offset:], at most limit long; None if
    no NUL comes within limit bytes or before the end of view."""
    chunk = bytes(view[offset:offset + limit])
    end = chunk.find(b"\0")
    return None if end < 0 else chunk[:end]


def decode_result(page, read_guest_string):
    """One guest result from the result page (bytes-like) as
    (ttype, file, lineno, message), all printable and bounded; TBROK
    (AbortTest) for anything a correct guest does not write.
    read_guest_string(addr, limit) reads a NUL-terminated string from guest
    memory: its first limit bytes when it is longer, None when there is
    none."""
    value, lineno, file_addr = struct.unpack_from("<iiQ", page)
    validate_result(value)
    raw = read_c_string(page, KVM_RESULT_MESSAGE_OFFSET, len(page))
    if raw is None:
        tst_brk(TBROK, "Guest result message is not NUL-terminated within "
                "the result page: " + printable(bytes(page[
                    KVM_RESULT_MESSAGE_OFFSET:KVM_RESULT_MESSAGE_OFFSET + 64]))
                + "...")
    message = printable(raw)
    name = read_guest_string(file_addr, MAX_FILE_NAME + 1)
    if not name:
        tst_brk(TBROK, f"Guest result has an invalid file name pointer "
                f"0x{file_addr:x} (result {value}, line {lineno}, "
                f"message: {message})")
    if len(name) > MAX_FILE_NAME:
        tst_brk(TBROK, f"Guest result file name is longer than "
                f"{MAX_FILE_NAME} bytes: {printable(name[:64])}... (result "
                f"{value}, line {lineno}, message: {message})")
    return result_type(value), printable(name), lineno, message
