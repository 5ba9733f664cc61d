// SPDX-License-Identifier: GPL-2.0-or-later
/* tst_brk(TCONF) ends the test at once: skipped, exit status 32. */
#include "kvm_test.h"

void main(void)
{
	tst_res(TINFO, "Checking for a feature");
	tst_brk(TCONF, "Feature %s is not supported", "X");
	tst_res(TFAIL, "tst_brk() returned");
}
