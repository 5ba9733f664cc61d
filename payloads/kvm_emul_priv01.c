// SPDX-License-Identifier: GPL-2.0-or-later
/*\
 * Privileged instructions at CPL 3 must raise #GP(0) and change nothing,
 * also when KVM's instruction emulator runs them.
 *
 * Guest user mode runs, one at a time, MOV to and from CR0/CR3/CR4/CR8
 * and the debug registers, LGDT, LIDT, LLDT, LTR, LMSW, CLTS, RDMSR,
 * WRMSR, HLT, INVLPG, WBINVD, INVD, SWAPGS, RDTSC with CR4.TSD set and
 * RDPMC with CR4.PCE clear. Each must raise #GP with error code 0 at the
 * instruction, at CPL 3, and leave the register it targets as it was.
 * Where the host enables kvm.force_emulation_prefix, every instruction
 * runs a second time behind the prefix, so that KVM's emulator (its Priv
 * check, emulate.c) and not the CPU decides.
 *
 * TPASS: every instruction faulted as the architecture says. TFAIL: one
 * ran at CPL 3 (or raised the wrong exception): guest user space could
 * take over the guest kernel.
 *
 * Runs on kvm_pvm, whose every #GP at CPL 3 goes through the emulator;
 * elsewhere (VMX, SVM) the hardware decides unless forced emulation is on.
 * i386 needs paging outside 64-bit mode for user mode (TCONF where KVM
 * refuses it).
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86_user.h"

#ifdef __x86_64__
# define AX "%%rax"
#else
# define AX "%%eax"
#endif

#define SENTINEL_DR0 0x1234000UL
#define SENTINEL_GS_BASE 0x5a5a0000ULL
#define SENTINEL_KERNEL_GS_BASE 0x6b6b0000ULL

/* Operands the instructions take, readable at CPL 3 */
static KVM_USER_DATA unsigned long operand;
static KVM_USER_DATA struct kvm_dtable_register table_operand;

/* One user function per instruction and per path (plain, forced) */
#define INSN_CASE(fname, setup, insn, ...) \
static KVM_USER_CODE int fname(void *arg) \
{ \
	__asm__ volatile(setup "\n\t" KVM_CATCH_INSN(insn) : : __VA_ARGS__ \
		: "ax", "dx", "memory", "cc"); \
	return 0; \
} \
static KVM_USER_CODE int fname##_fep(void *arg) \
{ \
	__asm__ volatile(setup "\n\t" KVM_CATCH_FEP_INSN(insn) \
		: : __VA_ARGS__ : "ax", "dx", "memory", "cc"); \
	return 0; \
}

#define LOAD_AX "mov %0, " AX

INSN_CASE(read_cr0, "", "mov %%cr0, " AX)
INSN_CASE(write_cr0, LOAD_AX, "mov " AX ", %%cr0", "m" (operand))
INSN_CASE(read_cr3, "", "mov %%cr3, " AX)
INSN_CASE(write_cr3, LOAD_AX, "mov " AX ", %%cr3", "m" (operand))
INSN_CASE(read_cr4, "", "mov %%cr4, " AX)
INSN_CASE(write_cr4, LOAD_AX, "mov " AX ", %%cr4", "m" (operand))
INSN_CASE(read_dr7, "", "mov %%dr7, " AX)
INSN_CASE(write_dr0, LOAD_AX, "mov " AX ", %%dr0", "m" (operand))
INSN_CASE(lgdt, "", "lgdt %0", "m" (table_operand))
INSN_CASE(lidt, "", "lidt %0", "m" (table_operand))
INSN_CASE(lldt, "xor %%eax, %%eax", "lldt %%ax")
INSN_CASE(ltr, "mov %0, %%eax", "ltr %%ax", "i" (KVM_TSS_SELECTOR))
INSN_CASE(lmsw, LOAD_AX, "lmsw %%ax", "m" (operand))
INSN_CASE(clts, "", "clts")
INSN_CASE(rdmsr, "", "rdmsr", "c" (MSR_EFER))
INSN_CASE(wrmsr, "mov %0, %%eax; xor %%edx, %%edx", "wrmsr",
	"m" (operand), "c" (MSR_KERNEL_GS_BASE))
