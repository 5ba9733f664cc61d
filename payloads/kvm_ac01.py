# SPDX-License-Identifier: GPL-2.0-or-later
"""kvm_ac01's host half: kick the vCPU thread during the #AC storm."""
from ltpkvm.host import check_kick_returns

KICK = True   # the negative control never kicks


def run(test):
    check_kick_returns(test, "an #AC storm", kick=KICK)
