// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (c) 2026 ltpkvm authors
 */

/*\
 * LTP-style fixture that passes: both halves in one source, as LTP's KVM
 * tests are written, with a full struct tst_test.
 *
 * The guest formats a uint64_t with %llx (LTP's guest headers make it an
 * unsigned long long), and reads the CPU's model information: TPASS when
 * both work, TFAIL otherwise.
 */

#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD
#if defined(__i386__) || defined(__x86_64__)

#include "kvm_x86.h"

void main(void)
{
	uint64_t value = 0x123456789abcdef0ULL;
	struct kvm_cpuid buf;
	char text[32];

	kvm_get_cpuid(CPUID_GET_MODEL_INFO, 0, &buf);
	sprintf(text, "%llx", value);

	if (memcmp(text, "123456789abcdef0", 17))
		tst_res(TFAIL, "uint64_t formats as %s", text);
	else if (!buf.eax)
		tst_res(TFAIL, "CPUID %#x returned no model", CPUID_GET_MODEL_INFO);
	else
		tst_res(TPASS, "uint64_t formats as %s, CPU model 0x%x", text,
			buf.eax);
}

#else /* defined(__i386__) || defined(__x86_64__) */
TST_TEST_TCONF("Test supported only on x86");
#endif /* defined(__i386__) || defined(__x86_64__) */

#else /* COMPILE_PAYLOAD */

#define EXTRA_TIMEOUT 10

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.needs_root = 1,
	.min_cpus = 1,
	.timeout = EXTRA_TIMEOUT,
	.needs_kconfigs = (const char *[]) {
		"CONFIG_KVM",
		NULL
	},
	.needs_drivers = (const char *const []) {
		"kvm",
		NULL
	},
	.supported_archs = (const char *const []) {
		"x86_64",
		"x86",
		NULL
	},
	.tags = (struct tst_tag[]){
		{"linux-git", "0123456789abcdef0123456789abcdef01234567"},
		{"CVE", "2099-0001"},
		{}
	}
};

#endif /* COMPILE_PAYLOAD */
