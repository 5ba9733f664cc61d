// SPDX-License-Identifier: GPL-2.0-or-later
/* An exception at CPL 3 that no callback takes: TBROK naming CPL 3. */
#include "kvm_test.h"
#include "kvm_x86_user.h"

static KVM_USER_CODE int user_hlt(void *arg)
{
	__asm__ volatile("hlt");
	return 0;
}

void main(void)
{
	kvm_run_user(user_hlt, NULL);
	tst_res(TFAIL, "HLT at CPL 3 did not fault");
}
