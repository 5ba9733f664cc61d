# SPDX-License-Identifier: GPL-2.0-or-later
"""ltpkvm: LTP-compatible KVM tests with a Python host."""
__version__ = "0.1.0"
