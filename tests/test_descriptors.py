# SPDX-License-Identifier: GPL-2.0-or-later
"""The guest's segment-descriptor helpers, on both archs."""
import pytest

from conftest import needs_kvm
from test_guest_library import assert_ltp_run, counts

# The first free GDT entry follows the TSS, which takes two entries in
# 64-bit mode.
FIRST_FREE = {"x86_64": 9, "i386": 5}


@needs_kvm
@pytest.mark.parametrize("arch", ["x86_64", "i386"])
def test_segment_descriptor_helpers(ltpkvm, arch):
    run = ltpkvm("run", "--arch", arch, "selftest_descriptors", suite=True)
    file = "selftest_descriptors.c"
    assert_ltp_run(run, 0, [
        (file, "TPASS", "Code descriptor round trip"),
        (file, "TPASS", "Data descriptor round trip"),
        (file, "TPASS", "System descriptor round trip"),
        (file, "TPASS", f"First free GDT entry is {FIRST_FREE[arch]}"),
        (file, "TPASS", f"Stack segment {FIRST_FREE[arch]} loaded into SS"),
    ], counts(passed=5))
