"""Golden cases of the formats read besides pages, Markdown, text and JSON Lines: feeds,
JSON dumps, saved pages (MHTML, SingleFile), exporter outputs and pandoc Markdown.

`fixtures/clean/<format>/NAME.<ext>` → `NAME.out.md`: every item the input holds, in order,
as the imported file's text, or a `<!-- item N: outcome: reason -->` line for an item that
is not written (WENJI_UPDATE_GOLDEN=1 rewrites them).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import load_config
from generator.ingest import convert
from tests.golden import check_text

ROOT = Path(__file__).parent.parent / "fixtures" / "clean"
FAMILIES = ("feed", "json", "saved", "exporters", "pandoc", "errors")
CASES = sorted(p for family in FAMILIES for p in (ROOT / family).glob("*")
               if p.is_file() and p.suffix != ".md" or p.name.endswith(".in.md"))


@pytest.fixture(scope="module")
def cfg(tmp_path_factory):
    site = tmp_path_factory.mktemp("site")
    (site / "site.yml").write_text("title: t\n", encoding="utf-8")
    return load_config(site)


def imported(path: Path, cfg) -> str:
    """What importing PATH yields, item by item."""
    parts = []
    for k, item in enumerate(convert(path, path.read_bytes(), None, cfg), 1):
        if item.error or item.raw.not_article or item.text is None:
            outcome = "failed" if item.error else "not article" if item.raw.not_article else "rejected"
            parts.append(f"<!-- item {k}: {outcome}: {item.error or item.raw.not_article} -->\n")
        else:
            parts.append(item.text)
    return "\n".join(parts)


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_golden(path, cfg):
    name = path.name.removesuffix(".in.md") if path.name.endswith(".in.md") else path.stem
    check_text(imported(path, cfg), path.with_name(name + ".out.md"))
