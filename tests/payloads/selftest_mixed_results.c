// SPDX-License-Identifier: GPL-2.0-or-later
/* Results count as in LTP: TFAIL+TWARN exit 5, TCONF beside TPASS adds 0. */
#include "kvm_test.h"

void main(void)
{
	tst_res(TPASS, "A pass");
	tst_res(TFAIL, "A failure");
	tst_res(TWARN, "A warning");
	tst_res(TCONF, "A skipped part");
	tst_res(TDEBUG, "A debug message");	/* shown only with -D */
	tst_res(TINFO, "The end");
}
