// SPDX-License-Identifier: GPL-2.0-or-later
/*\
 * A write that KVM's emulator splits across two MMIO pages must reach the
 * host with the right bytes in both fragments, also when the emulator
 * writes from a variable on its own stack.
 *
 * CVE-2026-31588
 *
 * KVM sends such a write to the VMM as two MMIO exits, the second on the
 * next KVM_RUN; its fragment pointed at the emulator's source value, which
 * for ENTER's push of the frame pointer is a local variable of a kernel
 * function that has long returned: the second fragment carried whatever
 * the host kernel's stack held by then (a use after free when another task
 * runs the vCPU). Fixed in the kernel by "KVM: x86: Use scratch field in
 * MMIO fragment to hold small write values".
 *
 * At CPL 0, a MOV of a register and an ENTER whose push of RBP/EBP
 * straddles two host-answered MMIO pages; the host half
 * (kvm_mmio_split01.py) resumes the vCPU from a new thread after each
 * first fragment and checks that each write came as two fragments, one per
 * page; the guest then reads the bytes back one at a time.
 *
 * TPASS: the host got the bytes written. TFAIL: a fragment carried other
 * bytes (the host kernel's stack).
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#ifdef __x86_64__
# define PATTERN 0x1122334455667788UL
# define SP "%%rsp"
# define BP "%%rbp"
# define BX "%%rbx"
# define SI "%%rsi"
#else
# define PATTERN 0x11223344UL
# define SP "%%esp"
# define BP "%%ebp"
# define BX "%%ebx"
# define SI "%%esi"
#endif

/* The boundary between the two MMIO pages kvm_mmio_split01.py answers */
#define BOUNDARY (KVM_MMIO_BASEADDR + KVM_PAGE_SIZE)
/* Where the write starts: half of it in each page */
#define SPLIT_ADDR (BOUNDARY - sizeof(long) / 2)

static void mov_split(void)
{
	*(volatile unsigned long *)SPLIT_ADDR = PATTERN;
}

/* ENTER $0, $0 pushes the frame pointer at the new stack top */
static void enter_split(void)
{
	__asm__ volatile("mov " SP ", " BX "\n\t"
		"mov " BP ", " SI "\n\t"
		"mov %0, " BP "\n\t"
		"mov %1, " SP "\n\t"
		"enter $0, $0\n\t"
		"mov " SI ", " BP "\n\t"
		"mov " BX ", " SP
		: : "r" (PATTERN), "r" (SPLIT_ADDR + sizeof(long))
		: "bx", "si", "memory");
}

static void check_split(const char *what, void (*write)(void))
{
	volatile uint8_t *bytes = (volatile uint8_t *)SPLIT_ADDR;
	unsigned long expected = PATTERN;
	unsigned int i;

	/* The negative control expects other bytes than those written */
#ifdef NEGATIVE_CONTROL
	expected++;
#endif
	for (i = 0; i < sizeof(long); i++)
		bytes[i] = 0;

	write();

	for (i = 0; i < sizeof(long); i++) {
		if (bytes[i] != (uint8_t)(expected >> (8 * i))) {
			tst_res(TFAIL, "%s: byte %u at 0x%lx is 0x%02x, not 0x%02x",
				what, i, (unsigned long)SPLIT_ADDR + i, bytes[i],
				(uint8_t)(expected >> (8 * i)));
			return;
		}
	}

	tst_res(TPASS, "%s: both pages got their bytes", what);
}

void main(void)
{
	check_split("MOV across two MMIO pages", mov_split);
	check_split("ENTER pushing across two MMIO pages", enter_split);
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.needs_root = 1,
	.needs_drivers = (const char *const []) {"kvm", NULL},
	.tags = (struct tst_tag[]) {
		{"CVE", "2026-31588"},
		{}
	}
};

#endif /* COMPILE_PAYLOAD */
