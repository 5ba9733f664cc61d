// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Arch-independent guest library: result reporting and the heap.
 * The host reads the result page when the guest halts.
 */
#include "kvm_guest.h"

extern char kvm_image_end[];

static struct tst_kvm_result *const test_result =
	(struct tst_kvm_result *)KVM_RESULT_BASEADDR;
static uintptr_t heap_end = (uintptr_t)kvm_image_end;

/* The host fills it in before the first instruction */
struct kvm_host_info kvm_host_info;

/* Post a result; result goes last since the host acts on it. */
static void post_result(const char *file, int lineno, int result,
			const char *fmt, va_list ap)
{
	test_result->lineno = lineno;
	test_result->file_addr = (uintptr_t)file;
	vsnprintf(test_result->message, KVM_RESULT_MESSAGE_SIZE, fmt, ap);
	__asm__ volatile("" ::: "memory");
	*(volatile int32_t *)&test_result->result = result;
	kvm_yield();
}

void tst_res_(const char *file, const int lineno, int result,
	      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	post_result(file, lineno, result, fmt, ap);
	va_end(ap);
}

void tst_brk_(const char *file, const int lineno, int result,
	      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	post_result(file, lineno, result, fmt, ap);
	va_end(ap);
	kvm_exit();
}

void kvm_exit(void)
{
	*(volatile int32_t *)&test_result->result = KVM_TEXIT;

	/* The host never resumes an exited guest; halt again if it does. */
	for (;;)
		kvm_yield();
}

void tst_signal_host(void *data)
{
	test_result->file_addr = (uintptr_t)data;
	__asm__ volatile("" ::: "memory");
	*(volatile int32_t *)&test_result->result = KVM_TSYNC;
}

void tst_wait_host(void *data)
{
	volatile int32_t *result = &test_result->result;

	tst_signal_host(data);

	/* The host clears the signal when it is done */
	while (*result != KVM_TNONE)
		;
}

void *tst_heap_alloc_aligned(size_t size, size_t align)
{
	uintptr_t ret = LTP_ALIGN(heap_end, align);

	heap_end = ret + size;
	return (void *)ret;
}

void *tst_heap_alloc(size_t size)
{
	return tst_heap_alloc_aligned(size, 16);
}

/* Called by the bootstrap before main() */
void kvm_init_guest(void)
{
	kvm_init_arch();
}
