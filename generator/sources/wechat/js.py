"""Read the data a WeChat page keeps in inline JavaScript (`var msg_title = …`, `window.cgiDataNew = {…}`).

Only literals are evaluated: strings (with JS escapes decoded), numbers, object and array literals,
`htmlDecode(…)` / `JsDecode(…)` wrappers, `a || b` fallbacks and `x * 1` casts. Anything else
(identifiers, calls, ternaries) yields None, so no page code is ever run.
"""

from __future__ import annotations

import html
import re
from typing import Any

_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
_WRAPPERS = {"htmlDecode", "JsDecode", "decodeURIComponent", "String"}
_IDENT = re.compile(r"[A-Za-z_$][\w$]*")
_LINE_END = re.compile(r"[ \t]*(?://[^\n]*)?(?:\r?\n|$)")
_METHOD = re.compile(r"\s*\.(html|replace|slice|trim|toString)\s*\(")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")


def decode_string(body: str) -> str:
    """Decode the escapes of a JS string literal's body (\\x26, \\u003c, \\n, \\', …)."""
    out: list[str] = []
    i, n = 0, len(body)
    while i < n:
        c = body[i]
        if c != "\\" or i + 1 >= n:
            out.append(c)
            i += 1
            continue
        e = body[i + 1]
        if e == "x" and re.fullmatch(r"[0-9a-fA-F]{2}", body[i + 2:i + 4]):
            out.append(chr(int(body[i + 2:i + 4], 16)))
            i += 4
        elif e == "u" and body[i + 2:i + 3] == "{" and "}" in body[i + 3:i + 10]:
            j = body.index("}", i + 3)
            out.append(_chr(body[i + 3:j]))
            i = j + 1
        elif e == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", body[i + 2:i + 6]):
            out.append(chr(int(body[i + 2:i + 6], 16)))
            i += 6
        elif e == "\n":
            i += 2
        else:
            out.append(_ESCAPES.get(e, e))
            i += 2
    text = "".join(out)
    # Surrogate pairs written as two \\u escapes → one character.
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _chr(hexdigits: str) -> str:
    try:
        return chr(int(hexdigits, 16))
    except ValueError:
        return ""


def html_decode(text: str) -> str:
    """What WeChat's own htmlDecode() does: entities → characters, <br> → newline."""
    return html.unescape(re.sub(r"<br\s*/?\s*>", "\n", text))


