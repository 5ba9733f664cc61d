// SPDX-License-Identifier: GPL-2.0-or-later
/* Negative control: kvm_db01 whose host never kicks the vCPU: TFAIL. */
#include "../../payloads/kvm_db01.c"
