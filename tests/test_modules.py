# SPDX-License-Identifier: GPL-2.0-or-later
"""Module parameter helpers and kvm_pagefault01's TDP switch, against a
fake /sys/module and a fake modprobe (reloading real KVM modules here would
pull /dev/kvm from under everyone)."""
import os

import pytest

from conftest import BUILD
from ltpkvm.host import modules
from ltpkvm.host.errors import AbortTest, reporting_to
from ltpkvm.ltp.definitions import load_definition

def log_lines(log):
    return log.read_text().splitlines() if log.exists() else []


def test_read_bool_param(fake_host):
    assert modules.read_bool_param("kvm_amd", "npt") is True
    assert modules.read_bool_param("kvm_amd", "nested") is True
    assert modules.read_bool_param("kvm_intel", "ept") is None
    assert modules.read_param("kvm_amd", "missing") is None
    assert modules.module_loaded("kvm_amd")
    assert not modules.module_loaded("kvm_intel")


def test_reload_then_restore_the_original_values(fake_host):
    log, _ = fake_host
    reloader = modules.ModuleReloader()
    reloader.reload("kvm_amd", npt=0, nested=0)
    assert modules.read_param("kvm_amd", "npt") == "0"
    reloader.restore()
    assert log_lines(log) == ["-r kvm_amd", "kvm_amd npt=0 nested=0",
                              "-r kvm_amd", "kvm_amd npt=Y nested=1"]
    assert modules.read_bool_param("kvm_amd", "npt") is True


def test_failed_modprobe_is_tbrok_with_its_message(fake_host):
    _, make_modprobe = fake_host
    make_modprobe(fail="Module kvm_amd is in use")
    with pytest.raises(AbortTest) as exc:
        modules.ModuleReloader().reload("kvm_amd", npt=0)
    assert "Module kvm_amd is in use" in exc.value.message


def test_apply_reloads_only_what_differs(fake_host):
    log, _ = fake_host
    reloader, said = modules.ModuleReloader(), []
    reloader.apply({"kvm_amd": {"nested": 1, "npt": 0},
                    "kvm_intel": {"ept": 0}}, said.append)
    assert said == ["Reloading kvm_amd with npt=0"]
    reloader.restore()
    assert log_lines(log) == ["-r kvm_amd", "kvm_amd npt=0",
                              "-r kvm_amd", "kvm_amd npt=Y"]


class FakeTest:
    """What a definition hook sees of KvmTest."""

    def __init__(self):
        self.results, self.calls = [], []

    def result(self, file, lineno, ttype, message):   # the sink
        self.results.append(message)

    def setup(self):
        self.calls.append("setup")


def test_pagefault01_runs_on_the_shadow_mmu(fake_host, build_dir):
    definition = load_definition("kvm_pagefault01",
                                 os.path.join(BUILD, "payloads"))
    assert ("CVE", "2021-38198") in definition.tags
    assert definition.supported_archs == ("x86_64",)
    assert definition.module_params == {"kvm_intel": {"ept": 0},
                                         "kvm_amd": {"npt": 0}}
    reloader, said = modules.ModuleReloader(), []
    reloader.apply(definition.module_params, said.append)
    assert said == ["Reloading kvm_amd with npt=0"]
    assert modules.read_bool_param("kvm_amd", "npt") is False
    test = FakeTest()
    with reporting_to(test):
        definition.setup(test)
    assert test.results == [
        "WARNING: tdp_mmu is enabled, beware of false negatives"]
    assert test.calls == ["setup"]
    reloader.restore()
    assert modules.read_bool_param("kvm_amd", "npt") is True
