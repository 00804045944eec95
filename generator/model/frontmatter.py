"""Split, parse and dump YAML front matter; used by import (dump) and build (parse)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Any

import yaml

from generator.errors import FrontMatterError
from generator.model import frontmatter_plain
from generator.model.article import CHINA_TZ, KNOWN_KEYS, Article, FrontMatter

_FENCE = re.compile(r"^---[ \t]*$", re.M)
_CHECKSUM_LINE = re.compile(r"^checksum:.*\n", re.M)


class _Loader(yaml.SafeLoader):
    """Safe YAML with no aliases, no duplicate keys, only true/false as booleans, and no
    implicit timestamps (dates are parsed by parse_date so errors can be explained)."""


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers
         if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def _no_alias(self, *args, **kwargs):  # noqa: ANN001
    if self.check_event(yaml.AliasEvent):
        event = self.peek_event()
        raise yaml.constructor.ConstructorError(
            None, None, "YAML aliases (*name) are not allowed in front matter", event.start_mark)
    return _compose_node(self, *args, **kwargs)


_compose_node = yaml.composer.Composer.compose_node
_Loader.compose_node = _no_alias


_KINDS = {list: "list", dict: "mapping", set: "set"}


def _mapping(loader: _Loader, node: yaml.MappingNode) -> dict:
    seen: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, (list, dict, set)):
            raise yaml.constructor.ConstructorError(
                None, None, f"a key must be text, not a {_KINDS[type(key)]}",
                key_node.start_mark)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}'", key_node.start_mark)
        try:
            seen[key] = loader.construct_object(value_node, deep=True)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "unusable key", key_node.start_mark) from None
    return seen


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)

_CLoader = None
if hasattr(yaml, "CSafeLoader"):
    class _CLoader(yaml.CSafeLoader):  # type: ignore[no-redef]
        """libyaml-backed twin of _Loader (same resolvers and mapping rule), ~6x faster."""

    _CLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
    _CLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def _shares_nodes(root: yaml.Node) -> bool:
    """True when a node appears twice in the tree, i.e. the YAML used an alias."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack += (key, value)
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value
    return False


def _fast_load(yaml_text: str) -> Any:
    """Load with libyaml; None on anything unusual so the Python loader decides (and explains)."""
    loader = _CLoader(yaml_text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}
        if _shares_nodes(node):
            return None
        return loader.construct_document(node)
    except Exception:  # noqa: BLE001 (the Python loader reports the error precisely)
        return None
    finally:
        loader.dispose()


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(list, lambda d, v: d.represent_sequence(
    "tag:yaml.org,2002:seq", v, flow_style=True))
_Dumper.add_representer(dt.date, lambda d, v: d.represent_scalar(
    "tag:yaml.org,2002:timestamp", v.isoformat()))
_Dumper.add_representer(dt.datetime, lambda d, v: d.represent_scalar(
    "tag:yaml.org,2002:timestamp", v.isoformat()))

_DATE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$")


def parse_date(value: Any) -> dt.date | dt.datetime | None:
    """Parse a front matter date; a timestamp without a zone is taken as China time (+08:00)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return _in_range(value if value.tzinfo else value.replace(tzinfo=CHINA_TZ))
    if isinstance(value, dt.date):
        return _in_range(value)
    m = _DATE.match(str(value).strip())
    if not m:
        raise ValueError(f"'{value}' is not a date (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+08:00)")
    y, mo, d, h, mi, s, tz = m.groups()
    day = dt.date(int(y), int(mo), int(d))  # raises ValueError for 2018-13-45
    if h is None:
        return _in_range(day)
    zone = CHINA_TZ
    if tz == "Z":
        zone = dt.timezone.utc
    elif tz:
        sign = -1 if tz[0] == "-" else 1
        digits = tz[1:].replace(":", "")
        zone = dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    return _in_range(dt.datetime(day.year, day.month, day.day, int(h), int(mi), int(s or 0),
                                 tzinfo=zone))


def _in_range(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    """VALUE, if it can be shown and sorted: its day in China time and its moment in UTC
    exist (0001-01-01 at midnight in China time is in year 0 in UTC)."""
    try:
        if isinstance(value, dt.datetime):
            value.astimezone(CHINA_TZ)
            value.astimezone(dt.timezone.utc)
        else:
            dt.datetime.combine(value, dt.time(), CHINA_TZ).astimezone(dt.timezone.utc)
    except OverflowError:
        raise ValueError(f"'{value.isoformat()}' is out of range (dates from 0001-01-02 to "
                         "9999-12-31 in China time)") from None
    return value


def split(text: str) -> tuple[str | None, str, int]:
    """Split TEXT into (yaml_text or None, body, 1-based line where the body starts)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.startswith("---"):
        return None, text, 1
    first = text.find("\n")
    if first < 0 or text[:first].strip() != "---":
        return None, text, 1
    m = _FENCE.search(text, first + 1)
    if not m:
        return None, text, 1
    yaml_text = text[first + 1:m.start()]
    end = m.end()
    if text[end:end + 1] == "\n":
        end += 1
    return yaml_text, text[end:], text[:end].count("\n") + 1


def body_line(path: str | Path) -> int | None:
    """The line where the body of the file at PATH starts (None when it cannot be read): where
    a problem found in its body, not its front matter, is reported."""
    try:
        return split(Path(path).read_text("utf-8", "replace"))[2]
    except OSError:
        return None


_RESOLVER = _Loader("")


def _is_text(plain: str) -> bool:
    """Whether YAML (as set up here) reads the plain scalar PLAIN as a string."""
    return _RESOLVER.resolve(yaml.ScalarNode, plain, (True, False)) == "tag:yaml.org,2002:str"


