// SPDX-License-Identifier: GPL-2.0-or-later
/* Negative control: kvm_emul_cpl02 with user pages throughout: TFAIL. */
#define NEGATIVE_CONTROL
#include "../../payloads/kvm_emul_cpl02.c"
