# SPDX-License-Identifier: GPL-2.0-or-later
"""kvm_db01's host half: kick the vCPU thread during the #AC storm."""
from ltpkvm.host import check_kick_returns

KICK = True   # the negative control never kicks


def run(test):
    check_kick_returns(test, "a #DB storm", kick=KICK)
