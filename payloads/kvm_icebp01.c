// SPDX-License-Identifier: GPL-2.0-or-later
/*\
 * A MOV SS that hits a data breakpoint, followed by ICEBP (INT1) or INT3,
 * must deliver each debug exception once, at the right RIP.
 *
 * CVE-2018-1087
 *
 * MOV SS holds back the debug exceptions of its own memory access (and
 * interrupts) until the next instruction is done. When that instruction
 * enters a handler, as INT3 does, the held-back #DB is delivered at the
 * handler's first instruction, at CPL 0; ICEBP raises a #DB itself and the
 * handler runs once. KVM took such a held-back #DB for one raised by ICEBP
 * and delivered it to the guest kernel with a wrong RIP: guest user space
 * could crash the guest kernel or take it over. Fixed in kernel commit
 * 32d43cd391ba ("kvm/x86: fix icebp instruction handling").
 *
 * At CPL 3, then at CPL 0, with DR0 watching the 2-byte selector that MOV
 * SS loads (read or write, DR7.L0/G0), each sequence must raise just the
 * exceptions the architecture says, each once, at the right CPL and RIP:
 *
 * - a plain read of the watched word: #DB after it, DR6.B0 (no exception
 *   at all: the KVM ignores DR0-DR3, TCONF for the watched cases below);
 * - MOV SS from the watched word, then NOP: #DB after the NOP, DR6.B0;
 * - ICEBP, INT3 alone, and right after a MOV SS that hits no breakpoint:
 *   #DB (DR6 with no B0-B3 or BS bit) or #BP after the instruction;
 * - MOV SS from the watched word, then ICEBP: one #DB, after the ICEBP;
 * - MOV SS from the watched word, then INT3: #BP after the INT3, and the
 *   held-back #DB at CPL 0, at the first instruction of the #BP handler,
 *   with DR6.B0;
 * - at CPL 0 only, MOV SS from the watched word, then INT $1: the #DB of
 *   the INT $1 after it, and the held-back #DB at the first instruction of
 *   the #DB handler.
 *
 * The #BP gate is made DPL 3 for the INT3 at CPL 3, as an OS's is.
 *
 * TPASS: every sequence raised what it must. TFAIL: an exception was
 * missing, extra, of the wrong vector or at the wrong place (a handler
 * entered at a wrong RIP is resumed at its start, so the guest lives on).
 * A KVM that cannot run ICEBP or INT3 in the guest kernel (kvm_pvm
 * emulates them there, and KVM's emulator cannot emulate them in
 * protected mode) stops the VM with an internal error at the first one:
 * kvm_icebp01.py reports that as TCONF, after the CPL 3 results. kvm_pvm
 * also raises #UD at CPL 3 for an ICEBP or INT3 right after an emulated
 * MOV SS (TFAIL). x86_64 only (guest user mode needs paging, which
 * kvm_pvm refuses outside 64-bit mode).
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD
#if defined(__x86_64__)

#include "kvm_x86_user.h"

#define DR6_B0 (1UL << 0)
#define DR6_B0_B3 0xfUL
#define DR6_BS (1UL << 14)

/* DR0 on a 2-byte word: L0, G0, R/W0 = 11 (read or write), LEN0 = 01 */
#define DR7_WATCH_DR0 (DR7_INIT | 0x3UL | (0x3UL << 16) | (0x1UL << 18))

/* The exception stubs are 16 bytes apart (bootstrap.S) */
#define STUB_SIZE 16
#define MAX_EVENTS 8

/*
 * The negative control runs NOP instead of each instruction that must
 * raise an exception: the expected exceptions go missing.
 */
#ifdef NEGATIVE_CONTROL
# define ICEBP "nop"
# define INT3 "nop"
# define INT1 "nop"
#else
# define ICEBP ".byte 0xf1"
# define INT3 "int3"
# define INT1 "int $1"
#endif

