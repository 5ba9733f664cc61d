# SPDX-License-Identifier: GPL-2.0-or-later
"""Each layer imports only the layers below it: kvm (raw bindings) <- host
(the LTP KVM host library) <- ltp (tests and reporter) <- cli."""
import ast
import os

import pytest

from conftest import REPO

LAYERS = ["kvm", "host", "ltp", "cli"]


def imported_layers(path, package):
    """The ltpkvm layers a module imports (relative or absolute)."""
    found = set()
    for node in ast.walk(ast.parse(open(path).read())):
        if isinstance(node, ast.ImportFrom):
            if node.level:   # relative to the module's package
                parts = package[:len(package) - node.level]
                name = ".".join(parts + ([node.module] if node.module
                                         else []))
            else:
                name = node.module or ""
            names = [name] + [f"{name}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "ltpkvm" and len(parts) > 1 and parts[1] in LAYERS:
                found.add(parts[1])
    return found


@pytest.mark.parametrize("layer", LAYERS[:-1])
def test_layer_imports_only_lower_layers(layer):
    folder = os.path.join(REPO, "ltpkvm", layer)
    allowed = set(LAYERS[:LAYERS.index(layer) + 1])
    for name in os.listdir(folder):
        if name.endswith(".py"):
            used = imported_layers(os.path.join(folder, name),
                                   ["ltpkvm", layer, name[:-3]])
            assert used <= allowed, f"ltpkvm/{layer}/{name} imports {used}"


def test_only_the_kvm_layer_talks_to_kvm():
    """VM exits are typed in ltpkvm/kvm/ (KvmVcpu.run()): no module above
    reads struct kvm_run's exit_reason or calls fcntl.ioctl itself."""
    for folder, _, files in os.walk(os.path.join(REPO, "ltpkvm")):
        if os.path.relpath(folder, REPO).startswith(os.path.join("ltpkvm",
                                                                 "kvm")):
            continue
        for name in files:
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                tree = ast.parse(open(path).read())
                found = {node.attr for node in ast.walk(tree)
                         if isinstance(node, ast.Attribute)}
                assert "exit_reason" not in found, path
                assert "ioctl" not in found, path
                imported = {alias.name for node in ast.walk(tree)
                            if isinstance(node, (ast.Import, ast.ImportFrom))
                            for alias in node.names} | {
                    node.module for node in ast.walk(tree)
                    if isinstance(node, ast.ImportFrom)}
                assert "fcntl" not in imported, path
