// SPDX-License-Identifier: GPL-2.0-or-later
/*\
 * A nested guest's APIC accesses are virtualised with the APIC-access and
 * virtual-APIC pages L1 chose.
 *
 * APIC virtualisation in a nested guest. L1 sets "virtualize APIC accesses"
 * and "use TPR shadow" with an APIC-access page and a virtual-APIC page of
 * its choosing. The nested guest's accesses to the APIC-access page must be
 * virtualised with L1's pages: a TPR read returns the virtual TPR from the
 * virtual-APIC page, a TPR write changes that and not the APIC-access page,
 * and a read of another APIC register ends the run with an APIC-access VM
 * exit that names the register.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD
#if defined(__x86_64__)

#include "kvm_x86_vmx.h"

#define APIC_REG_VERSION 0x30
#define APIC_REG_TPR 0x80
#define ACCESS_PAGE_FILL 0xa5a5a5a5
#define VIRT_PAGE_FILL 0x5a5a5a5a
#define VIRT_TPR 0x40
#define GUEST_TPR 0x20

static volatile uint32_t *apic_access, *virt_apic;
static volatile uint32_t guest_tpr;
static volatile int guest_step;

static volatile uint32_t *alloc_filled_page(uint32_t fill)
{
	uint32_t *ret = tst_heap_alloc_aligned(KVM_PAGE_SIZE, KVM_PAGE_SIZE);
	unsigned int i;

	for (i = 0; i < KVM_PAGE_SIZE / 4; i++)
		ret[i] = fill;

	return ret;
}

static int guest_main(void)
{
	guest_tpr = apic_access[APIC_REG_TPR / 4];
	guest_step = 1;
	apic_access[APIC_REG_TPR / 4] = GUEST_TPR;
	guest_step = 2;
	/* Not virtualised without APIC-register virtualisation: VM exit */
	(void)apic_access[APIC_REG_VERSION / 4];
	guest_step = 3;

	return 0;
}

void main(void)
{
	uint64_t mask, mask2, reason, qual;
	struct kvm_vmx_vcpu *vcpu;

	kvm_set_vmx_state(1);
	mask = kvm_vmx_read_vmctl_mask(VMX_CTLMASK_EXECCTL);
	mask2 = kvm_vmx_read_vmctl_mask(VMX_CTLMASK_EXECCTL2);

	if (!(mask >> 32 & VMX_EXECCTL_TPR_SHADOW) ||
	    !(mask2 >> 32 & VMX_EXECCTL2_VIRT_APIC))
		tst_brk(TCONF, "CPU does not support APIC access virtualization");

	apic_access = alloc_filled_page(ACCESS_PAGE_FILL);
	virt_apic = alloc_filled_page(VIRT_PAGE_FILL);
	virt_apic[APIC_REG_TPR / 4] = VIRT_TPR;

	vcpu = kvm_create_vmx_vcpu(guest_main, 1);
	kvm_vmx_vmwrite(VMX_VMCS_VMEXEC_CTL,
		kvm_vmx_vmread(VMX_VMCS_VMEXEC_CTL) | VMX_EXECCTL_TPR_SHADOW |
		VMX_EXECCTL_ENABLE_CTL2);
	kvm_vmx_vmwrite(VMX_VMCS_VMEXEC_CTL2,
		VMX_EXECCTL2_VIRT_APIC | (uint32_t)mask2);
	kvm_vmx_vmwrite(VMX_VMCS_APIC_ACCESS_POINTER, (uintptr_t)apic_access);
	kvm_vmx_vmwrite(VMX_VMCS_VIRT_APIC_POINTER, (uintptr_t)virt_apic);
	/* No TPR-below-threshold VM exit after the TPR write */
	kvm_vmx_vmwrite(VMX_VMCS_TPR_THRESHOLD, 0);

	kvm_vmx_vmrun(vcpu);
	reason = kvm_vmx_vmread(VMX_VMCS_EXIT_REASON) & VMX_EXIT_REASON_MASK;
	qual = kvm_vmx_vmread(VMX_VMCS_EXIT_QUALIFICATION);

	if (guest_step < 2) {
		tst_res(TFAIL, "TPR access ended the nested guest's run: exit "
			"reason %llu, qualification 0x%llx",
			(unsigned long long)reason, (unsigned long long)qual);
		return;
	}

	if (guest_tpr == VIRT_TPR) {
		tst_res(TPASS, "TPR read returned the virtual TPR");
	} else {
		tst_res(TFAIL, "TPR read returned 0x%x, the virtual TPR is 0x%x%s",
			guest_tpr, VIRT_TPR, guest_tpr == ACCESS_PAGE_FILL ?
			" (the APIC-access page's memory)" : "");
	}

	if ((virt_apic[APIC_REG_TPR / 4] & 0xff) != GUEST_TPR) {
		tst_res(TFAIL, "TPR write did not reach the virtual-APIC page "
			"(virtual TPR 0x%x)", virt_apic[APIC_REG_TPR / 4]);
	} else if (apic_access[APIC_REG_TPR / 4] != ACCESS_PAGE_FILL) {
		tst_res(TFAIL, "TPR write changed the APIC-access page");
	} else {
		tst_res(TPASS, "TPR write went to the virtual-APIC page");
	}

	if (reason == VMX_EXIT_APIC_ACCESS &&
	    (qual & VMX_APIC_ACCESS_OFFSET_MASK) == APIC_REG_VERSION &&
	    VMX_APIC_ACCESS_TYPE(qual) == VMX_APIC_ACCESS_LINEAR_READ) {
		tst_res(TPASS, "APIC version read caused an APIC-access VM exit");
	} else if (reason == VMX_EXIT_HLT) {
		tst_res(TFAIL, "APIC version read was not trapped");
	} else {
		tst_res(TFAIL, "APIC version read: exit reason %llu, "
			"qualification 0x%llx, expected %d, 0x%x",
			(unsigned long long)reason, (unsigned long long)qual,
			VMX_EXIT_APIC_ACCESS, APIC_REG_VERSION);
	}
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
