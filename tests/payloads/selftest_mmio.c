// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Host-answered MMIO and port I/O (selftest_mmio.py declares the regions):
 * reads return the region's data, writes land in it, and instructions
 * with a memory operand there are emulated to completion.
 */
#include "kvm_test.h"

#define MMIO ((volatile uint8_t *)KVM_MMIO_BASEADDR)
#define PORT 0x80

static void check(const char *what, unsigned long got, unsigned long expected)
{
	if (got == expected)
		tst_res(TPASS, "%s: 0x%lx", what, got);
	else
		tst_res(TFAIL, "%s: 0x%lx, expected 0x%lx", what, got, expected);
}

void main(void)
{
	volatile uint32_t *word = (volatile uint32_t *)(MMIO + 0x10);
	uint32_t value = 5;
	uint8_t byte;

	/* The region's data: "MMIO" then zeroes */
	check("Read of the region's data", *(volatile uint32_t *)MMIO,
		0x4f494d4d);
	check("Read past the data", MMIO[8], 0);

	*word = 0x11223344;
	check("Write, then read back", *word, 0x11223344);

	/* A read-modify-write instruction: emulated in full */
	__asm__ volatile("addl %1, %0" : "+m" (*word) : "r" (value));
	check("ADD to MMIO", *word, 0x11223349);

	/* Across the region's two pages: the host sees both halves */
	*(volatile uint64_t *)(MMIO + 0xffc) = 0x0102030405060708ULL;
	check("Write across a page boundary, read back",
		(unsigned long)(*(volatile uint32_t *)(MMIO + 0x1000)), 0x01020304);

	__asm__ volatile("outb %0, %1" : : "a" ((uint8_t)0xab), "Nd" (PORT));
	__asm__ volatile("inb %1, %0" : "=a" (byte) : "Nd" (PORT));
	check("OUT, then IN of the same port", byte, 0xab);
}
