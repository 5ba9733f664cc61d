// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ltpkvm: guest user mode and page-table helpers (kvm_x86_user.h).
 */
#include "kvm_x86_user.h"

extern char kvm_user_begin[], kvm_user_end[];
extern char kvm_user_exit_insn[], kvm_user_call_insn[];

/* Read and written by the bootstrap's kvm_enter_user/kvm_user_return */
uintptr_t kvm_user_stack_top, kvm_user_saved_sp;

int kvm_enter_user(int (*func)(void *), void *arg, unsigned long rflags);
void kvm_user_return(int value) __attribute__((noreturn));

static int in_user_mode;

/* Written by KVM_CATCH_INSN() at either CPL */
KVM_USER_DATA uintptr_t kvm_catch_insn, kvm_catch_resume;
uintptr_t kvm_catch_landing;
static struct kvm_exception_record *catch_record;

static unsigned int top_level(void)
{
#ifdef __x86_64__
	return 4;
#else
	return 3;	/* PAE: the PDPT */
#endif
}

/* The first entry below table entry *entry, splitting a large page */
static uint64_t *next_table(uint64_t *entry, unsigned int level)
{
	uint64_t *table, flags;
	unsigned int i;

	if (!(*entry & PTE_LARGE) || level == 1 || level > 3)
		return (uint64_t *)(uintptr_t)(*entry & PTE_ADDRESS_MASK);

	/* 512 entries of the next size down, with the same access rights */
	table = tst_heap_alloc_aligned(KVM_PAGE_SIZE, KVM_PAGE_SIZE);
	flags = *entry & ~PTE_ADDRESS_MASK;
	if (level - 1 == 1)
		flags &= ~PTE_LARGE;

	for (i = 0; i < 512; i++) {
		table[i] = (*entry & PTE_ADDRESS_MASK) +
			((uint64_t)i << (12 + 9 * (level - 2))) + flags;
	}

	/* The directory entry keeps the restrictions (W, U, NX) it had */
	*entry = (uintptr_t)table | (*entry & (PTE_PRESENT | PTE_WRITABLE |
		PTE_USER | PTE_ACCESSED | PTE_NX));
	kvm_flush_tlb();
	return table;
}

uint64_t *kvm_get_pte(uintptr_t addr, unsigned int level)
{
	struct kvm_cregs cregs;
	unsigned int cur = top_level();
	uint64_t *table, *entry;

	kvm_read_cregs(&cregs);
	if (!(cregs.cr0 & CR0_PG) || level < 1 || level > cur)
		return NULL;

#ifdef __x86_64__
	table = (uint64_t *)(cregs.cr3 & PTE_ADDRESS_MASK);
#else
	/* The PAE PDPT: 4 entries, 32-byte aligned */
	table = (uint64_t *)(cregs.cr3 & ~0x1fUL);
#endif

	for (;; cur--) {
		entry = table + ((addr >> (12 + 9 * (cur - 1))) & 0x1ff);
		if (cur == level)
			return entry;

		if (!(*entry & PTE_PRESENT))
			return NULL;

		table = next_table(entry, cur);
	}
}

void kvm_flush_tlb(void)
{
	struct kvm_cregs cregs;

	kvm_read_cregs(&cregs);
	kvm_set_cr3(cregs.cr3);
}

void kvm_invlpg(const void *addr)
{
	__asm__ volatile("invlpg (%0)" : : "r" (addr) : "memory");
}

void kvm_require_user_mode(void)
{
	struct kvm_cregs cregs;

	kvm_read_cregs(&cregs);
	if (!(cregs.cr0 & CR0_PG)) {
		tst_brk(TCONF, "Guest user mode needs paging, which this KVM "
			"does not support outside 64-bit mode");
	}
}

void kvm_set_user_access(const void *addr, size_t size, int user)
{
	uintptr_t page = (uintptr_t)addr & ~(uintptr_t)(KVM_PAGE_SIZE - 1);
	uintptr_t end = (uintptr_t)addr + size;
	unsigned int level;
	uint64_t *entry;

	kvm_require_user_mode();

	for (; page < end; page += KVM_PAGE_SIZE) {
		/* Split a large page first: its 4 KiB pages inherit its bits */
		entry = kvm_get_pte(page, 1);
		if (!entry || !(*entry & PTE_PRESENT))
			tst_brk(TBROK, "Page 0x%lx is not mapped",
				(unsigned long)page);

		if (user)
			*entry |= PTE_USER;
		else
			*entry &= ~(uint64_t)PTE_USER;

		/* The directories above allow it; the page decides */
		for (level = 2; level <= top_level(); level++) {
#ifndef __x86_64__
			if (level == 3)
				break;	/* PAE PDPT entries have no U/S bit */
#endif
			*kvm_get_pte(page, level) |= PTE_USER;
		}

		kvm_invlpg((void *)page);
	}
}

static void init_user_mode(void)
{
	void *stack;

	kvm_require_user_mode();
	kvm_set_user_access(kvm_user_begin, kvm_user_end - kvm_user_begin, 1);
	stack = tst_heap_alloc_aligned(KVM_USER_STACK_SIZE, KVM_PAGE_SIZE);
	kvm_set_user_access(stack, KVM_USER_STACK_SIZE, 1);
	kvm_user_stack_top = (uintptr_t)stack + KVM_USER_STACK_SIZE;
}

int kvm_run_user_flags(int (*func)(void *), void *arg, unsigned long rflags)
{
	int ret;

	if (in_user_mode || kvm_interrupt_depth)
		tst_brk(TBROK, "kvm_run_user() called from user mode or from "
			"an interrupt handler");

	if (!kvm_user_stack_top)
		init_user_mode();

	in_user_mode = 1;
	ret = kvm_enter_user(func, arg, rflags | RFLAGS_RESERVED);
	in_user_mode = 0;
	return ret;
}

