/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * x86 part of the KVM guest library (i386 and x86_64), with the names and
 * meanings of LTP's kvm_x86.h.
 */
#ifndef KVM_X86_H_
#define KVM_X86_H_

#include "kvm_guest.h"

#define PAGESIZE 0x1000

/* Interrupts */
#define X86_INTR_COUNT 256

#define INTR_ZERODIV 0
#define INTR_DEBUG 1
#define INTR_NMI 2
#define INTR_BREAKPOINT 3
#define INTR_OVERFLOW 4
#define INTR_BOUND_RANGE_EXC 5
#define INTR_BAD_OPCODE 6
#define INTR_DEVICE_ERROR 7
#define INTR_DOUBLE_FAULT 8
#define INTR_INVALID_TSS 10
#define INTR_SEGFAULT 11
#define INTR_STACK_FAULT 12
#define INTR_GPF 13
#define INTR_PAGE_FAULT 14
#define INTR_FPU_ERROR 16
#define INTR_ALIGNMENT_ERROR 17
#define INTR_MACHINE_CHECK 18
#define INTR_SIMD_ERROR 19
#define INTR_VIRT_ERROR 20
#define INTR_CPE 21
#define INTR_HV_INJECTION 28
#define INTR_VMM_COMM 29
#define INTR_SECURITY_ERROR 30

/* Segment descriptor types and flags */
#define SEGTYPE_LDT 0x02
#define SEGTYPE_TSS 0x09
#define SEGTYPE_TSS_BUSY 0x0b
#define SEGTYPE_CALL_GATE 0x0c
#define SEGTYPE_INTR_GATE 0x0e
#define SEGTYPE_TRAP_GATE 0x0f
#define SEGTYPE_RODATA 0x10
#define SEGTYPE_RWDATA 0x12
#define SEGTYPE_STACK 0x16
#define SEGTYPE_CODE 0x1a
#define SEGTYPE_MASK 0x1f

#define SEGFLAG_NSYSTEM 0x10
#define SEGFLAG_PRESENT 0x80
#define SEGFLAG_CODE64 0x200
#define SEGFLAG_32BIT 0x400
#define SEGFLAG_PAGE_LIMIT 0x800
/* ltpkvm: a descriptor's privilege level, in the same flags */
#define SEGFLAG_DPL(dpl) (((dpl) & 3) << 5)
#define SEGFLAG_DPL3 SEGFLAG_DPL(3)

/* CPUID */
#define CPUID_GET_MODEL_INFO 0x1
#define CPUID_GET_INPUT_RANGE 0x80000000
#define CPUID_GET_EXT_FEATURES 0x80000001
#define CPUID_GET_SVM_FEATURES 0x8000000a

#define X86_FEATURE_VMX (1 << 5)	/* CPUID 1, ECX */
#define X86_FEATURE_SVM (1 << 2)	/* CPUID 0x80000001, ECX */
#define X86_FEATURE_PAGE1GB (1 << 26)	/* CPUID 0x80000001, EDX */

/* Model-specific registers */
#define MSR_IA32_FEATURE_CONTROL 0x3a
#define MSR_SYSENTER_CS 0x174
#define MSR_SYSENTER_ESP 0x175
#define MSR_SYSENTER_EIP 0x176
#define MSR_EFER 0xc0000080
#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_CSTAR 0xc0000083
#define MSR_SFMASK 0xc0000084
#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102
#define MSR_VM_CR 0xc0010114
#define MSR_VM_HSAVE_PA 0xc0010117

#define VM_CR_DPD (1 << 0)
#define VM_CR_R_INIT (1 << 1)
#define VM_CR_DIS_A20M (1 << 2)
#define VM_CR_LOCK (1 << 3)
#define VM_CR_SVMDIS (1 << 4)

#define EFER_SCE (1 << 0)	/* SYSCALL/SYSRET */
#define EFER_LME (1 << 8)	/* long mode enable */
#define EFER_LMA (1 << 10)	/* long mode active (read-only) */
#define EFER_NXE (1 << 11)	/* execute-disable bit */
#define EFER_SVME (1 << 12)	/* AMD SVM instructions */

/* Control registers */
#define CR0_PE (1 << 0)
#define CR0_MP (1 << 1)
#define CR0_EM (1 << 2)
#define CR0_TS (1 << 3)
#define CR0_ET (1 << 4)
#define CR0_NE (1 << 5)
#define CR0_WP (1 << 16)
#define CR0_AM (1 << 18)
#define CR0_NW (1 << 29)
#define CR0_CD (1 << 30)
#define CR0_PG (1u << 31)

