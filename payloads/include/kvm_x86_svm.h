/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * AMD SVM (nested virtualisation) part of the x86 guest library, with the
 * names and meanings of LTP's kvm_x86_svm.h. Layouts follow the AMD64
 * Architecture Programmer's Manual, volume 2, appendix B (VMCB layout).
 *
 * The payload's memory is identity-mapped, so the pointers below double as
 * the physical addresses VMRUN, VMLOAD and VMSAVE take.
 *
 * i386 payloads can run nested guests too (legacy-mode SVM, checked on
 * QEMU's SVM emulation), but KVM 6.1 shuts a 32-bit PAE guest down at its
 * nested guest's #VMEXIT, so ltpkvm's SVM tests are x86_64 only.
 */
#ifndef KVM_X86_SVM_H_
#define KVM_X86_SVM_H_

#include "kvm_x86.h"

/* CPUID_GET_SVM_FEATURES (0x8000000a) flags returned in EDX */
#define SVM_CPUID_NESTED_PAGING (1 << 0)
#define SVM_CPUID_LBR_VIRT (1 << 1)
#define SVM_CPUID_LOCK (1 << 2)
#define SVM_CPUID_NRIP_SAVE (1 << 3)
#define SVM_CPUID_TSC_RATE_MSR (1 << 4)
#define SVM_CPUID_VMCB_CLEAN (1 << 5)
#define SVM_CPUID_FLUSH_ASID (1 << 6)
#define SVM_CPUID_DECODE_ASSIST (1 << 7)
#define SVM_CPUID_PAUSE_FILTER (1 << 10)
#define SVM_CPUID_PAUSE_THRESHOLD (1 << 12)
#define SVM_CPUID_AVIC (1 << 13)
#define SVM_CPUID_VMSAVE_VIRT (1 << 15)
#define SVM_CPUID_VGIF (1 << 16)
#define SVM_CPUID_GMET (1 << 17)
#define SVM_CPUID_X2AVIC (1 << 18)
#define SVM_CPUID_SSSCHECK (1 << 19)
#define SVM_CPUID_SPEC_CTRL (1 << 20)
#define SVM_CPUID_ROGPT (1 << 21)
#define SVM_CPUID_HOST_MCE_OVERRIDE (1 << 23)
#define SVM_CPUID_TLBI_CTL (1 << 24)
#define SVM_CPUID_NMI_VIRT (1 << 25)
#define SVM_CPUID_IBS_VIRT (1 << 26)

/*
 * Intercept ids for kvm_vmcb_set_intercept(): bit numbers in the VMCB
 * intercept vectors taken as one bit array (vector N at byte 4 * N). An id
 * equals the exit code of the event it intercepts.
 */
#define SVM_INTERCEPT_EXCEPTION(vector) (0x40 + (vector))
#define SVM_INTERCEPT_HLT 0x78
#define SVM_INTERCEPT_VMRUN 0x80
#define SVM_INTERCEPT_VMLOAD 0x82
#define SVM_INTERCEPT_VMSAVE 0x83
#define SVM_INTERCEPT_STGI 0x84
#define SVM_INTERCEPT_CLGI 0x85
/* Ids below this fit in kvm_vmcb.intercepts[] */
#define SVM_INTERCEPT_MAX 0x95

/* #VMEXIT codes (struct kvm_vmcb.exitcode) */
#define SVM_EXIT_HLT 0x78
#define SVM_EXIT_VMRUN 0x80
#define SVM_EXIT_VMMCALL 0x81
#define SVM_EXIT_VMLOAD 0x82
#define SVM_EXIT_VMSAVE 0x83
#define SVM_EXIT_STGI 0x84
#define SVM_EXIT_CLGI 0x85
#define SVM_EXIT_AVIC_NOACCEL 0x402
#define SVM_EXIT_INVALID ((uint64_t)-1)	/* VMRUN refused the VMCB */

/* struct kvm_vmcb.virt_intr_ctl: bits 31:24 of the VMCB int_ctl field */
#define SVM_INTR_AVIC (1 << 7)

/* struct kvm_vmcb.virt_ext */
#define SVM_VIRT_EXT_VMSAVE_VMLOAD (1 << 1)

/* AVIC: APIC register offsets (the nested guest's APIC page) and
 * SVM_EXIT_AVIC_NOACCEL exit information */
#define AVIC_REG_ESR 0x280
#define AVIC_NOACCEL_OFFSET_MASK 0xff0	/* exitinfo1: register offset */
#define AVIC_NOACCEL_WRITE (1ULL << 32)	/* exitinfo1: write access */

/* A segment register in the VMCB; attrib holds descriptor bits 40-47 in
 * bits 0-7 and descriptor bits 52-55 in bits 8-11 */
struct kvm_vmcb_descriptor {
	uint16_t selector;
	uint16_t attrib;
	uint32_t limit;
	uint64_t base;
} __attribute__((__packed__));

/*
 * The VMCB: the control area (0x000-0x3ff) then the state save area.
 * Where LTP's field name differs from the APM's (and Linux's), an anonymous
 * union gives the field both names.
 */
struct kvm_vmcb {
	/* Control area */
	uint8_t intercepts[20];
	union {
		uint8_t reserved1[44];
		struct {
			uint8_t reserved1_lo[0x3c - 20];
			uint16_t pause_filter_thresh;
			uint16_t pause_filter_count;
		} __attribute__((__packed__));
	};
	uint64_t iopm_base_addr;
	uint64_t msrpm_base_addr;
	uint64_t tsc_offset;
	union {
		uint32_t guest_asid;
		uint32_t asid;
	};
	uint32_t tlb_control;
	union {
		uint32_t int_ctl;
		struct {
			uint8_t virtual_tpr;
			uint8_t virtual_irq;
			unsigned char virt_intr_prio: 4;
			unsigned char virt_ignore_tpr: 4;
			uint8_t virt_intr_ctl;	/* SVM_INTR_* */
		} __attribute__((__packed__));
	};
	uint8_t virt_intr_vector;
	uint8_t reserved2[3];
	uint64_t interrupt_shadow;
	union {
		uint64_t exitcode;
		uint64_t exit_code;
	};
	union {
		uint64_t exitinfo1;
		uint64_t exit_info_1;
	};
	union {
		uint64_t exitinfo2;
		uint64_t exit_info_2;
	};
	uint64_t exit_int_info;
	union {
		uint64_t enable_nested_paging;
		uint64_t nested_ctl;
	};
	uint64_t avic_bar;
	uint64_t ghcb_gpa;
	uint64_t event_injection;
	uint64_t nested_cr3;
	uint64_t virt_ext;
	uint32_t vmcb_clean;
	uint8_t reserved3[4];
	uint64_t next_rip;
	uint8_t instr_len;
	uint8_t instr_bytes[15];
	uint64_t avic_backing_page;
	uint8_t reserved4[8];
	uint64_t avic_logical_ptr;
	uint64_t avic_physical_ptr;
	uint8_t reserved5[8];
	uint64_t vmsa_pa;
	uint64_t vmgexit_rax;
	uint8_t vmgexit_cpl;
	uint8_t reserved6[0x400 - 0x119];

	/* State save area */
	struct kvm_vmcb_descriptor es, cs, ss, ds, fs, gs;
	struct kvm_vmcb_descriptor gdtr, ldtr, idtr, tr;
	uint8_t reserved7[43];
	uint8_t cpl;
	uint8_t reserved8[4];
	uint64_t efer;
	uint8_t reserved9[112];
	uint64_t cr4;
	uint64_t cr3;
	uint64_t cr0;
	uint64_t dr7;
	uint64_t dr6;
	uint64_t rflags;
	uint64_t rip;
	uint8_t reserved10[88];
	uint64_t rsp;
	uint64_t s_cet;
	uint64_t ssp;
	uint64_t isst_addr;
	uint64_t rax;
	uint64_t star;
	uint64_t lstar;
	uint64_t cstar;
	uint64_t sfmask;
	uint64_t kernel_gs_base;
	uint64_t sysenter_cs;
	uint64_t sysenter_esp;
	uint64_t sysenter_eip;
	uint64_t cr2;
	uint8_t reserved11[32];
	union {
		uint64_t guest_pat;
		uint64_t g_pat;
	};
	union {
		uint8_t padding[0x990];
		struct {
			uint64_t dbgctl;
			uint64_t br_from;
			uint64_t br_to;
			uint64_t last_excp_from;
			uint64_t last_excp_to;
		} __attribute__((__packed__));
	};
} __attribute__((__packed__));

/* A nested guest: its VMCB and the general registers VMRUN does not switch
 * (regs.rax and regs.rsp mirror vmcb->rax and vmcb->rsp after a run) */
struct kvm_svm_vcpu {
	struct kvm_vmcb *vmcb;
	struct kvm_regs64 regs;
};

/* SVM support and EFER.SVME; kvm_set_svm_state() reports TCONF when SVM is
 * absent or disabled in MSR_VM_CR */
int kvm_is_svm_supported(void);
int kvm_get_svm_state(void);
void kvm_set_svm_state(int enabled);

/* Enable SVM and set up the host save area (MSR_VM_HSAVE_PA); TCONF when
 * the CPU cannot run nested guests. Call it first. */
void kvm_init_svm(void);

/* A zeroed, page-aligned VMCB */
struct kvm_vmcb *kvm_alloc_vmcb(void);

/* Copy kvm_gdt[gdt_id] into a VMCB segment, selector gdt_id << 3 */
void kvm_vmcb_copy_gdt_descriptor(struct kvm_vmcb_descriptor *dst,
	unsigned int gdt_id);

/* Set (state != 0) or clear intercept id (SVM_INTERCEPT_*) */
void kvm_vmcb_set_intercept(struct kvm_vmcb *vmcb, unsigned int id,
	unsigned int state);

/*
 * Reset vmcb to run guest_main() with the caller's control registers,
 * segments and VMLOAD/VMSAVE state, on the stack segment kvm_gdt[ss] (0:
 * the caller's SS) with stack pointer rsp. VMRUN, HLT and every CPU
 * exception are intercepted: the nested guest ends with SVM_EXIT_HLT when
 * guest_main() returns (its return value in vmcb->rax), or with the exit
 * code of the first exception it raises. It cannot report results itself:
 * tst_res() would halt, which ends its run.
 */
void kvm_init_guest_vmcb(struct kvm_vmcb *vmcb, uint32_t asid, uint16_t ss,
	void *rsp, int (*guest_main)(void));

/* A nested guest for guest_main() with ASID 1 and, if alloc_stack, its own
 * stack (otherwise set vmcb->rsp before running it) */
struct kvm_svm_vcpu *kvm_create_svm_vcpu(int (*guest_main)(void),
	int alloc_stack);

/*
 * Run the nested guest until its next #VMEXIT (vmcb->exitcode says why):
 * switch the general registers and the VMLOAD/VMSAVE state, with GIF clear
 * around the switch.
 */
void kvm_svm_vmrun(struct kvm_svm_vcpu *cpu);

/* VMLOAD: load FS, GS, TR and LDTR (hidden parts included), KernelGsBase,
 * STAR, LSTAR, CSTAR, SFMASK and SYSENTER_CS/ESP/EIP from buf */
void kvm_svm_vmload(struct kvm_vmcb *buf);

/* VMSAVE: store the same state into buf */
void kvm_svm_vmsave(struct kvm_vmcb *buf);

/*
 * ltpkvm extensions for VMLOAD/VMSAVE tests. kvm_vmcb_fill_vmsave_state()
 * sets the state VMLOAD loads to values unique to seed, which the payload
 * survives running with (it uses neither FS, GS, LDTR, the TSS nor the
 * syscall MSRs). kvm_vmcb_cmp_vmsave_state() reports (TINFO) each field of
 * that state in which buf differs from exp, naming buf as what, and returns
 * how many differ.
 */
void kvm_vmcb_fill_vmsave_state(struct kvm_vmcb *buf, unsigned int seed);
int kvm_vmcb_cmp_vmsave_state(const char *what, const struct kvm_vmcb *buf,
	const struct kvm_vmcb *exp);

/* TBROK for a nested guest's unexpected #VMEXIT, at the caller's line */
#define KVM_SVM_BRK_UNEXPECTED_EXIT(vmcb) \
	tst_brk(TBROK, "Nested guest exited unexpectedly: exit code " \
		"0x%llx, info 0x%llx/0x%llx, RIP 0x%llx", \
		(unsigned long long)(vmcb)->exitcode, \
		(unsigned long long)(vmcb)->exitinfo1, \
		(unsigned long long)(vmcb)->exitinfo2, \
		(unsigned long long)(vmcb)->rip)

#endif /* KVM_X86_SVM_H_ */
