// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A .bss that ends past the result page (0xfffff000): the payload cannot
 * be loaded; the host says so instead of mapping RAM over the result page.
 */
#include "kvm_test.h"

/* From about 64 KiB to past 0xfffff000 (one object may not exceed 2 GiB
 * on i386); never touched */
#define HALF 0x7ffff000UL
char huge_low[HALF], huge_high[HALF];

void main(void)
{
	tst_res(TFAIL, "A payload larger than the guest address space ran");
}
