# SPDX-License-Identifier: GPL-2.0-or-later
"""The struct tst_test fields the runner acts on, as LTP's tst_test.c does:
tconf_msg, needs_cmds, needs_drivers, min_kver, timeout and runtime,
save_restore."""
import os
import shutil

import pytest

from conftest import needs_kvm


@pytest.fixture
def with_definition(build_dir, tmp_path):
    """with_definition(text) -> env running selftest_hello (as
    kvm_req01) under that NAME.py."""
    def make(text):
        for arch in ("x86_64", "i386"):
            (tmp_path / arch).mkdir(exist_ok=True)
            shutil.copy(os.path.join(build_dir, "tests", arch,
                                     "selftest_hello.bin"),
                        tmp_path / arch / "kvm_req01.bin")
        (tmp_path / "kvm_req01.py").write_text(text)
        return {"LTPKVM_PAYLOAD_DIR": str(tmp_path)}
    return make


def outcome(run):
    return run.status, [r[2:] for r in run.results()]


@pytest.mark.parametrize("text, message", [
    ('tconf_msg = "Nothing here"', "Nothing here"),
    ('needs_cmds = ["no-such-command-ltpkvm"]',
     "Couldn't find 'no-such-command-ltpkvm' in $PATH"),
    ('needs_drivers = ["no_such_driver_ltpkvm"]',
     "no_such_driver_ltpkvm driver not available"),
    ('min_kver = "999.0"', "The test requires kernel 999.0 or newer"),
    ('supported_archs = ["aarch64"]',
     "This arch 'x86_64' is not supported for test!"),
])
def test_unmet_requirements_are_tconf(ltpkvm, with_definition, text,
                                      message):
    run = ltpkvm("run", "kvm_req01", env=with_definition(text))
    assert outcome(run) == (32, [("TCONF", message)]), run.output


@needs_kvm
def test_met_requirements_run(ltpkvm, with_definition):
    run = ltpkvm("run", "kvm_req01", env=with_definition(
        'needs_cmds = ["sh"]\nneeds_drivers = ["kvm"]\nmin_kver = "2.6"\n'))
    assert run.status == 0, run.output


@needs_kvm
@pytest.mark.parametrize("text, line", [
    ("timeout = 15", "Timeout per run is 0h 00m 45s"),
    ("timeout = -1", "Test timeout is not limited"),
    ("timeout = 5\nruntime = 100", "Timeout per run is 0h 02m 15s"),
    ("max_runtime = 60", "Timeout per run is 0h 01m 30s"),
])
def test_timeout_and_runtime(ltpkvm, with_definition, text, line):
    run = ltpkvm("run", "kvm_req01", env=with_definition(text))
    assert run.status == 0, run.output
    assert line in run.output


def test_runtime_multiplier(ltpkvm, with_definition):
    run = ltpkvm("run", "kvm_req01", env=dict(
        with_definition("runtime = 100"), LTP_RUNTIME_MUL="0.5",
        LTP_TIMEOUT_MUL="2"))
    assert "Timeout per run is 0h 01m 50s" in run.output, run.output


SAVE_RESTORE_HOOK = '''
save_restore = [({path!r}, "42\\n", 0)]


def run(test):
    from ltpkvm.host import TPASS, tst_res
    with open({path!r}) as f:
        tst_res(TPASS, "During the run: " + f.read().strip())
'''


def test_save_restore_writes_and_restores(ltpkvm, with_definition,
                                          tmp_path):
    conf = tmp_path / "conf"
    conf.write_text("7\n")
    run = ltpkvm("run", "kvm_req01", env=with_definition(
        SAVE_RESTORE_HOOK.format(path=str(conf))))
    assert outcome(run) == (0, [("TPASS", "During the run: 42")]), run.output
    assert conf.read_text() == "7\n"


@pytest.mark.parametrize("flags, status, expected", [
    (0, 32, ("TCONF", "Path not found: {path}")),
    (0x1, 2, ("TBROK", "Path not found: {path}")),
])
def test_save_restore_of_a_missing_path(ltpkvm, with_definition, tmp_path,
                                        flags, status, expected):
    path = str(tmp_path / "missing")
    run = ltpkvm("run", "kvm_req01", env=with_definition(
        f"save_restore = [({path!r}, '1', {flags})]"))
    assert outcome(run) == (status, [(expected[0], expected[1].format(
        path=path))]), run.output


@needs_kvm
def test_save_restore_skips_a_missing_path_when_asked(ltpkvm,
                                                      with_definition,
                                                      tmp_path):
    path = str(tmp_path / "missing")
    run = ltpkvm("run", "kvm_req01", env=with_definition(
        f"save_restore = [({path!r}, '1', 0x2)]"))
    assert run.status == 0, run.output
    assert ("TINFO", f"Path not found: {path}") in [r[2:] for r in
                                                     run.results()]


@pytest.mark.parametrize("flags, status, expected", [
    (0, 32, "TCONF"), (0x4, 2, "TBROK"), (0x8, 0, "TINFO")])
def test_save_restore_of_a_file_without_write_bits(ltpkvm, with_definition,
                                                   tmp_path, flags, status,
                                                   expected):
    """Root may write a 0444 file, but not a sysfs parameter without write
    bits: both are read-only to save_restore."""
    path = tmp_path / "read-only"
    path.write_text("0\n")
    path.chmod(0o444)
    run = ltpkvm("run", "kvm_req01", env=with_definition(
        f"save_restore = [({str(path)!r}, '1', {flags})]"))
    assert run.status == status, run.output
    assert (expected, f"Path is not writable: {path}") in [
        r[2:] for r in run.results()], run.output
    assert path.read_text() == "0\n"
