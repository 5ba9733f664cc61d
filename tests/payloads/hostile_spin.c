// SPDX-License-Identifier: GPL-2.0-or-later
/* A guest that never exits is stopped by LTP's test timeout (TBROK). */
#include "kvm_test.h"

void main(void)
{
	for (;;)
		asm volatile("pause");
}
