// SPDX-License-Identifier: GPL-2.0-or-later
/* The segment-descriptor helpers over kvm_gdt[]: set/parse round trips,
 * the free-entry search, and a stack segment the CPU accepts in SS. */
#include "kvm_test.h"

static void check_round_trip(const char *what, uint64_t base, uint32_t limit,
	unsigned int flags, uint64_t expected_base)
{
	struct segment_descriptor desc[2] = {};
	uint64_t got_base;
	uint32_t got_limit;
	unsigned int got_flags;

	kvm_set_segment_descriptor(desc, base, limit, flags);
	kvm_parse_segment_descriptor(desc, &got_base, &got_limit, &got_flags);

	if (got_base != expected_base || got_limit != limit ||
	    got_flags != flags) {
		tst_res(TFAIL, "%s: base 0x%llx limit 0x%x flags 0x%x, "
			"expected 0x%llx 0x%x 0x%x", what,
			(unsigned long long)got_base, got_limit, got_flags,
			(unsigned long long)expected_base, limit, flags);
		return;
	}

	tst_res(TPASS, "%s descriptor round trip", what);
}

static uint16_t read_ss(void)
{
	uint16_t ss;

	asm volatile("mov %%ss, %0" : "=r" (ss));
	return ss;
}

static void load_ss(uint16_t ss)
{
	asm volatile("mov %0, %%ss" : : "r" (ss) : "memory");
}

void main(void)
{
	int index, expected_free;
	unsigned int stack;
	uint16_t old_ss;

	check_round_trip("Code", 0x12345678, 0xfffff, SEGTYPE_CODE |
		SEGFLAG_PRESENT | SEGFLAG_32BIT | SEGFLAG_PAGE_LIMIT,
		0x12345678);
	check_round_trip("Data", 0xabcdef, 0x1234, SEGTYPE_RWDATA |
		SEGFLAG_PRESENT, 0xabcdef);
#ifdef __x86_64__
	/* 64-bit system descriptors keep all 64 base bits */
	check_round_trip("System", 0x123456789abcdef0ULL, 0x67, SEGTYPE_TSS |
		SEGFLAG_PRESENT, 0x123456789abcdef0ULL);
	/* After the user-mode descriptors */
	expected_free = KVM_USER_CS64_SELECTOR / 8 + 1;
#else
	check_round_trip("System", 0x89abcdef, 0x67, SEGTYPE_TSS |
		SEGFLAG_PRESENT, 0x89abcdef);
	expected_free = KVM_TSS_SELECTOR / 8 + 1;
#endif

	index = kvm_find_free_descriptor(kvm_gdt, KVM_GDT_SIZE);
	if (index != expected_free)
		tst_res(TFAIL, "First free GDT entry %d, expected %d", index,
			expected_free);
	else
		tst_res(TPASS, "First free GDT entry is %d", index);

	stack = kvm_create_stack_descriptor(kvm_gdt, KVM_GDT_SIZE,
		(void *)0x1000);
	if ((int)stack != expected_free)
		tst_res(TFAIL, "Stack descriptor at %u, expected %d", stack,
			expected_free);

	/* The CPU checks the descriptor when it is loaded into SS */
	old_ss = read_ss();
	load_ss(stack * 8);
	if (read_ss() != stack * 8)
		tst_res(TFAIL, "SS is 0x%x after loading 0x%x", read_ss(),
			stack * 8);
	load_ss(old_ss);
	tst_res(TPASS, "Stack segment %u loaded into SS", stack);

	if (kvm_find_free_descriptor(kvm_gdt, KVM_GDT_SIZE) == (int)stack)
		tst_res(TFAIL, "The stack descriptor did not take its entry");
}
