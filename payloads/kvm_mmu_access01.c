// SPDX-License-Identifier: GPL-2.0-or-later
/*\
 * The x86 page-permission matrix: page-table access bits, paging control
 * bits and the kind of access must give the result the architecture
 * defines, under KVM's MMU.
 *
 * CVE-2021-38198
 *
 * KVM's shadow MMU computes the access rights of the guest's mappings
 * itself; one combination wrong lets guest user space (or a guest kernel
 * with SMEP/SMAP on) reach memory the guest's page tables deny. Kernel
 * commit b1bd5cba3306 ("KVM: X86: MMU: Use the correct inherited
 * permissions to get shadow page") fixed one such case; kvm-unit-tests'
 * x86 "access" test is the reference for what is expected.
 *
 * A data page is mapped at 512 GiB through page tables of the test's own
 * (PML4 entry 1, then a private PDPT, page directory and page table), and
 * a second time at 513 GiB through another PDPT entry, which shares the
 * page directory and page table. The accesses: a supervisor read, write
 * and instruction fetch, the same from user mode (CPL 3), and the
 * implicit supervisor accesses of a segment load from an LDT in the page,
 * at CPL 0 and at CPL 3 (the descriptor read and, with the descriptor's
 * accessed bit clear, its write). Each access meets:
 *
 * - the 64 combinations of U/S, R/W and NX in the PTE and in one upper
 *   entry (the PDE, the PDPTE and the PML4E in turn),
 * - under every combination of the control bits that can change its
 *   outcome: EFER.NXE (bit 63 is reserved without it), CR0.WP for
 *   supervisor writes, CR4.SMEP for supervisor fetches, CR4.SMAP with
 *   RFLAGS.AC clear and set for supervisor data accesses; the explicit
 *   accesses once more with the other control bits flipped (CR0.WP
 *   clear, SMEP and SMAP set), which must change nothing;
 * - with EFER.NXE set and the other bits at their defaults (CR0.WP set,
 *   SMEP and SMAP clear) also: the 64 after the same access through the
 *   513 GiB alias, whose PDPTE allows everything, the upper bits then in
 *   the PDPTE (the shadow MMU then has pages for the shared tables from
 *   a more permissive path, the pattern of CVE-2021-38198; explicit
 *   accesses only), and a not-present PTE or upper entry, bit 51 set
 *   (reserved below MAXPHYADDR 52) in either, or PS set in the PML4E,
 *   each without and with priming.
 *
 * A small model of the SDM's rules (4.6 Access Rights, 4.7 Page-Fault
 * Exceptions) computes the outcome, and the access must match it: either
 * it succeeds (the read returns the page's data, the write lands, the
 * fetched RET returns, the descriptor's accessed bit gets set) and sets
 * the accessed bits and, for a write, the PTE's dirty bit; or it raises
 * one #PF at the instruction (at the page for a fetch), at its CPL, with
 * the exact error code (P, W/R, U/S, RSVD, I/D) and CR2 (anywhere in the
 * descriptor for its write), and changes neither the page nor the dirty
 * bit.
 *
 * TPASS: every combination behaved as the architecture says. TFAIL: one
 * did not (the first 20 are listed): the guest's page protections do not
 * hold.
 *
 * Checks KVM where it shadows the guest's page tables: on kvm_pvm
 * (64-bit only), and with kvm_intel.ept=0 or kvm_amd.npt=0 (the VMX lab
 * runs it so; QEMU's TCG and Bochs both let the implicit access reach a
 * user page with CR4.SMAP and RFLAGS.AC set, against the SDM). With EPT
 * or NPT the CPU walks the guest's tables itself and the test checks the
 * CPU more than KVM. What
 * the CPU or KVM does not offer (SMEP, SMAP, clearing EFER.NXE, an LDT,
 * a reserved bit 51) is left out with a TINFO that says so.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD
#if defined(__x86_64__)

#include "kvm_x86_user.h"

#define GIB (1ULL << 30)
#define TEST_VA (512 * GIB)	/* PML4 entry 1, PDPT entry 0 */
#define ALIAS_VA (513 * GIB)	/* PDPT entry 1: same PD, PT and page */

/* The data page: a RET at offset 0, a data word and a small LDT */
#define RET_OPCODE 0xc3
#define DATA_OFFSET 0x100
#define LDT_OFFSET 0x200
#define LDT_INDEX 1
#define LDT_LIMIT (8 * (LDT_INDEX + 1) - 1)
#define DESC_OFFSET (LDT_OFFSET + 8 * LDT_INDEX)
#define LDT_SELECTOR ((LDT_INDEX << 3) | 4 | 3)	/* TI=1, RPL 3 */
#define DESC_ACCESSED (1 << 0)	/* in the descriptor's type byte */

/* What a write stores: different for the two addresses of the page */
#define WRITE_PATTERN(addr) (0xc0ffee0000000000ULL ^ (uintptr_t)(addr))

#define PFERR_PRESENT (1 << 0)
#define PFERR_WRITE (1 << 1)
#define PFERR_USER (1 << 2)
#define PFERR_RSVD (1 << 3)
#define PFERR_FETCH (1 << 4)

#define PTE_BIT51 (1ULL << 51)
#define TABLE_BITS (PTE_PRESENT | PTE_WRITABLE | PTE_USER)

#define CPUID_EXT_ADDRESS_SIZES 0x80000008
#define CPUID_EDX_NX (1 << 20)		/* leaf 0x80000001 */
#define CPUID_7_EBX_SMEP (1 << 7)
#define CPUID_7_EBX_SMAP (1 << 20)

#define MAX_REPORTED_FAILURES 20

