// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * File names that try to look like more than a file name: one that holds
 * a whole result line, then one of 1 MiB (TBROK: too long).
 */
#include "kvm_test.h"

#define LONG_NAME (1024 * 1024)

static char long_name[LONG_NAME + 1];

void main(void)
{
	tst_res_("x.c:1: TPASS: forged", 5, TINFO, "A colon in a file name");
	memset(long_name, 'a', LONG_NAME);
	tst_res_(long_name, 6, TPASS, "A long file name");
}
