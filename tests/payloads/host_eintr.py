# SPDX-License-Identifier: GPL-2.0-or-later
"""Host half of host_eintr.c: a signal to the vCPU thread makes KVM_RUN
return EINTR, which run_instance(EINTR) takes as expected."""
import errno

from ltpkvm.host import TFAIL, TPASS, VcpuThread, tst_res

description = "A host signal interrupts a spinning vCPU (EINTR)"


def run(test):
    instance = test.create_instance()
    vcpu = VcpuThread(instance, exp_errno=errno.EINTR)
    vcpu.start()
    if instance.wait_guest(5000) != 0:
        tst_res(TFAIL, "The guest did not signal within 5 s")
        return
    instance.interrupt_vcpu(vcpu.ident)
    ret = vcpu.join(5)
    if vcpu.is_alive():
        tst_res(TFAIL, "The vCPU thread is still running 5 s after the signal")
    elif ret == -1:
        tst_res(TPASS, "KVM_RUN returned EINTR to the interrupted vCPU thread")
    else:
        tst_res(TFAIL, f"run_instance() returned {ret}, expected -1 (EINTR)")
    test.destroy_instance()
