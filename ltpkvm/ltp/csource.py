# SPDX-License-Identifier: GPL-2.0-or-later
"""A test's metadata from its C source, where LTP keeps it: the doc comment
(the block that starts with `/*\\`) and the initializer of the host half's
`static struct tst_test test = { ... }` (the `#else` of COMPILE_PAYLOAD).

The Makefile runs this file when it builds a test and ships what it prints
beside the payload (`python3 csource.py SOURCE > NAME.json`), so it must
stay runnable on its own: standard library only. The host half is run
through the C preprocessor first (COMPILE_PAYLOAD undefined, #include lines
dropped), so the file's own macros and conditionals count as the compiler
would see them. A malformed initializer, or a field a runner uses with a
value of the wrong kind, is an error naming the source line.
"""
import functools
import json
import os
import re
import sys

# LTP's host-side TST_TEST_TCONF(): the whole test is a TCONF
PRELUDE = ("#define TST_TEST_TCONF(message) static struct tst_test test = "
           "{ .tconf_msg = message }\n")
# tst_sys_conf.h: what save_restore does when a path is missing or read-only
SAVE_RESTORE_FLAGS = {
    "TST_SR_TCONF_MISSING": 0x0, "TST_SR_TBROK_MISSING": 0x1,
    "TST_SR_SKIP_MISSING": 0x2, "TST_SR_TCONF_RO": 0x0,
    "TST_SR_TBROK_RO": 0x4, "TST_SR_SKIP_RO": 0x8, "TST_SR_IGNORE_ERR": 0x10,
    "TST_SR_TCONF": 0x0, "TST_SR_TBROK": 0x5, "TST_SR_SKIP": 0xa}
CONSTANTS = dict(SAVE_RESTORE_FLAGS, TST_UNLIMITED_TIMEOUT=-1,
                 TST_UNLIMITED_RUNTIME=-1)

# How the runner-relevant fields are read; every other field is kept as its
# C text.
STRING_LISTS = ("needs_kconfigs", "supported_archs", "needs_drivers",
                "needs_cmds", "resource_files", "needs_cgroup_ctrls",
                "skip_filesystems")
INTEGERS = ("needs_root", "min_cpus", "timeout", "runtime", "max_runtime",
            "min_mem_avail", "min_swap_avail", "needs_tmpdir", "needs_device",
            "mount_device", "format_device", "forks_child",
            "needs_checkpoints", "all_filesystems", "taint_check",
            "skip_in_lockdown", "skip_in_secureboot", "skip_in_compat",
            "needs_abi_bits", "restore_wallclock", "test_variants")
STRINGS = ("tconf_msg", "min_kver", "mntpoint")


class SourceError(Exception):
    """What is wrong with a test source, at a line."""

    def __init__(self, line, message):
        super().__init__(message)
        self.line = line


# --- the doc comment ---------------------------------------------------------

def doc_comment(text):
    """The lines of the `/*\\` doc comment, without their ` * `; []."""
    match = re.search(r"^/\*\\[ \t]*\n(.*?)^[ \t]*\\?\*/", text, re.M | re.S)
    if not match:
        return []
    lines = [re.sub(r"^[ \t]*\* ?", "", line)
             for line in match[1].splitlines()]
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def description(doc):
    """The doc's first sentence worth a summary: headings such as
    `[Description]` and paragraphs that only name a CVE are skipped."""
    paragraphs = " ".join(line.strip() if line.strip() else "\n"
                          for line in doc).split("\n")
    for paragraph in (p.strip() for p in paragraphs):
        if not paragraph or re.fullmatch(
                r"\[[^]]*\]|(CVE[- ])?[0-9]{4}-[0-9]+|CVE[- ][0-9-]+",
                paragraph):
            continue
        sentence = re.match(r"(.*?[.!?])(\s|$)", paragraph)
        return sentence[1] if sentence else paragraph
    return ""


# --- preprocessing and tokens ------------------------------------------------

