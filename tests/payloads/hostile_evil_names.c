// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A crash in a function whose DWARF file name and ELF symbol name the test
 * overwrites with a Summary block and escape sequences (in place of the
 * placeholders below, which the assembler would not take as they are): the
 * crash report's backtrace must show them escaped, each on one line.
 */
#include "kvm_test.h"

#line 1 "EVIL_FILE_NAME_PLACEHOLDER_THAT_THE_TEST_OVERWRITES_WITH_A_FORGED_SUMMARY_BLOCK_0123456789.c"
void __attribute__((noinline))
EVIL_SYMBOL_NAME_PLACEHOLDER_THAT_THE_TEST_OVERWRITES_WITH_A_FORGED_SUMMARY_0123456789(void)
{
	__asm__ volatile("ud2");
}

#line 20 "hostile_evil_names.c"
void main(void)
{
	EVIL_SYMBOL_NAME_PLACEHOLDER_THAT_THE_TEST_OVERWRITES_WITH_A_FORGED_SUMMARY_0123456789();
	tst_res(TFAIL, "ud2 did not fault");
}
