/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Intel VMX (nested virtualisation) part of the x86 guest library, with the
 * names and meanings of LTP's kvm_x86_vmx.h. Encodings follow the Intel SDM,
 * volume 3, appendices A (capability MSRs) and B (VMCS field encodings).
 *
 * Running nested guests is implemented for x86_64 payloads only: on i386,
 * kvm_set_vmx_state() reports TCONF. The payload's memory is
 * identity-mapped, so pointers double as the physical addresses that VMX
 * instructions and VMCS fields take.
 */
#ifndef KVM_X86_VMX_H_
#define KVM_X86_VMX_H_

#include "kvm_x86.h"

/* CPUID_GET_MODEL_INFO ECX */
#define CPUID_MODEL_VMX (1 << 5)
#define CPUID_MODEL_SMX (1 << 6)

/* Model-specific registers */
#define MSR_IA32_VMX_BASIC 0x480
#define MSR_IA32_VMX_PINX_MASK 0x481
#define MSR_IA32_VMX_EXECCTL_MASK 0x482
#define MSR_IA32_VMX_EXITCTL_MASK 0x483
#define MSR_IA32_VMX_ENTRYCTL_MASK 0x484
#define MSR_IA32_VMX_MISC 0x485
#define MSR_IA32_VMX_CR0_FIXED0 0x486
#define MSR_IA32_VMX_CR0_FIXED1 0x487
#define MSR_IA32_VMX_CR4_FIXED0 0x488
#define MSR_IA32_VMX_CR4_FIXED1 0x489
#define MSR_IA32_VMX_VMCS_ENUM 0x48a
#define MSR_IA32_VMX_EXECCTL2_MASK 0x48b
#define MSR_IA32_VMX_EPT_VPID_CAP 0x48c
/* The "true" control masks, which may allow clearing default1 bits */
#define MSR_IA32_VMX_PINX_MASK2 0x48d
#define MSR_IA32_VMX_EXECCTL_MASK2 0x48e
#define MSR_IA32_VMX_EXITCTL_MASK2 0x48f
#define MSR_IA32_VMX_ENTRYCTL_MASK2 0x490
#define MSR_IA32_VMX_VMFUNC 0x491
#define MSR_IA32_VMX_EXECCTL3_MASK 0x492

/* kvm_vmx_read_vmctl_mask() indexes: which control's capability MSR */
#define VMX_CTLMASK_PINX 0
#define VMX_CTLMASK_EXECCTL 1
#define VMX_CTLMASK_EXECCTL2 2
#define VMX_CTLMASK_EXECCTL3 3
#define VMX_CTLMASK_EXITCTL 4
#define VMX_CTLMASK_ENTRYCTL 5
#define VMX_CTLMASK_MAX 6

/* MSR_IA32_FEATURE_CONTROL */
#define IA32FC_LOCK (1 << 0)
#define IA32FC_VMXON_SMX (1 << 1)
#define IA32FC_VMXON_NORMAL (1 << 2)

/* MSR_IA32_VMX_BASIC and MSR_IA32_VMX_MISC */
#define IA32_VMXBASIC_REVISION_MASK 0x7fffffff
/* The true control masks (MSR_IA32_VMX_*_MASK2) exist */
#define IA32_VMXBASIC_USELESS_CTL_MASKS (1ULL << 55)
#define IA32_VMXMISC_VMWRITE_ALL (1ULL << 29)	/* read-only fields too */

/* VMCS field encodings: bit 0 selects the high half of a 64-bit field,
 * bits 10-11 the field type and bits 13-14 its width */
#define VMX_VMCSFIELD_HIGH 0x1
#define VMX_VMCSFIELD_SIZE_MASK 0x6000
#define VMX_VMCSFIELD_16BIT 0x0000
#define VMX_VMCSFIELD_64BIT 0x2000
#define VMX_VMCSFIELD_32BIT 0x4000
#define VMX_VMCSFIELD_NATURAL 0x6000
#define VMX_VMCSFIELD_TYPE_MASK 0x0c00
#define VMX_VMCSFIELD_READONLY 0x0400

