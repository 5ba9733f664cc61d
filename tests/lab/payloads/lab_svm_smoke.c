// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The emulated SVM lab's own check that nested SVM works, written against
 * nothing but the base guest API (no kvm_x86_svm.h), so that a failing
 * kvm_svm* test can be told apart from a lab whose nested SVM is broken.
 *
 * Enable EFER.SVME, build a VMCB for a nested guest that shares our page
 * tables and CPU mode (64-bit, or 32-bit with PAE paging on i386; no nested
 * paging), VMRUN it; the nested guest writes a flag and executes VMMCALL,
 * which we intercept. Expect #VMEXIT code VMMCALL (0x81), the flag written
 * and the guest RIP at VMMCALL.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD
#if defined(__x86_64__) || defined(__i386__)

#include "kvm_x86.h"

/* VMCB offsets (AMD APM vol. 2, appendix B) */
#define VMCB_INTERCEPT_MISC1 0x00c
#define VMCB_INTERCEPT_MISC2 0x010
#define VMCB_ASID 0x058
#define VMCB_EXITCODE 0x070
#define VMCB_EXITINFO1 0x078
#define VMCB_EXITINFO2 0x080
#define VMCB_ES 0x400
#define VMCB_CS 0x410
#define VMCB_SS 0x420
#define VMCB_DS 0x430
#define VMCB_GDTR 0x460
#define VMCB_IDTR 0x480
#define VMCB_EFER 0x4d0
#define VMCB_CR4 0x548
#define VMCB_CR3 0x550
#define VMCB_CR0 0x558
#define VMCB_DR7 0x560
#define VMCB_DR6 0x568
#define VMCB_RFLAGS 0x570
#define VMCB_RIP 0x578
#define VMCB_RSP 0x5d8
#define VMCB_RAX 0x5f8
#define VMCB_G_PAT 0x668

#define INTERCEPT_HLT (1u << 24)	/* misc1 */
#define INTERCEPT_SHUTDOWN (1u << 31)	/* misc1 */
#define INTERCEPT_VMRUN (1u << 0)	/* misc2 */
#define INTERCEPT_VMMCALL (1u << 1)	/* misc2 */

#define SVM_EXIT_VMMCALL 0x81
#define SVM_EXIT_HLT 0x78
#define SVM_EXIT_INVALID 0xffffffffffffffffULL

#define L2_MAGIC 0x6c325f72

static uint8_t vmcb[4096] __attribute__((aligned(4096)));
static uint8_t hsave[4096] __attribute__((aligned(4096)));
static uint8_t l2_stack[4096] __attribute__((aligned(16)));
volatile uint32_t l2_flag;

/* The nested guest: write the flag, VMMCALL, and halt if we come back */
extern char l2_entry[], l2_vmmcall[];
asm(".pushsection .text\n"
    "l2_entry:\n"
#if defined(__x86_64__)
    "	movl $0x6c325f72, l2_flag(%rip)\n"
#else
    "	movl $0x6c325f72, l2_flag\n"
#endif
    "l2_vmmcall:\n"
    "	vmmcall\n"
    "1:	hlt\n"
    "	jmp 1b\n"
    ".popsection\n");

#define VMCB(type, off) (*(volatile type *)(vmcb + (off)))

struct dtr {
	uint16_t limit;
	uintptr_t base;
} __attribute__((packed));

static void set_seg(unsigned int off, uint16_t sel, uint16_t attrib)
{
	VMCB(uint16_t, off) = sel;
	VMCB(uint16_t, off + 2) = attrib;
	VMCB(uint32_t, off + 4) = 0xffffffff;
	VMCB(uint64_t, off + 8) = 0;
}

