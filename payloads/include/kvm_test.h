/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * First include of every KVM test source. ltpkvm compiles only the payload
 * pass (COMPILE_PAYLOAD); the host side of a test is written in Python.
 */
#ifndef KVM_TEST_H_
#define KVM_TEST_H_

#ifdef COMPILE_PAYLOAD
# include "kvm_guest.h"
# include "kvm_common.h"
#else
# error "ltpkvm builds KVM tests with -DCOMPILE_PAYLOAD only"
#endif

#endif /* KVM_TEST_H_ */