/* 16-bit fields */
#define VMX_VMCS_VPID 0x0000
#define VMX_VMCS_POSTED_INTR_VECTOR 0x0002
#define VMX_VMCS_EPTP_INDEX 0x0004
#define VMX_VMCS_GUEST_ES 0x0800
#define VMX_VMCS_GUEST_CS 0x0802
#define VMX_VMCS_GUEST_SS 0x0804
#define VMX_VMCS_GUEST_DS 0x0806
#define VMX_VMCS_GUEST_FS 0x0808
#define VMX_VMCS_GUEST_GS 0x080a
#define VMX_VMCS_GUEST_LDTR 0x080c
#define VMX_VMCS_GUEST_TR 0x080e
#define VMX_VMCS_GUEST_INTR_STATUS 0x0810
#define VMX_VMCS_GUEST_INTR VMX_VMCS_GUEST_INTR_STATUS	/* LTP's name */
#define VMX_VMCS_GUEST_PML_INDEX 0x0812
#define VMX_VMCS_HOST_ES 0x0c00
#define VMX_VMCS_HOST_CS 0x0c02
#define VMX_VMCS_HOST_SS 0x0c04
#define VMX_VMCS_HOST_DS 0x0c06
#define VMX_VMCS_HOST_FS 0x0c08
#define VMX_VMCS_HOST_GS 0x0c0a
#define VMX_VMCS_HOST_TR 0x0c0c

/* 64-bit fields */
#define VMX_VMCS_IOBITMAP_A 0x2000
#define VMX_VMCS_IOBITMAP_B 0x2002
#define VMX_VMCS_MSR_BITMAP 0x2004
#define VMX_VMCS_MSR_BITMAP_POINTER VMX_VMCS_MSR_BITMAP	/* LTP's name */
#define VMX_VMCS_VMEXIT_MSR_STORE_ADDR 0x2006
#define VMX_VMCS_VMEXIT_MSR_LOAD_ADDR 0x2008
#define VMX_VMCS_VMENTRY_MSR_LOAD_ADDR 0x200a
#define VMX_VMCS_EXEC_VMCS_POINTER 0x200c
#define VMX_VMCS_PML_ADDR 0x200e
#define VMX_VMCS_TSC_OFFSET 0x2010
#define VMX_VMCS_VIRT_APIC_POINTER 0x2012
#define VMX_VMCS_APIC_ACCESS_POINTER 0x2014
#define VMX_VMCS_VIRT_APIC_BASE VMX_VMCS_APIC_ACCESS_POINTER	/* LTP's name */
#define VMX_VMCS_POSTED_INTR_DESC 0x2016
#define VMX_VMCS_VMFUNC_CTL 0x2018
#define VMX_VMCS_EPT_POINTER 0x201a
#define VMX_VMCS_EOI_EXIT_BITMAP(n) (0x201c + 2 * (n))
#define VMX_VMCS_EPTP_LIST_ADDR 0x2024
#define VMX_VMCS_VMREAD_BITMAP 0x2026
#define VMX_VMCS_VMWRITE_BITMAP 0x2028
#define VMX_VMCS_XSS_EXIT_BITMAP 0x202c
#define VMX_VMCS_TSC_MULTIPLIER 0x2032
#define VMX_VMCS_GUEST_PHYS_ADDR 0x2400
#define VMX_VMCS_LINK_POINTER 0x2800
#define VMX_VMCS_GUEST_DEBUGCTL 0x2802
#define VMX_VMCS_GUEST_PAT 0x2804
#define VMX_VMCS_GUEST_EFER 0x2806
#define VMX_VMCS_GUEST_PERF_GLOBAL_CTRL 0x2808
#define VMX_VMCS_GUEST_PDPTE(n) (0x280a + 2 * (n))
#define VMX_VMCS_HOST_PAT 0x2c00
#define VMX_VMCS_HOST_EFER 0x2c02
#define VMX_VMCS_HOST_PERF_GLOBAL_CTRL 0x2c04

