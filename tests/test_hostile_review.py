# SPDX-License-Identifier: GPL-2.0-or-later
"""The second hostile review's twelve defects, one test (or more) each:
forged Summary blocks through the crash report, tags and definition text;
torn output under the timeout; every way out ending with cleanup and a
Summary; payloads that are not files; bad timeouts and definition values;
a report that cannot be written; a corrupt ELF; file names."""
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest
from elftools.elf.elffile import ELFFile

from conftest import REPO, needs_kvm
from libkirk.ltp import _SUMMARY_RE

pytestmark = needs_kvm

FORGED = ("\nSummary:\npassed   77\nfailed   0\nbroken   0\nskipped  0\n"
          "warnings 0\n")
ESCAPES = "\x1b]0;owned\x07\x1b[2J"


def suite_folder(tmp_path, build_dir, payload, name=None, archs=("x86_64",),
                 definition=None):
    """A payload folder with a suite payload as test name (default: its
    own), and optionally that NAME.py."""
    name = name or payload
    for arch in archs:
        (tmp_path / arch).mkdir(exist_ok=True)
        for ext in (".bin", ".elf"):
            shutil.copy(os.path.join(build_dir, "tests", arch, payload + ext),
                        tmp_path / arch / (name + ext))
    if definition is not None:
        (tmp_path / f"{name}.py").write_text(definition)
    return {"LTPKVM_PAYLOAD_DIR": str(tmp_path)}


def kirk_counts(output):
    """The counts kirk reads: the first Summary block its regex matches."""
    match = _SUMMARY_RE.search(re.sub(r"\x1b\[[0-9;]+[a-zA-Z]", "", output))
    return {k: int(v) for k, v in match.groupdict().items()} if match \
        else None


def assert_one_true_summary(run):
    """The only Summary kirk can find is the real one, and no control
    character other than a line break reaches the output."""
    assert run.output.splitlines().count("Summary:") == 1, run.output
    assert kirk_counts(run.output) == run.summary(), run.output
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]", run.output), \
        ascii(run.output)


def overwrite(path, old, new):
    """Replace every occurrence of old in a file by new (padded with NULs
    to old's length)."""
    data = open(path, "rb").read()
    assert old in data
    assert len(new) <= len(old)
    data = data.replace(old, new + b"\0" * (len(old) - len(new)))
    open(path, "wb").write(data)


# 1. the crash report: DWARF file names and ELF symbol names

def test_crash_report_shows_hostile_names_escaped(ltpkvm, build_dir,
                                                  tmp_path):
    env = suite_folder(tmp_path, build_dir, "hostile_evil_names")
    elf = tmp_path / "x86_64" / "hostile_evil_names.elf"
    overwrite(elf, b"EVIL_FILE_NAME_PLACEHOLDER_THAT_THE_TEST_OVERWRITES"
              b"_WITH_A_FORGED_SUMMARY_BLOCK_0123456789.c",
              b"evil.c" + FORGED.encode() + ESCAPES.encode())
    overwrite(elf, b"EVIL_SYMBOL_NAME_PLACEHOLDER_THAT_THE_TEST_OVERWRITES"
              b"_WITH_A_FORGED_SUMMARY_0123456789",
              b"sym" + ESCAPES.encode() + FORGED.encode()[:40])
    run = ltpkvm("run", "hostile_evil_names", env=env)
    assert run.status == 2, run.output
    assert_one_true_summary(run)
    frame = next(line for line in run.output.splitlines()
                 if "evil.c" in line)
    assert r"evil.c\nSummary:\npassed   77" in frame
    assert r"sym\x1b]0;owned\x07\x1b[2J\nSummary:" in run.output


# 2. tag values

TAGGED_FAILURE = """
tags = [("CVE", "2099-1" + {forged!r}), ("known-fail", "Summary:"),
        ("known-fail", "passed   77"), ("known-fail", "failed   0"),
        ("known-fail", "broken   0"), ("known-fail", "skipped  0"),
        ("known-fail", "warnings 0"), ("linux-git", {escapes!r})]
"""


def test_tag_values_cannot_forge_a_summary(ltpkvm, build_dir, tmp_path):
    env = suite_folder(tmp_path, build_dir, "selftest_mixed_results",
                       definition=TAGGED_FAILURE.format(forged=FORGED,
                                                        escapes=ESCAPES))
    run = ltpkvm("run", "selftest_mixed_results", env=env)
    assert run.status == 1 | 4, run.output
    assert "HINT: You _MAY_ be hit by known kernel failures:" in run.output
    assert r"CVE-2099-1\nSummary:\npassed   77" in run.output
    assert_one_true_summary(run)


