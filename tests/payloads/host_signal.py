# SPDX-License-Identifier: GPL-2.0-or-later
"""Host half of host_signal.c: run the vCPU on its own thread, wait for the
guest's signal, read what it passed, release it."""
from ltpkvm.host import TFAIL, TPASS, VcpuThread, read_c_string, tst_res

description = "Guest-host signalling through tst_wait_host()"


def run(test):
    instance = test.create_instance()
    vcpu = VcpuThread(instance)
    vcpu.start()
    if instance.wait_guest(5000) != 0:
        tst_res(TFAIL, "The guest did not signal within 5 s")
        return
    data = read_c_string(instance.get_memptr(instance.guest_signal_data()),
                         0, 64)
    if data == b"ping from the guest":
        tst_res(TPASS, f"The host got the guest's data: {data.decode()}")
    else:
        tst_res(TFAIL, f"The host got {data!r} from the guest")
    if instance.wait_guest(0) != 0:
        tst_res(TFAIL, "The signal did not wait for the host")
    instance.clear_guest_signal()
    vcpu.join()
    test.destroy_instance()
