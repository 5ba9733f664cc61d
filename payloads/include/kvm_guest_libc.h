// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Minimal freestanding libc subset for ltpkvm guest payloads.
 * Implemented in payloads/lib/string.c and payloads/lib/vsprintf.c.
 */
#ifndef KVM_GUEST_LIBC_H_
#define KVM_GUEST_LIBC_H_

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

/* string.c */
void *memset(void *dest, int val, size_t size);
void *memzero(void *dest, size_t size);
void *memcpy(void *dest, const void *src, size_t size);
int memcmp(const void *a, const void *b, size_t size);
char *strcpy(char *dest, const char *src);
char *strcat(char *dest, const char *src);
size_t strlen(const char *str);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);

/* vsprintf.c */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int vsprintf(char *buf, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...);
int sprintf(char *buf, const char *fmt, ...);

#endif /* KVM_GUEST_LIBC_H_ */
