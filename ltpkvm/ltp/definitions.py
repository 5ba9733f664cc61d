# SPDX-License-Identifier: GPL-2.0-or-later
"""Test definitions: what a test declares beyond its payload.

A test is one C source, as in LTP: its doc comment (`/*\\`) and the host
half's `struct tst_test` initializer hold its metadata, which the build
ships beside the payload as NAME.json (see csource.py). What C cannot say
goes in a Python file of the same name, NAME.py, beside the source or among
ltpkvm's own definitions (so that ltpkvm's kvm_svm03.py also drives an
upstream kvm_svm03.c built from another folder):

    # ltpkvm's own: what KVM must offer the guest (/proc/cpuinfo names)
    needs_cpu_features = ["svm"]
    # Kernel module parameters the test runs with: a loaded module whose
    # values differ is reloaded before setup and restored after cleanup
    module_params = {"kvm_amd": {"nested": 1}}
    # Guest-physical MMIO and I/O ports the host answers (emulated_io.py)
    mmio_regions = [MmioRegion(KVM_MMIO_BASEADDR, 0x2000)]
    port_regions = [PortRegion(0x80, 1)]

    def setup(test): ...     # host hooks. test: ltpkvm.host.KvmTest;
    def run(test): ...       # call test.setup()/test.run()/test.cleanup()
    def cleanup(test): ...   # for the default behaviour

A NAME.py may also set the metadata fields of struct tst_test (tags,
needs_root, timeout, ...) for a source that has no host half. When both set
a field, the C source is the one source of truth: a NAME.py that says it
differently is an error (TBROK naming both), never silently overridden.
Every value is checked: a field of the wrong type or out of range is the
test's TBROK, naming the field.
"""
import importlib.util
import json
import os
import stat

from ..host.emulated_io import MmioRegion, PortRegion
from ..host.errors import tst_brk
from ..host.files import read_regular_file
from ..host.guest_abi import TBROK
from ..host.x86 import CPU_FEATURES

ARCHES = ("x86_64", "i386")
# LTP's names for the archs its tests list; ours are the keys' values
LTP_ARCH_NAMES = {"x86_64": "x86_64", "x86": "i386", "i386": "i386"}
OTHER_LTP_ARCHES = ("aarch64", "arm", "ppc", "ppc64", "s390", "s390x",
                    "sparc", "riscv64", "loongarch")
HOOKS = ("setup", "run", "cleanup")
DEFAULT_TIMEOUT = 30   # seconds, LTP's default per run
MAX_METADATA_SIZE = 1024 * 1024


class TestDefinition:
    """A test's definition: its metadata fields (see DEFAULTS), its hooks,
    where it came from. (A plain class: building a dataclass of this many
    fields costs every run a few milliseconds of start-up.)"""
    __test__ = False   # not a pytest test class

    DEFAULTS = {
        "description": "",
        "doc": (),                # the doc comment's lines
        "tags": (),               # ((name, value), ...)
        "needs_root": False,
        "needs_kconfigs": (),
        "supported_archs": ARCHES,
        "min_cpus": 1,
        "timeout": 0,             # seconds on top of LTP's 30; -1: none
        "runtime": 0,             # LTP's max_runtime: more seconds per run
        "save_restore": (),       # ((path, value or None, flags), ...)
        "needs_cmds": (),
        "needs_drivers": (),
        "min_kver": "",
        "tconf_msg": "",          # the whole test is a TCONF
        "needs_cpu_features": (),
        "module_params": None,    # {} by default
        "mmio_regions": (),       # MmioRegion, answered by the host
        "port_regions": (),       # PortRegion, likewise
        "setup": None, "run": None, "cleanup": None,
        "source": None,           # the C source, as the build named it
        "hooks_file": None,       # the NAME.py, if any
        "c_fields": None,         # every field of the C source, {} if none
    }

    def __init__(self, name, **fields):
        unknown = set(fields) - set(self.DEFAULTS)
        if unknown:
            raise TypeError(f"unknown fields {sorted(unknown)}")
        self.name = name
        self.__dict__.update(self.DEFAULTS, **fields)
        self.module_params = self.module_params or {}
        self.c_fields = self.c_fields or {}

    def __repr__(self):
        return f"TestDefinition({self.name!r})"

    def has_hooks(self):
        return any(getattr(self, hook) for hook in HOOKS)

    def hook_names(self):
        return [hook for hook in HOOKS if getattr(self, hook)]


