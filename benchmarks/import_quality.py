"""Import quality: what `wenji import` finds in every file of a corpus, against the raw file.

    python3 benchmarks/import_quality.py                   # ../shared/corpus next to the repo
    python3 benchmarks/import_quality.py PATH/TO/CORPUS

Every file is first copied to a name that carries nothing (`0001.md`, `0002.html`…), so the
importer can only use what the file itself says. For each article written, title, date,
account and URL are compared with simple checks on the raw bytes, independent of the importer:

- found: the value appears in the raw file (title: its text, spaces ignored; date: the day in
  any common spelling or as a Unix timestamp; account: its text; URL: its biz+mid+idx or its
  /s/ token) → `ok`; found but not in the raw file → `??`.
- not found: the raw file states one in a metadata position (below: TITLE_AT, DATE_AT and
  DATE_LINE in the first HEAD_LINES lines, ACCOUNT_AT, URL_AT) → `MISSED`; else `–` (the file
  holds none). These are deliberately simple regular expressions, not the importer's rules.
- ui: lines of the bodies written that are UI text by the chrome catalog's test
  (generator.clean.chrome.is_ui_line; without it, equality with a catalog string).

Writes benchmarks/results/import-quality.md (full table) and prints the summary table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
CN = dt.timezone(dt.timedelta(hours=8))
FIELDS = ("title", "date", "account", "url")

# Where a raw file states a field for a reader or a machine (a date in the middle of the text
# does not count: it is the text's date, not the article's).
_D = r"(?:\d{10}|\d{13}|(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}|[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4})"
TITLE_AT = re.compile(r"<title>\s*[^<\s]|og:title|msg_title\s*=\s*['\"]\s*\S|^title\s*:\s*\S|"
                      r"^#{1,3}\s+\S|\"title\"\s*:\s*\"[^\"]|<h1[^>]*>\s*[^<\s]|^标题\s*[:：]", re.M)
DATE_AT = re.compile(r"(?:\b(?:ct|create_time|publish_time|ori_create_time|pubDate|published|"
                     r"datePublished|date|updated|created|post_date|publish_date)\b['\"]?\s*[:=>]"
                     r"\s*['\"]?\s*|(?:发布时间|发表时间|发布日期|发表于|日期|Published|Date)\W{0,6}[:：]"
                     r"\W{0,6})" + _D)
# A byline or date line: counted among the first lines of a file only (further down, a date at
# the start of a line is the text's: a timeline, a signature).
DATE_LINE = re.compile(r"^\W{0,8}(?:原创\s+)?(?:\S+\s+){0,2}" + _D)
HEAD_LINES = 12
ACCOUNT_AT = re.compile(r"(?:nickname|nick_name|account_name|mp_name|biz_name|profile_nickname|"
                        r"js_name|\"account\"|\"author\"|^account|^author|公众号\s*[:：]|来源\s*[:：]|"
                        r"微信号)\W{0,12}[^\s\"'<>:：=]", re.M)
URL_AT = re.compile(r"(?:msg_link|og:url|saved from url|原文链接|原文地址|canonical|\"(?:url|link|"
                    r"content_url|msg_link)\"|^url|^source|^link|<link>|<guid)\W{0,40}"
                    r"(?:https?:)?//mp\.weixin\.qq\.com/s[/?]", re.M | re.I)


def raw_text(path: Path) -> str:
    data = path.read_bytes()
    for enc in ("utf-8", "gb18030"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = data.decode("utf-8", "replace")
    text = re.sub(r"\\x([0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})",
                  lambda m: chr(int(m.group(1) or m.group(2), 16)), text)
    for _ in range(2):
        text = html.unescape(text)
    return text


def _squash(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"[\s\\*_`#>\"'“”‘’]+", "", text).casefold()


def _spellings(day: dt.date) -> list[str]:
    y, m, d = day.year, day.month, day.day
    return [f"{y}-{m:02d}-{d:02d}", f"{y}-{m}-{d}", f"{y}/{m}/{d}", f"{y}/{m:02d}/{d:02d}",
            f"{y}.{m}.{d}", f"{y}.{m:02d}.{d:02d}", f"{y}年{m}月{d}日", f"{y}年{m:02d}月{d:02d}日",
            f"{day:%d %b %Y}", f"{day:%b} {d}, {y}", f"{day:%B} {d}, {y}", f"{d} {day:%b} {y}"]


def in_raw(field: str, value: str, raw: str, squashed: str) -> bool:
    """The independent check that a value the importer found stands in the raw file."""
    if field == "title" or field == "account":
        return _squash(value) in squashed
    if field == "date":
        day = dt.date.fromisoformat(value[:10])
        if any(s in raw for s in _spellings(day)):
            return True
        return any(dt.datetime.fromtimestamp(int(n) / (1000 if len(n) == 13 else 1), CN).date() == day
                   for n in re.findall(r"(?<!\d)(1\d{9}|1\d{12})(?!\d)", raw))
    if field == "url":
        q = dict(re.findall(r"(__biz|mid|idx)=([^&]+)", value))
        if q:
            return all(v in raw or v.replace("==", "%3D%3D") in raw for v in q.values())
        token = value.rsplit("/", 1)[-1]
        return token in raw
    return False


def stated(field: str, raw: str) -> bool:
    """The independent check that the raw file states FIELD somewhere a reader looks for it."""
    pattern = {"title": TITLE_AT, "date": DATE_AT, "account": ACCOUNT_AT, "url": URL_AT}[field]
    if field == "date":
        head = [ln for ln in raw.splitlines() if ln.strip()][:HEAD_LINES]
        if any(DATE_LINE.match(ln) for ln in head):
            return True
    return bool(pattern.search(raw))


def catalog() -> set[str]:
    """UI strings of the chrome catalog in the checkout measured: every set of strings with an
    upper-case name in generator.clean.chrome (when it exists) and generator.clean.boilerplate."""
    found: set[str] = set()
    for name in ("generator.clean.chrome", "generator.clean.boilerplate"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        for attr, value in vars(module).items():
            if attr.isupper() and isinstance(value, (set, frozenset, tuple, list)) and \
                    value and all(isinstance(v, str) for v in value):
                found |= {v.strip() for v in value if len(v.strip()) >= 2}
    return found


def ui_left(body: str, strings: set[str]) -> int:
    """Lines of BODY that are UI text: by the catalog's own test when it has one (a lone word
    like 分析 is UI only among other UI), else by equality with a catalog string."""
    try:
        from generator.clean.chrome import is_ui_line
    except ImportError:
        return sum(1 for line in body.splitlines() if line.strip().strip("*_> ").strip() in strings)
    return sum(1 for line in body.splitlines() if line.strip() and is_ui_line(line))


def front_and_body(path: Path) -> tuple[dict, str]:
    import yaml

    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front) or {}, body


def run(corpus: Path, work: Path) -> list[dict]:
    files = sorted(p for p in corpus.rglob("*") if p.is_file())
    inbox, site = work / "in", work / "site"
    inbox.mkdir(parents=True)
    site.mkdir()
    (site / "site.yml").write_text("title: quality\nbase_url: https://example.org/\n", encoding="utf-8")
    names = {}
    for k, path in enumerate(files, 1):
        plain = inbox / f"{k:04d}{path.suffix.lower()}"
        shutil.copyfile(path, plain)
        names[plain.name] = path
    env = dict(os.environ, PYTHONPATH=str(REPO))
    subprocess.run([sys.executable, "-m", "generator", "import", "--site", str(site), "--no-progress",
                    "--report", str(work / "report.json"), str(inbox)], env=env, check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    report = json.loads((work / "report.json").read_text(encoding="utf-8"))
    sys.path.insert(0, str(REPO))
    strings = catalog()
    rows = []
    for entry in report["inputs"]:
        original = names[Path(entry["input"]).name]
        raw = raw_text(original)
        row = {"file": original.relative_to(corpus).as_posix(), "record": entry.get("record"),
               "outcome": entry["outcome"], "reason": entry.get("reason") or "", "ui": 0}
        front, body = {}, ""
        if entry.get("output") and entry["outcome"] in ("imported", "updated", "unchanged"):
            front, body = front_and_body(site / "content" / entry["output"])
            row["ui"] = ui_left(body, strings)
        squashed = _squash(raw)
        for field in FIELDS:
            value = front.get(field)
            if entry["outcome"] not in ("imported", "updated", "unchanged"):
                row[field] = ""
            elif value not in (None, ""):
                value = value.isoformat() if hasattr(value, "isoformat") else str(value)
                row[field] = "ok" if in_raw(field, value, raw, squashed) else "??"
                row[field + "_source"] = entry.get("fields", {}).get(field, "")
            else:
                row[field] = "MISSED" if stated(field, raw) else "–"
        rows.append(row)
    return rows


def summary(rows: list[dict]) -> str:
    articles = [r for r in rows if r["outcome"] == "imported"]
    out = ["| field | found, in the raw file | found, not confirmed | missed (stated in the raw file) | absent from the raw file |",
           "|---|---:|---:|---:|---:|"]
    for field in FIELDS:
        c = Counter(r[field] for r in articles)
        out.append(f"| {field} | {c['ok']} | {c['??']} | {c['MISSED']} | {c['–']} |")
    outcomes = Counter(r["outcome"] for r in rows)
    ui = sum(r["ui"] for r in rows)
    out.append("")
    out.append(f"{len({r['file'] for r in rows})} files, {len(rows)} inputs: "
               + ", ".join(f"{n} {k}" for k, n in sorted(outcomes.items()))
               + f"; UI strings of the chrome catalog left in bodies: {ui}; undated articles whose "
               f"raw file states a date: {sum(1 for r in articles if r['date'] == 'MISSED')}.")
    return "\n".join(out)


def full_table(rows: list[dict]) -> str:
    out = ["| file | rec | outcome | title | date | account | url | ui |", "|---|---:|---|---|---|---|---|---:|"]
    for r in rows:
        cells = []
        for field in FIELDS:
            src = r.get(field + "_source")
            cells.append(f"{r[field]} ({src})" if src else r[field])
        outcome = r["outcome"] + (f": {r['reason']}" if r["reason"] else "")
        out.append(f"| `{r['file']}` | {r['record'] or ''} | {outcome} | " + " | ".join(cells)
                   + f" | {r['ui']} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Import every corpus file under a neutral name and "
                                "compare title/date/account/url with the raw files.")
    p.add_argument("corpus", nargs="?", type=Path, default=REPO.parent / "shared" / "corpus")
    p.add_argument("--out", type=Path, default=RESULTS / "import-quality.md")
    args = p.parse_args(argv)
    if not args.corpus.is_dir():
        p.error(f"{args.corpus}: no such folder")
    with tempfile.TemporaryDirectory(prefix="wenji-quality-") as tmp:
        rows = run(args.corpus, Path(tmp))
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    text = (f"# Import quality\n\n`python3 benchmarks/import_quality.py` at commit {commit}, "
            f"{dt.date.today().isoformat()}. How each cell is decided: see the script's docstring. "
            "`ok` found and in the raw file, `??` found but not confirmed in it, `MISSED` not found "
            "though the raw file states one, `–` the raw file states none; (source) is where the "
            "importer took the value (`wenji import --report`).\n\n## Summary (articles written)\n\n"
            + summary(rows) + "\n\n## Every input\n\n" + full_table(rows) + "\n")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(summary(rows))
    print(f"\nwritten {args.out.relative_to(REPO) if args.out.is_relative_to(REPO) else args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
