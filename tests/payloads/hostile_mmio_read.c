// SPDX-License-Identifier: GPL-2.0-or-later
/* A read of mapped memory that is not RAM is a KVM_EXIT_MMIO TBROK. */
#include "kvm_test.h"

/* Above the end of guest RAM, mapped by the guest page tables if paged */
#define NO_RAM_ADDR 0x12345678UL

void main(void)
{
	uint32_t value = *(volatile uint32_t *)NO_RAM_ADDR;

	tst_res(TFAIL, "The host resumed the guest after an MMIO read: 0x%x",
		value);
}
