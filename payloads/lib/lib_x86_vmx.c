// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Intel VMX part of the x86 guest library: VMX operation, VMCS access and
 * running nested guests (x86_64; on i386 only the detection works).
 */
#include "kvm_x86_vmx.h"
#include "regs64_asm.h"

#define VMX_GUEST_STACK_SIZE 8192

/* Offsets the assembly below uses */
#define VMX_VCPU_REGS 8

static const char *const vmx_errors[] = {
	[1] = "VMCALL executed in VMX root operation",
	[2] = "VMCLEAR with invalid physical address",
	[3] = "VMCLEAR with VMXON pointer",
	[4] = "VMLAUNCH with non-clear VMCS",
	[5] = "VMRESUME with non-launched VMCS",
	[6] = "VMRESUME after VMXOFF",
	[7] = "VM entry with invalid control field(s)",
	[8] = "VM entry with invalid host-state field(s)",
	[9] = "VMPTRLD with invalid physical address",
	[10] = "VMPTRLD with VMXON pointer",
	[11] = "VMPTRLD with incorrect VMCS revision identifier",
	[12] = "VMREAD/VMWRITE from/to unsupported VMCS component",
	[13] = "VMWRITE to read-only VMCS component",
	[15] = "VMXON executed in VMX root operation",
	[16] = "VM entry with invalid executive-VMCS pointer",
	[17] = "VM entry with non-launched executive VMCS",
	[18] = "VM entry with executive-VMCS pointer not VMXON pointer",
	[19] = "VMCALL with non-clear VMCS",
	[20] = "VMCALL with invalid VM-exit control fields",
	[22] = "VMCALL with incorrect MSEG revision identifier",
	[23] = "VMXOFF under dual-monitor treatment of SMIs and SMM",
	[24] = "VMCALL with invalid SMM-monitor features",
	[25] = "VM entry with invalid VM-execution control fields in "
		"executive VMCS",
	[26] = "VM entry with events blocked by MOV SS",
	[28] = "Invalid operand to INVEPT/INVVPID",
};

/* VMXON region; NULL outside VMX operation */
static struct kvm_vmcs *vmxon_region;

/* Nested guests start here with RAX = guest_main and end in HLT */
void kvm_vmx_guest_entry(void);

/* Load cpu's registers, VMLAUNCH (resume == 0) or VMRESUME, and save the
 * registers at the VM exit: 0, or VMX_FAIL_* when the instruction failed */
int kvm_vmx_enter(struct kvm_vmx_vcpu *cpu, int resume);

#ifdef __x86_64__
_Static_assert(offsetof(struct kvm_vmx_vcpu, regs) == VMX_VCPU_REGS &&
	offsetof(struct kvm_regs64, r15) == REG_R15(0),
	"struct kvm_vmx_vcpu layout");

