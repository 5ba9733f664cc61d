// SPDX-License-Identifier: GPL-2.0-or-later
/* Guest-host signalling: the guest waits in tst_wait_host() with data for
 * the host, whose hook (host_signal.py) checks it and releases the guest. */
#include "kvm_test.h"

static const char greeting[] = "ping from the guest";

void main(void)
{
	tst_res(TINFO, "Waiting for the host");
	tst_wait_host((void *)greeting);
	tst_res(TPASS, "The host released the guest");
}