/* 32-bit fields */
#define VMX_VMCS_VMPINX_CTL 0x4000
#define VMX_VMCS_VMEXEC_CTL 0x4002
#define VMX_VMCS_EXCEPTION_BITMAP 0x4004
#define VMX_VMCS_PF_ERROR_MASK 0x4006
#define VMX_VMCS_PF_ERROR_MATCH 0x4008
#define VMX_VMCS_CR3_TARGET_COUNT 0x400a
#define VMX_VMCS_VMEXIT_CTL 0x400c
#define VMX_VMCS_VMEXIT_MSR_STORE 0x400e
#define VMX_VMCS_VMEXIT_MSR_LOAD 0x4010
#define VMX_VMCS_VMENTRY_CTL 0x4012
#define VMX_VMCS_VMENTRY_MSR_LOAD 0x4014
#define VMX_VMCS_VMENTRY_INTR 0x4016
#define VMX_VMCS_VMENTRY_EXC 0x4018
#define VMX_VMCS_VMENTRY_INST_LEN 0x401a
#define VMX_VMCS_TPR_THRESHOLD 0x401c
#define VMX_VMCS_VMEXEC_CTL2 0x401e
#define VMX_VMCS_PLE_GAP 0x4020
#define VMX_VMCS_PLE_WINDOW 0x4022
#define VMX_VMCS_VMINST_ERROR 0x4400
#define VMX_VMCS_EXIT_REASON 0x4402
#define VMX_VMCS_VMEXIT_INTR_INFO 0x4404
#define VMX_VMCS_VMEXIT_INTR_ERRNO 0x4406
#define VMX_VMCS_IDTVEC_INFO 0x4408
#define VMX_VMCS_IDTVEC_ERRNO 0x440a
#define VMX_VMCS_VMEXIT_INST_LEN 0x440c
#define VMX_VMCS_VMEXIT_INST_INFO 0x440e
#define VMX_VMCS_GUEST_ES_LIMIT 0x4800
#define VMX_VMCS_GUEST_CS_LIMIT 0x4802
#define VMX_VMCS_GUEST_SS_LIMIT 0x4804
#define VMX_VMCS_GUEST_DS_LIMIT 0x4806
#define VMX_VMCS_GUEST_FS_LIMIT 0x4808
#define VMX_VMCS_GUEST_GS_LIMIT 0x480a
#define VMX_VMCS_GUEST_LDTR_LIMIT 0x480c
#define VMX_VMCS_GUEST_TR_LIMIT 0x480e
#define VMX_VMCS_GUEST_GDTR_LIMIT 0x4810
#define VMX_VMCS_GUEST_IDTR_LIMIT 0x4812
#define VMX_VMCS_GUEST_ES_ACCESS 0x4814
#define VMX_VMCS_GUEST_CS_ACCESS 0x4816
#define VMX_VMCS_GUEST_SS_ACCESS 0x4818
#define VMX_VMCS_GUEST_DS_ACCESS 0x481a
#define VMX_VMCS_GUEST_FS_ACCESS 0x481c
#define VMX_VMCS_GUEST_GS_ACCESS 0x481e
#define VMX_VMCS_GUEST_LDTR_ACCESS 0x4820
#define VMX_VMCS_GUEST_TR_ACCESS 0x4822
#define VMX_VMCS_GUEST_INTR_STATE 0x4824
#define VMX_VMCS_GUEST_ACT_STATE 0x4826
#define VMX_VMCS_GUEST_SMBASE 0x4828
#define VMX_VMCS_GUEST_SYSENTER_CS 0x482a
#define VMX_VMCS_GUEST_PREEMPT_TIMER 0x482e
#define VMX_VMCS_HOST_SYSENTER_CS 0x4c00

