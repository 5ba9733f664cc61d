# SPDX-License-Identifier: GPL-2.0-or-later
"""The ltpkvm command line."""
import contextlib
import json
import sys

import click

from . import __version__
from .host.doctor import host_facts
from .host.errors import AbortTest, caller_location
from .host.guest_abi import TBROK
from .ltp import catalog
from .ltp.definitions import ARCHES
from .ltp.install import Installer, default_ltproot
from .ltp.metadata import ltp_metadata
from .ltp.reporter import Reporter
from .ltp.runner import requirement_problem
from .ltp.runtest import read_entries
from .ltp.session import run_one, verdict, write_json_report
from .ltp.tags import tag_url


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


def _complete_test(ctx, param, incomplete):
    return [name for name in catalog.all_test_names()
            if name.startswith(incomplete)]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="ltpkvm")
def main():
    """LTP-compatible KVM tests: each test boots a tiny guest kernel in a
    real KVM virtual machine and reports like an LTP test."""


def _selected(names, run_all, arch):
    """[(test, arch)] to run; TBROK for an unknown name."""
    arches = ARCHES if arch == "all" else (arch,)
    if run_all:
        return [(name, a) for a in arches for name in catalog.test_names(a)]
    if not names:
        _broken_without_running("No test named (give NAME... or --all)")
    selected = []
    for name in names:
        for a in arches:
            if name not in catalog.test_names(a):
                _unknown_test(name, a)
            selected.append((name, a))
    return selected


def _unknown_test(name, arch):
    known = catalog.test_names(arch)
    if not known:
        _broken_without_running(
            f"No built {arch} tests in {catalog.payload_dir()}: run "
            "'make' in the source tree or reinstall ltpkvm")
    _broken_without_running(catalog.unknown_test_message(name, known))


@main.command(cls=LtpCommand)
@click.argument("names", metavar="NAME...", nargs=-1,
                shell_complete=_complete_test)
@click.option("--all", "run_all", is_flag=True, help="Run every test.")
@click.option("--arch", type=click.Choice(ARCHES + ("all",)),
              default=catalog.host_arch, show_default="the host's",
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
@click.option("--json-report", type=click.Path(dir_okay=False, writable=True),
              help="Write the results as JSON to this file.")
def run(names, run_all, arch, iterations, duration, debug, json_report):
    """Run tests and report like LTP (output and exit status).

    Environment: LTP_TIMEOUT_MUL, LTP_COLORIZE_OUTPUT,
    LTP_REPRODUCIBLE_OUTPUT, KCONFIG_PATH, KCONFIG_SKIP_CHECK."""
    selected = _selected(names, run_all, arch)
    runs = []
    with _progress(len(selected)) as show:
        for done, (name, test_arch) in enumerate(selected):
            show(done, f"{name} ({test_arch})")
            runs.append(run_one(name, test_arch, iterations, duration, debug))
    if json_report:
        write_json_report(json_report, runs)
    if len(runs) > 1:
        _print_run_table(runs)
    status = 0
    for test_run in runs:
        status |= test_run.status
    raise SystemExit(status)


@contextlib.contextmanager
def _progress(total):
    """A progress bar on a terminal when several tests run, else nothing;
    yields show(done, description)."""
    if total < 2 or not sys.stderr.isatty():
        yield lambda done, description: None
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
        table.add_row(r.name, r.arch, f"[{colours[word]}]{word}[/]",
                      *(str(r.counts[k]) for k in (
                          "passed", "failed", "broken", "skipped",
                          "warnings")), f"{r.duration:.3f}")
    _console().print(table)


def _test_info(name):
    """(definition, archs built) of a test; TBROK for a broken definition."""
    try:
        definition = catalog.definition(name)
    except AbortTest as exc:
        raise click.ClickException(exc.message)
    return definition, catalog.built_arches(name)


def _hooks(definition):
    return [hook for hook in ("setup", "run", "cleanup")
            if getattr(definition, hook)]


def _needs(definition):
    needs = []
    if definition.needs_root:
        needs.append("root")
    needs += list(definition.needs_kconfigs)
    if definition.min_cpus > 1:
        needs.append(f"{definition.min_cpus} CPUs")
    return needs


@main.command("list")
@click.option("--json", "as_json", is_flag=True, help="JSON for scripts.")
def list_tests(as_json):
    """List the tests with their archs, tags and requirements."""
    rows = []
    for name in catalog.all_test_names():
        definition, built = _test_info(name)
        rows.append({"name": name, "archs": [a for a in built if a in
                                             definition.supported_archs],
                     "tags": [list(tag) for tag in definition.tags],
                     "needs": _needs(definition),
                     "hooks": _hooks(definition),
                     "description": definition.description})
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
        table.add_row(row["name"], " ".join(row["archs"]),
                      "\n".join(f"{k} {v[:12] if k == 'linux-git' else v}"
                                for k, v in row["tags"]),
                      ", ".join(row["needs"]), ", ".join(row["hooks"]),
                      row["description"])
    _console().print(table)


@main.command()
@click.argument("name", shell_complete=_complete_test)
def info(name):
    """Describe the test NAME."""
    names = catalog.all_test_names()
    if name not in names:
        raise click.ClickException(catalog.unknown_test_message(name, names))
    definition, built = _test_info(name)
    console = _console()
    console.print(f"[bold]{name}[/]: {definition.description or '-'}")
    console.print(f"archs: {' '.join(definition.supported_archs)} "
                  f"(built: {' '.join(built) or 'none'})")
    for key, value in definition.tags:
        url = tag_url(key, value)
        console.print(f"{key}: " + (f"[link={url}]{value}[/link] {url}"
                                    if url else value))
    console.print(f"needs: {', '.join(_needs(definition)) or 'nothing'}")
    for module, params in definition.module_params.items():
        console.print(f"runs with: {module} " + " ".join(
            f"{param}={value}" for param, value in params.items())
            + " (reloaded if loaded otherwise, restored after)")
    console.print(f"timeout: {30 + definition.timeout} s")
    console.print(f"host hooks: {', '.join(_hooks(definition)) or 'none'}"
                  + (f" ({definition.source})" if definition.source else ""))
    if definition.doc:
        console.print(definition.doc)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="JSON for scripts.")
