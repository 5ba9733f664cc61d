// SPDX-License-Identifier: GPL-2.0-or-later
/*\
 * VMREAD and VMWRITE access the current VMCS, and a nested guest's access
 * the shadow VMCS.
 *
 * Functional test of VMREAD and VMWRITE: they access the current VMCS and
 * no other, store each field with its width, and fail as the SDM says on
 * read-only and unsupported fields. With VMCS shadowing, a nested guest's
 * VMREAD and VMWRITE access the shadow VMCS that L1 linked, not L1's
 * current VMCS.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD
#if defined(__x86_64__)

#include "kvm_x86_vmx.h"

#define VMCS_FIELD(id, guest_state) {id, #id, guest_state}
#define UNSUPPORTED_FIELD 0x0ffe	/* no such 16-bit host-state field */
#define ERR_UNSUPPORTED 12
#define ERR_READ_ONLY 13

static const struct vmcs_field {
	unsigned long id;
	const char *name;
	int guest_state;	/* VM exits overwrite it */
} fields[] = {
	VMCS_FIELD(VMX_VMCS_GUEST_LDTR, 1),
	VMCS_FIELD(VMX_VMCS_HOST_FS, 0),
	VMCS_FIELD(VMX_VMCS_GUEST_ES_LIMIT, 1),
	VMCS_FIELD(VMX_VMCS_VMENTRY_EXC, 0),
	VMCS_FIELD(VMX_VMCS_TSC_OFFSET, 0),
	VMCS_FIELD(VMX_VMCS_IOBITMAP_B, 0),
	VMCS_FIELD(VMX_VMCS_CR0_SHADOW, 0),
	VMCS_FIELD(VMX_VMCS_GUEST_RIP, 1),
	VMCS_FIELD(VMX_VMCS_HOST_GS_BASE, 0),
};

#define FIELD_COUNT ARRAY_SIZE(fields)

/* What the nested guest saw: VMREAD results, VMREAD and VMWRITE status */
static uint64_t guest_read[FIELD_COUNT];
static int guest_read_ret[FIELD_COUNT], guest_write_ret[FIELD_COUNT];

/* A value for field i unique to seed, all 64 bits of it used */
static uint64_t field_value(unsigned int i, unsigned int seed)
{
	return 0x0123456789abcdefULL * seed + 0x1111111111111111ULL * (i + 1);
}

/* value as the field stores it: 16-bit and 32-bit fields drop the rest */
static uint64_t field_cut(unsigned long id, uint64_t value)
{
	switch (id & VMX_VMCSFIELD_SIZE_MASK) {
	case VMX_VMCSFIELD_16BIT:
		return value & 0xffff;
	case VMX_VMCSFIELD_32BIT:
		return value & 0xffffffff;
	default:
		return value;
	}
}

static void write_fields(unsigned int seed)
{
	unsigned int i;

	for (i = 0; i < FIELD_COUNT; i++)
		kvm_vmx_vmwrite(fields[i].id, field_value(i, seed));
}

/* Compare the current VMCS with the values of seed; report mismatches */
static int check_fields(const char *what, unsigned int seed)
{
	unsigned int i;
	uint64_t val, exp;
	int ret = 0;

	for (i = 0; i < FIELD_COUNT; i++) {
		val = kvm_vmx_vmread(fields[i].id);
		exp = field_cut(fields[i].id, field_value(i, seed));

		if (val != exp) {
			tst_res(TINFO, "%s: %s is 0x%llx, expected 0x%llx", what,
				fields[i].name, (unsigned long long)val,
				(unsigned long long)exp);
			ret++;
		}
	}

	return ret;
}

static void report(int failures, const char *msg)
{
	if (failures)
		tst_res(TFAIL, "%s: wrong value(s)", msg);
	else
		tst_res(TPASS, "%s", msg);
}

