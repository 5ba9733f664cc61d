// SPDX-License-Identifier: GPL-2.0-or-later
/*\
 * An endless stream of debug exceptions (#DB) in the guest must not hold
 * the host: a signal to the vCPU thread must still make KVM_RUN return.
 *
 * CVE-2015-8104
 *
 * A data breakpoint on the stack that #DB is delivered onto makes every
 * delivery raise the next #DB; on CPUs whose microcode then loops without
 * a VM exit, a guest hung its host CPU. Fixed in kernel commit
 * cbdb967af3d5 ("KVM: svm: unconditionally intercept #DB"), with the
 * matching VMX change.
 *
 * The #DB gate uses an interrupt stack (IST), so every delivery pushes its
 * frame at the same place, where DR0 watches for writes; the handler also
 * returns into a loop that writes the watched word, so #DB follows #DB for
 * ever whether or not delivery itself triggers the breakpoint (it does not
 * where KVM delivers exceptions in software). Where the data breakpoint
 * does not fire at all (kvm_pvm), single-stepping (RFLAGS.TF, kept set by
 * the handler) makes the storm instead. The host half (kvm_db01.py) kicks
 * the vCPU thread after a second.
 *
 * TPASS: KVM_RUN returned on the signal. TFAIL: it did not within 2 s.
 * The microcode loop itself needs real VMX or SVM hardware without the
 * fix to show.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD
#if defined(__x86_64__)

#define IST_INDEX 1
#define IST_SIZE 4096
#define DR7_L0 (1 << 0)
#define DR7_GE (1 << 9)
#define DR7_RW0_WRITE (1 << 16)
#define DR7_LEN0_8 (2 << 18)

static uint64_t db_count;

static int count_db(void *userdata, struct kvm_interrupt_frame *ifrm,
	unsigned long errcode)
{
	db_count++;
	return 0;
}

/* The TSS's IST1 slot: after reserved, rsp[3] and reserved2 */
static void set_ist1(uintptr_t top)
{
	extern char kvm_tss[];

	*(uint64_t *)(kvm_tss + 4 + 3 * 8 + 8) = top;
}

void main(void)
{
	char *ist = tst_heap_alloc_aligned(IST_SIZE, 16);
	volatile uint64_t *watched = (uint64_t *)(ist + IST_SIZE) - 1;

	set_ist1((uintptr_t)(ist + IST_SIZE));
	kvm_idt[INTR_DEBUG].ist = IST_INDEX;
	tst_set_interrupt_callback(INTR_DEBUG, count_db, NULL);

	/* DR0 watches the slot where delivery pushes SS */
	__asm__ volatile("mov %0, %%dr0" : : "r" (watched));
	__asm__ volatile("mov %0, %%dr7"
		: : "r" ((unsigned long)(DR7_L0 | DR7_GE | DR7_RW0_WRITE |
			DR7_LEN0_8 | 0x400)));

	*watched = 0;
	if (!db_count) {
		tst_res(TINFO, "The data breakpoint did not fire: a single-step "
			"storm instead");
		__asm__ volatile("pushf; orl %0, (%%rsp); popf"
			: : "i" (RFLAGS_TF) : "memory", "cc");
	}

	tst_signal_host(&db_count);
	for (;;)
		*watched = 0;
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
	.tags = (struct tst_tag[]) {
		{"linux-git", "cbdb967af3d54993f5814f1cee0ed311a055377d"},
		{"CVE", "2015-8104"},
		{}
	}
};

#endif /* COMPILE_PAYLOAD */
