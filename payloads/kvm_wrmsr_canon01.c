// SPDX-License-Identifier: GPL-2.0-or-later
/*\
 * WRMSR of a non-canonical address to an MSR that holds a linear address
 * must raise #GP(0) in the guest and leave the MSR as it was.
 *
 * CVE-2014-3610
 *
 * KVM let a guest kernel write non-canonical values to FS_BASE, GS_BASE,
 * KERNEL_GS_BASE, LSTAR, CSTAR and the SYSENTER MSRs; loading them into
 * the real MSRs then faulted in the host (a host crash, or a WARN).
 * Fixed in kernel commit 854e8bb1aa06 ("KVM: x86: Check non-canonical
 * addresses upon WRMSR").
 *
 * At CPL 0, each MSR first takes a canonical value (it must read back),
 * then two non-canonical ones (one non-canonical with 48-bit and 57-bit
 * linear addresses alike, one with 48-bit only where the guest lacks
 * LA57). FS_BASE, GS_BASE, KERNEL_GS_BASE, LSTAR and CSTAR must #GP(0)
 * and keep the canonical value; SYSENTER_EIP and SYSENTER_ESP may take
 * the value as Intel CPUs do (#GP) or keep it canonicalised as AMD CPUs do
 * (KVM since 5.x canonicalises), but never hold a non-canonical value.
 * A WARN or oops in the host's log during the test is a TFAIL too.
 *
 * TPASS: every write was refused (or canonicalised). TFAIL: an MSR holds a
 * non-canonical address.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD
#if defined(__x86_64__)

#include "kvm_x86_user.h"

#define CANONICAL 0x00007fffdead0000ULL
/* Non-canonical whether linear addresses have 48 or 57 bits */
#define NONCANONICAL_ANY 0xdead000000000000ULL
/* Non-canonical with 48 bits only: bit 47 set, bits 63-48 clear */
#define NONCANONICAL_48 0x0000800000001000ULL
#define X86_FEATURE_LA57 (1 << 16)	/* CPUID 7, ECX */

struct msr_case {
	const char *name;
	unsigned int msr;
	int may_canonicalise;	/* SYSENTER_EIP/ESP */
};

static const struct msr_case cases[] = {
	{"FS_BASE", MSR_FS_BASE, 0},
	{"GS_BASE", MSR_GS_BASE, 0},
	{"KERNEL_GS_BASE", MSR_KERNEL_GS_BASE, 0},
	{"LSTAR", MSR_LSTAR, 0},
	{"CSTAR", MSR_CSTAR, 0},
	{"SYSENTER_EIP", MSR_SYSENTER_EIP, 1},
	{"SYSENTER_ESP", MSR_SYSENTER_ESP, 1},
};

static unsigned int address_bits;

static int is_canonical(uint64_t value)
{
	int64_t shifted = (int64_t)(value << (64 - address_bits));

	return (uint64_t)(shifted >> (64 - address_bits)) == value;
}

/* WRMSR, with its exception caught; 1 if it raised #GP(0) */
static int write_msr(unsigned int msr, uint64_t value,
	struct kvm_exception_record *rec)
{
	kvm_catch_exceptions(rec);
	__asm__ volatile(KVM_CATCH_INSN("wrmsr")
		: : "c" (msr), "a" ((uint32_t)value),
		  "d" ((uint32_t)(value >> 32)) : "memory");
	kvm_catch_exceptions(NULL);
	return rec->count;
}

static void check_noncanonical(const struct msr_case *mc, uint64_t value)
{
	struct kvm_exception_record rec;
	uint64_t now;
	char what[80];

	snprintf(what, sizeof(what), "WRMSR %s, 0x%llx", mc->name, value);

	/* The negative control writes a canonical value and expects #GP */
#ifdef NEGATIVE_CONTROL
	value = CANONICAL + 0x1000;
#endif
	write_msr(mc->msr, value, &rec);
	now = kvm_rdmsr(mc->msr);

	if (!rec.count && mc->may_canonicalise && is_canonical(now)) {
		tst_res(TPASS, "%s: canonicalised to 0x%llx", what, now);
		return;
	}

	if (!kvm_exception_is(what, &rec, INTR_GPF, 0, 0))
		return;

	if (now != CANONICAL) {
		tst_res(TFAIL, "%s raised #GP but the MSR holds 0x%llx", what,
			now);
		return;
	}

	tst_res(TPASS, "%s: #GP(0), the MSR kept 0x%llx", what, now);
}

static void check_msr(const struct msr_case *mc)
{
	struct kvm_exception_record rec;
	uint64_t saved = kvm_rdmsr(mc->msr);

	if (write_msr(mc->msr, CANONICAL, &rec) ||
	    kvm_rdmsr(mc->msr) != CANONICAL) {
		tst_res(TFAIL, "WRMSR %s, 0x%llx (canonical): %s", mc->name,
			CANONICAL, rec.count ? "faulted" : "did not stick");
	} else {
		check_noncanonical(mc, NONCANONICAL_ANY);
		if (address_bits == 48)
			check_noncanonical(mc, NONCANONICAL_48);
	}

	kvm_wrmsr(mc->msr, saved);
}

void main(void)
{
	struct kvm_cpuid cpuid;
	unsigned int i;

	kvm_get_cpuid(7, 0, &cpuid);
	address_bits = cpuid.ecx & X86_FEATURE_LA57 ? 57 : 48;
	tst_res(TINFO, "Linear addresses have %u bits", address_bits);

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		check_msr(&cases[i]);
}

#else /* defined(__x86_64__) */
TST_TEST_TCONF("Test supported only on x86_64");
#endif /* defined(__x86_64__) */

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.needs_root = 1,
	.needs_drivers = (const char *const []) {"kvm", NULL},
	.supported_archs = (const char *const []) {"x86_64", NULL},
	.tags = (struct tst_tag[]) {
		{"linux-git", "854e8bb1aa06c578c2c9145fa6bfe3680ef63b23"},
		{"CVE", "2014-3610"},
		{}
	}
};

#endif /* COMPILE_PAYLOAD */