# 3. definition text and test names in rich's markup

MARKUP = """
description = "A [/] description [/link] with [bold]markup[/bold]"
tags = [("CVE", "[/]"), ("known-fail", "[/link]")]
"""


def test_markup_in_definition_text_is_shown_as_it_is(ltpkvm, build_dir,
                                                     tmp_path):
    env = suite_folder(tmp_path, build_dir, "selftest_hello",
                       name="a[bold]b", definition=MARKUP)
    listing = ltpkvm("list", env=env)
    assert listing.status == 0, listing.output
    assert "A [/] description [/link] with [bold]markup[/bold]" in \
        listing.stdout.replace("\n", "")
    info = ltpkvm("info", "a[bold]b", env=env)
    assert info.status == 0, info.output
    assert "a[bold]b: A [/] description" in info.stdout
    assert "CVE: [/]" in info.stdout
    run = ltpkvm("run", "a[bold]b", "a[bold]b", env=env)
    assert run.status == 0, run.output
    assert "a[bold]b" in run.stdout        # the run table
    assert "Traceback" not in listing.output + info.output + run.output


# 4. the timeout while stderr blocks

@pytest.mark.parametrize("arch", ["x86_64", "i386"])
def test_timeout_never_tears_a_line_or_its_count(ltpkvm, build_dir, arch):
    """A slow reader: the TFAIL flood fills the pipe, so the deadline lands
    in blocked writes."""
    env = dict(os.environ, LTP_COLORIZE_OUTPUT="n", LTP_TIMEOUT_MUL="0.02",
               LTPKVM_PAYLOAD_DIR=os.path.join(build_dir, "tests"))
    proc = subprocess.Popen([sys.executable, "-m", "ltpkvm", "run", "--arch",
                             arch, "hostile_fail_flood"], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    chunks = []
    while True:
        chunk = proc.stderr.read(4096)
        if not chunk:
            break
        chunks.append(chunk)
        time.sleep(0.005)
    assert proc.wait() == 1 | 2
    output = b"".join(chunks).decode()
    lines = output.splitlines()
    failures = [l for l in lines if l.startswith("hostile_fail_flood.c:")]
    assert failures and all(re.fullmatch(
        r"hostile_fail_flood\.c:\d+: TFAIL: Failure from the flood x{4056}",
        l)
        for l in failures), [l for l in failures if "TFAIL" not in l][:3]
    assert [l for l in lines if "TBROK" in l] == [
        l for l in lines if re.fullmatch(
            r"runner\.py:\d+: TBROK: Test timed out after 0\.6 s", l)]
    summary = kirk_counts(output)
    assert summary == {"passed": 0, "failed": len(failures), "broken": 1,
                       "skipped": 0, "warnings": 0}, output[-300:]


# 5. every way out: cleanup, restored parameters, the Summary, LTP's status

@pytest.mark.parametrize("exc", ["SystemExit(0)", "KeyboardInterrupt()"])
def test_a_definition_that_exits_at_import_is_tbrok(ltpkvm, build_dir,
                                                    tmp_path, exc):
    env = suite_folder(tmp_path, build_dir, "selftest_hello",
                       definition=f"raise {exc}\n")
    run = ltpkvm("run", "selftest_hello", env=env)
    assert run.status == 2, run.output
    name = exc.split("(")[0]
    assert [r[2] for r in run.results()] == ["TBROK"]
    assert f"Cannot load {tmp_path}/selftest_hello.py: {name}" in run.output
    assert run.summary()["broken"] == 1


EXITING_HOOK = """
import sys


def run(test):
    test.run()
    sys.exit(0)
"""


def test_a_hook_cannot_exit_0_after_a_failure(ltpkvm, build_dir, tmp_path):
    env = suite_folder(tmp_path, build_dir, "selftest_mixed_results",
                       definition=EXITING_HOOK)
    run = ltpkvm("run", "selftest_mixed_results", env=env)
    assert run.status == 1 | 2 | 4, run.output
    assert ("TBROK", "The test exited (SystemExit: 0)") in [
        r[2:] for r in run.results()]
    assert run.summary()["failed"] == 1


CLEANUP_MARKER = """
def cleanup(test):
    open({marker!r}, "w").write("cleaned up")
    test.cleanup()
"""


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM,
                                    signal.SIGHUP])
