// SPDX-License-Identifier: GPL-2.0-or-later
/* A guest that reports nothing is broken ("Test haven't reported results!"). */
#include "kvm_test.h"

void main(void)
{
}