#define CR4_VME (1 << 0)
#define CR4_PVI (1 << 1)
#define CR4_TSD (1 << 2)
#define CR4_DE (1 << 3)
#define CR4_PSE (1 << 4)
#define CR4_PAE (1 << 5)
#define CR4_MCE (1 << 6)
#define CR4_PGE (1 << 7)
#define CR4_PCE (1 << 8)
#define CR4_OSFXSR (1 << 9)
#define CR4_OSXMMEXCPT (1 << 10)
#define CR4_UMIP (1 << 11)
#define CR4_LA57 (1 << 12)
#define CR4_VMXE (1 << 13)
#define CR4_SMXE (1 << 14)
#define CR4_FSGSBASE (1 << 16)
#define CR4_PCIDE (1 << 17)
#define CR4_OSXSAVE (1 << 18)
#define CR4_KL (1 << 19)
#define CR4_SMEP (1 << 20)
#define CR4_SMAP (1 << 21)
#define CR4_PKE (1 << 22)
#define CR4_CET (1 << 23)
#define CR4_PKS (1 << 24)

struct intr_descriptor {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t flags;
#if defined(__x86_64__)
	uint64_t offset_hi; /* top 16 bits must be set to 0 */
	uint16_t padding;
#else
	uint16_t offset_hi;
#endif
} __attribute__((__packed__));

struct segment_descriptor {
	unsigned int limit_lo : 16;
	unsigned int baseaddr_lo : 24;
	unsigned int flags_lo : 8;
	unsigned int limit_hi : 4;
	unsigned int flags_hi : 4;
	unsigned int baseaddr_hi : 8;
} __attribute__((__packed__));

/* System descriptors (TSS, LDT, gates) take two GDT slots in 64-bit mode */
struct segment_descriptor64 {
	unsigned int limit_lo : 16;
	unsigned int baseaddr_lo : 24;
	unsigned int flags_lo : 8;
	unsigned int limit_hi : 4;
	unsigned int flags_hi : 4;
	uint64_t baseaddr_hi : 40;
	uint32_t reserved;
} __attribute__((__packed__));

struct page_table_entry_pae {
	unsigned int present: 1;
	unsigned int writable: 1;
	unsigned int user_access: 1;
	unsigned int write_through: 1;
	unsigned int disable_cache: 1;
	unsigned int accessed: 1;
	unsigned int dirty: 1;
	unsigned int page_type: 1;
	unsigned int global: 1;
	unsigned int padding: 3;
	uint64_t address: 40;
	unsigned int padding2: 7;
	unsigned int prot_key: 4;
	unsigned int noexec: 1;
} __attribute__((__packed__));

struct kvm_cpuid {
	unsigned int eax, ebx, ecx, edx;
};

struct kvm_cregs {
	unsigned long cr0, cr2, cr3, cr4;
};

struct kvm_sregs {
	uint16_t cs, ds, es, fs, gs, ss, tr;
};

struct kvm_regs64 {
	uint64_t rax, rbx, rcx, rdx, rdi, rsi, rbp, rsp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};

/*
 * The hardware interrupt frame as the CPU pushes it. On i386, esp and ss
 * are there only when the interrupted code ran at CPL 3.
 */
struct kvm_interrupt_frame {
	uintptr_t eip, cs, eflags, esp, ss;
};

/*
 * ltpkvm: the registers of the interrupted code, as the interrupt stubs
 * saved them (kvm_get_interrupt_regs()); a callback may change them.
 */
struct kvm_interrupt_regs {
#ifdef __x86_64__
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
#else
	uint32_t edi, esi, ebp, esp_unused, ebx, edx, ecx, eax;
#endif
};

/*
 * The top-level page table: the PML4 on x86_64, the PAE PDPT on i386.
 * Where KVM refuses paging outside 64-bit mode, i386 payloads run unpaged;
 * the host then leaves these pages out of guest memory and a test that
 * touches them reports TCONF.
 */
extern struct page_table_entry_pae kvm_pagetable[];
extern struct intr_descriptor kvm_idt[X86_INTR_COUNT];
extern struct segment_descriptor kvm_gdt[KVM_GDT_SIZE];

/* Names of the CPU exception vectors, for messages */
extern const char *tst_interrupt_names[INTERRUPT_COUNT];

uintptr_t kvm_get_page_address_pae(const struct page_table_entry_pae *entry);

/* Segment descriptor tables (kvm_gdt[] and the like) */
void kvm_set_segment_descriptor(struct segment_descriptor *dst,
	uint64_t baseaddr, uint32_t limit, unsigned int flags);
void kvm_parse_segment_descriptor(struct segment_descriptor *src,
	uint64_t *baseaddr, uint32_t *limit, unsigned int *flags);
/* Index of the first free entry (entry 0 excluded), -1 if none */
int kvm_find_free_descriptor(const struct segment_descriptor *table,
	size_t size);
/* A new expand-down 32-bit stack segment for a stack growing down from
 * stack_base; returns its index in table */
unsigned int kvm_create_stack_descriptor(struct segment_descriptor *table,
	size_t tabsize, void *stack_base);

void kvm_get_cpuid(unsigned int eax, unsigned int ecx, struct kvm_cpuid *buf);
void kvm_read_cregs(struct kvm_cregs *buf);
void kvm_read_sregs(struct kvm_sregs *buf);
uint64_t kvm_rdmsr(unsigned int msr);
void kvm_wrmsr(unsigned int msr, uint64_t value);
void kvm_set_cr0(unsigned long val);
void kvm_set_cr3(unsigned long val);
void kvm_set_cr4(unsigned long val);

