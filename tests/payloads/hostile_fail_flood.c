// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * TFAIL results without end, each numbered by its line number and as long
 * as a result message can be, until the host stops the guest (timeout or
 * signal): the Summary must count exactly the lines printed, none of them
 * torn.
 */
#include "kvm_test.h"

/* A result line longer than PIPE_BUF: a write to a pipe can stop halfway */
#define MESSAGE_SIZE KVM_RESULT_MESSAGE_SIZE

void main(void)
{
	volatile struct tst_kvm_result *result = (void *)KVM_RESULT_BASEADDR;
	static const char message[] = "Failure from the flood ";
	int i;

	result->file_addr = (uintptr_t)__FILE__;
	memcpy((void *)result->message, message, sizeof(message) - 1);
	memset((char *)result->message + sizeof(message) - 1, 'x',
		MESSAGE_SIZE - sizeof(message));
	result->message[MESSAGE_SIZE - 1] = '\0';
	for (i = 0;; i++) {
		result->lineno = i;
		result->result = TFAIL;
		kvm_yield();
	}
}
