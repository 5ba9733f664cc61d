# SPDX-License-Identifier: GPL-2.0-or-later
"""kvm_movss01's host half: the MMIO page whose first word, the null
selector 3, MOV SS loads, so that KVM's emulator runs the instruction."""
from ltpkvm.host import KVM_MMIO_BASEADDR, MmioRegion

mmio_regions = [MmioRegion(KVM_MMIO_BASEADDR, 0x1000, b"\x03\x00")]
