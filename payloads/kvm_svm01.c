// SPDX-License-Identifier: GPL-2.0-or-later
/*\
 * AVIC enabled by L1 for a nested guest must not give it access to host
 * memory.
 *
 * CVE-2021-3653
 *
 * KVM took the AVIC enable bit of int_ctl from the VMCB that L1 hands to
 * VMRUN into the VMCB it really runs the nested guest with, while leaving
 * the AVIC page addresses untranslated: they became host physical
 * addresses, so a nested guest could read and write host memory through its
 * APIC. Fixed in kernel commit 0f923e07124d ("KVM: nSVM: avoid picking up
 * unsupported bits from L2 in int_ctl (CVE-2021-3653)").
 *
 * Enable AVIC for a nested guest with both its APIC base and its APIC
 * backing page at physical page 0 (host page 0 holds nothing the host needs,
 * should a vulnerable KVM write there), fill that page of ours, and let the
 * nested guest read and write its APIC error status register. It must read
 * our page, and its write must land in our page or end its run with an AVIC
 * #VMEXIT for that register.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD
#if defined(__x86_64__)

#include "kvm_x86_svm.h"

#define AVIC_PAGE_ADDR 0
#define FILL_VALUE 0xaaaaaaaa
#define WRITE_VALUE 0xec

static volatile uint32_t guest_read_value;

/* Page 0 through a pointer the compiler cannot see is null */
static volatile uint32_t *avic_page(void)
{
	uintptr_t addr = AVIC_PAGE_ADDR;

	__asm__("" : "+r" (addr));
	return (volatile uint32_t *)addr;
}

static int guest_main(void)
{
	volatile uint32_t *esr = avic_page() + AVIC_REG_ESR / 4;

	guest_read_value = *esr;
	*esr = WRITE_VALUE;
	return 0;
}

void main(void)
{
	volatile uint32_t *page, *esr;
	struct kvm_svm_vcpu *vcpu;
	struct kvm_vmcb *vmcb;
	unsigned int i;

	kvm_init_svm();
	vcpu = kvm_create_svm_vcpu(guest_main, 1);
	vmcb = vcpu->vmcb;

	page = avic_page();
	esr = page + AVIC_REG_ESR / 4;

	for (i = 0; i < KVM_PAGE_SIZE / 4; i++)
		page[i] = FILL_VALUE;

	vmcb->virt_intr_ctl |= SVM_INTR_AVIC;
	vmcb->avic_bar = AVIC_PAGE_ADDR;
	vmcb->avic_backing_page = AVIC_PAGE_ADDR;
	guest_read_value = 0;

	kvm_svm_vmrun(vcpu);

	switch (vmcb->exitcode) {
	case SVM_EXIT_HLT:
		if (vmcb->rax)
			tst_brk(TBROK, "The nested guest returned %llu",
				(unsigned long long)vmcb->rax);
		break;

	case SVM_EXIT_AVIC_NOACCEL:
		/* A real nested AVIC may trap the write: it reports it */
		if ((vmcb->exitinfo1 & (AVIC_NOACCEL_WRITE |
		     AVIC_NOACCEL_OFFSET_MASK)) ==
		    (AVIC_NOACCEL_WRITE | AVIC_REG_ESR))
			break;

		/* fall through */
	default:
		KVM_SVM_BRK_UNEXPECTED_EXIT(vmcb);
	}

	if (guest_read_value != FILL_VALUE) {
		tst_res(TFAIL, "The nested guest read 0x%x from its APIC page, "
			"ours holds 0x%x: AVIC let it read host memory",
			guest_read_value, FILL_VALUE);
	} else {
		tst_res(TPASS, "The nested guest read its APIC page from our "
			"memory");
	}

	if (vmcb->exitcode == SVM_EXIT_AVIC_NOACCEL) {
		tst_res(TPASS, "The nested guest's APIC register write caused "
			"an AVIC #VMEXIT");
	} else if (*esr != WRITE_VALUE) {
		tst_res(TFAIL, "The nested guest's APIC register write did not "
			"reach our memory: AVIC redirected it to host memory");
	} else {
		tst_res(TPASS, "The nested guest's APIC register write reached "
			"our memory");
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
	.supported_archs = (const char *const []) {"x86_64", NULL},
	.tags = (struct tst_tag[]) {
		{"linux-git", "0f923e07124df069ba68d8bb12324398f4b6b709"},
		{"CVE", "2021-3653"},
		{}
	}
};

#endif /* COMPILE_PAYLOAD */
