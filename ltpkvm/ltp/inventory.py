# SPDX-License-Identifier: GPL-2.0-or-later
"""What `ltpkvm list`, `info` and `doctor` show, computed here so that the
command line only prints it."""
import dataclasses

from ..host.doctor import host_facts
from ..host.errors import AbortTest
from .definitions import ARCHES
from .runner import requirement_problem, test_timeout
from .tags import tag_url


def needs(definition):
    """What the test needs of the host, in words."""
    found = []
    if definition.needs_root:
        found.append("root")
    found += list(definition.needs_kconfigs)
    if definition.min_cpus > 1:
        found.append(f"{definition.min_cpus} CPUs")
    found += [f"command {cmd}" for cmd in definition.needs_cmds]
    found += [f"driver {driver}" for driver in definition.needs_drivers
              if driver != "kvm"]
    if definition.min_kver:
        found.append(f"kernel {definition.min_kver}")
    found += [f"guest CPU {feature}"
              for feature in definition.needs_cpu_features]
    return found


def test_row(catalog, name):
    """One test as `list` shows it; a broken definition shows as such."""
    built = catalog.built_arches(name)
    try:
        definition = catalog.definition(name)
    except AbortTest as exc:
        return {"name": name, "archs": built, "tags": [], "needs": [],
                "hooks": [], "description": "", "error": exc.message}
    return {"name": name,
            "archs": [a for a in built if a in definition.supported_archs],
            "tags": [list(tag) for tag in definition.tags],
            "needs": needs(definition), "hooks": definition.hook_names(),
            "description": definition.description}


def test_rows(catalog):
    return [test_row(catalog, name) for name in catalog.all_names()]


@dataclasses.dataclass
class TestInfo:
    name: str
    description: str
    archs: list
    built: list
    tags: list          # [(name, value, url or None)]
    needs: list
    runs_with: list     # ["kvm_amd nested=1", ...]
    save_restore: list  # ["path=value", ...]
    timeout: str
    hooks: list
    source: str
    hooks_file: str
    doc: list


def test_info(catalog, name):
    """TestInfo of a test; AbortTest for a broken definition or timeout."""
    definition = catalog.definition(name)
    timeout = test_timeout(definition)
    return TestInfo(
        name, definition.description, list(definition.supported_archs),
        catalog.built_arches(name),
        [(key, value, tag_url(key, value)) for key, value in definition.tags],
        needs(definition),
        [f"{module} " + " ".join(f"{param}={value}"
                                 for param, value in params.items())
         for module, params in definition.module_params.items()],
        [f"{path}={'(saved only)' if value is None else value}"
         for path, value, _ in definition.save_restore],
        "not limited" if timeout is None else f"{timeout:g} s",
        definition.hook_names(), definition.source, definition.hooks_file,
        list(definition.doc))


def doctor_report(catalog):
    """(host facts, per-test verdicts): [(check, value, ok)] and
    [{"test", "arch", "runs", "reason", "kind"}]."""
    facts, _ = host_facts()
    verdicts = []
    for name in catalog.all_names():
        for arch in ARCHES:
            if name not in catalog.names(arch):
                continue
            try:
                skip = requirement_problem(catalog.definition(name), arch)
            except AbortTest as exc:
                skip = f"broken definition: {exc.message}"
            verdicts.append({"test": name, "arch": arch, "runs": skip is None,
                             "reason": str(skip or ""),
                             "kind": getattr(skip, "kind", "broken")
                             if skip else ""})
    return facts, verdicts
