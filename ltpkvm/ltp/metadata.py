# SPDX-License-Identifier: GPL-2.0-or-later
"""The tests' metadata in the shape of LTP's metadata/ltp.json, which kirk
reads (e.g. to know which tests may run in parallel): each field of the
test's struct tst_test as LTP's metadata parser writes it (numbers as
strings, lists without their NULL terminator), its doc comment and source."""
from .. import __version__
from .definitions import ARCHES, DEFAULT_TIMEOUT

# What a NAME.py may say that has a place in struct tst_test
PYTHON_FIELDS = ("tags", "needs_root", "needs_kconfigs", "supported_archs",
                 "min_cpus", "timeout", "runtime", "needs_cmds",
                 "needs_drivers", "min_kver")


def _ltp_value(key, value):
    if key == "save_restore":
        return [[path, "NULL" if val is None else val, flags]
                for path, val, flags, *_ in value]
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [list(item) if isinstance(item, (list, tuple)) else item
                for item in value]
    return value


def test_metadata(definition):
    """One test's dict: only the fields that are set, as LTP's."""
    fields = {key: _ltp_value(key, value)
              for key, value in definition.c_fields.items()}
    defaults = {"supported_archs": ARCHES, "min_cpus": 1}
    for key in PYTHON_FIELDS:
        value = getattr(definition, key)
        if key not in fields and value and value != defaults.get(key):
            fields[key] = _ltp_value(key, value)
    if definition.module_params:
        fields.setdefault("save_restore", []).extend(
            [f"/sys/module/{module}/parameters/{param}", str(value),
             "TST_SR_TCONF"]
            for module, params in definition.module_params.items()
            for param, value in params.items())
    fields["doc"] = list(definition.doc) or (
        [definition.description] if definition.description else [])
    fields["fname"] = definition.source or f"{definition.name}.c"
    return fields


def ltp_metadata(entries, definition_of):
    """{testsuite, defaults, tests} for runtest entries; definition_of(name)
    gives a test's definition."""
    return {
        "testsuite": {"name": "ltpkvm", "short_desc":
                      "LTP-compatible KVM tests", "version": __version__},
        "defaults": {"timeout": DEFAULT_TIMEOUT},
        "tests": {entry.name: test_metadata(definition_of(entry.test))
                  for entry in entries},
    }
