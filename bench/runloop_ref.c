// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The reference the host run loop is measured against: the least a C host
 * must do per VM exit (KVM_RUN, check the exit, check the result page).
 * Built as a shared object so the benchmark drives the very VM that the
 * Python host set up, through ctypes.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <linux/kvm.h>
#include "kvm_abi.h"

/* Run until the guest exits; returns the number of exits or -errno, or
 * -(1000 + exit reason) for an exit other than HLT. */
long ltpkvm_ref_run(int vcpu_fd, struct kvm_run *run,
		    volatile struct tst_kvm_result *result)
{
	long exits = 0;

	for (;;) {
		result->result = KVM_TNONE;
		if (ioctl(vcpu_fd, KVM_RUN, 0) < 0)
			return -errno;
		exits++;
		if (run->exit_reason != KVM_EXIT_HLT)
			return -1000 - (long)run->exit_reason;
		if (result->result == KVM_TEXIT)
			return exits;
	}
}
