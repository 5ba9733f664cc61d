// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tst_signal_host() with no host waiter: the signal is ignored, even when
 * the guest halts with it pending, and the guest goes on.
 */
#include "kvm_test.h"

static const char data[] = "nobody reads this";

void main(void)
{
	tst_signal_host((void *)data);
	kvm_yield();
	tst_signal_host(NULL);
	tst_res(TPASS, "Guest went on after signalling a host that does not wait");
}
