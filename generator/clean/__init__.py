"""STAGE 2: RawDoc → Article (cleaned Markdown body + front matter). Pure: no disk I/O."""

from __future__ import annotations

import re
from pathlib import PurePath

from generator.clean import boilerplate, links, normalize, secrets, tags
from generator.config import ImportConfig
from generator.meta import extract
from generator.model.article import Article, FrontMatter
from generator.model.rawdoc import RawDoc

_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]+[”’」』）)]*")


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
    md = links.resolve(boilerplate.strip(normalize.body(md)), raw.url,
                       keep_relative_images=raw.assets_dir is not None)
    return normalize.body(secrets.scrub_text(md))


def summarize(markdown: str, limit: int = 120) -> str | None:
    """The opening sentences of the body, cut at 。！？ and about LIMIT characters."""
    for para in re.split(r"\n\s*\n", markdown):
        if re.match(r"\s*(#|!\[|```|\||<)", para):
            continue
        text = re.sub(r"\s+", " ", normalize.plain(para[:limit * 8])).strip()
        if len(re.findall(r"\w", text)) < 8:
            continue
        out = ""
        for m in _SENTENCE.finditer(text):
            if out and len(out) + len(m.group(0)) > limit:
                break
            out += m.group(0)
        if not out:
            out = text if len(text) <= limit else text[:limit].rstrip() + "…"
        return out.strip()
    return None


def _inline(value: str | None) -> str | None:
    """A one-line metadata value, minus reader-session values in any URL it quotes."""
    text = normalize.inline(value)
    return secrets.scrub_text(text) if text else text


def clean(raw: RawDoc, rules: ImportConfig) -> Article:
    """Turn one RawDoc into an Article: clean body, normalised fields, summary and tags."""
    md = body_markdown(raw)
    title = _inline(raw.title) or ""
    text = normalize.plain(md)
    front = FrontMatter(
        title=title,
        date=raw.date,
        account=_inline(raw.account),
        account_id=_inline(raw.account_id),
        author=_inline(raw.author),
        url=secrets.scrub_url(normalize.inline(raw.url)),
        source=_inline(raw.source),
        summary=_inline(raw.summary) or summarize(md),
        cover=secrets.scrub_url(normalize.inline(raw.cover)),
        tags=tags.merge([secrets.scrub_text(t) for t in raw.tags],
                        tags.rule_tags(title, text, rules.tag_rules)),
        status=_inline(raw.status),
        imported_from=PurePath(raw.input).name or raw.input,
        extra={k: secrets.scrub_text(v) if isinstance(v, str) else v
               for k, v in raw.extra.items()},
    )
    return Article(front, md)
