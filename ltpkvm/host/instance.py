# SPDX-License-Identifier: GPL-2.0-or-later
"""A VM instance (LTP's struct tst_kvm_instance): a VM with one vCPU booted
into a payload, its guest memory (guest_memory.py) and its run loop
(runloop.py)."""
import functools
import threading

from .errors import host_res, tst_brk
from .guest_abi import (DEFAULT_RAM_SIZE, KVM_HOST_FEP, KVM_RESULT_BASEADDR,
                        KVM_RESULT_SIZE, KVM_TNONE, MAX_KVM_MEMSLOTS,
                        MIN_FREE_RAM, TBROK, TDEBUG, TWARN,
                        VM_KERNEL_BASEADDR, kvm_host_info, tst_kvm_result)
from .emulated_io import EmulatedIo
from .guest_memory import GuestMemory, kvm_call
from .memory import page_align_up
from .modules import read_param
from .results import validate_result  # noqa: F401  (LTP's API, from here)
from .runloop import RunLoop
from .x86 import boot_x86, i386_paging_works

MIB = 1024 * 1024
RESULT_SLOT = 1
# VMs whose vCPU thread would not stop: kept, since freeing them would pull
# memory from under a running vCPU
_STUCK = []


def get_cpuid(system):
    """tst_kvm_get_cpuid(): the vCPU features KVM supports."""
    return system.supported_cpuid()


def forced_emulation():
    """Whether KVM emulates instructions behind its forced-emulation prefix
    (kvm.force_emulation_prefix: a bool before Linux 6.0, an int since)."""
    value = read_param("kvm", "force_emulation_prefix") or "0"
    return value == "Y" or (value.isdigit() and int(value) != 0)


def host_info():
    """The kvm_host_info the guest gets."""
    return kvm_host_info(flags=KVM_HOST_FEP if forced_emulation() else 0)


def fitted_ram_size(ram_size, payload_size, warn):
    """LTP's rule: room for the payload and MIN_FREE_RAM, in whole MiB,
    below the result page."""
    if payload_size + MIN_FREE_RAM > ram_size - VM_KERNEL_BASEADDR:
        ram_size = page_align_up(payload_size + MIN_FREE_RAM
                                 + VM_KERNEL_BASEADDR)
        ram_size = (ram_size + MIB - 1) // MIB * MIB
        warn(f"RAM size increased to {ram_size} bytes")
    if ram_size > KVM_RESULT_BASEADDR:
        ram_size = KVM_RESULT_BASEADDR
        warn(f"RAM size truncated to {ram_size} bytes")
    if VM_KERNEL_BASEADDR + payload_size > ram_size:
        tst_brk(TBROK, f"Payload of {payload_size} bytes does not fit in "
                f"{ram_size} bytes of guest RAM")
    return ram_size


