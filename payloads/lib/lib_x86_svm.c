// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * AMD SVM part of the x86 guest library: SVM detection and setup, VMCBs and
 * running nested guests (i386 and x86_64).
 */
#include "kvm_x86_svm.h"
#include "regs64_asm.h"

#define SVM_GUEST_STACK_SIZE 8192
#define PAT_POWERON_VALUE 0x0007040600070406ULL

/* Offsets the assembly below uses */
#ifdef __x86_64__
# define SVM_VCPU_REGS 8
#else
# define SVM_VCPU_REGS 4
#endif
#define VMCB_RSP 0x5d8
#define VMCB_RAX 0x5f8

/* The VMCB layout of AMD's manual, vol. 2, tables B-1 and B-2 */
#define CHECK_OFFSET(field, offset) \
	_Static_assert(offsetof(struct kvm_vmcb, field) == (offset), \
		"VMCB field " #field " is not at " #offset)
CHECK_OFFSET(pause_filter_thresh, 0x3c);
CHECK_OFFSET(iopm_base_addr, 0x40);
CHECK_OFFSET(msrpm_base_addr, 0x48);
CHECK_OFFSET(tsc_offset, 0x50);
CHECK_OFFSET(guest_asid, 0x58);
CHECK_OFFSET(tlb_control, 0x5c);
CHECK_OFFSET(int_ctl, 0x60);
CHECK_OFFSET(virt_intr_ctl, 0x63);
CHECK_OFFSET(virt_intr_vector, 0x64);
CHECK_OFFSET(interrupt_shadow, 0x68);
CHECK_OFFSET(exitcode, 0x70);
CHECK_OFFSET(exitinfo1, 0x78);
CHECK_OFFSET(exitinfo2, 0x80);
CHECK_OFFSET(exit_int_info, 0x88);
CHECK_OFFSET(nested_ctl, 0x90);
CHECK_OFFSET(avic_bar, 0x98);
CHECK_OFFSET(ghcb_gpa, 0xa0);
CHECK_OFFSET(event_injection, 0xa8);
CHECK_OFFSET(nested_cr3, 0xb0);
CHECK_OFFSET(virt_ext, 0xb8);
CHECK_OFFSET(vmcb_clean, 0xc0);
CHECK_OFFSET(next_rip, 0xc8);
CHECK_OFFSET(instr_len, 0xd0);
CHECK_OFFSET(avic_backing_page, 0xe0);
CHECK_OFFSET(avic_logical_ptr, 0xf0);
CHECK_OFFSET(avic_physical_ptr, 0xf8);
CHECK_OFFSET(vmsa_pa, 0x108);
CHECK_OFFSET(es, 0x400);
CHECK_OFFSET(fs, 0x440);
CHECK_OFFSET(gs, 0x450);
CHECK_OFFSET(gdtr, 0x460);
CHECK_OFFSET(ldtr, 0x470);
CHECK_OFFSET(idtr, 0x480);
CHECK_OFFSET(tr, 0x490);
CHECK_OFFSET(cpl, 0x4cb);
CHECK_OFFSET(efer, 0x4d0);
CHECK_OFFSET(cr4, 0x548);
CHECK_OFFSET(cr0, 0x558);
CHECK_OFFSET(rflags, 0x570);
CHECK_OFFSET(rip, 0x578);
CHECK_OFFSET(rsp, VMCB_RSP);
CHECK_OFFSET(rax, VMCB_RAX);
CHECK_OFFSET(star, 0x600);
CHECK_OFFSET(kernel_gs_base, 0x620);
CHECK_OFFSET(sysenter_eip, 0x638);
CHECK_OFFSET(cr2, 0x640);
CHECK_OFFSET(g_pat, 0x668);
CHECK_OFFSET(last_excp_to, 0x690);
_Static_assert(sizeof(struct kvm_vmcb) == KVM_PAGE_SIZE, "VMCB size");
_Static_assert(offsetof(struct kvm_svm_vcpu, regs) == SVM_VCPU_REGS &&
	offsetof(struct kvm_regs64, r15) == REG_R15(0),
	"struct kvm_svm_vcpu layout");

/* VMSAVE area for the parent's state while a nested guest runs */
static struct kvm_vmcb *svm_host_state __attribute__((used));

/* Nested guests start here with RAX = guest_main and return to HLT */
void kvm_svm_guest_entry(void);

#ifdef __x86_64__
__asm__(
	".text\n"
	".global kvm_svm_guest_entry\n"
	"kvm_svm_guest_entry:\n"
	"	call *%rax\n"
	"1:	hlt\n"
	"	jmp 1b\n"

	/*
	 * VMRUN switches RAX, RSP, RIP and RFLAGS (and restores the caller's
	 * on #VMEXIT), VMLOAD/VMSAVE the hidden segment and syscall state;
	 * the other general registers are switched here by hand.
	 */
	".global kvm_svm_vmrun\n"
	".type kvm_svm_vmrun, @function\n"
	"kvm_svm_vmrun:\n"
	"	push %rbx\n"
	"	push %rbp\n"
	"	push %r12\n"
	"	push %r13\n"
	"	push %r14\n"
	"	push %r15\n"
	"	push %rdi\n"
	/* No interrupt may see the state half switched */
	"	clgi\n"
	"	mov svm_host_state(%rip), %rax\n"
	"	vmsave %rax\n"
	"	mov (%rdi), %rax\n"
	REGS64_LOAD(SVM_VCPU_REGS)
	"	mov " STR(REG_RDI(SVM_VCPU_REGS)) "(%rdi), %rdi\n"
	"	vmload %rax\n"
	"	vmrun %rax\n"
	/* #VMEXIT: RAX is the VMCB again, RSP ours, GIF clear */
	"	vmsave %rax\n"
	"	push %rdi\n"
	"	mov 8(%rsp), %rdi\n"
	"	pop " STR(REG_RDI(SVM_VCPU_REGS)) "(%rdi)\n"
	REGS64_STORE(SVM_VCPU_REGS)
	"	mov " STR(VMCB_RAX) "(%rax), %rbx\n"
	"	mov %rbx, " STR(REG_RAX(SVM_VCPU_REGS)) "(%rdi)\n"
	"	mov " STR(VMCB_RSP) "(%rax), %rbx\n"
	"	mov %rbx, " STR(REG_RSP(SVM_VCPU_REGS)) "(%rdi)\n"
	"	mov svm_host_state(%rip), %rax\n"
	"	vmload %rax\n"
	"	stgi\n"
	"	pop %rdi\n"
	"	pop %r15\n"
	"	pop %r14\n"
	"	pop %r13\n"
	"	pop %r12\n"
	"	pop %rbp\n"
	"	pop %rbx\n"
	"	ret\n"
	".size kvm_svm_vmrun, . - kvm_svm_vmrun\n"
);
#else /* __x86_64__ */
__asm__(
	".text\n"
	".global kvm_svm_guest_entry\n"
	"kvm_svm_guest_entry:\n"
	"	call *%eax\n"
	"1:	hlt\n"
	"	jmp 1b\n"

	/* As on x86_64, with the 32-bit registers (the upper halves of
	 * cpu->regs are left alone) */
	".global kvm_svm_vmrun\n"
	".type kvm_svm_vmrun, @function\n"
	"kvm_svm_vmrun:\n"
	"	push %ebx\n"
	"	push %ebp\n"
	"	push %esi\n"
	"	push %edi\n"
	"	mov 20(%esp), %edi\n"
	"	push %edi\n"
	"	clgi\n"
	"	mov svm_host_state, %eax\n"
	"	vmsave %eax\n"
	"	mov (%edi), %eax\n"
	"	mov " STR(REG_RBX(SVM_VCPU_REGS)) "(%edi), %ebx\n"
	"	mov " STR(REG_RCX(SVM_VCPU_REGS)) "(%edi), %ecx\n"
	"	mov " STR(REG_RDX(SVM_VCPU_REGS)) "(%edi), %edx\n"
	"	mov " STR(REG_RSI(SVM_VCPU_REGS)) "(%edi), %esi\n"
	"	mov " STR(REG_RBP(SVM_VCPU_REGS)) "(%edi), %ebp\n"
	"	mov " STR(REG_RDI(SVM_VCPU_REGS)) "(%edi), %edi\n"
	"	vmload %eax\n"
	"	vmrun %eax\n"
	"	vmsave %eax\n"
	"	push %edi\n"
	"	mov 4(%esp), %edi\n"
	"	pop " STR(REG_RDI(SVM_VCPU_REGS)) "(%edi)\n"
	"	mov %ebx, " STR(REG_RBX(SVM_VCPU_REGS)) "(%edi)\n"
	"	mov %ecx, " STR(REG_RCX(SVM_VCPU_REGS)) "(%edi)\n"
	"	mov %edx, " STR(REG_RDX(SVM_VCPU_REGS)) "(%edi)\n"
	"	mov %esi, " STR(REG_RSI(SVM_VCPU_REGS)) "(%edi)\n"
	"	mov %ebp, " STR(REG_RBP(SVM_VCPU_REGS)) "(%edi)\n"
	"	mov " STR(VMCB_RAX) "(%eax), %ebx\n"
	"	mov %ebx, " STR(REG_RAX(SVM_VCPU_REGS)) "(%edi)\n"
	"	mov " STR(VMCB_RSP) "(%eax), %ebx\n"
	"	mov %ebx, " STR(REG_RSP(SVM_VCPU_REGS)) "(%edi)\n"
	"	mov svm_host_state, %eax\n"
	"	vmload %eax\n"
	"	stgi\n"
	"	add $4, %esp\n"
	"	pop %edi\n"
	"	pop %esi\n"
	"	pop %ebp\n"
	"	pop %ebx\n"
	"	ret\n"
	".size kvm_svm_vmrun, . - kvm_svm_vmrun\n"
);
#endif /* __x86_64__ */

int kvm_is_svm_supported(void)
{
	struct kvm_cpuid buf;

	kvm_get_cpuid(CPUID_GET_INPUT_RANGE, 0, &buf);

	if (buf.eax < CPUID_GET_EXT_FEATURES)
		return 0;

	kvm_get_cpuid(CPUID_GET_EXT_FEATURES, 0, &buf);
	return !!(buf.ecx & X86_FEATURE_SVM);
}

int kvm_get_svm_state(void)
{
	return !!(kvm_rdmsr(MSR_EFER) & EFER_SVME);
}

void kvm_set_svm_state(int enabled)
{
	uint64_t efer;

	if (!kvm_is_svm_supported())
		tst_brk(TCONF, "CPU does not support SVM");

	if (kvm_rdmsr(MSR_VM_CR) & VM_CR_SVMDIS)
		tst_brk(TCONF, "SVM is supported but disabled");

	efer = kvm_rdmsr(MSR_EFER);

	if (enabled)
		efer |= EFER_SVME;
	else
		efer &= ~(uint64_t)EFER_SVME;

	kvm_wrmsr(MSR_EFER, efer);
}

struct kvm_vmcb *kvm_alloc_vmcb(void)
{
	return memzero(tst_heap_alloc_aligned(sizeof(struct kvm_vmcb),
		KVM_PAGE_SIZE), sizeof(struct kvm_vmcb));
}

void kvm_init_svm(void)
{
	struct kvm_cregs cregs;

	kvm_set_svm_state(1);

	/* KVM refuses SVM instructions while the guest's paging is off (i386
	 * payloads run unpaged where KVM lacks 32-bit paging) */
	kvm_read_cregs(&cregs);
	if (!(cregs.cr0 & CR0_PG))
		tst_brk(TCONF, "Nested SVM needs paging, which is off here");

	/* The CPU keeps the parent's state here during VMRUN */
	kvm_wrmsr(MSR_VM_HSAVE_PA, (uintptr_t)kvm_alloc_vmcb());
	svm_host_state = kvm_alloc_vmcb();
}

void kvm_vmcb_copy_gdt_descriptor(struct kvm_vmcb_descriptor *dst,
	unsigned int gdt_id)
{
	struct kvm_segment_state seg;

	kvm_gdt_segment(gdt_id, &seg);
	dst->selector = seg.selector;
	dst->attrib = seg.attrib;	/* the VMCB takes the GDT's bits as such */
	dst->limit = seg.limit;
	dst->base = seg.base;
}

void kvm_vmcb_set_intercept(struct kvm_vmcb *vmcb, unsigned int id,
	unsigned int state)
{
	if (id >= SVM_INTERCEPT_MAX)
		tst_brk(TBROK, "Invalid SVM intercept ID 0x%x", id);

	if (state)
		vmcb->intercepts[id / 8] |= 1 << (id % 8);
	else
		vmcb->intercepts[id / 8] &= ~(1 << (id % 8));
}

static void copy_table_register(struct kvm_vmcb_descriptor *dst,
	const struct kvm_dtable_register *src)
{
	dst->limit = src->limit;
	dst->base = src->base;
}

void kvm_init_guest_vmcb(struct kvm_vmcb *vmcb, uint32_t asid, uint16_t ss,
	void *rsp, int (*guest_main)(void))
{
	struct kvm_cpu_state cpu;
	unsigned int i;

	if (!kvm_get_svm_state())
		tst_brk(TBROK, "Call kvm_init_svm() before creating nested guests");

	kvm_read_cpu_state(&cpu);

	memzero(vmcb, sizeof(*vmcb));

	/* FS, GS, TR, LDTR and the syscall MSRs: the caller's, as they are */
	kvm_svm_vmsave(vmcb);

	/* VMRUN refuses a VMCB that does not intercept VMRUN */
	kvm_vmcb_set_intercept(vmcb, SVM_INTERCEPT_VMRUN, 1);
	kvm_vmcb_set_intercept(vmcb, SVM_INTERCEPT_HLT, 1);

	/* The nested guest shares our IDT, whose handlers assume our context:
	 * end its run instead */
	for (i = 0; i < INTERRUPT_COUNT; i++)
		kvm_vmcb_set_intercept(vmcb, SVM_INTERCEPT_EXCEPTION(i), 1);

	vmcb->guest_asid = asid;

	kvm_vmcb_copy_gdt_descriptor(&vmcb->es, cpu.sregs.es >> 3);
	kvm_vmcb_copy_gdt_descriptor(&vmcb->cs, cpu.sregs.cs >> 3);
	kvm_vmcb_copy_gdt_descriptor(&vmcb->ss, ss ? ss : cpu.sregs.ss >> 3);
	kvm_vmcb_copy_gdt_descriptor(&vmcb->ds, cpu.sregs.ds >> 3);
	copy_table_register(&vmcb->gdtr, &cpu.gdtr);
	copy_table_register(&vmcb->idtr, &cpu.idtr);

	/* EFER.SVME is set: VMRUN requires it in the guest's EFER too */
	vmcb->efer = kvm_rdmsr(MSR_EFER);
	vmcb->cr0 = cpu.cregs.cr0;
	vmcb->cr3 = cpu.cregs.cr3;
	vmcb->cr4 = cpu.cregs.cr4;
	vmcb->dr6 = DR6_INIT;
	vmcb->dr7 = DR7_INIT;
	vmcb->g_pat = PAT_POWERON_VALUE;
	vmcb->rflags = RFLAGS_RESERVED;
	vmcb->rip = (uintptr_t)kvm_svm_guest_entry;
	vmcb->rax = (uintptr_t)guest_main;
	vmcb->rsp = (uintptr_t)rsp;
}

struct kvm_svm_vcpu *kvm_create_svm_vcpu(int (*guest_main)(void),
	int alloc_stack)
{
	struct kvm_svm_vcpu *ret;
	uint16_t ss = 0;
	char *stack = NULL;

	if (alloc_stack) {
		stack = tst_heap_alloc_aligned(SVM_GUEST_STACK_SIZE,
			KVM_PAGE_SIZE);
		/* An expand-down segment: an i386 stack overflow faults */
		ss = kvm_create_stack_descriptor(kvm_gdt, KVM_GDT_SIZE, stack);
		stack += SVM_GUEST_STACK_SIZE;
	}

	ret = memzero(tst_heap_alloc(sizeof(*ret)), sizeof(*ret));
	ret->vmcb = kvm_alloc_vmcb();
	kvm_init_guest_vmcb(ret->vmcb, 1, ss, stack, guest_main);
	return ret;
}

void kvm_svm_vmload(struct kvm_vmcb *buf)
{
	__asm__ volatile("vmload %0" : : "a" (buf) : "memory");
}

void kvm_svm_vmsave(struct kvm_vmcb *buf)
{
	__asm__ volatile("vmsave %0" : : "a" (buf) : "memory");
}

void kvm_vmcb_fill_vmsave_state(struct kvm_vmcb *buf, unsigned int seed)
{
	/* Bases below 4 GiB and 32-bit SYSENTER_ESP/EIP mean the same in
	 * every mode; 64-bit addresses are canonical */
	uint32_t base = 0x10000000 + ((seed & 0xfff) << 16);
	uint64_t high = 0x00007f0000000000ULL;
	uint16_t sel = (8 + (seed * 4) % 24) << 3;
	struct kvm_vmcb_descriptor fs = {sel, 0xc93, 0xffffffff, base + 0x1000};
	struct kvm_vmcb_descriptor gs = {sel + 8, 0xc93, 0xffffffff,
		base + 0x2000};
	struct kvm_vmcb_descriptor ldtr = {sel + 16, 0x82, 0xfff,
		base + 0x3000};
	struct kvm_vmcb_descriptor tr = {sel + 24, 0x8b, 0x67, base + 0x4000};

	buf->fs = fs;
	buf->gs = gs;
	buf->ldtr = ldtr;
	buf->tr = tr;
	buf->kernel_gs_base = high | (base + 0x5000);
	buf->star = 0x0023001000000000ULL | (base + 0x6000);
	buf->lstar = high | (base + 0x7000);
	buf->cstar = high | (base + 0x8000);
	buf->sfmask = 0x4700 | (seed & 0xff);
	buf->sysenter_cs = sel + 32;
	buf->sysenter_esp = base + 0x9000;
	buf->sysenter_eip = base + 0xa000;
}

#define VMCB_FIELD(name, field) {name, offsetof(struct kvm_vmcb, field)}

static const struct vmcb_field {
	const char *name;
	size_t offset;
} vmsave_segments[] = {
	VMCB_FIELD("FS", fs),
	VMCB_FIELD("GS", gs),
	VMCB_FIELD("TR", tr),
	VMCB_FIELD("LDTR", ldtr),
}, vmsave_msrs[] = {
	VMCB_FIELD("KernelGsBase", kernel_gs_base),
	VMCB_FIELD("STAR", star),
	VMCB_FIELD("LSTAR", lstar),
	VMCB_FIELD("CSTAR", cstar),
	VMCB_FIELD("SFMASK", sfmask),
	VMCB_FIELD("SYSENTER_CS", sysenter_cs),
	VMCB_FIELD("SYSENTER_ESP", sysenter_esp),
	VMCB_FIELD("SYSENTER_EIP", sysenter_eip),
};

static const void *vmcb_field(const struct kvm_vmcb *vmcb,
	const struct vmcb_field *field)
{
	return (const char *)vmcb + field->offset;
}

int kvm_vmcb_cmp_vmsave_state(const char *what, const struct kvm_vmcb *buf,
	const struct kvm_vmcb *exp)
{
	const struct kvm_vmcb_descriptor *seg, *exp_seg;
	const uint64_t *msr, *exp_msr;
	unsigned int i;
	int ret = 0;

	for (i = 0; i < ARRAY_SIZE(vmsave_segments); i++) {
		seg = vmcb_field(buf, vmsave_segments + i);
		exp_seg = vmcb_field(exp, vmsave_segments + i);

		if (seg->selector == exp_seg->selector &&
		    seg->attrib == exp_seg->attrib &&
		    seg->limit == exp_seg->limit && seg->base == exp_seg->base)
			continue;

		tst_res(TINFO, "%s: %s is 0x%x (attrib 0x%x, limit 0x%x, base "
			"0x%llx), expected 0x%x (0x%x, 0x%x, 0x%llx)", what,
			vmsave_segments[i].name, seg->selector, seg->attrib,
			seg->limit, (unsigned long long)seg->base,
			exp_seg->selector, exp_seg->attrib, exp_seg->limit,
			(unsigned long long)exp_seg->base);
		ret++;
	}

	for (i = 0; i < ARRAY_SIZE(vmsave_msrs); i++) {
		msr = vmcb_field(buf, vmsave_msrs + i);
		exp_msr = vmcb_field(exp, vmsave_msrs + i);

		if (*msr == *exp_msr)
			continue;

		tst_res(TINFO, "%s: %s is 0x%llx, expected 0x%llx", what,
			vmsave_msrs[i].name, (unsigned long long)*msr,
			(unsigned long long)*exp_msr);
		ret++;
	}

	return ret;
}