void main(void)
{
	struct kvm_cpuid cpuid;
	struct kvm_cregs cregs;
	struct kvm_sregs sregs;
	struct dtr gdtr, idtr;
	unsigned long rflags;
	uint64_t exitcode;

	kvm_get_cpuid(CPUID_GET_INPUT_RANGE, 0, &cpuid);
	if (cpuid.eax < CPUID_GET_EXT_FEATURES)
		tst_brk(TCONF, "No extended CPUID leaves");
	kvm_get_cpuid(CPUID_GET_EXT_FEATURES, 0, &cpuid);
	if (!(cpuid.ecx & X86_FEATURE_SVM))
		tst_brk(TCONF, "The virtual CPU has no SVM");
	if (kvm_rdmsr(MSR_VM_CR) & VM_CR_SVMDIS)
		tst_brk(TCONF, "SVM is disabled (VM_CR.SVMDIS)");

	kvm_wrmsr(MSR_EFER, kvm_rdmsr(MSR_EFER) | EFER_SVME);
	kvm_wrmsr(MSR_VM_HSAVE_PA, (uintptr_t)hsave);

	/* FS, GS, TR, LDTR and the syscall MSRs: copy ours */
	asm volatile("vmsave" : : "a"(vmcb) : "memory");

	kvm_read_cregs(&cregs);
	kvm_read_sregs(&sregs);
	asm volatile("sgdt %0" : "=m"(gdtr));
	asm volatile("sidt %0" : "=m"(idtr));
	asm volatile("pushf; pop %0" : "=r"(rflags));

	VMCB(uint32_t, VMCB_INTERCEPT_MISC1) = INTERCEPT_HLT |
		INTERCEPT_SHUTDOWN;
	VMCB(uint32_t, VMCB_INTERCEPT_MISC2) = INTERCEPT_VMRUN |
		INTERCEPT_VMMCALL;
	VMCB(uint32_t, VMCB_ASID) = 1;

	/* Flat segments: attributes are type|S|DPL|P|AVL|L|D|G */
#if defined(__x86_64__)
	set_seg(VMCB_CS, sregs.cs, 0x29b);	/* 64-bit code */
#else
	set_seg(VMCB_CS, sregs.cs, 0xc9b);	/* 32-bit code */
#endif
	set_seg(VMCB_SS, sregs.ss, 0xc93);
	set_seg(VMCB_DS, sregs.ds, 0xc93);
	set_seg(VMCB_ES, sregs.es, 0xc93);
	VMCB(uint32_t, VMCB_GDTR + 4) = gdtr.limit;
	VMCB(uint64_t, VMCB_GDTR + 8) = gdtr.base;
	VMCB(uint32_t, VMCB_IDTR + 4) = idtr.limit;
	VMCB(uint64_t, VMCB_IDTR + 8) = idtr.base;

	VMCB(uint64_t, VMCB_EFER) = kvm_rdmsr(MSR_EFER);
	VMCB(uint64_t, VMCB_CR0) = cregs.cr0;
	VMCB(uint64_t, VMCB_CR3) = cregs.cr3;
	VMCB(uint64_t, VMCB_CR4) = cregs.cr4;
	VMCB(uint64_t, VMCB_DR6) = 0xffff0ff0;
	VMCB(uint64_t, VMCB_DR7) = 0x400;
	VMCB(uint64_t, VMCB_RFLAGS) = (rflags & ~0x200UL) | 2;
	VMCB(uint64_t, VMCB_RIP) = (uintptr_t)l2_entry;
	VMCB(uint64_t, VMCB_RSP) = (uintptr_t)(l2_stack + sizeof(l2_stack));
	VMCB(uint64_t, VMCB_RAX) = 0;
	VMCB(uint64_t, VMCB_G_PAT) = 0x0007040600070406ULL;

	/*
	 * VMRUN restores only RAX, RSP and RIP of ours at #VMEXIT: save the
	 * rest around it. GIF is cleared across the world switch.
	 */
#if defined(__x86_64__)
	asm volatile(
		"push %%rbx; push %%rcx; push %%rdx; push %%rsi; push %%rdi\n"
		"push %%rbp; push %%r8; push %%r9; push %%r10; push %%r11\n"
		"push %%r12; push %%r13; push %%r14; push %%r15\n"
		"clgi\n"
		"vmrun\n"
		"stgi\n"
		"pop %%r15; pop %%r14; pop %%r13; pop %%r12\n"
		"pop %%r11; pop %%r10; pop %%r9; pop %%r8; pop %%rbp\n"
		"pop %%rdi; pop %%rsi; pop %%rdx; pop %%rcx; pop %%rbx\n"
		: : "a"(vmcb) : "memory", "cc");
#else
	asm volatile(
		"push %%ebx; push %%ecx; push %%edx; push %%esi; push %%edi\n"
		"push %%ebp\n"
		"clgi\n"
		"vmrun\n"
		"stgi\n"
		"pop %%ebp; pop %%edi; pop %%esi; pop %%edx; pop %%ecx\n"
		"pop %%ebx\n"
		: : "a"(vmcb) : "memory", "cc");
#endif

	exitcode = VMCB(uint64_t, VMCB_EXITCODE);
	if (exitcode == SVM_EXIT_INVALID)
		tst_brk(TFAIL, "VMRUN refused the VMCB (VMEXIT_INVALID)");
	if (exitcode != SVM_EXIT_VMMCALL) {
		tst_brk(TFAIL, "Nested guest exited with code 0x%llx "
			"(info1 0x%llx, info2 0x%llx, RIP 0x%llx), "
			"expected VMMCALL", (unsigned long long)exitcode,
			(unsigned long long)VMCB(uint64_t, VMCB_EXITINFO1),
			(unsigned long long)VMCB(uint64_t, VMCB_EXITINFO2),
			(unsigned long long)VMCB(uint64_t, VMCB_RIP));
	}
	if (l2_flag != L2_MAGIC)
		tst_brk(TFAIL, "VMMCALL exit but the nested guest did not run");
	/* With NRIP saving, RIP may be past VMMCALL (3 bytes) already */
	if (VMCB(uint64_t, VMCB_RIP) != (uintptr_t)l2_vmmcall &&
	    VMCB(uint64_t, VMCB_RIP) != (uintptr_t)l2_vmmcall + 3) {
		tst_res(TFAIL, "VMMCALL exit at RIP 0x%llx, VMMCALL is at 0x%lx",
			(unsigned long long)VMCB(uint64_t, VMCB_RIP),
			(unsigned long)l2_vmmcall);
		return;
	}
	tst_res(TPASS, "A nested guest ran under SVM and its VMMCALL was "
		"intercepted");
}

#else
TST_TEST_TCONF("Test supported only on x86");
#endif

#endif /* COMPILE_PAYLOAD */
