// SPDX-License-Identifier: GPL-2.0-or-later
/*\
 * At CPL 3, CLI, STI and port I/O must obey RFLAGS.IOPL and the TSS I/O
 * permission bitmap, also when KVM's emulator runs them.
 *
 * With IOPL 0, CLI and STI raise #GP(0), and IN, OUT, INS and OUTS raise
 * #GP(0) unless the TSS I/O bitmap allows every port the access touches
 * (a word access to an allowed port followed by a denied one faults).
 * Allowed ports, and every port with IOPL 3, are accessed. The host
 * answers the ports (kvm_iopl01.py) and checks that exactly the permitted
 * writes reached it: a denied OUT that faulted but still wrote is caught
 * there.
 *
 * TPASS: each access faulted or ran as the architecture says. TFAIL: user
 * space reached a port or changed IF against IOPL and the bitmap (KVM's
 * emulator_bad_iopl() and emulator_io_permited() checks).
 *
 * Runs on kvm_pvm (port I/O always traps there and is emulated; its guest
 * user mode always has IOPL 0, so the IOPL 3 cases report TCONF) and, with
 * forced emulation, on VMX and SVM hosts (kvm.force_emulation_prefix).
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86_user.h"

/*
 * The ports kvm_iopl01.py answers; PORT_DENIED stays denied at IOPL 0;
 * PORT_IOPL3 tells the host whether the IOPL 3 cases run
 */
#define PORT_ALLOWED 0x500
#define PORT_DENIED 0x501
#define PORT_IOPL3 0x502

#ifdef __x86_64__
# define SI "%%rsi"
# define DI "%%rdi"
#else
# define SI "%%esi"
# define DI "%%edi"
#endif

static KVM_USER_DATA uint8_t user_buffer[4] = {0x33, 0x78};
static KVM_USER_DATA uint8_t value_read;

#define USER_INSN(fname, setup, insn, ...) \
static KVM_USER_CODE int fname(void *arg) \
{ \
	__asm__ volatile(setup "\n\t" KVM_CATCH_INSN(insn) : : __VA_ARGS__ \
		: "ax", "memory", "cc"); \
	return 0; \
} \
static KVM_USER_CODE int fname##_fep(void *arg) \
{ \
	__asm__ volatile(setup "\n\t" KVM_CATCH_FEP_INSN(insn) \
		: : __VA_ARGS__ : "ax", "memory", "cc"); \
	return 0; \
}

USER_INSN(user_cli, "", "cli")
USER_INSN(user_sti, "", "sti; cli")
USER_INSN(out_allowed, "mov $0x11, %%al", "outb %%al, %0",
	"Nd" (PORT_ALLOWED))
USER_INSN(out_denied, "mov $0x22, %%al", "outb %%al, %0",
	"Nd" (PORT_DENIED))
USER_INSN(outw_straddling, "mov $0x5566, %%ax", "outw %%ax, %0",
	"Nd" (PORT_ALLOWED))
USER_INSN(in_allowed, "", "inb %0, %%al; movb %%al, %1",
	"Nd" (PORT_ALLOWED), "m" (value_read))
USER_INSN(in_denied, "", "inb %0, %%al; movb %%al, %1",
	"Nd" (PORT_DENIED), "m" (value_read))
USER_INSN(outsb_denied, "mov %1, " SI, "outsb",
	"d" (PORT_DENIED), "i" (user_buffer))
USER_INSN(out_iopl3, "mov $0x77, %%al", "outb %%al, %0", "Nd" (PORT_DENIED))
USER_INSN(outsb_iopl3, "mov %1, " SI, "outsb",
	"d" (PORT_DENIED), "i" (user_buffer + 1))
USER_INSN(insb_denied, "mov %1, " DI, "insb",
	"d" (PORT_DENIED), "i" (user_buffer + 2))

struct iopl_case {
	const char *name;
	int (*plain)(void *arg), (*forced)(void *arg);
	unsigned int iopl;
	int faults;
};

