// SPDX-License-Identifier: GPL-2.0-or-later
/* A write to mapped memory that is not RAM is a KVM_EXIT_MMIO TBROK. */
#include "kvm_test.h"

/* Above the end of guest RAM, mapped by the guest page tables if paged */
#define NO_RAM_ADDR 0x7ff00000UL

void main(void)
{
	*(volatile uint32_t *)NO_RAM_ADDR = 0xdeadbeef;
	tst_res(TFAIL, "The host resumed the guest after an MMIO write");
}