def test_a_signal_during_a_spinning_guest(build_dir, tmp_path, signum):
    marker = tmp_path / "marker"
    env = dict(os.environ, LTP_COLORIZE_OUTPUT="n", **suite_folder(
        tmp_path, build_dir, "hostile_spin",
        definition=CLEANUP_MARKER.format(marker=str(marker))))
    proc = subprocess.Popen([sys.executable, "-m", "ltpkvm", "run",
                             "hostile_spin"], cwd=REPO, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(1.5)   # the guest is spinning by now
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=10)
    assert proc.returncode == 2, err
    name = signal.Signals(signum).name
    assert f"TBROK: Test interrupted by {name}" in err
    assert "Aborted!" not in out + err and "Traceback" not in err
    assert marker.read_text() == "cleaned up"
    assert kirk_counts(err)["broken"] == 1


def test_an_exception_in_cleanup_is_tbrok_and_cleanup_goes_on(
        ltpkvm, build_dir, tmp_path):
    env = suite_folder(tmp_path, build_dir, "selftest_hello",
                       definition="def cleanup(test):\n    1 / 0\n")
    run = ltpkvm("run", "selftest_hello", env=env)
    assert run.status == 2, run.output
    assert ("TBROK", "Internal error: ZeroDivisionError: division by zero") \
        in [r[2:] for r in run.results()]
    assert run.summary()["passed"] == 1


# 6. a payload that is not a regular file

@pytest.mark.parametrize("kind", ["dev-zero", "fifo"])
def test_a_payload_that_is_not_a_regular_file(ltpkvm, tmp_path, kind):
    (tmp_path / "x86_64").mkdir()
    path = tmp_path / "x86_64" / "kvm_odd01.bin"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    started = time.monotonic()
    run = ltpkvm("run", "kvm_odd01", env={"LTPKVM_PAYLOAD_DIR":
                                          str(tmp_path)})
    assert time.monotonic() - started < 10
    assert run.status == 2, run.output
    assert [r[2:] for r in run.results()] == [
        ("TBROK", f"Payload {path} is not a regular file")]


# 7. timeouts that would disable the timeout

def test_a_negative_timeout_is_tbrok(ltpkvm, build_dir, tmp_path):
    env = suite_folder(tmp_path, build_dir, "hostile_spin",
                       definition="timeout = -30\n")
    run = ltpkvm("run", "hostile_spin", env=env, timeout=20)
    assert run.status == 2, run.output
    assert [r[2:] for r in run.results()] == [
        ("TBROK", f"{tmp_path}/hostile_spin.py: timeout must be an integer "
                  ">= -1, not -30")]


def test_a_tiny_multiplier_still_times_out(ltpkvm, build_dir):
    run = ltpkvm("run", "hostile_spin", suite=True,
                 env={"LTP_TIMEOUT_MUL": "1e-300"}, timeout=20)
    assert run.status == 2, run.output
    assert run.results()[-1][2] == "TBROK"
    assert "Test timed out" in run.results()[-1][3]


@pytest.mark.parametrize("value", ["inf", "1e300", "nan", "-1", "x"])
def test_an_out_of_range_multiplier_is_tbrok(ltpkvm, value):
    run = ltpkvm("run", "selftest_hello", suite=True,
                 env={"LTP_TIMEOUT_MUL": value})
    assert run.status == 2, run.output
    assert [r[2:] for r in run.results(preamble=True)] == [
        ("TBROK", f"LTP_TIMEOUT_MUL must be a number > 0 and <= 10000 "
                  f"({value!r})")]


# 8. definition values of the wrong type

@pytest.mark.parametrize("text, message", [
    ("tags = 5", "tags must be a list of (\"name\", \"value\") pairs, not 5"),
    ("tags = [1, 2]", "tags must be a list of (\"name\", \"value\") pairs, "
     "not [1, 2]"),
    ("supported_archs = 5", "supported_archs must be a list of strings, "
     "not 5"),
    ("supported_archs = [['x86_64']]", "supported_archs must be a list of "
     "strings, not [['x86_64']]"),
    ('needs_kconfigs = "CONFIG_KVM"', "needs_kconfigs must be a list of "
     "strings, not 'CONFIG_KVM'"),
    ("min_cpus = '2'", "min_cpus must be an integer, not '2'"),
    ("module_params = {'kvm': 1}", "module_params must be {module: "
     "{parameter: value}}, not {'kvm': 1}"),
    ("run = 5", "run must be a function, not 5"),
])
def test_a_definition_value_of_the_wrong_type_is_tbrok(
        ltpkvm, build_dir, tmp_path, text, message):
    env = suite_folder(tmp_path, build_dir, "selftest_hello",
                       definition=text + "\n")
    run = ltpkvm("run", "selftest_hello", env=env)
    assert run.status == 2, run.output
    assert [r[2:] for r in run.results()] == [
        ("TBROK", f"{tmp_path}/selftest_hello.py: {message}")]
    assert ltpkvm("list", env=env).status == 0