enum access_kind {
	SUPERVISOR_READ,
	SUPERVISOR_WRITE,
	SUPERVISOR_FETCH,
	USER_READ,
	USER_WRITE,
	USER_FETCH,
	IMPLICIT_READ,
	IMPLICIT_WRITE,
	USER_IMPLICIT_READ,
	USER_IMPLICIT_WRITE,
	ACCESS_KINDS
};

/* Control bits that can change an access's outcome (EFER.NXE always can) */
#define CTRL_WP (1 << 0)
#define CTRL_SMEP (1 << 1)
#define CTRL_SMAP (1 << 2)	/* with RFLAGS.AC */

struct access_type {
	const char *name;
	unsigned int cpl;
	int write, fetch, implicit;
	unsigned int controls;
};

static const struct access_type access_types[ACCESS_KINDS] = {
	[SUPERVISOR_READ] = {"supervisor read", 0, 0, 0, 0, CTRL_SMAP},
	[SUPERVISOR_WRITE] = {"supervisor write", 0, 1, 0, 0,
		CTRL_WP | CTRL_SMAP},
	[SUPERVISOR_FETCH] = {"supervisor fetch", 0, 0, 1, 0, CTRL_SMEP},
	[USER_READ] = {"user read", 3, 0, 0, 0, 0},
	[USER_WRITE] = {"user write", 3, 1, 0, 0, 0},
	[USER_FETCH] = {"user fetch", 3, 0, 1, 0, 0},
	[IMPLICIT_READ] = {"LDT descriptor read at CPL 0", 0, 0, 0, 1,
		CTRL_SMAP},
	[IMPLICIT_WRITE] = {"LDT accessed-bit write at CPL 0", 0, 1, 0, 1,
		CTRL_WP | CTRL_SMAP},
	[USER_IMPLICIT_READ] = {"LDT descriptor read at CPL 3", 3, 0, 0, 1,
		CTRL_SMAP},
	[USER_IMPLICIT_WRITE] = {"LDT accessed-bit write at CPL 3", 3, 1, 0,
		1, CTRL_WP | CTRL_SMAP},
};

/* What a test entry gets instead of its access bits */
enum entry_fault {
	NO_FAULT,
	LEAF_NOT_PRESENT,
	UPPER_NOT_PRESENT,
	LEAF_RESERVED,
	UPPER_RESERVED,
	PML4_LARGE,
	ENTRY_FAULTS
};

static const char *const entry_fault_names[ENTRY_FAULTS] = {
	[NO_FAULT] = "",
	[LEAF_NOT_PRESENT] = ", PTE not present",
	[UPPER_NOT_PRESENT] = ", upper entry not present",
	[LEAF_RESERVED] = ", PTE bit 51 set",
	[UPPER_RESERVED] = ", upper entry bit 51 set",
	[PML4_LARGE] = ", PML4E.PS set",
};

/* Access bits of one entry, as the matrix combines them */
#define PERM_USER (1 << 0)
#define PERM_WRITE (1 << 1)
#define PERM_NX (1 << 2)
#define PERM_COMBINATIONS 8

struct cpu_config {
	int nxe, wp, smep, smap, ac;
};

struct mmu_case {
	struct cpu_config cpu;
	enum access_kind kind;
	int primed;			/* first through the alias */
	unsigned int upper_level;	/* 2: PDE, 3: PDPTE, 4: PML4E */
	unsigned int leaf_perm, upper_perm;
	enum entry_fault fault;
};

/* Entry bits of one path to the page, by level (1: PTE ... 4: PML4E) */
struct path_bits {
	uint64_t entry[5];
};

struct expectation {
	int fault;
	unsigned long errcode;
};

/* What the exception handler saw during one access */
struct observation {
	unsigned int exceptions, vector, cpl;
	unsigned long errcode;
	uintptr_t ip, cr2, insn;
};

/* Parts of the matrix, for the summary */
enum part {
	PART_PERMISSIONS,
	PART_IMPLICIT,
	PART_INVALID_ENTRIES,
	PARTS
};

static const char *const part_names[PARTS] = {
	[PART_PERMISSIONS] = "Permission matrix (explicit accesses)",
	[PART_IMPLICIT] = "Implicit supervisor accesses (LDT)",
	[PART_INVALID_ENTRIES] = "Not-present and reserved-bit entries",
};

/* Combinations run, wrong, and right with the access faulting */
static unsigned int checked[PARTS], failed[PARTS], faulted[PARTS];
static unsigned int reported_failures;

/* The private tables and the page, by their identity-map addresses */
static uint64_t *pml4_entry, *pdpt, *pd, *pt;
static uint8_t *page;

static struct kvm_cregs saved_cregs;
static uint64_t saved_efer;
static unsigned int maxphyaddr = 36;
static uint64_t phys_reserved_bits;	/* MAXPHYADDR..51 */
static int has_nx, can_clear_nxe, has_smep, has_smap, has_bit51;
static int has_ldt;
static uint16_t saved_ldtr;
static int ldt_gdt_index = -1;

static volatile int catching;
static struct observation observed;

/*
 * An access sequence: R10 is the instruction, RCX where to resume and
 * R11 the stack pointer to resume with, for the exception handler.
 */
#define ACCESS_ASM(insn) \
	"lea 1731f(%%rip), %%r10\n\t" \
	"lea 1732f(%%rip), %%rcx\n\t" \
	"mov %%rsp, %%r11\n" \
	"1731:\t" insn "\n" \
	"1732:\n\t"
#define ACCESS_CLOBBERS "rcx", "r10", "r11", "memory", "cc"