def doctor(as_json):
    """What this host can test, and why not."""
    facts, _ = host_facts()
    verdicts = []
    for name in catalog.all_test_names():
        for arch in ARCHES:
            if name not in catalog.test_names(arch):
                continue
            try:
                problem = requirement_problem(catalog.definition(name), arch)
            except AbortTest as exc:
                problem = exc.message
            verdicts.append({"test": name, "arch": arch,
                             "runs": problem is None,
                             "reason": problem or ""})
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
        host.add_row(check, value, marks[ok])
    tests = Table(title="tests")
    for column in ("test", "arch", "verdict"):
        tests.add_column(column, no_wrap=column != "verdict")
    for v in verdicts:
        tests.add_row(v["test"], v["arch"], "[green]runs[/]" if v["runs"]
                      else f"[yellow]TCONF[/]: {v['reason']}")
    console = _console()
    console.print(host)
    console.print(tests)


@main.command()
@click.option("-o", "--output", type=click.File("w"), default="-",
              help="Write to this file (default: stdout).")
def metadata(output):
    """The tests' metadata as JSON shaped like LTP's metadata/ltp.json."""
    output.write(json.dumps(ltp_metadata(read_entries(),
                                         catalog.definition), indent=1) + "\n")


@main.command("install-ltp")
@click.option("--ltproot", type=click.Path(file_okay=False),
              default=default_ltproot, show_default="$LTPROOT or /opt/ltp",
              help="The installed LTP to add ltpkvm's tests to.")
@click.option("--uninstall", is_flag=True,
              help="Remove exactly what install-ltp added.")
def install_ltp(ltproot, uninstall):
    """Install ltpkvm's tests into an installed LTP (runtest file,
    testcases/bin, metadata/ltp.json), for runltp and kirk."""
    installer = Installer(ltproot)
    try:
        if uninstall:
            if not installer.uninstall():
                raise click.ClickException(
                    f"ltpkvm is not installed in {installer.root}")
            click.echo(f"Removed ltpkvm from {installer.root}")
            return
        installer.install(ltp_metadata(read_entries(), catalog.definition))
    except OSError as exc:
        raise click.ClickException(f"{exc.filename or ltproot}: "
                                   f"{exc.strerror}")
    click.echo(f"Installed ltpkvm into {installer.root}: runtest/ltpkvm, "
               f"{len(read_entries())} tests")
    for kept in installer.kept:
        click.echo(f"Kept LTP's own {kept}: runtest/ltpkvm runs ltpkvm's "
                   "test through testcases/bin/ltpkvm")
