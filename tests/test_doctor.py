# SPDX-License-Identifier: GPL-2.0-or-later
"""`ltpkvm doctor` and the guest CPU-feature requirement."""
import json
import shutil

from conftest import needs_kvm
from ltpkvm.host.x86 import guest_cpu_features, i386_paging_works
from ltpkvm.kvm import KvmSystem

pytestmark = needs_kvm


def offered():
    with KvmSystem() as system:
        return guest_cpu_features(system.supported_cpuid()), \
            i386_paging_works(system)


def test_doctor_json_tells_what_this_host_can_test(ltpkvm):
    run = ltpkvm("doctor", "--json")
    assert run.status == 0, run.output
    report = json.loads(run.stdout)
    host = {fact["check"]: fact for fact in report["host"]}
    assert host["/dev/kvm"]["ok"] is True
    assert host["KVM API version"]["value"] == "12"
    features, paged = offered()
    for name in ("vmx", "svm", "nx", "lm"):
        assert host[f"guest CPU: {name}"]["value"].startswith(
            "offered" if name in features else "not offered")
    assert host["i386 payloads"]["value"].startswith(
        "paged" if paged else "unpaged")
    tests = {(t["test"], t["arch"]): t for t in report["tests"]}
    assert tests["kvm_pagefault01", "x86_64"] == {
        "test": "kvm_pagefault01", "arch": "x86_64", "runs": True,
        "reason": "", "kind": ""}
    assert tests["kvm_pagefault01", "i386"]["reason"] == \
        "This arch 'i386' is not supported for test!"
    assert tests["kvm_pagefault01", "i386"]["kind"] == "arch"


def test_doctor_table_on_a_terminal_less_run(ltpkvm):
    run = ltpkvm("doctor")
    assert run.status == 0 and "guest CPU: svm" in run.stdout


def test_missing_guest_cpu_feature_is_tconf(ltpkvm, tmp_path, build_dir):
    features, _ = offered()
    absent = sorted({"vmx", "svm", "la57"} - features)
    assert absent, "this host offers every feature: pick another"
    for arch in ("x86_64", "i386"):
        (tmp_path / arch).mkdir()
        shutil.copy(f"{build_dir}/tests/{arch}/selftest_hello.bin",
                    tmp_path / arch / "kvm_nested.bin")
    (tmp_path / "kvm_nested.py").write_text(
        f"needs_cpu_features = [{absent[0]!r}]\n")
    run = ltpkvm("run", "kvm_nested",
                 env={"LTPKVM_PAYLOAD_DIR": str(tmp_path)})
    assert run.status == 32, run.output
    assert ("TCONF: KVM does not offer the guest CPU feature(s) "
            f"{absent[0]}") in run.output
