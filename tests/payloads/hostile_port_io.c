// SPDX-License-Identifier: GPL-2.0-or-later
/* A port I/O write is a KVM_EXIT_IO TBROK naming the port. */
#include "kvm_test.h"

void main(void)
{
	asm volatile("outb %%al, $0x80" : : "a" (0x42));
	tst_res(TFAIL, "The host resumed the guest after port I/O");
}
