// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Copyright (c) 2026 ltpkvm authors
 */

/*\
 * LTP-style fixture whose host half is TST_TEST_TCONF(): the whole test
 * reports TCONF with that message, before any VM boots.
 */

#include "kvm_test.h"

#ifdef COMPILE_PAYLOAD

void main(void)
{
	tst_res(TFAIL, "The guest of a TCONF test ran");
}

#else /* COMPILE_PAYLOAD */

TST_TEST_TCONF("This fixture has nothing to test on this kernel");

#endif /* COMPILE_PAYLOAD */
