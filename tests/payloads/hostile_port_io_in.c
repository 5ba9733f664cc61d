// SPDX-License-Identifier: GPL-2.0-or-later
/* A port I/O read is a KVM_EXIT_IO TBROK naming the port and size. */
#include "kvm_test.h"

void main(void)
{
	uint32_t value;

	asm volatile("inl %%dx, %%eax" : "=a" (value) : "d" (0x5a5));
	tst_res(TFAIL, "The host resumed the guest after port I/O: 0x%x",
		value);
}
