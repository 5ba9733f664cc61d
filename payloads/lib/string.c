// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Freestanding string/memory functions for ltpkvm guest payloads.
 *
 * Plain byte loops: guest payloads are tiny and correctness matters more
 * than speed.  GCC may recognise a byte loop as memset/memcpy and replace
 * it with a call to that very function, which would recurse forever here.
 * The Makefile passes -fno-tree-loop-distribute-patterns to prevent this;
 * as a second line of defence, memset() and memcpy() store through
 * volatile pointers so the loops can never be turned into library calls.
 */

#include "kvm_guest.h"

void *memset(void *dest, int val, size_t size)
{
	volatile unsigned char *d = dest;

	while (size--)
		*d++ = (unsigned char)val;

	return dest;
}

void *memzero(void *dest, size_t size)
{
	return memset(dest, 0, size);
}

void *memcpy(void *dest, const void *src, size_t size)
{
	volatile unsigned char *d = dest;
	const volatile unsigned char *s = src;

	while (size--)
		*d++ = *s++;

	return dest;
}

int memcmp(const void *a, const void *b, size_t size)
{
	/* C requires the bytes to be compared as unsigned char */
	const unsigned char *pa = a, *pb = b;

	for (; size; size--, pa++, pb++) {
		if (*pa != *pb)
			return *pa < *pb ? -1 : 1;
	}

	return 0;
}

char *strcpy(char *dest, const char *src)
{
	char *d = dest;

	while ((*d++ = *src++))
		;

	return dest;
}

char *strcat(char *dest, const char *src)
{
	strcpy(dest + strlen(dest), src);
	return dest;
}

size_t strlen(const char *str)
{
	const char *s = str;

	while (*s)
		s++;

	return s - str;
}

/* Like C, c is converted to char and the terminating NUL can be found. */
char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}
