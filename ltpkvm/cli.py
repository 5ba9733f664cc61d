# SPDX-License-Identifier: GPL-2.0-or-later
"""The ltpkvm command line."""
import click

from . import __version__
from .host.errors import AbortTest, caller_location
from .host.guest_abi import TBROK
from .ltp import catalog
from .ltp.reporter import Reporter
from .ltp.runner import run_test


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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="ltpkvm")
def main():
    """LTP-compatible KVM tests: each test boots a tiny guest kernel in a
    real KVM virtual machine and reports like an LTP test."""


ARCHES = ("x86_64", "i386")


@main.command(cls=LtpCommand)
@click.argument("name")
@click.option("--arch", type=click.Choice(ARCHES), default=catalog.host_arch,
              show_default="the host's", help="Payload architecture.")
@click.option("-i", "iterations", type=click.IntRange(min=0), default=1,
              show_default=True, help="Run the test N times, each in a "
              "fresh VM.")
@click.option("-D", "debug", is_flag=True, help="Debug output.")
def run(name, arch, iterations, debug):
    """Run the test NAME and report like LTP (exit status per LTP)."""
    names = catalog.test_names(arch)
    if name not in names:
        if not names:
            _broken_without_running(
                f"No built {arch} tests in {catalog.payload_dir()}: run "
                "'make' in the source tree or reinstall ltpkvm")
        hint = catalog.close_matches(name, names)
        _broken_without_running(
            f"Unknown test '{name}'" + (f"; did you mean: {', '.join(hint)}?"
                                        if hint else "; see 'ltpkvm list'"))
    reporter = Reporter(debug=debug)
    try:
        definition = catalog.definition(name)
    except AbortTest as exc:
        definition = None
        reporter.result(exc.file, exc.lineno, exc.ttype, exc.message)
    if definition is None:
        reporter.summary()
        raise SystemExit(reporter.exit_status())
    raise SystemExit(run_test(definition, catalog.payload_path(name, arch),
                              arch, reporter, iterations, debug))


@main.command("list")
def list_tests():
    """List the tests."""
    for name in catalog.test_names():
        click.echo(name)
