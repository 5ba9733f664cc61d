# SPDX-License-Identifier: GPL-2.0-or-later
"""Negative control of kvm_emulfail01: its host half (built beside it)."""
import os

exec(open(os.path.join(os.path.dirname(__file__), os.pardir, "payloads",
                       "kvm_emulfail01.py")).read())