int kvm_run_user(int (*func)(void *), void *arg)
{
	return kvm_run_user_flags(func, arg, KVM_USER_RFLAGS);
}

void kvm_exit_user(int value)
{
	if (!in_user_mode)
		tst_brk(TBROK, "kvm_exit_user() outside kvm_run_user()");

	/* Out of the interrupt handler that called us, for good */
	kvm_interrupt_depth = 0;
	in_user_mode = 0;
	kvm_user_return(value);
}

/* Where the bootstrap's user-mode stubs keep the result and the call */
#ifdef __x86_64__
# define GATE_RESULT(regs) ((regs)->rax)
# define GATE_FUNC(regs) ((regs)->rdi)
# define GATE_ARG(regs) ((regs)->rsi)
#else
# define GATE_RESULT(regs) ((regs)->eax)
# define GATE_FUNC(regs) ((regs)->eax)
# define GATE_ARG(regs) ((regs)->edx)
#endif

int kvm_handle_user_gate(struct kvm_interrupt_frame *ifrm)
{
	struct kvm_interrupt_regs *regs = kvm_get_interrupt_regs(ifrm);

	if (!in_user_mode)
		return 0;

	if (ifrm->eip == (uintptr_t)kvm_user_exit_insn)
		kvm_exit_user(GATE_RESULT(regs));

	if (ifrm->eip != (uintptr_t)kvm_user_call_insn)
		return 0;

	ifrm->eip += 2;	/* past the UD2 */
	GATE_RESULT(regs) = ((int (*)(void *))GATE_FUNC(regs))(
		(void *)GATE_ARG(regs));
	return 1;
}

static int catch_exception(void *userdata, struct kvm_interrupt_frame *ifrm,
	unsigned long errcode)
{
	struct kvm_exception_record *rec = catch_record;
	struct kvm_cregs cregs;

	if (!rec || ((ifrm->eip < kvm_catch_insn ||
	    ifrm->eip > kvm_catch_resume) &&
	    (!kvm_catch_landing || ifrm->eip != kvm_catch_landing)))
		return 1;

	kvm_read_cregs(&cregs);
	rec->count++;
	rec->vector = (uintptr_t)userdata;
	rec->cpl = kvm_get_interrupt_cpl(ifrm);
	rec->errcode = errcode;
	rec->ip = ifrm->eip;
	rec->cr2 = cregs.cr2;
	rec->insn = kvm_catch_insn;
	rec->next = kvm_catch_resume;
	ifrm->eip = kvm_catch_resume;
	ifrm->eflags &= ~(uintptr_t)RFLAGS_TF;
	return 0;
}

void kvm_catch_exceptions(struct kvm_exception_record *record)
{
	uintptr_t vector;

	catch_record = record;
	kvm_catch_landing = 0;
	if (record)
		memset(record, 0, sizeof(*record));

	for (vector = 0; vector < INTERRUPT_COUNT; vector++) {
		tst_set_interrupt_callback(vector,
			record ? catch_exception : NULL, (void *)vector);
	}
}

int kvm_exception_is_(const char *file, const int lineno, const char *what,
	const struct kvm_exception_record *rec, int vector,
	unsigned long errcode, unsigned int cpl)
{
	int trap = vector == INTR_DEBUG || vector == INTR_BREAKPOINT ||
		vector == INTR_OVERFLOW;

	if (vector < 0) {
		if (!rec->count)
			return 1;

		tst_res_(file, lineno, TFAIL, "%s: %s (vector %u), error code "
			"0x%lx at CPL %u, expected no exception", what,
			tst_interrupt_names[rec->vector], rec->vector,
			rec->errcode, rec->cpl);
		return 0;
	}

	if (!rec->count) {
		tst_res_(file, lineno, TFAIL, "%s: no exception, expected %s "
			"at CPL %u", what, tst_interrupt_names[vector], cpl);
		return 0;
	}

	if (rec->count == 1 && rec->vector == (unsigned int)vector &&
	    rec->errcode == errcode && rec->cpl == cpl &&
	    rec->ip == (trap ? rec->next : rec->insn))
		return 1;

	tst_res_(file, lineno, TFAIL, "%s: %u exception(s), the last %s "
		"(vector %u), error code 0x%lx at CPL %u, RIP 0x%lx (%+ld from "
		"the instruction); expected "
		"%s, error code 0x%lx at CPL %u", what, rec->count,
		tst_interrupt_names[rec->vector], rec->vector, rec->errcode,
		rec->cpl, (unsigned long)rec->ip, (long)(rec->ip - rec->insn),
		tst_interrupt_names[vector], errcode, cpl);
	return 0;
}

int kvm_not_emulated_(const char *file, const int lineno, const char *what,
	const struct kvm_exception_record *rec)
{
	if (rec->count != 1 || rec->vector != INTR_BAD_OPCODE ||
	    rec->ip != rec->insn)
		return 0;

	tst_res_(file, lineno, TCONF, "%s: KVM's emulator cannot emulate it "
		"here (#UD)", what);
	return 1;
}

int kvm_run_user_catching(int (*func)(void *), void *arg,
	unsigned long rflags, struct kvm_exception_record *record)
{
	int ret;

	kvm_catch_exceptions(record);
	ret = kvm_run_user_flags(func, arg, rflags);
	kvm_catch_exceptions(NULL);
	return ret;
}

void kvm_run_plain_then_forced(void (*run_all)(int forced),
	const char *without_fep)
{
	run_all(0);

	if (!kvm_fep_enabled()) {
		tst_res(TINFO, "kvm.force_emulation_prefix is off: %s",
			without_fep);
		return;
	}

	run_all(1);
}
