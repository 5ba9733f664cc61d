// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tst_wait_host() with no host waiter spins forever (nobody clears the
 * signal): LTP's test timeout ends it.
 */
#include "kvm_test.h"

void main(void)
{
	tst_wait_host(NULL);
	tst_res(TFAIL, "Nobody released the guest, yet it went on");
}
