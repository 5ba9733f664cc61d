# SPDX-License-Identifier: GPL-2.0-or-later
"""Test definitions: what a test declares beyond its payload.

A plain test is only its C file. A test that needs more has, beside it, a
Python file of the same name that declares, in one place, its metadata as
module-level names (those of LTP's struct tst_test where there is one) and,
only if it needs them, host hooks:

    description = "What the test proves"
    tags = [("CVE", "2021-38198"), ("linux-git", "b1bd5cba3306")]
    needs_root = True
    needs_kconfigs = ["CONFIG_KVM"]
    supported_archs = ["x86_64"]
    min_cpus = 2
    timeout = 10             # seconds on top of LTP's default 30
    needs_cpu_features = ["svm"]   # ltpkvm's own: what KVM must offer
                                   # the guest (/proc/cpuinfo names)
    # Kernel module parameters the test runs with: a loaded module whose
    # values differ is reloaded before setup and restored after cleanup
    module_params = {"kvm_amd": {"nested": 1}}

    def setup(test): ...     # test: ltpkvm.host.instance.KvmTest; call
    def run(test): ...       # test.setup()/test.run()/test.cleanup() for
    def cleanup(test): ...   # the default behaviour
"""
import dataclasses
import importlib.util
import os

from ..host.errors import tst_brk
from ..host.guest_abi import TBROK
from ..host.x86 import CPU_FEATURES

ARCHES = ("x86_64", "i386")
HOOKS = ("setup", "run", "cleanup")


@dataclasses.dataclass
class TestDefinition:
    __test__ = False   # not a pytest test class
    name: str
    description: str = ""
    tags: tuple = ()
    needs_root: bool = False
    needs_kconfigs: tuple = ()
    supported_archs: tuple = ARCHES
    min_cpus: int = 1
    timeout: int = 0
    needs_cpu_features: tuple = ()
    module_params: dict = dataclasses.field(default_factory=dict)
    setup: object = None
    run: object = None
    cleanup: object = None
    source: str = None
    doc: str = ""     # the definition file's docstring

    def has_hooks(self):
        return any(getattr(self, hook) for hook in HOOKS)


METADATA = tuple(field.name for field in dataclasses.fields(TestDefinition)
                 if field.name not in HOOKS + ("name", "source", "doc"))


def load_definition(name, folder):
    """The definition of test name: folder/name.py if it exists, else the
    defaults of a plain test. A broken definition file is the test's TBROK."""
    path = os.path.join(folder, name + ".py")
    if not os.path.exists(path):
        return TestDefinition(name)
    spec = importlib.util.spec_from_file_location(f"ltpkvm_test_{name}", path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # noqa: BLE001 - the author's bug, reported
        tst_brk(TBROK, f"Cannot load {path}: {type(exc).__name__}: {exc}")
    fields = {key: getattr(module, key) for key in METADATA + HOOKS
              if hasattr(module, key)}
    for key in ("tags", "needs_kconfigs", "supported_archs",
                "needs_cpu_features"):
        if key in fields:
            fields[key] = tuple(tuple(item) if key == "tags" else item
                                for item in fields[key])
    unknown = set(fields.get("supported_archs", ())) - set(ARCHES)
    if unknown:
        tst_brk(TBROK, f"{path}: unknown arch(es) {sorted(unknown)}")
    unknown = set(fields.get("needs_cpu_features", ())) - set(CPU_FEATURES)
    if unknown:
        tst_brk(TBROK, f"{path}: unknown CPU feature(s) {sorted(unknown)}; "
                f"known: {', '.join(CPU_FEATURES)}")
    return TestDefinition(name, source=path, doc=module.__doc__ or "",
                          **fields)
