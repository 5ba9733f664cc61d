# SPDX-License-Identifier: GPL-2.0-or-later
"""The LTP KVM host library (LTP's lib_host.c): one VM instance with its
memory slots, the run loop that relays guest results, and the default
setup/run/cleanup of a test."""
import errno
import fcntl
import functools
import signal
import threading
import time

from ..kvm import KvmError, KvmSystem
from ..kvm import constants as kc
from .crash import crash_report
from .errors import AbortTest, caller_location, host_res, tst_brk
from .guest_abi import (DEFAULT_RAM_SIZE, KVM_PAGE_SIZE, KVM_PAGETABLE_PAGES,
                        KVM_RESULT_BASEADDR, KVM_STACK_SIZE,
                        KVM_RESULT_SIZE, KVM_TEXIT, KVM_TNONE, KVM_TSYNC,
                        MAX_KVM_MEMSLOTS, MIN_FREE_RAM, TBROK, TCONF, TDEBUG,
                        TWARN, VM_KERNEL_BASEADDR, tst_kvm_result)
from .memory import (BufferSlice, GuardedBuffer, page_align_down,
                     page_align_up)
from .payload import Payload
from .results import decode_result, read_c_string
from .results import validate_result  # noqa: F401  (LTP's API, from here)
from .x86 import boot_x86, i386_paging_works, walk_page_tables

MIB = 1024 * 1024
_RESULT_SLOT = 1
# Unpaged i386 payloads: the RAM above kvm_pagetable, whose pages are left
# out so that a test touching them exits (TCONF) instead of going wrong
_RAM_ABOVE_PAGETABLE_SLOT = MAX_KVM_MEMSLOTS - 1
# VMs whose vCPU thread would not stop: kept, since freeing them would pull
# memory from under a running vCPU
_STUCK = []
NEEDS_PAGING = ("This test needs paging, which this KVM does not support "
                "outside 64-bit mode")


def get_cpuid(system):
    """tst_kvm_get_cpuid(): the vCPU features KVM supports."""
    return system.supported_cpuid()


# What the host library cannot do without (capability, minimum value)
REQUIRED_CAPABILITIES = (("KVM_CAP_USER_MEMORY", 1), ("KVM_CAP_EXT_CPUID", 1),
                         ("KVM_CAP_NR_MEMSLOTS", MAX_KVM_MEMSLOTS))


def missing_capabilities(system):
    """Names of the REQUIRED_CAPABILITIES this KVM lacks."""
    missing = []
    for name, minimum in REQUIRED_CAPABILITIES:
        try:
            value = system.check_extension(getattr(kc, name))
        except KvmError:
            value = 0
        if value < minimum:
            missing.append(name if minimum == 1 else f"{name} >= {minimum}")
    return missing


def install_kick_handler(signum=signal.SIGUSR1):
    """A no-op handler for the signal that kicks a vCPU thread out of KVM_RUN
    (the default action would end the process). Main thread only."""
    signal.signal(signum, lambda *_: None)


def _kvm_call(operation, *args):
    """Run a KVM operation; its failure is the test's TBROK."""
    try:
        return operation(*args)
    except KvmError as exc:
        tst_brk(TBROK, str(exc))


