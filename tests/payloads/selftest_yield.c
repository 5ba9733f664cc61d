// SPDX-License-Identifier: GPL-2.0-or-later
/* kvm_yield() exits are silent and keep the results in order. */
#include "kvm_test.h"

#define ROUNDS 3
#define YIELDS 1000

void main(void)
{
	int round, i;

	for (round = 1; round <= ROUNDS; round++) {
		for (i = 0; i < YIELDS; i++)
			kvm_yield();

		tst_res(TINFO, "Round %d: %d yields", round, YIELDS);
	}

	tst_res(TPASS, "Resumed after %d yields", ROUNDS * YIELDS);
}
