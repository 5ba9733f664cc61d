// SPDX-License-Identifier: GPL-2.0-or-later
/* Exceptions reach callbacks with the right vector, RIP, error code, CR2. */
#include "kvm_test.h"

/* Inside the unmapped 2-3 GiB of the guest address space */
#define UNMAPPED_ADDR 0x80000000UL
/* A selector far beyond the GDT limit: #GP reports it as the error code */
#define BAD_SELECTOR 0x1238

struct fault_case {
	const char *name;
	unsigned int vector;
	/* Runs the instruction, returns its address */
	uintptr_t (*trigger)(void);
	/* Instruction length; the callback skips a fault, not a trap */
	unsigned int insn_len;
	int is_trap;
	int needs_paging;
	unsigned long errcode;

	/* What the callback saw */
	unsigned int hits;
	unsigned long seen_errcode, seen_cr2;
	uintptr_t seen_rip;
};

#define EFLAGS_TF 0x100

#ifdef __x86_64__
# define STACK_PTR "%%rsp"
#else
# define STACK_PTR "%%esp"
#endif

/*
 * Each trigger runs the code in setup, then the instruction insn, whose
 * length is in the comment, and returns the address of insn.
 */
#define TRIGGER(fname, setup, insn, ...) \
static uintptr_t fname(void) \
{ \
	uintptr_t rip; \
\
	asm volatile("mov $1f, %0\n\t" setup "\n1:\t" insn \
		: "=&r" (rip) : __VA_ARGS__ : "memory", "cc"); \
	return rip; \
}

TRIGGER(trigger_ud, "", "ud2")					/* 2 bytes */
TRIGGER(trigger_de, "", "divl %%ecx", "a" (1), "d" (0), "c" (0))	/* 2 bytes */
/* POPF setting TF makes the CPU trap after the next instruction */
TRIGGER(trigger_db, "pushf; orl %1, (" STACK_PTR "); popf", "nop",
	"i" (EFLAGS_TF))						/* 1 byte */
TRIGGER(trigger_pf, "", "movl %%eax, (%2)", "a" (0),
	"d" (UNMAPPED_ADDR))						/* 2 bytes */
TRIGGER(trigger_gp, "", "movl %%eax, %%ds", "a" (BAD_SELECTOR))	/* 2 bytes */

static struct fault_case cases[] = {
	{.name = "#UD", .vector = INTR_BAD_OPCODE, .trigger = trigger_ud,
	 .insn_len = 2},
	{.name = "#DE", .vector = INTR_ZERODIV, .trigger = trigger_de,
	 .insn_len = 2},
	/* Single-step trap (int3 is not used: some KVMs cannot emulate it) */
	{.name = "#DB", .vector = INTR_DEBUG, .trigger = trigger_db,
	 .insn_len = 1, .is_trap = 1},
	/* Error code 0x2: a supervisor write to a non-present page */
	{.name = "#PF", .vector = INTR_PAGE_FAULT, .trigger = trigger_pf,
	 .insn_len = 2, .needs_paging = 1, .errcode = 0x2},
	{.name = "#GP", .vector = INTR_GPF, .trigger = trigger_gp,
	 .insn_len = 2, .errcode = BAD_SELECTOR},
};

static int record_and_skip(void *userdata, struct kvm_interrupt_frame *ifrm,
	unsigned long errcode)
{
	struct fault_case *fc = userdata;
	struct kvm_cregs cregs;

	kvm_read_cregs(&cregs);
	fc->hits++;
	fc->seen_errcode = errcode;
	fc->seen_cr2 = cregs.cr2;
	fc->seen_rip = kvm_get_interrupt_ip(ifrm);

	if (!fc->is_trap)
		ifrm->eip += fc->insn_len;

	/* Stop single-stepping (no-op for the other exceptions) */
	ifrm->eflags &= ~EFLAGS_TF;

	return 0;
}

static int paging_enabled(void)
{
	struct kvm_cregs cregs;

	kvm_read_cregs(&cregs);
	return !!(cregs.cr0 & CR0_PG);
}

static void run_case(struct fault_case *fc)
{
	uintptr_t insn, expected_rip;

	/* i386 payloads run unpaged on KVMs that refuse 32-bit paging */
	if (fc->needs_paging && !paging_enabled()) {
		tst_res(TCONF, "%s: paging is off", fc->name);
		return;
	}

	tst_set_interrupt_callback(fc->vector, record_and_skip, fc);
	insn = fc->trigger();
	tst_set_interrupt_callback(fc->vector, NULL, NULL);

	/* A trap reports the next instruction, a fault the faulting one */
	expected_rip = insn + (fc->is_trap ? fc->insn_len : 0);

	if (fc->hits != 1 || fc->seen_rip != expected_rip ||
	    fc->seen_errcode != fc->errcode) {
		tst_res(TFAIL, "%s: %u callback(s), RIP 0x%lx (expected 0x%lx), "
			"error code 0x%lx (expected 0x%lx)", fc->name, fc->hits,
			(unsigned long)fc->seen_rip, (unsigned long)expected_rip,
			fc->seen_errcode, fc->errcode);
		return;
	}

	if (fc->vector == INTR_PAGE_FAULT) {
		if (fc->seen_cr2 != UNMAPPED_ADDR) {
			tst_res(TFAIL, "%s: CR2=0x%lx, expected 0x%lx",
				fc->name, fc->seen_cr2, UNMAPPED_ADDR);
			return;
		}

		tst_res(TPASS, "%s: vector %u (%s), error code 0x%lx, CR2=0x%lx",
			fc->name, fc->vector, tst_interrupt_names[fc->vector],
			fc->seen_errcode, fc->seen_cr2);
		return;
	}

	tst_res(TPASS, "%s: vector %u (%s), error code 0x%lx", fc->name,
		fc->vector, tst_interrupt_names[fc->vector], fc->seen_errcode);
}

void main(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		run_case(&cases[i]);
}
