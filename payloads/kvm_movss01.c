// SPDX-License-Identifier: GPL-2.0-or-later
/*\
 * MOV SS with a null selector in 64-bit mode must raise #GP(0) at CPL 3,
 * and at CPL 0 unless the selector's RPL is 0, also when KVM's instruction
 * emulator runs it.
 *
 * CVE-2017-2583
 *
 * KVM's emulator loaded a null selector into SS at CPL 3 and gave SS a
 * DPL of 0: on AMD, where the CPL is SS.DPL, guest user space then ran
 * at CPL 0; on Intel the next VM entry failed. Fixed in kernel commit
 * 33ab91103b34 ("KVM: x86: fix emulation of "MOV SS, null selector"").
 *
 * Guest user mode loads SS with each null selector (0 to 3) from a
 * register, and with the null selector 3 from host-answered MMIO
 * (kvm_movss01.py), which only KVM's emulator can complete. Each must
 * raise #GP(0) at the instruction, at CPL 3, and leave SS as it was and
 * CS at RPL 3 (both stored to MMIO, an emulated store, so that the check
 * sees them as KVM has them); a MOV from CR0 right after it, in the same
 * run of user code, must still raise #GP(0) at CPL 3. Loading the user
 * data selector, from a register and from MMIO, must work (the same
 * checks, SS then holds it). At CPL 0 the null selector 3 from MMIO (its
 * RPL is not the CPL) must raise #GP(0) and the null selector 0 must load
 * (no register case for the null selector 3 at CPL 0: the CPU decides
 * that one outside kvm_pvm, and QEMU's TCG wrongly loads it). Where
 * kvm.force_emulation_prefix is on, the register cases run a second time
 * behind the prefix.
 *
 * TPASS: every load faulted or worked as the architecture says. TFAIL: a
 * null selector was loaded at CPL 3 (or the privilege level changed): guest
 * user space could take over the guest kernel. On a KVM with the bug the
 * guest may also die at the next VM entry (TBROK).
 *
 * Runs on kvm_pvm, whose every #GP goes through KVM's emulator, so that
 * the register cases are emulated there too; elsewhere (VMX, SVM) the CPU
 * decides those unless forced emulation is on. x86_64 only: outside
 * 64-bit mode a null SS always faults.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD
#if defined(__x86_64__)

#include "kvm_x86_user.h"

/*
 * The MMIO page the host answers: word 0 holds the host's null selector
 * 3, word 1 the selector the guest puts there for a load from MMIO. The
 * code under test stores SS and CS there too: a store to MMIO is emulated,
 * so it shows the segment registers as KVM has them. (kvm_pvm runs guest
 * user mode on the host's own selectors, which a plain MOV from SS or CS
 * at CPL 3 returns instead.)
 */
#define MMIO_WORD(index) (((volatile uint16_t *)KVM_MMIO_BASEADDR) + (index))
#define MMIO_NULL3 0
#define MMIO_SCRATCH 1
#define MMIO_SS_BEFORE 2
#define MMIO_SS_AFTER 3
#define MMIO_CS_AFTER 4

/* The instructions of one sequence, each with its own record */
#define STEP_MOV_SS 0
#define STEP_PRIV 1
#define STEP_NONE 2

/* Where the selector comes from */
enum operand {
	OPERAND_REG,
	OPERAND_REG_FEP,
	OPERAND_MMIO,
};

struct ss_case {
	const char *name;
	unsigned int cpl;
	enum operand operand;
	uint16_t selector;	/* what MOV SS loads */
	int faults;		/* 1: #GP(0), 0: it loads */
};

static const struct ss_case cases[] = {
	{"Null selector 3", 3, OPERAND_REG, 3, 1},
	{"Null selector 2", 3, OPERAND_REG, 2, 1},
	{"Null selector 1", 3, OPERAND_REG, 1, 1},
	{"Null selector 0", 3, OPERAND_REG, 0, 1},
	{"Null selector 3 from MMIO", 3, OPERAND_MMIO, 3, 1},
	{"User data selector", 3, OPERAND_REG, KVM_USER_DS, 0},
	{"User data selector from MMIO", 3, OPERAND_MMIO, KVM_USER_DS, 0},
	{"Null selector 3 from MMIO", 0, OPERAND_MMIO, 3, 1},
	{"Null selector 0", 0, OPERAND_REG, 0, 0},
	{"Null selector 0 from MMIO", 0, OPERAND_MMIO, 0, 0},
};

/* What the exception handler saw, one record per step */
static struct kvm_exception_record steps[STEP_NONE];

