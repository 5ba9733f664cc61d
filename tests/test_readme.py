# SPDX-License-Identifier: GPL-2.0-or-later
"""CI runs exactly the README's test command."""
import os

from conftest import REPO


def test_ci_runs_the_readme_test_command():
    with open(os.path.join(REPO, "README.rst")) as readme:
        lines = readme.read().splitlines()
    start = lines.index("Set up and run the test suite (it boots real VMs)::")
    command = lines[start + 2].strip()
    assert command.startswith("python3 -m venv .venv")
    with open(os.path.join(REPO, ".ci", "run")) as ci:
        assert command in ci.read().splitlines()
