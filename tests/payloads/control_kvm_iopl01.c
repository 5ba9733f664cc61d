// SPDX-License-Identifier: GPL-2.0-or-later
/* Negative control: kvm_iopl01 with IOPL 3 throughout must be TFAIL. */
#define NEGATIVE_CONTROL
#include "../../payloads/kvm_iopl01.c"