/* The accesses, once as user code and once as kernel code */
#define DEFINE_ACCESSES(prefix, attr, data_selector) \
static attr int prefix##_read(void *addr) \
{ \
	uint64_t value = 0; \
	__asm__ volatile(ACCESS_ASM("mov (%%rax), %%rdx") \
		: "+d" (value) : "a" (addr) : ACCESS_CLOBBERS); \
	return (int)value; \
} \
static attr int prefix##_write(void *addr) \
{ \
	__asm__ volatile(ACCESS_ASM("mov %%rdx, (%%rax)") \
		: : "a" (addr), "d" (WRITE_PATTERN(addr)) \
		: ACCESS_CLOBBERS); \
	return 0; \
} \
static attr int prefix##_fetch(void *addr) \
{ \
	__asm__ volatile(ACCESS_ASM("call *%%rax") \
		: : "a" (addr) : ACCESS_CLOBBERS); \
	return 0; \
} \
static attr int prefix##_load_segment(void *addr) \
{ \
	__asm__ volatile(ACCESS_ASM("mov %%ax, %%es") "mov %%dx, %%es" \
		: : "a" (LDT_SELECTOR), "d" (data_selector) \
		: ACCESS_CLOBBERS); \
	return 0; \
}

DEFINE_ACCESSES(user, KVM_USER_CODE, KVM_USER_DS)
DEFINE_ACCESSES(kernel, __attribute__((noinline)), KVM_DS_SELECTOR)

static int catch_exception(void *userdata, struct kvm_interrupt_frame *ifrm,
	unsigned long errcode)
{
	struct kvm_interrupt_regs *regs = kvm_get_interrupt_regs(ifrm);
	uintptr_t page_base = ifrm->eip & ~(uintptr_t)(KVM_PAGE_SIZE - 1);
	unsigned long cr2;

	/* Only at the access instruction, or in the page for a fetch */
	if (!catching || (ifrm->eip != regs->r10 && page_base != TEST_VA &&
			  page_base != ALIAS_VA))
		return 1;

	/* CR2 alone: reading all control registers costs exits */
	__asm__ volatile("mov %%cr2, %0" : "=r" (cr2));
	observed.exceptions++;
	observed.vector = (uintptr_t)userdata;
	observed.cpl = kvm_get_interrupt_cpl(ifrm);
	observed.errcode = errcode;
	observed.ip = ifrm->eip;
	observed.cr2 = cr2;
	observed.insn = regs->r10;
	ifrm->eip = regs->rcx;
	ifrm->esp = regs->r11;
	return 0;
}

static void set_ac(int ac)
{
	if (ac)
		__asm__ volatile("pushfq; orq %0, (%%rsp); popfq"
			: : "i" (RFLAGS_AC) : "memory", "cc");
	else
		__asm__ volatile("pushfq; andq %0, (%%rsp); popfq"
			: : "i" (~RFLAGS_AC) : "memory", "cc");
}

/* The address an access of kind touches in the mapping at base */
static uintptr_t access_address(enum access_kind kind, uintptr_t base)
{
	if (access_types[kind].fetch)
		return base;

	if (access_types[kind].implicit)
		return base + DESC_OFFSET;

	return base + DATA_OFFSET;
}

/*
 * One access at addr, with the CPU state's RFLAGS.AC; what it raised is
 * in observed afterwards.
 */
static int run_access(enum access_kind kind, uintptr_t addr,
	const struct cpu_config *cpu)
{
	static int (*const kernel_funcs[ACCESS_KINDS])(void *) = {
		[SUPERVISOR_READ] = kernel_read,
		[SUPERVISOR_WRITE] = kernel_write,
		[SUPERVISOR_FETCH] = kernel_fetch,
		[IMPLICIT_READ] = kernel_load_segment,
		[IMPLICIT_WRITE] = kernel_load_segment,
	};
	static int (*const user_funcs[ACCESS_KINDS])(void *) = {
		[USER_READ] = user_read,
		[USER_WRITE] = user_write,
		[USER_FETCH] = user_fetch,
		[USER_IMPLICIT_READ] = user_load_segment,
		[USER_IMPLICIT_WRITE] = user_load_segment,
	};
	int ret;

	observed.exceptions = 0;
	catching = 1;

	if (access_types[kind].cpl == 3) {
		ret = kvm_run_user_flags(user_funcs[kind], (void *)addr,
			KVM_USER_RFLAGS | (cpu->ac ? RFLAGS_AC : 0));
	} else {
		/* POPF may exit: only where AC is wanted */
		if (cpu->ac)
			set_ac(1);
		ret = kernel_funcs[kind]((void *)addr);
		if (cpu->ac)
			set_ac(0);
	}

	catching = 0;
	return ret;
}

static uint64_t reserved_bits(unsigned int level, const struct cpu_config *cpu)
{
	uint64_t bits = phys_reserved_bits;

	if (!cpu->nxe)
		bits |= PTE_NX;

	/* The test maps no large pages: PS is set only to be reserved */
	if (level == 4)
		bits |= PTE_LARGE;

	return bits;
}