/* Natural-width fields */
#define VMX_VMCS_CR0_MASK 0x6000
#define VMX_VMCS_CR4_MASK 0x6002
#define VMX_VMCS_CR0_SHADOW 0x6004
#define VMX_VMCS_CR4_SHADOW 0x6006
#define VMX_VMCS_CR3_TARGET(n) (0x6008 + 2 * (n))
#define VMX_VMCS_EXIT_QUALIFICATION 0x6400
#define VMX_VMCS_IO_RCX 0x6402
#define VMX_VMCS_IO_RSI 0x6404
#define VMX_VMCS_IO_RDI 0x6406
#define VMX_VMCS_IO_RIP 0x6408
#define VMX_VMCS_GUEST_LINEAR_ADDR 0x640a
#define VMX_VMCS_GUEST_CR0 0x6800
#define VMX_VMCS_GUEST_CR3 0x6802
#define VMX_VMCS_GUEST_CR4 0x6804
#define VMX_VMCS_GUEST_ES_BASE 0x6806
#define VMX_VMCS_GUEST_CS_BASE 0x6808
#define VMX_VMCS_GUEST_SS_BASE 0x680a
#define VMX_VMCS_GUEST_DS_BASE 0x680c
#define VMX_VMCS_GUEST_FS_BASE 0x680e
#define VMX_VMCS_GUEST_GS_BASE 0x6810
#define VMX_VMCS_GUEST_LDTR_BASE 0x6812
#define VMX_VMCS_GUEST_TR_BASE 0x6814
#define VMX_VMCS_GUEST_GDTR_BASE 0x6816
#define VMX_VMCS_GUEST_IDTR_BASE 0x6818
#define VMX_VMCS_GUEST_DR7 0x681a
#define VMX_VMCS_GUEST_RSP 0x681c
#define VMX_VMCS_GUEST_RIP 0x681e
#define VMX_VMCS_GUEST_RFLAGS 0x6820
#define VMX_VMCS_GUEST_DEBUG_EXC 0x6822
#define VMX_VMCS_GUEST_SYSENTER_ESP 0x6824
#define VMX_VMCS_GUEST_SYSENTER_EIP 0x6826
#define VMX_VMCS_HOST_CR0 0x6c00
#define VMX_VMCS_HOST_CR3 0x6c02
#define VMX_VMCS_HOST_CR4 0x6c04
#define VMX_VMCS_HOST_FS_BASE 0x6c06
#define VMX_VMCS_HOST_GS_BASE 0x6c08
#define VMX_VMCS_HOST_TR_BASE 0x6c0a
#define VMX_VMCS_HOST_GDTR_BASE 0x6c0c
#define VMX_VMCS_HOST_IDTR_BASE 0x6c0e
#define VMX_VMCS_HOST_SYSENTER_ESP 0x6c10
#define VMX_VMCS_HOST_SYSENTER_EIP 0x6c12
#define VMX_VMCS_HOST_RSP 0x6c14
#define VMX_VMCS_HOST_RIP 0x6c16

/* Pin-based VM-execution controls (VMX_VMCS_VMPINX_CTL) */
#define VMX_PINX_EXTINT_EXIT (1 << 0)
#define VMX_PINX_NMI_EXIT (1 << 3)
#define VMX_PINX_VIRT_NMI (1 << 5)
#define VMX_PINX_PREEMPT_TIMER (1 << 6)
#define VMX_PINX_POSTED_INTR (1 << 7)

/* Primary processor-based VM-execution controls (VMX_VMCS_VMEXEC_CTL) */
#define VMX_EXECCTL_INTR_WINDOW (1 << 2)
#define VMX_EXECCTL_TSC_OFFSET (1 << 3)
#define VMX_EXECCTL_HLT_EXIT (1 << 7)
#define VMX_EXECCTL_INVLPG_EXIT (1 << 9)
#define VMX_EXECCTL_MWAIT_EXIT (1 << 10)
#define VMX_EXECCTL_RDPMC_EXIT (1 << 11)
#define VMX_EXECCTL_RDTSC_EXIT (1 << 12)
#define VMX_EXECCTL_CR3_LOAD_EXIT (1 << 15)
#define VMX_EXECCTL_CR3_STORE_EXIT (1 << 16)
#define VMX_EXECCTL_ENABLE_CTL3 (1 << 17)
#define VMX_EXECCTL_CR8_LOAD_EXIT (1 << 19)
#define VMX_EXECCTL_CR8_STORE_EXIT (1 << 20)
#define VMX_EXECCTL_TPR_SHADOW (1 << 21)
#define VMX_EXECCTL_NMI_WINDOW (1 << 22)
#define VMX_EXECCTL_MOV_DR_EXIT (1 << 23)
#define VMX_EXECCTL_UNCOND_IO_EXIT (1 << 24)
#define VMX_EXECCTL_IO_BITMAPS (1 << 25)
#define VMX_EXECCTL_MTF (1 << 27)
#define VMX_EXECCTL_MSR_BITMAPS (1 << 28)
#define VMX_EXECCTL_MSR_BITMAP VMX_EXECCTL_MSR_BITMAPS	/* LTP's name */
#define VMX_EXECCTL_MONITOR_EXIT (1 << 29)
#define VMX_EXECCTL_PAUSE_EXIT (1 << 30)
#define VMX_EXECCTL_ENABLE_CTL2 (1U << 31)
#define VMX_INTERCEPT_HLT VMX_EXECCTL_HLT_EXIT	/* LTP's name */