/* The selectors MOV SS loads, which DR0 watches: one for each CPL */
static KVM_USER_DATA volatile uint16_t user_ss = KVM_USER_DS;
static volatile uint16_t kernel_ss = KVM_DS_SELECTOR;

/* Where the code under test runs, set by itself */
static KVM_USER_DATA uintptr_t code_start, code_end;

/*
 * The code under test: setup, then the last instruction, whose exception
 * is a trap (or a fault the handler skips). It runs with the watched
 * selector as operand 0.
 */
#define CODE(setup, last) \
	"lea 1731f(%%rip), %%rax\n\t" \
	"mov %%rax, code_start(%%rip)\n\t" \
	"lea 1732f(%%rip), %%rax\n\t" \
	"mov %%rax, code_end(%%rip)\n" \
	"1731:\t" setup "\n\t" \
	last "\n" \
	"1732:\n\t"

#define USER_CODE(fname, setup, last) \
static KVM_USER_CODE int fname(void *arg) \
{ \
	__asm__ volatile(CODE(setup, last) : : "m" (user_ss) \
		: "rax", "memory"); \
	return 0; \
}

#define KERNEL_CODE(fname, setup, last) \
static void fname(void) \
{ \
	__asm__ volatile(CODE(setup, last) : : "m" (kernel_ss) \
		: "rax", "memory"); \
}