/* One access through the entries of path, by SDM 4.6 and 4.7 */
static struct expectation model_one(const struct path_bits *path,
	const struct cpu_config *cpu, const struct access_type *at, int write)
{
	/* At CPL 3, descriptor-table accesses are supervisor accesses */
	int user_access = at->cpl == 3 && !at->implicit;
	int user_page = 1, writable = 1, executable = 1, denied;
	struct expectation exp = {.fault = 1};
	unsigned int level;
	uint64_t entry;

	if (write)
		exp.errcode |= PFERR_WRITE;

	if (user_access)
		exp.errcode |= PFERR_USER;

	/* I/D is reported only where execute protection exists */
	if (at->fetch && (cpu->nxe || cpu->smep))
		exp.errcode |= PFERR_FETCH;

	for (level = 4; level >= 1; level--) {
		entry = path->entry[level];

		if (!(entry & PTE_PRESENT))
			return exp;

		if (entry & reserved_bits(level, cpu)) {
			exp.errcode |= PFERR_PRESENT | PFERR_RSVD;
			return exp;
		}

		user_page &= !!(entry & PTE_USER);
		writable &= !!(entry & PTE_WRITABLE);
		if (cpu->nxe && (entry & PTE_NX))
			executable = 0;
	}

#ifdef NEGATIVE_CONTROL
	/* A wrong model: it does not know the U/S bit */
	user_page = 1;
#endif

	if (user_access) {
		denied = !user_page || (write && !writable) ||
			(at->fetch && !executable);
	} else if (at->fetch) {
		denied = !executable || (user_page && cpu->smep);
	} else {
		/* RFLAGS.AC lifts SMAP only for explicit accesses */
		denied = (user_page && cpu->smap &&
			  (at->implicit || !cpu->ac)) ||
			(write && cpu->wp && !writable);
	}

	exp.fault = denied;
	exp.errcode = denied ? exp.errcode | PFERR_PRESENT : 0;
	return exp;
}

static struct expectation model_access(const struct path_bits *path,
	const struct cpu_config *cpu, enum access_kind kind)
{
	const struct access_type *at = &access_types[kind];
	struct expectation exp;

	/* Setting a descriptor's accessed bit first reads the descriptor */
	if (at->implicit && at->write) {
		exp = model_one(path, cpu, at, 0);
		if (exp.fault)
			return exp;
	}

	return model_one(path, cpu, at, at->write);
}

static uint64_t perm_bits(unsigned int perm)
{
	return PTE_PRESENT | (perm & PERM_USER ? PTE_USER : 0) |
		(perm & PERM_WRITE ? PTE_WRITABLE : 0) |
		(perm & PERM_NX ? PTE_NX : 0);
}

/* The entry bits of both paths for a case; the alias differs at level 3 */
static void case_paths(const struct mmu_case *mc, struct path_bits *test,
	struct path_bits *alias)
{
	unsigned int level;

	for (level = 1; level <= 4; level++)
		test->entry[level] = TABLE_BITS;

	test->entry[1] = perm_bits(mc->leaf_perm);
	test->entry[mc->upper_level] = perm_bits(mc->upper_perm);

	switch (mc->fault) {
	case NO_FAULT:
		break;
	case LEAF_NOT_PRESENT:
		test->entry[1] &= ~(uint64_t)PTE_PRESENT;
		break;
	case UPPER_NOT_PRESENT:
		test->entry[mc->upper_level] &= ~(uint64_t)PTE_PRESENT;
		break;
	case LEAF_RESERVED:
		test->entry[1] |= PTE_BIT51;
		break;
	case UPPER_RESERVED:
		test->entry[mc->upper_level] |= PTE_BIT51;
		break;
	case PML4_LARGE:
		test->entry[4] |= PTE_LARGE;
		break;
	case ENTRY_FAULTS:
		break;
	}

	*alias = *test;
	alias->entry[3] = TABLE_BITS;
}

/*
 * Writes an entry unless it holds value already, ignoring the accessed and
 * dirty bits: KVM write-protects the tables it shadows, so every write
 * costs an exit and an emulation.
 */
static void set_entry(uint64_t *entry, uint64_t value)
{
	if ((*entry & ~(uint64_t)(PTE_ACCESSED | PTE_DIRTY)) != value)
		*entry = value;
}

static void write_tables(const struct path_bits *test,
	const struct path_bits *alias)
{
	set_entry(pml4_entry, (uintptr_t)pdpt | test->entry[4]);
	set_entry(&pdpt[0], (uintptr_t)pd | test->entry[3]);
	set_entry(&pdpt[1], (uintptr_t)pd | alias->entry[3]);
	set_entry(&pd[0], (uintptr_t)pt | test->entry[2]);
	/* With its accessed and dirty bits clear, for the checks */
	pt[0] = (uintptr_t)page | test->entry[1];

	/* Also drops the paging-structure caches */
	kvm_invlpg((void *)TEST_VA);
	kvm_invlpg((void *)ALIAS_VA);
}

static volatile uint64_t *data_word(void)
{
	return (volatile uint64_t *)(page + DATA_OFFSET);
}

static volatile uint8_t *descriptor_type(void)
{
	return page + DESC_OFFSET + 5;
}

/* What the checks compare before and after an access */
struct snapshot {
	uint64_t word;
	uint64_t entry[5];
	uint8_t descriptor_type;
};

struct access_record {
	enum access_kind kind;
	uintptr_t base;			/* TEST_VA or ALIAS_VA */
	const struct path_bits *path;	/* the bits the model sees */
	struct observation obs;
	int ret;
	struct snapshot before, after;
	int expected_fault;		/* set by check_access() */
};

static void take_snapshot(uintptr_t base, struct snapshot *snap)
{
	snap->word = *data_word();
	snap->entry[4] = *pml4_entry;
	snap->entry[3] = base == TEST_VA ? pdpt[0] : pdpt[1];
	snap->entry[2] = pd[0];
	snap->entry[1] = pt[0];
	snap->descriptor_type = *descriptor_type();
}

static unsigned long applied_cr0, applied_cr4;
static uint64_t applied_efer;