__asm__(
	".text\n"
	".global kvm_vmx_guest_entry\n"
	"kvm_vmx_guest_entry:\n"
	"	call *%rax\n"
	"1:	hlt\n"
	"	jmp 1b\n"

	".global kvm_vmx_enter\n"
	".type kvm_vmx_enter, @function\n"
	"kvm_vmx_enter:\n"
	"	push %rbx\n"
	"	push %rbp\n"
	"	push %r12\n"
	"	push %r13\n"
	"	push %r14\n"
	"	push %r15\n"
	"	push %rdi\n"
	/* The VM exit comes back to label 1 with this stack */
	"	mov $" STR(VMX_VMCS_HOST_RSP) ", %eax\n"
	"	vmwrite %rsp, %rax\n"
	"	jbe 3f\n"
	"	lea 1f(%rip), %rbx\n"
	"	mov $" STR(VMX_VMCS_HOST_RIP) ", %eax\n"
	"	vmwrite %rbx, %rax\n"
	"	jbe 3f\n"
	/* MOV keeps the flags of this test */
	"	test %esi, %esi\n"
	"	mov " STR(REG_RAX(VMX_VCPU_REGS)) "(%rdi), %rax\n"
	REGS64_LOAD(VMX_VCPU_REGS)
	"	mov " STR(REG_RDI(VMX_VCPU_REGS)) "(%rdi), %rdi\n"
	"	jnz 2f\n"
	"	vmlaunch\n"
	"	jmp 3f\n"
	"2:	vmresume\n"
	/* The instruction failed: CF set without a current VMCS, else ZF */
	"3:	mov $" STR(VMX_FAIL_INVALID) ", %eax\n"
	"	jc 4f\n"
	"	mov $" STR(VMX_FAIL_VALID) ", %eax\n"
	"4:	pop %rdi\n"
	"	jmp 5f\n"
	"1:	push %rdi\n"
	"	mov 8(%rsp), %rdi\n"
	"	pop " STR(REG_RDI(VMX_VCPU_REGS)) "(%rdi)\n"
	"	mov %rax, " STR(REG_RAX(VMX_VCPU_REGS)) "(%rdi)\n"
	REGS64_STORE(VMX_VCPU_REGS)
	"	pop %rdi\n"
	"	xor %eax, %eax\n"
	"5:	pop %r15\n"
	"	pop %r14\n"
	"	pop %r13\n"
	"	pop %r12\n"
	"	pop %rbp\n"
	"	pop %rbx\n"
	"	ret\n"
	".size kvm_vmx_enter, . - kvm_vmx_enter\n"
);
#else /* __x86_64__ */
void kvm_vmx_guest_entry(void)
{
}

int kvm_vmx_enter(struct kvm_vmx_vcpu *cpu, int resume)
{
	tst_brk(TCONF, "Nested VMX guests run only in x86_64 payloads");
}
#endif /* __x86_64__ */

int kvm_is_vmx_supported(void)
{
	struct kvm_cpuid buf;

	kvm_get_cpuid(1, 0, &buf);
	return !!(buf.ecx & X86_FEATURE_VMX);
}

uint64_t kvm_vmx_read_vmctl_mask(unsigned int ctl_id)
{
	/* The capability MSR of each control: the legacy one, and the "true"
	 * one that IA32_VMX_BASIC bit 55 says the CPU has */
	static const unsigned int msrs[VMX_CTLMASK_MAX][2] = {
		[VMX_CTLMASK_PINX] = {MSR_IA32_VMX_PINX_MASK,
			MSR_IA32_VMX_PINX_MASK2},
		[VMX_CTLMASK_EXECCTL] = {MSR_IA32_VMX_EXECCTL_MASK,
			MSR_IA32_VMX_EXECCTL_MASK2},
		[VMX_CTLMASK_EXECCTL2] = {MSR_IA32_VMX_EXECCTL2_MASK,
			MSR_IA32_VMX_EXECCTL2_MASK},
		[VMX_CTLMASK_EXECCTL3] = {MSR_IA32_VMX_EXECCTL3_MASK,
			MSR_IA32_VMX_EXECCTL3_MASK},
		[VMX_CTLMASK_EXITCTL] = {MSR_IA32_VMX_EXITCTL_MASK,
			MSR_IA32_VMX_EXITCTL_MASK2},
		[VMX_CTLMASK_ENTRYCTL] = {MSR_IA32_VMX_ENTRYCTL_MASK,
			MSR_IA32_VMX_ENTRYCTL_MASK2},
	};
	uint64_t primary;

	if (ctl_id >= VMX_CTLMASK_MAX)
		tst_brk(TBROK, "Invalid VMX control mask id %u", ctl_id);

	/* Secondary and tertiary controls exist only if the primary ones
	 * can enable them */
	if (ctl_id == VMX_CTLMASK_EXECCTL2 || ctl_id == VMX_CTLMASK_EXECCTL3) {
		primary = kvm_vmx_read_vmctl_mask(VMX_CTLMASK_EXECCTL) >> 32;

		if (!(primary & (ctl_id == VMX_CTLMASK_EXECCTL2 ?
			VMX_EXECCTL_ENABLE_CTL2 : VMX_EXECCTL_ENABLE_CTL3)))
			return 0;
	}

	return kvm_rdmsr(msrs[ctl_id][!!(kvm_rdmsr(MSR_IA32_VMX_BASIC) &
		IA32_VMXBASIC_USELESS_CTL_MASKS)]);
}