class KvmInstance:
    """tst_kvm_instance: a VM with one vCPU running a payload.

    sink receives every result: sink.result(file, lineno, ttype, message).
    """

    def __init__(self, system, payload, sink, ram_size=DEFAULT_RAM_SIZE,
                 debug=False):
        self.system = system
        self.payload = payload
        self.sink = sink
        self.debug = debug
        self.vm = self.vcpu = None
        self.ram = [None] * MAX_KVM_MEMSLOTS   # (region, GuardedBuffer)
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
        if payload.size + MIN_FREE_RAM > ram_size - VM_KERNEL_BASEADDR:
            ram_size = page_align_up(payload.size + MIN_FREE_RAM
                                     + VM_KERNEL_BASEADDR)
            ram_size = (ram_size + MIB - 1) // MIB * MIB
            host_res(self.sink, TWARN, f"RAM size increased to {ram_size} bytes")
        if ram_size > KVM_RESULT_BASEADDR:
            ram_size = KVM_RESULT_BASEADDR
            host_res(self.sink, TWARN, f"RAM size truncated to {ram_size} bytes")
        if VM_KERNEL_BASEADDR + payload.size > ram_size:
            tst_brk(TBROK, f"Payload of {payload.size} bytes does not fit in "
                    f"{ram_size} bytes of guest RAM")

        long_mode = payload.arch == "x86_64"
        self.paging = long_mode or i386_paging_works(self.system)
        self.vm = _kvm_call(self.system.create_vm)
        ram = self.alloc_memory(0, 0, ram_size)
        ram[VM_KERNEL_BASEADDR:VM_KERNEL_BASEADDR + len(payload.image)] = \
            payload.image
        if not self.paging:
            self._leave_out_pagetable()
        result_page = self.alloc_memory(_RESULT_SLOT, KVM_RESULT_BASEADDR,
                                        KVM_RESULT_SIZE)
        self.result_page = result_page
        self.result = tst_kvm_result.from_address(
            self.ram[_RESULT_SLOT][1].address)
        self.result.result = KVM_TNONE

        self.vcpu = _kvm_call(self.vm.create_vcpu)
        self.cpuid = _kvm_call(get_cpuid, self.system)
        _kvm_call(self.vcpu.set_cpuid2, self.cpuid)
        _kvm_call(boot_x86, self.vcpu, ram, payload.header, self.cpuid,
                  long_mode, self.paging)
        if self.debug:
            self._debug_setup(long_mode)

    def _leave_out_pagetable(self):
        """Split slot 0 around the page-table pages: unbacked, so that a
        guest access to them is an MMIO exit the run loop reports."""
        region, buf = self.ram[0]
        start = self.payload.header.pagetable
        end = start + KVM_PAGETABLE_PAGES * KVM_PAGE_SIZE
        _kvm_call(self.vm.set_user_memory_region, 0, 0, 0, buf.address)
        self.ram[0] = (_kvm_call(self.vm.set_user_memory_region, 0, 0, start,
                                 buf.address), buf)
        above = BufferSlice(buf, end)
        self.ram[_RAM_ABOVE_PAGETABLE_SLOT] = (_kvm_call(
            self.vm.set_user_memory_region, _RAM_ABOVE_PAGETABLE_SLOT, end,
            above.size, above.address), above)

    def in_left_out_pagetable(self, paddr):
        start = self.payload.header.pagetable
        return (not self.paging and
                start <= paddr < start + KVM_PAGETABLE_PAGES * KVM_PAGE_SIZE)

    def _stack_overflowed(self):
        """Is the stack pointer below the bottom of the guest's stack (just
        above the page tables)?"""
        bottom = self.payload.header.stack_top - KVM_STACK_SIZE
        try:
            return self.vcpu.get_regs().rsp < bottom
        except KvmError:
            return False

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

    def alloc_memory(self, slot, baseaddr, size, flags=0):
        """tst_kvm_alloc_memory(): a guarded, page-aligned host buffer
        installed in memory slot at guest-physical baseaddr; returns the
        memoryview of its page-aligned start."""
        if not 0 <= slot < MAX_KVM_MEMSLOTS:
            tst_brk(TBROK, f"Invalid KVM memory slot {slot}")
        if self.ram[slot] is not None:
            tst_brk(TBROK, f"KVM memory slot {slot} already in use")
        start = page_align_down(baseaddr)
        size = page_align_up(baseaddr + size) - start
        try:
            buf = GuardedBuffer(size)
        except MemoryError as exc:
            tst_brk(TBROK, str(exc))
        try:
            region = _kvm_call(self.vm.set_user_memory_region, slot, start,
                               size, buf.address, flags)
        except BaseException:
            buf.free()
            raise
        self.ram[slot] = (region, buf)
        return buf.view

    def get_phys_address(self, addr):
        """tst_kvm_get_phys_address(): guest-virtual to guest-physical; 0
        when unmapped.

        KVM_TRANSLATE waits for the vCPU to stop, so while the vCPU runs
        on another thread the guest's page tables are walked here, from the
        boot CR3 (a test that loads another CR3 must stop the vCPU first)."""
        if self.run_thread not in (None, threading.get_ident()):
            return self._walk_page_tables(addr)
        try:
            tr = self.vcpu.translate(addr)
        except KvmError as exc:
            if exc.errno in (errno.EINVAL, errno.ENOTTY, errno.ENOSYS):
                return addr  # no KVM_TRANSLATE on this arch
            raise
        return tr.physical_address if tr.valid else 0

    def _walk_page_tables(self, addr):
        if not self.paging:
            return addr

        def read_entry(paddr):
            memory = self._phys_memory(paddr)
            return 0 if memory is None or len(memory) < 8 else \
                int.from_bytes(memory[:8], "little")

        return walk_page_tables(read_entry, self.payload.header.pagetable,
                                addr, self.payload.arch == "x86_64")

    def _phys_memory(self, paddr):
        """Guest memory from guest-physical paddr to the end of its slot."""
        slot = self.find_phys_memslot(paddr)
        if slot < 0:
            return None
        region, buf = self.ram[slot]
        return buf.view[paddr - region.guest_phys_addr:]

    def find_phys_memslot(self, paddr):
        """tst_kvm_find_phys_memslot(): the slot holding paddr, or -1."""
        for slot, entry in enumerate(self.ram):
            if entry is not None:
                region = entry[0]
                if 0 <= paddr - region.guest_phys_addr < region.memory_size:
                    return slot
        return -1

    def find_memslot(self, addr):
        """tst_kvm_find_memslot(): the slot holding guest-virtual addr, or -1."""
        paddr = self.get_phys_address(addr)
        if not paddr and addr:
            return -1
        return self.find_phys_memslot(paddr)

    def get_memptr(self, addr):
        """tst_kvm_get_memptr(): a memoryview of guest memory from
        guest-virtual addr to the end of its slot, or None if unbacked."""
        paddr = self.get_phys_address(addr)
        if not paddr and addr:
            return None
        return self._phys_memory(paddr)

    def run_instance(self, exp_errno=0):
        """tst_kvm_run_instance(): run the guest until it exits, relaying its
        results; returns the last KVM_RUN result, or -1 when KVM_RUN failed
        with exp_errno (EINTR for a vCPU thread the host interrupts)."""
        run = self.vcpu.run
        result = self.result
        fd = self.vcpu.fd
        ioctl = fcntl.ioctl
        kvm_run, exit_hlt = kc.KVM_RUN, kc.KVM_EXIT_HLT
        debug = self.debug
        self.vcpu_ended.clear()
        self.run_thread = threading.get_ident()
        try:
            while True:
                try:
                    ret = ioctl(fd, kvm_run, 0)
                except OSError as exc:
                    run.immediate_exit = 0
                    if exp_errno and exc.errno == exp_errno:
                        return -1
                    tst_brk(TBROK, str(KvmError("ioctl(KVM_RUN)", exc.errno)))
                if debug:
                    self._debug_exit()
                if run.exit_reason != exit_hlt:
                    self._unexpected_exit()
                value = result.result
                if value == KVM_TNONE or value == KVM_TSYNC:
                    continue  # kvm_yield(), or a signal for wait_guest()
                if value == KVM_TEXIT:
                    return ret
                self._relay_result()
                result.result = KVM_TNONE
        finally:
            self.run_thread = None
            self.vcpu_ended.set()

    def wait_guest(self, timeout_ms):
        """tst_kvm_wait_guest(): wait for tst_signal_host() from the guest
        running on another thread. Returns 0 on a signal, KVM_TEXIT when the
        guest has ended, -1 on timeout (0 polls once, negative waits
        forever)."""
        deadline = (None if timeout_ms < 0
                    else time.monotonic() + timeout_ms / 1000)
        while True:
            value = self.result.result
            if value == KVM_TSYNC:
                return 0
            if value == KVM_TEXIT or self.vcpu_ended.is_set():
                return KVM_TEXIT
            if deadline is not None and time.monotonic() >= deadline:
                return -1
            time.sleep(0.001)

    def clear_guest_signal(self):
        """tst_kvm_clear_guest_signal(): release a guest in tst_wait_host()."""
        self.result.result = KVM_TNONE

    def guest_signal_data(self):
        """The pointer the guest passed to tst_signal_host()."""
        return self.result.file_addr

    def interrupt_vcpu(self, thread_id, signum=signal.SIGUSR1):
        """Make the vCPU thread's KVM_RUN return EINTR: immediate_exit covers
        a thread that has not entered KVM_RUN yet, the signal one inside it.
        signum needs a handler (see install_kick_handler())."""
        self.vcpu.run.immediate_exit = 1
        signal.pthread_kill(thread_id, signum)

    def _relay_result(self):
        """tst_kvm_print_result(): pass one guest result to the sink; a
        guest TBROK ends the test there."""
        ttype, file, lineno, message = decode_result(self.result_page,
                                                     self.read_guest_string)
        if ttype == TBROK:
            raise AbortTest(TBROK, message, file, lineno,
                            self._guest_backtrace())
        self.sink.result(file, lineno, ttype, message)

    def _guest_backtrace(self):
        """Where a guest tst_brk(TBROK) came from."""
        lines = crash_report(self, self.payload.symbolizer)
        return lines[lines.index("backtrace:"):] if "backtrace:" in lines \
            else lines

    def read_guest_string(self, addr, limit):
        """The bytes of the NUL-terminated string at guest-virtual addr; the
        first limit bytes when it is longer; None when it does not end in
        guest memory."""
        memory = self.get_memptr(addr)
        if memory is None:
            return None
        found = read_c_string(memory, 0, limit)
        if found is None and len(memory) >= limit:
            return bytes(memory[:limit])
        return found

    def _debug_exit(self):
        reason = self.vcpu.run.exit_reason
        host_res(self.sink, TDEBUG, f"VM exit {kc.exit_reason_name(reason)} "
                 f"({reason}) at RIP={self._rip()}, result "
                 f"{self.result.result}")

    def _rip(self):
        try:
            return f"0x{self.vcpu.get_regs().rip:x}"
        except KvmError:
            return "unknown"

    def _unexpected_exit(self):
        run = self.vcpu.run
        reason = run.exit_reason
        if (reason == kc.KVM_EXIT_MMIO
                and self.in_left_out_pagetable(run.mmio.phys_addr)
                and not self._stack_overflowed()):
            tst_brk(TCONF, NEEDS_PAGING)
        detail = exit_detail(run)
        rip = self._rip()
        where = (self.payload.symbolizer.describe(int(rip, 16))
                 if rip != "unknown" else "unknown")
        tst_brk(TBROK, f"Unexpected VM exit, RIP={rip}, reason="
                f"{kc.exit_reason_name(reason)} ({reason})"
                + (f": {detail}" if detail else ""),
                [f"RIP {rip} is {where}"]
                + crash_report(self, self.payload.symbolizer))

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
        for slot, entry in enumerate(self.ram):
            if entry is not None:
                entry[1].free()
                self.ram[slot] = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.destroy_instance()


