// SPDX-License-Identifier: GPL-2.0-or-later
/* A file name pointer the guest page tables do not map is a TBROK. */
#include "kvm_test.h"

#if defined(__x86_64__)

/* Far beyond the 4 GiB that the guest page tables map */
#define UNMAPPED_ADDR 0x100000000000UL

void main(void)
{
	tst_res_((const char *)UNMAPPED_ADDR, __LINE__, TPASS,
		 "File name pointer to unmapped memory");
	tst_res(TFAIL, "The host resumed the guest after a bad file name");
}

#else /* defined(__x86_64__) */
TST_TEST_TCONF("Test supported only on x86_64");
#endif /* defined(__x86_64__) */
