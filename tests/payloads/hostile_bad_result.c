// SPDX-License-Identifier: GPL-2.0-or-later
/* A result value that is no result type (0x1234) is a TBROK. */
#include "kvm_test.h"

void main(void)
{
	tst_res_(__FILE__, __LINE__, 0x1234, "A result type that does not exist");
	tst_res(TFAIL, "The host resumed the guest after an invalid result");
}
