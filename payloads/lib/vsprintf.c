// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Freestanding vsnprintf() and friends for ltpkvm guest payloads.
 *
 * Supported: conversions d i u o x X p s c %, length modifiers hh h l ll
 * z j t, flags - 0 + space #, field width and precision (including '*').
 * Output matches glibc for this subset, including its "(nil)" for a NULL
 * %p and "(null)" for a NULL %s.
 *
 * The code must build for both -m64 and -m32 without libgcc, so 64-bit
 * values are never divided with the C '/' or '%' operators (on i386 these
 * become calls to __udivdi3/__umoddi3); see div_u64().  No floating point,
 * no static mutable state.
 */

#include "kvm_guest.h"

#define FLAG_LEFT	0x01	/* '-': pad on the right */
#define FLAG_ZERO	0x02	/* '0': pad numbers with zeros */
#define FLAG_PLUS	0x04	/* '+': always print a sign */
#define FLAG_SPACE	0x08	/* ' ': space instead of '+' */
#define FLAG_ALT	0x10	/* '#': 0x prefix / leading octal 0 */

/* Large enough to stop width/precision parsing from overflowing an int */
#define MAX_FIELD	1000000

enum length {
	LEN_NONE,
	LEN_HH,
	LEN_H,
	LEN_L,
	LEN_LL,
	LEN_Z,
	LEN_J,
	LEN_T,
};

struct spec {
	unsigned int flags;
	int width;
	int prec;		/* -1 when no precision was given */
	enum length len;
	char conv;
};

struct outbuf {
	char *buf;
	size_t size;		/* buffer capacity including the final NUL */
	size_t len;		/* characters produced, even if not stored */
};

static void put_char(struct outbuf *out, char c)
{
	/* Always keep room for the terminating NUL */
	if (out->len + 1 < out->size)
		out->buf[out->len] = c;

	out->len++;
}

static void put_repeat(struct outbuf *out, char c, int count)
{
	for (; count > 0; count--)
		put_char(out, c);
}

/*
 * Divide *n by base in place and return the remainder, using only 32-bit
 * divisions: long division on the high 32 bits and then two 16-bit chunks.
 * Each partial dividend is rem << 16 | chunk with rem < base <= 16, so it
 * always fits in 32 bits.
 */
static unsigned int div_u64(uint64_t *n, unsigned int base)
{
	uint32_t hi = (uint32_t)(*n >> 32);
	uint32_t lo = (uint32_t)*n;
	uint32_t q_hi, q_mid, q_lo, part, rem;

	q_hi = hi / base;
	rem = hi % base;

	part = rem << 16 | lo >> 16;
	q_mid = part / base;
	rem = part % base;

	part = rem << 16 | (lo & 0xffff);
	q_lo = part / base;
	rem = part % base;

	*n = (uint64_t)q_hi << 32 | (uint64_t)q_mid << 16 | q_lo;
	return rem;
}

/*
 * Print an integer magnitude with an optional sign character (0 for
 * none), honouring width, precision and the 0/#/- flags.
 */
static void put_number(struct outbuf *out, const struct spec *sp,
		       uint64_t val, char sign)
{
	const char *digits = "0123456789abcdef";
	const char *prefix = "";
	/* 22 octal digits are needed for UINT64_MAX */
	char tmp[24];
	unsigned int base = 10;
	int ndigits = 0, zeros, total, i;

	if (sp->conv == 'o')
		base = 8;

	if (sp->conv == 'x' || sp->conv == 'X' || sp->conv == 'p') {
		base = 16;
		if (sp->conv == 'X')
			digits = "0123456789ABCDEF";
		if ((sp->flags & FLAG_ALT) && val)
			prefix = sp->conv == 'X' ? "0X" : "0x";
	}

	/* C: zero with an explicit precision of zero prints no digits */
	if (val || sp->prec != 0) {
		do {
			tmp[ndigits++] = digits[div_u64(&val, base)];
		} while (val);
	}

	zeros = sp->prec > ndigits ? sp->prec - ndigits : 0;

	/* '#' with 'o' forces the first digit to be a 0 */
	if (base == 8 && (sp->flags & FLAG_ALT) && !zeros &&
	    (!ndigits || tmp[ndigits - 1] != '0'))
		zeros = 1;

	total = (sign ? 1 : 0) + (int)strlen(prefix) + zeros + ndigits;

	/* The 0 flag is ignored with '-' or when a precision is given */
	if ((sp->flags & FLAG_ZERO) && !(sp->flags & FLAG_LEFT) &&
	    sp->prec < 0 && sp->width > total) {
		zeros += sp->width - total;
		total = sp->width;
	}

	if (!(sp->flags & FLAG_LEFT))
		put_repeat(out, ' ', sp->width - total);

	if (sign)
		put_char(out, sign);
	for (; *prefix; prefix++)
		put_char(out, *prefix);
	put_repeat(out, '0', zeros);
	for (i = ndigits - 1; i >= 0; i--)
		put_char(out, tmp[i]);

	if (sp->flags & FLAG_LEFT)
		put_repeat(out, ' ', sp->width - total);
}

