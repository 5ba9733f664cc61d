// SPDX-License-Identifier: GPL-2.0-or-later
/* A guest that spins after signalling the host: the host's hook
 * (host_eintr.py) interrupts the vCPU thread and expects EINTR. */
#include "kvm_test.h"

void main(void)
{
	tst_signal_host(NULL);

	for (;;)
		;
}
