// SPDX-License-Identifier: GPL-2.0-or-later
/* An unhandled #PF is one library TBROK naming the fault, RIP and CR2. */
#include "kvm_test.h"

/* Inside the unmapped 2-3 GiB of the guest address space */
#define UNMAPPED_ADDR 0x80000000UL

void main(void)
{
	struct kvm_cregs cregs;

	/* i386 payloads run unpaged on KVMs that refuse 32-bit paging */
	kvm_read_cregs(&cregs);
	if (!(cregs.cr0 & CR0_PG))
		tst_brk(TCONF, "Paging is off: no page faults");

	*(volatile uint32_t *)UNMAPPED_ADDR = 1;
	tst_res(TFAIL, "Write to unmapped 0x%lx did not fault", UNMAPPED_ADDR);
}
