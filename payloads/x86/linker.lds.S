/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * x86 payload layout (i386 and x86_64): a flat image loaded at
 * VM_KERNEL_BASEADDR, starting with the boot header.
 */
#include "kvm_abi.h"

#ifdef __x86_64__
OUTPUT_FORMAT(elf64-x86-64)
OUTPUT_ARCH(i386:x86-64)
# define KVM_ARCH KVM_ARCH_X86_64
#else
OUTPUT_FORMAT(elf32-i386)
OUTPUT_ARCH(i386)
# define KVM_ARCH KVM_ARCH_I386
#endif
ENTRY(kvm_start)

SECTIONS
{
	. = VM_KERNEL_BASEADDR;

	/* struct kvm_boot_header: the host reads it to boot the payload. */
	.boot_header : {
		LONG(KVM_BOOT_MAGIC)
		SHORT(KVM_BOOT_ABI_VERSION)
		SHORT(KVM_ARCH)
		/* QUAD zero-extends 32-bit addresses */
		QUAD(kvm_start)
		QUAD(kvm_stack_top)
		QUAD(kvm_pagetable)
		QUAD(kvm_gdt)
		QUAD(kvm_idt)
		QUAD(kvm_tss)
		QUAD(kvm_image_end)
		QUAD(kvm_host_info)
	}

	/*
	 * Code and data that guest user mode runs (KVM_USER_CODE and
	 * KVM_USER_DATA), in whole pages of their own: the pages that
	 * kvm_run_user() makes user-accessible. Here, before .text, since its
	 * .text.* pattern would take .text.user.
	 */
	. = ALIGN(KVM_PAGE_SIZE);
	kvm_user_begin = .;
	.text.user : {
		*(.text.user)
	}
	. = ALIGN(KVM_PAGE_SIZE);
	.data.user : {
		*(.rodata.user)
		*(.data.user)
	}
	. = ALIGN(KVM_PAGE_SIZE);
	kvm_user_end = .;

	.text : {
		*(.text.entry)
		*(.text .text.*)
	}

	.rodata : {
		*(.rodata .rodata.*)
	}

	.data : {
		*(.data .data.*)
	}

	/* Guest RAM starts zeroed, so .bss needs no bytes in the image. */
	.bss (NOLOAD) : {
		*(.bss.boot)
		*(.bss .bss.* COMMON)
	}

	. = ALIGN(KVM_PAGE_SIZE);
	kvm_image_end = .;

	/DISCARD/ : {
		*(.note .note.* .comment .eh_frame .eh_frame_hdr)
	}
}