def preprocess(text, path, cpp):
    """The host half as the compiler sees it: [(line, text)] of the
    preprocessor's output lines, numbered as in the source."""
    import subprocess   # the runner imports this module for its flags only
    dropped = re.sub(r"^[ \t]*#[ \t]*include\b.*$", "", text, flags=re.M)
    source = PRELUDE + f'#line 1 "{path}"\n' + dropped
    try:
        proc = subprocess.run([*cpp, "-E", "-UCOMPILE_PAYLOAD", "-x", "c",
                               "-"], input=source, capture_output=True,
                              text=True)
    except OSError as exc:
        raise SourceError(0, f"cannot run {cpp[0]}: {exc.strerror}") from None
    if proc.returncode:
        message = proc.stderr.strip().replace("<stdin>", path)
        raise SourceError(0, f"the preprocessor failed: {message}")
    lines, number = [], 1
    for line in proc.stdout.splitlines():
        marker = re.match(r"#\s*(\d+)\s+\"([^\"]*)\"", line)
        if marker:
            number = int(marker[1]) if marker[2] == path else 0
            continue
        lines.append((number, line))
        number += number > 0
    return lines


@functools.lru_cache(maxsize=None)
def _token_pattern():
    return re.compile(r"""
    (?P<string>L?"(?:[^"\\\n]|\\.)*")
  | (?P<char>'(?:[^'\\\n]|\\.)+')
  | (?P<number>(?:0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]*)
  | (?P<ident>[A-Za-z_]\w*)
  | (?P<punct><<|>>|&&|\|\||->|\.\.\.|[{}()\[\],.=;&|^~!+\-*/%<>?:])
  | (?P<space>\s+)
  | (?P<other>.)""", re.X)


def tokens(lines):
    """[(kind, text, line)] of the preprocessed lines."""
    found = []
    for number, line in lines:
        for match in _token_pattern().finditer(line):
            kind = match.lastgroup
            if kind == "other":
                raise SourceError(number, f"unexpected character "
                                  f"{match[0]!r}")
            if kind != "space":
                found.append((kind, match[0], number))
    return found


def c_string(text):
    """The value of a C string literal's text."""
    body = text[text.index('"') + 1:-1]
    return re.sub(r"\\(x[0-9a-fA-F]+|[0-7]{1,3}|.)", _unescape, body)


def _unescape(match):
    code = match[1]
    simple = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "a": "\a",
              "b": "\b", "f": "\f", "v": "\v", "e": "\x1b"}
    if code[0] == "x":
        return chr(int(code[1:], 16))
    if code[0] in "01234567" and code != "0":
        return chr(int(code, 8))
    return simple.get(code, code)


# --- the initializer ---------------------------------------------------------

class Value:
    """One initializer value: its C text, line and, for a brace list, its
    items ([(designator or None, Value)])."""

    def __init__(self, text, line, items=None, strings=None):
        self.text = text
        self.line = line
        self.items = items
        self.strings = strings   # the literals of a string value

    def integer(self):
        """The value of an integer constant expression; None if it is not
        one (names other than LTP's constants, calls, casts...)."""
        text = re.sub(r"\b(0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]+\b", r"\1",
                      self.text)
        text = re.sub(r"\b0([0-7]+)\b", r"0o\1", text)   # C octal
        import ast
        try:
            return _evaluate(ast.parse(text.replace("/", "//"),
                                       mode="eval").body)
        except (SyntaxError, ValueError, ArithmeticError):
            return None


@functools.lru_cache(maxsize=None)
def _operators():
    import ast
    import operator
    return {ast.Add: operator.add, ast.Sub: operator.sub,
            ast.Mult: operator.mul, ast.FloorDiv: operator.floordiv,
            ast.Mod: operator.mod, ast.LShift: operator.lshift,
            ast.RShift: operator.rshift, ast.BitOr: operator.or_,
            ast.BitAnd: operator.and_, ast.BitXor: operator.xor,
            ast.USub: operator.neg, ast.UAdd: operator.pos,
            ast.Invert: operator.invert}


def _evaluate(node):
    """An integer expression of constants and LTP's names, kept within 64
    bits so that no source can make it grow without bound."""
    import ast
    operators = _operators()
    if isinstance(node, ast.Constant) and type(node.value) is int:
        value = node.value
    elif isinstance(node, ast.Name) and node.id in CONSTANTS:
        value = CONSTANTS[node.id]
    elif isinstance(node, ast.UnaryOp) and type(node.op) in operators:
        value = operators[type(node.op)](_evaluate(node.operand))
    elif isinstance(node, ast.BinOp) and type(node.op) in operators:
        left, right = _evaluate(node.left), _evaluate(node.right)
        if isinstance(node.op, (ast.LShift, ast.RShift)) and \
                not 0 <= right < 64:
            raise ValueError("shift out of range")
        value = operators[type(node.op)](left, right)
    else:
        raise ValueError("not an integer constant expression")
    if not -(1 << 63) <= value < 1 << 64:
        raise ValueError("out of range")
    return value


