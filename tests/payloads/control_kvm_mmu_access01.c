// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Negative control: kvm_mmu_access01 with a model that ignores the U/S bit
 * must be TFAIL.
 */
#define NEGATIVE_CONTROL
#include "../../payloads/kvm_mmu_access01.c"
