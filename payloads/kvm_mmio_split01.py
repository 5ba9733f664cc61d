# SPDX-License-Identifier: GPL-2.0-or-later
"""kvm_mmio_split01's host half: answers the two MMIO pages itself, resumes
the vCPU from a new thread after the first fragment of each split write
(KVM then completes the write from another task, where the bug's stale
stack shows most), and checks that each split write came as two
fragments, one on each side of the page boundary."""
from ltpkvm.host import (KVM_MMIO_BASEADDR, KVM_PAGE_SIZE, TFAIL, TPASS,
                         EmulatedIo, MmioRegion, VcpuThread, tst_res)

PAGES = MmioRegion(KVM_MMIO_BASEADDR, 2 * KVM_PAGE_SIZE)
BOUNDARY = KVM_MMIO_BASEADDR + KVM_PAGE_SIZE
SPLIT_WRITES = 2   # the MOV and the ENTER


class NextThread(Exception):
    """Stops the vCPU's thread after the first fragment of a split write."""


def run(test):
    instance = test.create_instance()
    # Not declared in mmio_regions: this handler must see each write
    pages = EmulatedIo([PAGES])

    def serve(vm_exit):
        if not pages.answer(vm_exit):
            return False
        if vm_exit.name == "KVM_EXIT_MMIO" and vm_exit.is_write and \
                vm_exit.len > 1 and \
                vm_exit.phys_addr + vm_exit.len == BOUNDARY:
            raise NextThread
        return True

    instance.on_exit(serve)
    threads = 0
    while True:
        vcpu = VcpuThread(instance)
        vcpu.start()
        threads += 1
        try:
            vcpu.join()
            break
        except NextThread:
            continue
    test.destroy_instance()
    check_fragments(threads)


def check_fragments(threads):
    """The guest also clears and reads the bytes one at a time: the split
    writes are the multi-byte ones that end at the boundary."""
    writes = PAGES.writes
    split = [(first, second) for first, second in zip(writes, writes[1:])
             if first.address + len(first.data) == BOUNDARY
             and len(first.data) > 1]
    if len(split) != SPLIT_WRITES:
        tst_res(TFAIL, f"{len(split)} split writes ended at the page "
                f"boundary, expected {SPLIT_WRITES}")
        return
    for first, second in split:
        if second.address != BOUNDARY or len(second.data) != len(first.data):
            tst_res(TFAIL, f"The fragment after {first.data.hex()} at "
                    f"0x{first.address:x} is {second.data.hex()} at "
                    f"0x{second.address:x}")
            return
    tst_res(TPASS, "Both split writes came in two fragments, the second "
            f"through KVM_RUN on a new thread ({threads} threads in all)")
