/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * i386 entry and interrupt stubs. The host has already put the vCPU in
 * 32-bit protected mode (with PAE paging where this KVM supports it, the
 * tables at kvm_pagetable_pages built by the host), our GDT, IDT and TSS
 * loaded and ESP at kvm_stack_top. 32-bit code is emulated and slow on some
 * KVMs: keep everything here short.
 */
#include "kvm_abi.h"

.code32
.section .text.entry, "ax"
.global kvm_start
kvm_start:
	xor %ebp, %ebp		/* end of the frame-pointer chain */
	call kvm_init_guest
	call main
	call kvm_exit

.text
.global kvm_yield
kvm_yield:
	hlt
	ret

/* One stub per CPU exception: push a dummy error code where the CPU pushes
 * none, so every frame has the same shape, then the vector number. */
.macro intr_stub vector, has_errcode=0
.align 16
kvm_intr_\vector:
.if \has_errcode == 0
	pushl $0
.endif
	pushl $\vector
	jmp kvm_intr_common
.endm

.irp v, 0,1,2,3,4,5,6,7,9,15,16,18,19,20,22,23,24,25,26,27,28,31
	intr_stub \v
.endr
.irp v, 8,10,11,12,13,14,17,21,29,30
	intr_stub \v, 1
.endr

kvm_intr_common:
	pusha			/* 8 registers, 32 bytes */
	lea 40(%esp), %eax	/* struct kvm_interrupt_frame * */
	/* A frame returning to the interrupted instruction, so that a
	 * backtrace from the handler goes on into the interrupted code */
	push (%eax)
	push %ebp
	mov %esp, %ebp
	push 44(%esp)		/* error code */
	push 44(%esp)		/* vector (the stack moved by 4) */
	push %eax
	call tst_handle_interrupt
	add $20, %esp
	/*
	 * Return as iret would at the same privilege level, with popf and
	 * ret: some KVMs' 32-bit emulators (kvm_pvm) do not know iret. The
	 * frame eip, cs, eflags becomes eip, eflags, eip.
	 */
	mov 48(%esp), %eax	/* eflags */
	mov 40(%esp), %ecx	/* eip */
	mov %eax, 44(%esp)
	mov %ecx, 48(%esp)
	popa
	add $12, %esp		/* vector, error code, eip */
	popf
	ret

/* Handler addresses for kvm_init_arch(), indexed by vector. */
.section .rodata
.global kvm_intr_stubs
.align 4
kvm_intr_stubs:
.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.long kvm_intr_\v
.endr

/* The stack and the page-table pages the host fills in. */
.section .bss.boot, "aw", @nobits
.align KVM_PAGE_SIZE
.global kvm_pagetable_pages
kvm_pagetable_pages:
	.skip KVM_PAGETABLE_PAGES * KVM_PAGE_SIZE
	.size kvm_pagetable_pages, KVM_PAGETABLE_PAGES * KVM_PAGE_SIZE
.global kvm_stack_bottom
kvm_stack_bottom:
	.skip KVM_STACK_SIZE
.global kvm_stack_top
kvm_stack_top:
