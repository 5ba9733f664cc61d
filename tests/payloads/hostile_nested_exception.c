// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * An exception callback that faults itself: the nested #UD is not handed
 * back to the callback (the nesting guard), the default handler reports it.
 */
#include "kvm_test.h"

static int fault_again(void *userdata, struct kvm_interrupt_frame *ifrm,
	unsigned long errcode)
{
	asm volatile("ud2");
	return 0;
}

void main(void)
{
	tst_set_interrupt_callback(INTR_BAD_OPCODE, fault_again, NULL);
	asm volatile("ud2");
	tst_res(TFAIL, "The guest survived an exception in its callback");
}
