// SPDX-License-Identifier: GPL-2.0-or-later
/* Negative control: kvm_wrmsr_canon01 expecting #GP for canonical values. */
#define NEGATIVE_CONTROL
#include "../../payloads/kvm_wrmsr_canon01.c"
