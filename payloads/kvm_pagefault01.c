// SPDX-License-Identifier: GPL-2.0-or-later
/*\
 * A guest write through a read-only page-table path must fault under KVM's
 * shadow MMU.
 *
 * CVE-2021-38198
 *
 * KVM's shadow MMU (used when two-dimensional paging is off) computed the
 * access rights of a shadow page from the first path that reached the guest
 * page table, so a page table mapped both writable and read-only could
 * become writable through the read-only path. Fixed in kernel commit
 * b1bd5cba3306 ("KVM: X86: MMU: Use the correct inherited permissions to
 * get shadow page").
 *
 * Map one fresh page directory at 4 GiB (writable) and at 5 GiB
 * (read-only), read through both paths so that KVM builds its shadow pages,
 * then write through the read-only path: a correct KVM raises a page fault
 * on exactly that address.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD
#if defined(__x86_64__)

#include "kvm_x86.h"

#define GIB (1ULL << 30)
#define WRITABLE_PATH_ADDR (4 * GIB)
#define READONLY_PATH_ADDR (5 * GIB)
#define MAGIC 0x5a5a5a5a5a5a5a5aULL

static int handle_page_fault(void *userdata, struct kvm_interrupt_frame *ifrm,
	unsigned long errcode)
{
	struct kvm_cregs cregs;

	kvm_read_cregs(&cregs);

	if (cregs.cr2 != READONLY_PATH_ADDR) {
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

void main(void)
{
	struct page_table_entry_pae *pdpt, *pd, *pt;
	volatile uint64_t *data;
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
	pt = alloc_page();
	data = alloc_page();
	*data = MAGIC;
	set_entry(pt, (void *)data, 1);
	set_entry(pd, pt, 1);
	set_entry(pdpt + 4, pd, 1);
	set_entry(pdpt + 5, pd, 0);
	kvm_set_cr3(cregs.cr3);		/* flush the TLB */

	/* Let KVM build shadow pages through both paths */
	rw_value = *(volatile uint64_t *)WRITABLE_PATH_ADDR;
	ro_value = *(volatile uint64_t *)READONLY_PATH_ADDR;

	if (rw_value != MAGIC || ro_value != MAGIC) {
		tst_brk(TBROK, "Mapping above 4 GiB reads 0x%llx / 0x%llx, "
			"expected 0x%llx", (unsigned long long)rw_value,
			(unsigned long long)ro_value, MAGIC);
	}

	tst_set_interrupt_callback(INTR_PAGE_FAULT, handle_page_fault, NULL);
	*(volatile uint64_t *)READONLY_PATH_ADDR = ~MAGIC;
	tst_set_interrupt_callback(INTR_PAGE_FAULT, NULL, NULL);

	tst_res(TFAIL, "Write through a read-only mapping succeeded "
		"(memory now 0x%llx)", (unsigned long long)*data);
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
