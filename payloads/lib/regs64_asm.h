/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * For the nested-guest run functions of lib_x86_svm.c and lib_x86_vmx.c:
 * the offsets of struct kvm_regs64's fields inside a vCPU structure whose
 * regs start at `base`, and the assembly that moves the general registers
 * other than RAX, RSP and RDI (each run function treats those three its own
 * way) between that structure at (%rdi) and the CPU.
 */
#ifndef REGS64_ASM_H_
#define REGS64_ASM_H_

#define STR_(x) #x
#define STR(x) STR_(x)

#define REG_RAX(base) ((base) + 0)
#define REG_RBX(base) ((base) + 8)
#define REG_RCX(base) ((base) + 16)
#define REG_RDX(base) ((base) + 24)
#define REG_RDI(base) ((base) + 32)
#define REG_RSI(base) ((base) + 40)
#define REG_RBP(base) ((base) + 48)
#define REG_RSP(base) ((base) + 56)
#define REG_R8(base) ((base) + 64)
#define REG_R15(base) ((base) + 120)

#define REGS64_LOAD(base) \
	"	mov " STR(REG_RBX(base)) "(%rdi), %rbx\n" \
	"	mov " STR(REG_RCX(base)) "(%rdi), %rcx\n" \
	"	mov " STR(REG_RDX(base)) "(%rdi), %rdx\n" \
	"	mov " STR(REG_RSI(base)) "(%rdi), %rsi\n" \
	"	mov " STR(REG_RBP(base)) "(%rdi), %rbp\n" \
	"	mov " STR(REG_R8(base)) "+0(%rdi), %r8\n" \
	"	mov " STR(REG_R8(base)) "+8(%rdi), %r9\n" \
	"	mov " STR(REG_R8(base)) "+16(%rdi), %r10\n" \
	"	mov " STR(REG_R8(base)) "+24(%rdi), %r11\n" \
	"	mov " STR(REG_R8(base)) "+32(%rdi), %r12\n" \
	"	mov " STR(REG_R8(base)) "+40(%rdi), %r13\n" \
	"	mov " STR(REG_R8(base)) "+48(%rdi), %r14\n" \
	"	mov " STR(REG_R8(base)) "+56(%rdi), %r15\n"

#define REGS64_STORE(base) \
	"	mov %rbx, " STR(REG_RBX(base)) "(%rdi)\n" \
	"	mov %rcx, " STR(REG_RCX(base)) "(%rdi)\n" \
	"	mov %rdx, " STR(REG_RDX(base)) "(%rdi)\n" \
	"	mov %rsi, " STR(REG_RSI(base)) "(%rdi)\n" \
	"	mov %rbp, " STR(REG_RBP(base)) "(%rdi)\n" \
	"	mov %r8, " STR(REG_R8(base)) "+0(%rdi)\n" \
	"	mov %r9, " STR(REG_R8(base)) "+8(%rdi)\n" \
	"	mov %r10, " STR(REG_R8(base)) "+16(%rdi)\n" \
	"	mov %r11, " STR(REG_R8(base)) "+24(%rdi)\n" \
	"	mov %r12, " STR(REG_R8(base)) "+32(%rdi)\n" \
	"	mov %r13, " STR(REG_R8(base)) "+40(%rdi)\n" \
	"	mov %r14, " STR(REG_R8(base)) "+48(%rdi)\n" \
	"	mov %r15, " STR(REG_R8(base)) "+56(%rdi)\n"

#endif /* REGS64_ASM_H_ */