#define BOTH_CODE(fname, setup, last) \
	USER_CODE(user_##fname, setup, last) \
	KERNEL_CODE(kernel_##fname, setup, last)

#define MOV_SS "mov %0, %%ss"

BOTH_CODE(read, "", "mov %0, %%ax")
BOTH_CODE(mov_ss_nop, MOV_SS, "nop")
BOTH_CODE(icebp, "", ICEBP)
BOTH_CODE(int3, "", INT3)
BOTH_CODE(mov_ss_icebp, MOV_SS, ICEBP)
BOTH_CODE(mov_ss_int3, MOV_SS, INT3)
KERNEL_CODE(kernel_mov_ss_int1, MOV_SS, INT1)

/* Where an expected exception is raised */
enum place {
	AT_END,		/* after the code under test (a trap) */
	AT_DB_STUB,	/* at the first instruction of the #DB handler */
	AT_BP_STUB,	/* at the first instruction of the #BP handler */
};

/* What DR6 must say */
enum dr6_rule {
	DR6_ANY,
	DR6_NO_CAUSE,	/* no B0-B3 and no BS: ICEBP's own #DB */
	DR6_HAS_B0,	/* DR0 matched */
};

struct expected {
	unsigned int vector;
	int kernel;	/* 1: at CPL 0 whatever the code's CPL */
	enum place place;
	enum dr6_rule dr6;
};

/* Whether DR0 watches the selector */
enum watch {
	NO_WATCH,
	WATCH,
	WATCH_PROBE,	/* and the case tells whether breakpoints work */
};

struct db_case {
	const char *name;
	int (*user)(void *arg);		/* at CPL 3; NULL: not there */
	void (*kernel)(void);		/* at CPL 0; NULL: not there */
	enum watch watch;
	unsigned int count;		/* of expected exceptions */
	struct expected expected[2];
};

#define EXPECT(vector, kernel, place, dr6) {vector, kernel, place, dr6}
#define DB_AT_END(dr6) EXPECT(INTR_DEBUG, 0, AT_END, dr6)
#define BP_AT_END EXPECT(INTR_BREAKPOINT, 0, AT_END, DR6_ANY)

static const struct db_case cases[] = {
	{"Read of the watched selector", user_read, kernel_read, WATCH_PROBE,
	 1, {DB_AT_END(DR6_HAS_B0)}},
	{"MOV SS from the watched selector, then NOP", user_mov_ss_nop,
	 kernel_mov_ss_nop, WATCH, 1, {DB_AT_END(DR6_HAS_B0)}},
	{"ICEBP", user_icebp, kernel_icebp, NO_WATCH,
	 1, {DB_AT_END(DR6_NO_CAUSE)}},
	{"INT3", user_int3, kernel_int3, NO_WATCH, 1, {BP_AT_END}},
	{"MOV SS, then ICEBP", user_mov_ss_icebp, kernel_mov_ss_icebp,
	 NO_WATCH, 1, {DB_AT_END(DR6_NO_CAUSE)}},
	{"MOV SS, then INT3", user_mov_ss_int3, kernel_mov_ss_int3, NO_WATCH,
	 1, {BP_AT_END}},
	{"MOV SS from the watched selector, then ICEBP", user_mov_ss_icebp,
	 kernel_mov_ss_icebp, WATCH, 1, {DB_AT_END(DR6_ANY)}},
	{"MOV SS from the watched selector, then INT3", user_mov_ss_int3,
	 kernel_mov_ss_int3, WATCH, 2,
	 {EXPECT(INTR_DEBUG, 1, AT_BP_STUB, DR6_HAS_B0), BP_AT_END}},
	{"MOV SS from the watched selector, then INT $1", NULL,
	 kernel_mov_ss_int1, WATCH, 2,
	 {EXPECT(INTR_DEBUG, 1, AT_DB_STUB, DR6_HAS_B0),
	  DB_AT_END(DR6_ANY)}},
};

/* What the exception handler saw */
struct event {
	unsigned int vector, cpl;
	uintptr_t rip;
	unsigned long errcode, dr6;
};

static const char *const mnemonics[INTERRUPT_COUNT] = {
	[INTR_ZERODIV] = "#DE", [INTR_DEBUG] = "#DB", [INTR_NMI] = "NMI",
	[INTR_BREAKPOINT] = "#BP", [INTR_OVERFLOW] = "#OF",
	[INTR_BOUND_RANGE_EXC] = "#BR", [INTR_BAD_OPCODE] = "#UD",
	[INTR_DEVICE_ERROR] = "#NM", [INTR_DOUBLE_FAULT] = "#DF",
	[INTR_INVALID_TSS] = "#TS", [INTR_SEGFAULT] = "#NP",
	[INTR_STACK_FAULT] = "#SS", [INTR_GPF] = "#GP",
	[INTR_PAGE_FAULT] = "#PF", [INTR_FPU_ERROR] = "#MF",
	[INTR_ALIGNMENT_ERROR] = "#AC", [INTR_MACHINE_CHECK] = "#MC",
	[INTR_SIMD_ERROR] = "#XM", [INTR_VIRT_ERROR] = "#VE",
	[INTR_CPE] = "#CP",
};

static struct event events[MAX_EVENTS];
static unsigned int event_count;

static unsigned long read_dr6(void)
{
	unsigned long dr6;

	__asm__ volatile("mov %%dr6, %0" : "=r" (dr6));
	return dr6;
}

static void write_dr6(unsigned long dr6)
{
	__asm__ volatile("mov %0, %%dr6" : : "r" (dr6));
}

static void write_dr7(unsigned long dr7)
{
	__asm__ volatile("mov %0, %%dr7" : : "r" (dr7));
}

static uintptr_t stub_address(enum place place)
{
	if (place == AT_DB_STUB)
		return (uintptr_t)kvm_handle_debug;

	return (uintptr_t)kvm_handle_breakpoint;
}

static int record_event(void *userdata, struct kvm_interrupt_frame *ifrm,
	unsigned long errcode)
{
	uintptr_t rip = ifrm->eip, stub;
	struct event *ev;
	enum place place;

	if (event_count < MAX_EVENTS) {
		ev = &events[event_count];
		ev->vector = (uintptr_t)userdata;
		ev->cpl = kvm_get_interrupt_cpl(ifrm);
		ev->rip = rip;
		ev->errcode = errcode;
		ev->dr6 = read_dr6();
	}

	write_dr6(DR6_INIT);

	/* A KVM that keeps raising them: stop the breakpoint */
	if (++event_count >= MAX_EVENTS)
		write_dr7(DR7_INIT);

	/*
	 * A #DB in the #DB or #BP stub is the held-back one: the stub goes
	 * on from its start, even if the #DB came at a wrong RIP.
	 */
	for (place = AT_DB_STUB; place <= AT_BP_STUB; place++) {
		stub = stub_address(place);
		if ((uintptr_t)userdata == INTR_DEBUG &&
		    kvm_get_interrupt_cpl(ifrm) == 0 && rip >= stub &&
		    rip < stub + STUB_SIZE) {
			ifrm->eip = stub;
			return 0;
		}
	}

	if (rip < code_start || rip > code_end)
		return 1;

	/* Traps are at the end already; a fault is skipped */
	ifrm->eip = code_end;
	ifrm->eflags &= ~(uintptr_t)RFLAGS_TF;
	return 0;
}

static void catch_events(int on)
{
	uintptr_t vector;

	for (vector = 0; vector < INTERRUPT_COUNT; vector++) {
		tst_set_interrupt_callback(vector, on ? record_event : NULL,
			(void *)vector);
	}
}

/* "#GP(0x1a) at CPL 3, RIP end+0, DR6 0xffff0ff0" */
static void describe_event(char *buf, size_t size, const struct event *ev)
{
	uintptr_t db = stub_address(AT_DB_STUB), bp = stub_address(AT_BP_STUB);
	const char *name = tst_interrupt_names[ev->vector];
	char where[48];
	size_t len;

	if (mnemonics[ev->vector])
		name = mnemonics[ev->vector];

	if (ev->rip >= code_start && ev->rip <= code_end) {
		snprintf(where, sizeof(where), "end%+ld",
			(long)(ev->rip - code_end));
	} else if (ev->rip >= db && ev->rip < db + STUB_SIZE) {
		snprintf(where, sizeof(where), "#DB handler+%lu",
			(unsigned long)(ev->rip - db));
	} else if (ev->rip >= bp && ev->rip < bp + STUB_SIZE) {
		snprintf(where, sizeof(where), "#BP handler+%lu",
			(unsigned long)(ev->rip - bp));
	} else {
		snprintf(where, sizeof(where), "0x%lx",
			(unsigned long)ev->rip);
	}

	len = snprintf(buf, size, "%s", name);
	if (ev->errcode && len < size)
		len += snprintf(buf + len, size - len, "(0x%lx)", ev->errcode);
	if (len < size) {
		snprintf(buf + len, size - len, " at CPL %u, RIP %s, DR6 0x%lx",
			ev->cpl, where, ev->dr6);
	}
}

static int event_matches(const struct event *ev, const struct expected *exp,
	unsigned int cpl)
{
	uintptr_t rip = exp->place == AT_END ? code_end :
		stub_address(exp->place);

	if (ev->vector != exp->vector || ev->cpl != (exp->kernel ? 0 : cpl) ||
	    ev->rip != rip)
		return 0;

	switch (exp->dr6) {
	case DR6_NO_CAUSE:
		return !(ev->dr6 & (DR6_B0_B3 | DR6_BS));
	case DR6_HAS_B0:
		return !!(ev->dr6 & DR6_B0);
	default:
		return 1;
	}
}

static int events_match(const struct db_case *dc, unsigned int cpl)
{
	unsigned int i;

	if (event_count != dc->count)
		return 0;

	for (i = 0; i < dc->count; i++) {
		if (!event_matches(&events[i], &dc->expected[i], cpl))
			return 0;
	}
	return 1;
}

/* "#DB at CPL 3 after the code, then ..." */
static void expected_text(char *buf, size_t size, const struct db_case *dc,
	unsigned int cpl)
{
	const struct expected *exp;
	unsigned int i;
	size_t len = 0;

	buf[0] = 0;
	for (i = 0; i < dc->count && len < size; i++) {
		exp = &dc->expected[i];
		len += snprintf(buf + len, size - len, "%s%s at CPL %u %s",
			i ? ", then " : "", exp->vector == INTR_DEBUG ?
			"#DB" : "#BP", exp->kernel ? 0 : cpl,
			exp->place == AT_END ? "after the code" :
			"at its handler's first instruction");
	}
}

/* "#UD at CPL 3, RIP end-1, DR6 0xffff0ff0; ..." */
static void events_text(char *buf, size_t size)
{
	unsigned int i;
	size_t len = 0;

	snprintf(buf, size, "no exception");
	for (i = 0; i < event_count && i < MAX_EVENTS && len < size; i++) {
		if (i)
			len += snprintf(buf + len, size - len, "; ");
		if (len < size)
			describe_event(buf + len, size - len, &events[i]);
		len = strlen(buf);
	}
	if (event_count > MAX_EVENTS && len < size)
		snprintf(buf + len, size - len, "; and more");
}

/*
 * Runs one case at cpl: 1 (and TPASS) if it raised what it must; else 0
 * and TFAIL, except for a probe that raised nothing.
 */
static int run_case(const struct db_case *dc, unsigned int cpl)
{
	volatile uint16_t *watched = cpl ? &user_ss : &kernel_ss;
	char what[80], expected[160], got[320];

	snprintf(what, sizeof(what), "%s at CPL %u", dc->name, cpl);
	memset(events, 0, sizeof(events));
	event_count = 0;
	write_dr6(DR6_INIT);
	if (dc->watch != NO_WATCH) {
		__asm__ volatile("mov %0, %%dr0" : : "r" (watched));
		write_dr7(DR7_WATCH_DR0);
	}

	catch_events(1);
	if (cpl)
		kvm_run_user(dc->user, NULL);
	else
		dc->kernel();
	catch_events(0);

	write_dr7(DR7_INIT);
	write_dr6(DR6_INIT);

	expected_text(expected, sizeof(expected), dc, cpl);
	if (events_match(dc, cpl)) {
		tst_res(TPASS, "%s: %s", what, expected);
		return 1;
	}

	if (dc->watch == WATCH_PROBE && !event_count)
		return 0;

	events_text(got, sizeof(got));
	tst_res(TFAIL, "%s: %s; expected %s", what, got, expected);
	return 0;
}

static void run_cpl(unsigned int cpl)
{
	const struct db_case *dc;
	int breakpoints = 1;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		dc = &cases[i];
		if (cpl ? !dc->user : !dc->kernel)
			continue;

		if (dc->watch == WATCH && !breakpoints)
			continue;

		if (dc->watch != WATCH_PROBE) {
			run_case(dc, cpl);
			continue;
		}

		if (run_case(dc, cpl))
			continue;

		breakpoints = 0;
		if (event_count) {
			tst_res(TINFO, "The cases of a MOV SS that hits a "
				"data breakpoint are skipped at CPL %u", cpl);
		} else {
			tst_res(TCONF, "DR0 and DR7 watch the selector, but a "
				"read of it at CPL %u raised no #DB: this KVM "
				"does not deliver data breakpoints; the cases of "
				"a MOV SS that hits one are skipped", cpl);
		}
	}
}

void main(void)
{
	uint8_t bp_flags = kvm_idt[INTR_BREAKPOINT].flags;

	kvm_require_user_mode();

	/* INT3 at CPL 3 needs a DPL 3 gate, as an OS gives it */
	kvm_idt[INTR_BREAKPOINT].flags = bp_flags | SEGFLAG_DPL3;
	run_cpl(3);
	kvm_idt[INTR_BREAKPOINT].flags = bp_flags;

	tst_res(TINFO, "CPL 0 next: a KVM that cannot run ICEBP or INT3 in "
		"the guest kernel stops the VM there (TCONF)");
	run_cpl(0);
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
		{"linux-git", "32d43cd391bacb5f0814c2624399a5dad3501d09"},
		{"CVE", "2018-1087"},
		{}
	}
};

#endif /* COMPILE_PAYLOAD */