static void apply_cpu_config(const struct cpu_config *cpu)
{
	applied_cr0 = saved_cregs.cr0 & ~(unsigned long)CR0_WP;
	applied_cr4 = saved_cregs.cr4 & ~(unsigned long)(CR4_SMEP | CR4_SMAP);
	applied_efer = saved_efer & ~(uint64_t)EFER_NXE;

	if (cpu->wp)
		applied_cr0 |= CR0_WP;

	if (cpu->smep)
		applied_cr4 |= CR4_SMEP;

	if (cpu->smap)
		applied_cr4 |= CR4_SMAP;

	if (cpu->nxe)
		applied_efer |= EFER_NXE;

	if (applied_cr0 != saved_cregs.cr0)
		kvm_set_cr0(applied_cr0);

	if (applied_cr4 != saved_cregs.cr4)
		kvm_set_cr4(applied_cr4);

	if (applied_efer != saved_efer)
		kvm_wrmsr(MSR_EFER, applied_efer);
}

static void restore_cpu_config(void)
{
	if (applied_cr0 != saved_cregs.cr0)
		kvm_set_cr0(saved_cregs.cr0);

	if (applied_cr4 != saved_cregs.cr4)
		kvm_set_cr4(saved_cregs.cr4);

	if (applied_efer != saved_efer)
		kvm_wrmsr(MSR_EFER, saved_efer);
}

static void record_access(struct access_record *rec,
	const struct cpu_config *cpu)
{
	take_snapshot(rec->base, &rec->before);
	rec->ret = run_access(rec->kind, access_address(rec->kind, rec->base),
		cpu);
	rec->obs = observed;
	take_snapshot(rec->base, &rec->after);
}

static void describe_observation(const struct observation *obs,
	uintptr_t addr, char *buf, size_t size)
{
	if (!obs->exceptions) {
		snprintf(buf, size, "no exception");
		return;
	}

	snprintf(buf, size, "%u exception(s), the last %s, error code 0x%lx "
		"at CPL %u, CR2 0x%lx, RIP %s", obs->exceptions,
		obs->vector < INTERRUPT_COUNT ?
			tst_interrupt_names[obs->vector] : "?",
		obs->errcode, obs->cpl, (unsigned long)obs->cr2,
		obs->ip == obs->insn ? "at the instruction" :
		obs->ip == addr ? "at the page" : "elsewhere");
}

