// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Results with LTP's TERRNO (0x100), TTERRNO (0x200) and TRERRNO (0x400)
 * bits set count as their base type, as LTP's host masks them.
 */
#include "kvm_test.h"

void main(void)
{
	tst_res(TPASS | 0x100, "Passed with TERRNO");
	tst_res(TINFO | 0x200, "Information with TTERRNO");
	tst_res(TPASS | 0x700, "Passed with all three");
}
