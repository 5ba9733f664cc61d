// SPDX-License-Identifier: GPL-2.0-or-later
/*\
 * A JMP, CALL or RET that KVM's emulator runs to a non-canonical target
 * must raise #GP(0) in the guest, at the instruction.
 *
 * CVE-2014-3647
 *
 * KVM's emulator loaded RIP with a non-canonical target without a check;
 * the next VM entry failed and the guest's user space could kill it. Fixed
 * in kernel commit 234f3ce485d5 ("KVM: x86: Emulator fixes for eip
 * canonical checks on near branches").
 *
 * The targets come from host-answered MMIO (kvm_emul_canon01.py), so
 * that KVM emulates the instructions: an indirect JMP and CALL through an
 * MMIO operand at CPL 0 and CPL 3, and a RET at CPL 3 with its stack in
 * MMIO, each first to a canonical target (it must get there), then to a
 * non-canonical one (#GP(0) at the instruction, RSP unchanged); where
 * kvm.force_emulation_prefix is on, also register-indirect JMP and CALL
 * behind the prefix.
 *
 * TPASS: as the architecture says. TFAIL: the branch went somewhere else,
 * or the VM entry after it failed (the host half reports that exit).
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD
#if defined(__x86_64__)

#include "kvm_x86_user.h"

#define NONCANONICAL 0xdead000000001000ULL
/* A stack for RET, in the same MMIO page as the other targets */
#define MMIO_STACK (KVM_MMIO_BASEADDR + 0x800)

/* What a branch function is given, and what it saw */
struct branch_arg {
	uint64_t slot;		/* where the target is */
	uint64_t canonical;	/* 1: put the landing address there first */
	uint64_t rsp_before, rsp_after;
};

static KVM_USER_DATA struct branch_arg branch_arg;

/*
 * Each branch lands at label 1 (the canonical target: RAX becomes 1) or
 * faults and resumes right after the branch (RAX stays 0); RSP is
 * recorded before the branch and where both ways meet (label 2).
 */
#define BRANCH_CASE(fname, prefix, setup, branch, cleanup) \
static KVM_USER_CODE int fname(void *arg) \
{ \
	struct branch_arg *ba = arg; \
	uint64_t landed; \
\
	__asm__ volatile("xor %%eax, %%eax\n\t" \
		"mov %[slot], %%rcx\n\t" \
		"testq $1, %[canonical]\n\t" \
		"jz 3f\n\t" \
		"lea 1f(%%rip), %%rdx\n\t" \
		"mov %%rdx, (%%rcx)\n" \
		"3:\t" setup "\n\t" \
		"mov %%rsp, %[before]\n\t" \
		KVM_CATCH_PREFIXED(prefix, branch) \
		"jmp 2f\n" \
		"1:\tmov $1, %%eax\n" \
		"2:\tmov %%rsp, %[after]\n\t" cleanup \
		: "=&a" (landed), [before] "=m" (ba->rsp_before), \
		  [after] "=m" (ba->rsp_after) \
		: [slot] "m" (ba->slot), [canonical] "m" (ba->canonical) \
		: "rbx", "rcx", "rdx", "memory", "cc"); \
	return landed; \
}

/* RCX: where the target is */
BRANCH_CASE(jmp_mmio, "", "", "jmp *(%%rcx)", "")
BRANCH_CASE(call_mmio, "", "mov %%rsp, %%rbx", "call *(%%rcx)",
	"mov %%rbx, %%rsp")
BRANCH_CASE(ret_mmio, "", "mov %%rsp, %%rbx; mov %%rcx, %%rsp", "ret",
	"mov %%rbx, %%rsp")
BRANCH_CASE(jmp_fep, KVM_FEP, "mov (%%rcx), %%rdx", "jmp *%%rdx", "")
BRANCH_CASE(call_fep, KVM_FEP, "mov %%rsp, %%rbx; mov (%%rcx), %%rdx",
	"call *%%rdx", "mov %%rbx, %%rsp")

struct branch_case {
	const char *name;
	int (*func)(void *arg);
	uintptr_t slot;
	int needs_fep, user_only;
};

static const struct branch_case cases[] = {
	{"JMP through MMIO", jmp_mmio, KVM_MMIO_BASEADDR, 0, 0},
	{"CALL through MMIO", call_mmio, KVM_MMIO_BASEADDR, 0, 0},
	{"RET from a stack in MMIO", ret_mmio, MMIO_STACK, 0, 1},
	{"JMP register-indirect (forced emulation)", jmp_fep,
	 KVM_MMIO_BASEADDR, 1, 0},
	{"CALL register-indirect (forced emulation)", call_fep,
	 KVM_MMIO_BASEADDR, 1, 0},
};

static void run_branch(const struct branch_case *bc, unsigned int cpl,
	int canonical)
{
	struct kvm_exception_record rec;
	int expect_fault = !canonical;
	char what[96];
	int landed;

	snprintf(what, sizeof(what), "%s at CPL %u to a %scanonical target",
		bc->name, cpl, canonical ? "" : "non-");
	*(volatile uint64_t *)bc->slot = NONCANONICAL;
	branch_arg.slot = bc->slot;
	branch_arg.canonical = canonical;

	kvm_catch_exceptions(&rec);
	/* A KVM that takes the branch faults at the target next */
	kvm_catch_landing = NONCANONICAL;
	if (cpl == 3)
		landed = kvm_run_user(bc->func, &branch_arg);
	else
		landed = bc->func(&branch_arg);
	kvm_catch_exceptions(NULL);

	/* The negative control expects a fault for a canonical target */
#ifdef NEGATIVE_CONTROL
	expect_fault = 1;
#endif
	if (!kvm_exception_is(what, &rec, expect_fault ? INTR_GPF : -1, 0,
	    cpl))
		return;

	if (landed != canonical) {
		tst_res(TFAIL, "%s %s the target", what,
			landed ? "reached" : "did not reach");
		return;
	}

	if (!canonical && branch_arg.rsp_after != branch_arg.rsp_before) {
		tst_res(TFAIL, "%s faulted but moved RSP by %+lld", what,
			(long long)(branch_arg.rsp_after -
				    branch_arg.rsp_before));
		return;
	}

	tst_res(TPASS, "%s: %s", what, canonical ? "reached" : "#GP(0)");
}

void main(void)
{
	unsigned int i, cpl;

	kvm_require_user_mode();
	kvm_set_user_access((void *)KVM_MMIO_BASEADDR, KVM_PAGE_SIZE, 1);

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		if (cases[i].needs_fep && !kvm_fep_enabled()) {
			tst_res(TCONF, "%s: kvm.force_emulation_prefix is off",
				cases[i].name);
			continue;
		}

		for (cpl = cases[i].user_only ? 3 : 0; cpl <= 3; cpl += 3) {
			run_branch(&cases[i], cpl, 1);
			run_branch(&cases[i], cpl, 0);
		}
	}
}

#else /* defined(__x86_64__) */
TST_TEST_TCONF("Test supported only on x86_64");
#endif /* defined(__x86_64__) */

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.needs_root = 1,
	.needs_drivers = (const char *const []) {"kvm", NULL},
	.supported_archs = (const char *const []) {"x86_64", NULL},
	.save_restore = (const struct tst_path_val[]) {
		{"/sys/module/kvm/parameters/force_emulation_prefix", "1",
			TST_SR_SKIP},
		{}
	},
	.tags = (struct tst_tag[]) {
		{"linux-git", "234f3ce485d54017f15cf5e0699cff4100121601"},
		{"CVE", "2014-3647"},
		{}
	}
};

#endif /* COMPILE_PAYLOAD */
