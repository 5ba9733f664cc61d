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
#define SVM_INTERCEPT_CR_READ(cr) (cr)
#define SVM_INTERCEPT_CR_WRITE(cr) (0x10 + (cr))
#define SVM_INTERCEPT_DR_READ(dr) (0x20 + (dr))
#define SVM_INTERCEPT_DR_WRITE(dr) (0x30 + (dr))
#define SVM_INTERCEPT_EXCEPTION(vector) (0x40 + (vector))
#define SVM_INTERCEPT_INTR 0x60
#define SVM_INTERCEPT_NMI 0x61
#define SVM_INTERCEPT_SMI 0x62
#define SVM_INTERCEPT_INIT 0x63
#define SVM_INTERCEPT_VINTR 0x64
#define SVM_INTERCEPT_CR0_SEL_WRITE 0x65
#define SVM_INTERCEPT_IDTR_READ 0x66
#define SVM_INTERCEPT_GDTR_READ 0x67
#define SVM_INTERCEPT_LDTR_READ 0x68
#define SVM_INTERCEPT_TR_READ 0x69
#define SVM_INTERCEPT_IDTR_WRITE 0x6a
#define SVM_INTERCEPT_GDTR_WRITE 0x6b
#define SVM_INTERCEPT_LDTR_WRITE 0x6c
#define SVM_INTERCEPT_TR_WRITE 0x6d
#define SVM_INTERCEPT_RDTSC 0x6e
#define SVM_INTERCEPT_RDPMC 0x6f
#define SVM_INTERCEPT_PUSHF 0x70
#define SVM_INTERCEPT_POPF 0x71
#define SVM_INTERCEPT_CPUID 0x72
#define SVM_INTERCEPT_RSM 0x73
#define SVM_INTERCEPT_IRET 0x74
#define SVM_INTERCEPT_SWINT 0x75
#define SVM_INTERCEPT_INVD 0x76
#define SVM_INTERCEPT_PAUSE 0x77
#define SVM_INTERCEPT_HLT 0x78
#define SVM_INTERCEPT_INVLPG 0x79
#define SVM_INTERCEPT_INVLPGA 0x7a
#define SVM_INTERCEPT_IOIO_PROT 0x7b
#define SVM_INTERCEPT_MSR_PROT 0x7c
#define SVM_INTERCEPT_TASK_SWITCH 0x7d
#define SVM_INTERCEPT_FERR_FREEZE 0x7e
#define SVM_INTERCEPT_SHUTDOWN 0x7f
#define SVM_INTERCEPT_VMRUN 0x80
#define SVM_INTERCEPT_VMMCALL 0x81
#define SVM_INTERCEPT_VMLOAD 0x82
#define SVM_INTERCEPT_VMSAVE 0x83
#define SVM_INTERCEPT_STGI 0x84
#define SVM_INTERCEPT_CLGI 0x85
#define SVM_INTERCEPT_SKINIT 0x86
#define SVM_INTERCEPT_RDTSCP 0x87
#define SVM_INTERCEPT_ICEBP 0x88
#define SVM_INTERCEPT_WBINVD 0x89
#define SVM_INTERCEPT_MONITOR 0x8a
#define SVM_INTERCEPT_MWAIT 0x8b
#define SVM_INTERCEPT_MWAIT_COND 0x8c
#define SVM_INTERCEPT_XSETBV 0x8d
#define SVM_INTERCEPT_RDPRU 0x8e
#define SVM_INTERCEPT_EFER_WRITE_TRAP 0x8f
#define SVM_INTERCEPT_CR_WRITE_TRAP(cr) (0x90 + (cr))
/* Ids below this fit in kvm_vmcb.intercepts[] */
#define SVM_INTERCEPT_MAX 0x95

/* #VMEXIT codes (struct kvm_vmcb.exitcode) */
#define SVM_EXIT_CR_READ(cr) (cr)
#define SVM_EXIT_CR_WRITE(cr) (0x10 + (cr))
#define SVM_EXIT_DR_READ(dr) (0x20 + (dr))
#define SVM_EXIT_DR_WRITE(dr) (0x30 + (dr))
#define SVM_EXIT_EXCEPTION(vector) (0x40 + (vector))
#define SVM_EXIT_INTR 0x60
#define SVM_EXIT_NMI 0x61
#define SVM_EXIT_CPUID 0x72
#define SVM_EXIT_HLT 0x78
#define SVM_EXIT_IOIO 0x7b
#define SVM_EXIT_MSR 0x7c
#define SVM_EXIT_SHUTDOWN 0x7f
#define SVM_EXIT_VMRUN 0x80
#define SVM_EXIT_VMMCALL 0x81
#define SVM_EXIT_VMLOAD 0x82
#define SVM_EXIT_VMSAVE 0x83
#define SVM_EXIT_STGI 0x84
#define SVM_EXIT_CLGI 0x85
#define SVM_EXIT_NPF 0x400
#define SVM_EXIT_AVIC_INCOMPLETE_IPI 0x401
#define SVM_EXIT_AVIC_NOACCEL 0x402
#define SVM_EXIT_VMGEXIT 0x403
#define SVM_EXIT_INVALID ((uint64_t)-1)	/* VMRUN refused the VMCB */

/* struct kvm_vmcb.virt_intr_ctl: bits 31:24 of the VMCB int_ctl field */
#define SVM_INTR_V_INTR_MASKING (1 << 0)
#define SVM_INTR_VGIF (1 << 1)
#define SVM_INTR_V_NMI (1 << 2)
#define SVM_INTR_X2AVIC (1 << 6)
#define SVM_INTR_AVIC (1 << 7)

/* struct kvm_vmcb.int_ctl, the same field as a whole */
#define SVM_INT_CTL_V_IRQ (1 << 8)
#define SVM_INT_CTL_V_GIF (1 << 9)	/* virtual GIF value */
#define SVM_INT_CTL_V_INTR_MASKING (1 << 24)
#define SVM_INT_CTL_V_GIF_ENABLE (1 << 25)
#define SVM_INT_CTL_AVIC_ENABLE (1U << 31)

/* struct kvm_vmcb.enable_nested_paging */
#define SVM_NESTED_CTL_NP_ENABLE (1 << 0)

/* struct kvm_vmcb.virt_ext */
#define SVM_VIRT_EXT_LBR (1 << 0)
#define SVM_VIRT_EXT_VMSAVE_VMLOAD (1 << 1)

/* AVIC: APIC register offsets (the nested guest's APIC page) and
 * SVM_EXIT_AVIC_NOACCEL exit information */
#define AVIC_REG_TPR 0x80
#define AVIC_REG_EOI 0xb0
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
		uint32_t int_ctl;	/* SVM_INT_CTL_* */
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
