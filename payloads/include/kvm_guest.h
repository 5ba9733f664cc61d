/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The arch-independent KVM guest library: the C subset, result reporting
 * and the heap, with the names, types and meanings of LTP's kvm_guest.h.
 *
 * The integer types are LTP's, not <stdint.h>'s: uint64_t is unsigned long
 * long and size_t unsigned long on x86_64 and i386 alike, so a payload
 * written for LTP formats them the same way under -Wformat here.
 */
#ifndef KVM_GUEST_H_
#define KVM_GUEST_H_

#include <stdarg.h>

typedef unsigned long size_t;
typedef long ssize_t;
typedef signed char int8_t;
typedef unsigned char uint8_t;
typedef short int16_t;
typedef unsigned short uint16_t;
typedef int int32_t;
typedef unsigned int uint32_t;
typedef long long int64_t;
typedef unsigned long long uint64_t;
typedef unsigned long uintptr_t;
typedef long intptr_t;
/* Not in LTP's headers: the compiler's own, as printf's %j and %t expect */
typedef __INTMAX_TYPE__ intmax_t;
typedef __UINTMAX_TYPE__ uintmax_t;
typedef __PTRDIFF_TYPE__ ptrdiff_t;

#include "kvm_common.h"

#ifndef NULL
# define NULL ((void *)0)
#endif

#ifndef offsetof
# define offsetof(type, member) __builtin_offsetof(type, member)
#endif

#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))
#define __LTP_ALIGN_MASK(x, mask) (((x) + (mask)) & ~(mask))
#define LTP_ALIGN(x, a) __LTP_ALIGN_MASK((x), (__typeof__(x))(a) - 1)

#define INT_MAX __INT_MAX__
#define INT_MIN (-__INT_MAX__ - 1)
#define UINT_MAX (__INT_MAX__ * 2U + 1U)
#define ULONG_MAX (__LONG_MAX__ * 2UL + 1UL)
#define SIZE_MAX ULONG_MAX

#define LTP_ATTRIBUTE_NORETURN __attribute__((noreturn))
#define LTP_ATTRIBUTE_UNUSED __attribute__((unused))
#define LTP_ATTRIBUTE_UNUSED_RESULT __attribute__((warn_unused_result))

/* CPU exception vectors (tst_set_interrupt_callback() takes 0..31) */
#define INTERRUPT_COUNT 32

/* The C subset: lib/string.c and lib/vsprintf.c */
void *memset(void *dest, int val, size_t size);
void *memzero(void *dest, size_t size);
void *memcpy(void *dest, const void *src, size_t size);
int memcmp(const void *a, const void *b, size_t length);
char *strcpy(char *dest, const char *src);
char *strcat(char *dest, const char *src);
size_t strlen(const char *str);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
int vsnprintf(char *dest, size_t size, const char *fmt, va_list ap);
int vsprintf(char *dest, const char *fmt, va_list ap);
int snprintf(char *dest, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int sprintf(char *dest, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

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

/* A payload that has nothing to run on this arch: it only reports TCONF. */
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

/* ltpkvm: what the host said before the first instruction (kvm_abi.h) */
extern struct kvm_host_info kvm_host_info;

/* Arch-specific entry points of the library, used by the generic code. */
void kvm_init_arch(void);

#if defined(__x86_64__) || defined(__i386__)
# include "kvm_x86.h"
#endif

#endif /* KVM_GUEST_H_ */
