"""Dates as scraped articles write them → a date, or an aware datetime. The one date rule.

Forms read: ISO (`2025-06-13`, `2025-06-13T10:32:00+08:00`, `…Z`), `2018/9/27`, `2018.9.27`,
`2021-8-6`, `2018年9月27日`, any of those with a time (`2025-06-13 10:32`, `10时32分`), `9月27日`
when the year comes from context, Unix timestamps in seconds or milliseconds, English
(`June 13, 2025`, `13 Jun 2025`) and feed dates (`Fri, 13 Jun 2025 10:32:00 +0800`).

A time without a zone is China time (Asia/Shanghai, +08:00: WeChat writes dates there); a
timestamp becomes China time; a date without a time stays a date. Impossible dates (2018-13-45,
years outside 1970–2100) are no date: `None`, never an exception.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass

from generator.model.article import CHINA_TZ

__all__ = ["CHINA_TZ", "Found", "find", "parse", "timestamp", "zoned"]

_TIME = (r"(?:\s*[T,]?\s*(?P<H>[01]?\d|2[0-3])\s*(?::|：|时)\s*(?P<M>[0-5]\d)\s*分?"
         r"(?:\s*(?::|：)\s*(?P<S>[0-5]\d)(?:\.\d+)?)?"
         r"\s*(?P<tz>Z|[+-](?:0\d|1[0-4]):?[0-5]\d|UTC|GMT)?)?")
_YMD = re.compile(r"(?<![\d.])(?P<y>(?:19|20|21)\d\d)\s*(?P<sep>[-/.]|年)\s*(?P<m>[01]?\d)\s*"
                  r"(?:(?P=sep)|月)\s*(?P<d>[0-3]?\d)(?!\d)\s*日?" + _TIME)
_MD = re.compile(r"(?<![\d年])(?P<m>1[0-2]|0?[1-9])\s*月\s*(?P<d>[0-3]?\d)\s*日" + _TIME)
_MONTHS = {m: i + 1 for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split())}
_EN = re.compile(r"\b(?:(?P<mon>[A-Z][a-z]{2,8})\.?\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+"
                 r"(?P<y>(?:19|20)\d\d)|(?P<d2>[0-3]?\d)\s+(?P<mon2>[A-Z][a-z]{2,8})\.?,?\s+"
                 r"(?P<y2>(?:19|20)\d\d))\b")
_RFC2822 = re.compile(r"^(?:[A-Z][a-z]{2},\s*)?\d{1,2}\s+[A-Z][a-z]{2}\s+\d{4}\s+\d{1,2}:\d{2}")
_STAMP = re.compile(r"\d{9,10}(?:\.\d+)?|\d{12,13}")


@dataclass(frozen=True)
class Found:
    """A date found in a text: its value and where it stood (TEXT[start:end])."""

    value: dt.date | dt.datetime
    start: int
    end: int


def timestamp(value: object) -> dt.datetime | None:
    """Unix seconds or milliseconds (number or digit string) → China-time datetime."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        if not _STAMP.fullmatch(value.strip()):
            return None
        value = float(value)
    if not isinstance(value, (int, float)):
        return None
    seconds = float(value) / (1000 if value > 1e11 else 1)
    if not 1e8 <= seconds < 4.2e9:
        return None
    return dt.datetime.fromtimestamp(seconds, CHINA_TZ)


def parse(value: object, *, year: int | None = None) -> dt.date | dt.datetime | None:
    """The date a metadata value states (a whole field, e.g. `发布时间` or a record's `date`)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=CHINA_TZ)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)):
        return timestamp(value)
    text = str(value).strip().strip("\"'‘’“”[]()（）")
    if _STAMP.fullmatch(text):
        return timestamp(text)
    if _RFC2822.match(text):
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            when = None
        if when is not None:
            return when if when.tzinfo else when.replace(tzinfo=CHINA_TZ)
    found = find(text, year=year)
    return found.value if found else None


def find(text: str, *, year: int | None = None) -> Found | None:
    """The first date written in TEXT (a line, a byline, a file name); `9月27日` needs YEAR."""
    for m in _YMD.finditer(text):
        value = _build(int(m["y"]), int(m["m"]), int(m["d"]), m)
        if value is not None:
            return Found(value, m.start(), m.end())
    for m in _EN.finditer(text):
        month = _MONTHS.get((m["mon"] or m["mon2"])[:3].lower())
        if month:
            value = _build(int(m["y"] or m["y2"]), month, int(m["d"] or m["d2"]), None)
            if value is not None:
                return Found(value, m.start(), m.end())
    if year is not None:
        for m in _MD.finditer(text):
            value = _build(year, int(m["m"]), int(m["d"]), m)
            if value is not None:
                return Found(value, m.start(), m.end())
    return None


def zoned(text: str) -> dt.datetime | None:
    """The first date and time in TEXT that states its time zone (2021-06-13T10:32:00+08:00,
    …Z), else None: a page's machine-readable publication time, trusted only with its zone."""
    for m in _YMD.finditer(text):
        value = _build(int(m["y"]), int(m["m"]), int(m["d"]), m) if m["tz"] else None
        if isinstance(value, dt.datetime):
            return value
    return None


def _build(y: int, mo: int, d: int, m: re.Match[str] | None) -> dt.date | dt.datetime | None:
    if not 1970 <= y <= 2100:
        return None
    try:
        day = dt.date(y, mo, d)
    except ValueError:
        return None
    if m is None or m["H"] is None:
        return day
    return dt.datetime(y, mo, d, int(m["H"]), int(m["M"]), int(m["S"] or 0), tzinfo=_zone(m["tz"]))


def _zone(tz: str | None) -> dt.tzinfo:
    if not tz:
        return CHINA_TZ
    if tz in ("Z", "UTC", "GMT"):
        return dt.timezone.utc
    sign = -1 if tz[0] == "-" else 1
    digits = tz[1:].replace(":", "")
    return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