def simple_load(yaml_text: str) -> dict[str, Any] | None:
    """The mapping of plain one-line front matter without a YAML parser, else None."""
    return frontmatter_plain.simple_load(yaml_text, _is_text)


def load_yaml(yaml_text: str, path: Any = None, line_offset: int = 1) -> dict[str, Any]:
    """Parse front matter YAML safely; errors name the file and line."""
    data = simple_load(yaml_text)
    if data is None and _CLoader is not None:
        data = _fast_load(yaml_text)
    try:
        if data is None:
            data = yaml.load(yaml_text, Loader=_Loader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = line_offset + mark.line if mark else line_offset
        problem = exc.problem or exc.context or "invalid YAML"
        hint = "front matter must not use tabs for indentation" if "\t" in yaml_text else None
        raise FrontMatterError(f"YAML error: {problem}", path, line, hint) from None
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        raise FrontMatterError(f"YAML error: {exc}", path, line_offset) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FrontMatterError("front matter must be a mapping of key: value lines", path,
                               line_offset)
    return {str(k): v for k, v in data.items()}


def _text(value: Any, key: str, path: Any, line: int) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        raise FrontMatterError(f"'{key}' must be text, not a {type(value).__name__}", path, line,
                               hint=f"quote the value: {key}: \"...\"")
    return str(value).strip() or None


def _key_line(yaml_text: str, key: str, first_line: int) -> int:
    m = re.search(rf"^{re.escape(key)}\s*:", yaml_text, re.M)
    return first_line + yaml_text[:m.start()].count("\n") if m else first_line


def to_front(data: dict[str, Any], path: Any = None, yaml_text: str = "",
             first_line: int = 2) -> FrontMatter:
    """Turn a parsed front matter mapping into a FrontMatter, validating known keys."""
    def line(key: str) -> int:
        return _key_line(yaml_text, key, first_line)

    title = _text(data.get("title"), "title", path, line("title"))
    if not title:
        raise FrontMatterError("missing title", path, first_line, hint="add a line: title: \"...\"")
    try:
        date = parse_date(data.get("date"))
    except (ValueError, OverflowError) as exc:
        raise FrontMatterError(f"invalid date: {exc}", path, line("date"),
                               hint="use 2018-09-27 or 2018-09-27T10:30:00+08:00") from None
    tags = data.get("tags") or []
    if isinstance(tags, str):
        tags = [t for t in re.split(r"[,，]\s*", tags) if t.strip()]
    if not isinstance(tags, list):
        raise FrontMatterError("'tags' must be a list", path, line("tags"),
                               hint='tags: ["标签一", "标签二"]')
    tags = _unique([str(t).strip() for t in tags if t is not None and str(t).strip()])
    draft = data.get("draft", False)
    if not isinstance(draft, bool):
        raise FrontMatterError("'draft' must be true or false", path, line("draft"))
    fields = {k: _text(data.get(k), k, path,  # the line is looked up only for an error
                       line(k) if isinstance(data.get(k), (dict, list)) else 0) for k in (
        "account", "account_id", "author", "url", "source", "summary", "cover", "status", "slug",
        "imported_from", "checksum")}
    extra = {k: v for k, v in data.items() if k not in KNOWN_KEYS}
    return FrontMatter(title=title, date=date, tags=tags, draft=draft, extra=extra, **fields)


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def parse(text: str, path: Any = None) -> Article:
    """Parse a whole Markdown file (front matter + body) into an Article."""
    yaml_text, body, body_line = split(text)
    if yaml_text is None:
        raise FrontMatterError("no front matter", path, 1,
                               hint="start the file with a '---' line, YAML, then '---'")
    data = load_yaml(yaml_text, path, 2)
    return Article(to_front(data, path, yaml_text, 2), body, body_line=body_line)


def front_to_dict(front: FrontMatter) -> dict[str, Any]:
    """FrontMatter → ordered mapping, leaving out fields that are unknown or empty."""
    out: dict[str, Any] = {}
    for key in KNOWN_KEYS:
        value = getattr(front, key)
        if value in (None, "", []) or (key == "draft" and value is False):
            continue
        out[key] = list(value) if key == "tags" else value
    out.update(front.extra)
    return out


def dump(article: Article) -> str:
    """Article → file text (front matter + body), with a checksum to detect later hand edits."""
    front = front_to_dict(article.front)
    front.pop("checksum", None)
    head = yaml.dump(front, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000,
                     default_flow_style=False)
    body = article.body.strip("\n") + "\n"
    text = f"---\n{head}---\n\n{body}"
    return _with_checksum(text)


def _checksum(text_without_line: str) -> str:
    return hashlib.sha256(text_without_line.encode("utf-8")).hexdigest()[:16]


def _with_checksum(text: str) -> str:
    end = text.index("\n---\n", 3)
    return text[:end + 1] + f"checksum: {_checksum(text)}\n" + text[end + 1:]


def restamp(text: str) -> str:
    """TEXT with its checksum line recomputed (after a tool changed an imported file)."""
    return _with_checksum(_CHECKSUM_LINE.sub("", text, count=1))


def is_hand_edited(text: str) -> bool:
    """True when TEXT no longer matches the checksum written at import (or has none)."""
    yaml_text, _, _ = split(text)
    if yaml_text is None:
        return True
    m = re.search(r"^checksum:\s*([0-9a-f]+)\s*$", yaml_text, re.M)
    if not m:
        return True
    return _checksum(_CHECKSUM_LINE.sub("", text, count=1)) != m.group(1)
