# SPDX-License-Identifier: GPL-2.0-or-later
"""The ltpkvm command line: it parses, calls the library, and prints."""
import contextlib
import json
import os
import re
import sys

import click

from . import __version__
from .host.errors import AbortTest, caller_location
from .host.guest_abi import TBROK
from .host.results import printable_text
from .ltp.catalog import Catalog, host_arch
from .ltp.definitions import ARCHES
from .ltp.reporter import Reporter
from .ltp.interrupts import Interrupts
from .ltp.session import (ReportError, SelectionError, check_report_path,
                          run_tests, select_tests, verdict, write_json_report)


def _broken_without_running(message):
    """A run that cannot start still ends as LTP's do: TBROK and Summary."""
    reporter = Reporter()
    reporter.result(*caller_location(), TBROK, message)
    reporter.summary()
    raise SystemExit(reporter.exit_status())


class LtpCommand(click.Command):
    """A command whose usage errors are LTP results, not click's usage."""

    def parse_args(self, ctx, args):
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            _broken_without_running(f"{exc.format_message()} "
                                    f"(see 'ltpkvm {self.name} --help')")


def _console():
    """rich's console for tables: the terminal's width, or wide enough not
    to cut cells when the output goes to a file or a pipe."""
    from rich.console import Console
    return Console() if sys.stdout.isatty() else Console(width=160)


def _text(value, style=""):
    """Text from a test's files as rich shows it: literally (no markup) and
    printable, on one line."""
    from rich.text import Text
    return Text(printable_text(str(value)), style=style)


def _lines(values):
    """One line of _text() per value, in one cell."""
    from rich.text import Text
    return Text("\n").join(_text(value) for value in values)


def _catalog(ctx):
    return ctx.find_root().obj


def _complete_test(ctx, param, incomplete):
    return [name for name in Catalog().all_names()
            if name.startswith(incomplete)]


def _tests_folder(ctx, param, value):
    """--tests DIR: a build folder or its payloads/ folder."""
    if value and os.path.isdir(os.path.join(value, "payloads")):
        value = os.path.join(value, "payloads")
    return value


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="ltpkvm")
@click.option("--tests", "tests_dir", metavar="DIR", callback=_tests_folder,
              type=click.Path(file_okay=False),
              help="Tests built by 'ltpkvm build' (default: "
              "$LTPKVM_PAYLOAD_DIR, else ltpkvm's own).")
@click.pass_context
def main(ctx, tests_dir):
    """LTP-compatible KVM tests: each test boots a tiny guest kernel in a
    real KVM virtual machine and reports like an LTP test."""
    ctx.obj = Catalog(tests_dir)


@main.command(cls=LtpCommand)
@click.argument("names", metavar="NAME...", nargs=-1,
                shell_complete=_complete_test)
@click.option("--all", "run_all", is_flag=True, help="Run every test.")
@click.option("--arch", type=click.Choice(ARCHES + ("all",)),
              default=host_arch, show_default="the host's",
              help="Payload architecture ('all': each).")
@click.option("-i", "iterations", type=click.IntRange(min=0), default=1,
              metavar="N",
              show_default=True, help="Run each test N times, each in a "
              "fresh VM.")
@click.option("-I", "duration", type=click.FloatRange(min=0), default=0,
              metavar="SECS", help="Run each test repeatedly for SECS "
              "seconds.")
@click.option("-D", "debug", is_flag=True,
              help="Debug output: VM setup and every VM exit.")
@click.option("--json-report", metavar="FILE",
              help="Write the results as JSON to FILE (checked before any "
              "test runs; a report that cannot be written is a TBROK).")
@click.pass_context
def run(ctx, names, run_all, arch, iterations, duration, debug, json_report):
    """Run tests and report like LTP (output and exit status).

    Environment: LTP_TIMEOUT_MUL, LTP_RUNTIME_MUL, LTP_COLORIZE_OUTPUT,
    LTP_REPRODUCIBLE_OUTPUT, KCONFIG_PATH, KCONFIG_SKIP_CHECK."""
    interrupts = Interrupts()
    interrupts.install()
    catalog = _catalog(ctx)
    try:
        if json_report:
            check_report_path(json_report)
        selected = select_tests(catalog, names, run_all, arch)
    except (SelectionError, ReportError) as exc:
        _broken_without_running(str(exc))
    with _progress(len(selected)) as show:
        runs, status = run_tests(catalog, selected, iterations, duration,
                                 debug, show, interrupts)
    if not runs:
        _broken_without_running(str(interrupts.stopped()))
    if json_report:
        try:
            write_json_report(json_report, runs)
        except ReportError as exc:
            click.echo(f"ltpkvm: {exc}", err=True)
            status |= TBROK
    if len(runs) > 1:
        _print_run_table(runs)
    raise SystemExit(status)


