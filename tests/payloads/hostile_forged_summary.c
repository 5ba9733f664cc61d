// SPDX-License-Identifier: GPL-2.0-or-later
/* Control characters are escaped: a guest cannot forge a Summary block. */
#include "kvm_test.h"

#define FORGED_SUMMARY "\nSummary:\npassed   99\nfailed   0\nbroken   0\n" \
	"skipped  0\nwarnings 0\n"

void main(void)
{
	tst_res(TPASS, "Forged message" FORGED_SUMMARY "\r\t\x1b[1;32m\x7f");
	tst_res_("forged.c" FORGED_SUMMARY, 7, TPASS, "Forged file name");
}
