// SPDX-License-Identifier: GPL-2.0-or-later
/*\
 * With CR4.UMIP set, SGDT, SIDT, SLDT, STR and SMSW at CPL 3 must raise
 * #GP(0): user space must not learn where the kernel keeps its descriptor
 * tables.
 *
 * Each instruction runs at CPL 3 with a memory operand and, for SLDT, STR
 * and SMSW, a register operand, first with CR4.UMIP clear (it must run),
 * then with CR4.UMIP set (it must fault at the instruction and store
 * nothing), and, where kvm.force_emulation_prefix is on, once more
 * through KVM's emulator.
 *
 * TPASS: as the architecture says. TFAIL: UMIP did not stop an instruction
 * at CPL 3, or stopped one it must not.
 *
 * TCONF where KVM does not offer UMIP (CPUID.7.0:ECX bit 2). Runs on
 * kvm_pvm, whose #GP path goes through KVM's emulator (UMIP emulation,
 * emulate.c), and on hosts with UMIP in hardware or emulated by KVM.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86_user.h"

#define CPUID_EXT_FEATURES 0x7
#define X86_FEATURE_UMIP (1 << 2)	/* CPUID 7, ECX */
#define UNTOUCHED 0xa5

#ifdef __x86_64__
# define AX "%%rax"
#else
# define AX "%%eax"
#endif

/* Big enough for SGDT/SIDT (10 bytes in 64-bit mode) */
static KVM_USER_DATA uint8_t operand[16];

#define UMIP_INSN(fname, insn, ...) \
static KVM_USER_CODE int fname(void *arg) \
{ \
	__asm__ volatile(KVM_CATCH_INSN(insn) : : __VA_ARGS__ \
		: "ax", "memory"); \
	return 0; \
} \
static KVM_USER_CODE int fname##_fep(void *arg) \
{ \
	__asm__ volatile(KVM_CATCH_FEP_INSN(insn) : : __VA_ARGS__ \
		: "ax", "memory"); \
	return 0; \
}

UMIP_INSN(sgdt_mem, "sgdt %0", "m" (operand))
UMIP_INSN(sidt_mem, "sidt %0", "m" (operand))
UMIP_INSN(sldt_mem, "sldt %0", "m" (*(uint16_t *)operand))
UMIP_INSN(sldt_reg, "sldt %%ax")
UMIP_INSN(str_mem, "str %0", "m" (*(uint16_t *)operand))
UMIP_INSN(str_reg, "str %%ax")
UMIP_INSN(smsw_mem, "smsw %0", "m" (*(uint16_t *)operand))
UMIP_INSN(smsw_reg, "smsw " AX)

struct umip_case {
	const char *name;
	int (*plain)(void *arg), (*forced)(void *arg);
	int stores;	/* into operand[] */
};

#define CASE(title, fn, mem) \
	{.name = title, .plain = fn, .forced = fn##_fep, .stores = mem}

static const struct umip_case cases[] = {
	CASE("SGDT m", sgdt_mem, 1),
	CASE("SIDT m", sidt_mem, 1),
	CASE("SLDT m16", sldt_mem, 1),
	CASE("SLDT r", sldt_reg, 0),
	CASE("STR m16", str_mem, 1),
	CASE("STR r", str_reg, 0),
	CASE("SMSW m16", smsw_mem, 1),
	CASE("SMSW r", smsw_reg, 0),
};

static int operand_untouched(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(operand); i++) {
		if (operand[i] != UNTOUCHED)
			return 0;
	}

	return 1;
}

static void check_case(const struct umip_case *uc, int umip, int forced)
{
	struct kvm_exception_record rec;
	int faults = umip;
	char what[80];

	snprintf(what, sizeof(what), "%s with CR4.UMIP %s%s", uc->name,
		umip ? "set" : "clear", forced ? " (forced emulation)" : "");

	/* The negative control expects UMIP to act while it is off */
#ifdef NEGATIVE_CONTROL
	faults = 1;
#endif
	memset(operand, UNTOUCHED, sizeof(operand));
	kvm_run_user_catching(forced ? uc->forced : uc->plain, NULL,
		KVM_USER_RFLAGS, &rec);

	if ((forced && kvm_not_emulated(what, &rec)) ||
	    !kvm_exception_is(what, &rec, faults ? INTR_GPF : -1, 0, 3))
		return;

	if (faults && !operand_untouched()) {
		tst_res(TFAIL, "%s faulted but stored into its operand", what);
		return;
	}

	if (!faults && uc->stores && operand_untouched()) {
		tst_res(TFAIL, "%s ran but stored nothing", what);
		return;
	}

	tst_res(TPASS, "%s: %s", what, faults ? "#GP(0)" : "ran");
}

static void run_cases(int umip, int forced)
{
	struct kvm_cregs cregs;
	unsigned int i;

	kvm_read_cregs(&cregs);
	kvm_set_cr4(umip ? cregs.cr4 | CR4_UMIP : cregs.cr4 & ~CR4_UMIP);

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		check_case(&cases[i], umip, forced);

	kvm_set_cr4(cregs.cr4);
}

/* Plain: without UMIP, then with it; forced: with it */
static void run_all(int forced)
{
	if (!forced)
		run_cases(0, 0);
	run_cases(1, forced);
}

void main(void)
{
	struct kvm_cpuid cpuid;

	kvm_require_user_mode();
	kvm_get_cpuid(CPUID_EXT_FEATURES, 0, &cpuid);
	if (!(cpuid.ecx & X86_FEATURE_UMIP))
		tst_brk(TCONF, "KVM does not offer the guest UMIP");

	kvm_run_plain_then_forced(run_all, "the instructions did not run "
		"through KVM's emulator unless this KVM emulates UMIP or every #GP "
		"(kvm_pvm does)");
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
};

#endif /* COMPILE_PAYLOAD */
