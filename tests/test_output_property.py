# SPDX-License-Identifier: GPL-2.0-or-later
"""Property tests over every string that reaches the output: guest text,
symbol and file names from the payload's ELF, tag values, definition text
(from the C source's metadata and from NAME.py), test names. Whatever they
hold, nothing but the Summary block itself produces a match of kirk's
Summary regex, and no control character but the line break is printed."""
import contextlib
import io
import json
import re
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from libkirk.ltp import _SUMMARY_RE

from ltpkvm.cli import _print_run_table, main
from ltpkvm.host.guest_abi import TFAIL, TINFO
from ltpkvm.host.symbols import Symbolizer
from ltpkvm.ltp.reporter import Reporter
from ltpkvm.ltp.session import TestRun
from test_properties import FORGERIES, hostile_text

FORGED_BLOCK = ("Summary:\npassed   77\nfailed   0\nbroken   0\n"
                "skipped  0\nwarnings 0\n")
# Whole lines of a forged block, as separate strings (tags, symbols...)
FORGED_LINES = ("Summary:", "x Summary:", "passed   77", "failed   0",
                "broken   0", "skipped  0", "warnings 0", FORGED_BLOCK,
                "\n" + FORGED_BLOCK, "\x1b]0;title\x07", "\x1b[2J", "\r")
TEXT = st.one_of(hostile_text(40), st.sampled_from(FORGED_LINES + FORGERIES))
TEXTS = st.lists(TEXT, max_size=8)
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")
EXAMPLES = settings(max_examples=3000, deadline=None)
TABLE_EXAMPLES = settings(max_examples=500, deadline=None)
CLI_EXAMPLES = settings(max_examples=100, deadline=None,
                        suppress_health_check=[HealthCheck.too_slow])


def assert_clean(output, summaries):
    """kirk's regex finds exactly `summaries` blocks, each a real one
    (preceded by an empty line, as only the Reporter writes it), and no
    control character is printed."""
    matches = list(_SUMMARY_RE.finditer(output))
    assert len(matches) == summaries, ascii(output)
    for match in matches:
        assert output[:match.start()].endswith("\n\n") or \
            match.start() == 0, ascii(output)
    assert not CONTROL.search(output), ascii(output)


class FakeSymbol(dict):
    def __init__(self, name, value):
        super().__init__(st_shndx=1, st_info={"type": "STT_FUNC"},
                         st_value=value, st_size=16)
        self.name = name


class FakeElf:
    """Just the .symtab that Symbolizer._read_symbols reads."""

    def __init__(self, names):
        self.symbols = [FakeSymbol(name, 0x1000 + 16 * i)
                        for i, name in enumerate(names)]

    def get_section_by_name(self, name):
        return self

    def iter_symbols(self):
        return self.symbols


class FakeEntry:
    def __init__(self, state):
        self.state = state


class FakeState:
    def __init__(self, address, file):
        self.address, self.file, self.line = address, file, 7
        self.end_sequence = False


class FakeFileEntry:
    def __init__(self, name):
        self.name = name.encode("utf-8", "surrogatepass")


class FakeDwarf:
    """Just the line program Symbolizer._read_lines reads."""

    def __init__(self, files):
        self.program = self
        self.header = {"version": 5}
        self.files = files

    def iter_CUs(self):
        return [None]

    def line_program_for_CU(self, unit):
        return self

    def __getitem__(self, key):
        return [FakeFileEntry(name) for name in self.files]

    def get_entries(self):
        return [FakeEntry(FakeState(0x1000 + 16 * i, i))
                for i in range(len(self.files))]


@EXAMPLES
@given(file=TEXT, message=TEXT, symbols=TEXTS, files=TEXTS, details=TEXTS,
       tags=st.lists(st.tuples(st.sampled_from(
           ["linux-git", "linux-stable-git", "glibc-git", "musl-git", "CVE",
            "known-fail", "other"]), TEXT), max_size=8))
def test_a_run_prints_one_true_summary(file, message, symbols, files,
                                       details, tags):
    reporter = Reporter(stream=io.StringIO())
    reporter.result(file, 3, TINFO, message)          # a guest's result
    symbolizer = Symbolizer("/nonexistent.elf")        # the payload's ELF
    symbolizer._functions, symbolizer._lines = [], []
    symbolizer._read_symbols(FakeElf(symbols))
    symbolizer._read_lines(FakeDwarf(files))
    backtrace = [symbolizer.describe(0x1000 + 16 * i + 4)
                 for i in range(max(len(symbols), len(files)))]
    reporter.result(file, 4, TFAIL, message)
    reporter.details(backtrace + details)             # the crash report
    reporter.summary(tags)                            # the hints
    output = reporter.stream.getvalue()
    assert_clean(output, 1)
    assert _SUMMARY_RE.search(output)["failed"] == "1"


@TABLE_EXAMPLES
@given(names=st.lists(TEXT, min_size=2, max_size=6))
def test_test_names_in_the_run_table(names):
    runs = [TestRun(name, "x86_64", 0, dict.fromkeys(
        ("passed", "failed", "broken", "skipped", "warnings"), 0), 0.1, [])
        for name in names]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        _print_run_table(runs)
    assert_clean(out.getvalue(), 0)


@CLI_EXAMPLES
@given(py_text=TEXT, c_text=TEXT, tag=TEXT, doc=TEXTS)
def test_definition_text_in_list_and_info(py_text, c_text, tag, doc):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "x86_64").mkdir()
        for name in ("kvm_text01", "kvm_text02"):
            (root / "x86_64" / f"{name}.bin").write_bytes(b"")
        (root / "kvm_text01.py").write_text(
            f"description = {py_text!r}\ntags = [('CVE', {tag!r}), "
            f"('known-fail', {tag!r})]\n", errors="surrogatepass")
        (root / "kvm_text02.json").write_text(json.dumps({
            "source": c_text, "doc": doc, "description": c_text,
            "fields": {"tags": [["linux-git", tag]], "test_all": c_text},
            "lines": {}}))
        runner = CliRunner()
        for args in (["list"], ["info", "kvm_text01"], ["info", "kvm_text02"],
                     ["metadata"], ["list", "--json"]):
            result = runner.invoke(main, ["--tests", folder, *args])
            assert result.exit_code == 0, (args, result.output)
            assert_clean(result.output, 0)