/* Print at most maxlen (if >= 0) characters of s, padded to the width */
static void put_string(struct outbuf *out, const struct spec *sp,
		       const char *s, int maxlen)
{
	int len = 0, i;

	/* With a precision, s need not be NUL-terminated: don't look further */
	while ((maxlen < 0 || len < maxlen) && s[len])
		len++;

	if (!(sp->flags & FLAG_LEFT))
		put_repeat(out, ' ', sp->width - len);

	for (i = 0; i < len; i++)
		put_char(out, s[i]);

	if (sp->flags & FLAG_LEFT)
		put_repeat(out, ' ', sp->width - len);
}

/* Fetch a signed argument of the size given by the length modifier */
static int64_t get_signed(va_list *ap, enum length len)
{
	switch (len) {
	case LEN_HH:
		return (signed char)va_arg(*ap, int);
	case LEN_H:
		return (short)va_arg(*ap, int);
	case LEN_L:
		return va_arg(*ap, long);
	case LEN_LL:
		return va_arg(*ap, long long);
	case LEN_Z:
	case LEN_T:
		/* ptrdiff_t is the signed type matching size_t here */
		return va_arg(*ap, ptrdiff_t);
	case LEN_J:
		return va_arg(*ap, intmax_t);
	default:
		return va_arg(*ap, int);
	}
}

