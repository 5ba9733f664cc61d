// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kvm_pagetable is the top-level page table the guest runs on. Where an
 * i386 payload runs unpaged, touching it ends the test in TCONF.
 */
#include "kvm_test.h"

void main(void)
{
	struct kvm_cregs cregs;

	kvm_read_cregs(&cregs);
	if (!kvm_pagetable[0].present)
		tst_brk(TFAIL, "The first page-table entry is not present");

	if ((cregs.cr3 & ~0xfffUL) != (uintptr_t)kvm_pagetable) {
		tst_res(TFAIL, "CR3 0x%lx is not kvm_pagetable %p", cregs.cr3,
			(void *)kvm_pagetable);
	} else {
		tst_res(TPASS, "CR3 points at kvm_pagetable, whose first entry "
			"is present");
	}
}
