// SPDX-License-Identifier: GPL-2.0-or-later
/* Negative control: kvm_mmio_split01 expecting other bytes must be TFAIL. */
#define NEGATIVE_CONTROL
#include "../../payloads/kvm_mmio_split01.c"
