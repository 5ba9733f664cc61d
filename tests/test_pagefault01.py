# SPDX-License-Identifier: GPL-2.0-or-later
"""kvm_pagefault01 end to end on real KVM."""
from conftest import needs_kvm


@needs_kvm
def test_kvm_pagefault01_passes(ltpkvm):
    run = ltpkvm("run", "kvm_pagefault01")
    assert run.status == 0, run.output
    assert run.results() == [("kvm_pagefault01.c", run.results()[0][1],
                              "TPASS", "KVM enforces memory write permissions")]
    assert run.summary() == {"passed": 1, "failed": 0, "broken": 0,
                             "skipped": 0, "warnings": 0}
    assert "Traceback" not in run.output


@needs_kvm
def test_iterations_each_boot_a_fresh_vm(ltpkvm):
    run = ltpkvm("run", "-i", "3", "kvm_pagefault01")
    assert run.status == 0, run.output
    assert run.summary()["passed"] == 3
