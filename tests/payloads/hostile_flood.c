// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * 100,000 results as fast as a guest can post them (written straight to
 * the result page: formatting each would take longer than the timeout on
 * slow KVMs), numbered by their line numbers: every one must be relayed,
 * in order, and the host's memory must not grow with them.
 */
#include "kvm_test.h"

#define RESULTS 100000

void main(void)
{
	volatile struct tst_kvm_result *result = (void *)KVM_RESULT_BASEADDR;
	static const char message[] = "Flood";
	int i;

	result->file_addr = (uintptr_t)__FILE__;
	memcpy((void *)result->message, message, sizeof(message));
	for (i = 0; i < RESULTS; i++) {
		result->lineno = i;
		result->result = TINFO;
		kvm_yield();
	}
	tst_res(TPASS, "Sent %d results", RESULTS);
}
