# SPDX-License-Identifier: GPL-2.0-or-later
"""Running tests one after the other, each reporting exactly as LTP does,
and what a run of several leaves behind: a table and a JSON report."""
import json
import os
import time

from .. import __version__
from ..host.errors import AbortTest
from ..host.guest_abi import TBROK
from .definitions import ARCHES
from .interrupts import Interrupts
from .reporter import Reporter
from .runner import run_test

COUNT_NAMES = ("passed", "failed", "broken", "skipped", "warnings")


class TestRun:
    """What one test's run left: its status, counts, duration and the
    results kept (omitted_results: beyond the first and last ones kept)."""
    __test__ = False   # not a pytest test class
    FIELDS = ("name", "arch", "status", "counts", "duration", "results",
              "omitted_results")

    def __init__(self, name, arch, status, counts, duration, results,
                 omitted_results=0):
        self.name, self.arch, self.status = name, arch, status
        self.counts, self.duration, self.results = counts, duration, results
        self.omitted_results = omitted_results

    def as_dict(self):
        return {field: getattr(self, field) for field in self.FIELDS}


def run_one(catalog, name, arch, iterations=1, duration=0, debug=False,
            interrupts=None):
    """Run one test of catalog with its LTP output on stderr; returns its
    TestRun."""
    reporter = Reporter(debug=debug)
    started = time.monotonic()
    try:
        definition = catalog.definition(name)
    except AbortTest as exc:   # a broken definition file
        reporter.result(exc.file, exc.lineno, exc.ttype, exc.message)
        reporter.summary()
        status = reporter.exit_status()
    else:
        status = run_test(definition, catalog.payload_path(name, arch), arch,
                          reporter, iterations, debug, duration, interrupts)
    return TestRun(name, arch, status,
                   dict(zip(COUNT_NAMES, reporter.counts())),
                   round(time.monotonic() - started, 3),
                   [dict(zip(("file", "line", "type", "message"), record))
                    for record in reporter.records], reporter.omitted_records)


class SelectionError(Exception):
    """The tests asked for cannot be run (none named, unknown names)."""


def select_tests(catalog, names, run_all, arch):
    """[(test, arch)] to run: every test with run_all, else each name for
    arch ("all": for each arch)."""
    arches = ARCHES if arch == "all" else (arch,)
    if run_all:
        return [(name, a) for a in arches for name in catalog.names(a)]
    if not names:
        raise SelectionError("No test named (give NAME... or --all)")
    selected = []
    for name in names:
        for a in arches:
            if name not in catalog.names(a):
                raise SelectionError(catalog.unknown_test_message(name, a))
            selected.append((name, a))
    return selected


def run_tests(catalog, selected, iterations=1, duration=0, debug=False,
              progress=None, interrupts=None):
    """Run the selected tests one after the other; (runs, the OR of their
    exit statuses). progress(done, description) is told before each. A
    SIGINT, SIGTERM or SIGHUP ends the test it lands in (TBROK, cleanup,
    Summary) and the tests after it do not run."""
    interrupts = interrupts or Interrupts()
    runs = []
    for done, (name, arch) in enumerate(selected):
        if interrupts.stop_signal is not None:
            break
        if progress:
            progress(done, f"{name} ({arch})")
        runs.append(run_one(catalog, name, arch, iterations, duration, debug,
                            interrupts))
    status = combined_status(runs)
    if len(runs) < len(selected):
        status |= TBROK   # stopped: the rest did not run
    return runs, status


def combined_status(runs):
    status = 0
    for run in runs:
        status |= run.status
    return status


def verdict(status):
    """kirk's reading of an LTP exit status."""
    return {0: "pass", 2: "broken", 4: "warning", 32: "skipped"}.get(
        status, "fail")


class ReportError(Exception):
    """The JSON report cannot be written there."""


def check_report_path(path):
    """ReportError unless a report can be written at path: checked before
    any test runs, so that no run is wasted on a report that cannot be."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise ReportError(f"Cannot write the JSON report to {path}: it is a "
                          "directory")
    if not os.path.isdir(folder):
        raise ReportError(f"Cannot write the JSON report to {path}: no "
                          f"folder {folder}")
    if not os.access(path if os.path.exists(path) else folder, os.W_OK):
        raise ReportError(f"Cannot write the JSON report to {path}: "
                          "permission denied")


def write_json_report(path, runs):
    """Write the report; ReportError naming path when that fails."""
    uname = os.uname()
    report = {"ltpkvm_version": __version__,
              "kernel": f"{uname.release} {uname.version} {uname.machine}",
              "status": combined_status(runs),
              "tests": [dict(run.as_dict(), verdict=verdict(
                  run.status)) for run in runs]}
    try:
        with open(path, "w") as out:
            out.write(json.dumps(report, indent=1) + "\n")
    except OSError as exc:
        raise ReportError(f"Cannot write the JSON report to {path}: "
                          f"{exc.strerror}") from None
