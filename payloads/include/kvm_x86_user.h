/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ltpkvm: guest user mode (CPL 3), which LTP's library does not have.
 *
 * kvm_run_user(func, arg) runs func(arg) at CPL 3 on a user stack and
 * returns its return value. func and what it calls must be user code
 * (KVM_USER_CODE) and the data it touches user data (KVM_USER_DATA) or
 * pages made user-accessible with kvm_set_user_access(): the rest of the
 * payload, the result page included, is supervisor-only, so tst_res() and
 * the C library are not for user code. An exception at CPL 3 goes to the
 * tst_set_interrupt_callback() handler, which can tell the CPL
 * (kvm_get_interrupt_cpl()), skip or retry the instruction (ifrm->eip),
 * or end the user function with kvm_exit_user(value). User code calls a
 * kernel function with kvm_user_call().
 *
 * Needs paging (U/S pages): on an i386 payload that runs unpaged, the
 * first use ends the test in TCONF.
 */
#ifndef KVM_X86_USER_H_
#define KVM_X86_USER_H_

#include "kvm_x86.h"

#define KVM_USER_CODE __attribute__((section(".text.user"), noinline))
#define KVM_USER_DATA __attribute__((section(".data.user")))
#define KVM_USER_STACK_SIZE 0x4000

/* The selectors user mode runs with (RPL 3) */
#define KVM_USER_CS (KVM_USER_CS64_SELECTOR | 3)
#define KVM_USER_CS32 (KVM_USER_CS32_SELECTOR | 3)
#define KVM_USER_DS (KVM_USER_DS_SELECTOR | 3)

/* RFLAGS user mode starts with: IOPL 0, interrupts off */
#define KVM_USER_RFLAGS RFLAGS_RESERVED

int kvm_run_user(int (*func)(void *), void *arg);
/* The same with RFLAGS of the caller's choice (IOPL, AC, TF...) */
int kvm_run_user_flags(int (*func)(void *), void *arg, unsigned long rflags);

/*
 * From an interrupt callback for an exception at CPL 3: abandon the user
 * function; kvm_run_user() returns value.
 */
void kvm_exit_user(int value) __attribute__((noreturn));

/* From user mode: func(arg) at CPL 0, and its return value */
int kvm_user_call(int (*func)(void *), void *arg);

/*
 * Make the pages of [addr, addr + size) user-accessible (user != 0) or
 * supervisor-only again, in the identity map (kvm_get_pte() on each).
 */
void kvm_set_user_access(const void *addr, size_t size, int user);

/*
 * Catching the exception of one instruction, at CPL 0 or 3: while
 * kvm_catch_exceptions(record) is on, an exception raised between the
 * labels that KVM_CATCH_INSN() puts around an instruction (an inline-asm
 * string: the instruction that may fault, any set-up goes before the
 * macro) is recorded and execution resumes after the instruction; one
 * raised elsewhere goes to the default handler. record->count says whether
 * it raised one. kvm_catch_exceptions(NULL) stops. The labels live in user
 * data, so that user code (KVM_USER_CODE) can use KVM_CATCH_INSN() too.
 * KVM_CATCH_FEP_INSN() puts the forced-emulation prefix before it.
 */
struct kvm_exception_record {
	unsigned int count;	/* exceptions caught since the last catch */
	unsigned int vector, cpl;
	unsigned long errcode;
	uintptr_t ip, cr2;	/* where it was raised; CR2 for #PF */
	uintptr_t insn;		/* where the instruction starts */
	uintptr_t next;		/* and where the next one does */
};

extern uintptr_t kvm_catch_insn, kvm_catch_resume;

#ifdef __x86_64__
# define KVM_CATCH_MOV "movq"
#else
# define KVM_CATCH_MOV "movl"
#endif
#define KVM_CATCH_PREFIXED(prefix, insn) \
	KVM_CATCH_MOV " $1731f, kvm_catch_insn\n\t" \
	KVM_CATCH_MOV " $1732f, kvm_catch_resume\n\t" \
	prefix "\n1731:\t" insn "\n1732:\n\t"
#define KVM_CATCH_INSN(insn) KVM_CATCH_PREFIXED("", insn)
#define KVM_CATCH_FEP_INSN(insn) KVM_CATCH_PREFIXED(KVM_FEP, insn)

void kvm_catch_exceptions(struct kvm_exception_record *record);

/*
 * While catching, an exception raised at this address is caught too, as
 * the instruction's (record->ip says where): the target of a branch that
 * must fault, where a KVM that lets it through makes the guest fault
 * next. kvm_catch_exceptions() sets it back to 0 (none).
 */
extern uintptr_t kvm_catch_landing;

/*
 * 1 if record holds just what was expected: no exception (vector -1), or
 * one exception of vector with errcode, raised at cpl at the instruction
 * (after it for the traps #DB, #BP and #OF); else a TFAIL naming what
 * happened to what, and 0.
 */
int kvm_exception_is_(const char *file, const int lineno, const char *what,
	const struct kvm_exception_record *record, int vector,
	unsigned long errcode, unsigned int cpl);
#define kvm_exception_is(what, record, vector, errcode, cpl) \
	kvm_exception_is_(__FILE__, __LINE__, (what), (record), (vector), \
		(errcode), (cpl))

/*
 * 1 (and a TCONF naming what) if record holds a #UD at the instruction:
 * behind KVM_FEP that is KVM's emulator saying it cannot emulate the
 * instruction in this mode, so there is nothing to check.
 */
int kvm_not_emulated_(const char *file, const int lineno, const char *what,
	const struct kvm_exception_record *record);
#define kvm_not_emulated(what, record) \
	kvm_not_emulated_(__FILE__, __LINE__, (what), (record))

/* func(arg) at CPL 3 (kvm_run_user_flags()), its exception in record */
int kvm_run_user_catching(int (*func)(void *), void *arg,
	unsigned long rflags, struct kvm_exception_record *record);

/*
 * run_all(0), for the instructions as they are; then, where the host's
 * forced emulation is on, run_all(1), for them behind KVM_FEP; else a
 * TINFO saying what the first pass alone covered (without_fep).
 */
void kvm_run_plain_then_forced(void (*run_all)(int forced),
	const char *without_fep);

/* TCONF unless guest user mode can run here (it needs paging) */
void kvm_require_user_mode(void);

/*
 * Library internals: user mode's way into the kernel (a #UD at CPL 3 at
 * one of the bootstrap's two UD2s; 1 if it was one) and the depth of
 * exception handling, 0 while user mode runs.
 */
int kvm_handle_user_gate(struct kvm_interrupt_frame *ifrm);
extern unsigned int kvm_interrupt_depth;

#endif /* KVM_X86_USER_H_ */
