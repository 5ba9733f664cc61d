// SPDX-License-Identifier: GPL-2.0-or-later
/*\
 * A guest write through a read-only page-table path must fault under KVM's
 * shadow MMU.
 *
 * CVE-2021-38198
 *
 * KVM's shadow MMU (used when two-dimensional paging is off) looked up the
 * shadow page of every level with the access rights of the whole walk down
 * to the last page table, not with those inherited down to that level, so
 * a page table reached both writable and read-only could share one shadow
 * page between the two paths and become writable through the read-only
 * one. Fixed in kernel commit
 * b1bd5cba3306 ("KVM: X86: MMU: Use the correct inherited permissions to
 * get shadow page").
 *
 * The bug needs the access that picks a shadow page to come from a level
 * below it. One fresh page directory is mapped at 4 GiB (writable PDPTE)
 * and at 5 GiB (read-only PDPTE); its first PDE is read-only, its second
 * writable, each pointing to a page table that maps one writable page:
 *
 *   4 GiB        PDPTE rw -> PD, PDE 0 ro -> page table A -> page A
 *   4 GiB+2 MiB  PDPTE rw -> PD, PDE 1 rw -> page table B -> page B
 *   5 GiB        PDPTE ro -> PD, PDE 0 ro -> page table A -> page A
 *   5 GiB+2 MiB  PDPTE ro -> PD, PDE 1 rw -> page table B -> page B
 *
 * In that order: read 4 GiB (a vulnerable KVM gives the shadow of the page
 * directory the read-only access of the whole walk, though its PDPTE is
 * writable), write 4 GiB+2 MiB (a writable shadow of page table B goes
 * under it), read 5 GiB (the read-only path looks the page directory up
 * with read-only access and shares that shadow page), then write
 * 5 GiB+2 MiB: a correct KVM raises a page fault on exactly that address,
 * a vulnerable one lets the write through.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD
#if defined(__x86_64__)

#include "kvm_x86.h"

#define GIB (1ULL << 30)
#define MIB (1ULL << 20)
#define RW_PATH_RO_PDE (4 * GIB)
#define RW_PATH_RW_PDE (4 * GIB + 2 * MIB)
#define RO_PATH_RO_PDE (5 * GIB)
#define RO_PATH_RW_PDE (5 * GIB + 2 * MIB)
#define MAGIC_A 0x5a5a5a5a5a5a5a5aULL
#define MAGIC_B 0xa5a5a5a5a5a5a5a5ULL

static int handle_page_fault(void *userdata, struct kvm_interrupt_frame *ifrm,
	unsigned long errcode)
{
	struct kvm_cregs cregs;

	kvm_read_cregs(&cregs);

	if (cregs.cr2 != RO_PATH_RW_PDE) {
		tst_res(TFAIL, "Page fault at unexpected address 0x%lx "
			"(error code 0x%lx, RIP 0x%lx)", cregs.cr2, errcode,
			(unsigned long)kvm_get_interrupt_ip(ifrm));
		kvm_exit();
	}

	tst_res(TPASS, "KVM enforces memory write permissions");
	kvm_exit();
}

static void *alloc_page(void)
{
	return memzero(tst_heap_alloc_aligned(KVM_PAGE_SIZE, KVM_PAGE_SIZE),
		       KVM_PAGE_SIZE);
}

static void set_entry(struct page_table_entry_pae *entry, void *target,
	int writable)
{
	entry->address = (uintptr_t)target >> 12;
	entry->writable = writable;
	entry->present = 1;
}

static uint64_t read_at(uint64_t addr)
{
	return *(volatile uint64_t *)addr;
}

void main(void)
{
	struct page_table_entry_pae *pdpt, *pd, *pt_a, *pt_b;
	volatile uint64_t *page_a, *page_b;
	struct kvm_cregs cregs;
	uint64_t rw_value, ro_value;

	/* Supervisor writes honour read-only pages only with CR0.WP */
	kvm_read_cregs(&cregs);
	kvm_set_cr0(cregs.cr0 | CR0_WP);

	pdpt = (void *)kvm_get_page_address_pae(kvm_pagetable);
	if (!pdpt)
		tst_brk(TBROK, "The first PML4 entry is not present");

	if (pdpt[4].present || pdpt[5].present)
		tst_brk(TBROK, "Guest memory above 4 GiB is already mapped");

	pd = alloc_page();
	pt_a = alloc_page();
	pt_b = alloc_page();
	page_a = alloc_page();
	page_b = alloc_page();
	*page_a = MAGIC_A;
	*page_b = MAGIC_B;
	set_entry(pt_a, (void *)page_a, 1);
	set_entry(pt_b, (void *)page_b, 1);
	set_entry(pd, pt_a, 0);
	set_entry(pd + 1, pt_b, 1);
	set_entry(pdpt + 4, pd, 1);
	set_entry(pdpt + 5, pd, 0);
	kvm_set_cr3(cregs.cr3);		/* flush the TLB */

	/* Let KVM build its shadow pages, in the order that shares them */
	rw_value = read_at(RW_PATH_RO_PDE);
	*(volatile uint64_t *)RW_PATH_RW_PDE = ~MAGIC_B;
	ro_value = read_at(RO_PATH_RO_PDE);

	if (rw_value != MAGIC_A || ro_value != MAGIC_A || *page_b != ~MAGIC_B) {
		tst_brk(TBROK, "Mapping above 4 GiB reads 0x%llx / 0x%llx "
			"(expected 0x%llx), wrote 0x%llx (expected 0x%llx)",
			(unsigned long long)rw_value,
			(unsigned long long)ro_value, MAGIC_A,
			(unsigned long long)*page_b, ~MAGIC_B);
	}

	tst_set_interrupt_callback(INTR_PAGE_FAULT, handle_page_fault, NULL);
	*(volatile uint64_t *)RO_PATH_RW_PDE = MAGIC_B;
	tst_set_interrupt_callback(INTR_PAGE_FAULT, NULL, NULL);

	tst_res(TFAIL, "Write through a read-only mapping succeeded "
		"(memory now 0x%llx)", (unsigned long long)*page_b);
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
		{"linux-git", "b1bd5cba3306691c771d558e94baa73e8b0b96b7"},
		{"CVE", "2021-38198"},
		{}
	}
};

#endif /* COMPILE_PAYLOAD */