@contextlib.contextmanager
def _progress(total):
    """A progress bar on a terminal when several tests run, else nothing;
    yields show(done, description)."""
    if total < 2 or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress
    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("tests", total=total)
        yield lambda done, description: progress.update(
            task, completed=done, description=description)


def _print_run_table(runs):
    from rich.table import Table
    table = Table(title="ltpkvm results")
    table.add_column("test", no_wrap=True,
                     min_width=max(len(r.name) for r in runs))
    for column in ("arch", "verdict"):
        table.add_column(column, no_wrap=True)
    for column in ("pass", "fail", "brok", "skip", "warn", "s"):
        table.add_column(column, justify="right", no_wrap=True)
    colours = {"pass": "green", "fail": "red", "broken": "red",
               "warning": "magenta", "skipped": "yellow"}
    for r in runs:
        word = verdict(r.status)
        table.add_row(_text(r.name), r.arch, f"[{colours[word]}]{word}[/]",
                      *(str(r.counts[k]) for k in (
                          "passed", "failed", "broken", "skipped",
                          "warnings")), f"{r.duration:.3f}")
    _console().print(table)


@main.command("list")
@click.option("--json", "as_json", is_flag=True, help="JSON for scripts.")
@click.pass_context
def list_tests(ctx, as_json):
    """List the tests with their archs, tags and requirements."""
    from .ltp.inventory import test_rows
    rows = test_rows(_catalog(ctx))
    if as_json:
        click.echo(json.dumps(rows, indent=1))
        return
    from rich.table import Table
    table = Table()
    table.add_column("name", no_wrap=True,
                     min_width=max([4] + [len(row["name"]) for row in rows]))
    for column in ("archs", "tags", "needs", "host hooks", "description"):
        table.add_column(column)
    for row in rows:
        table.add_row(_text(row["name"]), " ".join(row["archs"]),
                      _lines(f"{k} {v[:12] if k == 'linux-git' else v}"
                             for k, v in row["tags"]),
                      _text(", ".join(row["needs"])),
                      ", ".join(row["hooks"]),
                      _text(row.get("error") and f"broken: {row['error']}"
                            or row["description"]))
    _console().print(table)


@main.command()
@click.argument("name", shell_complete=_complete_test)
@click.pass_context
def info(ctx, name):
    """Describe the test NAME."""
    from .ltp.inventory import test_info
    catalog = _catalog(ctx)
    if name not in catalog.all_names():
        raise click.ClickException(catalog.unknown_test_message(name))
    try:
        about = test_info(catalog, name)
    except AbortTest as exc:
        raise click.ClickException(exc.message)
    console = _console()
    console.print(_text(name, "bold") + _text(": " + (about.description
                                                      or "-")))
    console.print(f"archs: {' '.join(about.archs)} "
                  f"(built: {' '.join(about.built) or 'none'})")
    for key, value, url in about.tags:
        shown = printable_text(url or "")
        # A link only where the URL is one (no spaces to break the style)
        link = f"link {shown}" if shown and not re.search(r"\s", shown) \
            else ""
        console.print(_text(f"{key}: ") + _text(value, link)
                      + _text(f" {shown}" if shown else ""))
    console.print(_text(f"needs: {', '.join(about.needs) or 'nothing'}"))
    for params in about.runs_with:
        console.print(_text(f"runs with: {params} (reloaded if loaded "
                            "otherwise, restored after)"))
    for entry in about.save_restore:
        console.print(_text(f"saves and restores: {entry}"))
    console.print(f"timeout: {about.timeout}")
    console.print(_text(f"source: {about.source or 'unknown'}"))
    console.print(_text(f"host hooks: {', '.join(about.hooks) or 'none'}"
                        + (f" ({about.hooks_file})" if about.hooks_file
                           else "")))
    if about.doc:
        console.print(_text("\n".join(about.doc)))


