"""Reader-session values in URLs (uin, key, pass_ticket, appmsg_token…): the one scrubbing rule.

A scraper logged into WeChat captures the reader's session in every URL it saves. Removed:

- CREDENTIALS, whatever the host: they identify or log in a reader.
- TENCENT_ONLY names too when the URL is on a Tencent host (qq.com, qpic.cn, weixin.com…):
  session and share noise there, honest parameters elsewhere (`key`, `lang`, `version`).

A parameter is found in any encoding and at any nesting depth: a `url=`/`target=`/
`redirect_uri=` value holding an encoded URL that holds another, percent-encoded once, twice or
three times, with `&` written as `&amp;`, `&#38;`, `&#x26;`, `\\x26`, `\\u0026`, `%26amp%3B`
(and `_` as `\\_` in Markdown), inside any text: a body, a front-matter field, a JSON string.
Its value ends where a separator of its own level (or an outer one) starts, so an encoded `&`
inside the value is removed with it. The rest of the text is kept byte for byte; the host of a
parameter is the nearest `scheme://host` before it at its level or an outer one.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, TypeVar

Record = TypeVar("Record")

CREDENTIALS = frozenset("""
uin pass_ticket appmsg_token exportkey wx_header sessionid abtest_cookie cookie wxtoken
session_us poc_token share_token
""".split())
"""Never kept, whatever the host."""
CREDENTIAL_PREFIXES = ("sharer_",)
"""Who shared the link (sharer_username, sharer_shareid…): removed on every host."""
TENCENT_ONLY = frozenset("""
key devicetype version lang nettype ascene scene subscene srcid acctmode clicktime enterid
countrycode realreporttime fontscale fontgear winzoom mpshare chksm isappinstalled x5
rd2werd share_source
""".split())
"""Session, device and share values: removed on Tencent hosts only."""
TENCENT_PREFIXES = ("share_",)
TENCENT_HOSTS = ("qq.com", "qpic.cn", "qlogo.cn", "weixin.com", "wechat.com", "weixinbridge.com")

# The patterns below read lower-cased text, unless compiled with re.I.
_PCT = r"%(?:25)*"  # one percent escape, at any depth (%26, %2526, %252526…)
_BS = rf"(?:\\|{_PCT}5c)+"  # backslashes of JSON/JS/Markdown escapes, themselves encoded or not
_SEMI = rf"(?:;|{_PCT}3b)"
_HASH = rf"(?:\#|{_PCT}23)"
_AMP = (rf"(?:(?:&|{_PCT}26|{_BS}(?:u0026|x26))(?:amp{_SEMI})*"
        rf"(?:{_HASH}(?:0*38|x0*26){_SEMI})?)")
_NAMED = {"=": "equals", "?": "quest", "#": "num", "_": "lowbar", "/": "sol", ":": "colon"}
# The same forms written backwards, to read a parameter leftwards from its `=` in one step.
_PCT_R = r"(?:52)*%"
_BS_R = rf"(?:\\|c5{_PCT_R})+"
_SEMI_R = rf"(?:;|b3{_PCT_R})"
_HASH_R = rf"(?:\#|32{_PCT_R})"
_AMP_R = (rf"(?:(?:{_SEMI_R}(?:830*|620*x){_HASH_R})?(?:{_SEMI_R}pma)*"
          rf"(?:&|62{_PCT_R}|(?:6200u|62x){_BS_R}))")


def _char(c: str, backwards: bool = False) -> str:
    """Regex for the ASCII character C in any chain of encodings (BACKWARDS: for reversed
    text): itself (also after a backslash), %XX at any depth, \\uXXXX or \\xXX, &#N; / &#xN; /
    &name; (their `&` encoded too)."""
    if c == "&":
        return _AMP_R if backwards else _AMP
    h, lit, named = f"{ord(c):02x}", re.escape(c), _NAMED.get(c)
    if backwards:
        h, dec, named = h[::-1], str(ord(c))[::-1], named and named[::-1]
        alts = [lit, lit + _BS_R, h + _PCT_R, rf"(?:{h}00u|{h}x){_BS_R}",
                rf"{_SEMI_R}(?:(?:{dec}0*|{h}0*x){_HASH_R}" + (f"|{named}" if named else "")
                + f"){_AMP_R}"]
    else:
        alts = [lit, _BS + lit, _PCT + h, rf"{_BS}(?:u00{h}|x{h})",
                rf"{_AMP}(?:{_HASH}(?:0*{ord(c)}|x0*{h})" + (f"|{named}" if named else "")
                + f"){_SEMI}"]
    return "(?:" + "|".join(alts) + ")"


def _names_backwards(prefixes: bool) -> str:
    """Parameter names written backwards with every encoding of `_`, the longest first (with
    PREFIXES: the sharer_*/share_* families first, so `sharer_uin` is not read as `uin`)."""
    u = _char("_", backwards=True)

    def rev(name: str) -> str:
        return "".join(u if ch == "_" else re.escape(ch) for ch in reversed(name))

    families = [rf"(?:[a-z0-9]|{u})+{rev(p)}" for p in CREDENTIAL_PREFIXES + TENCENT_PREFIXES]
    names = [rev(n) for n in sorted(CREDENTIALS | TENCENT_ONLY, key=len, reverse=True)]
    return "|".join((families if prefixes else []) + names)


_EQ_R = _char("=", backwards=True)
_SEP_R = rf"(?:(?P<q>{_char('?', True)})|(?P<a>{_AMP_R}))?"
_PARAM_R = re.compile(rf"(?P<eq>{_EQ_R})(?P<name>{_names_backwards(True)}){_SEP_R}")
"""A parameter read backwards from the end of its `=`: `=`, name, separator (if any)."""
_NAMED_PARAM_R = re.compile(rf"(?P<eq>{_EQ_R})(?P<name>{_names_backwards(False)}){_SEP_R}")
"""The same without the sharer_*/share_* families (much faster where `share` is not near)."""
_EQ_ONLY_R = re.compile(_EQ_R)
_LAST = frozenset("".join(n[-1] for n in CREDENTIALS | TENCENT_ONLY) + "_f;")
"""What a name can end with just before its `=` (`_` forms end in `_`, `f` or `;`)."""
_EQ_END = re.compile(r"=|3d(?:;|%(?:25)*3b)?|61(?:;|%(?:25)*3b)|equals(?:;|%(?:25)*3b)")
_EQ_HINT = re.compile(r"[=36Ee](?:(?<==)|(?<=3)[dD]|(?<=6)1|(?<=[Ee])[qQ][uU][aA][lL][sS])")
"""The same in any case, found fast in long text (a character class first lets the regex
engine skip ahead): its end is the hint's end or the `;` after it."""
_SEMI_AT = re.compile(_SEMI, re.I)
"""Where an `=` may be written (`=`, `%3D`, `\\u003d`, `&#61;`, `&equals;`): the only places a
parameter name can end, so the only places worth a closer look."""
_STOP = re.compile(rf"(?=[&%\\#{{}}])(?:(?P<sep>{_AMP}|{_HASH})|(?P<hard>\\(?![_~*\-.+=!/])|[{{}}]))")
_AMP_AT = re.compile(_AMP)
_HOST = re.compile(rf"(?=[:%\\&]){_char(':')}(?P<slashes>{_char('/')}{_char('/')})"
                   r"(?P<host>[a-z0-9\-]+(?:\.[a-z0-9\-]+)+)")
