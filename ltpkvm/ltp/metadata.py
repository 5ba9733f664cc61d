# SPDX-License-Identifier: GPL-2.0-or-later
"""The tests' metadata in the shape of LTP's metadata/ltp.json, which kirk
reads (e.g. to know which tests may run in parallel)."""
from .. import __version__
from .runner import DEFAULT_TIMEOUT


def test_metadata(definition):
    """One test's dict: only the fields that are set, as LTP's."""
    fields = {"doc": [definition.description] if definition.description
              else [], "fname": f"payloads/{definition.name}.c"}
    if definition.needs_root:
        fields["needs_root"] = "1"
    if definition.tags:
        fields["tags"] = [list(tag) for tag in definition.tags]
    if definition.needs_kconfigs:
        fields["needs_kconfigs"] = list(definition.needs_kconfigs)
    if definition.supported_archs != ("x86_64", "i386"):
        fields["supported_archs"] = list(definition.supported_archs)
    if definition.min_cpus > 1:
        fields["min_cpus"] = definition.min_cpus
    if definition.module_params:
        fields["save_restore"] = [
            [f"/sys/module/{module}/parameters/{param}", str(value)]
            for module, params in definition.module_params.items()
            for param, value in params.items()]
    if definition.timeout:
        fields["timeout"] = DEFAULT_TIMEOUT + definition.timeout
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
