// SPDX-License-Identifier: GPL-2.0-or-later
/* What the host said about forced emulation: TINFO when on, TCONF if off. */
#include "kvm_test.h"

void main(void)
{
	kvm_require_fep();
	tst_res(TINFO, "The host enables forced emulation");
}
