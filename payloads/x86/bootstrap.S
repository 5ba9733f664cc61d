/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * x86 entry and interrupt stubs, for i386 and x86_64. The host has already
 * put the vCPU in the payload's final mode (64-bit, or 32-bit protected
 * mode with PAE paging where this KVM supports it), the page tables at
 * kvm_pagetable built, our GDT, IDT and TSS loaded and the stack
 * pointer at kvm_stack_top: no 16/32-bit setup code runs, which matters on
 * KVMs that emulate such code one instruction at a time.
 */
#include "kvm_abi.h"

#ifdef __x86_64__
.code64
# define ADDRESS .quad
#else
.code32
# define ADDRESS .long
#endif

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
 * none, so every frame has the same shape, then the vector number. The
 * vectors LTP names have its kvm_handle_* names too. */
.macro intr_stub vector, has_errcode=0, name=
.align 16
kvm_intr_\vector:
.ifnb \name
.global kvm_handle_\name
kvm_handle_\name:
.endif
.if \has_errcode == 0
	push $0
.endif
	push $\vector
	jmp kvm_intr_common
.endm

intr_stub 0,, zerodiv
intr_stub 1,, debug
intr_stub 2,, nmi
intr_stub 3,, breakpoint
intr_stub 4,, overflow
intr_stub 5,, bound_range_exc
intr_stub 6,, bad_opcode
intr_stub 7,, device_error
intr_stub 8, 1, double_fault
intr_stub 10, 1, invalid_tss
intr_stub 11, 1, segfault
intr_stub 12, 1, stack_fault
intr_stub 13, 1, gpf
intr_stub 14, 1, page_fault
intr_stub 16,, fpu_error
intr_stub 17, 1, alignment_error
intr_stub 18,, machine_check
intr_stub 19,, simd_error
intr_stub 20,, virt_error
intr_stub 21, 1, cpe
intr_stub 28,, hv_injection
intr_stub 29, 1, vmm_comm
intr_stub 30, 1, security_error
.irp v, 9,15,22,23,24,25,26,27,31
	intr_stub \v
.endr
/* Vector 32: one the library does not know, reported as such */
intr_stub 32,, bad_exception

#ifdef __x86_64__
kvm_intr_common:
	/* The CPU aligned RSP to 16 before its 5-word frame; with the error
	 * code, vector and these 15 registers the C call stays aligned. */
	push %rax
	push %rbx
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %rbp
	push %r8
	push %r9
	push %r10
	push %r11
	push %r12
	push %r13
	push %r14
	push %r15
	lea 136(%rsp), %rdi	/* struct kvm_interrupt_frame * */
	mov 120(%rsp), %rsi	/* vector */
	mov 128(%rsp), %rdx	/* error code */
	/* A frame returning to the interrupted instruction, so that a
	 * backtrace from the handler goes on into the interrupted code */
	pushq (%rdi)
	push %rbp
	mov %rsp, %rbp
	call tst_handle_interrupt
	add $16, %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rbp
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rbx
	pop %rax
	add $16, %rsp		/* vector and error code */
	iretq

#else /* i386 */
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
#endif

/* Handler addresses for kvm_init_arch(), indexed by vector. */
.section .rodata
.global kvm_intr_stubs
.align 8
kvm_intr_stubs:
.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ADDRESS kvm_intr_\v
.endr

/* The stack and the page-table pages the host fills in. */
.section .bss.boot, "aw", @nobits
.align KVM_PAGE_SIZE
.global kvm_pagetable
kvm_pagetable:
	.skip KVM_PAGETABLE_PAGES * KVM_PAGE_SIZE
	.size kvm_pagetable, KVM_PAGETABLE_PAGES * KVM_PAGE_SIZE
.global kvm_stack_bottom
kvm_stack_bottom:
	.skip KVM_STACK_SIZE
.global kvm_stack_top
kvm_stack_top:
