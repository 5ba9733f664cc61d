/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The arch-independent KVM guest library: the C subset, result reporting
 * and the heap, with the names and meanings of LTP's kvm_guest.h.
 */
#ifndef KVM_GUEST_H_
#define KVM_GUEST_H_

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include "kvm_common.h"
#include "kvm_guest_libc.h"

#ifndef NULL
# define NULL ((void *)0)
#endif

#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))
#define LTP_ALIGN(x, a) (((x) + (a) - 1) & ~((a) - 1))

#define INT_MAX __INT_MAX__
#define INT_MIN (-__INT_MAX__ - 1)
#define UINT_MAX (__INT_MAX__ * 2U + 1U)
#define ULONG_MAX (__LONG_MAX__ * 2UL + 1UL)

#define LTP_ATTRIBUTE_NORETURN __attribute__((noreturn))
#define LTP_ATTRIBUTE_UNUSED __attribute__((unused))
#define LTP_ATTRIBUTE_UNUSED_RESULT __attribute__((warn_unused_result))

/* Results: printf-style, passing the caller's file and line to the host. */
void tst_res_(const char *file, const int lineno, int result,
	      const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void tst_brk_(const char *file, const int lineno, int result,
	      const char *fmt, ...)
	__attribute__((noreturn, format(printf, 4, 5)));

#define tst_res(result, fmt, ...) \
	tst_res_(__FILE__, __LINE__, (result), (fmt), ##__VA_ARGS__)
#define tst_brk(result, fmt, ...) \
	tst_brk_(__FILE__, __LINE__, (result), (fmt), ##__VA_ARGS__)

/* A payload that cannot be built for this arch: it only reports TCONF. */
#define TST_TEST_TCONF(message) \
	void main(void) { tst_brk(TCONF, "%s", message); }

/* End the test; main() returning does the same. */
void kvm_exit(void) __attribute__((noreturn));

/* Stop the VM with HLT; the host resumes it without reporting anything. */
void kvm_yield(void);

/*
 * Signal the host without stopping: data goes to the host's waiter
 * (wait_guest() on the host returns). tst_wait_host() then spins until the
 * host clears the signal (clear_guest_signal()).
 */
void tst_signal_host(void *data);
void tst_wait_host(void *data);

/* Linear bump allocator above the payload image; nothing is ever freed. */
void *tst_heap_alloc_aligned(size_t size, size_t align);
void *tst_heap_alloc(size_t size);

/* Arch-specific entry points of the library, used by the generic code. */
void kvm_init_arch(void);

#if defined(__x86_64__) || defined(__i386__)
# include "kvm_x86.h"
#endif

#endif /* KVM_GUEST_H_ */
