// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Negative control: kvm_movss01 loading valid selectors where it expects
 * the null ones to fault, as a KVM with the bug would: must be TFAIL.
 */
#define NEGATIVE_CONTROL
#include "../../payloads/kvm_movss01.c"