/* Set by the code under test, at either CPL */
static KVM_USER_DATA unsigned int step = STEP_NONE;
static KVM_USER_DATA uint16_t selector;
static KVM_USER_DATA volatile uint16_t *mmio_operand;

/* Like kvm_catch_exceptions(), with a record for each step */
static int catch_step(void *userdata, struct kvm_interrupt_frame *ifrm,
	unsigned long errcode)
{
	struct kvm_exception_record *rec;

	if (step >= STEP_NONE || ifrm->eip < kvm_catch_insn ||
	    ifrm->eip > kvm_catch_resume)
		return 1;

	rec = &steps[step];
	rec->count++;
	rec->vector = (uintptr_t)userdata;
	rec->cpl = kvm_get_interrupt_cpl(ifrm);
	rec->errcode = errcode;
	rec->ip = ifrm->eip;
	rec->insn = kvm_catch_insn;
	rec->next = kvm_catch_resume;
	ifrm->eip = kvm_catch_resume;
	return 0;
}

/* on: fresh records and catch_step() for every vector; else neither */
static void catch_steps(int on)
{
	uintptr_t vector;

	if (on)
		memset(steps, 0, sizeof(steps));
	step = STEP_NONE;
	for (vector = 0; vector < INTERRUPT_COUNT; vector++) {
		tst_set_interrupt_callback(vector, on ? catch_step : NULL,
			(void *)vector);
	}
}

/*
 * At CPL 3: MOV SS, then MOV from CR0 in the same run of user code, so
 * that a privilege level the MOV SS changed is still there for it. One
 * function per operand: user code must not switch through a jump table,
 * which would be in supervisor-only memory.
 */
#define USER_MOV_SS(fname, catch, ...) \
static KVM_USER_CODE int fname(void *arg) \
{ \
	unsigned long cr0 = 0; \
\
	__asm__ volatile("mov %%ss, %0" \
		: "=m" (*MMIO_WORD(MMIO_SS_BEFORE))); \
	step = STEP_MOV_SS; \
	__asm__ volatile(catch("mov %0, %%ss") : : __VA_ARGS__ : "memory"); \
	__asm__ volatile("mov %%ss, %0" \
		: "=m" (*MMIO_WORD(MMIO_SS_AFTER))); \
	__asm__ volatile("mov %%cs, %0" \
		: "=m" (*MMIO_WORD(MMIO_CS_AFTER))); \
	step = STEP_PRIV; \
	__asm__ volatile(KVM_CATCH_INSN("mov %%cr0, %0") \
		: "+r" (cr0) : : "memory"); \
	step = STEP_NONE; \
	return 0; \
}

USER_MOV_SS(user_mov_ss_reg, KVM_CATCH_INSN, "r" (selector))
USER_MOV_SS(user_mov_ss_fep, KVM_CATCH_FEP_INSN, "r" (selector))
USER_MOV_SS(user_mov_ss_mmio, KVM_CATCH_INSN, "m" (*mmio_operand))

/* At CPL 0: MOV SS, then SS is stored and put back at once */
#define KERNEL_MOV_SS(fname, catch, ...) \
static void fname(void) \
{ \
	uint16_t orig; \
\
	__asm__ volatile("mov %%ss, %0" : "=r" (orig)); \
	__asm__ volatile("mov %%ss, %0" \
		: "=m" (*MMIO_WORD(MMIO_SS_BEFORE))); \
	step = STEP_MOV_SS; \
	__asm__ volatile(catch("mov %2, %%ss") \
		"mov %%ss, %0\n\t" \
		"mov %1, %%ss" \
		: "=m" (*MMIO_WORD(MMIO_SS_AFTER)) : "r" (orig), __VA_ARGS__ \
		: "memory"); \
	__asm__ volatile("mov %%cs, %0" \
		: "=m" (*MMIO_WORD(MMIO_CS_AFTER))); \
	step = STEP_NONE; \
}

KERNEL_MOV_SS(kernel_mov_ss_reg, KVM_CATCH_INSN, "r" (selector))
KERNEL_MOV_SS(kernel_mov_ss_fep, KVM_CATCH_FEP_INSN, "r" (selector))
KERNEL_MOV_SS(kernel_mov_ss_mmio, KVM_CATCH_INSN, "m" (*mmio_operand))

/* Indexed by enum operand */
static int (*const user_mov_ss[])(void *arg) = {
	user_mov_ss_reg, user_mov_ss_fep, user_mov_ss_mmio
};
static void (*const kernel_mov_ss[])(void) = {
	kernel_mov_ss_reg, kernel_mov_ss_fep, kernel_mov_ss_mmio
};

