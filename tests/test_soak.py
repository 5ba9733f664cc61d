# SPDX-License-Identifier: GPL-2.0-or-later
"""Soak: the host process stays flat however long a test runs. 2000 fresh
VMs in one run (`ltpkvm run -i 2000 selftest_hello`, in-process so the
process can be measured), and a guest flooding 100,000 results, must leave
open files and resident memory where they were once warmed up.

The helpers here measure the process; test_hostile.py and
test_host_errors.py use them too."""
import itertools
import os
import threading

from conftest import BUILD, needs_kvm
from ltpkvm.ltp.definitions import TestDefinition
from ltpkvm.ltp.reporter import Reporter
from ltpkvm.ltp.runner import run_test

pytestmark = needs_kvm

MIB = 1024 * 1024
RSS_DRIFT = 1 * MIB   # allowed growth once warmed up


def open_fds():
    """The process's open file descriptors."""
    return sorted(int(fd) for fd in os.listdir("/proc/self/fd"))


def rss_bytes():
    """VmRSS of the process."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise LookupError("no VmRSS in /proc/self/status")


def vm_mappings():
    """The mappings the host library makes: vCPU run structures and the
    inaccessible guard pages around guest memory (Python's own mappings
    come and go with its allocator, so they are not counted)."""
    with open("/proc/self/maps") as maps:
        return [line.split()[0] for line in maps
                if "kvm" in line or line.split()[1] == "---p"]


def process_resources():
    """What a run must give back: fds, threads, VM mappings."""
    return {"fds": open_fds(), "threads": threading.active_count(),
            "mappings": vm_mappings()}


class LineCounter:
    """A result stream that keeps no output: counts the lines holding
    `pattern` and calls at_line(n) after the n-th."""

    def __init__(self, pattern, at_line=lambda n: None):
        self.pattern = pattern
        self.at_line = at_line
        self.count = 0
        self.summaries = 0

    def write(self, text):
        for line in text.split("\n"):
            self.summaries += line == "Summary:"
            if self.pattern in line:
                self.count += 1
                self.at_line(self.count)

    def flush(self):
        pass


def payload(name, arch="x86_64"):
    return os.path.join(BUILD, "tests", arch, name + ".bin")


def figures(samples):
    """The samples as one line: fds and RSS at each checkpoint."""
    return "; ".join(f"{n}: {len(fds)} fds, RSS {rss / MIB:.2f} MiB"
                     for n, (fds, rss) in sorted(samples.items()))


def sample():
    return open_fds(), rss_bytes()


def assert_flat(samples, warm, end, what):
    """fds the same and RSS within RSS_DRIFT between checkpoints warm and
    end; the figures go to the output (pytest -s) and the message."""
    report = f"{what}: {figures(samples)}"
    print(f"\n{report}")
    (fds_warm, rss_warm), (fds_end, rss_end) = samples[warm], samples[end]
    assert fds_end == fds_warm, report
    assert rss_end - rss_warm <= RSS_DRIFT, report


ITERATIONS, WARM = 2000, 100


def test_2000_fresh_vms_leave_nothing_behind(build_dir):
    """The default run: each iteration boots and destroys its own VM."""
    samples = {}
    iteration = itertools.count(1)

    def run_and_sample(test):
        test.run()
        n = next(iteration)
        if n in (WARM, ITERATIONS):
            samples[n] = sample()

    stream = LineCounter("TPASS: Hello, world!")
    status = run_test(TestDefinition("selftest_hello", run=run_and_sample),
                      payload("selftest_hello"), "x86_64",
                      Reporter(stream=stream), iterations=ITERATIONS)
    assert (status, stream.count, stream.summaries) == (0, ITERATIONS, 1)
    assert_flat(samples, WARM, ITERATIONS, f"{ITERATIONS} iterations")


RESULTS, WARM_RESULTS = 100_000, 10_000


def test_memory_stays_flat_under_a_flood_of_results(build_dir):
    samples = {}

    def at_line(n):
        if n in (WARM_RESULTS, RESULTS):
            samples[n] = sample()

    stream = LineCounter(": TINFO: Flood", at_line)
    status = run_test(TestDefinition("hostile_flood"),
                      payload("hostile_flood"), "x86_64",
                      Reporter(stream=stream))
    assert (status, stream.count, stream.summaries) == (0, RESULTS, 1)
    assert_flat(samples, WARM_RESULTS, RESULTS, f"{RESULTS} results")
