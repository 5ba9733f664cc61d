// SPDX-License-Identifier: GPL-2.0-or-later
/*\
 * VMLOAD and VMSAVE in a nested guest must act on L1's memory even when L1
 * does not intercept them.
 *
 * CVE-2021-3656
 *
 * When L1 cleared the VMLOAD and VMSAVE intercepts of its nested guest, KVM
 * cleared them in the VMCB it really runs that guest with, so the nested
 * guest executed VMLOAD and VMSAVE in hardware, on the host physical address
 * in RAX: it could read and write host memory. Fixed in kernel commit
 * c7dfa4009965 ("KVM: nSVM: always intercept VMLOAD/VMSAVE when nested
 * (CVE-2021-3656)").
 *
 * Clear both intercepts (and enable virtual VMLOAD/VMSAVE where the CPU
 * offers it) and let the nested guest VMLOAD state from a buffer of ours,
 * then, in a second run, VMSAVE its state into that buffer: both must act on
 * our memory, as they do for the parent.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD
#if defined(__x86_64__)

#include "kvm_x86_svm.h"

static struct kvm_vmcb *guest_buf;

static int guest_vmload(void)
{
	kvm_svm_vmload(guest_buf);
	return 0;
}

static int guest_vmsave(void)
{
	kvm_svm_vmsave(guest_buf);
	return 0;
}

/* Run guest_main() with VMLOAD/VMSAVE left to the nested guest and the
 * VMLOAD state from seed */
static void run_guest(struct kvm_svm_vcpu *vcpu, int (*guest_main)(void),
	unsigned int seed)
{
	struct kvm_vmcb *vmcb = vcpu->vmcb;
	struct kvm_cpuid features;

	kvm_init_guest_vmcb(vmcb, 1, vmcb->ss.selector >> 3,
		(void *)(uintptr_t)vmcb->rsp, guest_main);
	kvm_vmcb_set_intercept(vmcb, SVM_INTERCEPT_VMLOAD, 0);
	kvm_vmcb_set_intercept(vmcb, SVM_INTERCEPT_VMSAVE, 0);

	kvm_get_cpuid(CPUID_GET_SVM_FEATURES, 0, &features);
	if (features.edx & SVM_CPUID_VMSAVE_VIRT)
		vmcb->virt_ext |= SVM_VIRT_EXT_VMSAVE_VMLOAD;

	kvm_vmcb_fill_vmsave_state(vmcb, seed);
	kvm_svm_vmrun(vcpu);

	if (vmcb->exitcode != SVM_EXIT_HLT)
		KVM_SVM_BRK_UNEXPECTED_EXIT(vmcb);
}

void main(void)
{
	struct kvm_svm_vcpu *vcpu;

	kvm_init_svm();
	vcpu = kvm_create_svm_vcpu(guest_vmload, 1);
	guest_buf = kvm_alloc_vmcb();

	/* The nested guest loads guest_buf; kvm_svm_vmrun() saves what it
	 * was left with into its VMCB */
	kvm_vmcb_fill_vmsave_state(guest_buf, 1);
	run_guest(vcpu, guest_vmload, 2);

	if (kvm_vmcb_cmp_vmsave_state("Nested guest state after VMLOAD",
	    vcpu->vmcb, guest_buf)) {
		tst_res(TFAIL, "VMLOAD in the nested guest did not load our "
			"memory (did it read host memory?)");
		return;
	}

	tst_res(TPASS, "VMLOAD in the nested guest loaded our memory");

	/* The nested guest saves the state it starts with into guest_buf */
	memset(guest_buf, 0xaa, sizeof(*guest_buf));
	run_guest(vcpu, guest_vmsave, 3);

	if (kvm_vmcb_cmp_vmsave_state("Our memory after VMSAVE", guest_buf,
	    vcpu->vmcb)) {
		tst_res(TFAIL, "VMSAVE in the nested guest did not store into "
			"our memory (did it write host memory?)");
		return;
	}

	tst_res(TPASS, "VMSAVE in the nested guest stored into our memory");
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
		{"linux-git", "c7dfa4009965a9b2d7b329ee970eb8da0d32f0bc"},
		{"CVE", "2021-3656"},
		{}
	}
};

#endif /* COMPILE_PAYLOAD */
