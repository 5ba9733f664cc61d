// SPDX-License-Identifier: GPL-2.0-or-later
/* A guest that halts forever without a result: LTP's timeout ends it. */
#include "kvm_test.h"

void main(void)
{
	for (;;)
		asm volatile("hlt");
}
