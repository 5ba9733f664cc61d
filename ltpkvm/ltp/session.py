# SPDX-License-Identifier: GPL-2.0-or-later
"""Running tests one after the other, each reporting exactly as LTP does,
and what a run of several leaves behind: a table and a JSON report."""
import dataclasses
import json
import os
import time

from .. import __version__
from ..host.errors import AbortTest
from . import catalog
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


def run_one(name, arch, iterations=1, duration=0, debug=False):
    """Run one test with its LTP output on stderr; returns its TestRun."""
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


def verdict(status):
    """kirk's reading of an LTP exit status."""
    return {0: "pass", 2: "broken", 4: "warning", 32: "skipped"}.get(
        status, "fail")


def write_json_report(path, runs):
    status = 0
    for run in runs:
        status |= run.status
    uname = os.uname()
    report = {"ltpkvm_version": __version__,
              "kernel": f"{uname.release} {uname.version} {uname.machine}",
              "status": status,
              "tests": [dict(dataclasses.asdict(run), verdict=verdict(
                  run.status)) for run in runs]}
    with open(path, "w") as out:
        json.dump(report, out, indent=1)
        out.write("\n")