static uint64_t get_unsigned(va_list *ap, enum length len)
{
	switch (len) {
	case LEN_HH:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_H:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_L:
		return va_arg(*ap, unsigned long);
	case LEN_LL:
		return va_arg(*ap, unsigned long long);
	case LEN_Z:
	case LEN_T:
		return va_arg(*ap, size_t);
	case LEN_J:
		return va_arg(*ap, uintmax_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static unsigned int flag_bit(char c)
{
	switch (c) {
	case '-':
		return FLAG_LEFT;
	case '0':
		return FLAG_ZERO;
	case '+':
		return FLAG_PLUS;
	case ' ':
		return FLAG_SPACE;
	case '#':
		return FLAG_ALT;
	default:
		return 0;
	}
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Parse a decimal number, saturating instead of overflowing */
static int parse_num(const char **fmt)
{
	int n = 0;

	for (; is_digit(**fmt); (*fmt)++) {
		if (n < MAX_FIELD)
			n = n * 10 + (**fmt - '0');
	}

	return n;
}

/* Parse flags, width, precision and length of a conversion after '%' */
static const char *parse_spec(const char *fmt, struct spec *sp, va_list *ap)
{
	sp->flags = 0;
	sp->width = 0;
	sp->prec = -1;
	sp->len = LEN_NONE;

	while (flag_bit(*fmt))
		sp->flags |= flag_bit(*fmt++);

	if (*fmt == '*') {
		fmt++;
		sp->width = va_arg(*ap, int);
		/* A negative '*' width means '-' flag plus positive width */
		if (sp->width < 0) {
			sp->flags |= FLAG_LEFT;
			sp->width = sp->width < -MAX_FIELD ? MAX_FIELD : -sp->width;
		}
	} else {
		sp->width = parse_num(&fmt);
	}

	if (*fmt == '.') {
		fmt++;
		if (*fmt == '*') {
			fmt++;
			sp->prec = va_arg(*ap, int);
			/* A negative '*' precision is taken as if omitted */
			if (sp->prec < 0)
				sp->prec = -1;
		} else {
			sp->prec = parse_num(&fmt);
		}
	}

	switch (*fmt) {
	case 'h':
		fmt++;
		sp->len = LEN_H;
		if (*fmt == 'h') {
			fmt++;
			sp->len = LEN_HH;
		}
		break;
	case 'l':
		fmt++;
		sp->len = LEN_L;
		if (*fmt == 'l') {
			fmt++;
			sp->len = LEN_LL;
		}
		break;
	case 'z':
		fmt++;
		sp->len = LEN_Z;
		break;
	case 'j':
		fmt++;
		sp->len = LEN_J;
		break;
	case 't':
		fmt++;
		sp->len = LEN_T;
		break;
	}

	sp->conv = *fmt;
	return fmt;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct outbuf out = { .buf = buf, .size = size, .len = 0 };
	struct spec sp;
	va_list args;

	/* Work on a copy so helpers can take a pointer to it portably */
	va_copy(args, ap);

	while (*fmt) {
		const char *start = fmt;
		int64_t sval;
		void *ptr;

		if (*fmt != '%') {
			put_char(&out, *fmt++);
			continue;
		}

		fmt = parse_spec(fmt + 1, &sp, &args);

		switch (sp.conv) {
		case 'd':
		case 'i':
			sval = get_signed(&args, sp.len);
			if (sval < 0)
				put_number(&out, &sp, 0 - (uint64_t)sval, '-');
			else
				put_number(&out, &sp, sval,
					   (sp.flags & FLAG_PLUS) ? '+' :
					   (sp.flags & FLAG_SPACE) ? ' ' : 0);
			break;
		case 'u':
		case 'o':
		case 'x':
		case 'X':
			/* '+' and ' ' only apply to signed conversions */
			put_number(&out, &sp, get_unsigned(&args, sp.len), 0);
			break;
		case 'p':
			ptr = va_arg(args, void *);
			if (!ptr) {
				put_string(&out, &sp, "(nil)", -1);
				break;
			}
			/* Like glibc: %#lx, but '+' and ' ' are still honoured */
			sp.flags |= FLAG_ALT;
			put_number(&out, &sp, (uintptr_t)ptr,
				   (sp.flags & FLAG_PLUS) ? '+' :
				   (sp.flags & FLAG_SPACE) ? ' ' : 0);
			break;
		case 's':
			ptr = va_arg(args, char *);
			if (ptr)
				put_string(&out, &sp, ptr, sp.prec);
			/* glibc prints nothing if "(null)" doesn't fit */
			else if (sp.prec < 0 || sp.prec >= 6)
				put_string(&out, &sp, "(null)", -1);
			else
				put_string(&out, &sp, "", -1);
			break;
		case 'c': {
			char c = (char)va_arg(args, int);

			/* put_string() would stop at a '\0' character */
			if (!(sp.flags & FLAG_LEFT))
				put_repeat(&out, ' ', sp.width - 1);
			put_char(&out, c);
			if (sp.flags & FLAG_LEFT)
				put_repeat(&out, ' ', sp.width - 1);
			break;
		}
		case '%':
			put_char(&out, '%');
			break;
		case '\0':
			/* Incomplete spec at the end: print it verbatim */
			while (start < fmt)
				put_char(&out, *start++);
			break;
		default:
			/* Unknown conversion: print the whole spec verbatim */
			while (start <= fmt)
				put_char(&out, *start++);
			break;
		}

		/* Step over the conversion character, but never past the NUL */
		if (*fmt)
			fmt++;
	}

	va_end(args);

	if (size)
		buf[out.len < size ? out.len : size - 1] = '\0';

	/* C99 wants a negative value if the count doesn't fit an int */
	return out.len > (size_t)__INT_MAX__ ? -1 : (int)out.len;
}

int vsprintf(char *buf, const char *fmt, va_list ap)
{
	/* The caller promises buf is large enough */
	return vsnprintf(buf, SIZE_MAX, fmt, ap);
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vsnprintf(buf, size, fmt, ap);
	va_end(ap);

	return ret;
}

int sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vsprintf(buf, fmt, ap);
	va_end(ap);

	return ret;
}
