# SPDX-License-Identifier: GPL-2.0-or-later
"""A C check of ltpkvm's guest headers against LTP's guest interface, as
tests/reference/ltp-guest-api.md lists it (every macro value, typedef,
prototype, variable and struct layout of LTP's guest headers).

The check is generated from that file, so it cannot drift from it:

- a macro with a value: `_Static_assert((NAME) == (VALUE))`; a function-like
  macro: that it is defined;
- a typedef, prototype or variable: `__builtin_types_compatible_p` against a
  reference declaration written from the listed type;
- a struct: a reference struct is generated from the listed members, in
  their order, and every member's offset, size and type is compared with
  ours; bit-fields, which have no offset, are compared by their bit masks
  (a static union with the member set to all ones, read back from the
  object file by the caller).

Two facts the file does not spell out are added here: which structs are
packed (the hardware layouts: IDT gates, GDT descriptors, page-table
entries, the VMCB and its segment registers), and that a member listed twice
is an arch split (the x86_64 members from its first occurrence, the i386
ones from its second).
"""
import re

PACKED = {"intr_descriptor", "segment_descriptor", "segment_descriptor64",
          "page_table_entry_pae", "kvm_vmcb_descriptor", "kvm_vmcb"}
HEADERS = ("kvm_test.h", "kvm_x86_svm.h", "kvm_x86_vmx.h")
BITFIELD_SECTION = ".ltpcheck"

_MACRO = re.compile(r"^- `(\w+)(\([^)]*\))?` (?:= `(.*)`|\(function-like\))$")
_DECL = re.compile(r"^- (struct|member|typedef|prototype|externvar) `(\w+)`"
                   r" ?(.*?)\s*$")


def parse(text):
    """{"macros": [(header, name, value or None)], "decls": [(header,
    kind, name, rest)]} from the reference file's two lists."""
    macros, decls = [], []
    section = header = None
    for line in text.splitlines():
        if line.startswith("## "):
            section = line[3:].split()[0]
        elif line.startswith("### "):
            header = line[4:].strip()
        elif section == "Macros" and line.startswith("- "):
            match = _MACRO.match(line)
            if not match:
                raise ValueError(f"unparsed macro line: {line}")
            macros.append((header, match[1], match[3]))
        elif section == "Declarations" and line.startswith("- "):
            match = _DECL.match(line)
            if not match:
                raise ValueError(f"unparsed declaration line: {line}")
            decls.append((header, match[1], match[2], match[3]))
    return {"macros": macros, "decls": decls}


def c_type(text):
    """`struct:name` -> `struct name`."""
    return re.sub(r"\bstruct:(\w+)", r"struct \1", text.strip())


def declarator(type_text, name):
    """A C declaration of name with the listed type: `uint8_t[20]` ->
    `uint8_t name[20]`, `int (*)(void *)` -> `int (*name)(void *)`,
    `unsigned int:16` -> `unsigned int name : 16`."""
    text = c_type(type_text)
    bits = re.fullmatch(r"(.+?):(\d+)", text)
    if bits:
        return f"{bits[1]} {name} : {bits[2]}"
    if "(*)" in text:
        return text.replace("(*)", f"(*{name})", 1)
    array = re.fullmatch(r"(.+?)\s*(\[.*\])", text)
    if array:
        return f"{array[1]} {name}{array[2]}"
    return f"{text} {name}"


def _members_by_arch(members):
    """[(name, type)] -> {arch: [(name, type)]}: a name listed twice splits
    the list (x86_64 from its first occurrence, i386 from its second)."""
    names = [name for name, _ in members]
    twice = [n for i, n in enumerate(names) if n in names[:i]]
    if not twice:
        return {None: members}
    first, second = names.index(twice[0]), len(names) - names[::-1].index(
        twice[0]) - 1
    return {"__x86_64__": members[:second],
            "__i386__": members[:first] + members[second:]}


def _structs(decls):
    """{struct: [(member, type)]} in declaration order."""
    structs = {}
    for _, kind, name, rest in decls:
        if kind == "struct":
            structs.setdefault(name, [])
        elif kind == "member":
            mtype, _, scope = rest.rpartition(" - ")
            structs.setdefault(scope.strip(), []).append((name, mtype))
    return structs


