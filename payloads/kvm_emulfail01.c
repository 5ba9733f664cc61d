// SPDX-License-Identifier: GPL-2.0-or-later
/*\
 * An instruction at CPL 3 that KVM's emulator cannot emulate must give the
 * guest #UD, not stop the whole VM.
 *
 * CVE-2014-7842
 *
 * When emulation failed, KVM stopped the VM with KVM_EXIT_INTERNAL_ERROR
 * whatever the CPL, so guest user space could kill its VM (the usual VMM
 * gives up on that exit). Fixed in kernel commit a2b9e6c1a35a ("KVM: x86:
 * Don't report guest userspace emulation error to userspace").
 *
 * At CPL 3, an x87 FLD reads its operand from host-answered MMIO
 * (kvm_emulfail01.py): KVM must emulate the access, and its emulator has
 * no FLD.
 *
 * TPASS: #UD at the instruction, at CPL 3. TFAIL: KVM stopped the VM with
 * an internal error (the host half reports it), or another exception.
 * TCONF: this KVM emulated the FLD, so nothing failed.
 */
#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

#include "kvm_x86_user.h"

static KVM_USER_CODE int user_fld_mmio(void *arg)
{
	__asm__ volatile(KVM_CATCH_INSN("flds (%0)") : : "r" (arg) : "memory");
	return 0;
}

void main(void)
{
	struct kvm_exception_record rec;
	void *mmio = (void *)KVM_MMIO_BASEADDR;

	kvm_require_user_mode();
	kvm_set_user_access(mmio, KVM_PAGE_SIZE, 1);

	/*
	 * The negative control fails the emulation at CPL 0, where KVM
	 * rightly stops the VM: the host half must report that as TFAIL.
	 */
#ifdef NEGATIVE_CONTROL
	kvm_catch_exceptions(&rec);
	user_fld_mmio(mmio);
	kvm_catch_exceptions(NULL);
#else
	kvm_run_user_catching(user_fld_mmio, mmio, KVM_USER_RFLAGS, &rec);
#endif

	if (!rec.count)
		tst_brk(TCONF, "This KVM emulated FLD from MMIO: no emulation "
			"failure to check");

	if (kvm_exception_is("FLD from MMIO at CPL 3", &rec, INTR_BAD_OPCODE,
	    0, 3))
		tst_res(TPASS, "The emulation failure at CPL 3 gave the guest #UD");
}

#else /* COMPILE_PAYLOAD */

static struct tst_test test = {
	.test_all = tst_kvm_run,
	.setup = tst_kvm_setup,
	.cleanup = tst_kvm_cleanup,
	.needs_root = 1,
	.needs_drivers = (const char *const []) {"kvm", NULL},
	.tags = (struct tst_tag[]) {
		{"linux-git", "a2b9e6c1a35afcc0973acb72e591c714e78885ff"},
		{"CVE", "2014-7842"},
		{}
	}
};

#endif /* COMPILE_PAYLOAD */
