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
.type kvm_start, @function
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
	testb $3, 44(%esp)	/* the interrupted CPL */
	jz 1f
	popa
	add $8, %esp		/* vector and error code */
	iret
1:
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

/*
 * Guest user mode: int kvm_enter_user(func, arg, rflags) saves the
 * callee-saved registers and RFLAGS on the kernel stack, points TSS.(R|E)SP0 below
 * them (where the CPU switches to when user mode is interrupted) and
 * IRETs to kvm_user_entry at CPL 3 with func and arg in registers; the
 * user stack top is kvm_user_stack_top. kvm_user_return(value) switches
 * back to the saved stack and returns value from kvm_enter_user().
 *
 * User mode enters the kernel with a UD2 at kvm_user_exit_insn (func
 * returned, its value in EAX) or at kvm_user_call_insn (kvm_user_call()):
 * the #UD handler knows these two addresses. (An INT n gate would be the
 * classic way, but kvm_pvm turns INT n at CPL 3 into #UD.)
 */
#define TSS_SP0 4	/* offset of RSP0 (x86_64) or ESP0 (i386) */

#ifdef __x86_64__
.global kvm_enter_user
kvm_enter_user:
	push %rbx
	push %rbp
	push %r12
	push %r13
	push %r14
	push %r15
	pushfq
	mov %rsp, kvm_user_saved_sp(%rip)
	mov %rsp, kvm_tss + TSS_SP0(%rip)
	mov $(KVM_USER_DS_SELECTOR | 3), %eax
	mov %eax, %ds
	mov %eax, %es
	push %rax			/* SS */
	push kvm_user_stack_top(%rip)	/* RSP */
	push %rdx			/* RFLAGS */
	push $(KVM_USER_CS64_SELECTOR | 3)
	lea kvm_user_entry(%rip), %rax
	push %rax			/* RIP */
	iretq

.global kvm_user_return
kvm_user_return:
	mov kvm_user_saved_sp(%rip), %rsp
	mov $KVM_DS_SELECTOR, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov %edi, %eax
	popfq				/* exception entry kept user IOPL, AC */
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbp
	pop %rbx
	ret

.section .text.user, "ax"
kvm_user_entry:
	mov %rdi, %rax
	mov %rsi, %rdi
	and $-16, %rsp			/* the ABI's alignment at a call */
	call *%rax
.global kvm_user_exit_insn
kvm_user_exit_insn:
	ud2				/* the result is in EAX */

/* int kvm_user_call(int (*func)(void *), void *arg): from CPL 3 */
.global kvm_user_call, kvm_user_call_insn
kvm_user_call:
kvm_user_call_insn:
	ud2				/* func in RDI, arg in RSI */
	ret

#else /* i386 */
.global kvm_enter_user
kvm_enter_user:
	push %ebx
	push %ebp
	push %esi
	push %edi
	pushf
	mov 24(%esp), %eax		/* func */
	mov 28(%esp), %edx		/* arg */
	mov 32(%esp), %ecx		/* rflags */
	mov %esp, kvm_user_saved_sp
	mov %esp, kvm_tss + TSS_SP0
	mov $(KVM_USER_DS_SELECTOR | 3), %ebx
	mov %ebx, %ds
	mov %ebx, %es
	mov %ebx, %fs
	mov %ebx, %gs
	push %ebx			/* SS */
	push kvm_user_stack_top		/* ESP */
	push %ecx			/* EFLAGS */
	push $(KVM_USER_CS32_SELECTOR | 3)
	push $kvm_user_entry		/* EIP */
	iret

.global kvm_user_return
kvm_user_return:
	mov 4(%esp), %ecx		/* value */
	mov kvm_user_saved_sp, %esp
	mov $KVM_DS_SELECTOR, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %fs
	mov %eax, %gs
	mov %eax, %ss
	mov %ecx, %eax
	popf				/* exception entry kept user IOPL, AC */
	pop %edi
	pop %esi
	pop %ebp
	pop %ebx
	ret

.section .text.user, "ax"
kvm_user_entry:
	and $-16, %esp
	sub $12, %esp
	push %edx			/* arg */
	call *%eax
.global kvm_user_exit_insn
kvm_user_exit_insn:
	ud2				/* the result is in EAX */

.global kvm_user_call, kvm_user_call_insn
kvm_user_call:
	mov 4(%esp), %eax		/* func */
	mov 8(%esp), %edx		/* arg */
kvm_user_call_insn:
	ud2
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
