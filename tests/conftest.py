# SPDX-License-Identifier: GPL-2.0-or-later
"""Shared fixtures: the payloads are built once per session with the
project's Makefile, and tests run the real CLI on real KVM."""
import os
import stat
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(REPO, "build")


def kvm_usable():
    return os.access("/dev/kvm", os.R_OK | os.W_OK)


needs_kvm = pytest.mark.skipif(not kvm_usable(), reason="/dev/kvm not usable")


@pytest.fixture(scope="session")
def build_dir():
    """Build every payload (tests, test-suite payloads, bench) once."""
    subprocess.run(["make", "-s", "-C", REPO, f"BUILD={BUILD}"], check=True,
                   stdout=subprocess.DEVNULL)
    return BUILD


PREAMBLE = ("ltpkvm version: ", "Tested kernel: ", "Timeout per run is ")


@pytest.fixture
def system():
    """An open /dev/kvm."""
    from ltpkvm.kvm import KvmSystem
    with KvmSystem() as kvm:
        yield kvm


@pytest.fixture
def hello(build_dir):
    """The smallest suite payload, x86_64."""
    from ltpkvm.host.payload import Payload
    return Payload(os.path.join(build_dir, "tests", "x86_64",
                                "selftest_hello.bin"))


class LtpRun:
    """What one `ltpkvm` run printed, with its exit status."""

    def __init__(self, proc):
        self.status = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.output = proc.stdout + proc.stderr

    def results(self, preamble=False):
        """(file, line, type, message) of each result line; without the
        preamble (version, kernel, timeout) unless asked for."""
        found = []
        for line in self.output.splitlines():
            parts = line.split(": ", 2)
            if len(parts) == 3 and ":" in parts[0]:
                file, _, lineno = parts[0].rpartition(":")
                found.append((file, lineno, parts[1], parts[2]))
        if not preamble:
            found = [r for r in found if not (
                r[0] == "runner.py" and r[2] == "TINFO"
                and r[3].startswith(PREAMBLE))]
        return found

    def summary(self):
        """The Summary block as a dict, or None when it is missing."""
        lines = self.output.splitlines()
        if "Summary:" not in lines:
            return None
        start = lines.index("Summary:") + 1
        return {key: int(value) for key, value in
                (line.split() for line in lines[start:start + 5])}


@pytest.fixture
def ltpkvm(build_dir):
    """ltpkvm(*args, suite=False): run the CLI; suite=True runs the
    test-suite payloads (tests/payloads) instead of the shipped tests."""
    def run(*args, suite=False, env=None, timeout=60):
        environ = dict(os.environ, LTP_COLORIZE_OUTPUT="n")
        environ["LTPKVM_PAYLOAD_DIR"] = os.path.join(
            build_dir, "tests" if suite else "payloads")
        environ.update(env or {})
        proc = subprocess.run([sys.executable, "-m", "ltpkvm", *args],
                              cwd=REPO, env=environ, capture_output=True,
                              text=True, timeout=timeout)
        return LtpRun(proc)
    return run


FAKE_MODPROBE = """#!/bin/sh
# Logs its arguments; loading "MODULE param=value" sets the parameter.
echo "$@" >> {log}
[ "$1" = "-r" ] && exit 0
[ -n "{fail}" ] && {{ echo "modprobe: FATAL: {fail}" >&2; exit 1; }}
module=$1; shift
for arg; do
    echo "${{arg#*=}}" > {sysfs}/$module/parameters/${{arg%%=*}}
done
"""


@pytest.fixture
def fake_host(tmp_path, monkeypatch):
    """A fake sysfs with kvm_amd npt=Y, kvm tdp_mmu=Y, and a fake modprobe
    (reloading real KVM modules here would pull /dev/kvm from under
    everyone); returns the modprobe log path and a setter for the modprobe
    failure text."""
    from ltpkvm.host import modules
    sysfs = tmp_path / "module"
    for module, param, value in (("kvm_amd", "npt", "Y"),
                                 ("kvm_amd", "nested", "1"),
                                 ("kvm", "tdp_mmu", "Y")):
        (sysfs / module / "parameters").mkdir(parents=True, exist_ok=True)
        (sysfs / module / "parameters" / param).write_text(value + "\n")
    log = tmp_path / "modprobe.log"

    def make_modprobe(fail=""):
        script = tmp_path / "modprobe"
        script.write_text(FAKE_MODPROBE.format(log=log, sysfs=sysfs,
                                               fail=fail))
        script.chmod(script.stat().st_mode | stat.S_IEXEC)
        monkeypatch.setattr(modules, "MODPROBE", str(script))

    make_modprobe()
    monkeypatch.setattr(modules, "SYS_MODULE", str(sysfs))
    return log, make_modprobe
