// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Host-side harness comparing the guest library (payloads/lib/string.c and
 * payloads/lib/vsprintf.c) against glibc.  The library objects are linked
 * in with every symbol renamed to g_<name> so they don't clash with glibc.
 *
 * Usage: printf_harness printf|string
 * Prints one "FAIL ..." line per mismatch and a final "<n> cases, <m>
 * failures" line; exits non-zero if anything failed.
 */

#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

void *g_memset(void *dest, int val, size_t size);
void *g_memzero(void *dest, size_t size);
void *g_memcpy(void *dest, const void *src, size_t size);
int g_memcmp(const void *a, const void *b, size_t size);
char *g_strcpy(char *dest, const char *src);
char *g_strcat(char *dest, const char *src);
size_t g_strlen(const char *str);
char *g_strchr(const char *s, int c);
char *g_strrchr(const char *s, int c);

int g_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int g_vsprintf(char *buf, const char *fmt, va_list ap);
int g_snprintf(char *buf, size_t size, const char *fmt, ...);
int g_sprintf(char *buf, const char *fmt, ...);

#define BUF_SIZE	512
#define BIG		256	/* "large enough" size for most cases */
#define CANARY		0xa5

static int cases, failures;

static void fail(int line, const char *what, const char *fmt, ...)
{
	va_list ap;

	failures++;
	printf("FAIL line %d: %s: ", line, what);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* Print a possibly truncated buffer with embedded NULs made visible */
static void show(const char *label, const char *buf, int len)
{
	int i;

	printf("    %s: \"", label);
	for (i = 0; i < len; i++) {
		unsigned char c = buf[i];

		if (c >= 0x20 && c < 0x7f)
			putchar(c);
		else
			printf("\\x%02x", c);
	}
	printf("\"\n");
}

/*
 * Compare one snprintf()-style result.  Both buffers were filled with
 * CANARY beforehand; everything at and beyond 'size' must be untouched,
 * and the stored part (output plus NUL) must match.
 */
static void compare(int line, const char *desc, size_t size, const char *ours,
		    int ret_ours, const char *ref, int ret_ref)
{
	int stored, i;

	cases++;

	if (ret_ours != ret_ref) {
		fail(line, desc, "size %zu: returned %d, glibc %d",
		     size, ret_ours, ret_ref);
		show("ours ", ours, ret_ours > 0 && ret_ours < BUF_SIZE ? ret_ours : 0);
		show("glibc", ref, ret_ref > 0 && ret_ref < BUF_SIZE ? ret_ref : 0);
		return;
	}

	for (i = size; i < BUF_SIZE; i++) {
		if ((unsigned char)ours[i] != CANARY) {
			fail(line, desc, "size %zu: wrote past the end at %d",
			     size, i);
			return;
		}
	}

	if (!size)
		return;

	stored = (size_t)ret_ref < size - 1 ? ret_ref : (int)size - 1;
	if (memcmp(ours, ref, stored) || ours[stored] != '\0') {
		fail(line, desc, "size %zu: output differs", size);
		show("ours ", ours, stored + 1);
		show("glibc", ref, stored + 1);
	}
}

/*
 * Run one format through g_snprintf() and glibc snprintf(); with the BIG
 * size also through g_sprintf()/sprintf(), which take the unbounded path.
 */
#define T(size, ...)							\
	do {								\
		char o_[BUF_SIZE], r_[BUF_SIZE];			\
		int ro_, rr_;						\
									\
		memset(o_, CANARY, sizeof(o_));				\
		memset(r_, CANARY, sizeof(r_));				\
		ro_ = g_snprintf(o_, (size), __VA_ARGS__);		\
		rr_ = snprintf(r_, (size), __VA_ARGS__);		\
		compare(__LINE__, #__VA_ARGS__, (size), o_, ro_, r_, rr_); \
		if ((size) == BIG) {					\
			memset(o_, CANARY, sizeof(o_));			\
			memset(r_, CANARY, sizeof(r_));			\
			ro_ = g_sprintf(o_, __VA_ARGS__);		\
			rr_ = sprintf(r_, __VA_ARGS__);			\
			compare(__LINE__, "sprintf " #__VA_ARGS__,	\
				BUF_SIZE - 1, o_, ro_, r_, rr_);	\
		}							\
	} while (0)

/* Call g_vsnprintf() directly, to cover it without the snprintf wrapper */
static int call_vsnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = g_vsnprintf(buf, size, fmt, ap);
	va_end(ap);

	return ret;
}

static void printf_tests(void)
{
	/* Not NUL-terminated: %.3s must not read beyond it */
	static const char abc[3] = { 'a', 'b', 'c' };
	void *ptr = (void *)(uintptr_t)0x1234abcd;
	void *ptr_max = (void *)UINTPTR_MAX;
	char buf[16];
	int ret;

	/* Plain text and %% */
	T(BIG, "hello, world");
	T(BIG, "");
	T(BIG, "%%");
	T(BIG, "100%% sure %d%%", 5);

	/* %d / %i */
	T(BIG, "%d", 0);
	T(BIG, "%d", 1);
	T(BIG, "%d", -1);
	T(BIG, "%i", -123);
	T(BIG, "%d", INT_MAX);
	T(BIG, "%d", INT_MIN);
	T(BIG, "[%5d]", 42);
	T(BIG, "[%-5d]", 42);
	T(BIG, "[%05d]", -42);
	T(BIG, "[%+d]", 42);
	T(BIG, "[%+d]", 0);
	T(BIG, "[% d]", 42);
	T(BIG, "[% d]", -42);
	T(BIG, "[%+ d]", 42);
	T(BIG, "[% 05d]", 42);
	T(BIG, "[%-05d]", 42);
	T(BIG, "[%.3d]", 7);
	T(BIG, "[%.3d]", -7);
	T(BIG, "[%8.3d]", -7);
	T(BIG, "[%-8.3d]", 7);
	T(BIG, "[%08.3d]", 7);
	T(BIG, "[%.0d]", 0);
	T(BIG, "[%5.0d]", 0);
	T(BIG, "[%+.0d]", 0);
	T(BIG, "[%.0d]", 3);
	T(BIG, "[%300d]", 1);

	/* Length modifiers */
	T(BIG, "%hhd", 200);
	T(BIG, "%hhd", -128);
	T(BIG, "%hhu", 300);
	T(BIG, "%hhx", 0x1ff);
	T(BIG, "%hd", 70000);
	T(BIG, "%hd", SHRT_MIN);
	T(BIG, "%hu", -1);
	T(BIG, "%ld", LONG_MIN);
	T(BIG, "%ld", LONG_MAX);
	T(BIG, "%lu", ULONG_MAX);
	T(BIG, "%lx", 0xdeadbeefUL);
	T(BIG, "%lld", LLONG_MIN);
	T(BIG, "%lld", LLONG_MAX);
	T(BIG, "%lld", -1LL);
	T(BIG, "%llu", ULLONG_MAX);
	T(BIG, "%llx", ULLONG_MAX);
	T(BIG, "%llX", 0x0123456789abcdefULL);
	T(BIG, "%llo", ULLONG_MAX);
	T(BIG, "%llu", 10000000000000000000ULL);
	T(BIG, "%llu", 4294967296ULL);
	T(BIG, "%llu", 4294967295ULL);
	T(BIG, "[%+20lld]", 1234567890123LL);
	T(BIG, "[%-25llo]", 01234567012345670ULL);
	T(BIG, "%zu", (size_t)SIZE_MAX);
	T(BIG, "%zx", (size_t)0xabcdef);
	T(BIG, "%zd", (ptrdiff_t)-5);
	T(BIG, "%jd", INTMAX_MIN);
	T(BIG, "%ju", UINTMAX_MAX);
	T(BIG, "%td", (ptrdiff_t)-3);
	T(BIG, "%tx", (ptrdiff_t)0x7f);

	/* %u */
	T(BIG, "%u", 0u);
	T(BIG, "%u", UINT_MAX);
	T(BIG, "[%10u]", 12345u);
	T(BIG, "[%+u]", 5u);
	T(BIG, "[% u]", 5u);

	/* %x / %X */
	T(BIG, "%x", 255u);
	T(BIG, "%X", 255u);
	T(BIG, "%x", UINT_MAX);
	T(BIG, "%#x", 255u);
	T(BIG, "%#X", 255u);
	T(BIG, "%#x", 0u);
	T(BIG, "[%#10x]", 0xabcu);
	T(BIG, "[%#-10x]", 0xabcu);
	T(BIG, "[%#010x]", 0xabcu);
	T(BIG, "[%#.8x]", 0xabcu);
	T(BIG, "[%08X]", 0xabcu);
	T(BIG, "[%.0x]", 0u);
	T(BIG, "[%#.0x]", 0u);
	T(BIG, "[%#5.0x]", 0u);

	/* %o */
	T(BIG, "%o", 8u);
	T(BIG, "%#o", 8u);
	T(BIG, "%#o", 0u);
	T(BIG, "[%.0o]", 0u);
	T(BIG, "[%#.0o]", 0u);
	T(BIG, "[%#.3o]", 8u);
	T(BIG, "[%#.3o]", 0777u);
	T(BIG, "[%#6o]", 8u);
	T(BIG, "[%#06o]", 8u);

	/* %p, including glibc's "(nil)" */
	T(BIG, "%p", ptr);
	T(BIG, "%p", ptr_max);
	T(BIG, "%p", (void *)0);
	T(BIG, "[%20p]", ptr);
	T(BIG, "[%-20p]", ptr);
	T(BIG, "[%020p]", ptr);
	T(BIG, "[%.12p]", ptr);
	T(BIG, "[%+p]", ptr);
	T(BIG, "[%10p]", (void *)0);
	T(BIG, "[%-10p]", (void *)0);
	T(BIG, "[%.2p]", (void *)0);

	/* %s, including glibc's "(null)" */
	T(BIG, "%s", "hello");
	T(BIG, "[%10s]", "hello");
	T(BIG, "[%-10s]", "hello");
	T(BIG, "[%.3s]", "hello");
	T(BIG, "[%10.3s]", "hello");
	T(BIG, "[%.0s]", "hello");
	T(BIG, "[%5s]", "");
	T(BIG, "[%.3s]", abc);
	T(BIG, "[%-300s]", "x");
	T(BIG, "%s", (char *)0);
	T(BIG, "[%10s]", (char *)0);
	T(BIG, "[%.3s]", (char *)0);
	T(BIG, "[%.6s]", (char *)0);

	/* %c */
	T(BIG, "%c", 'x');
	T(BIG, "[%5c]", 'x');
	T(BIG, "[%-5c]", 'x');
	T(BIG, "[%c]", '\0');
	T(BIG, "[%3c]", '\0');
	T(BIG, "%c", 256 + 'A');

	/* '*' width and precision */
	T(BIG, "[%*d]", 5, 42);
	T(BIG, "[%*d]", -5, 42);
	T(BIG, "[%-*d]", 5, 42);
	T(BIG, "[%.*d]", 5, 42);
	T(BIG, "[%.*d]", -1, 42);
	T(BIG, "[%*.*d]", 8, 4, -42);
	T(BIG, "[%.*x]", 0, 0u);
	T(BIG, "[%.*s]", 2, "hello");
	T(BIG, "[%*s]", -7, "hi");

	/* Several conversions in one format */
	T(BIG, "%s=%d (%#x) %c%%", "val", 255, 255u, 'z');
	T(BIG, "%d %s %lld %p %c %u", -1, "two", 3LL, ptr, '5', 6u);
	T(BIG, "%hhd %hd %d %ld %lld %zu", (char)1, (short)2, 3, 4L, 5LL,
	  (size_t)6);

	/* Truncation and small sizes */
	T(0, "hello");
	T(0, "%d", 12345);
	T(1, "hello");
	T(2, "hello");
	T(5, "hello");
	T(6, "hello");
	T(7, "hello");
	T(3, "%d", 123456);
	T(4, "%d", -123456);
	T(3, "%#x", 0xabcu);
	T(4, "%s", (char *)0);
	T(4, "[%c]", '\0');
	T(8, "[%10s]", "abc");
	T(8, "%llu", ULLONG_MAX);
	T(20, "[%300d]", 1);

	/* snprintf(NULL, 0, ...) only counts */
	cases++;
	ret = g_snprintf(NULL, 0, "%d-%s", 12345, "abc");
	if (ret != 9)
		fail(__LINE__, "snprintf(NULL, 0)", "returned %d, want 9", ret);

	/* vsnprintf() called directly */
	cases++;
	memset(buf, CANARY, sizeof(buf));
	ret = call_vsnprintf(buf, 6, "%s %d", "abc", 42);
	if (ret != 6 || strcmp(buf, "abc 4") ||
	    (unsigned char)buf[6] != CANARY)
		fail(__LINE__, "vsnprintf", "returned %d \"%s\"", ret, buf);
}

/* Compare pointers by offset so NULL vs. found shows up clearly */
#define CHECK_PTR(what, base, ours, ref)				\
	do {								\
		const char *o_ = (const char *)(ours);			\
		const char *r_ = (const char *)(ref);			\
									\
		cases++;						\
		if (o_ != r_)						\
			fail(__LINE__, what, "offset %td vs. glibc %td", \
			     o_ ? o_ - (base) : -1, r_ ? r_ - (base) : -1); \
	} while (0)

#define CHECK_MEM(what, a, b, n)					\
	do {								\
		cases++;						\
		if (memcmp((a), (b), (n)))				\
			fail(__LINE__, what, "buffer contents differ");	\
	} while (0)

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

#define CHECK_CMP(a, b, n)						\
	do {								\
		int o_ = g_memcmp((a), (b), (n));			\
		int r_ = memcmp((a), (b), (n));				\
									\
		cases++;						\
		if (sign(o_) != sign(r_))				\
			fail(__LINE__, "memcmp", "%d vs. glibc %d", o_, r_); \
	} while (0)

static void string_tests(void)
{
	static const char hello[] = "hello, world";
	static const char high[] = "a\xe9z\xe9y";
	char ours[BUF_SIZE], ref[BUF_SIZE], long_str[301];
	const char *empty = "";
	size_t n;

	/* memset: value is converted to unsigned char */
	memset(ours, 'x', sizeof(ours));
	memset(ref, 'x', sizeof(ref));
	CHECK_PTR("memset ret", ours, g_memset(ours + 3, 0x1ab, 7), ours + 3);
	memset(ref + 3, 0x1ab, 7);
	CHECK_MEM("memset", ours, ref, sizeof(ours));
	g_memset(ours + 20, 0, 0);
	CHECK_MEM("memset 0 bytes", ours, ref, sizeof(ours));
	g_memset(ours, -1, 300);
	memset(ref, -1, 300);
	CHECK_MEM("memset 300", ours, ref, sizeof(ours));

	/* memzero */
	CHECK_PTR("memzero ret", ours, g_memzero(ours + 5, 11), ours + 5);
	memset(ref + 5, 0, 11);
	CHECK_MEM("memzero", ours, ref, sizeof(ours));

	/* memcpy */
	CHECK_PTR("memcpy ret", ours, g_memcpy(ours + 1, hello, sizeof(hello)),
		  ours + 1);
	memcpy(ref + 1, hello, sizeof(hello));
	CHECK_MEM("memcpy", ours, ref, sizeof(ours));
	g_memcpy(ours + 100, hello, 0);
	CHECK_MEM("memcpy 0 bytes", ours, ref, sizeof(ours));
	g_memcpy(ours + 200, hello, 1);
	memcpy(ref + 200, hello, 1);
	CHECK_MEM("memcpy 1 byte", ours, ref, sizeof(ours));

	/* memcmp: sign only, bytes compare as unsigned char */
	CHECK_CMP("abc", "abc", 3);
	CHECK_CMP("abc", "abd", 3);
	CHECK_CMP("abd", "abc", 3);
	CHECK_CMP("abcX", "abcY", 3);
	CHECK_CMP("a\x80", "a\x01", 2);
	CHECK_CMP("a\x01", "a\x80", 2);
	CHECK_CMP("x", "y", 0);

	/* strcpy / strcat return dest */
	CHECK_PTR("strcpy ret", ours, g_strcpy(ours, hello), ours);
	strcpy(ref, hello);
	CHECK_MEM("strcpy", ours, ref, sizeof(hello));
	g_strcpy(ours, empty);
	CHECK_MEM("strcpy empty", ours, "", 1);
	CHECK_PTR("strcat ret", ours, g_strcat(ours, "foo"), ours);
	CHECK_PTR("strcat ret", ours, g_strcat(ours, "bar"), ours);
	CHECK_PTR("strcat ret", ours, g_strcat(ours, ""), ours);
	CHECK_MEM("strcat", ours, "foobar", 7);

	/* strlen */
	memset(long_str, 'q', 300);
	long_str[300] = '\0';
	n = g_strlen(empty);
	CHECK_PTR("strlen empty", empty, empty + n, empty + strlen(empty));
	n = g_strlen(hello);
	CHECK_PTR("strlen", hello, hello + n, hello + strlen(hello));
	n = g_strlen("ab\0cd");
	CHECK_PTR("strlen embedded NUL", hello, hello + n, hello + 2);
	n = g_strlen(long_str);
	CHECK_PTR("strlen 300", long_str, long_str + n,
		  long_str + strlen(long_str));

	/* strchr / strrchr, including c == '\0' and c > CHAR_MAX */
	CHECK_PTR("strchr", hello, g_strchr(hello, 'o'), strchr(hello, 'o'));
	CHECK_PTR("strchr first", hello, g_strchr(hello, 'h'),
		  strchr(hello, 'h'));
	CHECK_PTR("strchr missing", hello, g_strchr(hello, 'Z'),
		  strchr(hello, 'Z'));
	CHECK_PTR("strchr NUL", hello, g_strchr(hello, '\0'),
		  strchr(hello, '\0'));
	CHECK_PTR("strchr empty NUL", empty, g_strchr(empty, '\0'),
		  strchr(empty, '\0'));
	CHECK_PTR("strchr empty", empty, g_strchr(empty, 'a'),
		  strchr(empty, 'a'));
	CHECK_PTR("strchr c+256", hello, g_strchr(hello, 256 + 'w'),
		  strchr(hello, 256 + 'w'));
	CHECK_PTR("strchr high", high, g_strchr(high, 0xe9),
		  strchr(high, 0xe9));
	CHECK_PTR("strrchr", hello, g_strrchr(hello, 'o'), strrchr(hello, 'o'));
	CHECK_PTR("strrchr first", hello, g_strrchr(hello, 'h'),
		  strrchr(hello, 'h'));
	CHECK_PTR("strrchr missing", hello, g_strrchr(hello, 'Z'),
		  strrchr(hello, 'Z'));
	CHECK_PTR("strrchr NUL", hello, g_strrchr(hello, '\0'),
		  strrchr(hello, '\0'));
	CHECK_PTR("strrchr empty NUL", empty, g_strrchr(empty, '\0'),
		  strrchr(empty, '\0'));
	CHECK_PTR("strrchr empty", empty, g_strrchr(empty, 'a'),
		  strrchr(empty, 'a'));
	CHECK_PTR("strrchr high", high, g_strrchr(high, 0xe9),
		  strrchr(high, 0xe9));
	CHECK_PTR("strrchr high neg", high, g_strrchr(high, (char)0xe9),
		  strrchr(high, (char)0xe9));
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "printf")) {
		printf_tests();
	} else if (argc == 2 && !strcmp(argv[1], "string")) {
		string_tests();
	} else {
		fprintf(stderr, "usage: %s printf|string\n", argv[0]);
		return 2;
	}

	printf("%d cases, %d failures\n", cases, failures);
	return failures ? 1 : 0;
}