_DEPTH = re.compile(r"%((?:25)*)[0-9a-f]{2}")
_U_FORMS = re.compile(_char("_"))
_TOKEN_CHARS = frozenset(c for c in map(chr, range(33, 127)) if c not in "\"'<>`()[]{}|")
"""What a URL can hold as written in text (no space, quote, bracket, non-ASCII)."""
_TOKEN = re.compile("[" + re.escape("".join(sorted(_TOKEN_CHARS))) + "]+")
_LONGEST = 16384
"""How far back the start of a URL is looked for (a longer run of URL characters is no URL)."""


def scrub_text(text: str) -> str:
    """TEXT with every session value of every URL in it removed (see the module doc)."""
    if not text:
        return text
    pieces: list[str] = []
    done = 0  # TEXT[:done] is in PIECES
    for m in _EQ_HINT.finditer(text):
        semi = _SEMI_AT.match(text, m.end())
        if m.start() < done or (_param_ending(text, m.end()) is None and (
                semi is None or _param_ending(text, semi.end()) is None)):
            continue
        start = m.start()
        floor = max(done, start - _LONGEST)
        while start > floor and text[start - 1] in _TOKEN_CHARS:
            start -= 1
        end = _TOKEN.match(text, m.start()).end()
        pieces += [text[done:start], _scrub_token(text[start:end])]
        done = end
    return "".join(pieces) + text[done:] if pieces else text


def scrub_url(url: str | None) -> str | None:
    """URL without session values (None stays None)."""
    return scrub_text(url) if url else url


