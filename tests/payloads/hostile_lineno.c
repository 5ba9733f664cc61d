// SPDX-License-Identifier: GPL-2.0-or-later
/* Line numbers are the guest's: negative and huge ones are shown as sent. */
#include "kvm_test.h"

void main(void)
{
	tst_res_(__FILE__, INT_MIN, TINFO, "Line INT_MIN");
	tst_res_(__FILE__, -1, TINFO, "Line -1");
	tst_res_(__FILE__, 0, TINFO, "Line 0");
	tst_res_(__FILE__, INT_MAX, TPASS, "Line INT_MAX");
}
