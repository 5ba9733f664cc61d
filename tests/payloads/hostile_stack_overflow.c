// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unbounded recursion: the 8 KiB stack overflows into the page tables and
 * the payload below it. However the guest dies, the host reports TBROK.
 */
#include "kvm_test.h"

/* Never reached: keeps the compiler from proving the recursion infinite */
static volatile unsigned long depth_limit = ~0UL;

static unsigned long __attribute__((noinline)) recurse(unsigned long depth)
{
	volatile char frame[64];

	frame[depth % sizeof(frame)] = (char)depth;
	if (depth == depth_limit)
		return 0;
	return recurse(depth + 1) + frame[0];
}

void main(void)
{
	tst_res(TFAIL, "Recursion ended at %lu", recurse(0));
}
