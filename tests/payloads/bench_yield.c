// SPDX-License-Identifier: GPL-2.0-or-later
/* Benchmark guest: BENCH_YIELDS exits to the host that report nothing,
 * then one TPASS. */
#include "kvm_test.h"

#define BENCH_YIELDS 100000

void main(void)
{
	int i;

	for (i = 0; i < BENCH_YIELDS; i++)
		kvm_yield();

	tst_res(TPASS, "%d yields", BENCH_YIELDS);
}
