# SPDX-License-Identifier: GPL-2.0-or-later
"""A test's life: the default tst_kvm_setup()/tst_kvm_run()/tst_kvm_cleanup()
(KvmTest), and VcpuThread, for hooks that talk to a running guest."""
import errno
import threading
import time

from ..kvm import KvmError, KvmSystem
from ..kvm.constants import Cap
from .emulated_io import EmulatedIo
from .errors import tst_brk
from .guest_abi import DEFAULT_RAM_SIZE, MAX_KVM_MEMSLOTS, TBROK, TCONF
from .instance import KvmInstance
from .payload import Payload

# What the host library cannot do without (capability, minimum value)
REQUIRED_CAPABILITIES = ((Cap.KVM_CAP_USER_MEMORY, 1),
                         (Cap.KVM_CAP_EXT_CPUID, 1),
                         (Cap.KVM_CAP_NR_MEMSLOTS, MAX_KVM_MEMSLOTS))


def missing_capabilities(system):
    """Names of the REQUIRED_CAPABILITIES this KVM lacks."""
    missing = []
    for cap, minimum in REQUIRED_CAPABILITIES:
        try:
            value = system.check_extension(cap)
        except KvmError:
            value = 0
        if value < minimum:
            missing.append(cap.name if minimum == 1
                           else f"{cap.name} >= {minimum}")
    return missing


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
    run() boots a fresh VM, since a VM cannot be reset. mmio_regions and
    port_regions (emulated_io.py) are answered by the host in each VM."""

    def __init__(self, payload_path, sink, ram_size=DEFAULT_RAM_SIZE,
                 debug=False, mmio_regions=(), port_regions=()):
        self.payload_path = payload_path
        self.sink = sink
        self.ram_size = ram_size
        self.debug = debug
        self.mmio_regions, self.port_regions = mmio_regions, port_regions
        self.exit_handlers = []
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

    def create_instance(self):
        """A fresh VM with the payload, ready to run (self.instance)."""
        self.destroy_instance()
        self.instance = KvmInstance(
            self.system, self.payload, self.sink, self.ram_size, self.debug,
            EmulatedIo(self.mmio_regions, self.port_regions))
        for handler in self.exit_handlers:
            self.instance.on_exit(handler)
        return self.instance

    def on_exit(self, handler):
        """handler(vm_exit) for the exits of every VM this test creates
        (KvmInstance.on_exit())."""
        self.exit_handlers.append(handler)

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
