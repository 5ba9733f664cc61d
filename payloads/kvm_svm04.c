// SPDX-License-Identifier: GPL-2.0-or-later
/*\
 * VMLOAD and VMSAVE load and store the documented state, in L1 and in a
 * nested guest.
 *
 * Functional test of VMLOAD and VMSAVE: they load and store exactly the
 * state AMD's manual documents (FS, GS, TR and LDTR with their hidden parts,
 * KernelGsBase, STAR, LSTAR, CSTAR, SFMASK and SYSENTER_CS/ESP/EIP), in the
 * parent and in a nested guest that L1 lets execute them (KVM emulates them
 * there), and that state carries across VMRUN and #VMEXIT.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD
#if defined(__x86_64__)

#include "kvm_x86_svm.h"

/* The MSRs behind the VMLOAD state, by VMCB field */
#define VMSAVE_MSR(msr, field) {msr, offsetof(struct kvm_vmcb, field)}

static const struct {
	unsigned int msr;
	size_t offset;
} vmsave_msrs[] = {
	VMSAVE_MSR(MSR_KERNEL_GS_BASE, kernel_gs_base),
	VMSAVE_MSR(MSR_STAR, star),
	VMSAVE_MSR(MSR_LSTAR, lstar),
	VMSAVE_MSR(MSR_CSTAR, cstar),
	VMSAVE_MSR(MSR_SFMASK, sfmask),
	VMSAVE_MSR(MSR_SYSENTER_CS, sysenter_cs),
	VMSAVE_MSR(MSR_SYSENTER_ESP, sysenter_esp),
	VMSAVE_MSR(MSR_SYSENTER_EIP, sysenter_eip),
	VMSAVE_MSR(MSR_FS_BASE, fs.base),
	VMSAVE_MSR(MSR_GS_BASE, gs.base),
};

/* Shared with the nested guest */
static struct kvm_vmcb *start, *src, *dst, *seen_start, *seen_loaded;

static uint64_t *msr_field(struct kvm_vmcb *buf, unsigned int i)
{
	return (uint64_t *)((char *)buf + vmsave_msrs[i].offset);
}

/*
 * The VMLOAD state as instructions other than VMSAVE see it: selectors and
 * MSRs (FS and GS bases included). The hidden parts no instruction reads
 * are copied from exp.
 */
static void read_cpu_state(struct kvm_vmcb *buf, const struct kvm_vmcb *exp)
{
	unsigned int i;

	memcpy(buf, exp, sizeof(*buf));
	__asm__ volatile("mov %%fs, %0" : "=r" (buf->fs.selector));
	__asm__ volatile("mov %%gs, %0" : "=r" (buf->gs.selector));
	__asm__ volatile("str %0" : "=r" (buf->tr.selector));
	__asm__ volatile("sldt %0" : "=r" (buf->ldtr.selector));

	for (i = 0; i < ARRAY_SIZE(vmsave_msrs); i++)
		*msr_field(buf, i) = kvm_rdmsr(vmsave_msrs[i].msr);
}

static void check_state(const char *what, const struct kvm_vmcb *buf,
	const struct kvm_vmcb *exp)
{
	if (kvm_vmcb_cmp_vmsave_state(what, buf, exp))
		tst_res(TFAIL, "%s: wrong state", what);
	else
		tst_res(TPASS, "%s: state as expected", what);
}

static int guest_main(void)
{
	read_cpu_state(seen_start, start);
	kvm_svm_vmload(src);
	read_cpu_state(seen_loaded, src);
	kvm_svm_vmsave(dst);
	return 0;
}

static void test_parent(struct kvm_vmcb *orig)
{
	struct kvm_vmcb *exp = kvm_alloc_vmcb();
	unsigned int i;

	kvm_vmcb_fill_vmsave_state(src, 1);
	kvm_svm_vmload(src);
	read_cpu_state(seen_loaded, src);
	kvm_svm_vmsave(dst);
	kvm_svm_vmload(orig);

	check_state("Registers after VMLOAD", seen_loaded, src);
	check_state("VMSAVE after VMLOAD", dst, src);

	/* VMSAVE must also see what WRMSR changed */
	kvm_vmcb_fill_vmsave_state(src, 2);
	kvm_svm_vmsave(exp);

	for (i = 0; i < ARRAY_SIZE(vmsave_msrs); i++) {
		*msr_field(exp, i) = *msr_field(src, i);
		kvm_wrmsr(vmsave_msrs[i].msr, *msr_field(exp, i));
	}

	kvm_svm_vmsave(dst);
	kvm_svm_vmload(orig);
	check_state("VMSAVE after WRMSR", dst, exp);
}

static void test_nested(void)
{
	struct kvm_svm_vcpu *vcpu = kvm_create_svm_vcpu(guest_main, 1);
	struct kvm_vmcb *vmcb = vcpu->vmcb;

	kvm_vmcb_set_intercept(vmcb, SVM_INTERCEPT_VMLOAD, 0);
	kvm_vmcb_set_intercept(vmcb, SVM_INTERCEPT_VMSAVE, 0);

	/* The nested guest starts with the state from seed 3, loads seed 4 */
	kvm_vmcb_fill_vmsave_state(vmcb, 3);
	kvm_vmcb_fill_vmsave_state(start, 3);
	kvm_vmcb_fill_vmsave_state(src, 4);
	memset(dst, 0xaa, sizeof(*dst));

	kvm_svm_vmrun(vcpu);

	if (vmcb->exitcode != SVM_EXIT_HLT)
		KVM_SVM_BRK_UNEXPECTED_EXIT(vmcb);

	check_state("Nested guest registers after VMRUN", seen_start, start);
	check_state("Nested guest registers after VMLOAD", seen_loaded, src);
	check_state("Nested guest VMSAVE after VMLOAD", dst, src);
	/* kvm_svm_vmrun() saved the state the nested guest left behind */
	check_state("Parent VMSAVE after #VMEXIT", vmcb, src);
}

void main(void)
{
	struct kvm_vmcb *orig;

	kvm_init_svm();
	orig = kvm_alloc_vmcb();
	start = kvm_alloc_vmcb();
	src = kvm_alloc_vmcb();
	dst = kvm_alloc_vmcb();
	seen_start = kvm_alloc_vmcb();
	seen_loaded = kvm_alloc_vmcb();

	kvm_svm_vmsave(orig);
	test_parent(orig);
	test_nested();
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
	.supported_archs = (const char *const []) {"x86_64", NULL}
};

#endif /* COMPILE_PAYLOAD */
