// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Freestanding string/memory functions for ltpkvm guest payloads.
 *
 * memset() and memcpy() use the x86 string instructions: each guest loop
 * iteration can be costly under some KVMs (measured under kvm_pvm: clearing
 * 4 KiB takes ~11 ms with a byte loop, ~0.5 ms with rep stos), and GCC can
 * not turn them back into calls to memset()/memcpy() themselves. The other
 * functions are plain loops; the Makefile passes
 * -fno-tree-loop-distribute-patterns so that GCC never rewrites a loop into
 * a call to the function it is part of.
 */

#include "kvm_guest.h"

#ifdef __x86_64__
# define REP_STOS_WORD "rep stosq"
# define REP_MOVS_WORD "rep movsq"
#else
# define REP_STOS_WORD "rep stosl"
# define REP_MOVS_WORD "rep movsl"
#endif

void *memset(void *dest, int val, size_t size)
{
	void *d = dest;
	size_t words = size / sizeof(long), rest = size % sizeof(long);
	unsigned long fill = (unsigned char)val * (~0UL / 0xff);

	__asm__ volatile(REP_STOS_WORD
		: "+D" (d), "+c" (words) : "a" (fill) : "memory");
	__asm__ volatile("rep stosb"
		: "+D" (d), "+c" (rest) : "a" (fill) : "memory");
	return dest;
}

void *memzero(void *dest, size_t size)
{
	return memset(dest, 0, size);
}

void *memcpy(void *dest, const void *src, size_t size)
{
	void *d = dest;
	const void *s = src;
	size_t words = size / sizeof(long), rest = size % sizeof(long);

	__asm__ volatile(REP_MOVS_WORD
		: "+D" (d), "+S" (s), "+c" (words) : : "memory");
	__asm__ volatile("rep movsb"
		: "+D" (d), "+S" (s), "+c" (rest) : : "memory");
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
