// SPDX-License-Identifier: GPL-2.0-or-later
/* The smallest payload: one TPASS. */
#include "kvm_test.h"

void main(void)
{
	tst_res(TPASS, "Hello, world!");
}
