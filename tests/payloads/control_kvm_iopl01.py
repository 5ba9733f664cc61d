# SPDX-License-Identifier: GPL-2.0-or-later
"""Negative control of kvm_iopl01: its host half (built beside it)."""
import os

exec(open(os.path.join(os.path.dirname(__file__), os.pardir, "payloads",
                       "kvm_iopl01.py")).read())