/* value with the bits the CPU requires set and those it lacks cleared;
 * TCONF if a wanted bit cannot be set */
static uint32_t adjust_vmctl(unsigned int ctl_id, uint32_t value)
{
	uint64_t mask = kvm_vmx_read_vmctl_mask(ctl_id);
	uint32_t missing = value & ~(uint32_t)(mask >> 32);

	if (missing) {
		tst_brk(TCONF, "CPU lacks VMX controls 0x%x (control %u)",
			missing, ctl_id);
	}

	return value | (uint32_t)mask;
}

struct kvm_vmcs *kvm_alloc_vmcs(void)
{
	struct kvm_vmcs *ret;

	ret = tst_heap_alloc_aligned(sizeof(struct kvm_vmcs), KVM_PAGE_SIZE);
	memzero(ret, sizeof(struct kvm_vmcs));
	ret->version = kvm_rdmsr(MSR_IA32_VMX_BASIC) &
		IA32_VMXBASIC_REVISION_MASK;
	return ret;
}

static uint64_t fixed_bits(uint64_t value, unsigned int msr_fixed0,
	unsigned int msr_fixed1)
{
	return (value | kvm_rdmsr(msr_fixed0)) & kvm_rdmsr(msr_fixed1);
}

/* A VMX instruction on a physical address in memory: 0 or VMX_FAIL_* */
#define VMX_ADDRESS_INST(inst, addr) ({ \
	int invalid_, valid_; \
	__asm__ volatile(inst " %[a]" \
		: "=@ccc" (invalid_), "=@ccz" (valid_) \
		: [a] "m" (addr) : "memory"); \
	VMX_FAILURE(invalid_, valid_); })

void kvm_set_vmx_state(int enabled)
{
	struct kvm_cregs cregs;
	uint64_t value;

	if (!kvm_is_vmx_supported())
		tst_brk(TCONF, "CPU does not support VMX");

	if (!enabled) {
		if (vmxon_region) {
			__asm__ volatile("vmxoff" ::: "memory", "cc");
			kvm_read_cregs(&cregs);
			kvm_set_cr4(cregs.cr4 & ~(unsigned long)CR4_VMXE);
			vmxon_region = NULL;
		}

		return;
	}

	if (vmxon_region)
		return;

#ifndef __x86_64__
	tst_brk(TCONF, "Nested VMX guests run only in x86_64 payloads");
#endif

	value = kvm_rdmsr(MSR_IA32_FEATURE_CONTROL);

	if (!(value & IA32FC_LOCK)) {
		kvm_wrmsr(MSR_IA32_FEATURE_CONTROL,
			value | IA32FC_LOCK | IA32FC_VMXON_NORMAL);
	} else if (!(value & IA32FC_VMXON_NORMAL)) {
		tst_brk(TCONF, "VMX is disabled in IA32_FEATURE_CONTROL");
	}

	/* VMX operation pins some CR0 and CR4 bits (CR0.NE, CR4.VMXE...) */
	kvm_read_cregs(&cregs);
	kvm_set_cr0(fixed_bits(cregs.cr0, MSR_IA32_VMX_CR0_FIXED0,
		MSR_IA32_VMX_CR0_FIXED1));
	kvm_set_cr4(fixed_bits(cregs.cr4 | CR4_VMXE, MSR_IA32_VMX_CR4_FIXED0,
		MSR_IA32_VMX_CR4_FIXED1));

	vmxon_region = kvm_alloc_vmcs();
	value = (uintptr_t)vmxon_region;

	if (VMX_ADDRESS_INST("vmxon", value)) {
		vmxon_region = NULL;
		tst_brk(TBROK, "VMXON failed");
	}
}

