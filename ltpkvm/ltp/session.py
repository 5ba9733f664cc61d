# SPDX-License-Identifier: GPL-2.0-or-later
"""Running tests one after the other, each reporting exactly as LTP does,
and what a run of several leaves behind: a table and a JSON report."""
import dataclasses
import json
import os
import time

from .. import __version__
from ..host.errors import AbortTest
from .definitions import ARCHES
from .reporter import Reporter
from .runner import run_test

COUNT_NAMES = ("passed", "failed", "broken", "skipped", "warnings")


@dataclasses.dataclass
class TestRun:
    name: str
    arch: str
    status: int
    counts: dict
    duration: float
    results: list
    omitted_results: int = 0   # beyond the first and last ones kept


def run_one(catalog, name, arch, iterations=1, duration=0, debug=False):
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
                          reporter, iterations, debug, duration)
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
              progress=None):
    """Run the selected tests one after the other; (runs, the OR of their
    exit statuses). progress(done, description) is told before each."""
    runs = []
    for done, (name, arch) in enumerate(selected):
        if progress:
            progress(done, f"{name} ({arch})")
        runs.append(run_one(catalog, name, arch, iterations, duration, debug))
    return runs, combined_status(runs)


def combined_status(runs):
    status = 0
    for run in runs:
        status |= run.status
    return status


def verdict(status):
    """kirk's reading of an LTP exit status."""
    return {0: "pass", 2: "broken", 4: "warning", 32: "skipped"}.get(
        status, "fail")


def write_json_report(path, runs):
    uname = os.uname()
    report = {"ltpkvm_version": __version__,
              "kernel": f"{uname.release} {uname.version} {uname.machine}",
              "status": combined_status(runs),
              "tests": [dict(dataclasses.asdict(run), verdict=verdict(
                  run.status)) for run in runs]}
    with open(path, "w") as out:
        json.dump(report, out, indent=1)
        out.write("\n")
