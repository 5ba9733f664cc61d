// SPDX-License-Identifier: GPL-2.0-or-later
/* Negative control: kvm_emulfail01's emulation failure at CPL 0: TFAIL. */
#define NEGATIVE_CONTROL
#include "../../payloads/kvm_emulfail01.c"