/* The reason for a TFAIL, written only when it is going to be shown */
static void explain(char *why, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void explain(char *why, size_t size, const char *fmt, ...)
{
	va_list ap;

	if (!why)
		return;

	va_start(ap, fmt);
	vsnprintf(why, size, fmt, ap);
	va_end(ap);
}

/*
 * Checks a recorded access against the model; says what was wrong in why
 * unless why is NULL.
 */
static int check_access(struct access_record *rec,
	const struct cpu_config *cpu, char *why, size_t size)
{
	const struct access_type *at = &access_types[rec->kind];
	const struct observation *obs = &rec->obs;
	const struct snapshot *before = &rec->before, *after = &rec->after;
	uintptr_t addr = access_address(rec->kind, rec->base);
	struct expectation exp = model_access(rec->path, cpu, rec->kind);
	uint64_t dirty_change = (before->entry[1] ^ after->entry[1]) &
		PTE_DIRTY;
	char seen[160];
	unsigned int level;
	int cr2_ok;

	rec->expected_fault = exp.fault;
	if (exp.fault) {
		/* Setting the accessed bit may fault anywhere in the entry */
		cr2_ok = at->implicit && at->write ?
			obs->cr2 - addr < 8 : obs->cr2 == addr;

		if (obs->exceptions != 1 || obs->vector != INTR_PAGE_FAULT ||
		    obs->errcode != exp.errcode || obs->cpl != at->cpl ||
		    !cr2_ok || obs->ip != (at->fetch ? addr : obs->insn)) {
			if (why)
				describe_observation(obs, addr, seen,
					sizeof(seen));
			explain(why, size, "%s; expected #PF, error code "
				"0x%lx at CPL %u, CR2 0x%lx", seen, exp.errcode,
				at->cpl, (unsigned long)addr);
			return 0;
		}

		if (after->word != before->word ||
		    after->descriptor_type != before->descriptor_type) {
			explain(why, size, "faulted, but the page changed");
			return 0;
		}

		if (dirty_change) {
			explain(why, size, "faulted, but the PTE's dirty bit "
				"changed (PTE 0x%llx)", after->entry[1]);
			return 0;
		}

		return 1;
	}

	if (obs->exceptions) {
		if (why)
			describe_observation(obs, addr, seen, sizeof(seen));
		explain(why, size, "%s; expected no exception", seen);
		return 0;
	}

	if (rec->kind == SUPERVISOR_READ || rec->kind == USER_READ) {
		if ((uint32_t)rec->ret != (uint32_t)before->word) {
			explain(why, size, "read 0x%x, the page holds 0x%x",
				(uint32_t)rec->ret, (uint32_t)before->word);
			return 0;
		}
	} else if (at->write && !at->implicit) {
		if (after->word != WRITE_PATTERN(addr)) {
			explain(why, size, "the write did not land: the page "
				"holds 0x%llx", after->word);
			return 0;
		}
	} else if (at->implicit && at->write &&
		   !(after->descriptor_type & DESC_ACCESSED)) {
		explain(why, size, "the descriptor's accessed bit is still "
			"clear");
		return 0;
	}

	for (level = 4; level >= 1; level--) {
		if (!(after->entry[level] & PTE_ACCESSED)) {
			explain(why, size, "accessed bit clear at level %u "
				"(0x%llx)", level, after->entry[level]);
			return 0;
		}
	}

	if (at->write && !(after->entry[1] & PTE_DIRTY)) {
		explain(why, size, "dirty bit clear after the write (PTE "
			"0x%llx)", after->entry[1]);
		return 0;
	}

	if (!at->write && dirty_change) {
		explain(why, size, "dirty bit set without a write (PTE "
			"0x%llx)", after->entry[1]);
		return 0;
	}

	return 1;
}

static void report_failure(const struct mmu_case *mc,
	const struct access_record *rec, const char *why)
{
	const struct cpu_config *cpu = &mc->cpu;
	const struct path_bits *path = rec->path;

	tst_res(TFAIL, "%s at %s%s (CR0.WP=%d EFER.NXE=%d CR4.SMEP=%d "
		"CR4.SMAP=%d RFLAGS.AC=%d; PML4E 0x%llx PDPTE 0x%llx "
		"PDE 0x%llx PTE 0x%llx%s): %s",
		access_types[rec->kind].name,
		rec->base == TEST_VA ? "512 GiB" : "513 GiB",
		rec->base == TEST_VA && mc->primed ?
			" after the same through 513 GiB" :
		rec->base == ALIAS_VA ? " (priming)" : "",
		cpu->wp, cpu->nxe, cpu->smep, cpu->smap, cpu->ac,
		path->entry[4], path->entry[3], path->entry[2], path->entry[1],
		entry_fault_names[mc->fault], why);
}

/* The access that primes the shadow MMU through the alias */
static enum access_kind prime_kind(enum access_kind kind)
{
	/* The LDT is at 512 GiB only: read the page at the same CPL */
	if (access_types[kind].implicit)
		return access_types[kind].cpl == 3 ? USER_READ :
			SUPERVISOR_READ;

	return kind;
}

static void run_case(const struct mmu_case *mc, enum part part)
{
	static uint32_t serial;
	struct access_record prime = {
		.kind = prime_kind(mc->kind), .base = ALIAS_VA,
	};
	struct access_record test = {.kind = mc->kind, .base = TEST_VA};
	struct path_bits test_path, alias_path;
	struct access_record *bad;
	char why[256];

	case_paths(mc, &test_path, &alias_path);
	prime.path = &alias_path;
	test.path = &test_path;

	/* A fresh word for every case, so that a read proves where it read */
	*data_word() = 0xa5a5a5a500000000ULL | (0x77000000 + ++serial);
	if (access_types[mc->kind].implicit && access_types[mc->kind].write)
		*descriptor_type() &= ~DESC_ACCESSED;
	else
		*descriptor_type() |= DESC_ACCESSED;

	write_tables(&test_path, &alias_path);

	/* The same CPU state for both accesses, restored before reporting */
	apply_cpu_config(&mc->cpu);
	if (mc->primed)
		record_access(&prime, &mc->cpu);
	record_access(&test, &mc->cpu);
	restore_cpu_config();

	checked[part]++;

	if (mc->primed && !check_access(&prime, &mc->cpu, NULL, 0))
		bad = &prime;
	else if (!check_access(&test, &mc->cpu, NULL, 0))
		bad = &test;
	else
		bad = NULL;

	if (!bad) {
		faulted[part] += test.expected_fault;
		return;
	}

	failed[part]++;
	if (++reported_failures > MAX_REPORTED_FAILURES)
		return;

	/* Again, for the words */
	check_access(bad, &mc->cpu, why, sizeof(why));
	report_failure(mc, bad, why);
}

/* Which parts of the entry matrix a CPU state gets */
#define PASS_PRIMED (1 << 0)	/* the combinations after priming */
#define PASS_INVALID (1 << 1)	/* not-present and reserved-bit entries */

/*
 * The entry combinations for one access and CPU state: the 64 of the PTE's
 * and an upper entry's U/S, R/W and NX bits, the upper entry the PDE, the
 * PDPTE and the PML4E in turn; with PASS_PRIMED, the 64 again after
 * priming through the alias, which bypasses only the PDPTE, where the
 * bits then go; with PASS_INVALID, the not-present and reserved-bit
 * entries, unprimed and primed.
 */
static void run_entry_matrix(struct mmu_case *mc, unsigned int passes)
{
	enum part part = access_types[mc->kind].implicit ? PART_IMPLICIT :
		PART_PERMISSIONS;
	int last_primed = !!(passes & PASS_PRIMED);
	unsigned int perms;

	mc->fault = NO_FAULT;
	for (mc->primed = 0; mc->primed <= last_primed; mc->primed++) {
		for (perms = 0; perms < PERM_COMBINATIONS * PERM_COMBINATIONS;
		     perms++) {
			mc->leaf_perm = perms / PERM_COMBINATIONS;
			mc->upper_perm = perms % PERM_COMBINATIONS;
			mc->upper_level = mc->primed ? 3 :
				2 + (mc->leaf_perm + mc->upper_perm) % 3;
			run_case(mc, part);
		}
	}

	if (!(passes & PASS_INVALID))
		return;

	mc->leaf_perm = mc->upper_perm = PERM_USER | PERM_WRITE;
	for (mc->primed = 0; mc->primed <= 1; mc->primed++) {
		for (mc->fault = NO_FAULT + 1; mc->fault < ENTRY_FAULTS;
		     mc->fault++) {
			if (!has_bit51 && (mc->fault == LEAF_RESERVED ||
					   mc->fault == UPPER_RESERVED))
				continue;

			/* Only these put the fault in the upper entry */
			if (mc->fault != UPPER_NOT_PRESENT &&
			    mc->fault != UPPER_RESERVED) {
				mc->upper_level = 2;
				run_case(mc, PART_INVALID_ENTRIES);
				continue;
			}

			for (mc->upper_level = 2; mc->upper_level <= 4;
			     mc->upper_level++)
				run_case(mc, PART_INVALID_ENTRIES);
		}
	}
}

/*
 * For each access: every combination of the control bits that can change
 * its outcome, with the others at their defaults (CR0.WP set, SMEP and
 * SMAP clear); for explicit accesses once more with the others flipped,
 * which must change nothing. The slow parts of the entry matrix, priming
 * and invalid entries, run with EFER.NXE set and the defaults only.
 */
static void run_access_matrix(struct mmu_case *mc)
{
	const struct access_type *at = &access_types[mc->kind];
	struct cpu_config *cpu = &mc->cpu;
	unsigned int nxe_values = has_nx && can_clear_nxe ? 2 : 1;
	unsigned int wp_values = at->controls & CTRL_WP ? 2 : 1;
	unsigned int smep_values = at->controls & CTRL_SMEP && has_smep ? 2 : 1;
	/* SMAP off; on with AC clear; on with AC set */
	unsigned int smap_values = at->controls & CTRL_SMAP && has_smap ? 3 : 1;
	unsigned int flips = !at->implicit &&
		(!(at->controls & CTRL_WP) ||
		 (!(at->controls & CTRL_SMEP) && has_smep) ||
		 (!(at->controls & CTRL_SMAP) && has_smap)) ? 2 : 1;
	unsigned int i, rest, flip, smap, passes;

	for (i = 0; i < nxe_values * wp_values * smep_values * smap_values *
	     flips; i++) {
		rest = i;
		flip = rest % flips;
		rest /= flips;
		smap = rest % smap_values;
		rest /= smap_values;

		cpu->smap = at->controls & CTRL_SMAP ? smap > 0 :
			flip && has_smap;
		cpu->ac = smap == 2;
		cpu->smep = at->controls & CTRL_SMEP ? rest % smep_values :
			flip && has_smep;
		rest /= smep_values;
		cpu->wp = at->controls & CTRL_WP ? !(rest % wp_values) : !flip;
		rest /= wp_values;
		cpu->nxe = has_nx && !rest;

		passes = 0;
		if (!flip && cpu->nxe == has_nx)
			passes = at->implicit ? PASS_INVALID :
				PASS_PRIMED | PASS_INVALID;

		run_entry_matrix(mc, passes);
	}
}

static void run_matrix(void)
{
	struct mmu_case mc;

	memset(&mc, 0, sizeof(mc));
	for (mc.kind = 0; mc.kind < ACCESS_KINDS; mc.kind++) {
		if (access_types[mc.kind].implicit && !has_ldt)
			continue;

		run_access_matrix(&mc);
	}
}

/* The instruction's exception, if any, caught by the library */
static int insn_faults_wrmsr(unsigned int msr, uint64_t value)
{
	struct kvm_exception_record rec;

	kvm_catch_exceptions(&rec);
	__asm__ volatile(KVM_CATCH_INSN("wrmsr")
		: : "c" (msr), "a" ((uint32_t)value),
		    "d" ((uint32_t)(value >> 32)) : "memory");
	kvm_catch_exceptions(NULL);
	return rec.count;
}

static int insn_faults_set_cr4(unsigned long value)
{
	struct kvm_exception_record rec;

	kvm_catch_exceptions(&rec);
	__asm__ volatile(KVM_CATCH_INSN("mov %0, %%cr4")
		: : "r" (value) : "memory");
	kvm_catch_exceptions(NULL);
	return rec.count;
}

static int insn_faults_lldt(uint16_t selector)
{
	struct kvm_exception_record rec;

	kvm_catch_exceptions(&rec);
	__asm__ volatile(KVM_CATCH_INSN("lldt %0") : : "r" (selector));
	kvm_catch_exceptions(NULL);
	return rec.count;
}

/* 1 if CR4 takes bit (and gives it back), restoring CR4 */
static int cr4_bit_works(unsigned long bit)
{
	struct kvm_cregs now;
	int works;

	if (insn_faults_set_cr4(saved_cregs.cr4 | bit))
		return 0;

	kvm_read_cregs(&now);
	works = !!(now.cr4 & bit);
	kvm_set_cr4(saved_cregs.cr4);
	return works;
}

static void detect_features(void)
{
	struct kvm_cpuid id;
	unsigned int max_leaf, max_ext_leaf;

	kvm_get_cpuid(0, 0, &id);
	max_leaf = id.eax;
	kvm_get_cpuid(CPUID_GET_INPUT_RANGE, 0, &id);
	max_ext_leaf = id.eax;

	if (max_ext_leaf >= CPUID_GET_EXT_FEATURES) {
		kvm_get_cpuid(CPUID_GET_EXT_FEATURES, 0, &id);
		has_nx = !!(id.edx & CPUID_EDX_NX);
	}

	if (max_ext_leaf >= CPUID_EXT_ADDRESS_SIZES) {
		kvm_get_cpuid(CPUID_EXT_ADDRESS_SIZES, 0, &id);
		maxphyaddr = id.eax & 0xff;
	}

	if (max_leaf >= 7) {
		kvm_get_cpuid(7, 0, &id);
		has_smep = !!(id.ebx & CPUID_7_EBX_SMEP);
		has_smap = !!(id.ebx & CPUID_7_EBX_SMAP);
	}

	if (maxphyaddr < 52) {
		has_bit51 = 1;
		phys_reserved_bits = ((1ULL << 52) - 1) &
			~((1ULL << maxphyaddr) - 1);
	} else {
		tst_res(TINFO, "MAXPHYADDR is 52: bit 51 is not reserved, "
			"the reserved-bit cases use only PML4E.PS and NX");
	}

	if (has_nx && !(saved_efer & EFER_NXE)) {
		if (insn_faults_wrmsr(MSR_EFER, saved_efer | EFER_NXE))
			has_nx = 0;
		else
			saved_efer |= EFER_NXE;
	}

	if (has_nx) {
		can_clear_nxe = !insn_faults_wrmsr(MSR_EFER,
			saved_efer & ~(uint64_t)EFER_NXE) &&
			!(kvm_rdmsr(MSR_EFER) & EFER_NXE);
		kvm_wrmsr(MSR_EFER, saved_efer);
	}

	if (!has_nx)
		tst_res(TINFO, "No NX: NX bits are tested as reserved only");
	else if (!can_clear_nxe)
		tst_res(TINFO, "EFER.NXE cannot be cleared: tested with "
			"EFER.NXE=1 only");

	if (!has_smep) {
		tst_res(TINFO, "CPUID has no SMEP: CR4.SMEP not tested");
	} else if (!cr4_bit_works(CR4_SMEP)) {
		tst_res(TINFO, "CPUID has SMEP, but CR4.SMEP does not set: "
			"not tested");
		has_smep = 0;
	}

	if (!has_smap) {
		tst_res(TINFO, "CPUID has no SMAP: CR4.SMAP and RFLAGS.AC "
			"not tested");
	} else if (!cr4_bit_works(CR4_SMAP)) {
		tst_res(TINFO, "CPUID has SMAP, but CR4.SMAP does not set: "
			"not tested");
		has_smap = 0;
	}
}

static void *alloc_page(void)
{
	return memzero(tst_heap_alloc_aligned(KVM_PAGE_SIZE, KVM_PAGE_SIZE),
		KVM_PAGE_SIZE);
}

static void setup_tables(void)
{
	uint64_t *pml4 = (uint64_t *)(saved_cregs.cr3 & PTE_ADDRESS_MASK);

	pml4_entry = &pml4[TEST_VA >> 39];
	if (*pml4_entry & PTE_PRESENT)
		tst_brk(TBROK, "PML4 entry 1 is already in use");

	pdpt = alloc_page();
	pd = alloc_page();
	pt = alloc_page();
	page = alloc_page();

	page[0] = RET_OPCODE;
	kvm_set_segment_descriptor((void *)(page + DESC_OFFSET), 0, 0xfffff,
		SEGTYPE_RWDATA | SEGFLAG_DPL3 | SEGFLAG_PRESENT |
		SEGFLAG_32BIT | SEGFLAG_PAGE_LIMIT);
}

/* An LDT in the test page, for the implicit accesses */
static void setup_ldt(void)
{
	int index = kvm_find_free_descriptor(kvm_gdt, KVM_GDT_SIZE);

	__asm__ volatile("sldt %0" : "=r" (saved_ldtr));

	/* A 64-bit LDT descriptor takes two slots */
	if (index < 0 || index + 1 >= KVM_GDT_SIZE ||
	    (kvm_gdt[index + 1].flags_lo & SEGFLAG_PRESENT)) {
		tst_res(TINFO, "No room in the GDT for an LDT: implicit "
			"accesses not tested");
		return;
	}

	kvm_set_segment_descriptor(kvm_gdt + index, TEST_VA + LDT_OFFSET,
		LDT_LIMIT, SEGTYPE_LDT | SEGFLAG_PRESENT);
	ldt_gdt_index = index;

	if (insn_faults_lldt(index << 3)) {
		tst_res(TINFO, "LLDT faults: implicit accesses not tested");
		return;
	}

	has_ldt = 1;
}

static void cleanup(void)
{
	unsigned int vector;

	for (vector = 0; vector < INTERRUPT_COUNT; vector++)
		tst_set_interrupt_callback(vector, NULL, NULL);

	if (has_ldt)
		__asm__ volatile("lldt %0" : : "r" (saved_ldtr));

	if (ldt_gdt_index >= 0)
		memset(kvm_gdt + ldt_gdt_index, 0, 2 * sizeof(*kvm_gdt));

	*pml4_entry = 0;
	kvm_flush_tlb();
}

static KVM_USER_CODE int user_nothing(void *arg)
{
	return 0;
}

void main(void)
{
	unsigned int vector, i;

	kvm_require_user_mode();
	kvm_read_cregs(&saved_cregs);
	saved_efer = kvm_rdmsr(MSR_EFER);

	detect_features();
	setup_tables();
	setup_ldt();

	/* Set user mode up now, not with SMAP on in the first user access */
	kvm_run_user(user_nothing, NULL);

	for (vector = 0; vector < INTERRUPT_COUNT; vector++) {
		tst_set_interrupt_callback(vector, catch_exception,
			(void *)(uintptr_t)vector);
	}

	tst_res(TINFO, "Testing with EFER.NXE %s, CR4.SMEP %s, CR4.SMAP %s, "
		"MAXPHYADDR %u, implicit accesses %s",
		!has_nx ? "off" : can_clear_nxe ? "on and off" : "on",
		has_smep ? "on and off" : "off",
		has_smap ? "on and off" : "off", maxphyaddr,
		has_ldt ? "through an LDT" : "left out");

	run_matrix();
	cleanup();

	if (reported_failures > MAX_REPORTED_FAILURES) {
		tst_res(TINFO, "%u more wrong combinations not listed",
			reported_failures - MAX_REPORTED_FAILURES);
	}

	for (i = 0; i < PARTS; i++) {
		if (!checked[i])
			continue;

		if (failed[i]) {
			tst_res(TFAIL, "%s: %u of %u combinations wrong",
				part_names[i], failed[i], checked[i]);
		} else {
			tst_res(TPASS, "%s: all %u combinations as the "
				"architecture says (%u with #PF)",
				part_names[i], checked[i], faulted[i]);
		}
	}
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
