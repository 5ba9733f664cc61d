# SPDX-License-Identifier: GPL-2.0-or-later
"""Host kernel health: a KVM-related splat or a new taint flag during a
test is reported, against a fake kernel log and taint file."""
import pytest

from ltpkvm.host.guest_abi import TFAIL, TWARN
from ltpkvm.host.health import KernelHealth, taint_letters

WARN_SPLAT = [
    "4,100,1000,-;WARNING: CPU: 1 PID: 42 at arch/x86/kvm/mmu/mmu.c:123 "
    "kvm_mmu_page_fault+0x1/0x2 [kvm]",
    "4,101,1001,-;Modules linked in: kvm_amd kvm",
    "4,102,1002,-;RIP: 0010:kvm_mmu_page_fault+0x1/0x2 [kvm]",
]
OOPS = ["1,200,2000,-;BUG: unable to handle page fault for address: 0",
        "1,201,2001,-;Oops: 0000 [#1] PREEMPT SMP",
        "1,202,2002,-;RIP: 0010:svm_vcpu_run+0x10/0x20 [kvm_amd]"]
UNRELATED = ["4,300,3000,-;WARNING: CPU: 0 PID: 1 at fs/ext4/inode.c:1 x",
             "4,301,3001,-;RIP: 0010:ext4_foo+0x1/0x2",
             "4,302,3002,-;---[ end trace 0000000000000000 ]---",
             "6,303,3003,-;kvm-pvm: triple fault delivering vec=8"]


@pytest.fixture
def fake_kernel(tmp_path):
    kmsg, tainted = tmp_path / "kmsg", tmp_path / "tainted"
    kmsg.write_text("6,1,1,-;an old line: WARNING: kvm long ago\n")
    tainted.write_text("0\n")
    return kmsg, tainted


def watch(fake_kernel, new_lines, taint="0"):
    kmsg, tainted = fake_kernel
    health = KernelHealth(str(kmsg), str(tainted)).start()
    with open(kmsg, "a") as log:
        log.write("".join(line + "\n" for line in new_lines))
    tainted.write_text(taint + "\n")
    return health.finish()


def test_quiet_kernel_reports_nothing(fake_kernel):
    assert watch(fake_kernel, UNRELATED) == []


def test_kvm_warning_is_twarn_quoting_the_splat(fake_kernel):
    [(ttype, message)] = watch(fake_kernel, WARN_SPLAT)
    assert ttype == TWARN
    assert message.startswith("Kernel log: WARNING: CPU: 1 PID: 42 at "
                              "arch/x86/kvm/mmu/mmu.c:123")
    assert "RIP: 0010:kvm_mmu_page_fault" in message


def test_kvm_oops_is_tfail(fake_kernel):
    results = watch(fake_kernel, OOPS)
    assert results[0][0] == TFAIL
    assert "svm_vcpu_run" in results[0][1]


def test_new_taint_flag_is_twarn(fake_kernel):
    assert watch(fake_kernel, [], taint=str(1 << 9)) == [
        (TWARN, "Kernel became tainted: 0x0 -> 0x200 (new flags: W)")]


def test_taint_letters():
    assert taint_letters(1 | 1 << 12 | 1 << 13) == "POE"


def test_unreadable_log_still_watches_taint(fake_kernel, tmp_path):
    _, tainted = fake_kernel
    health = KernelHealth(str(tmp_path / "none"), str(tainted)).start()
    tainted.write_text("512\n")
    assert [t for t, _ in health.finish()] == [TWARN]
