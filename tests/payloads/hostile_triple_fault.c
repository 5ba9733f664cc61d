// SPDX-License-Identifier: GPL-2.0-or-later
/* A triple fault is a KVM_EXIT_SHUTDOWN TBROK. */
#include "kvm_test.h"

void main(void)
{
	struct {
		uint16_t limit;
		uintptr_t base;
	} __attribute__((packed)) empty_idt = {0, 0};

	/* #UD cannot be delivered, nor the #GP, nor the #DF that follow */
	asm volatile("lidt %0\n\tud2" : : "m" (empty_idt));
	tst_res(TFAIL, "The guest survived a triple fault");
}