class Parser:
    def __init__(self, toks):
        self.toks = toks
        self.pos = 0

    def peek(self, offset=0):
        index = self.pos + offset
        return self.toks[index] if index < len(self.toks) else ("eof", "", 0)

    def line(self):
        return self.peek()[2] or (self.toks[-1][2] if self.toks else 0)

    def expect(self, text):
        kind, value, line = self.peek()
        if value != text or kind in ("string", "char"):
            raise SourceError(line or self.line(), f"malformed struct "
                              f"tst_test initializer: expected '{text}', "
                              f"found '{value or 'end of file'}'")
        self.pos += 1

    def brace_list(self):
        """`{ [.name =] value, ... }` -> Value with items."""
        line = self.line()
        self.expect("{")
        items = []
        while self.peek()[1] != "}":
            name = None
            if self.peek()[1] == "." and self.peek(1)[0] == "ident":
                name = self.peek(1)[1]
                self.pos += 2
                self.expect("=")
            items.append((name, self.value()))
            if self.peek()[1] != ",":
                break
            self.pos += 1
        self.expect("}")
        return Value("{...}", line, items)

    def value(self):
        kind, text, line = self.peek()
        if text == "{":
            return self.brace_list()
        if text == "(" and self._is_compound_literal():
            self._skip_parenthesised()
            return self.brace_list()
        if kind == "string":
            strings = []
            while self.peek()[0] == "string":
                strings.append(self.peek()[1])
                self.pos += 1
            if self.peek()[1] not in (",", "}"):
                raise SourceError(self.line(), "malformed struct tst_test "
                                  "initializer: unexpected "
                                  f"'{self.peek()[1]}' after a string")
            return Value(" ".join(strings), line, strings=strings)
        return self.expression()

    def _is_compound_literal(self):
        """`(type) {` ahead."""
        depth, index = 0, self.pos
        while index < len(self.toks):
            text = self.toks[index][1]
            depth += {"(": 1, ")": -1}.get(text, 0)
            index += 1
            if depth == 0:
                return index < len(self.toks) and self.toks[index][1] == "{"
        return False

    def _skip_parenthesised(self):
        depth = 0
        while True:
            text = self.peek()[1]
            if not text:
                raise SourceError(self.line(), "unbalanced parentheses")
            depth += {"(": 1, ")": -1}.get(text, 0)
            self.pos += 1
            if depth == 0:
                return

    def expression(self):
        """Tokens up to the next `,` or `}` outside brackets, as text."""
        line, depth, parts = self.line(), 0, []
        while True:
            kind, text, _ = self.peek()
            if kind == "eof":
                raise SourceError(self.line(), "malformed struct tst_test "
                                  "initializer: it does not end")
            if depth == 0 and text in (",", "}"):
                break
            if (depth == 0 and text == "." and self.peek(1)[0] == "ident"
                    and self.peek(2)[1] == "="):
                raise SourceError(self.line(), "malformed struct tst_test "
                                  "initializer: expected ',' before "
                                  f"'.{self.peek(1)[1]}'")
            if text in ("(", "[", "{"):
                depth += 1
            elif text in (")", "]", "}"):
                depth -= 1
            parts.append(text)
            self.pos += 1
        if not parts:
            raise SourceError(line, "malformed struct tst_test initializer: "
                              f"a value is missing before '{self.peek()[1]}'")
        return Value(" ".join(parts), line)


def find_initializer(toks):
    """The tokens' `struct tst_test test = {...}` as a Value; None."""
    found = None
    for i in range(len(toks) - 4):
        if ([t[1] for t in toks[i:i + 3]] == ["struct", "tst_test", "test"]
                and toks[i + 3][1] == "="):
            if found is not None:
                raise SourceError(toks[i][2], "a second struct tst_test "
                                  "test is defined")
            parser = Parser(toks)
            parser.pos = i + 4
            found = parser.brace_list()
            if parser.peek()[1] != ";":
                raise SourceError(parser.line(), "malformed struct tst_test "
                                  "initializer: expected ';' after it")
    return found


