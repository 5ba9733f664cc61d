// SPDX-License-Identifier: GPL-2.0-or-later
/* tst_heap_alloc[_aligned]() give aligned, disjoint, writable blocks. */
#include "kvm_test.h"

extern char kvm_image_end[];

struct block {
	size_t size, align;	/* align 0: tst_heap_alloc() */
	unsigned char *ptr;
};

static struct block blocks[] = {
	{.size = 1},
	{.size = 100},
	{.size = KVM_PAGE_SIZE, .align = KVM_PAGE_SIZE},
	{.size = 3},
	{.size = 8, .align = 64},
	{.size = 1 << 20, .align = 2 << 20},
	{.size = 24},
};

/* Each block is filled with its own byte value */
static unsigned char pattern(unsigned int i)
{
	return 0xa0 + i;
}

static int check_block(unsigned int i, uintptr_t prev_end)
{
	struct block *b = &blocks[i];
	uintptr_t start = (uintptr_t)b->ptr;
	size_t align = b->align ? b->align : 16;

	if (start & (align - 1)) {
		tst_res(TFAIL, "Block %u at %p is not %lu-aligned", i, b->ptr,
			align);
		return 0;
	}

	if (start < prev_end) {
		tst_res(TFAIL, "Block %u at %p overlaps the previous one "
			"(ending at 0x%lx)", i, b->ptr, (unsigned long)prev_end);
		return 0;
	}

	if (start + b->size > DEFAULT_RAM_SIZE) {
		tst_res(TFAIL, "Block %u at %p ends beyond guest RAM", i, b->ptr);
		return 0;
	}

	return 1;
}

/*
 * The offset of the first byte of b that is not value, b->size if none.
 * Word by word: guest code may be emulated, and the 1 MiB block checked
 * byte by byte takes seconds then. (Blocks are at least 16-aligned.)
 */
static size_t first_wrong_byte(const struct block *b, unsigned char value)
{
	const uint64_t *words = (const uint64_t *)b->ptr;
	uint64_t word = value * 0x0101010101010101ULL;
	size_t j = 0;

	while (j + sizeof(word) <= b->size && words[j / sizeof(word)] == word)
		j += sizeof(word);

	while (j < b->size && b->ptr[j] == value)
		j++;

	return j;
}

void main(void)
{
	uintptr_t prev_end = (uintptr_t)kvm_image_end;
	unsigned int i;
	size_t j;

	for (i = 0; i < ARRAY_SIZE(blocks); i++) {
		struct block *b = &blocks[i];

		b->ptr = b->align ? tst_heap_alloc_aligned(b->size, b->align) :
			tst_heap_alloc(b->size);
		if (!check_block(i, prev_end))
			return;

		memset(b->ptr, pattern(i), b->size);
		prev_end = (uintptr_t)b->ptr + b->size;
	}

	/* Only now: a later block written over an earlier one shows here */
	for (i = 0; i < ARRAY_SIZE(blocks); i++) {
		j = first_wrong_byte(&blocks[i], pattern(i));
		if (j < blocks[i].size) {
			tst_res(TFAIL, "Block %u byte %lu is 0x%02x, expected 0x%02x",
				i, j, blocks[i].ptr[j], pattern(i));
			return;
		}
	}

	tst_res(TPASS, "%zu heap blocks are aligned, disjoint and writable",
		ARRAY_SIZE(blocks));
}
