# SPDX-License-Identifier: GPL-2.0-or-later
"""LTP-style test sources are complete tests on their own: a folder of them
(tests/ltp_style/, both halves in each source) builds from outside
payloads/, and its metadata comes from each source's doc comment and
struct tst_test, with no NAME.py."""
import ast
import json
import os
import subprocess

import pytest

from conftest import REPO, needs_kvm
from ltpkvm.ltp.definitions import FIELDS, PYTHON_ONLY

FIXTURES = os.path.join(REPO, "tests", "ltp_style")
FIXTURE_TESTS = ("kvm_ltpstyle01", "kvm_ltpstyle02", "kvm_ltpstyle03",
                 "kvm_svm03")


def make(*args):
    return subprocess.run(["make", "-C", REPO, *args], capture_output=True,
                          text=True)


@pytest.fixture(scope="module")
def fixture_tests(tmp_path_factory):
    """tests/ltp_style built by `ltpkvm build` into a folder of its own."""
    build = tmp_path_factory.mktemp("ltp-style") / "build"
    proc = subprocess.run(
        [os.path.join(REPO, ".venv", "bin", "python") if os.path.exists(
            os.path.join(REPO, ".venv", "bin", "python")) else "python3",
         "-m", "ltpkvm", "build", FIXTURES, "-o", str(build)],
        cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"Built {len(FIXTURE_TESTS)} test(s) in {build}/payloads" in \
        proc.stdout
    return build / "payloads"


@pytest.fixture
def kconfig(tmp_path):
    config = tmp_path / "config"
    config.write_text("CONFIG_KVM=m\n")
    return {"KCONFIG_PATH": str(config)}


def on_fixtures(ltpkvm, fixture_tests, *args, **kwargs):
    return ltpkvm("--tests", str(fixture_tests), *args, **kwargs)


def test_list_shows_the_c_metadata(ltpkvm, fixture_tests):
    rows = {row["name"]: row for row in json.loads(on_fixtures(
        ltpkvm, fixture_tests, "list", "--json").stdout)}
    assert sorted(rows) == sorted(FIXTURE_TESTS)
    first = rows["kvm_ltpstyle01"]
    assert first["archs"] == ["x86_64", "i386"]
    assert ["CVE", "2099-0001"] in first["tags"]
    assert first["needs"] == ["root", "CONFIG_KVM"]
    assert first["hooks"] == []
    assert first["description"] == ("LTP-style fixture that passes: both "
                                    "halves in one source, as LTP's KVM "
                                    "tests are written, with a full struct "
                                    "tst_test.")
    assert rows["kvm_ltpstyle02"]["archs"] == ["x86_64"]
    assert rows["kvm_ltpstyle02"]["needs"] == ["2 CPUs"]
    # An upstream-style kvm_svm03.c gets ltpkvm's kvm_svm03.py
    assert rows["kvm_svm03"]["hooks"] == ["run"]


def test_info_shows_the_cve_and_the_doc(ltpkvm, fixture_tests):
    info = on_fixtures(ltpkvm, fixture_tests, "info", "kvm_ltpstyle01")
    assert info.status == 0, info.output
    text = info.stdout.replace("\n", " ")
    assert "cvename.cgi?name=CVE-2099-0001" in text
    assert "timeout: 40 s" in text        # LTP's 30 + .timeout = 10
    assert "(lack of)" not in text and "reads the CPU's model" in text
    svm03 = on_fixtures(ltpkvm, fixture_tests, "info", "kvm_svm03").stdout
    assert os.path.join("payloads", "kvm_svm03.py") in svm03


def test_metadata_is_ltps_shape(ltpkvm, fixture_tests):
    data = json.loads(on_fixtures(ltpkvm, fixture_tests, "metadata").stdout)
    test = data["tests"]["kvm_ltpstyle01"]
    assert test["needs_root"] == "1"
    assert test["min_cpus"] == "1"
    assert test["timeout"] == "10"
    assert test["needs_kconfigs"] == ["CONFIG_KVM"]
    assert test["supported_archs"] == ["x86_64", "x86"]
    assert test["tags"][1] == ["CVE", "2099-0001"]
    assert test["test_all"] == "tst_kvm_run"
    assert test["doc"][0].startswith("LTP-style fixture that passes")
    assert test["fname"].endswith("tests/ltp_style/kvm_ltpstyle01.c")
    assert data["tests"]["kvm_ltpstyle03"]["tconf_msg"] == \
        "This fixture has nothing to test on this kernel"


@needs_kvm
def test_a_passing_fixture_gets_its_timeout(ltpkvm, fixture_tests, kconfig):
    run = on_fixtures(ltpkvm, fixture_tests, "run", "kvm_ltpstyle01",
                      env=kconfig)
    assert run.status == 0, run.output
    assert "Timeout per run is 0h 00m 40s" in run.output
    assert "Constraint" not in run.output
    assert run.results()[-1][:3] == ("kvm_ltpstyle01.c", "36", "TPASS")


@needs_kvm
def test_a_missing_kconfig_is_tconf(ltpkvm, fixture_tests, tmp_path):
    config = tmp_path / "config"
    config.write_text("CONFIG_KVM=n\n")
    run = on_fixtures(ltpkvm, fixture_tests, "run", "kvm_ltpstyle01",
                      env={"KCONFIG_PATH": str(config)})
    assert run.status == 32, run.output
    assert "Constraint 'CONFIG_KVM' not satisfied!" in run.output


@needs_kvm
def test_a_failing_fixture_prints_the_hints_of_its_tags(ltpkvm,
                                                        fixture_tests):
    run = on_fixtures(ltpkvm, fixture_tests, "run", "kvm_ltpstyle02")
    assert run.status == 1, run.output
    hints = run.stderr[run.stderr.index("HINT:"):run.stderr.index("Summary")]
    assert hints.split("\n") == [
        "HINT: You _MAY_ be missing kernel fixes:", "",
        "https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/"
        "commit/?id=fedcba9876543210fedcba9876543210fedcba98",
        "https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/"
        "commit/?id=00112233aabb", "",
        "HINT: You _MAY_ be vulnerable to CVE(s):", "",
        "https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2099-0002", "", ""]


def test_a_host_half_of_tst_test_tconf_is_a_tconf(ltpkvm, fixture_tests):
    run = on_fixtures(ltpkvm, fixture_tests, "run", "kvm_ltpstyle03")
    assert run.status == 32, run.output
    assert [r[2:] for r in run.results()] == [
        ("TCONF", "This fixture has nothing to test on this kernel")]


@needs_kvm
def test_ltpkvms_own_definition_drives_an_upstream_style_source(
        ltpkvm, fixture_tests):
    """kvm_svm03.py's requirement (a guest CPU with SVM) is what this run
    checks: without SVM here it is its TCONF, in the lab its verdict."""
    run = on_fixtures(ltpkvm, fixture_tests, "run", "kvm_svm03")
    if "svm" in open("/proc/cpuinfo").read().split():
        pytest.skip("this CPU has SVM")
    assert run.status == 32, run.output
    assert [r[2:] for r in run.results()] == [
        ("TCONF", "KVM does not offer the guest CPU feature(s) svm")]


def test_install_ltp_runs_the_built_folder(ltpkvm, fixture_tests, tmp_path):
    root = tmp_path / "ltp"
    run = on_fixtures(ltpkvm, fixture_tests, "install-ltp", "--ltproot",
                      str(root))
    assert run.status == 0, run.output
    wrapper = (root / "testcases" / "bin" / "kvm_ltpstyle01").read_text()
    assert f"--tests {fixture_tests}" in wrapper
    runtest = (root / "runtest" / "ltpkvm").read_text().splitlines()
    assert "kvm_ltpstyle03 ltpkvm run kvm_ltpstyle03" in runtest


def test_our_tests_keep_only_what_c_cannot_say_in_python():
    """Each of ltpkvm's tests is one C source; a NAME.py holds only hooks,
    module_params and needs_cpu_features."""
    folder = os.path.join(REPO, "payloads")
    metadata_fields = set(FIELDS) - set(PYTHON_ONLY)
    for name in sorted(os.listdir(folder)):
        if name.endswith(".py"):
            tree = ast.parse(open(os.path.join(folder, name)).read())
            assigned = {target.id for node in tree.body
                        if isinstance(node, ast.Assign)
                        for target in node.targets
                        if isinstance(target, ast.Name)}
            assert not assigned & metadata_fields, name


def test_a_compile_error_fails_the_build(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "kvm_broken01.c").write_text(
        '#include "kvm_test.h"\nvoid main(void) { int x = ; }\n')
    result = make(f"BUILD={tmp_path / 'build'}", f"TESTS_DIR={src}",
                  "payloads")
    assert result.returncode != 0
    assert "kvm_broken01.c:2:" in result.stderr        # the compiler's
    assert "error: expected expression" in result.stderr
    assert f"ERROR: {src}/kvm_broken01.c does not compile for x86_64" in \
        result.stderr
    assert not (tmp_path / "build" / "payloads" / "x86_64" /
                "kvm_broken01.bin").exists()


@pytest.mark.parametrize("initializer, line, message", [
    ('.tags = (struct tst_tag[]){ {"CVE"}, {} }', 6,
     '.tags: expected {"name", "value"}, found \'{...}\''),
    (".needs_root = yes", 6, ".needs_root: expected an integer, found 'yes'"),
    (".supported_archs = \"x86_64\"", 6,
     ".supported_archs: expected a braced list, found '\"x86_64\"'"),
    ('.min_cpus = 2,\n\t.min_cpus = 3', 7, ".min_cpus is set twice"),
    ('.timeout = 10\n\t.min_cpus = 1', 7, "malformed struct tst_test "
     "initializer: expected ',' before '.min_cpus'"),
])
def test_a_malformed_tst_test_is_a_build_error_naming_the_line(
        tmp_path, initializer, line, message):
    src = tmp_path / "src"
    src.mkdir()
    (src / "kvm_meta01.c").write_text(
        '#include "kvm_test.h"\n#ifdef COMPILE_PAYLOAD\nvoid main(void) {}\n'
        "#else\nstatic struct tst_test test = {\n\t" + initializer
        + "\n};\n#endif\n")
    result = make(f"BUILD={tmp_path / 'build'}", f"TESTS_DIR={src}",
                  "payloads")
    assert result.returncode != 0
    assert f"{src}/kvm_meta01.c:{line}: error: {message}" in result.stderr


def test_the_wheels_sdk_builds_a_folder(tmp_path):
    """What the wheel ships in ltpkvm/sdk/ (ltpkvm/_build.py's SDK_FILES) is
    enough to build a folder of tests without the source tree."""
    import glob
    import shutil

    from ltpkvm._build import SDK_FILES
    sdk = tmp_path / "sdk"
    for pattern in SDK_FILES:
        for path in glob.glob(os.path.join(REPO, pattern)):
            target = sdk / os.path.relpath(path, REPO)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
    build = tmp_path / "build"
    proc = subprocess.run(
        ["make", "-C", str(sdk), f"TESTS_DIR={FIXTURES}", f"BUILD={build}",
         f"LTPKVM_DIR={REPO}/ltpkvm", "payloads"],
        capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    for name in FIXTURE_TESTS:
        assert (build / "payloads" / "x86_64" / f"{name}.bin").exists()
        assert (build / "payloads" / f"{name}.json").exists()