# --- the fields --------------------------------------------------------------

def _is_terminator(value):
    """NULL, 0 or {} (or {NULL, ...}) ending one of LTP's arrays."""
    if value.items is not None:
        return all(_is_terminator(v) for _, v in value.items)
    return value.text in ("NULL", "0", "( ( void * ) 0 )")


def _entries(field, value):
    if value.items is None:
        raise SourceError(value.line, f".{field}: expected a braced list, "
                          f"found '{value.text}'")
    entries = [v for _, v in value.items]
    while entries and _is_terminator(entries[-1]):
        entries.pop()
    return entries


def _string(field, value):
    if value.strings is None:
        raise SourceError(value.line, f".{field}: expected a string, found "
                          f"'{value.text}'")
    return "".join(c_string(s) for s in value.strings)


def _string_list(field, value):
    found = []
    for entry in _entries(field, value):
        if entry.items is not None and field == "needs_cmds":
            # struct tst_cmd[]: {.cmd = "name", ...}
            cmd = dict(entry.items).get("cmd") or entry.items[0][1]
            found.append(_string(field, cmd))
        else:
            found.append(_string(field, entry))
    return found


def _tags(value):
    found = []
    for entry in _entries("tags", value):
        if entry.items is None or len(entry.items) != 2:
            raise SourceError(entry.line, ".tags: expected {\"name\", "
                              f"\"value\"}}, found '{entry.text}'")
        found.append([_string("tags", v) for _, v in entry.items])
    return found


def _save_restore(value):
    found = []
    for entry in _entries("save_restore", value):
        items = entry.items
        if items is None or not 1 <= len(items) <= 3:
            raise SourceError(entry.line, ".save_restore: expected {path, "
                              f"value, flags}}, found '{entry.text}'")
        path = _string("save_restore", items[0][1])
        val = items[1][1] if len(items) > 1 else None
        val = None if val is None or val.text == "NULL" else \
            _string("save_restore", val)
        flags = items[2][1] if len(items) > 2 else Value("0", entry.line)
        number = flags.integer()
        if number is None:
            raise SourceError(flags.line, ".save_restore: unknown flags "
                              f"'{flags.text}'")
        found.append([path, val, flags.text, number])
    return found


def fields_of(initializer):
    """{field: value} of an initializer: lists, integers and strings for
    the fields a runner reads, the C text for every other field."""
    fields, lines = {}, {}
    for name, value in initializer.items:
        if name is None:
            raise SourceError(value.line, "struct tst_test initializer: "
                              "use designators (.field = value)")
        if name in fields:
            raise SourceError(value.line, f".{name} is set twice")
        lines[name] = value.line
        if name == "tags":
            fields[name] = _tags(value)
        elif name == "save_restore":
            fields[name] = _save_restore(value)
        elif name in STRING_LISTS:
            fields[name] = _string_list(name, value)
        elif name in STRINGS:
            fields[name] = _string(name, value)
        elif name in INTEGERS:
            number = value.integer()
            if number is None:
                raise SourceError(value.line, f".{name}: expected an "
                                  f"integer, found '{value.text}'")
            fields[name] = number
        else:
            fields[name] = value.text
    return fields, lines


def metadata(path, cpp=("cc",)):
    """What the Makefile ships beside a payload: {"source", "doc",
    "description", "fields", "lines"}; SourceError when the source is
    wrong."""
    with open(path, encoding="utf-8", errors="replace") as source:
        text = source.read()
    doc = doc_comment(text)
    initializer = find_initializer(tokens(preprocess(text, path, cpp)))
    fields, lines = fields_of(initializer) if initializer else ({}, {})
    return {"source": path, "doc": doc,
            "description": description(doc), "fields": fields,
            "lines": lines}


def main(argv):
    if len(argv) not in (2, 3):
        sys.stderr.write("usage: csource.py SOURCE.c [CC]\n")
        return 2
    path = argv[1]
    cpp = tuple(argv[2].split()) if len(argv) == 3 else ("cc",)
    try:
        data = metadata(path, cpp)
    except SourceError as exc:
        where = f"{path}:{exc.line}" if exc.line else path
        sys.stderr.write(f"{where}: error: {exc}\n")
        return 1
    except OSError as exc:
        sys.stderr.write(f"{path}: error: {exc.strerror}\n")
        return 1
    sys.stdout.write(json.dumps(data, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