int kvm_vmx_inst_errno(void)
{
	uint64_t ret;

	if (kvm_vmx_vmptrst() == VMX_INVALID_VMCS ||
	    kvm_vmx_vmread_raw(VMX_VMCS_VMINST_ERROR, &ret))
		return -1;

	return ret;
}

const char *kvm_vmx_inst_strerr(int vmx_errno)
{
	if (vmx_errno == -1)
		return "No current VMCS";

	if (vmx_errno == 0)
		return "No error";

	if (vmx_errno < 0 || (unsigned int)vmx_errno >= ARRAY_SIZE(vmx_errors)
	    || !vmx_errors[vmx_errno])
		return "Unknown error";

	return vmx_errors[vmx_errno];
}

const char *kvm_vmx_inst_err(void)
{
	return kvm_vmx_inst_strerr(kvm_vmx_inst_errno());
}

/* TBROK naming the failed instruction */
static void check_vmx_inst(int failed, const char *inst, uint64_t arg)
{
	if (failed) {
		tst_brk(TBROK, "%s(0x%llx) failed: %s", inst,
			(unsigned long long)arg, failed == VMX_FAIL_INVALID ?
			"No current VMCS" : kvm_vmx_inst_err());
	}
}

void kvm_vmx_vmclear(struct kvm_vmcs *buf)
{
	uint64_t addr = (uintptr_t)buf;

	check_vmx_inst(VMX_ADDRESS_INST("vmclear", addr), "VMCLEAR", addr);
}

void kvm_vmx_vmptrld(struct kvm_vmcs *buf)
{
	uint64_t addr = (uintptr_t)buf;

	check_vmx_inst(VMX_ADDRESS_INST("vmptrld", addr), "VMPTRLD", addr);
}

uint64_t kvm_vmx_vmptrst(void)
{
	uint64_t ret;

	__asm__ volatile("vmptrst %0" : "=m" (ret) : : "memory");
	return ret;
}

uint64_t kvm_vmx_vmread(unsigned long var_id)
{
	uint64_t ret;

	check_vmx_inst(kvm_vmx_vmread_raw(var_id, &ret), "VMREAD", var_id);
	return ret;
}

void kvm_vmx_vmwrite(unsigned long var_id, uint64_t value)
{
	check_vmx_inst(kvm_vmx_vmwrite_raw(var_id, value), "VMWRITE", var_id);
}

/* VM exits set the GDTR and IDTR limits to 0xffff: put ours back */
static int vmx_enter(struct kvm_vmx_vcpu *cpu, int resume)
{
	struct kvm_dtable_register gdtr, idtr;
	int ret;

	__asm__ volatile("sgdt %0" : "=m" (gdtr));
	__asm__ volatile("sidt %0" : "=m" (idtr));
	ret = kvm_vmx_enter(cpu, resume);
	__asm__ volatile("lgdt %0" : : "m" (gdtr));
	__asm__ volatile("lidt %0" : : "m" (idtr));

	if (!ret)
		cpu->regs.rsp = kvm_vmx_vmread(VMX_VMCS_GUEST_RSP);

	return ret;
}

int kvm_vmx_vmlaunch(struct kvm_vmx_vcpu *cpu)
{
	return vmx_enter(cpu, 0);
}

int kvm_vmx_vmresume(struct kvm_vmx_vcpu *cpu)
{
	return vmx_enter(cpu, 1);
}