static void test_failures(void)
{
	uint64_t val;
	int ret;

	/* Writable read-only fields are an optional feature */
	ret = kvm_vmx_vmwrite_raw(VMX_VMCS_EXIT_REASON, 0x1234);

	if (kvm_rdmsr(MSR_IA32_VMX_MISC) & IA32_VMXMISC_VMWRITE_ALL) {
		if (ret || kvm_vmx_vmread(VMX_VMCS_EXIT_REASON) != 0x1234)
			tst_res(TFAIL, "VMWRITE to a read-only field failed "
				"although IA32_VMX_MISC allows it");
		else
			tst_res(TPASS, "VMWRITE to a read-only field works as "
				"IA32_VMX_MISC allows");
	} else if (ret != VMX_FAIL_VALID ||
		   kvm_vmx_inst_errno() != ERR_READ_ONLY) {
		tst_res(TFAIL, "VMWRITE to a read-only field returned %d (%s)",
			ret, kvm_vmx_inst_err());
	} else {
		tst_res(TPASS, "VMWRITE to a read-only field fails: %s",
			kvm_vmx_inst_err());
	}

	ret = kvm_vmx_vmread_raw(UNSUPPORTED_FIELD, &val);

	if (ret != VMX_FAIL_VALID || kvm_vmx_inst_errno() != ERR_UNSUPPORTED) {
		tst_res(TFAIL, "VMREAD of an unsupported field returned %d (%s)",
			ret, kvm_vmx_inst_err());
	} else {
		tst_res(TPASS, "VMREAD of an unsupported field fails: %s",
			kvm_vmx_inst_err());
	}
}

static void test_current_vmcs(void)
{
	struct kvm_vmcs *vmcs_a = kvm_alloc_vmcs();
	struct kvm_vmcs *vmcs_b = kvm_alloc_vmcs();
	uint64_t val, exp;
	unsigned int i;

	kvm_vmx_vmclear(vmcs_a);
	kvm_vmx_vmclear(vmcs_b);
	kvm_vmx_vmptrld(vmcs_a);

	if (kvm_vmx_vmptrst() != (uintptr_t)vmcs_a)
		tst_res(TFAIL, "VMPTRST does not return the VMCS VMPTRLD loaded");

	write_fields(1);
	report(check_fields("VMCS A", 1),
		"VMREAD returns what VMWRITE stored, cut to the field width");

	/* The high half of a 64-bit field has its own encoding */
	for (i = 0; i < FIELD_COUNT; i++) {
		if ((fields[i].id & VMX_VMCSFIELD_SIZE_MASK) !=
		    VMX_VMCSFIELD_64BIT)
			continue;

		val = kvm_vmx_vmread(fields[i].id | VMX_VMCSFIELD_HIGH);
		exp = field_value(i, 1) >> 32;

		if (val != exp) {
			tst_res(TFAIL, "VMREAD of the high half of %s returned "
				"0x%llx, expected 0x%llx", fields[i].name,
				(unsigned long long)val,
				(unsigned long long)exp);
		} else {
			tst_res(TPASS, "VMREAD of the high half of %s works",
				fields[i].name);
		}
	}

	kvm_vmx_vmptrld(vmcs_b);
	write_fields(2);
	report(check_fields("VMCS B", 2), "VMWRITE to another VMCS works");
	kvm_vmx_vmptrld(vmcs_a);
	report(check_fields("VMCS A after writing B", 1),
		"VMWRITE to another VMCS leaves the first one intact");

	test_failures();
}

/* In the nested guest: VMREAD and VMWRITE go to the shadow VMCS */
static int guest_main(void)
{
	unsigned int i;

	for (i = 0; i < FIELD_COUNT; i++)
		guest_read_ret[i] = kvm_vmx_vmread_raw(fields[i].id,
			guest_read + i);

	for (i = 0; i < FIELD_COUNT; i++)
		guest_write_ret[i] = kvm_vmx_vmwrite_raw(fields[i].id,
			field_value(i, 4));

	return 0;
}

