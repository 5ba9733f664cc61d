// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (c) 2026 ltpkvm authors
 */

/*\
 * LTP-style fixture that fails, to show LTP's hints for its tags.
 *
 * The guest always reports TFAIL: the run prints the HINT lines for the
 * kernel commits and the CVE its struct tst_test names.
 */

#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD
#if defined(__x86_64__)

void main(void)
{
	tst_res(TFAIL, "This fixture always fails");
}

#else /* defined(__x86_64__) */
TST_TEST_TCONF("Test supported only on x86_64");
#endif /* defined(__x86_64__) */

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.min_cpus = 2,
	.supported_archs = (const char *const []) {
		"x86_64",
		NULL
	},
	.tags = (struct tst_tag[]){
		{"linux-git", "fedcba9876543210fedcba9876543210fedcba98"},
		{"linux-git", "00112233aabb"},
		{"CVE", "2099-0002"},
		{}
	}
};

#endif /* COMPILE_PAYLOAD */
