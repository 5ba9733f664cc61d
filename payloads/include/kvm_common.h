/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Definitions shared by the guest payload and the host, as in LTP's
 * kvm_common.h. The values come from the generated kvm_abi.h, whose source
 * is ltpkvm/host/guest_abi.py.
 */
#ifndef KVM_COMMON_H_
#define KVM_COMMON_H_

#include "kvm_abi.h"

#define TTYPE_RESULT(ttype) ((ttype) & TTYPE_MASK)

#endif /* KVM_COMMON_H_ */
