// SPDX-License-Identifier: GPL-2.0-or-later
/* Negative control: kvm_emul_canon01 expecting #GP for canonical targets. */
#define NEGATIVE_CONTROL
#include "../../payloads/kvm_emul_canon01.c"
