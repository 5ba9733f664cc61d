# SPDX-License-Identifier: GPL-2.0-or-later
"""Negative control of kvm_emul_canon01: its host half (built beside it)."""
import os

exec(open(os.path.join(os.path.dirname(__file__), os.pardir, "payloads",
                       "kvm_emul_canon01.py")).read())
