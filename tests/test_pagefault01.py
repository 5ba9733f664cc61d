# SPDX-License-Identifier: GPL-2.0-or-later
"""kvm_pagefault01 end to end on real KVM, on both arches."""
import pytest

from conftest import needs_kvm
from test_guest_library import ON_EACH_ARCH, assert_ltp_run, counts, pass_in

pytestmark = [needs_kvm, ON_EACH_ARCH]

# Its definition (payloads/kvm_pagefault01.py) supports only x86_64: the
# host refuses i386 before booting a VM, once whatever the iterations.
I386_REFUSED = ("runner.py", "TCONF",
                "This arch 'i386' is not supported for test!")


@pytest.mark.parametrize("iterations", [1, 3])
def test_kvm_pagefault01(ltpkvm, arch, iterations):
    """Each iteration boots a fresh VM."""
    run = ltpkvm("run", "--arch", arch, "-i", str(iterations),
                 "kvm_pagefault01")
    if arch == "i386":
        assert_ltp_run(run, 32, [I386_REFUSED], counts(skipped=1))
        return
    assert_ltp_run(run, 0, [pass_in("kvm_pagefault01",
                                    "KVM enforces memory write permissions")]
                   * iterations, counts(passed=iterations))
