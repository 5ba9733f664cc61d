// SPDX-License-Identifier: GPL-2.0-or-later
/* A message with no NUL in the whole result page is a bounded TBROK. */
#include "kvm_test.h"

void main(void)
{
	volatile struct tst_kvm_result *result = (void *)KVM_RESULT_BASEADDR;

	result->lineno = __LINE__;
	result->file_addr = (uintptr_t)__FILE__;
	memset((void *)result->message, 'A', KVM_RESULT_MESSAGE_SIZE);
	result->result = TINFO;
	asm volatile("hlt" ::: "memory");

	tst_res(TFAIL, "The host resumed the guest after an unterminated message");
}
