# SPDX-License-Identifier: GPL-2.0-or-later
"""kvm_svm03's host half (with kvm_amd's nested virtualisation on): once
the nested guest spins with GIF clear, a signal must still get the vCPU
thread out of KVM_RUN. It drives an upstream LTP kvm_svm03.c as well."""
import errno

from ltpkvm.host import (KVM_TEXIT, TBROK, TFAIL, TPASS, VcpuThread, tst_brk,
                         tst_res)

module_params = {"kvm_amd": {"nested": 1}}
needs_cpu_features = ["svm"]

GUEST_SIGNAL_TIMEOUT_MS = 10000   # booting, nested VMRUN and CLGI
RESPONSE_TIMEOUT = 2              # seconds the vCPU thread has to react

def run(test):
    instance = test.create_instance()
    vcpu = VcpuThread(instance, exp_errno=errno.EINTR)
    vcpu.start()
    ret = instance.wait_guest(GUEST_SIGNAL_TIMEOUT_MS)
    if ret == KVM_TEXIT:
        # The guest ended first (TCONF without SVM): it has reported
        vcpu.join()
        test.destroy_instance()
        return
    if ret:
        tst_brk(TBROK, "The guest did not signal the host within "
                f"{GUEST_SIGNAL_TIMEOUT_MS // 1000} s")

    instance.interrupt_vcpu(vcpu.ident)
    ret = vcpu.join(RESPONSE_TIMEOUT)
    if vcpu.is_alive():
        tst_res(TFAIL, "vCPU thread did not respond to the signal")
        # Release the nested guest so that the thread can end at all
        instance.clear_guest_signal()
        vcpu.join(RESPONSE_TIMEOUT)
    elif ret == -1:
        tst_res(TPASS, "vCPU thread was interrupted by the signal")
    else:
        tst_res(TFAIL, "The guest ended instead of spinning in the nested "
                 "guest")
    # A vCPU thread that is still stuck ends in TBROK here
    test.destroy_instance()

