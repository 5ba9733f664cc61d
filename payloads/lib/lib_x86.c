// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86 guest library: descriptor tables, CPU exceptions, control registers,
 * MSRs and CPUID.
 */
#include "kvm_x86_user.h"

#define SEGDESC(base, limit, flags) { \
	.limit_lo = (limit) & 0xffff, .limit_hi = ((limit) >> 16) & 0xf, \
	.baseaddr_lo = (base) & 0xffffff, .baseaddr_hi = ((base) >> 24) & 0xff, \
	.flags_lo = (flags) & 0xff, .flags_hi = ((flags) >> 8) & 0xf }

/*
 * The host loads the segment registers from these descriptors before the
 * first instruction runs. Accessed bit (1) set: the CPU would set it anyway.
 */
struct segment_descriptor kvm_gdt[KVM_GDT_SIZE] = {
	[KVM_CS64_SELECTOR / 8] = SEGDESC(0, 0xfffff, SEGTYPE_CODE | 1 |
		SEGFLAG_PRESENT | SEGFLAG_CODE64 | SEGFLAG_PAGE_LIMIT),
	[KVM_DS_SELECTOR / 8] = SEGDESC(0, 0xfffff, SEGTYPE_RWDATA | 1 |
		SEGFLAG_PRESENT | SEGFLAG_32BIT | SEGFLAG_PAGE_LIMIT),
	[KVM_CS32_SELECTOR / 8] = SEGDESC(0, 0xfffff, SEGTYPE_CODE | 1 |
		SEGFLAG_PRESENT | SEGFLAG_32BIT | SEGFLAG_PAGE_LIMIT),
	/* Guest user mode (kvm_x86_user.h) */
	[KVM_USER_CS32_SELECTOR / 8] = SEGDESC(0, 0xfffff, SEGTYPE_CODE | 1 |
		SEGFLAG_DPL3 | SEGFLAG_PRESENT | SEGFLAG_32BIT |
		SEGFLAG_PAGE_LIMIT),
	[KVM_USER_DS_SELECTOR / 8] = SEGDESC(0, 0xfffff, SEGTYPE_RWDATA | 1 |
		SEGFLAG_DPL3 | SEGFLAG_PRESENT | SEGFLAG_32BIT |
		SEGFLAG_PAGE_LIMIT),
	[KVM_USER_CS64_SELECTOR / 8] = SEGDESC(0, 0xfffff, SEGTYPE_CODE | 1 |
		SEGFLAG_DPL3 | SEGFLAG_PRESENT | SEGFLAG_CODE64 |
		SEGFLAG_PAGE_LIMIT),
};

struct intr_descriptor kvm_idt[X86_INTR_COUNT];

#ifdef __x86_64__
# define KVM_CS_SELECTOR KVM_CS64_SELECTOR
struct kvm_tss {
	uint32_t reserved;
	uint64_t rsp[3];
	uint64_t reserved2;
	uint64_t ist[7];
	uint64_t reserved3;
	uint16_t reserved4;
	uint16_t iomap_base;
} __attribute__((packed));
#else
# define KVM_CS_SELECTOR KVM_CS32_SELECTOR
struct kvm_tss {
	uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2;
	uint32_t cr3, eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs, ldt;
	uint16_t trap;
	uint16_t iomap_base;
} __attribute__((packed));
#endif

/* The I/O permission bitmap's last byte must have all bits set */
struct kvm_tss_with_iomap {
	struct kvm_tss tss;
	uint8_t iomap[KVM_IOMAP_SIZE];
	uint8_t iomap_end;
} __attribute__((packed));

/*
 * The host loads TR with it before the first instruction. Its stack
 * pointer for CPL 0 is set by kvm_run_user(); an I/O permission bitmap
 * follows it: all ports denied, kvm_set_io_permission() opens some.
 */
struct kvm_tss_with_iomap kvm_tss;

_Static_assert(sizeof(kvm_tss) == KVM_TSS_SIZE, "KVM_TSS_SIZE is the host's");