/* Secondary processor-based VM-execution controls (VMX_VMCS_VMEXEC_CTL2) */
#define VMX_EXECCTL2_VIRT_APIC (1 << 0)	/* virtualize APIC accesses */
#define VMX_EXECCTL2_EPT (1 << 1)
#define VMX_EXECCTL2_DESC_TABLE_EXIT (1 << 2)
#define VMX_EXECCTL2_RDTSCP (1 << 3)
#define VMX_EXECCTL2_VIRT_X2APIC (1 << 4)
#define VMX_EXECCTL2_VPID (1 << 5)
#define VMX_EXECCTL2_WBINVD_EXIT (1 << 6)
#define VMX_EXECCTL2_UNRESTRICTED (1 << 7)
#define VMX_EXECCTL2_APIC_REG_VIRT (1 << 8)
#define VMX_EXECCTL2_VIRT_APIC_REG VMX_EXECCTL2_APIC_REG_VIRT	/* LTP's name */
#define VMX_EXECCTL2_VIRT_INTR_DELIVERY (1 << 9)
#define VMX_EXECCTL2_VIRT_INTR VMX_EXECCTL2_VIRT_INTR_DELIVERY	/* LTP's name */
#define VMX_EXECCTL2_PAUSE_LOOP_EXIT (1 << 10)
#define VMX_EXECCTL2_RDRAND_EXIT (1 << 11)
#define VMX_EXECCTL2_INVPCID (1 << 12)
#define VMX_EXECCTL2_VMFUNC (1 << 13)
#define VMX_EXECCTL2_SHADOW_VMCS (1 << 14)
#define VMX_EXECCTL2_RDSEED_EXIT (1 << 16)
#define VMX_EXECCTL2_PML (1 << 17)

/* VM-exit controls (VMX_VMCS_VMEXIT_CTL) */
#define VMX_EXITCTL_SAVE_DR (1 << 2)
#define VMX_EXITCTL_X64 (1 << 9)	/* host address-space size */
#define VMX_EXITCTL_LOAD_PERF_GLOBAL (1 << 12)
#define VMX_EXITCTL_ACK_INTR (1 << 15)
#define VMX_EXITCTL_SAVE_PAT (1 << 18)
#define VMX_EXITCTL_LOAD_PAT (1 << 19)
#define VMX_EXITCTL_SAVE_EFER (1 << 20)
#define VMX_EXITCTL_LOAD_EFER (1 << 21)
#define VMX_EXITCTL_SAVE_PREEMPT_TIMER (1 << 22)

/* VM-entry controls (VMX_VMCS_VMENTRY_CTL) */
#define VMX_ENTRYCTL_LOAD_DR (1 << 2)
#define VMX_ENTRYCTL_X64 (1 << 9)	/* IA-32e mode guest */
#define VMX_ENTRYCTL_SMM (1 << 10)
#define VMX_ENTRYCTL_DUAL_MONITOR (1 << 11)
#define VMX_ENTRYCTL_LOAD_PERF_GLOBAL (1 << 13)
#define VMX_ENTRYCTL_LOAD_PAT (1 << 14)
#define VMX_ENTRYCTL_LOAD_EFER (1 << 15)

