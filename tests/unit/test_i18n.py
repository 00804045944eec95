"""Interface text: one table, every message in every language, every template key known."""

import re
import string
from pathlib import Path

import pytest

from generator.render.i18n import LANGUAGES, MESSAGES, Texts, language_of

THEME = Path(__file__).resolve().parents[2] / "themes" / "default" / "templates"


@pytest.mark.parametrize("setting, column", [
    ("zh-CN", "zh-CN"), ("zh", "zh-CN"), ("zh-Hans", "zh-CN"), ("zh_SG", "zh-CN"),
    ("zh-TW", "zh-TW"), ("zh-HK", "zh-TW"), ("zh-Hant-TW", "zh-TW"), ("ZH-mo", "zh-TW"),
    ("en", "en"), ("en-GB", "en"), ("fr", "en"), ("", "en"),
])
def test_language_setting_picks_a_column(setting, column):
    assert language_of(setting) == column


def fields(text) -> set[str]:
    forms = text if isinstance(text, tuple) else (text,)
    return {name for form in forms for _, name, _, _ in string.Formatter().parse(form) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_has_every_language_with_the_same_fields(key):
    row = MESSAGES[key]
    assert len(row) == len(LANGUAGES)
    assert all(row), key
    assert len({frozenset(fields(text)) for text in row}) == 1, row
    for language in LANGUAGES:
        Texts(language)(key, **{name: 1 for name in fields(row[0])})


def test_every_key_the_templates_use_exists():
    used = set()
    for path in THEME.rglob("*.html"):
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+)["']""", path.read_text(encoding="utf-8")))
    assert used, "templates use no messages?"
    assert used - set(MESSAGES) == set()


def test_english_counts_and_dates():
    t = Texts("en")
    assert t("words", n=1) == "1 word" and t("words", n=2) == "2 words"
    assert t("n_articles", n=13) == "13 articles"
    import datetime as dt
    assert t.date(dt.date(2018, 9, 27)) == "September 27, 2018"
    assert t.year_month(2018, 9) == "September 2018" and t.month(2) == "February"
    zh = Texts("zh-CN")
    assert zh.date(dt.date(2018, 9, 27)) == "2018年9月27日" and zh.year_month(2018, 9) == "2018年9月"