/*
 * The selector MOV SS loads. The negative control gives the faulting
 * cases a selector that loads instead, as a KVM with the bug would.
 */
static uint16_t loaded_selector(const struct ss_case *sc)
{
#ifdef NEGATIVE_CONTROL
	if (sc->faults)
		return sc->cpl ? KVM_USER_DS : KVM_DS_SELECTOR;
#endif
	return sc->selector;
}

static void prepare_operand(const struct ss_case *sc, enum operand how)
{
	uint16_t sel = loaded_selector(sc);

	selector = sel;
	mmio_operand = NULL;
	if (how != OPERAND_MMIO)
		return;

	/* The host's null selector where it is the one, else the guest's */
	if (sel == 3) {
		mmio_operand = MMIO_WORD(MMIO_NULL3);
		return;
	}

	*MMIO_WORD(MMIO_SCRATCH) = sel;
	mmio_operand = MMIO_WORD(MMIO_SCRATCH);
}

static void check_case(const struct ss_case *sc, enum operand how)
{
	uint16_t ss_before, ss_after, cs_after, expected_ss;
	char what[64], priv[96];
	int ok = 1;

	snprintf(what, sizeof(what), "%s at CPL %u%s", sc->name, sc->cpl,
		how == OPERAND_REG_FEP ? " (forced emulation)" : "");

	prepare_operand(sc, how);
	catch_steps(1);
	if (sc->cpl)
		kvm_run_user(user_mov_ss[how], NULL);
	else
		kernel_mov_ss[how]();
	catch_steps(0);

	ss_before = *MMIO_WORD(MMIO_SS_BEFORE);
	ss_after = *MMIO_WORD(MMIO_SS_AFTER);
	cs_after = *MMIO_WORD(MMIO_CS_AFTER);
	expected_ss = sc->faults ? ss_before : sc->selector;

	if (how == OPERAND_REG_FEP &&
	    kvm_not_emulated(what, &steps[STEP_MOV_SS]))
		return;

	if (!kvm_exception_is(what, &steps[STEP_MOV_SS],
			      sc->faults ? INTR_GPF : -1, 0, sc->cpl))
		ok = 0;

	if (ss_after != expected_ss) {
		tst_res(TFAIL, "%s: SS is 0x%x afterwards, expected 0x%x",
			what, ss_after, expected_ss);
		ok = 0;
	}

	if ((cs_after & 3) != sc->cpl) {
		tst_res(TFAIL, "%s: CS is 0x%x afterwards: the CPL changed",
			what, cs_after);
		ok = 0;
	}

	if (sc->cpl == 3) {
		snprintf(priv, sizeof(priv), "MOV from CR0 after %s", what);
		if (!kvm_exception_is(priv, &steps[STEP_PRIV], INTR_GPF, 0, 3))
			ok = 0;
	}

	if (!ok)
		return;

	if (sc->faults) {
		tst_res(TPASS, "%s: #GP(0), SS still 0x%x, CS 0x%x%s", what,
			ss_after, cs_after, sc->cpl == 3 ?
			", MOV from CR0 still #GP(0)" : "");
	} else {
		tst_res(TPASS, "%s: loaded, SS is 0x%x, CS 0x%x%s", what,
			ss_after, cs_after, sc->cpl == 3 ?
			", MOV from CR0 still #GP(0)" : "");
	}
}

void main(void)
{
	unsigned int i;

	kvm_require_user_mode();

	if (*MMIO_WORD(MMIO_NULL3) != 3) {
		tst_brk(TBROK, "The host's MMIO word holds 0x%x, not the null "
			"selector 3 (is kvm_movss01.py beside the payload?)",
			*MMIO_WORD(MMIO_NULL3));
	}

	/* User mode reads its MMIO operand */
	kvm_set_user_access((void *)KVM_MMIO_BASEADDR, KVM_PAGE_SIZE, 1);

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		check_case(&cases[i], cases[i].operand);

	if (!kvm_fep_enabled()) {
		tst_res(TINFO, "kvm.force_emulation_prefix is off: the register "
			"cases ran through KVM's emulator only where it emulates "
			"every #GP (kvm_pvm does)");
		return;
	}

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		if (cases[i].operand == OPERAND_REG)
			check_case(&cases[i], OPERAND_REG_FEP);
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
		{"linux-git", "33ab91103b3415e12457e3104f0e4517ce12d0f3"},
		{"CVE", "2017-2583"},
		{}
	}
};

#endif /* COMPILE_PAYLOAD */