INSN_CASE(hlt, "", "hlt")
INSN_CASE(invlpg, "", "invlpg %0", "m" (operand))
INSN_CASE(wbinvd, "", "wbinvd")
INSN_CASE(invd, "", "invd")
INSN_CASE(rdtsc, "", "rdtsc")
INSN_CASE(rdpmc, "", "rdpmc", "c" (0))
#ifdef __x86_64__
INSN_CASE(write_cr8, LOAD_AX, "mov " AX ", %%cr8", "m" (operand))
INSN_CASE(swapgs, "", "swapgs")
#endif

struct priv_case {
	const char *name;
	int (*plain)(void *arg), (*forced)(void *arg);
	/* Before: the operand; after: what the instruction must not change */
	void (*prepare)(void);
	int (*unchanged)(void);
	void (*restore)(void);
};

static struct kvm_cregs saved_cregs;
static struct kvm_dtable_register saved_gdtr, saved_idtr;

static int same_cregs(void)
{
	struct kvm_cregs now;

	kvm_read_cregs(&now);
	return now.cr0 == saved_cregs.cr0 && now.cr3 == saved_cregs.cr3 &&
		now.cr4 == saved_cregs.cr4;
}

static void restore_cregs(void)
{
	kvm_set_cr0(saved_cregs.cr0);
	kvm_set_cr4(saved_cregs.cr4);
}

static void prepare_cr0(void)
{
	operand = saved_cregs.cr0 | CR0_TS;
}

static void prepare_cr3(void)
{
	operand = saved_cregs.cr3;
}

static void prepare_cr4(void)
{
	operand = saved_cregs.cr4 | CR4_TSD;
}

static void prepare_lmsw(void)
{
	operand = (saved_cregs.cr0 & 0xffff) | CR0_TS;
}

/* CLTS must not clear the TS that is set */
static void prepare_clts(void)
{
	kvm_set_cr0(saved_cregs.cr0 | CR0_TS);
}

static int clts_unchanged(void)
{
	struct kvm_cregs now;

	kvm_read_cregs(&now);
	return !!(now.cr0 & CR0_TS);
}

static void prepare_tsd(void)
{
	kvm_set_cr4(saved_cregs.cr4 | CR4_TSD);
}

static int tsd_unchanged(void)
{
	struct kvm_cregs now;

	kvm_read_cregs(&now);
	return !!(now.cr4 & CR4_TSD);
}

static void prepare_dr0(void)
{
	operand = SENTINEL_DR0;
	__asm__ volatile("mov %0, %%dr0" : : "r" (0UL));
}

static int dr0_unchanged(void)
{
	unsigned long dr0;

	__asm__ volatile("mov %%dr0, %0" : "=r" (dr0));
	return dr0 == 0;
}

static void prepare_gdt(void)
{
	table_operand = saved_gdtr;
	table_operand.limit -= 8;
}

static int gdt_unchanged(void)
{
	struct kvm_dtable_register now;

	__asm__ volatile("sgdt %0" : "=m" (now));
	return now.limit == saved_gdtr.limit && now.base == saved_gdtr.base;
}

static void restore_gdt(void)
{
	__asm__ volatile("lgdt %0" : : "m" (saved_gdtr));
}

static void prepare_idt(void)
{
	table_operand = saved_idtr;
	table_operand.limit -= 16;
}

static int idt_unchanged(void)
{
	struct kvm_dtable_register now;

	__asm__ volatile("sidt %0" : "=m" (now));
	return now.limit == saved_idtr.limit && now.base == saved_idtr.base;
}

static void restore_idt(void)
{
	__asm__ volatile("lidt %0" : : "m" (saved_idtr));
}

static void prepare_msr(void)
{
	operand = (uint32_t)SENTINEL_KERNEL_GS_BASE;
	kvm_wrmsr(MSR_KERNEL_GS_BASE, 0);
}

static int msr_unchanged(void)
{
	return kvm_rdmsr(MSR_KERNEL_GS_BASE) == 0;
}

#ifdef __x86_64__
static void prepare_cr8(void)
{
	operand = 5;
	__asm__ volatile("mov %0, %%cr8" : : "r" (0UL));
}

static int cr8_unchanged(void)
{
	unsigned long cr8;

	__asm__ volatile("mov %%cr8, %0" : "=r" (cr8));
	return cr8 == 0;
}

static void restore_cr8(void)
{
	__asm__ volatile("mov %0, %%cr8" : : "r" (0UL));
}

static void prepare_swapgs(void)
{
	kvm_wrmsr(MSR_GS_BASE, SENTINEL_GS_BASE);
	kvm_wrmsr(MSR_KERNEL_GS_BASE, SENTINEL_KERNEL_GS_BASE);
}

