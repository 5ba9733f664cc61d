// SPDX-License-Identifier: GPL-2.0-or-later
/* Negative control: kvm_emul_priv01's instructions at CPL 0 must be TFAIL. */
#define NEGATIVE_CONTROL
#include "../../payloads/kvm_emul_priv01.c"
