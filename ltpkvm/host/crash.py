# SPDX-License-Identifier: GPL-2.0-or-later
"""What a kernel developer needs when a guest breaks: the vCPU's registers
and the guest's backtrace, symbolised, read when the vCPU is stopped."""
from ..kvm import KvmError

MAX_FRAMES = 32
GPRS = ("rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r9",
        "r10", "r11", "r12", "r13", "r14", "r15")
# Frames of the result-reporting machinery, not of the test
REPORTING = ("kvm_yield", "post_result", "tst_res_", "tst_brk_",
             "kvm_exit")


def register_lines(regs, sregs, long_mode):
    """The general, instruction, control and segment registers."""
    names = GPRS if long_mode else GPRS[:8]
    width = 16 if long_mode else 8

    def reg(name):
        label = name.upper() if long_mode else "E" + name[1:].upper()
        return f"{label}={getattr(regs, name) & (1 << 4 * width) - 1:0{width}x}"

    lines = [" ".join(reg(n) for n in names[i:i + 4])
             for i in range(0, len(names), 4)]
    lines.append(f"{reg('rip')} RFLAGS={regs.rflags:08x}")
    lines.append(f"CR0={sregs.cr0:x} CR2={sregs.cr2:x} CR3={sregs.cr3:x} "
                 f"CR4={sregs.cr4:x} EFER={sregs.efer:x}")
    lines.append(" ".join(f"{seg.upper()}={getattr(sregs, seg).selector:04x}"
                          for seg in ("cs", "ds", "es", "fs", "gs", "ss",
                                      "tr")))
    return lines


def backtrace(read_word, rip, frame, word_size, symbolizer):
    """Lines `#n function+0xoff (file:line)` from rip up the frame-pointer
    chain. read_word(addr) is None outside guest memory; the walk stops
    there, at a null or misaligned frame, or after MAX_FRAMES."""
    frames = [(rip, False)]
    for _ in range(MAX_FRAMES - 1):
        if not frame or frame % word_size:
            break
        saved, ret = read_word(frame), read_word(frame + word_size)
        if saved is None or not ret:
            break
        frames.append((ret, True))
        if saved <= frame:
            break   # the stack grows down: a frame above must be higher
        frame = saved
    lines = []
    for address, is_return in frames:
        # Above the interrupt stub is the interrupted instruction itself
        exact = lines and lines[-1].startswith("kvm_intr_common+")
        lines.append(symbolizer.describe(address, is_return and not exact))
    # Start at the code that reported or faulted, not in the reporting
    while len(lines) > 1 and lines[0].split("+")[0] in REPORTING:
        lines.pop(0)
    return [f"#{n} {line}" for n, line in enumerate(lines)]


def crash_report(instance, symbolizer):
    """Registers and backtrace of the stopped vCPU of instance; never
    raises (the report is a best effort beside the guest's own message)."""
    try:
        return _crash_report(instance, symbolizer)
    except Exception as exc:  # noqa: BLE001 - keep the result it explains
        return [f"crash report unavailable: {type(exc).__name__}: {exc}"]


def _crash_report(instance, symbolizer):
    long_mode = instance.payload.arch == "x86_64"
    word_size = 8 if long_mode else 4
    try:
        regs, sregs = instance.vcpu.get_regs(), instance.vcpu.get_sregs()
    except KvmError as exc:
        return [f"registers unavailable: {exc}"]

    def read_word(addr):
        memory = instance.get_memptr(addr)
        if memory is None or len(memory) < word_size:
            return None
        return int.from_bytes(memory[:word_size], "little")

    return (["registers:"] + ["  " + line for line in
                              register_lines(regs, sregs, long_mode)]
            + ["backtrace:"] + ["  " + line for line in backtrace(
                read_word, regs.rip, regs.rbp, word_size, symbolizer)])