const char *tst_interrupt_names[INTERRUPT_COUNT] = {
	"Division by zero",
	"Debug interrupt",
	"Non-maskable interrupt",
	"Breakpoint",
	"Arithmetic overflow",
	"Bound range exception",
	"Illegal instruction error",
	"Device not available error",
	"Double fault",
	"Coprocessor segment overrun",
	"Invalid TSS error",
	"Segment not present error",
	"Stack segment fault",
	"General protection fault",
	"Page fault",
	"Reserved interrupt 15",
	"Floating point exception",
	"Alignment check exception",
	"Machine check exception",
	"SIMD floating point exception",
	"Virtualization exception",
	"Control protection exception",
	"Reserved interrupt 22",
	"Reserved interrupt 23",
	"Reserved interrupt 24",
	"Reserved interrupt 25",
	"Reserved interrupt 26",
	"Reserved interrupt 27",
	"Hypervisor injection exception",
	"VMM communication exception",
	"Security exception",
	"Reserved interrupt 31",
};

static struct {
	tst_interrupt_callback func;
	void *userdata;
} intr_handlers[INTERRUPT_COUNT];

extern const uintptr_t kvm_intr_stubs[INTERRUPT_COUNT];

void kvm_set_segment_descriptor(struct segment_descriptor *dst,
	uint64_t baseaddr, uint32_t limit, unsigned int flags)
{
	if (limit >> 20)
		tst_brk(TBROK, "Segment limit out of range");

	dst->limit_lo = limit & 0xffff;
	dst->limit_hi = limit >> 16;
	dst->baseaddr_lo = baseaddr & 0xffffff;
	dst->baseaddr_hi = (baseaddr >> 24) & 0xff;
	dst->flags_lo = flags & 0xff;
	dst->flags_hi = (flags >> 8) & 0xf;

#ifdef __x86_64__
	/* System descriptors are 16 bytes wide in 64-bit mode */
	if (!(flags & SEGFLAG_NSYSTEM)) {
		struct segment_descriptor64 *dst64 = (void *)dst;

		dst64->baseaddr_hi = baseaddr >> 24;
		dst64->reserved = 0;
	}
#endif
}

void kvm_parse_segment_descriptor(struct segment_descriptor *src,
	uint64_t *baseaddr, uint32_t *limit, unsigned int *flags)
{
	if (baseaddr) {
		*baseaddr = ((uint64_t)src->baseaddr_hi << 24) | src->baseaddr_lo;
#ifdef __x86_64__
		if (!(src->flags_lo & SEGFLAG_NSYSTEM)) {
			*baseaddr = ((uint64_t)((struct segment_descriptor64 *)src)
				->baseaddr_hi << 24) | src->baseaddr_lo;
		}
#endif
	}

	if (limit)
		*limit = ((uint32_t)src->limit_hi << 16) | src->limit_lo;

	if (flags)
		*flags = ((unsigned int)src->flags_hi << 8) | src->flags_lo;
}

int kvm_find_free_descriptor(const struct segment_descriptor *table,
	size_t size)
{
	size_t i;

	/* Entry 0 is the null descriptor */
	for (i = 1; i < size; i++) {
		if (!(table[i].flags_lo & SEGFLAG_PRESENT))
			return i;

#ifdef __x86_64__
		/* A 64-bit system descriptor also takes the next entry */
		if (!(table[i].flags_lo & SEGFLAG_NSYSTEM))
			i++;
#endif
	}

	return -1;
}

unsigned int kvm_create_stack_descriptor(struct segment_descriptor *table,
	size_t tabsize, void *stack_base)
{
	int ret = kvm_find_free_descriptor(table, tabsize);

	if (ret < 0)
		tst_brk(TBROK, "Descriptor table is full");

	/* Expand-down: the valid offsets lie above the limit, up to 4 GiB */
	kvm_set_segment_descriptor(table + ret, 0,
		((uintptr_t)stack_base - 1) >> 12, SEGTYPE_STACK |
		SEGFLAG_PRESENT | SEGFLAG_32BIT | SEGFLAG_PAGE_LIMIT);
	return ret;
}

static void set_intr_gate(unsigned int vector, uintptr_t handler)
{
	struct intr_descriptor *gate = kvm_idt + vector;

	gate->offset_lo = handler & 0xffff;
	gate->selector = KVM_CS_SELECTOR;
	gate->ist = 0;
	gate->flags = SEGTYPE_INTR_GATE | SEGFLAG_PRESENT;
	gate->offset_hi = handler >> 16;
#ifdef __x86_64__
	gate->padding = 0;
#endif
}

