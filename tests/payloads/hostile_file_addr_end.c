// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A file name pointer to the last byte of guest memory (the result page's
 * end), with no NUL before the end: a bounded TBROK, not a read past it.
 */
#include "kvm_test.h"

#define LAST_BYTE 0xffffffffUL

void main(void)
{
	volatile struct tst_kvm_result *result = (void *)KVM_RESULT_BASEADDR;
	static const char message[] = "File name pointer to the last byte";

	result->lineno = __LINE__;
	result->file_addr = LAST_BYTE;
	memcpy((void *)result->message, message, sizeof(message));
	*(volatile char *)LAST_BYTE = 'X';
	result->result = TPASS;
	asm volatile("hlt" ::: "memory");

	tst_res(TFAIL, "The host resumed the guest after a bad file name");
}