/* Segment access rights in the VMCS */
#define VMX_AR_ACCESSED (1 << 0)
#define VMX_AR_UNUSABLE (1 << 16)

/* Basic exit reasons (bits 0-15 of VMX_VMCS_EXIT_REASON) */
#define VMX_EXIT_EXCEPTION 0
#define VMX_EXIT_EXTINT 1
#define VMX_EXIT_TRIPLE_FAULT 2
#define VMX_EXIT_CPUID 10
#define VMX_EXIT_HLT 12
#define VMX_EXIT_RDPMC 15
#define VMX_EXIT_RDTSC 16
#define VMX_EXIT_VMCALL 18
#define VMX_EXIT_VMCLEAR 19
#define VMX_EXIT_VMLAUNCH 20
#define VMX_EXIT_VMPTRLD 21
#define VMX_EXIT_VMPTRST 22
#define VMX_EXIT_VMREAD 23
#define VMX_EXIT_VMRESUME 24
#define VMX_EXIT_VMWRITE 25
#define VMX_EXIT_VMXOFF 26
#define VMX_EXIT_VMXON 27
#define VMX_EXIT_CR_ACCESS 28
#define VMX_EXIT_IO 30
#define VMX_EXIT_RDMSR 31
#define VMX_EXIT_WRMSR 32
#define VMX_EXIT_INVALID_GUEST_STATE 33
#define VMX_EXIT_MSR_LOAD_FAIL 34
#define VMX_EXIT_TPR_BELOW_THRESHOLD 43
#define VMX_EXIT_APIC_ACCESS 44
#define VMX_EXIT_EPT_VIOLATION 48
#define VMX_EXIT_EPT_MISCONFIG 49
#define VMX_EXIT_REASON_MASK 0xffff
#define VMX_EXIT_FAILED_ENTRY (1U << 31)

/* VMX_VMCS_EXIT_QUALIFICATION of VMX_EXIT_APIC_ACCESS */
#define VMX_APIC_ACCESS_OFFSET_MASK 0xfff
#define VMX_APIC_ACCESS_TYPE(qual) (((qual) >> 12) & 0xf)
#define VMX_APIC_ACCESS_LINEAR_READ 0
#define VMX_APIC_ACCESS_LINEAR_WRITE 1

/* VMCS region: revision ID (bit 31 set in a shadow VMCS), then data */
#define VMX_SHADOW_VMCS 0x80000000
/* No VMCS: VMPTRST without a current one, VMCS link pointer unused */
#define VMX_INVALID_VMCS 0xffffffffffffffffULL

struct kvm_vmcs {
	uint32_t version;
	uint32_t abort;
	uint8_t data[4088];
};

/* A nested guest: its VMCS, the general registers VM entry and exit do not
 * switch (regs.rsp mirrors the guest RSP field after a run), and whether
 * the VMCS was launched (the next run is VMRESUME) */
struct kvm_vmx_vcpu {
	struct kvm_vmcs *vmcs;
	struct kvm_regs64 regs;
	int launched;
};

/* How a VMX instruction failed (RFLAGS.CF or ZF), for the *_raw() helpers */
#define VMX_FAIL_INVALID 1	/* no current VMCS */
#define VMX_FAIL_VALID 2	/* error number in VMX_VMCS_VMINST_ERROR */
#define VMX_FAILURE(cf, zf) ((cf) ? VMX_FAIL_INVALID : (zf) ? VMX_FAIL_VALID : 0)

/*
 * VMREAD and VMWRITE that report failure instead of ending the test, for
 * tests of failures and for nested guests (which cannot report results
 * themselves). Return 0 on success, VMX_FAIL_INVALID or VMX_FAIL_VALID.
 */
static inline int kvm_vmx_vmread_raw(unsigned long var_id, uint64_t *value)
{
	unsigned long val = 0;
	int invalid, valid;

	__asm__ volatile("vmread %[id], %[val]"
		: [val] "=r" (val), "=@ccc" (invalid), "=@ccz" (valid)
		: [id] "r" (var_id) : "memory");
	*value = val;
	return VMX_FAILURE(invalid, valid);
}