static void test_shadow_vmcs(void)
{
	uint64_t mask2 = kvm_vmx_read_vmctl_mask(VMX_CTLMASK_EXECCTL2);
	uint64_t saved[FIELD_COUNT], reason;
	struct kvm_vmx_vcpu *vcpu;
	struct kvm_vmcs *shadow;
	void *bitmap;
	unsigned int i;
	int failures = 0;

	if (!(mask2 >> 32 & VMX_EXECCTL2_SHADOW_VMCS)) {
		tst_res(TCONF, "CPU does not support VMCS shadowing");
		return;
	}

	/* The shadow VMCS holds the values of seed 3 */
	shadow = kvm_alloc_vmcs();
	shadow->version |= VMX_SHADOW_VMCS;
	kvm_vmx_vmclear(shadow);
	kvm_vmx_vmptrld(shadow);
	write_fields(3);
	kvm_vmx_vmclear(shadow);

	/* Zeroed bitmaps: no VMREAD or VMWRITE causes a VM exit */
	bitmap = memzero(tst_heap_alloc_aligned(2 * KVM_PAGE_SIZE,
		KVM_PAGE_SIZE), 2 * KVM_PAGE_SIZE);
	vcpu = kvm_create_vmx_vcpu(guest_main, 1);
	kvm_vmx_vmwrite(VMX_VMCS_VMEXEC_CTL,
		kvm_vmx_vmread(VMX_VMCS_VMEXEC_CTL) | VMX_EXECCTL_ENABLE_CTL2);
	kvm_vmx_vmwrite(VMX_VMCS_VMEXEC_CTL2,
		VMX_EXECCTL2_SHADOW_VMCS | (uint32_t)mask2);
	kvm_vmx_vmwrite(VMX_VMCS_VMREAD_BITMAP, (uintptr_t)bitmap);
	kvm_vmx_vmwrite(VMX_VMCS_VMWRITE_BITMAP,
		(uintptr_t)bitmap + KVM_PAGE_SIZE);
	kvm_vmx_vmwrite(VMX_VMCS_LINK_POINTER, (uintptr_t)shadow);

	kvm_vmx_activate_vcpu(vcpu);

	for (i = 0; i < FIELD_COUNT; i++)
		saved[i] = kvm_vmx_vmread(fields[i].id);

	kvm_vmx_vmrun(vcpu);
	reason = kvm_vmx_vmread(VMX_VMCS_EXIT_REASON) & VMX_EXIT_REASON_MASK;

	if (reason != VMX_EXIT_HLT) {
		tst_brk(TBROK, "Nested guest exited unexpectedly: reason %llu, "
			"qualification 0x%llx, RIP 0x%llx",
			(unsigned long long)reason, (unsigned long long)
			kvm_vmx_vmread(VMX_VMCS_EXIT_QUALIFICATION),
			(unsigned long long)kvm_vmx_vmread(VMX_VMCS_GUEST_RIP));
	}

	for (i = 0; i < FIELD_COUNT; i++) {
		uint64_t exp = field_cut(fields[i].id, field_value(i, 3));

		if (guest_read_ret[i] || guest_read[i] != exp) {
			tst_res(TINFO, "Nested guest: VMREAD of %s returned %d, "
				"value 0x%llx, expected 0x%llx", fields[i].name,
				guest_read_ret[i],
				(unsigned long long)guest_read[i],
				(unsigned long long)exp);
			failures++;
		}

		if (guest_write_ret[i]) {
			tst_res(TINFO, "Nested guest: VMWRITE of %s returned %d",
				fields[i].name, guest_write_ret[i]);
			failures++;
		}

		/* The current VMCS must be untouched */
		if (!fields[i].guest_state &&
		    kvm_vmx_vmread(fields[i].id) != saved[i]) {
			tst_res(TINFO, "Current VMCS: %s changed from 0x%llx to "
				"0x%llx", fields[i].name,
				(unsigned long long)saved[i],
				(unsigned long long)
				kvm_vmx_vmread(fields[i].id));
			failures++;
		}
	}

	report(failures, "Nested guest VMREAD/VMWRITE use the shadow VMCS");

	kvm_vmx_vmptrld(shadow);
	report(check_fields("Shadow VMCS", 4),
		"Nested guest VMWRITE changed the shadow VMCS");
	kvm_vmx_vmclear(shadow);
}

void main(void)
{
	kvm_set_vmx_state(1);
	test_current_vmcs();
	test_shadow_vmcs();
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
	.supported_archs = (const char *const []) {"x86_64", NULL}
};

#endif /* COMPILE_PAYLOAD */
