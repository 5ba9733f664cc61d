// SPDX-License-Identifier: GPL-2.0-or-later
/* The guest's tst_res() formats every printf conversion as glibc does. */
#include "kvm_test.h"

/* long and size_t are 64-bit on x86_64 (LP64), 32-bit on i386 (ILP32) */
#define LONG_MIN_ (-__LONG_MAX__ - 1L)
#define LLONG_MIN_ (-__LONG_LONG_MAX__ - 1LL)

void main(void)
{
	char buf[8];
	int len;

	tst_res(TINFO, "int: %d %i %d %d", 0, -1, INT_MAX, INT_MIN);
	tst_res(TINFO, "unsigned: %u %u %x %X", 0u, UINT_MAX, 0xdeadbeefu,
		0xdeadbeefu);
	tst_res(TINFO, "width: [%5d] [%-5d] [%05d] [%05d] [%08x] [%-8X]",
		42, 42, 42, -42, 0xbeefu, 0xbeefu);
	tst_res(TINFO, "long: %ld %ld %lu %lx", LONG_MIN_, __LONG_MAX__,
		ULONG_MAX, (unsigned long)0x123456789abcdef0ULL);
	tst_res(TINFO, "long long: %lld %llu %llx %016llx", LLONG_MIN_,
		~0ULL, 0xfedcba9876543210ULL, 0xabcULL);
	tst_res(TINFO, "size_t: %zu %lu", sizeof(struct tst_kvm_result),
		(size_t)-1);
	tst_res(TINFO, "pointer: %p %p [%18p]", (void *)0x1000, NULL,
		(void *)KVM_RESULT_BASEADDR);
	tst_res(TINFO, "string: [%s] [%10s] [%-10s] [%.3s] [%s] [%c%c%c]",
		"hello", "right", "left", "truncated", "", 'a', 'b', 'c');

	len = snprintf(buf, sizeof(buf), "%s", "0123456789");
	tst_res(TINFO, "snprintf: %d [%s]", len, buf);

	tst_res(TPASS, "%d%% of the conversions formatted", 100);
}
