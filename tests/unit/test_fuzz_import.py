"""Importer fuzzing: random and mutated real inputs never crash; each is accounted for.

Short runs by default; set WENJI_FUZZ=1 for long runs (many more examples per property).
"""

import codecs
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.config import SiteConfig
from generator.errors import InputError
from generator.ingest import convert, ingest

LONG = os.environ.get("WENJI_FUZZ") == "1"
EXAMPLES = 400 if LONG else 25
FIXTURES = Path(__file__).parent.parent / "fixtures" / "ingest"
SPECIMENS = {p.name: p.read_bytes() for p in sorted(FIXTURES.iterdir()) if p.is_file()}
CFG = SiteConfig()
fuzz = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def convert_safely(name: str, data: bytes) -> None:
    try:
        items = convert(Path(name), data, None, CFG)
    except InputError as exc:
        assert exc.message and exc.path == name
        return
    for item in items:
        assert item.error or item.raw.not_article or item.article is not None


@fuzz
@given(name=st.sampled_from(sorted(SPECIMENS)), data=st.data())
def test_mutated_specimens_never_crash(name, data):
    original = SPECIMENS[name]
    op = data.draw(st.sampled_from(["truncate", "flip", "insert", "delete"]))
    pos = data.draw(st.integers(0, max(0, len(original) - 1)))
    if op == "truncate":
        mutated = original[:pos]
    elif op == "flip":
        mutated = original[:pos] + bytes([original[pos] ^ 0xFF]) + original[pos + 1:] if original else b""
    elif op == "insert":
        mutated = original[:pos] + data.draw(st.binary(max_size=64)) + original[pos:]
    else:
        mutated = original[:pos] + original[pos + data.draw(st.integers(1, 500)):]
    convert_safely(name, mutated)


@fuzz
@given(ext=st.sampled_from([".txt", ".html", ".md", ".jsonl", ".csv", ".json"]),
       text=st.text(max_size=2000))
def test_random_text_in_any_format_never_crashes(ext, text):
    convert_safely("random" + ext, text.encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize("name", sorted(SPECIMENS))
@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-16", "crlf", "mojibake"])
def test_wrong_encodings_are_repaired_or_rejected(name, encoding):
    text = SPECIMENS[name].decode("utf-8")
    if encoding == "crlf":
        data = text.replace("\n", "\r\n").encode("utf-8")
    elif encoding == "mojibake":  # UTF-8 bytes decoded as Latin-1/CP1252 and saved again as UTF-8
        data = text.encode("utf-8").decode("latin-1").encode("utf-8")
    elif encoding == "utf-16":
        data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    else:
        data = text.encode(encoding)
    convert_safely(name, data)


def test_huge_line_and_deep_nesting_do_not_crash(tmp_path):
    deep = "<html><body><div id='js_content'>" + "<section>" * 5000 + "深" + "</section>" * 5000
    convert_safely("deep.html", (deep + "</div></body></html>").encode())
    convert_safely("huge.txt", ("字" * 3_000_000).encode())
    convert_safely("huge.md", ("# 标题\n\n" + "字" * 3_000_000).encode())


def test_a_folder_of_broken_files_is_fully_accounted_for(tmp_path):
    for i, (name, data) in enumerate(sorted(SPECIMENS.items())):
        (tmp_path / f"{i}-cut-{name}").write_bytes(data[: len(data) // 3])
        (tmp_path / f"{i}-zero-{name}").write_bytes(b"")
    report = ingest(CFG, [str(tmp_path)], into=tmp_path / "out", dry_run=True)
    assert len({r.input for r in report.rows}) == 2 * len(SPECIMENS)
    assert all(r.reason for r in report.rows if r.outcome in ("failed", "rejected", "not article"))
