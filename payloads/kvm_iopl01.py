# SPDX-License-Identifier: GPL-2.0-or-later
"""kvm_iopl01's host half: the two ports it uses, and a check that exactly
the writes IOPL and the I/O bitmap permit reached them."""
from ltpkvm.host import (TFAIL, TPASS, PortRegion, forced_emulation,
                         tst_res)

PORTS = PortRegion(0x500, 3)
port_regions = [PORTS]
IOPL3_FLAG = 0x502   # before the cases: 1 when the IOPL 3 ones run

# Per pass (plain, then forced emulation where it is on): the OUT to the
# allowed port at IOPL 0, then, where IOPL 3 cases run, the OUT and the
# OUTSB to the denied port
IOPL0_WRITES = [(0x500, b"\x11")]
IOPL3_WRITES = [(0x501, b"\x77"), (0x501, b"\x78")]


def run(test):
    test.run()
    writes = [(access.address, access.data) for access in PORTS.writes]
    if not any(port == IOPL3_FLAG for port, _ in writes):
        return   # the guest ran no case, and said why
    iopl3 = (IOPL3_FLAG, b"\x01") in writes
    writes = [write for write in writes if write[0] != IOPL3_FLAG]
    expected = (IOPL0_WRITES + IOPL3_WRITES * iopl3) * \
        (2 if forced_emulation() else 1)
    if writes == expected:
        tst_res(TPASS, f"The host got exactly the {len(writes)} permitted "
                "port writes")
        return
    shown = ", ".join(f"0x{data.hex()} to 0x{port:x}" for port, data in writes)
    tst_res(TFAIL, f"The host got the port writes [{shown}], expected "
            f"{len(expected)} (a denied OUT reached the port?)")