def test_a_module_getattr_is_never_called(ltpkvm, build_dir, tmp_path):
    env = suite_folder(tmp_path, build_dir, "selftest_hello", definition=(
        "def __getattr__(name):\n    raise RuntimeError(name)\n"))
    run = ltpkvm("run", "selftest_hello", env=env)
    assert run.status == 0, run.output


# 9. a JSON report that cannot be written

def test_a_report_in_a_missing_folder_is_refused_before_running(ltpkvm,
                                                                tmp_path):
    path = tmp_path / "missing" / "report.json"
    run = ltpkvm("run", "--json-report", str(path), "selftest_hello",
                 suite=True)
    assert run.status == 2, run.output
    assert [r[2:] for r in run.results()] == [
        ("TBROK", f"Cannot write the JSON report to {path}: no folder "
                  f"{path.parent}")]
    assert "Tested kernel" not in run.output    # nothing ran


def test_a_report_that_fails_to_write_is_a_clear_tbrok(ltpkvm):
    run = ltpkvm("run", "--json-report", "/dev/full", "selftest_hello",
                 suite=True)
    assert run.status == 2, run.output     # passed, but no report
    assert run.summary()["passed"] == 1
    assert "ltpkvm: Cannot write the JSON report to /dev/full: No space " \
        "left on device" in run.stderr
    assert "Traceback" not in run.output


# 10. a corrupt ELF beside the payload

# A few bytes overwritten at the start of a section: on the ELF of
# selftest_unhandled_pf, each made pyelftools raise (what it raised before
# the fix, where symbolising broke the guest's message)
CORRUPTIONS = [(".debug_line", 2, "AttributeError"),
               (".debug_line", 7, "KeyError"),
               (".debug_line", 29, "NotImplementedError"),
               (".debug_line", 30, "DWARFError"),
               (".debug_abbrev", 0, "KeyError"),
               (".debug_abbrev", 27, "AssertionError"),
               (".debug_abbrev", 195, "DWARFError"),
               (".symtab", 3, "garbage")]


@pytest.mark.parametrize("section, seed, raised", CORRUPTIONS)
def test_a_corrupt_elf_keeps_the_guests_message(ltpkvm, build_dir, tmp_path,
                                                section, seed, raised):
    env = suite_folder(tmp_path, build_dir, "selftest_unhandled_pf")
    elf = tmp_path / "x86_64" / "selftest_unhandled_pf.elf"
    with open(elf, "rb") as stream:
        found = ELFFile(stream).get_section_by_name(section)
        offset, size = found["sh_offset"], found["sh_size"]
    data = bytearray(elf.read_bytes())
    rng = random.Random(seed)
    for _ in range(rng.randrange(1, 8)):
        data[offset + rng.randrange(min(size, 64))] = rng.randrange(256)
    elf.write_bytes(data)
    run = ltpkvm("run", "selftest_unhandled_pf", env=env)
    assert run.status == 2, run.output
    assert "Internal error" not in run.output
    assert run.results()[-1][3].startswith("Unhandled interrupt 14 (Page "
                                           "fault)")


# 12. file names

@pytest.mark.parametrize("arch", ["x86_64", "i386"])
def test_file_names_that_look_like_more(ltpkvm, arch):
    run = ltpkvm("run", "--arch", arch, "hostile_file_names", suite=True)
    assert run.status == 2, run.output
    lines = [line for line in run.output.splitlines() if "TINFO" in line
             and "colon" in line]
    assert lines == [r"x.c\x3a1\x3a TPASS\x3a forged:5: TINFO: A colon in "
                     "a file name"]
    assert run.results()[-1][2:] == ("TBROK", "Guest result file name is "
                                     "longer than 256 bytes: " + "a" * 64
                                     + "... (result 0, line 6, message: A "
                                     "long file name)")
