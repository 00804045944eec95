"""STAGE 1 adapter "jsonl": JSON Lines, JSON arrays and CSV corpora → one RawDoc per record.

Fields are found by their common names (title; account/nickname/name; account_id/alias;
content/body/text/html; url/link; date/created_at/publish_time (Unix seconds → China time);
author; digest/summary; cover; tags). Where a corpus has both `name` and an ID-like `account`
(nonamestreet/weixin_public_corpus), `name` is the display name and `account` the 微信号.
A `content` that is HTML goes to RawDoc.html, a `markdown` field to RawDoc.markdown, a list
of strings becomes paragraphs, and plain text with one line per DOM text node is rejoined
into paragraphs (see `rejoin`).

Every record carries `record`: its 1-based line number (JSONL, CSV) or position (JSON array).

Bad records (contract with ingest): a line that is not valid JSON, or not an object, does not
stop the others. It is yielded as a RawDoc with no body and `extra["error"]` holding the
message ("line 7: invalid JSON: …"); ingest reports it as failed with that reason and record.
A JSON array (or a stream of pretty-printed objects, as `jq .` writes) that does not parse as
a whole is read object by object, so one broken record is one error row. A CSV row that
breaks the CSV rules is an error row and reading goes on. A date that is there but unusable
(out of range, a zero or negative timestamp, unreadable) is left out with a warning
(RawDoc.warnings). Only a file that is unreadable as a whole raises InputError.

Metadata-only records (CSV indexes such as Wechatscope's ceninfo.csv: title, nickname,
created_at, archive, censored_date, censored_msg): there is no body to import, so each row is
yielded as `not_article="metadata only (no body)"` with the metadata it has (title, account,
date, the gh_ id from the archive name, status from the censorship message, and the censorship
fields in `extra`), so every row is accounted for in the report.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any, Iterator

from generator.errors import InputError
from generator.sources import RawDoc, decode, undecodable
from generator.sources.data import fields, nested, records
from generator.sources.markdown.adapter import inert_body
from generator.meta import dates
from generator.meta.wechat import article_url, url_identity
from generator.sources.markdown.meta import meta_text

FORMAT = "jsonl"
METADATA_SOURCE = "front matter"  # a record's own fields
EXTENSIONS = {".jsonl", ".ndjson", ".json", ".csv"}
_ID_LIKE = re.compile(r"^(?:gh_[0-9a-f]{12}|[A-Za-z][-_A-Za-z0-9]{5,19})$")
_DATE = ("date", "created_at", "publish_time", "pub_date", "pubdate", "publish_date", "create_time",
         "published", "datetime", "time", "ct")
_AUTHOR = ("author", "作者")
_SUMMARY = ("digest", "summary", "description", "摘要")
_COVER = ("cover", "cover_url", "thumb_url", "cdn_url")
_TAGS = ("tags", "keywords")
_HTML = re.compile(r"<(?:p|div|section|span|br|img|h[1-6]|strong|a|ul|li|table)\b[^>]*>", re.I)
_ARCHIVE = re.compile(r"^([A-Za-z][-\w]*?)_\d{4}-\d{2}-\d{2}_")  # "<gh_id>_<day>_<mid>_…"
_CENSOR = {"该内容已被发布者删除": "deleted", "此内容因违规无法查看": "removed for violation",
           "此帐号已被屏蔽": "account blocked", "涉嫌侵权": "removed after complaint",
           "该公众号已迁移": "account migrated"}
_TERMINAL = "。！？!?；;…"
_CLOSERS = "，。、；：？！）)」』”’》〉】,.;:?!%"
_OPENERS = "（(「『“‘《〈【["
_COMMAS = "，,、：:"
_QUOTES_AFTER = "”’」』）)"


def sniff(path: Path, data: bytes) -> bool:
    """JSON/JSONL/CSV by extension, or text that opens like a JSON object/array of objects."""
    if path.suffix.lower() in EXTENSIONS:
        return True
    head = data[:4096].decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n")
    if head.startswith("["):
        return head[1:].lstrip().startswith("{")
    return bool(re.match(r'\{\s*"[^"\n]{1,80}"\s*:', head))  # '{"key": …' opens a JSON object


def read(path: Path, data: bytes) -> Iterator[RawDoc]:
    """Yield one RawDoc per record (bad records carry extra['error'], see module doc)."""
    text = decode(data).lstrip("\ufeff")
    if text.count("\ufffd") > max(3, len(text) // 100):
        raise undecodable(data, path)
    if path.suffix.lower() == ".csv" or (not text.lstrip().startswith(("{", "["))
                                         and _looks_like_csv(text)):
        yield from _csv(path, text)
        return
    for n, where, item, problem in records.split(text):
        if problem:
            yield _error(path, n, f"{where}: {problem}")
            continue
        for article in nested.unfold(item):
            yield _record(path, n, article, where)


def _error(path: Path, n: int, message: str) -> RawDoc:
    return RawDoc(input=str(path), format=FORMAT, record=n, extra={"error": message})


def _record(path: Path, n: int, item: Any, where: str) -> RawDoc:
    if not isinstance(item, dict):
        return _error(path, n, f"{where}: not a JSON object")
    try:
        return _from_fields(RawDoc(input=str(path), format=FORMAT, record=n), item)
    except Exception as exc:  # an odd record costs itself, never the file's other records
        return _error(path, n, f"{where}: unreadable record ({type(exc).__name__}: {exc})")


def _pick(rec: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = rec.get(key.lower())
        if value not in (None, "", []):
            return value
    return None


def _from_fields(raw: RawDoc, rec: dict[str, Any]) -> RawDoc:
    """Fill RAW from a record's fields (names matched case-insensitively)."""
    rec = {str(k).strip().lower(): v for k, v in rec.items()}
    raw.title = meta_text(_pick(rec, fields.TITLE))
    for key in fields.ACCOUNT:
        value = meta_text(_pick(rec, (key,)))
        if not value:
            continue
        if key in ("name", "account") and _ID_LIKE.match(value) and (
                key == "account" or _pick(rec, ("account",))):
            raw.account_id = raw.account_id or value
        else:
            raw.account = raw.account or value
    raw.account_id = raw.account_id or meta_text(_pick(rec, fields.ACCOUNT_ID))
    raw.author = meta_text(_pick(rec, _AUTHOR))
    raw.summary = meta_text(_pick(rec, _SUMMARY))
    raw.cover = meta_text(_pick(rec, _COVER))
    raw.date = _date(raw, _pick(rec, _DATE))
    raw.url = article_url(meta_text(_pick(rec, fields.URL)))
    raw.identity = url_identity(raw.url)
    tags = _pick(rec, _TAGS)
    if isinstance(tags, str):
        tags = re.split(r"[,，、;；\s]+", tags)
    raw.tags = [t for t in (meta_text(x) for x in tags or []) if t] if isinstance(
        tags, list) else []
    html_body, md_body, body = (_pick(rec, fields.HTML_BODY), _pick(rec, fields.MD_BODY),
                                _pick(rec, fields.BODY))
    if isinstance(html_body, str):
        raw.html = html_body
    elif isinstance(md_body, str):
        raw.markdown = inert_body(md_body)
    elif isinstance(body, str) and _HTML.search(body):
        raw.html = body
    elif isinstance(body, str):
        raw.text = rejoin(body)
    elif isinstance(body, list) and all(isinstance(p, str) for p in body):
        raw.text = "\n\n".join(p.strip() for p in body if p.strip())  # a list of paragraphs
    if raw.title and not (raw.html or raw.markdown or (raw.text or "").strip()):
        raw.not_article = "metadata only (no body)"  # an API list entry: title, digest, link
    return raw