class _Invalid(Exception):
    pass


def _strings(value):
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise _Invalid("a list of strings")
    if not all(isinstance(item, str) for item in value):
        raise _Invalid("a list of strings")
    return tuple(value)


def _integer(minimum):
    def check(value):
        if isinstance(value, bool) or not isinstance(value, int):
            raise _Invalid("an integer")
        if value < minimum:
            raise _Invalid(f"an integer >= {minimum}")
        return value
    return check


def _boolean(value):
    if isinstance(value, bool) or value in (0, 1):
        return bool(value)
    raise _Invalid("True/False (or 1/0)")


def _string(value):
    if not isinstance(value, str):
        raise _Invalid("a string")
    return value


def _list_of(value, what, item_ok):
    """value as a tuple of tuples, each item a list or tuple that
    item_ok(item) accepts; _Invalid(what) otherwise."""
    if isinstance(value, str) or not isinstance(value, (list, tuple)) or \
            not all(isinstance(item, (list, tuple)) and item_ok(item)
                    for item in value):
        raise _Invalid(what)
    return tuple(tuple(item) for item in value)


def _tags(value):
    return _list_of(value, 'a list of ("name", "value") pairs',
                    lambda tag: len(tag) == 2 and
                    all(isinstance(part, str) for part in tag))


def _archs(value):
    archs = []
    for name in _strings(value):
        if name in LTP_ARCH_NAMES:
            archs.append(LTP_ARCH_NAMES[name])
        elif name not in OTHER_LTP_ARCHES:
            raise _Invalid(f"arch names (unknown: {name!r}; ltpkvm runs "
                           f"{', '.join(ARCHES)})")
    return tuple(dict.fromkeys(archs))


def _cpu_features(value):
    features = _strings(value)
    unknown = sorted(set(features) - set(CPU_FEATURES))
    if unknown:
        raise _Invalid(f"CPU feature names (unknown: {', '.join(unknown)}; "
                       f"known: {', '.join(CPU_FEATURES)})")
    return features


def _module_params(value):
    if not isinstance(value, dict):
        raise _Invalid("{module: {parameter: value}}")
    for module, params in value.items():
        if not isinstance(module, str) or not isinstance(params, dict) or \
                not all(isinstance(p, str) and isinstance(v, (str, int))
                        for p, v in params.items()):
            raise _Invalid("{module: {parameter: value}}")
    return value


def _padded(entry):
    """(path, value, flags) of a save_restore entry, the defaults added."""
    return tuple(entry) + (None, None, 0)[len(entry):]


def _save_restore_entry(entry):
    if not 1 <= len(entry) <= 3:
        return False
    path, value, flags = _padded(entry)
    return (isinstance(path, str) and (value is None or isinstance(value, str))
            and isinstance(flags, int) and not isinstance(flags, bool))


def _save_restore(value):
    return tuple(_padded(entry) for entry in _list_of(
        value, "a list of (path, value or None, flags)", _save_restore_entry))


def _regions(kind):
    def check(value):
        if isinstance(value, (list, tuple)) and \
                all(isinstance(item, kind) for item in value):
            return tuple(value)
        raise _Invalid(f"a list of {kind.__name__} "
                       f"(from ltpkvm.host import {kind.__name__})")
    return check


def _hook(value):
    if value is not None and not callable(value):
        raise _Invalid("a function")
    return value