class KvmInstance(GuestMemory, RunLoop):
    """tst_kvm_instance: a VM with one vCPU running a payload.

    sink receives every result: sink.result(file, lineno, ttype, message).
    emulated_io: the MMIO and port regions the host answers (EmulatedIo).
    """

    def __init__(self, system, payload, sink, ram_size=DEFAULT_RAM_SIZE,
                 debug=False, emulated_io=None):
        self.system = system
        self.payload = payload
        self.sink = sink
        self.debug = debug
        self.emulated_io = emulated_io or EmulatedIo()
        self.exit_handlers = []
        self.vm = self.vcpu = None
        self.ram = [None] * MAX_KVM_MEMSLOTS   # (region, buffer) per slot
        self.vcpu_ended = threading.Event()
        self.vcpu_threads = []
        self.run_thread = None   # the thread in run_instance(), if any
        try:
            self._create(ram_size)
        except BaseException:
            self.destroy_instance()
            raise

    # tst_kvm_create_instance()
    def _create(self, ram_size):
        payload = self.payload
        ram_size = fitted_ram_size(ram_size, payload.size, functools.partial(
            host_res, self.sink, TWARN))
        long_mode = payload.arch == "x86_64"
        self.paging = long_mode or i386_paging_works(self.system)
        self.vm = kvm_call(self.system.create_vm)
        ram = self.alloc_memory(0, 0, ram_size)
        ram[VM_KERNEL_BASEADDR:VM_KERNEL_BASEADDR + len(payload.image)] = \
            payload.image
        info = bytes(host_info())
        ram[payload.header.host_info:payload.header.host_info + len(info)] = \
            info
        if not self.paging:
            self.leave_out_pagetable()
        self.result_page = self.alloc_memory(RESULT_SLOT, KVM_RESULT_BASEADDR,
                                             KVM_RESULT_SIZE)
        self.result = tst_kvm_result.from_address(
            self.ram[RESULT_SLOT][1].address)
        self.result.result = KVM_TNONE

        self.emulated_io.check_against_memory(
            (region.guest_phys_addr, region.memory_size)
            for region, _ in filter(None, self.ram))

        self.vcpu = kvm_call(self.vm.create_vcpu)
        self.cpuid = kvm_call(get_cpuid, self.system)
        kvm_call(self.vcpu.set_cpuid2, self.cpuid)
        kvm_call(boot_x86, self.vcpu, ram, payload.header, self.cpuid,
                 long_mode, self.paging)
        if self.debug:
            self._debug_setup(long_mode)

    def _debug_setup(self, long_mode):
        header = self.payload.header
        debug = functools.partial(host_res, self.sink, TDEBUG)
        debug(f"Payload {self.payload.image_path}: {self.payload.arch}, "
              f"{self.payload.size} bytes with .bss, entry 0x{header.entry:x}")
        for region, buf in filter(None, self.ram):
            debug(f"Memory slot {region.slot}: guest-physical "
                  f"0x{region.guest_phys_addr:x}-0x"
                  f"{region.guest_phys_addr + region.memory_size - 1:x} at "
                  f"host 0x{buf.address:x}")
        debug(f"CPUID: {self.cpuid.nent} entries set")
        mode = ("64-bit mode" if long_mode else "32-bit protected mode")
        paging = (f"paging from 0x{header.pagetable:x}" if self.paging else
                  "unpaged (this KVM refuses paging outside 64-bit mode)")
        debug(f"Entry: {mode}, {paging}, RIP=0x{header.entry:x}, "
              f"RSP=0x{header.stack_top:x}")

    def stop_vcpu_threads(self, timeout=1.0):
        """Kick every VcpuThread still in KVM_RUN out of it and wait for it;
        a VM is never freed under a running vCPU."""
        for thread in self.vcpu_threads:
            for _ in range(10):
                if not thread.is_alive():
                    break
                self.interrupt_vcpu(thread.ident)
                thread.wait(timeout / 10)
            else:
                # Its VM must outlive it: never freed, in this process
                _STUCK.append((self.vm, self.vcpu, list(self.ram)))
                self.vm = self.vcpu = None
                self.ram = [None] * len(self.ram)
                self.vcpu_threads.clear()
                tst_brk(TBROK, "A vCPU thread does not stop")
        self.vcpu_threads.clear()

    def get_msrs(self, indices):
        """{index: value} of the vCPU's MSRs, as the host reads them
        (KVM_GET_MSRS); one KVM cannot read is missing."""
        return kvm_call(self.vcpu.get_msrs, indices)

    def set_msrs(self, values):
        """Write {index: value} to the vCPU's MSRs as the host does
        (KVM_SET_MSRS); how many KVM took, in order."""
        return kvm_call(self.vcpu.set_msrs, values)

    def destroy_instance(self):
        """tst_kvm_destroy_instance(): close the VM and free its memory."""
        self.stop_vcpu_threads()
        self.result = None  # points into the result page, freed below
        if self.vcpu is not None:
            self.vcpu.close()
            self.vcpu = None
        if self.vm is not None:
            self.vm.close()
            self.vm = None
        self.free_memory()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.destroy_instance()
