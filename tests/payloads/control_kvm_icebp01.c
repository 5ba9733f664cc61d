// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Negative control: kvm_icebp01 with NOP for each ICEBP, INT3 and INT $1,
 * so that the exceptions it expects go missing: must be TFAIL.
 */
#define NEGATIVE_CONTROL
#include "../../payloads/kvm_icebp01.c"
