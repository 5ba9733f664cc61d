# SPDX-License-Identifier: GPL-2.0-or-later
"""The README's commands and examples: CI runs exactly its test command, and
its host hook example runs as written."""
import os
import shutil
import subprocess

from conftest import REPO, needs_kvm


def test_ci_runs_the_readme_test_command():
    with open(os.path.join(REPO, "README.rst")) as readme:
        lines = readme.read().splitlines()
    start = lines.index("Set up and run the test suite (it boots real VMs)::")
    command = lines[start + 2].strip()
    assert command.startswith("python3 -m venv .venv")
    with open(os.path.join(REPO, ".ci", "run")) as ci:
        assert command in ci.read().splitlines()


def readme_block(after):
    """The literal block that follows the README paragraph ending in
    `after`, dedented."""
    with open(os.path.join(REPO, "README.rst")) as readme:
        text = readme.read()
    block = text[text.index(after) + len(after):].lstrip("\n")
    lines = []
    for line in block.splitlines():
        if line and not line.startswith("    "):
            break
        lines.append(line[4:])
    return "\n".join(lines).strip() + "\n"


@needs_kvm
def test_the_readme_hook_example_runs_as_written(ltpkvm, build_dir,
                                                 tmp_path):
    """The README's host half, beside a guest that calls tst_wait_host()."""
    example = readme_block("``tests/test_readme.py``)::")
    assert "from ltpkvm.host import" in example
    for arch in ("x86_64", "i386"):
        (tmp_path / arch).mkdir()
        shutil.copy(os.path.join(build_dir, "tests", arch, "host_signal.bin"),
                    tmp_path / arch / "kvm_example01.bin")
    (tmp_path / "kvm_example01.py").write_text(example)
    run = ltpkvm("run", "kvm_example01",
                 env={"LTPKVM_PAYLOAD_DIR": str(tmp_path)})
    assert run.status == 0, run.output
    assert [r[2:] for r in run.results()] == [
        ("TINFO", "Waiting for the host"),
        ("TPASS", "The guest signalled the host"),
        ("TPASS", "The host released the guest")]


@needs_kvm
def test_the_readme_user_mode_example_runs_as_written(ltpkvm, tmp_path):
    """The README's guest user mode example, built as a test source."""
    example = readme_block("CPL 3 and returns its value::")
    assert "kvm_run_user" in example
    source = tmp_path / "src" / "kvm_example02.c"
    source.parent.mkdir()
    source.write_text('#include "kvm_test.h"\n' + example)
    out = tmp_path / "out"
    build = subprocess.run(["make", "-s", "-C", REPO, f"BUILD={out}",
                            f"TESTS_DIR={source.parent}", "ARCHES=x86_64",
                            "payloads"], capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    run = ltpkvm("run", "kvm_example02",
                 env={"LTPKVM_PAYLOAD_DIR": str(out / "payloads")})
    assert [r[2:] for r in run.results()] == [
        ("TPASS", "HLT faulted at CPL 3")], run.output
