"""Tags for an imported article: source tags + site.yml keyword rules + optional auto keywords."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from generator.clean.normalize import inline
from generator.errors import ConfigError


def rule_tags(title: str, text: str, rules: dict[str, str]) -> list[str]:
    """Tags whose keyword occurs in the title or the body text."""
    haystack = f"{title}\n{text}".casefold()
    return [tag for keyword, tag in rules.items() if keyword.casefold() in haystack]


def require_auto_tags() -> None:
    """Refuse automatic tags up front when the optional keyword extractor is not installed."""
    try:
        import jieba  # noqa: F401
    except ImportError:
        raise ConfigError("automatic tags need the 'autotags' extra", hint="pip install "
                          "'wenji[autotags]', or set import.auto_tags: 0 / drop --auto-tags") from None


@lru_cache(maxsize=1)
def _jieba():
    import jieba
    import jieba.analyse

    jieba.setLogLevel(logging.WARNING)
    return jieba.analyse


def auto_tags(title: str, text: str, n: int) -> list[str]:
    """The N strongest TF-IDF keywords of the article (jieba), skipping numbers and 1-char words."""
    if n <= 0:
        return []
    words = _jieba().extract_tags(f"{title}\n{title}\n{text}", topK=n * 3)
    keep = [w for w in words if len(w) > 1 and not re.fullmatch(r"[\d.%]+", w)]
    return keep[:n]


def merge(*groups: list[str]) -> list[str]:
    """Concatenate tag lists, normalised, without repeats (first spelling wins)."""
    seen: dict[str, str] = {}
    for group in groups:
        for tag in group:
            t = inline(str(tag).lstrip("#＃"))
            if t and t.casefold() not in seen:
                seen[t.casefold()] = t
    return list(seen.values())