/* Access rights of a GDT descriptor as the VMCS takes them */
static uint32_t vmx_access_rights(unsigned int flags)
{
	uint32_t ret = (flags & 0xff) | ((flags >> 8) & 0xf) << 12;

	if (!(flags & SEGFLAG_PRESENT))
		return VMX_AR_UNUSABLE;

	/* The CPU sets the accessed bit of code and data segments it loads */
	if (flags & SEGFLAG_NSYSTEM)
		ret |= VMX_AR_ACCESSED;

	return ret;
}

void kvm_vmcs_copy_gdt_descriptor(unsigned int gdt_id,
	unsigned long vmcs_selector, unsigned long vmcs_flags,
	unsigned long vmcs_limit, unsigned long vmcs_baseaddr)
{
	struct kvm_segment_state seg;

	kvm_gdt_segment(gdt_id, &seg);
	kvm_vmx_vmwrite(vmcs_selector, seg.selector);
	kvm_vmx_vmwrite(vmcs_flags, vmx_access_rights(seg.attrib));
	kvm_vmx_vmwrite(vmcs_limit, seg.limit);
	kvm_vmx_vmwrite(vmcs_baseaddr, seg.base);
}

/* Guest segment register fields, by the distance between segments */
#define GUEST_SEGMENT(seg, gdt_id) kvm_vmcs_copy_gdt_descriptor(gdt_id, \
	VMX_VMCS_GUEST_ES + 2 * (seg), VMX_VMCS_GUEST_ES_ACCESS + 2 * (seg), \
	VMX_VMCS_GUEST_ES_LIMIT + 2 * (seg), VMX_VMCS_GUEST_ES_BASE + 2 * (seg))
enum { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_LDTR, SEG_TR };

/* Fields a plain nested guest needs to be zero */
static const uint16_t zeroed_fields[] = {
	VMX_VMCS_PF_ERROR_MASK, VMX_VMCS_PF_ERROR_MATCH,
	VMX_VMCS_CR3_TARGET_COUNT, VMX_VMCS_VMEXIT_MSR_STORE,
	VMX_VMCS_VMEXIT_MSR_LOAD, VMX_VMCS_VMENTRY_MSR_LOAD,
	VMX_VMCS_VMENTRY_INTR, VMX_VMCS_TSC_OFFSET, VMX_VMCS_CR0_MASK,
	VMX_VMCS_CR4_MASK, VMX_VMCS_CR0_SHADOW, VMX_VMCS_CR4_SHADOW,
	VMX_VMCS_GUEST_INTR_STATE, VMX_VMCS_GUEST_ACT_STATE,
	VMX_VMCS_GUEST_DEBUG_EXC, VMX_VMCS_GUEST_DEBUGCTL,
};

