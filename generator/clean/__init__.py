"""STAGE 2: RawDoc → Article (cleaned Markdown body + front matter). Pure: no disk I/O."""

from __future__ import annotations

import re
from pathlib import PurePath

from generator.clean import chrome, links, normalize, tags
from generator.clean.summary import summarize
from generator.config import ImportConfig
from generator import session
from generator.meta import extract
from generator.model.article import Article, FrontMatter
from generator.model.rawdoc import RawDoc


def body_markdown(raw: RawDoc) -> str:
    """The RawDoc's body as clean Markdown, whichever form the adapter delivered."""
    if raw.html is not None:
        from generator.clean.html_to_md import convert

        md = convert(raw.html, base_url=raw.url)
    elif raw.markdown is not None:
        md = raw.markdown
    elif raw.text is not None:
        paragraphs = re.split(r"\n\s*\n", raw.text)
        md = "\n\n".join(normalize.escape_text(p.strip()) for p in paragraphs if p.strip())
    else:
        md = ""
    md = extract.drop_lines(md, raw.meta_lines)
    md = links.resolve(chrome.strip(normalize.body(md)), raw.url,
                       keep_relative_images=raw.assets_dir is not None)
    return normalize.body(session.scrub_text(md))


def _inline(value: str | None) -> str | None:
    """A one-line metadata value."""
    return normalize.inline(value)


def clean(raw: RawDoc, rules: ImportConfig, *, origin: str | None = None) -> Article:
    """Turn one RawDoc into an Article: clean body, normalised fields, summary and tags; no
    reader-session value in any field or URL (generator.session). ORIGIN is the input's
    path relative to the import root (`imported_from`; default: its name)."""
    md = body_markdown(raw)
    title = _inline(raw.title) or ""
    text = normalize.plain(md) if rules.tag_rules else ""  # only keyword rules read it
    front = FrontMatter(
        title=title,
        date=raw.date,
        account=_inline(raw.account),
        account_id=_inline(raw.account_id),
        author=_inline(raw.author),
        url=_inline(raw.url),
        source=_inline(raw.source),
        summary=_inline(raw.summary) or summarize(md),
        cover=_inline(raw.cover),
        tags=tags.merge(raw.tags, tags.rule_tags(title, text, rules.tag_rules)),
        status=_inline(raw.status),
        imported_from=origin or PurePath(raw.input).name or raw.input,
        extra=dict(raw.extra),
    )
    return Article(session.scrub_fields(front), md)
