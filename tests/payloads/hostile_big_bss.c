// SPDX-License-Identifier: GPL-2.0-or-later
/* A payload larger than the default RAM: the host grows RAM with a TWARN. */
#include "kvm_test.h"

#define BIG_SIZE (64 << 20)

static char big[BIG_SIZE];

void main(void)
{
	volatile char *last = big + BIG_SIZE - 1;

	*last = 42;
	if (*last == 42)
		tst_res(TPASS, "The last byte of a 64 MiB .bss is RAM");
	else
		tst_res(TFAIL, "The last byte of a 64 MiB .bss is not RAM");
}