void kvm_init_arch(void)
{
	unsigned int i;

	for (i = 0; i < INTERRUPT_COUNT; i++)
		set_intr_gate(i, kvm_intr_stubs[i]);

	/* All ports denied to CPL 3 unless IOPL says otherwise */
	kvm_tss.tss.iomap_base = sizeof(struct kvm_tss);
	memset(kvm_tss.iomap, 0xff, sizeof(kvm_tss.iomap));
	kvm_tss.iomap_end = 0xff;
#ifndef __x86_64__
	kvm_tss.tss.ss0 = KVM_DS_SELECTOR;
#endif

	/*
	 * TR already holds this TSS (the host loaded it, busy, as VM entry
	 * wants it); LTR loads it again, and marks it busy. QEMU's TCG keeps
	 * a TR that LTR loaded as an available TSS internally and mishandles
	 * the busy one that the host's KVM_SET_SREGS gives it (the I/O
	 * bitmap is not consulted; an i386 interrupt from CPL 3 aborts
	 * QEMU), so the lab needs the LTR; elsewhere it changes nothing.
	 */
	kvm_set_segment_descriptor(kvm_gdt + KVM_TSS_SELECTOR / 8,
		(uintptr_t)&kvm_tss, sizeof(kvm_tss) - 1,
		SEGTYPE_TSS | SEGFLAG_PRESENT);
	__asm__ volatile("ltr %w0" : : "r" (KVM_TSS_SELECTOR) : "memory");
}

void kvm_set_io_permission(unsigned int port, unsigned int count, int allow)
{
	for (; count; port++, count--) {
		if (port >= 8 * KVM_IOMAP_SIZE)
			tst_brk(TBROK, "I/O port 0x%x out of range", port);

		if (allow)
			kvm_tss.iomap[port / 8] &= ~(1 << port % 8);
		else
			kvm_tss.iomap[port / 8] |= 1 << port % 8;
	}
}

void tst_set_interrupt_callback(unsigned int vector,
	tst_interrupt_callback func, void *userdata)
{
	if (vector >= INTERRUPT_COUNT)
		tst_brk(TBROK, "Set interrupt callback: vector %u out of range",
			vector);

	intr_handlers[vector].func = func;
	intr_handlers[vector].userdata = userdata;
}

uintptr_t kvm_get_interrupt_ip(const struct kvm_interrupt_frame *ifrm)
{
	return ifrm->eip;
}

unsigned int kvm_get_interrupt_cpl(const struct kvm_interrupt_frame *ifrm)
{
	return ifrm->cs & 3;
}

struct kvm_interrupt_regs *kvm_get_interrupt_regs(
	struct kvm_interrupt_frame *ifrm)
{
	/* The stubs push the error code, the vector, then the registers */
	return (struct kvm_interrupt_regs *)((char *)ifrm - 2 * sizeof(long)) - 1;
}

/* Exceptions being handled; guest user mode runs at depth 0 */
unsigned int kvm_interrupt_depth;

/* Called by the interrupt stubs in the bootstrap */
void tst_handle_interrupt(struct kvm_interrupt_frame *ifrm, long vector,
	unsigned long errcode)
{
	unsigned int cpl = kvm_get_interrupt_cpl(ifrm);
	struct kvm_cregs cregs;

	if (vector == INTR_BAD_OPCODE && cpl == 3 && kvm_handle_user_gate(ifrm))
		return;

	if (kvm_interrupt_depth++ == 0 && vector < INTERRUPT_COUNT &&
	    intr_handlers[vector].func &&
	    !intr_handlers[vector].func(intr_handlers[vector].userdata, ifrm,
					 errcode)) {
		kvm_interrupt_depth--;
		return;
	}

	if (kvm_interrupt_depth > 2) {
		/* Reporting itself faults: stop without formatting anything */
		tst_brk(TBROK, "Nested exceptions while handling an exception");
	}

	if (vector == INTR_PAGE_FAULT) {
		kvm_read_cregs(&cregs);
		tst_brk(TBROK, "Unhandled interrupt %ld (%s), error code 0x%lx, "
			"RIP=0x%lx, CPL %u, CR2=0x%lx", vector,
			tst_interrupt_names[vector], errcode,
			(unsigned long)ifrm->eip, cpl, cregs.cr2);
	}

	tst_brk(TBROK, "Unhandled interrupt %ld (%s), error code 0x%lx, "
		"RIP=0x%lx, CPL %u", vector, vector < INTERRUPT_COUNT ?
			tst_interrupt_names[vector] : "unknown",
		errcode, (unsigned long)ifrm->eip, cpl);
}

