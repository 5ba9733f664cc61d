# SPDX-License-Identifier: GPL-2.0-or-later
"""A built test payload: the flat image the VM boots and, beside it, the ELF
with symbols and debug info."""
import ctypes
import errno
import functools
import os

from .errors import tst_brk
from .files import NotARegularFile, read_regular_file
from .symbols import Symbolizer
from .guest_abi import (KVM_ARCH_I386, KVM_ARCH_X86_64, KVM_BOOT_ABI_VERSION,
                        KVM_BOOT_MAGIC, KVM_RESULT_BASEADDR, TBROK,
                        VM_KERNEL_BASEADDR, kvm_boot_header)

ARCH_NAMES = {KVM_ARCH_X86_64: "x86_64", KVM_ARCH_I386: "i386"}
MAX_IMAGE_SIZE = KVM_RESULT_BASEADDR - VM_KERNEL_BASEADDR


class Payload:
    """The image bytes and its validated boot header."""

    def __init__(self, image_path):
        self.image_path = image_path
        self.elf_path = os.path.splitext(image_path)[0] + ".elf"
        try:
            self.image = read_regular_file(image_path, MAX_IMAGE_SIZE)
        except NotARegularFile:
            tst_brk(TBROK, f"Payload {image_path} is not a regular file")
        except OSError as exc:
            if exc.errno == errno.EFBIG:
                tst_brk(TBROK, f"Payload {image_path} is larger than "
                        f"{MAX_IMAGE_SIZE} bytes: it does not fit below the "
                        "result page")
            name = errno.errorcode.get(exc.errno, str(exc.errno))
            tst_brk(TBROK, f"Cannot read payload: open({image_path}) failed: "
                    f"{name} ({exc.strerror})")
        self.header = self._parse_header()

    def _parse_header(self):
        size = ctypes.sizeof(kvm_boot_header)
        if len(self.image) < size:
            tst_brk(TBROK, f"Payload {self.image_path} is truncated "
                       f"({len(self.image)} bytes)")
        header = kvm_boot_header.from_buffer_copy(self.image)
        if header.magic != KVM_BOOT_MAGIC:
            tst_brk(TBROK, f"{self.image_path} is not an ltpkvm payload "
                       "(no boot header)")
        if header.abi_version != KVM_BOOT_ABI_VERSION:
            tst_brk(TBROK, f"Payload {self.image_path} uses boot ABI "
                       f"{header.abi_version}, this host speaks "
                       f"{KVM_BOOT_ABI_VERSION}: rebuild it")
        if header.arch not in ARCH_NAMES:
            tst_brk(TBROK, f"Payload {self.image_path} has unknown arch "
                       f"{header.arch}")
        if header.image_end > KVM_RESULT_BASEADDR:
            tst_brk(TBROK, f"Payload {self.image_path} of "
                    f"{header.image_end - VM_KERNEL_BASEADDR} bytes with .bss "
                    "does not fit below the result page at "
                    f"0x{KVM_RESULT_BASEADDR:x}")
        loaded_end = VM_KERNEL_BASEADDR + len(self.image)
        addresses = [header.entry, header.stack_top, header.pagetable,
                     header.gdt, header.idt, header.tss, header.host_info]
        if not (loaded_end <= header.image_end <= KVM_RESULT_BASEADDR and
                all(VM_KERNEL_BASEADDR <= address <= header.image_end
                    for address in addresses)):
            tst_brk(TBROK, f"Payload {self.image_path} has an inconsistent "
                       "boot header")
        return header

    @functools.cached_property
    def symbolizer(self):
        """Symbols of the payload's ELF, read on first use."""
        return Symbolizer(self.elf_path)

    @property
    def arch(self):
        return ARCH_NAMES[self.header.arch]

    @property
    def size(self):
        """Bytes the payload occupies from VM_KERNEL_BASEADDR, with .bss."""
        return self.header.image_end - VM_KERNEL_BASEADDR
