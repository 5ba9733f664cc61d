// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (c) 2026 ltpkvm authors
 */

/*\
 * LTP-style fixture in the shape of LTP's own kvm_svm03: a nested guest
 * that executes CLGI (not intercepted), then signals the host and waits,
 * while the host half (in C upstream; ltpkvm's kvm_svm03.py here, found by
 * the test's name) interrupts the vCPU thread.
 */

#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD
#if defined(__i386__) || defined(__x86_64__)

#include "kvm_x86_svm.h"

static int nested_clgi(void)
{
	int ret = *(volatile int *)KVM_RESULT_BASEADDR;

	asm volatile("clgi");
	tst_wait_host(NULL);
	return ret;
}

void main(void)
{
	struct kvm_svm_vcpu *vcpu;

	kvm_init_svm();
	vcpu = kvm_create_svm_vcpu(nested_clgi, 1);
	kvm_vmcb_set_intercept(vcpu->vmcb, SVM_INTERCEPT_CLGI, 0);
	kvm_svm_vmrun(vcpu);

	if (vcpu->vmcb->exitcode != SVM_EXIT_HLT)
		tst_brk(TBROK, "Nested VM exited unexpectedly");
}

#else /* defined(__i386__) || defined(__x86_64__) */
TST_TEST_TCONF("Test supported only on x86");
#endif /* defined(__i386__) || defined(__x86_64__) */

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = run,
	.setup = setup,
	.cleanup = cleanup,
	.needs_drivers = (const char *const []) {
		"kvm",
		NULL
	},
	.min_cpus = 2,
	.supported_archs = (const char *const []) {
		"x86_64",
		"x86",
		NULL
	},
	.tags = (struct tst_tag[]){
		{"linux-git", "91b7130cb660"},
		{}
	}
};

#endif /* COMPILE_PAYLOAD */
