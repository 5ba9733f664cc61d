// SPDX-License-Identifier: GPL-2.0-or-later
/*\
 * An endless stream of alignment-check exceptions (#AC) in the guest must
 * not hold the host: a signal to the vCPU thread must still make KVM_RUN
 * return.
 *
 * CVE-2015-5307
 *
 * Delivering #AC could itself raise #AC; on CPUs whose microcode then
 * loops without a VM exit, a guest hung its host CPU. Fixed in kernel
 * commit 54a20552e1ea ("KVM: x86: work around infinite loop in microcode
 * when #AC is delivered"), which makes KVM intercept every #AC.
 *
 * With CR0.AM set, guest user mode with RFLAGS.AC set reads a misaligned
 * word; the #AC handler returns to the same instruction, so #AC follows
 * #AC for ever. On i386 the #AC gate also leads to user code with a
 * misaligned user stack, so that delivering #AC raises #AC (the original
 * exploit; needs paging outside 64-bit mode). The host half
 * (kvm_ac01.py) kicks the vCPU thread after a second.
 *
 * TPASS: KVM_RUN returned on the signal. TFAIL: it did not within 2 s
 * (the host is held by the guest). The microcode loop itself needs real
 * VMX or SVM hardware without the fix to show; elsewhere the test checks
 * that KVM's own #AC path stays interruptible.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86_user.h"

static uint64_t ac_count;
static KVM_USER_DATA uint32_t words[2];

static int retry_ac(void *userdata, struct kvm_interrupt_frame *ifrm,
	unsigned long errcode)
{
	ac_count++;
	return 0;
}

#ifdef __x86_64__
static KVM_USER_CODE int misaligned_reads(void *arg)
{
	for (;;)
		(void)*(volatile uint32_t *)((char *)words + 1);

	return 0;
}
#else
/*
 * The original exploit: an #AC gate into user code, delivered at CPL 3
 * onto a misaligned user stack, which faults again while pushing.
 */
static KVM_USER_CODE void user_ac_handler(void)
{
	for (;;)
		;
}

static KVM_USER_CODE int misaligned_stack(void *arg)
{
	__asm__ volatile("dec %%esp\n\t"
		"movl (%0), %%eax" : : "r" ((char *)words + 1) : "eax");
	return 0;
}

static void gate_to_user_code(void)
{
	struct intr_descriptor *gate = kvm_idt + INTR_ALIGNMENT_ERROR;
	uintptr_t handler = (uintptr_t)user_ac_handler;

	gate->offset_lo = handler & 0xffff;
	gate->offset_hi = handler >> 16;
	gate->selector = KVM_USER_CS32;
	gate->flags = SEGTYPE_INTR_GATE | SEGFLAG_PRESENT | SEGFLAG_DPL3;
}
#endif

void main(void)
{
	struct kvm_cregs cregs;

	kvm_require_user_mode();
	kvm_read_cregs(&cregs);
	kvm_set_cr0(cregs.cr0 | CR0_AM);
	tst_set_interrupt_callback(INTR_ALIGNMENT_ERROR, retry_ac, NULL);

	/* The host reads the counter while the storm runs */
	tst_signal_host(&ac_count);
#ifdef __x86_64__
	kvm_run_user_flags(misaligned_reads, NULL, KVM_USER_RFLAGS | RFLAGS_AC);
#else
	gate_to_user_code();
	kvm_run_user_flags(misaligned_stack, NULL, KVM_USER_RFLAGS | RFLAGS_AC);
#endif
	tst_res(TFAIL, "The #AC storm ended");
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.needs_root = 1,
	.needs_drivers = (const char *const []) {"kvm", NULL},
	.tags = (struct tst_tag[]) {
		{"linux-git", "54a20552e1eae07aa240fa370a0293e006b5faed"},
		{"CVE", "2015-5307"},
		{}
	}
};

#endif /* COMPILE_PAYLOAD */
