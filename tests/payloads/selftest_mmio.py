# SPDX-License-Identifier: GPL-2.0-or-later
"""Host half of selftest_mmio.c: the regions, and a check of what the host
saw the guest write."""
from ltpkvm.host import (KVM_MMIO_BASEADDR, TFAIL, TPASS, MmioRegion,
                         PortRegion, tst_res)

description = "Host-answered MMIO and port I/O"

MMIO = MmioRegion(KVM_MMIO_BASEADDR, 0x2000, b"MMIO")
PORT = PortRegion(0x80, 1)
mmio_regions = [MMIO]
port_regions = [PORT]

EXPECTED_WRITES = [
    (KVM_MMIO_BASEADDR + 0x10, (0x11223344).to_bytes(4, "little")),
    (KVM_MMIO_BASEADDR + 0x10, (0x11223349).to_bytes(4, "little")),
    (KVM_MMIO_BASEADDR + 0xffc, bytes([8, 7, 6, 5])),
    (KVM_MMIO_BASEADDR + 0x1000, bytes([4, 3, 2, 1])),
]


def run(test):
    test.run()
    writes = [(access.address, access.data) for access in MMIO.writes]
    if writes == EXPECTED_WRITES:
        tst_res(TPASS, f"The host saw the {len(writes)} MMIO writes")
    else:
        tst_res(TFAIL, f"The host saw MMIO writes {writes}")
    if [access.data for access in PORT.writes] == [b"\xab"]:
        tst_res(TPASS, "The host saw the port write")
    else:
        tst_res(TFAIL, f"The host saw port writes {PORT.writes}")