uintptr_t kvm_get_page_address_pae(const struct page_table_entry_pae *entry)
{
	if (!entry->present)
		return 0;

	return entry->address << 12;
}

void kvm_get_cpuid(unsigned int eax, unsigned int ecx, struct kvm_cpuid *buf)
{
	__asm__ volatile("cpuid"
		: "=a" (buf->eax), "=b" (buf->ebx), "=c" (buf->ecx),
		  "=d" (buf->edx)
		: "0" (eax), "2" (ecx));
}

void kvm_read_cregs(struct kvm_cregs *buf)
{
	__asm__ volatile("mov %%cr0, %0" : "=r" (buf->cr0));
	__asm__ volatile("mov %%cr2, %0" : "=r" (buf->cr2));
	__asm__ volatile("mov %%cr3, %0" : "=r" (buf->cr3));
	__asm__ volatile("mov %%cr4, %0" : "=r" (buf->cr4));
}

void kvm_read_sregs(struct kvm_sregs *buf)
{
	__asm__ volatile("mov %%cs, %0" : "=r" (buf->cs));
	__asm__ volatile("mov %%ds, %0" : "=r" (buf->ds));
	__asm__ volatile("mov %%es, %0" : "=r" (buf->es));
	__asm__ volatile("mov %%fs, %0" : "=r" (buf->fs));
	__asm__ volatile("mov %%gs, %0" : "=r" (buf->gs));
	__asm__ volatile("mov %%ss, %0" : "=r" (buf->ss));
	__asm__ volatile("str %0" : "=r" (buf->tr));
}

void kvm_read_cpu_state(struct kvm_cpu_state *buf)
{
	kvm_read_cregs(&buf->cregs);
	kvm_read_sregs(&buf->sregs);
	__asm__ volatile("sgdt %0" : "=m" (buf->gdtr));
	__asm__ volatile("sidt %0" : "=m" (buf->idtr));
	__asm__ volatile("sldt %0" : "=r" (buf->ldtr));
}

void kvm_gdt_segment(unsigned int gdt_id, struct kvm_segment_state *buf)
{
	unsigned int flags;

	if (gdt_id >= KVM_GDT_SIZE)
		tst_brk(TBROK, "GDT descriptor %u out of range", gdt_id);

	kvm_parse_segment_descriptor(kvm_gdt + gdt_id, &buf->base, &buf->limit,
		&flags);
	buf->selector = gdt_id << 3;
	buf->attrib = flags & 0xfff;
	if (flags & SEGFLAG_PAGE_LIMIT)
		buf->limit = (buf->limit << 12) | 0xfff;
}

uint64_t kvm_rdmsr(unsigned int msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a" (lo), "=d" (hi) : "c" (msr));
	return ((uint64_t)hi << 32) | lo;
}

void kvm_wrmsr(unsigned int msr, uint64_t value)
{
	__asm__ volatile("wrmsr"
		: : "c" (msr), "a" ((uint32_t)value), "d" ((uint32_t)(value >> 32)));
}

void kvm_set_cr0(unsigned long val)
{
	__asm__ volatile("mov %0, %%cr0" : : "r" (val) : "memory");
}

void kvm_set_cr3(unsigned long val)
{
	__asm__ volatile("mov %0, %%cr3" : : "r" (val) : "memory");
}

void kvm_set_cr4(unsigned long val)
{
	__asm__ volatile("mov %0, %%cr4" : : "r" (val) : "memory");
}

int kvm_fep_enabled(void)
{
	return !!(kvm_host_info.flags & KVM_HOST_FEP);
}

void kvm_require_fep(void)
{
	if (!kvm_fep_enabled()) {
		tst_brk(TCONF, "Forced emulation is off on this host: this test "
			"needs the kvm module parameter force_emulation_prefix=1");
	}
}
