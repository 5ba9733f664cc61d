// SPDX-License-Identifier: GPL-2.0-or-later
/* Negative control: kvm_umip01 expecting #GP with UMIP off must be TFAIL. */
#define NEGATIVE_CONTROL
#include "../../payloads/kvm_umip01.c"