void kvm_init_vmx_vcpu(struct kvm_vmx_vcpu *cpu, uint16_t ss, void *rsp,
	int (*guest_main)(void))
{
	struct kvm_cpu_state state;
	unsigned int i;

	kvm_read_cpu_state(&state);

	kvm_vmx_vmclear(cpu->vmcs);
	kvm_vmx_vmptrld(cpu->vmcs);
	cpu->launched = 0;

	kvm_vmx_vmwrite(VMX_VMCS_VMPINX_CTL,
		adjust_vmctl(VMX_CTLMASK_PINX, 0));
	kvm_vmx_vmwrite(VMX_VMCS_VMEXEC_CTL,
		adjust_vmctl(VMX_CTLMASK_EXECCTL, VMX_EXECCTL_HLT_EXIT));
	kvm_vmx_vmwrite(VMX_VMCS_VMEXIT_CTL,
		adjust_vmctl(VMX_CTLMASK_EXITCTL, VMX_EXITCTL_X64));
	kvm_vmx_vmwrite(VMX_VMCS_VMENTRY_CTL,
		adjust_vmctl(VMX_CTLMASK_ENTRYCTL, VMX_ENTRYCTL_X64));

	/* Software must not rely on a cleared VMCS reading as zero */
	for (i = 0; i < ARRAY_SIZE(zeroed_fields); i++)
		kvm_vmx_vmwrite(zeroed_fields[i], 0);

	/* The nested guest shares our IDT, whose handlers assume our
	 * context: end its run instead */
	kvm_vmx_vmwrite(VMX_VMCS_EXCEPTION_BITMAP, 0xffffffff);
	kvm_vmx_vmwrite(VMX_VMCS_LINK_POINTER, VMX_INVALID_VMCS);

	GUEST_SEGMENT(SEG_ES, state.sregs.es >> 3);
	GUEST_SEGMENT(SEG_CS, state.sregs.cs >> 3);
	GUEST_SEGMENT(SEG_SS, ss ? ss : state.sregs.ss >> 3);
	GUEST_SEGMENT(SEG_DS, state.sregs.ds >> 3);
	GUEST_SEGMENT(SEG_FS, state.sregs.fs >> 3);
	GUEST_SEGMENT(SEG_GS, state.sregs.gs >> 3);
	GUEST_SEGMENT(SEG_LDTR, state.ldtr >> 3);
	GUEST_SEGMENT(SEG_TR, state.sregs.tr >> 3);
	kvm_vmx_vmwrite(VMX_VMCS_GUEST_FS_BASE, kvm_rdmsr(MSR_FS_BASE));
	kvm_vmx_vmwrite(VMX_VMCS_GUEST_GS_BASE, kvm_rdmsr(MSR_GS_BASE));
	kvm_vmx_vmwrite(VMX_VMCS_GUEST_GDTR_BASE, state.gdtr.base);
	kvm_vmx_vmwrite(VMX_VMCS_GUEST_GDTR_LIMIT, state.gdtr.limit);
	kvm_vmx_vmwrite(VMX_VMCS_GUEST_IDTR_BASE, state.idtr.base);
	kvm_vmx_vmwrite(VMX_VMCS_GUEST_IDTR_LIMIT, state.idtr.limit);

	kvm_vmx_vmwrite(VMX_VMCS_GUEST_CR0, state.cregs.cr0);
	kvm_vmx_vmwrite(VMX_VMCS_GUEST_CR3, state.cregs.cr3);
	kvm_vmx_vmwrite(VMX_VMCS_GUEST_CR4, state.cregs.cr4);
	kvm_vmx_vmwrite(VMX_VMCS_GUEST_DR7, DR7_INIT);
	kvm_vmx_vmwrite(VMX_VMCS_GUEST_SYSENTER_CS,
		kvm_rdmsr(MSR_SYSENTER_CS));
	kvm_vmx_vmwrite(VMX_VMCS_GUEST_SYSENTER_ESP,
		kvm_rdmsr(MSR_SYSENTER_ESP));
	kvm_vmx_vmwrite(VMX_VMCS_GUEST_SYSENTER_EIP,
		kvm_rdmsr(MSR_SYSENTER_EIP));
	kvm_vmx_vmwrite(VMX_VMCS_GUEST_RFLAGS, RFLAGS_RESERVED);
	kvm_vmx_vmwrite(VMX_VMCS_GUEST_RIP, (uintptr_t)kvm_vmx_guest_entry);
	kvm_vmx_vmwrite(VMX_VMCS_GUEST_RSP, (uintptr_t)rsp);

	memzero(&cpu->regs, sizeof(cpu->regs));
	cpu->regs.rax = (uintptr_t)guest_main;
	cpu->regs.rsp = (uintptr_t)rsp;
}

struct kvm_vmx_vcpu *kvm_create_vmx_vcpu(int (*guest_main)(void),
	int alloc_stack)
{
	struct kvm_vmx_vcpu *ret;
	char *stack = NULL;

	if (alloc_stack) {
		stack = tst_heap_alloc_aligned(VMX_GUEST_STACK_SIZE,
			KVM_PAGE_SIZE);
		stack += VMX_GUEST_STACK_SIZE;
	}

	ret = memzero(tst_heap_alloc(sizeof(*ret)), sizeof(*ret));
	ret->vmcs = kvm_alloc_vmcs();
	kvm_init_vmx_vcpu(ret, 0, stack, guest_main);
	return ret;
}

