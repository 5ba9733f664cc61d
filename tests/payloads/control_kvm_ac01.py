# SPDX-License-Identifier: GPL-2.0-or-later
"""Negative control of kvm_ac01: its host half (built
beside it), without the kick."""
import os

exec(open(os.path.join(os.path.dirname(__file__), os.pardir, "payloads",
                       "kvm_ac01.py")).read())
KICK = False   # the kick is what the control leaves out