@main.command()
@click.option("--json", "as_json", is_flag=True, help="JSON for scripts.")
@click.pass_context
def doctor(ctx, as_json):
    """What this host can test, and why not."""
    from .ltp.inventory import doctor_report
    facts, verdicts = doctor_report(_catalog(ctx))
    if as_json:
        click.echo(json.dumps({"host": [{"check": c, "value": v, "ok": ok}
                                        for c, v, ok in facts],
                               "tests": verdicts}, indent=1))
        return
    from rich.table import Table
    marks = {True: "[green]ok[/]", False: "[red]problem[/]", None: ""}
    host = Table(title="host")
    for column in ("check", "value", ""):
        host.add_column(column)
    for check, value, ok in facts:
        host.add_row(_text(check), _text(value), marks[ok])
    tests = Table(title="tests")
    for column in ("test", "arch", "verdict"):
        tests.add_column(column, no_wrap=column != "verdict")
    for v in verdicts:
        tests.add_row(_text(v["test"]), v["arch"],
                      _text("runs", "green") if v["runs"] else
                      _text("TCONF", "yellow") + _text(f": {v['reason']}"))
    console = _console()
    console.print(host)
    console.print(tests)


def _ltp_files(catalog):
    from .ltp.metadata import ltp_metadata
    from .ltp.runtest import catalog_entries
    entries = catalog_entries(catalog)
    return entries, ltp_metadata(entries, catalog.definition)


@main.command()
@click.option("-o", "--output", type=click.File("w"), default="-",
              help="Write to this file (default: stdout).")
@click.pass_context
def metadata(ctx, output):
    """The tests' metadata as JSON shaped like LTP's metadata/ltp.json."""
    try:
        _, data = _ltp_files(_catalog(ctx))
    except AbortTest as exc:
        raise click.ClickException(exc.message)
    output.write(json.dumps(data, indent=1) + "\n")


@main.command()
@click.pass_context
def runtest(ctx):
    """The runtest file for runltp and kirk (one line per built test)."""
    from .ltp.runtest import catalog_entries, runtest_text
    click.echo(runtest_text(catalog_entries(_catalog(ctx))), nl=False)


@main.command("install-ltp")
@click.option("--ltproot", type=click.Path(file_okay=False),
              default=lambda: os.environ.get("LTPROOT") or "/opt/ltp",
              show_default="$LTPROOT or /opt/ltp",
              help="The installed LTP to add ltpkvm's tests to.")
@click.option("--uninstall", is_flag=True,
              help="Remove exactly what install-ltp added.")
@click.pass_context
def install_ltp(ctx, ltproot, uninstall):
    """Install ltpkvm's tests into an installed LTP (runtest file,
    testcases/bin, metadata/ltp.json), for runltp and kirk."""
    from .ltp.install import Installer
    catalog = _catalog(ctx)
    installer = Installer(ltproot, catalog.folder)
    try:
        if uninstall:
            if not installer.uninstall():
                raise click.ClickException(
                    f"ltpkvm is not installed in {installer.root}")
            click.echo(f"Removed ltpkvm from {installer.root}")
            return
        entries, data = _ltp_files(catalog)
        installer.install(entries, data)
    except AbortTest as exc:
        raise click.ClickException(exc.message)
    except OSError as exc:
        raise click.ClickException(f"{exc.filename or ltproot}: "
                                   f"{exc.strerror}")
    click.echo(f"Installed ltpkvm into {installer.root}: runtest/ltpkvm, "
               f"{len(entries)} tests")
    for kept in installer.kept:
        click.echo(f"Kept LTP's own {kept}: runtest/ltpkvm runs ltpkvm's "
                   "test through testcases/bin/ltpkvm")


@main.command()
@click.argument("tests_dir", metavar="DIR",
                type=click.Path(exists=True, file_okay=False))
@click.option("-o", "--output", metavar="BUILD", default="build-ltpkvm",
              show_default=True, type=click.Path(file_okay=False),
              help="Where to build.")
@click.option("-v", "verbose", is_flag=True, help="Show the commands.")
def build(tests_dir, output, verbose):
    """Build the LTP-style test sources in DIR (for example LTP's
    testcases/kernel/kvm) with ltpkvm's guest library."""
    from .ltp.build import build_tests, tests_folder
    try:
        done = build_tests(tests_dir, output, verbose)
    except OSError as exc:
        raise click.ClickException(f"cannot run make: {exc.strerror}")
    sys.stdout.write(done.stdout)
    sys.stderr.write(done.stderr)
    if done.returncode:
        raise click.ClickException(f"building {tests_dir} failed (see the "
                                   "messages above)")
    folder = tests_folder(output)
    names = Catalog(folder).all_names()
    click.echo(f"Built {len(names)} test(s) in {folder}; run one with: "
               f"ltpkvm --tests {folder} run NAME")
