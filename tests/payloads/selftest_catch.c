// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Catching one instruction's exception (kvm_catch_exceptions(),
 * KVM_CATCH_INSN()), at CPL 0 and CPL 3: an exception at the instruction
 * is recorded and execution goes on after it; none is none; with
 * kvm_catch_landing set, an exception at a branch's target is caught too
 * (what a test of a branch that must fault sees when KVM lets it
 * through), and kvm_catch_exceptions() forgets the landing address.
 */
#include "kvm_test.h"
#include "kvm_x86_user.h"

/* Canonical and far from the identity map: a fetch there is a #PF */
#ifdef __x86_64__
# define NOWHERE 0x00007f0000000000UL
#else
# define NOWHERE 0xfff00000UL
#endif

static KVM_USER_CODE int catch_ud(void *arg)
{
	__asm__ volatile(KVM_CATCH_INSN("ud2") ::: "memory");
	return 0;
}

static KVM_USER_CODE int catch_nothing(void *arg)
{
	__asm__ volatile(KVM_CATCH_INSN("nop") ::: "memory");
	return 0;
}

/* The JMP itself is fine: the fault is at its target */
static KVM_USER_CODE int jump_nowhere(void *arg)
{
	__asm__ volatile(KVM_CATCH_INSN("jmp *%0") : : "r" (arg) : "memory");
	return 0;
}

static void check(const char *what, int (*func)(void *), void *arg,
	unsigned int cpl, int vector, uintptr_t landing)
{
	struct kvm_exception_record rec;
	char name[96];

	snprintf(name, sizeof(name), "%s at CPL %u", what, cpl);
	kvm_catch_exceptions(&rec);
	kvm_catch_landing = landing;
	if (cpl == 3)
		kvm_run_user(func, arg);
	else
		func(arg);
	kvm_catch_exceptions(NULL);

	if (landing) {
		if (rec.count != 1 || rec.vector != (unsigned int)vector ||
		    rec.ip != landing || rec.cpl != cpl || rec.cr2 != landing) {
			tst_res(TFAIL, "%s: %u exception(s), the last vector %u "
				"at 0x%lx, CPL %u, CR2 0x%lx", name, rec.count,
				rec.vector, (unsigned long)rec.ip, rec.cpl,
				(unsigned long)rec.cr2);
			return;
		}
		tst_res(TPASS, "%s: caught at the landing address", name);
		return;
	}

	if (kvm_exception_is(name, &rec, vector, 0, cpl))
		tst_res(TPASS, "%s: as expected", name);
}

void main(void)
{
	unsigned int cpl;
	struct kvm_exception_record rec;

	kvm_require_user_mode();

	for (cpl = 0; cpl <= 3; cpl += 3) {
		check("UD2", catch_ud, NULL, cpl, INTR_BAD_OPCODE, 0);
		check("NOP", catch_nothing, NULL, cpl, -1, 0);
		check("JMP to an unmapped page", jump_nowhere,
			(void *)NOWHERE, cpl, INTR_PAGE_FAULT, NOWHERE);
	}

	kvm_catch_landing = NOWHERE;
	kvm_catch_exceptions(&rec);
	kvm_catch_exceptions(NULL);
	if (kvm_catch_landing)
		tst_res(TFAIL, "kvm_catch_exceptions() kept the landing address");
	else
		tst_res(TPASS, "kvm_catch_exceptions() forgets the landing address");
}
