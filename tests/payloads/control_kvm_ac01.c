// SPDX-License-Identifier: GPL-2.0-or-later
/* Negative control: kvm_ac01 whose host never kicks the vCPU: TFAIL. */
#include "../../payloads/kvm_ac01.c"