static inline int kvm_vmx_vmwrite_raw(unsigned long var_id, uint64_t value)
{
	unsigned long val = value;
	int invalid, valid;

	__asm__ volatile("vmwrite %[val], %[id]"
		: "=@ccc" (invalid), "=@ccz" (valid)
		: [id] "r" (var_id), [val] "r" (val) : "memory");
	return VMX_FAILURE(invalid, valid);
}

/* VMX support; kvm_set_vmx_state() enables VMX operation (CR0/CR4 fixed
 * bits, IA32_FEATURE_CONTROL, VMXON) or leaves it, TCONF when VMX is
 * absent or disabled */
int kvm_is_vmx_supported(void);
void kvm_set_vmx_state(int enabled);

/* A zeroed, page-aligned VMCS region with the CPU's revision ID */
struct kvm_vmcs *kvm_alloc_vmcs(void);

/* VMX instructions; failures end the test with TBROK. vmlaunch and
 * vmresume run cpu until the next VM exit and return 0, or return
 * VMX_FAIL_INVALID or VMX_FAIL_VALID when the instruction failed. */
void kvm_vmx_vmclear(struct kvm_vmcs *buf);
void kvm_vmx_vmptrld(struct kvm_vmcs *buf);
uint64_t kvm_vmx_vmptrst(void);
uint64_t kvm_vmx_vmread(unsigned long var_id);
void kvm_vmx_vmwrite(unsigned long var_id, uint64_t value);
int kvm_vmx_vmlaunch(struct kvm_vmx_vcpu *cpu);
int kvm_vmx_vmresume(struct kvm_vmx_vcpu *cpu);

/*
 * The capability MSR of a VM-execution control, ctl_id a VMX_CTLMASK_* index
 * (the true MSR where IA32_VMX_BASIC says the CPU has it): allowed
 * 0-settings in bits 0-31, allowed 1-settings in bits 32-63. TBROK for an
 * index >= VMX_CTLMASK_MAX; 0 for the secondary or tertiary controls when
 * the primary ones cannot enable them (the MSR would not exist).
 */
uint64_t kvm_vmx_read_vmctl_mask(unsigned int ctl_id);

/* Copy kvm_gdt[gdt_id] into the selector, access rights, limit and base
 * fields of the current VMCS */
void kvm_vmcs_copy_gdt_descriptor(unsigned int gdt_id,
	unsigned long vmcs_selector, unsigned long vmcs_flags,
	unsigned long vmcs_limit, unsigned long vmcs_baseaddr);

/*
 * Make cpu->vmcs clear and current, and set it up to run guest_main() with
 * the caller's control registers and segments, on the stack segment
 * kvm_gdt[ss] (0: the caller's SS) with stack pointer rsp. HLT and every
 * CPU exception cause a VM exit: the nested guest ends with VMX_EXIT_HLT
 * when guest_main() returns (its return value in cpu->regs.rax). It cannot report results itself: tst_res()
 * would halt, which ends its run.
 */
void kvm_init_vmx_vcpu(struct kvm_vmx_vcpu *cpu, uint16_t ss, void *rsp,
	int (*guest_main)(void));

/* A nested guest for guest_main() with, if alloc_stack, its own stack
 * (otherwise write VMX_VMCS_GUEST_RSP before running it) */
struct kvm_vmx_vcpu *kvm_create_vmx_vcpu(int (*guest_main)(void),
	int alloc_stack);

/* Make cpu->vmcs current and write the caller's state to its host fields */
void kvm_vmx_activate_vcpu(struct kvm_vmx_vcpu *cpu);

/* Run the nested guest until its next VM exit (VMX_VMCS_EXIT_REASON says
 * why); TBROK if it could not be entered */
void kvm_vmx_vmrun(struct kvm_vmx_vcpu *cpu);

/* The VM-instruction error of the current VMCS (-1 without one), its
 * description, and the description of the current one */
int kvm_vmx_inst_errno(void);
const char *kvm_vmx_inst_strerr(int vmx_errno);
const char *kvm_vmx_inst_err(void);

#endif /* KVM_X86_VMX_H_ */