def exit_detail(run):
    """What KVM says about an exit, beyond its reason."""
    reason = run.exit_reason
    if reason == kc.KVM_EXIT_IO:
        io = run.io
        way = "out" if io.direction == kc.KVM_EXIT_IO_OUT else "in"
        return f"port I/O {way} port 0x{io.port:x}, {io.size} byte(s)"
    if reason == kc.KVM_EXIT_MMIO:
        mmio = run.mmio
        way = "write" if mmio.is_write else "read"
        return f"MMIO {way} at 0x{mmio.phys_addr:x}, {mmio.len} byte(s)"
    if reason == kc.KVM_EXIT_SHUTDOWN:
        return "triple fault"
    if reason == kc.KVM_EXIT_FAIL_ENTRY:
        return ("hardware entry failure reason 0x"
                f"{run.fail_entry.hardware_entry_failure_reason:x}")
    if reason == kc.KVM_EXIT_INTERNAL_ERROR:
        sub = run.internal.suberror
        return f"internal error {kc.INTERNAL_ERRORS.get(sub, 'UNKNOWN')} ({sub})"
    if reason == kc.KVM_EXIT_UNKNOWN:
        return f"hardware exit reason 0x{run.hw.hardware_exit_reason:x}"
    return ""


class VcpuThread(threading.Thread):
    """run_instance() on its own thread, for host hooks that talk to a
    running guest; join() returns its result or re-raises what it raised.

    Waiting polls a flag the thread sets when it is done: in CPython 3.11 a
    Thread.join() cut short by an exception from a signal handler (the
    test's timeout) marks a thread that still runs as stopped, and a VM
    freed under it crashes the process."""

    POLL = 0.001   # seconds

    def __init__(self, instance, exp_errno=0):
        super().__init__(name="vcpu", daemon=True)
        self.instance = instance
        self.exp_errno = exp_errno
        self.result = self.error = None
        self.finished = False

    def start(self):
        self.instance.vcpu_threads.append(self)
        super().start()

    def run(self):
        try:
            self.result = self.instance.run_instance(self.exp_errno)
        except BaseException as exc:  # noqa: BLE001 - re-raised by join()
            self.error = exc
        finally:
            self.finished = True

    def wait(self, timeout=None):
        """Whether the thread finished within timeout seconds (None: wait
        as long as it takes)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.finished:
            if deadline is not None and time.monotonic() >= deadline:
                return False
            time.sleep(self.POLL)
        super().join()   # it is past run(): this returns at once
        return True

    def is_alive(self):
        return not self.finished and super().is_alive()

    def join(self, timeout=None):
        self.wait(timeout)
        if self.error is not None:
            raise self.error
        return self.result


class KvmTest:
    """The default tst_kvm_setup()/tst_kvm_run()/tst_kvm_cleanup(): every
    run() boots a fresh VM, since a VM cannot be reset."""

    def __init__(self, payload_path, sink, ram_size=DEFAULT_RAM_SIZE,
                 debug=False):
        self.payload_path = payload_path
        self.sink = sink
        self.ram_size = ram_size
        self.debug = debug
        self.system = self.payload = self.instance = None

    def setup(self):
        self.payload = Payload(self.payload_path)
        try:
            self.system = KvmSystem()
        except KvmError as exc:
            if exc.errno in (errno.ENOENT, errno.ENXIO, errno.ENODEV,
                             errno.EACCES, errno.EPERM, errno.ENOTSUP):
                tst_brk(TCONF, f"KVM is not available: {exc}")
            tst_brk(TBROK, str(exc))
        missing = missing_capabilities(self.system)
        if missing:
            tst_brk(TCONF, f"KVM lacks {', '.join(missing)}")

    def res(self, ttype, message):
        """tst_res() for host hooks, located at the caller."""
        self.sink.result(*caller_location(), ttype, message)

    def create_instance(self):
        """A fresh VM with the payload, ready to run (self.instance)."""
        self.destroy_instance()
        self.instance = KvmInstance(self.system, self.payload, self.sink,
                                    self.ram_size, self.debug)
        return self.instance

    def destroy_instance(self):
        if self.instance is not None:
            self.instance.destroy_instance()
            self.instance = None

    def run(self):
        try:
            self.create_instance().run_instance()
        finally:
            self.destroy_instance()

    def cleanup(self):
        self.destroy_instance()
        if self.system is not None:
            self.system.close()
            self.system = None
