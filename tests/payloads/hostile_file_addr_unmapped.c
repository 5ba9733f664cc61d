// SPDX-License-Identifier: GPL-2.0-or-later
/* A file name pointer to unmapped guest memory is a TBROK. */
#include "kvm_test.h"

#if defined(__x86_64__)
/* Far beyond the 4 GiB that the guest page tables map */
# define UNMAPPED_ADDR 0x100000000000UL
#else
/*
 * Inside the unmapped 2-3 GiB; unpaged (KVMs that refuse 32-bit paging),
 * there is no guest memory there either.
 */
# define UNMAPPED_ADDR 0x80000000UL
#endif

void main(void)
{
	tst_res_((const char *)UNMAPPED_ADDR, __LINE__, TPASS,
		 "File name pointer to unmapped memory");
	tst_res(TFAIL, "The host resumed the guest after a bad file name");
}