def _date(raw: RawDoc, value: Any) -> Any:
    """The record's date; one that is there but unusable is left out with a warning."""
    date = dates.parse(value)
    if date is None and value is not None:
        shown = str(value) if len(str(value)) <= 40 else str(value)[:40] + "…"
        raw.warnings.append(f"date '{shown}' is out of range or unreadable; left out")
    return date


def _looks_like_csv(text: str) -> bool:
    header = text.split("\n", 1)[0].lower()
    known = sum(1 for name in fields.TITLE + fields.ACCOUNT + fields.BODY + _DATE + fields.URL
                if name in header)
    return "," in header and known >= 2


def _csv(path: Path, text: str) -> Iterator[RawDoc]:
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 27))  # an article body can be > 128 KB
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames:
        raise InputError("CSV file without a header row", path, 1)
    has_body = any(str(f).lower() in fields.BODY + fields.HTML_BODY + fields.MD_BODY
                   for f in reader.fieldnames)
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # this row is lost; reading goes on with the next one
            yield _error(path, start, f"line {start}: invalid CSV: {exc}")
            continue
        n = reader.line_num
        if None in row:  # more cells than header names
            more = len(row[None])
            yield _error(path, n, f"line {n}: {more} cell{'s' if more != 1 else ''} more than "
                                  "the header")
            continue
        raw = _record(path, n, row, f"line {n}")
        if not has_body and not raw.extra.get("error"):
            _metadata_only(raw, row)
        yield raw


