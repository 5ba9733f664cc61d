# SPDX-License-Identifier: GPL-2.0-or-later
"""Guest addresses as `function+0xoffset (file.c:line)`, from the payload's
ELF (symbols) and its DWARF line table, with pyelftools. The ELF is read
once, on the first lookup: a test that passes never pays for it.

The ELF is the test author's and may be hostile or corrupt: names are made
printable, it is read only if it is a regular file of a sane size, and
symbolising is a best effort (whatever pyelftools raises, the addresses
stay bare)."""
import bisect
import os
import stat

from .results import printable_text

MAX_ELF_SIZE = 256 * 1024 * 1024


class Symbolizer:
    def __init__(self, elf_path):
        self.elf_path = elf_path
        self._functions = None   # sorted [(start, end, name, is_function)]
        self._lines = None       # sorted [(address, file or None, line)]

    def _load(self):
        # pyelftools is imported here: a passing test never loads it
        from elftools.elf.elffile import ELFFile

        self._functions, self._lines = [], []
        try:
            with open(self.elf_path, "rb") as stream:
                info = os.fstat(stream.fileno())
                if not stat.S_ISREG(info.st_mode) or \
                        info.st_size > MAX_ELF_SIZE:
                    return
                elf = ELFFile(stream)
                self._read(self._read_symbols, elf)
                if self._read(elf.has_dwarf_info):
                    self._read(lambda: self._read_lines(
                        elf.get_dwarf_info()))
        except Exception:  # noqa: BLE001 - a best effort; addresses stay
            pass
        finally:
            # Where a label shares a function's address, the function wins
            self._functions.sort(key=lambda f: (f[0], f[3]))
            self._lines.sort(key=lambda row: row[0])

    def _read(self, reader, *args):
        """reader(*args), or None when the ELF breaks it (what it read
        before it broke is kept)."""
        try:
            return reader(*args)
        except Exception:  # noqa: BLE001 - pyelftools' errors are many
            return None

    def _read_symbols(self, elf):
        symtab = elf.get_section_by_name(".symtab")
        for sym in symtab.iter_symbols() if symtab else ():
            if (sym.name and sym["st_shndx"] != "SHN_UNDEF"
                    and sym["st_info"]["type"] in ("STT_FUNC", "STT_NOTYPE")
                    and not sym.name.startswith(".")):
                start = sym["st_value"]
                self._functions.append((start, start + sym["st_size"],
                                        printable_text(sym.name),
                                        sym["st_info"]["type"] == "STT_FUNC"))

    def _read_lines(self, dwarf):
        for unit in dwarf.iter_CUs():
            program = dwarf.line_program_for_CU(unit)
            if program is None:
                continue
            files = program["file_entry"]
            base = 0 if program.header["version"] >= 5 else 1
            for entry in program.get_entries():
                state = entry.state
                if state is None:
                    continue
                if state.end_sequence:
                    self._lines.append((state.address, None, 0))
                    continue
                index = state.file - base
                name = (files[index].name.decode(errors="replace")
                        if 0 <= index < len(files) else "?")
                self._lines.append((state.address, printable_text(
                    os.path.basename(name)), state.line))

    def function(self, address):
        """(name, offset) of the function holding address, or None."""
        if self._functions is None:
            self._load()
        starts = [f[0] for f in self._functions]
        i = bisect.bisect_right(starts, address) - 1
        # Sizeless labels (assembly) cover up to the next symbol
        while i >= 0:
            start, end, name, _ = self._functions[i]
            if address < end or end == start:
                return name, address - start
            i -= 1
        return None

    def line(self, address):
        """(file, line) of address, or None."""
        if self._lines is None:
            self._load()
        i = bisect.bisect_right(self._lines, address,
                                key=lambda row: row[0]) - 1
        if i < 0 or self._lines[i][1] is None:
            return None
        return self._lines[i][1:]

    def describe(self, address, return_address=False):
        """`function+0xoff (file.c:line)`; for a return address the line is
        the call's (address - 1)."""
        where = self.function(address)
        text = f"{where[0]}+0x{where[1]:x}" if where else f"0x{address:x}"
        line = self.line(address - 1 if return_address else address)
        return text + (f" ({line[0]}:{line[1]})" if line else "")
