# SPDX-License-Identifier: GPL-2.0-or-later
"""A guest that never stops on its own (an exception storm, a spin) must
not keep its vCPU thread in KVM_RUN: a signal to that thread must make
KVM_RUN return (EINTR), or the host cannot stop, schedule or kill the VM.
The host half of kvm_ac01 and kvm_db01."""
import errno
import time

from .errors import tst_brk, tst_res
from .guest_abi import KVM_TEXIT, TBROK, TFAIL, TINFO, TPASS
from .lifecycle import VcpuThread

SIGNAL_TIMEOUT_MS = 10000   # booting and setting up the storm
SETTLE = 1.0                # seconds the storm runs before the kick
RESPONSE_TIMEOUT = 2.0      # seconds KVM_RUN has to return


def read_counter(instance, address):
    memory = instance.get_memptr(address) if address else None
    return None if memory is None or len(memory) < 8 else \
        int.from_bytes(memory[:8], "little")


def check_kick_returns(test, what, kick=True):
    """Run the guest on a vCPU thread; once it signals (tst_signal_host(),
    with the address of a 64-bit counter it increments, or NULL), let it
    run SETTLE seconds, then kick the thread: TPASS if KVM_RUN returns
    within RESPONSE_TIMEOUT. kick=False (a negative control) never kicks."""
    instance = test.create_instance()
    vcpu = VcpuThread(instance, exp_errno=errno.EINTR)
    vcpu.start()
    ret = instance.wait_guest(SIGNAL_TIMEOUT_MS)
    if ret == KVM_TEXIT:
        vcpu.join()   # the guest ended first: it has said why
        test.destroy_instance()
        return
    if ret:
        tst_brk(TBROK, "The guest did not signal the host within "
                f"{SIGNAL_TIMEOUT_MS // 1000} s")
    counter = instance.guest_signal_data()
    before = read_counter(instance, counter)
    time.sleep(SETTLE)
    after = read_counter(instance, counter)
    if before is not None and after is not None:
        tst_res(TINFO, f"{what}: {after - before} in {SETTLE:g} s")
    if kick:
        instance.interrupt_vcpu(vcpu.ident)
    if not vcpu.wait(RESPONSE_TIMEOUT):
        tst_res(TFAIL, f"KVM_RUN did not return within {RESPONSE_TIMEOUT:g} "
                f"s of the signal during {what}"
                + ("" if kick else " (none was sent: a negative control)"))
    elif vcpu.join() == -1:
        tst_res(TPASS, f"KVM_RUN returned (EINTR) on the signal during "
                f"{what}")
    else:
        tst_res(TFAIL, f"The guest ended during {what} instead of running "
                "until the signal")
    # A vCPU thread that is still stuck is kicked again here, or TBROK
    test.destroy_instance()
