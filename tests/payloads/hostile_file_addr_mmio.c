// SPDX-License-Identifier: GPL-2.0-or-later
/* A file name pointer to mapped memory that is not RAM is a TBROK. */
#include "kvm_test.h"

/* Above the end of guest RAM, mapped by the guest page tables if paged */
#define NO_RAM_ADDR 0x7fff0000UL

void main(void)
{
	tst_res_((const char *)NO_RAM_ADDR, __LINE__, TPASS,
		 "File name pointer to MMIO space");
	tst_res(TFAIL, "The host resumed the guest after a bad file name");
}