def _metadata_only(raw: RawDoc, row: dict[str, Any]) -> None:
    raw.not_article = "metadata only (no body)"
    m = _ARCHIVE.match(str(row.get("archive") or ""))
    if m:
        raw.account_id = raw.account_id or m.group(1)
    message = meta_text(row.get("censored_msg"))
    raw.status = next((v for k, v in _CENSOR.items() if k in (message or "")),
                      "censored" if message else None)
    raw.extra = {k: v for k, v in (("archive", meta_text(row.get("archive"))),
                                   ("censored_date", meta_text(row.get("censored_date"))),
                                   ("censored_msg", message)) if v}


def rejoin(text: str) -> str:
    """Rejoin one-line-per-text-node content into paragraphs (blank-line separated).

    Scrapers that walk the DOM emit a line per text node, so inline markup splits sentences:
    '14\\n：\\n00'. Fragments are glued when one side is tiny (punctuation, digits, a single
    character), the next starts with closing punctuation or the current ends with an opening
    one; a line ending in 。！？ ends a paragraph; a line ending in a comma continues it on a new
    line (verse, lists); two ordinary lines of text are separate paragraphs.
    """
    lines = [ln.strip() for ln in text.replace("\r", "\n").split("\n")]
    if re.search(r"\n[ \t]*\n", text) or not any(lines):
        return "\n\n".join(re.split(r"\n\s*\n", text.strip()))
    paras: list[str] = []
    cur, last = "", ""
    for frag in (ln for ln in lines if ln):
        if not cur:
            cur = last = frag
            continue
        sep = _joint(cur, last, frag)
        if sep is None:
            paras.append(cur)
            cur = frag
        else:
            cur += sep + frag
        last = frag
    if cur:
        paras.append(cur)
    return "\n\n".join(paras)


def _joint(cur: str, last: str, nxt: str) -> str | None:
    """Separator between the paragraph so far and the next fragment; None ends the paragraph."""
    end, first = cur.rstrip(_QUOTES_AFTER)[-1:] or cur[-1], nxt[0]
    if end in _TERMINAL or (end == "." and not first.isdigit()):
        return "" if first in _CLOSERS else None
    if first in "[【［" and len(cur) > 10 and cur[-1] not in _OPENERS:
        return None  # a bracketed label starts a new item: "[天成]艺术第03号"
    if first in _CLOSERS or _tiny(nxt) or (len(nxt) <= 2 and not _tiny(cur)) or _tiny(last) or cur[-1] in _OPENERS:
        return " " if cur[-1].isascii() and cur[-1].isalpha() and first.isascii() \
            and first.isalpha() else ""
    if cur[-1] in _COMMAS:
        return "\n" if len(nxt) >= 6 else ""
    return None


def _tiny(frag: str) -> bool:
    if len(frag) <= 1:
        return True
    return len(frag) <= 6 and not any(ch.isalpha() for ch in frag)