#define CASE(title, fn, level, fault) \
	{.name = title, .plain = fn, .forced = fn##_fep, .iopl = level, \
	 .faults = fault}

/*
 * The host must see these writes, in this order: 0x11 to the allowed
 * port, then 0x77 and 0x78 at IOPL 3, never 0x22, 0x33 or 0x5566 from the
 * denied accesses (kvm_iopl01.py checks them).
 */
static const struct iopl_case cases[] = {
	CASE("CLI with IOPL 0", user_cli, 0, 1),
	CASE("STI with IOPL 0", user_sti, 0, 1),
	CASE("OUT to a port the bitmap allows", out_allowed, 0, 0),
	CASE("IN from a port the bitmap allows", in_allowed, 0, 0),
	CASE("OUT to a port the bitmap denies", out_denied, 0, 1),
	CASE("IN from a port the bitmap denies", in_denied, 0, 1),
	CASE("OUTSB to a port the bitmap denies", outsb_denied, 0, 1),
	CASE("INSB from a port the bitmap denies", insb_denied, 0, 1),
	CASE("OUTW to an allowed and a denied port", outw_straddling, 0, 1),
	CASE("CLI with IOPL 3", user_cli, 3, 0),
	CASE("STI with IOPL 3", user_sti, 3, 0),
	CASE("OUT to a denied port with IOPL 3", out_iopl3, 3, 0),
	CASE("OUTSB to a denied port with IOPL 3", outsb_iopl3, 3, 0),
};

static KVM_USER_CODE int user_rflags(void *arg)
{
	unsigned long rflags;

	__asm__ volatile("pushf; pop %0" : "=r" (rflags));
	return rflags;
}

static int iopl3_works;

static void check_case(const struct iopl_case *ic, int forced)
{
	struct kvm_exception_record rec;
	char what[80];

	snprintf(what, sizeof(what), "%s%s", ic->name,
		forced ? " (forced emulation)" : "");

	if (ic->iopl == 3 && !iopl3_works)
		return;

	value_read = 0;
	kvm_run_user_catching(forced ? ic->forced : ic->plain, NULL,
		KVM_USER_RFLAGS | RFLAGS_IOPL(ic->iopl), &rec);

	if ((forced && kvm_not_emulated(what, &rec)) ||
	    !kvm_exception_is(what, &rec, ic->faults ? INTR_GPF : -1, 0, 3))
		return;

	if (ic->plain == in_allowed && value_read != 0x11) {
		tst_res(TFAIL, "%s read 0x%x, the host has 0x11", what,
			value_read);
		return;
	}

	tst_res(TPASS, "%s: %s", what, ic->faults ? "#GP(0)" : "ran");
}

static void run_all(int forced)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		check_case(&cases[i], forced);
}

void main(void)
{
	unsigned long rflags;

	kvm_require_user_mode();
	kvm_set_io_permission(PORT_ALLOWED, 1, 1);

	/* The negative control lets user mode at the port it must not reach */
#ifdef NEGATIVE_CONTROL
	kvm_set_io_permission(PORT_DENIED, 1, 1);
#endif

	/* kvm_pvm runs guest user mode with IOPL 0 whatever IRET loads */
	rflags = kvm_run_user_flags(user_rflags, NULL,
		KVM_USER_RFLAGS | RFLAGS_IOPL(3));
	iopl3_works = (rflags & RFLAGS_IOPL(3)) == RFLAGS_IOPL(3);
	if (!iopl3_works) {
		tst_res(TCONF, "This KVM does not run guest user mode with the "
			"IOPL that IRET loads (RFLAGS 0x%lx at CPL 3 after IRET "
			"with IOPL 3): the IOPL 3 cases are skipped", rflags);
	}
	__asm__ volatile("outb %b0, %w1" : : "a" (iopl3_works), "Nd" (PORT_IOPL3));

	kvm_run_plain_then_forced(run_all, "CLI and STI ran only where this "
		"KVM emulates them (kvm_pvm does)");
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
