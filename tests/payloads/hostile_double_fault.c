// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A fault whose IDT gate is not present: delivering it raises #NP, which
 * escalates to a double fault (#PF then #NP, or #DE then #NP). The #DF gate
 * is present, so the library's default handler reports it.
 */
#include "kvm_test.h"

/* Inside the unmapped 2-3 GiB of the guest address space */
#define UNMAPPED_ADDR 0x80000000UL

void main(void)
{
	struct kvm_cregs cregs;

	kvm_read_cregs(&cregs);
	if (cregs.cr0 & CR0_PG) {
		kvm_idt[INTR_PAGE_FAULT].flags &= ~SEGFLAG_PRESENT;
		*(volatile uint32_t *)UNMAPPED_ADDR = 1;
	} else {
		/* Unpaged (i386 on some KVMs): no page faults */
		kvm_idt[INTR_ZERODIV].flags &= ~SEGFLAG_PRESENT;
		asm volatile("divl %%ecx" : : "a" (1), "d" (0), "c" (0));
	}

	tst_res(TFAIL, "The guest survived a fault with no gate");
}