def _check(condition, what):
    message = what.replace("\\", "\\\\").replace('"', '\\"')
    return f'_Static_assert({condition}, "{message}");'


def _macro_checks(macros):
    lines = []
    for header, name, value in macros:
        lines += [f"#ifndef {name}", f'#error "{header}: {name} is not '
                  'defined"', "#else"]
        if value is not None and "void *" in value:
            lines.append(_check(f"__builtin_types_compatible_p(__typeof__("
                                f"{name}), __typeof__({value}))",
                                f"{header}: {name} is {value}"))
        elif value is not None:
            lines.append(_check(f"({name}) == ({value})",
                                f"{header}: {name} == {value}"))
        lines.append("#endif")
    return lines


def _same_type(ours, ref):
    return f"__builtin_types_compatible_p(__typeof__({ours}), {ref})"


def _decl_checks(decls):
    lines = []
    for header, kind, name, rest in decls:
        where = f"{header}: {kind} {name}"
        if kind == "typedef":
            ref = f"ltpref_t_{name}"
            lines.append(f"typedef {declarator(rest, ref)};")
            lines.append(_check(f"__builtin_types_compatible_p({name}, {ref})",
                                f"{where} is {rest}"))
        elif kind == "prototype":
            ret, _, params = rest.partition(" (")
            ref = f"ltpref_f_{name}"
            lines.append(f"typedef {c_type(ret)} {ref}({c_type(params[:-1])})"
                         ";")
            lines.append(_check(_same_type(name, ref), f"{where}: "
                                f"{ret} ({params}"))
        elif kind == "externvar":
            ref = f"ltpref_v_{name}"
            lines.append(f"typedef {declarator(rest, ref)};")
            lines.append(_check(_same_type(name, ref), f"{where} is {rest}"))
    return lines


def _struct_checks(structs):
    """Reference structs and the comparisons, and the names of the
    bit-field mask objects (ours_S_M, ref_S_M) the caller compares."""
    lines, masks = [], []
    for struct, members in structs.items():
        attribute = " __attribute__((__packed__))" if struct in PACKED else ""
        variants = _members_by_arch(members)
        for arch, fields in variants.items():
            if arch:
                lines.append(f"#ifdef {arch}")
            ref = f"struct ltpref_{struct}"
            lines.append(f"{ref} {{")
            lines += [f"\t{declarator(t, m)};" for m, t in fields]
            lines.append(f"}}{attribute};")
            ours = f"struct {struct}"
            lines.append(_check(f"sizeof({ours}) == sizeof({ref})",
                                f"layout: sizeof({ours})"))
            for member, mtype in fields:
                what = f"layout: {struct}.{member} ({mtype})"
                if re.search(r":\d+$", mtype):
                    masks.append((arch, struct, member))
                    for side, stype in (("ours", ours), ("ref", ref)):
                        lines.append(
                            f'static const union {{ {stype} s; unsigned char '
                            f'b[sizeof({stype})]; }} {side}_{struct}_{member}'
                            f' __attribute__((used, section("'
                            f'{BITFIELD_SECTION}"))) = {{ .s = {{ .{member} '
                            "= -1 } };")
                    continue
                lines.append(_check(f"__builtin_offsetof({ours}, {member}) =="
                                    f" __builtin_offsetof({ref}, {member})",
                                    what + " offset"))
                lines.append(_check(f"sizeof((({ours} *)0)->{member}) == "
                                    f"sizeof((({ref} *)0)->{member})",
                                    what + " size"))
                if not mtype.endswith("[0]"):
                    lines.append(_check(_same_type(
                        f"(({ours} *)0)->{member}",
                        f"__typeof__((({ref} *)0)->{member})"), what + " type"))
            if arch:
                lines.append("#endif")
    return lines, masks


def c_check(text):
    """(C source of the check, [(arch, struct, member)] of the bit-field
    mask objects: arch is the predefined macro the member needs, or None)."""
    api = parse(text)
    structs, masks = _struct_checks(_structs(api["decls"]))
    lines = ["/* Generated from ltp-guest-api.md by tests/ltp_api_check.py */"]
    lines += [f'#include "{header}"' for header in HEADERS]
    lines += _macro_checks(api["macros"]) + _decl_checks(api["decls"])
    lines += structs
    return "\n".join(lines) + "\n", masks
