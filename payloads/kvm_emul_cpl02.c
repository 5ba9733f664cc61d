// SPDX-License-Identifier: GPL-2.0-or-later
/*\
 * SGDT, SIDT, SLDT, STR, SMSW, FXSAVE and FXRSTOR at CPL 3 with their
 * memory operand on a supervisor-only page must raise #PF with the U/S bit
 * in the error code, also when KVM's emulator runs them.
 *
 * CVE-2018-10853
 *
 * KVM's emulator accessed the operands of SGDT, SIDT, FXSAVE and FXRSTOR
 * with supervisor rights whatever the CPL: guest user space could write
 * kernel memory through them. Fixed in kernel commit 3c9fa24ca7c9 ("kvm:
 * x86: use correct privilege level for sgdt/sidt/fxsave/fxrstor access").
 *
 * Each instruction runs at CPL 3 (CR4.UMIP clear, CR4.OSFXSR set) first on
 * a user page (it must complete), then on a supervisor-only page: #PF at
 * the instruction with error code P|U, plus W for the stores, CR2 at the
 * operand, and the page unchanged. Where kvm.force_emulation_prefix is on,
 * they run again behind the prefix (KVM's emulator has FXSAVE and
 * FXRSTOR only outside 64-bit mode: TCONF for those on x86_64).
 *
 * TPASS: every access was refused as the architecture says. TFAIL: user
 * space read or wrote a supervisor-only page through KVM's emulator.
 *
 * Runs on kvm_pvm, where SGDT, SIDT, SLDT, STR and SMSW at CPL 3 trap
 * (the host's UMIP) and go through KVM's emulator, and FXSAVE/FXRSTOR
 * only with forced emulation, as everywhere else.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86_user.h"

#define PF_PRESENT (1 << 0)
#define PF_WRITE (1 << 1)
#define PF_USER (1 << 2)
#define FXSAVE_SIZE 512
#define UNTOUCHED 0xa5

/* The operands: a user page, and a supervisor-only page */
static KVM_USER_DATA uint8_t user_area[FXSAVE_SIZE]
	__attribute__((aligned(16)));
static uint8_t kernel_area[KVM_PAGE_SIZE] __attribute__((aligned(4096)));
static KVM_USER_DATA uint8_t *operand;

#define CPL_INSN(fname, insn) \
static KVM_USER_CODE int fname(void *arg) \
{ \
	__asm__ volatile(KVM_CATCH_INSN(insn) : : "r" (operand) : "memory"); \
	return 0; \
} \
static KVM_USER_CODE int fname##_fep(void *arg) \
{ \
	__asm__ volatile(KVM_CATCH_FEP_INSN(insn) : : "r" (operand) \
		: "memory"); \
	return 0; \
}

CPL_INSN(user_sgdt, "sgdt (%0)")
CPL_INSN(user_sidt, "sidt (%0)")
CPL_INSN(user_sldt, "sldt (%0)")
CPL_INSN(user_str, "str (%0)")
CPL_INSN(user_smsw, "smsw (%0)")
CPL_INSN(user_fxsave, "fxsave (%0)")
CPL_INSN(user_fxrstor, "fxrstor (%0)")

struct cpl_case {
	const char *name;
	int (*plain)(void *arg), (*forced)(void *arg);
	int writes;
	int needs_fep;	/* runs on the CPU unless forced to emulation */
};

#define CASE(title, fn, store, fep) \
	{.name = title, .plain = fn, .forced = fn##_fep, .writes = store, \
	 .needs_fep = fep}

static const struct cpl_case cases[] = {
	CASE("SGDT", user_sgdt, 1, 0),
	CASE("SIDT", user_sidt, 1, 0),
	CASE("SLDT", user_sldt, 1, 0),
	CASE("STR", user_str, 1, 0),
	CASE("SMSW", user_smsw, 1, 0),
	CASE("FXSAVE", user_fxsave, 1, 1),
	CASE("FXRSTOR", user_fxrstor, 0, 1),
};

static int untouched(const uint8_t *area, size_t size)
{
	size_t i;

	for (i = 0; i < size; i++) {
		if (area[i] != UNTOUCHED)
			return 0;
	}

	return 1;
}

/* FXRSTOR needs a valid image: the current state, bytes 0-159 */
static void prepare(uint8_t *area, const struct cpl_case *cc)
{
	memset(area, UNTOUCHED, FXSAVE_SIZE);
	if (!cc->writes)
		__asm__ volatile("fxsave (%0)" : : "r" (area) : "memory");
}

static void check_case(const struct cpl_case *cc, int forced)
{
	struct kvm_exception_record rec;
	unsigned long errcode;
	char what[80];
	int kernel_page = 1;

	snprintf(what, sizeof(what), "%s at CPL 3%s", cc->name,
		forced ? " (forced emulation)" : "");

	/* On a user page it must work */
	prepare(user_area, cc);
	operand = user_area;
	kvm_run_user_catching(forced ? cc->forced : cc->plain, NULL,
		KVM_USER_RFLAGS, &rec);
	if ((forced && kvm_not_emulated(what, &rec)) ||
	    !kvm_exception_is(what, &rec, -1, 0, 3))
		return;

	/* The negative control gives the instruction a user page again */
#ifdef NEGATIVE_CONTROL
	kernel_page = 0;
#endif
	operand = kernel_page ? kernel_area : user_area;
	prepare(operand, cc);
	kvm_run_user_catching(forced ? cc->forced : cc->plain, NULL,
		KVM_USER_RFLAGS, &rec);

	errcode = PF_PRESENT | PF_USER | (cc->writes ? PF_WRITE : 0);
	if (!kvm_exception_is(what, &rec, INTR_PAGE_FAULT, errcode, 3))
		return;

	if (rec.cr2 < (uintptr_t)operand ||
	    rec.cr2 >= (uintptr_t)operand + FXSAVE_SIZE) {
		tst_res(TFAIL, "%s: #PF with CR2 0x%lx, outside the operand at "
			"%p", what, (unsigned long)rec.cr2, operand);
		return;
	}

	if (cc->writes && !untouched(operand, FXSAVE_SIZE)) {
		tst_res(TFAIL, "%s faulted but wrote the supervisor page", what);
		return;
	}

	tst_res(TPASS, "%s: #PF, error code 0x%lx", what, rec.errcode);
}

static void run_all(int forced)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		check_case(&cases[i], forced);
}

void main(void)
{
	struct kvm_cregs cregs;
	kvm_require_user_mode();
	kvm_read_cregs(&cregs);
	kvm_set_cr0(cregs.cr0 & ~(CR0_EM | CR0_TS));
	kvm_set_cr4((cregs.cr4 | CR4_OSFXSR) & ~CR4_UMIP);

	kvm_run_plain_then_forced(run_all, "only SGDT, SIDT, SLDT, STR and "
		"SMSW can have run through KVM's emulator (they do on kvm_pvm), "
		"FXSAVE and FXRSTOR ran on the CPU");
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.needs_root = 1,
	.needs_drivers = (const char *const []) {"kvm", NULL},
	.save_restore = (const struct tst_path_val[]) {
		{"/sys/module/kvm/parameters/force_emulation_prefix", "1",
			TST_SR_SKIP},
		{}
	},
	.tags = (struct tst_tag[]) {
		{"linux-git", "3c9fa24ca7c9c47605672916491f79e8ccacb9e6"},
		{"CVE", "2018-10853"},
		{}
	}
};

#endif /* COMPILE_PAYLOAD */
