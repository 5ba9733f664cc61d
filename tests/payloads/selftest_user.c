// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Guest user mode: a user function that returns, one that faults (skipped
 * or abandoned by the callback), one that touches supervisor memory, one
 * that calls back into the kernel; the kernel's own exceptions still
 * reach their callbacks afterwards.
 */
#include "kvm_test.h"
#include "kvm_x86_user.h"

#define USER_MAGIC 0x5a5a
#define ABANDONED (-7)

static int kernel_word = 1234;	/* supervisor-only */
static KVM_USER_DATA int user_word = 100;

struct fault_seen {
	unsigned int hits, cpl;
	unsigned long errcode;
	int skip_len;		/* > 0: skip the instruction; 0: abandon */
};

static struct fault_seen seen;

static KVM_USER_CODE unsigned int read_cpl(void)
{
	unsigned short cs;

	__asm__ volatile("mov %%cs, %0" : "=r" (cs));
	return cs & 3;
}

static KVM_USER_CODE int user_returns(void *arg)
{
	return read_cpl() * USER_MAGIC + user_word + (int)(uintptr_t)arg;
}

/* HLT at CPL 3 is a #GP; 1 byte, so the callback can skip it */
static KVM_USER_CODE int user_hlt(void *arg)
{
	__asm__ volatile("hlt");
	return (int)(uintptr_t)arg;
}

static KVM_USER_CODE int user_reads_kernel(void *arg)
{
	return *(volatile int *)arg;
}

static int kernel_side(void *arg)
{
	return read_cpl() * 1000 + kernel_word + (int)(uintptr_t)arg;
}

static KVM_USER_CODE int user_calls_kernel(void *arg)
{
	return kvm_user_call(kernel_side, arg) + read_cpl();
}

static int on_fault(void *userdata, struct kvm_interrupt_frame *ifrm,
	unsigned long errcode)
{
	seen.hits++;
	seen.cpl = kvm_get_interrupt_cpl(ifrm);
	seen.errcode = errcode;

	if (seen.cpl != 3)
		return 1;	/* not ours: the default handler reports it */

	if (!seen.skip_len)
		kvm_exit_user(ABANDONED);

	ifrm->eip += seen.skip_len;
	return 0;
}

static void expect(const char *what, int got, int expected,
	unsigned int hits, unsigned int cpl, unsigned long errcode)
{
	if (got != expected || seen.hits != hits ||
	    (hits && (seen.cpl != cpl || seen.errcode != errcode))) {
		tst_res(TFAIL, "%s: returned %d (expected %d), %u fault(s) at "
			"CPL %u, error code 0x%lx (expected %u at CPL %u, 0x%lx)",
			what, got, expected, seen.hits, seen.cpl, seen.errcode,
			hits, cpl, errcode);
		return;
	}

	tst_res(TPASS, "%s: returned %d", what, got);
}

static int kernel_ud_callback(void *userdata, struct kvm_interrupt_frame *ifrm,
	unsigned long errcode)
{
	ifrm->eip += 2;
	*(int *)userdata = kvm_get_interrupt_cpl(ifrm) + 1;
	return 0;
}

void main(void)
{
	int ret, kernel_ud = 0;

	kvm_require_user_mode();

	ret = kvm_run_user(user_returns, (void *)5);
	expect("User function at CPL 3", ret, 3 * USER_MAGIC + 105, 0, 0, 0);

	tst_set_interrupt_callback(INTR_GPF, on_fault, NULL);
	memset(&seen, 0, sizeof(seen));
	seen.skip_len = 1;
	ret = kvm_run_user(user_hlt, (void *)9);
	expect("HLT at CPL 3, skipped by the #GP callback", ret, 9, 1, 3, 0);

	memset(&seen, 0, sizeof(seen));
	ret = kvm_run_user(user_hlt, (void *)9);
	expect("HLT at CPL 3, abandoned by the #GP callback", ret, ABANDONED,
		1, 3, 0);
	tst_set_interrupt_callback(INTR_GPF, NULL, NULL);

	/* Error code 0x5: a user-mode read of a present page */
	tst_set_interrupt_callback(INTR_PAGE_FAULT, on_fault, NULL);
	memset(&seen, 0, sizeof(seen));
	ret = kvm_run_user(user_reads_kernel, &kernel_word);
	expect("User read of a supervisor page", ret, ABANDONED, 1, 3, 0x5);

	/* The same page made user-accessible, then supervisor-only again */
	kvm_set_user_access(&kernel_word, sizeof(kernel_word), 1);
	memset(&seen, 0, sizeof(seen));
	ret = kvm_run_user(user_reads_kernel, &kernel_word);
	expect("User read of a page made user-accessible", ret, kernel_word,
		0, 0, 0);
	kvm_set_user_access(&kernel_word, sizeof(kernel_word), 0);
	memset(&seen, 0, sizeof(seen));
	ret = kvm_run_user(user_reads_kernel, &kernel_word);
	expect("User read after access is taken back", ret, ABANDONED, 1, 3,
		0x5);
	tst_set_interrupt_callback(INTR_PAGE_FAULT, NULL, NULL);

	memset(&seen, 0, sizeof(seen));
	ret = kvm_run_user(user_calls_kernel, (void *)7);
	expect("User call into the kernel", ret, 0 * 1000 + 1234 + 7 + 3, 0,
		0, 0);

	/* The kernel's exceptions still reach their callbacks */
	tst_set_interrupt_callback(INTR_BAD_OPCODE, kernel_ud_callback,
		&kernel_ud);
	__asm__ volatile("ud2");
	tst_set_interrupt_callback(INTR_BAD_OPCODE, NULL, NULL);
	expect("#UD at CPL 0 after user mode", kernel_ud, 1, 0, 0, 0);
}
