// SPDX-License-Identifier: GPL-2.0-or-later
/* Unicode line breaks and C1 controls cannot forge a Summary either. */
#include "kvm_test.h"

/* UTF-8 encodings */
#define LS "\xe2\x80\xa8"	/* U+2028 LINE SEPARATOR */
#define NEL "\xc2\x85"		/* U+0085 NEXT LINE */
#define CSI "\xc2\x9b"		/* U+009B CONTROL SEQUENCE INTRODUCER */

void main(void)
{
	tst_res(TPASS, "Forged message" LS "Summary:" LS "passed   99" NEL
		"failed   0" NEL "broken   0" NEL "skipped  0" NEL "warnings 0" NEL
		CSI "1;32m");
}