# Each field a definition may set, with how its value is checked
FIELDS = {
    "description": _string, "tags": _tags, "needs_root": _boolean,
    "needs_kconfigs": _strings, "supported_archs": _archs,
    "min_cpus": _integer(0), "timeout": _integer(-1),
    "runtime": _integer(0), "max_runtime": _integer(0),
    "save_restore": _save_restore, "needs_cmds": _strings,
    "needs_drivers": _strings, "min_kver": _string, "tconf_msg": _string,
    "needs_cpu_features": _cpu_features, "module_params": _module_params,
    "mmio_regions": _regions(MmioRegion), "port_regions": _regions(PortRegion),
    "setup": _hook, "run": _hook, "cleanup": _hook,
}
# Only a NAME.py can say these
PYTHON_ONLY = ("needs_cpu_features", "module_params", "mmio_regions",
               "port_regions") + HOOKS


def _checked(fields, where):
    checked = {}
    for key, value in fields.items():
        try:
            checked[key] = FIELDS[key](value)
        except _Invalid as exc:
            shown = repr(value)
            shown = shown if len(shown) <= 60 else shown[:57] + "..."
            tst_brk(TBROK, f"{where}: {key} must be {exc}, not {shown}")
    if "max_runtime" in checked:   # LTP's older name
        checked.setdefault("runtime", checked.pop("max_runtime"))
    return checked


def read_c_metadata(path):
    """The fields of the NAME.json the build made from the C source:
    (fields, raw json dict); ({}, None) when there is none."""
    try:
        data = json.loads(read_regular_file(path, MAX_METADATA_SIZE))
    except FileNotFoundError:
        return {}, None
    except (OSError, ValueError) as exc:
        tst_brk(TBROK, f"Cannot read {path}: {exc}")
    if not isinstance(data, dict) or not isinstance(data.get("fields"), dict):
        tst_brk(TBROK, f"{path} is not test metadata: rebuild the tests")
    c_fields = data["fields"]
    fields = {key: c_fields[key] for key in FIELDS
              if key in c_fields and key not in PYTHON_ONLY}
    fields["save_restore"] = [entry[:2] + entry[3:] for entry in
                              c_fields.get("save_restore", [])]
    if not fields["save_restore"]:
        del fields["save_restore"]
    if data.get("description"):
        fields["description"] = data["description"]
    return _checked(fields, data.get("source") or path), data


def _load_python(name, path):
    """The fields a NAME.py sets. A broken one is the test's TBROK,
    however it fails (SystemExit and KeyboardInterrupt included)."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        tst_brk(TBROK, f"Cannot load {path}: not a regular file")
    spec = importlib.util.spec_from_file_location(f"ltpkvm_test_{name}", path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except BaseException as exc:  # noqa: BLE001 - the author's bug, reported
        tst_brk(TBROK, f"Cannot load {path}: {type(exc).__name__}: {exc}")
    # The module's own names only: a module __getattr__ is never called
    names = vars(module)
    return _checked({key: names[key] for key in FIELDS if key in names},
                    path)


def load_definition(name, folder, fallback_folders=()):
    """The definition of test name built in folder: the metadata of its C
    source (folder/name.json) and its NAME.py (folder/name.py, else the
    first of fallback_folders that has one)."""
    c_fields, data = read_c_metadata(os.path.join(folder, name + ".json"))
    hooks_file = None
    for candidate in (folder, *fallback_folders):
        path = os.path.join(candidate, name + ".py")
        if os.path.exists(path):
            hooks_file = path
            break
    py_fields = _load_python(name, hooks_file) if hooks_file else {}
    source = data.get("source") if data else None
    for key in set(c_fields) & set(py_fields):
        if c_fields[key] != py_fields[key]:
            tst_brk(TBROK, f"{hooks_file} sets {key}, which {source}'s "
                    "struct tst_test sets otherwise: the C source is the "
                    f"test's metadata; remove {key} from {hooks_file}")
    return TestDefinition(name, source=source, hooks_file=hooks_file,
                          doc=tuple(data["doc"]) if data else (),
                          c_fields=dict(data["fields"]) if data else {},
                          **dict(py_fields, **c_fields))