/*
 * Interrupt callbacks return 0 when they handled the interrupt (execution
 * resumes at the frame's eip, which they may change), non-zero otherwise.
 */
typedef int (*tst_interrupt_callback)(void *userdata,
	struct kvm_interrupt_frame *ifrm, unsigned long errcode);

void tst_set_interrupt_callback(unsigned int vector,
	tst_interrupt_callback func, void *userdata);
uintptr_t kvm_get_interrupt_ip(const struct kvm_interrupt_frame *ifrm);

/* ltpkvm: the privilege level of the interrupted code (ifrm->cs & 3) */
unsigned int kvm_get_interrupt_cpl(const struct kvm_interrupt_frame *ifrm);
/* ltpkvm: the interrupted code's general-purpose registers */
struct kvm_interrupt_regs *kvm_get_interrupt_regs(
	struct kvm_interrupt_frame *ifrm);

/*
 * ltpkvm: what setting up a nested guest (SVM or VMX) copies from the CPU
 * it runs on.
 */
#define RFLAGS_RESERVED (1 << 1)	/* always set; IF left clear */
#define DR6_INIT 0xffff0ff0
#define DR7_INIT 0x400

/* The operand of SGDT/SIDT and LGDT/LIDT */
struct kvm_dtable_register {
	uint16_t limit;
	uintptr_t base;
} __attribute__((__packed__));

struct kvm_cpu_state {
	struct kvm_cregs cregs;
	struct kvm_sregs sregs;
	struct kvm_dtable_register gdtr, idtr;
	uint16_t ldtr;
};

void kvm_read_cpu_state(struct kvm_cpu_state *buf);

/*
 * kvm_gdt[gdt_id] as the hidden part of a segment register: base, limit in
 * bytes, and the descriptor's access byte (attrib bits 0-7) and flags
 * nibble (bits 8-11). TBROK when gdt_id is out of range.
 */
struct kvm_segment_state {
	uint16_t selector;
	unsigned int attrib;
	uint32_t limit;
	uint64_t base;
};

void kvm_gdt_segment(unsigned int gdt_id, struct kvm_segment_state *buf);

/* ltpkvm: RFLAGS bits */
#define RFLAGS_TF (1 << 8)
#define RFLAGS_IF (1 << 9)
#define RFLAGS_IOPL(level) (((level) & 3) << 12)
#define RFLAGS_RF (1 << 16)
#define RFLAGS_AC (1 << 18)

/*
 * ltpkvm: page tables. kvm_get_pte() returns the entry of the current page
 * tables (CR3) that maps addr at level (1: page table, 2: page directory,
 * 3: PDPT, 4: PML4; i386 has levels 1-3), splitting the large pages on the
 * way into 4 KiB (level 1) or 2 MiB (level 2) ones; NULL when an entry on
 * the way is not present. After changing entries, flush with
 * kvm_flush_tlb(). The PTE_* bits come from kvm_abi.h.
 */
#define PTE_ADDRESS_MASK 0x000ffffffffff000ULL
uint64_t *kvm_get_pte(uintptr_t addr, unsigned int level);
void kvm_flush_tlb(void);
void kvm_invlpg(const void *addr);

/*
 * ltpkvm: the TSS I/O permission bitmap, which guest user mode meets when
 * RFLAGS.IOPL is below 3: every port is denied until allowed here.
 */
void kvm_set_io_permission(unsigned int port, unsigned int count, int allow);

/*
 * ltpkvm: making KVM emulate an instruction. KVM_FEP prefixes an
 * instruction in inline assembly ("KVM_FEP "mov %%cr0, %0") where the
 * host's kvm.force_emulation_prefix is on; kvm_require_fep() ends the test
 * in TCONF where it is off.
 */
#define KVM_FEP "ud2; .byte 0x6b, 0x76, 0x6d; "
int kvm_fep_enabled(void);
void kvm_require_fep(void);

/* The exception entry stubs (kvm_idt[] points at them); not for payloads */
void kvm_handle_bad_exception(void);
void kvm_handle_zerodiv(void);
void kvm_handle_debug(void);
void kvm_handle_nmi(void);
void kvm_handle_breakpoint(void);
void kvm_handle_overflow(void);
void kvm_handle_bound_range_exc(void);
void kvm_handle_bad_opcode(void);
void kvm_handle_device_error(void);
void kvm_handle_double_fault(void);
void kvm_handle_invalid_tss(void);
void kvm_handle_segfault(void);
void kvm_handle_stack_fault(void);
void kvm_handle_gpf(void);
void kvm_handle_page_fault(void);
void kvm_handle_fpu_error(void);
void kvm_handle_alignment_error(void);
void kvm_handle_machine_check(void);
void kvm_handle_simd_error(void);
void kvm_handle_virt_error(void);
void kvm_handle_cpe(void);
void kvm_handle_hv_injection(void);
void kvm_handle_vmm_comm(void);
void kvm_handle_security_error(void);

#endif /* KVM_X86_H_ */
