// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * TFAIL results without end, each numbered by its line number, until the
 * host stops the guest (timeout or signal): the Summary must count exactly
 * the lines printed, none of them torn.
 */
#include "kvm_test.h"

void main(void)
{
	volatile struct tst_kvm_result *result = (void *)KVM_RESULT_BASEADDR;
	static const char message[] = "Failure from the flood";
	int i;

	result->file_addr = (uintptr_t)__FILE__;
	memcpy((void *)result->message, message, sizeof(message));
	for (i = 0;; i++) {
		result->lineno = i;
		result->result = TFAIL;
		kvm_yield();
	}
}