def scrub_fields(record: Record) -> Record:
    """RECORD (a dataclass, e.g. front matter) with every text in it scrubbed: its fields, the
    items of its lists and the values of its mappings (`extra`), at any depth."""
    if not any(_has_hint(v) for v in vars(record).values()):
        return record
    changes = {}
    for f in dataclasses.fields(record):  # type: ignore[arg-type]
        value = getattr(record, f.name)
        scrubbed = _scrub_value(value)
        if scrubbed is not value:
            changes[f.name] = scrubbed
    return dataclasses.replace(record, **changes) if changes else record  # type: ignore[type-var]


def _has_hint(value: Any) -> bool:
    """True when VALUE (text, lists, mappings) holds something that may be an `=`."""
    if isinstance(value, str):
        return _EQ_HINT.search(value) is not None
    if isinstance(value, list):
        return any(_has_hint(v) for v in value)
    if isinstance(value, dict):
        return any(_has_hint(v) for v in value.values())
    return False


def _scrub_value(value: Any) -> Any:
    """VALUE scrubbed (text, lists, mappings); the same object when nothing changed."""
    if isinstance(value, str):
        out = scrub_text(value)
        return value if out == value else out
    if isinstance(value, list):
        items = [_scrub_value(v) for v in value]
        return value if all(a is b for a, b in zip(items, value)) else items
    if isinstance(value, dict):
        pairs = {k: _scrub_value(v) for k, v in value.items()}
        return value if all(pairs[k] is v for k, v in value.items()) else pairs
    return value


def _param_ending(text: str, end: int) -> re.Match[str] | None:
    """The parameter (`=`, name, separator if any) whose `=` ends at END, read backwards
    (groups of the reversed, lower-cased text: their lengths are those in TEXT)."""
    back = text[max(0, end - 128):end].lower()[::-1]
    if "erahs" in back:  # `share` written backwards
        return _PARAM_R.match(back)
    eq = _EQ_ONLY_R.match(back)
    if eq is None or back[eq.end():eq.end() + 1] not in _LAST:
        return None
    return _NAMED_PARAM_R.match(back)


def _scrub_token(tok: str) -> str:
    low, pos = tok.lower(), 0  # a token is ASCII: positions are kept
    while (eq := _EQ_END.search(low, pos)) is not None:
        m = _param_ending(low, eq.end())
        pos = eq.end()
        if m is None:
            continue
        name_start = eq.end() - len(m["eq"]) - len(m["name"])
        sep_start = name_start - len(m["q"] or m["a"] or "")
        if m["q"] is None and m["a"] is None and name_start and low[name_start - 1] not in "#,;":
            continue  # part of a longer word (`monkey=`)
        depth = _depth(m["eq"][::-1])
        end = _value_end(low, eq.end(), depth)
        name = _U_FORMS.sub("_", m["name"][::-1])
        if end == eq.end() or not (_credential(name) or (
                _tencent_only(name) and _on_tencent_host(low[:sep_start], depth))):
            continue
        nxt = None if m["a"] else _AMP_AT.match(low, end)
        if nxt and _depth(nxt.group()) == depth:  # `?name=value&next…` → `?next…`
            cut = (name_start, nxt.end())
        else:  # `&name=value`, or the last parameter: its `?` goes with it
            cut = (sep_start, end)
        tok, low, pos = tok[:cut[0]] + tok[cut[1]:], low[:cut[0]] + low[cut[1]:], sep_start
    return tok


def _value_end(tok: str, pos: int, depth: int) -> int:
    """Where the value starting at POS ends: a separator of its level or an outer one."""
    for m in _STOP.finditer(tok, pos):
        if m["hard"] is not None or _depth(m["sep"]) <= depth:
            return m.start()
    return len(tok)


def _depth(form: str) -> int:
    """How many times FORM was percent-encoded (`&` 0, `%26` 1, `%2526` 2)."""
    return max((len(m.group(1)) // 2 + 1 for m in _DEPTH.finditer(form)), default=0)


def _credential(name: str) -> bool:
    return name in CREDENTIALS or name.startswith(CREDENTIAL_PREFIXES)


def _tencent_only(name: str) -> bool:
    return name in TENCENT_ONLY or name.startswith(TENCENT_PREFIXES)


def _on_tencent_host(before: str, depth: int) -> bool:
    """True when the nearest `scheme://host` in BEFORE at DEPTH or an outer level is Tencent's."""
    host = None
    for m in _HOST.finditer(before):
        if _depth(m["slashes"]) <= depth:
            host = m["host"].lower()
    return host is not None and any(host == h or host.endswith("." + h) for h in TENCENT_HOSTS)