class _Parser:
    """Recursive-descent reader of one JS literal expression starting at a position."""

    def __init__(self, src: str, pos: int):
        self.src, self.pos = src, pos

    def ws(self) -> None:
        src, n = self.src, len(self.src)
        while self.pos < n:
            c = src[self.pos]
            if c in " \t\r\n":
                self.pos += 1
            elif src.startswith("//", self.pos):
                end = src.find("\n", self.pos)
                self.pos = n if end < 0 else end
            elif src.startswith("/*", self.pos):
                end = src.find("*/", self.pos + 2)
                self.pos = n if end < 0 else end + 2
            else:
                break

    def peek(self) -> str:
        self.ws()
        return self.src[self.pos:self.pos + 1]

    def expr(self) -> Any:
        """primary (|| primary)* with casts and method calls ignored; None if not a literal."""
        value = self.postfix()
        while True:
            line_end = _LINE_END.match(self.src, self.pos)
            self.ws()
            if line_end and not self.src.startswith(("||", "*", "."), self.pos):
                return value  # automatic semicolon insertion
            if self.src.startswith("||", self.pos):
                self.pos += 2
                other = self.postfix()
                if not value and value != 0:
                    value = other
            elif self.src.startswith("*", self.pos) and not self.src.startswith("*/", self.pos):
                self.pos += 1
                self.postfix()
            elif self.peek() in ("", ",", "}", "]", ")", ";"):
                return value
            else:
                self.skip_rest()
                return None

    def postfix(self) -> Any:
        value = self.primary()
        while True:
            m = _METHOD.match(self.src, self.pos)
            if not m:
                return value
            self.pos = m.end() - 1
            self.skip_group()

    def primary(self) -> Any:
        c = self.peek()
        if c in "'\"`":
            return self.string()
        if c == "{":
            return self.obj()
        if c == "[":
            return self.arr()
        if c == "(":
            self.pos += 1
            value = self.expr()
            if self.peek() == ")":
                self.pos += 1
            return value
        m = _NUMBER.match(self.src, self.pos)
        if m:
            self.pos = m.end()
            return float(m.group()) if "." in m.group() else int(m.group())
        m = _IDENT.match(self.src, self.pos)
        if m:
            self.pos = m.end()
            name = m.group()
            if name in ("true", "false", "null", "undefined"):
                return {"true": True, "false": False}.get(name)
            if self.peek() == "(":
                if name in _WRAPPERS:
                    self.pos += 1
                    value = self.expr()
                    if self.peek() == ")":
                        self.pos += 1
                    if isinstance(value, str) and name == "htmlDecode":
                        value = html_decode(value)
                    return value
                self.skip_group()
            while self.peek() == "." and _IDENT.match(self.src, self.pos + 1):
                self.pos = _IDENT.match(self.src, self.pos + 1).end()
            return None
        self.skip_rest()
        return None

    def string(self) -> str:
        q = self.src[self.pos]
        i = self.pos + 1
        n = len(self.src)
        while i < n and self.src[i] != q:
            i += 2 if self.src[i] == "\\" else 1
        body = self.src[self.pos + 1:i]
        self.pos = min(i + 1, n)
        return decode_string(body)

    def obj(self) -> dict[str, Any]:
        self.pos += 1
        out: dict[str, Any] = {}
        while True:
            c = self.peek()
            if c in ("}", ""):
                self.pos += 1
                return out
            if c == ",":
                self.pos += 1
                continue
            if c in "'\"":
                key = self.string()
            else:
                m = _IDENT.match(self.src, self.pos) or _NUMBER.match(self.src, self.pos)
                if not m:
                    self.skip_rest()
                    continue
                key = m.group()
                self.pos = m.end()
            if self.peek() != ":":
                if self.peek() == "(":  # method shorthand: skip its body
                    self.skip_group()
                    if self.peek() == "{":
                        self.skip_group()
                continue
            self.pos += 1
            value = self.expr()
            if key not in out or out[key] in (None, "", [], {}):
                out[key] = value

    def arr(self) -> list[Any]:
        self.pos += 1
        out: list[Any] = []
        while True:
            c = self.peek()
            if c in ("]", ""):
                self.pos += 1
                return out
            if c == ",":
                self.pos += 1
                continue
            out.append(self.expr())

    def skip_group(self) -> None:
        """Skip a balanced (…), […] or {…} group, strings included."""
        pairs = {"(": ")", "[": "]", "{": "}"}
        stack: list[str] = []
        src, n = self.src, len(self.src)
        while self.pos < n:
            c = src[self.pos]
            if c in "'\"`":
                self.string()
                continue
            if c in pairs:
                stack.append(pairs[c])
            elif stack and c == stack[-1]:
                stack.pop()
                if not stack:
                    self.pos += 1
                    return
            self.pos += 1

    def skip_rest(self) -> None:
        """Skip to the end of the current expression (a `,`, `;` or closing bracket at depth 0)."""
        src, n = self.src, len(self.src)
        while self.pos < n:
            c = src[self.pos]
            if c in "'\"`":
                self.string()
            elif c in "([{":
                self.skip_group()
            elif c in ",;)]}\n":
                return
            else:
                self.pos += 1


_ASSIGN = re.compile(r"(?:\bvar\s+|\blet\s+|\bconst\s+|\bwindow\.)([\w$]+(?:\.[\w$]+)*)\s*=(?!=)\s*")


class Scripts:
    """An index of `var NAME =` / `window.NAME =` assignments in a page's inline scripts."""

    def __init__(self, script: str):
        self.src = script
        self.at: dict[str, list[int]] = {}
        for m in _ASSIGN.finditer(script):
            self.at.setdefault(m.group(1), []).append(m.end())

    def _values(self, name: str):
        for pos in self.at.get(name, ()):
            try:
                yield _Parser(self.src, pos).expr()
            except (RecursionError, ValueError, IndexError):
                continue

    def value(self, name: str) -> Any:
        """The first non-empty literal assigned to NAME, or None."""
        return next((v for v in self._values(name) if v not in (None, "", [], {})), None)

    def string(self, name: str) -> str | None:
        """Like value(), but only a non-blank string (numbers are given as text)."""
        for v in self._values(name):
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                v = str(v)
            if isinstance(v, str) and v.strip():
                return v.strip()
        return None