static int swapgs_unchanged(void)
{
	return kvm_rdmsr(MSR_GS_BASE) == SENTINEL_GS_BASE &&
		kvm_rdmsr(MSR_KERNEL_GS_BASE) == SENTINEL_KERNEL_GS_BASE;
}
#endif

#define CASE(title, fn, ...) \
	{.name = title, .plain = fn, .forced = fn##_fep, __VA_ARGS__}

static const struct priv_case cases[] = {
	CASE("MOV from CR0", read_cr0),
	CASE("MOV to CR0", write_cr0, .prepare = prepare_cr0,
		.unchanged = same_cregs, .restore = restore_cregs),
	CASE("MOV from CR3", read_cr3),
	CASE("MOV to CR3", write_cr3, .prepare = prepare_cr3),
	CASE("MOV from CR4", read_cr4),
	CASE("MOV to CR4", write_cr4, .prepare = prepare_cr4,
		.unchanged = same_cregs, .restore = restore_cregs),
	CASE("MOV from DR7", read_dr7),
	CASE("MOV to DR0", write_dr0, .prepare = prepare_dr0,
		.unchanged = dr0_unchanged),
	CASE("LGDT", lgdt, .prepare = prepare_gdt, .unchanged = gdt_unchanged,
		.restore = restore_gdt),
	CASE("LIDT", lidt, .prepare = prepare_idt, .unchanged = idt_unchanged,
		.restore = restore_idt),
	CASE("LLDT", lldt),
	CASE("LTR", ltr),
	CASE("LMSW", lmsw, .prepare = prepare_lmsw, .unchanged = same_cregs,
		.restore = restore_cregs),
	CASE("CLTS", clts, .prepare = prepare_clts, .unchanged = clts_unchanged,
		.restore = restore_cregs),
	CASE("RDMSR", rdmsr),
	CASE("WRMSR", wrmsr, .prepare = prepare_msr,
		.unchanged = msr_unchanged),
	CASE("HLT", hlt),
	CASE("INVLPG", invlpg),
	CASE("WBINVD", wbinvd),
	CASE("INVD", invd),
	CASE("RDTSC with CR4.TSD set", rdtsc, .prepare = prepare_tsd,
		.unchanged = tsd_unchanged, .restore = restore_cregs),
	CASE("RDPMC with CR4.PCE clear", rdpmc),
#ifdef __x86_64__
	CASE("MOV to CR8", write_cr8, .prepare = prepare_cr8,
		.unchanged = cr8_unchanged,
		.restore = restore_cr8),
	CASE("SWAPGS", swapgs, .prepare = prepare_swapgs,
		.unchanged = swapgs_unchanged),
#endif
};

static void check_case(const struct priv_case *pc, int forced)
{
	struct kvm_exception_record rec;
	char what[64];
	int changed;

	snprintf(what, sizeof(what), "%s%s", pc->name,
		forced ? " (forced emulation)" : "");

	if (pc->prepare)
		pc->prepare();

	/* The negative control runs every instruction at CPL 0 instead */
#ifdef NEGATIVE_CONTROL
	kvm_catch_exceptions(&rec);
	(forced ? pc->forced : pc->plain)(NULL);
	kvm_catch_exceptions(NULL);
#else
	kvm_run_user_catching(forced ? pc->forced : pc->plain, NULL,
		KVM_USER_RFLAGS, &rec);
#endif
	changed = pc->unchanged && !pc->unchanged();

	if (pc->restore)
		pc->restore();

	if ((forced && kvm_not_emulated(what, &rec)) ||
	    !kvm_exception_is(what, &rec, INTR_GPF, 0, 3))
		return;

	if (changed)
		tst_res(TFAIL, "%s faulted but took effect", what);
	else
		tst_res(TPASS, "%s: #GP(0) at CPL 3", what);
}

static void run_all(int forced)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		check_case(&cases[i], forced);
}

void main(void)
{
	kvm_require_user_mode();
	kvm_read_cregs(&saved_cregs);
	__asm__ volatile("sgdt %0" : "=m" (saved_gdtr));
	__asm__ volatile("sidt %0" : "=m" (saved_idtr));

	kvm_run_plain_then_forced(run_all, "the instructions did not run "
		"through KVM's emulator unless this KVM emulates every #GP "
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
