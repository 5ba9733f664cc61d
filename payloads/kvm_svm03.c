// SPDX-License-Identifier: GPL-2.0-or-later
/*\
 * A nested guest that executes CLGI must not make its vCPU thread deaf to
 * host signals.
 *
 * When L1 did not intercept CLGI, KVM could let the nested guest's
 * CLGI clear the GIF that KVM itself relies on, and the vCPU thread then
 * spun in the nested guest where the host could neither stop nor even
 * signal it. Fixed in kernel commit 91b7130cb660 ("KVM: SVM: preserve VGIF
 * across VMCB switch").
 *
 * Clear the CLGI intercept and let the nested guest execute CLGI, then
 * signal the host and spin: the host (kvm_svm03.py) sends a signal to the
 * vCPU thread, which must leave KVM_RUN within 2 seconds.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD
#if defined(__x86_64__)

#include "kvm_x86_svm.h"

static int guest_clgi(void)
{
	/* Touch the result page first: the nested guest must not need a page
	 * fault handled once GIF is clear */
	int ret = *(volatile int *)KVM_RESULT_BASEADDR;

	__asm__ volatile("clgi" ::: "memory");

	/* The host kicks the vCPU out of the VM, or releases us if it cannot */
	tst_wait_host(NULL);
	return ret;
}

void main(void)
{
	struct kvm_svm_vcpu *vcpu;

	kvm_init_svm();
	vcpu = kvm_create_svm_vcpu(guest_clgi, 1);
	kvm_vmcb_set_intercept(vcpu->vmcb, SVM_INTERCEPT_CLGI, 0);
	kvm_svm_vmrun(vcpu);

	if (vcpu->vmcb->exitcode != SVM_EXIT_HLT) {
		tst_brk(TBROK, "Nested guest exited unexpectedly: exit code "
			"0x%llx, RIP 0x%llx",
			(unsigned long long)vcpu->vmcb->exitcode,
			(unsigned long long)vcpu->vmcb->rip);
	}

	tst_res(TINFO, "The host released the nested guest");
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
	.min_cpus = 2,
	.needs_drivers = (const char *const []) {"kvm", NULL},
	.supported_archs = (const char *const []) {"x86_64", NULL},
	.tags = (struct tst_tag[]) {
		{"linux-git", "91b7130cb6606d8c6b3b77e54426b3f3a83f48b1"},
		{}
	}
};

#endif /* COMPILE_PAYLOAD */
