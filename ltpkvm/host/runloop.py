# SPDX-License-Identifier: GPL-2.0-or-later
"""The run loop of a VM instance and the guest-host signalling: each HLT
exit is a guest result to relay (or a kvm_yield(), or a tst_signal_host());
an MMIO or port I/O exit that a declared region (emulated_io.py) or a
hook's exit handler answers lets the guest go on; any other exit is the
guest breaking, reported with a crash report."""
import signal
import threading
import time

from ..kvm import KvmError
from ..kvm.exits import HLT, Mmio
from .crash import crash_report
from .errors import AbortTest, host_res, tst_brk
from .guest_abi import (KVM_STACK_SIZE, KVM_TEXIT, KVM_TNONE, KVM_TSYNC,
                        TBROK, TCONF, TDEBUG)
from .results import decode_result

NEEDS_PAGING = ("This test needs paging, which this KVM does not support "
                "outside 64-bit mode")
KICK_SIGNAL = signal.SIGUSR1


def install_kick_handler(signum=KICK_SIGNAL):
    """A no-op handler for the signal that kicks a vCPU thread out of KVM_RUN
    (the default action would end the process). Main thread only."""
    signal.signal(signum, lambda *_: None)


class RunLoop:
    """The running half of KvmInstance; needs self.vcpu, self.result (the
    result page), self.result_page, self.sink, self.payload, self.debug,
    self.vcpu_ended, self.emulated_io, self.exit_handlers and the
    GuestMemory half."""

    def run_instance(self, exp_errno=0):
        """tst_kvm_run_instance(): run the guest until it exits, relaying its
        results; returns 0, or -1 when KVM_RUN failed with exp_errno (EINTR
        for a vCPU thread the host interrupts)."""
        vcpu_run, hlt, debug = self.vcpu.run, HLT, self.debug
        # tst_kvm_result.result, read through a memoryview: the fastest way
        words = self.result_page[:4].cast("i")
        none, sync, end = KVM_TNONE, KVM_TSYNC, KVM_TEXIT
        self.vcpu_ended.clear()
        self.run_thread = threading.get_ident()
        try:
            while True:
                try:
                    vm_exit = vcpu_run()
                except KvmError as exc:
                    if exp_errno and exc.errno == exp_errno:
                        return -1
                    tst_brk(TBROK, str(exc))
                if debug:
                    self._debug_exit(vm_exit)
                if vm_exit is not hlt:
                    if self._answered(vm_exit):
                        continue
                    self._unexpected_exit(vm_exit)
                value = words[0]
                if value == none or value == sync:
                    continue  # kvm_yield(), or a signal for wait_guest()
                if value == end:
                    return 0
                self._relay_result()
                words[0] = none
        finally:
            self.run_thread = None
            self.vcpu_ended.set()

    def on_exit(self, handler):
        """Call handler(vm_exit) on each exit other than HLT that no
        declared region answers: True if it handled the exit (the guest
        goes on); it may also end the test with tst_brk()/tst_res()."""
        self.exit_handlers.append(handler)

    def _answered(self, vm_exit):
        return self.emulated_io.answer(vm_exit) or \
            any(handler(vm_exit) for handler in self.exit_handlers)

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

    def interrupt_vcpu(self, thread_id, signum=KICK_SIGNAL):
        """Make the vCPU thread's KVM_RUN return EINTR: immediate_exit covers
        a thread that has not entered KVM_RUN yet, the signal one inside it.
        signum needs a handler (see install_kick_handler())."""
        self.vcpu.kvm_run.immediate_exit = 1
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

    def _debug_exit(self, vm_exit):
        host_res(self.sink, TDEBUG, f"VM exit {vm_exit.name} "
                 f"({vm_exit.reason}) at RIP={self._rip()}, result "
                 f"{self.result.result}")

    def _rip(self):
        try:
            return f"0x{self.vcpu.get_regs().rip:x}"
        except KvmError:
            return "unknown"

    def _stack_overflowed(self):
        """Is the stack pointer below the bottom of the guest's stack (just
        above the page tables)?"""
        bottom = self.payload.header.stack_top - KVM_STACK_SIZE
        try:
            return self.vcpu.get_regs().rsp < bottom
        except KvmError:
            return False

    def _unexpected_exit(self, vm_exit):
        if (isinstance(vm_exit, Mmio)
                and self.in_left_out_pagetable(vm_exit.phys_addr)
                and not self._stack_overflowed()):
            tst_brk(TCONF, NEEDS_PAGING)
        detail = vm_exit.describe()
        rip = self._rip()
        where = (self.payload.symbolizer.describe(int(rip, 16))
                 if rip != "unknown" else "unknown")
        tst_brk(TBROK, f"Unexpected VM exit, RIP={rip}, reason="
                f"{vm_exit.name} ({vm_exit.reason})"
                + (f": {detail}" if detail else ""),
                [f"RIP {rip} is {where}"]
                + crash_report(self, self.payload.symbolizer))
