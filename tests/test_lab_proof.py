# SPDX-License-Identifier: GPL-2.0-or-later
"""The proof lab's mutants (tests/lab/reverts) and its judge, without a
lab: every mutant file is well formed and names a test of ours and that
test's own fix; the driver (tests/lab/proof) calls a test proven only when
the stock kernel passes and the mutant gives the verdict its file
expects."""
import glob
import importlib.machinery
import importlib.util
import os
import re

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REVERTS = os.path.join(REPO, "tests", "lab", "reverts")
MUTANT_FILES = sorted(glob.glob(os.path.join(REVERTS, "*.patch")) +
                      glob.glob(os.path.join(REVERTS, "*.none")))
LAB_SOURCE = os.path.join(REPO, "build", "lab", "src", "linux-source-6.1")


def load_proof():
    loader = importlib.machinery.SourceFileLoader(
        "lab_proof", os.path.join(REPO, "tests", "lab", "proof"))
    spec = importlib.util.spec_from_loader("lab_proof", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


proof = load_proof()


def test_there_are_mutants():
    assert len([p for p in MUTANT_FILES if p.endswith(".patch")]) >= 10


@pytest.mark.parametrize("path", MUTANT_FILES, ids=os.path.basename)
def test_mutant_file_is_well_formed(path):
    mutant = proof.Mutant(path)
    name = os.path.basename(path).rsplit(".", 1)[0]
    assert mutant.test == name
    source = os.path.join(REPO, "payloads", f"{mutant.test}.c")
    assert os.path.exists(source), f"{mutant.test} is not a test of ours"
    commit = mutant.fields["Fix"].split()[0]
    if re.fullmatch(r"[0-9a-f]{40}", commit):
        with open(source) as f:
            assert f'"linux-git", "{commit}"' in f.read(), \
                "Fix names a commit the test's own tags do not"
    if mutant.has_patch:
        with open(path) as f:
            diff = f.read().split("\n\n", 1)[1]
        files = re.findall(r"^\+\+\+ b/(\S+)", diff, re.M)
        assert files and all(f.startswith("arch/x86/kvm/") for f in files)
        assert re.search(r"^@@ ", diff, re.M)


@pytest.mark.skipif(not os.path.isdir(LAB_SOURCE),
                    reason="no lab kernel source (tests/lab/build-kernel)")
@pytest.mark.parametrize("path", [p for p in MUTANT_FILES
                                  if p.endswith(".patch")],
                         ids=os.path.basename)
def test_patch_applies_to_the_lab_source(path):
    import subprocess
    proc = subprocess.run(["patch", "-p1", "--dry-run", "--silent", "-f",
                           "-d", LAB_SOURCE, "-i", path],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def write_mutant(tmp_path, header, suffix=".patch"):
    path = tmp_path / f"kvm_x01{suffix}"
    path.write_text(header + "\n\n--- a/arch/x86/kvm/x86.c\n")
    return str(path)


GOOD = ("Test: kvm_x01\nFix: 0123456789ab0123456789ab0123456789ab0123 x\n"
        "Why: because")


@pytest.mark.parametrize("extra, message", [
    ("Lab: arm", "Lab must name"),
    ("Lab: svm svm", "Lab must name"),
    ("Lab: svm vmx\nCpu: EPYC", "applies to one lab only"),
    ("Expect: pass", "Expect must be"),
    ("Colour: red", "not a header line"),
])
def test_bad_header_is_refused(tmp_path, extra, message):
    with pytest.raises(proof.ProofError, match=message):
        proof.Mutant(write_mutant(tmp_path, GOOD + "\n" + extra))


def test_missing_why_is_refused(tmp_path):
    with pytest.raises(proof.ProofError, match="no Why"):
        proof.Mutant(write_mutant(tmp_path, GOOD.rsplit("\n", 1)[0]))


def test_one_mutant_runs_in_each_lab_it_names(tmp_path):
    mutant = proof.Mutant(write_mutant(tmp_path, GOOD + "\nLab: svm vmx"))
    assert [setup[0] for setup in mutant.setups()] == ["svm", "vmx"]


@pytest.mark.parametrize("expect, stock, mutated, proven", [
    ("fail", ["pass"], ["fail"], True),
    ("fail", ["pass"], ["pass"], False),
    ("fail", ["fail"], ["fail"], False),      # the stock kernel must pass
    ("fail", ["pass"], ["lab hung"], False),  # a hang proves a lockup only
    ("fail", ["pass"], ["broken"], False),
    ("fail-or-hang", ["pass"], ["lab hung"], True),
    ("fail-or-hang", ["pass"], ["fail"], True),
    ("fail-or-hang", ["pass"], ["timeout"], True),
    ("fail-or-hang", ["pass"], ["lab died"], False),  # a crash is no hang
    ("fail-or-hang", ["pass"], ["pass"], False),
    ("fail", ["pass", "pass"], ["pass", "fail"], True),   # one arch fails
    ("fail", ["pass", "skip"], ["fail", "fail"], False),  # each must pass
])
def test_judge(tmp_path, expect, stock, mutated, proven):
    mutant = proof.Mutant(write_mutant(tmp_path,
                                       GOOD + f"\nExpect: {expect}"))
    got, why = proof.judge(mutant, [(v, "") for v in stock],
                           [(v, "") for v in mutated])
    assert got is proven, why


def test_no_mutant_is_never_proven(tmp_path):
    mutant = proof.Mutant(write_mutant(tmp_path, GOOD, suffix=".none"))
    assert proof.judge(mutant, [("pass", "")], []) == (False, "because")


LOG = """runner.py:68: TINFO: ltpkvm version: 0.1.0
t.c:10: TPASS: ICEBP at CPL 3: #DB at CPL 3 after the code
t.c:11: TFAIL: MOV SS, then INT3 at CPL 3: #BP at CPL 3
t.c:12: TPASS: MOV SS, then ICEBP at CPL 3: #DB at CPL 3 after the code
"""


@pytest.mark.parametrize("log, pattern, verdict, expected", [
    (LOG, None, "fail", ("fail", "t.c:11: TFAIL: MOV SS, then INT3 at CPL "
                                 "3: #BP at CPL 3")),
    (LOG, "ICEBP", "fail", ("pass", "")),
    (LOG, "INT3", "fail", ("fail", "t.c:11: TFAIL: MOV SS, then INT3 at "
                                   "CPL 3: #BP at CPL 3")),
    (LOG, "SYSENTER", "fail", ("no line judged", "")),
    (LOG + "t.c:13: TBROK: gone\n", "ICEBP", "broken", ("broken", "")),
    (LOG, "ICEBP", "lab hung", ("lab hung", "t.c:11: TFAIL: MOV SS, then "
                                            "INT3 at CPL 3: #BP at CPL 3")),
])
def test_judge_pattern(tmp_path, log, pattern, verdict, expected):
    (tmp_path / "kvm_x01.log").write_text(log)
    assert proof.judged(verdict, str(tmp_path), "kvm_x01", pattern) == \
        expected


def test_bad_judge_pattern_is_refused(tmp_path):
    with pytest.raises(proof.ProofError, match="Judge is no regular"):
        proof.Mutant(write_mutant(tmp_path, GOOD + "\nJudge: (unclosed"))