void kvm_vmx_activate_vcpu(struct kvm_vmx_vcpu *cpu)
{
	struct kvm_cpu_state state;
	struct kvm_segment_state tr;

	if (kvm_vmx_vmptrst() != (uintptr_t)cpu->vmcs)
		kvm_vmx_vmptrld(cpu->vmcs);

	kvm_read_cpu_state(&state);
	kvm_gdt_segment(state.sregs.tr >> 3, &tr);

	kvm_vmx_vmwrite(VMX_VMCS_HOST_CR0, state.cregs.cr0);
	kvm_vmx_vmwrite(VMX_VMCS_HOST_CR3, state.cregs.cr3);
	kvm_vmx_vmwrite(VMX_VMCS_HOST_CR4, state.cregs.cr4);
	kvm_vmx_vmwrite(VMX_VMCS_HOST_ES, state.sregs.es);
	kvm_vmx_vmwrite(VMX_VMCS_HOST_CS, state.sregs.cs);
	kvm_vmx_vmwrite(VMX_VMCS_HOST_SS, state.sregs.ss);
	kvm_vmx_vmwrite(VMX_VMCS_HOST_DS, state.sregs.ds);
	kvm_vmx_vmwrite(VMX_VMCS_HOST_FS, state.sregs.fs);
	kvm_vmx_vmwrite(VMX_VMCS_HOST_GS, state.sregs.gs);
	kvm_vmx_vmwrite(VMX_VMCS_HOST_TR, state.sregs.tr);
	kvm_vmx_vmwrite(VMX_VMCS_HOST_FS_BASE, kvm_rdmsr(MSR_FS_BASE));
	kvm_vmx_vmwrite(VMX_VMCS_HOST_GS_BASE, kvm_rdmsr(MSR_GS_BASE));
	kvm_vmx_vmwrite(VMX_VMCS_HOST_TR_BASE, tr.base);
	kvm_vmx_vmwrite(VMX_VMCS_HOST_GDTR_BASE, state.gdtr.base);
	kvm_vmx_vmwrite(VMX_VMCS_HOST_IDTR_BASE, state.idtr.base);
	kvm_vmx_vmwrite(VMX_VMCS_HOST_SYSENTER_CS, kvm_rdmsr(MSR_SYSENTER_CS));
	kvm_vmx_vmwrite(VMX_VMCS_HOST_SYSENTER_ESP,
		kvm_rdmsr(MSR_SYSENTER_ESP));
	kvm_vmx_vmwrite(VMX_VMCS_HOST_SYSENTER_EIP,
		kvm_rdmsr(MSR_SYSENTER_EIP));
}

void kvm_vmx_vmrun(struct kvm_vmx_vcpu *cpu)
{
	const char *inst = cpu->launched ? "VMRESUME" : "VMLAUNCH";
	uint64_t reason;
	int ret;

	kvm_vmx_activate_vcpu(cpu);
	ret = cpu->launched ? kvm_vmx_vmresume(cpu) : kvm_vmx_vmlaunch(cpu);

	if (ret) {
		tst_brk(TBROK, "%s failed: %s", inst, ret == VMX_FAIL_INVALID ?
			"No current VMCS" : kvm_vmx_inst_err());
	}

	reason = kvm_vmx_vmread(VMX_VMCS_EXIT_REASON);

	if (reason & VMX_EXIT_FAILED_ENTRY) {
		tst_brk(TBROK, "%s failed to enter the nested guest: exit reason "
			"%llu, qualification 0x%llx", inst,
			(unsigned long long)(reason & VMX_EXIT_REASON_MASK),
			(unsigned long long)
			kvm_vmx_vmread(VMX_VMCS_EXIT_QUALIFICATION));
	}

	cpu->launched = 1;
}
