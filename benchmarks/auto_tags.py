"""Quality of automatic tags on a folder of raw articles: the rule before and after its filters.

    python3 benchmarks/auto_tags.py ../shared/corpus [--tags 5]

Counted over the automatic tags only (near-duplicates also against the tags the article already
has from its source and the tag rules). Both rules take jieba's TF-IDF keywords of each imported article. "before" is the rule Wenji
had (the N strongest keywords, skipping numbers and one-character words, each article on its
own); "after" is generator.clean.tags.auto_tags (nouns/names only, stop lists, pieces of longer
words dropped, near-duplicates of the article's other tags dropped, and a keyword must come up
in two articles of the import). Counted per rule, independently of either rule's own tests:
- name pieces: a tag that is a strict part of a person's name (jieba part of speech nr)
  written in the same article (兰兰 of 汤兰兰);
- near-duplicates: pairs of one article's tags where one contains the other (彩虹 / 彩虹徽章事件);
- function words: tags jieba reads as a pronoun, adverb, numeral, preposition, conjunction,
  particle, time word or plain verb (我们, 就是, 第二, 正在);
- one-article tags: tags that no other article of the import has (they link nothing).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.clean import normalize, tags  # noqa: E402
from generator.config import SiteConfig  # noqa: E402
from generator.ingest import convert  # noqa: E402
from generator.inputs import iter_inputs  # noqa: E402

WEAK_POS = {"r", "d", "m", "p", "c", "u", "t", "v", "f", "q", "y", "e", "o", "ad", "mq", "uj", "ul",
            "ud", "ug", "uv", "uz", "zg", "rr", "rz", "df", "dg", "tg"}


def articles(folder: Path) -> list[tuple[str, str, list[str]]]:
    """(title, plain text, tags it has) of every article the importer finds in FOLDER."""
    found = []
    for _name, path, _data, refused, _origin in iter_inputs([str(folder)]):
        if refused:
            continue
        try:
            items = convert(path, path.read_bytes(), None, SiteConfig())
        except Exception:  # noqa: BLE001 - a file the importer rejects has no tags to judge
            continue
        for item in items:
            if item.article is not None and item.article.front.title and item.article.body.strip():
                front = item.article.front
                found.append((front.title, normalize.plain(item.article.body), list(front.tags)))
    return found


def before(docs: list[tuple[str, str, list[str]]], n: int) -> list[list[str]]:
    """The former rule: N strongest TF-IDF keywords, no numbers, no one-character words."""
    analyse = tags._jieba()
    out = []
    for title, text, _ in docs:
        words = analyse.extract_tags(f"{title}\n{title}\n{text}", topK=n * 3)
        out.append([w for w in words if len(w) > 1 and not re.fullmatch(r"[\d.%]+", w)][:n])
    return out


def judge(docs: list[tuple[str, str, list[str]]], chosen: list[list[str]]) -> dict[str, float]:
    import jieba.posseg as pseg

    names_of = [{w.word for w in pseg.cut(f"{t}\n{x}") if w.flag == "nr" and len(w.word) > 2}
                for t, x, _ in docs]
    uses = Counter(tag for words in chosen for tag in set(words))
    total = sum(len(words) for words in chosen)
    pieces = sum(1 for words, names in zip(chosen, names_of) for t in words
                 if any(t != name and t in name for name in names))
    near = sum(1 for words, (_, _, have) in zip(chosen, docs) for i, a in enumerate(have + words)
               for b in (have + words)[i + 1:] if a in b or b in a)
    weak = sum(1 for words in chosen for t in words
               if all(w.flag in WEAK_POS for w in pseg.cut(t)))
    single = sum(1 for words in chosen for t in words if uses[t] == 1)
    return {"articles": len(docs), "tags": total, "distinct": len(uses),
            "name pieces": pieces, "near-duplicate pairs": near, "function words": weak,
            "one-article tags": single}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("folder", type=Path)
    p.add_argument("--tags", type=int, default=5, help="automatic tags per article (default 5)")
    args = p.parse_args()
    docs = articles(args.folder)
    rows = {"before": judge(docs, before(docs, args.tags)),
            "after": judge(docs, tags.auto_tags(docs, args.tags))}
    keys = list(rows["after"])
    print("| rule | " + " | ".join(keys) + " |")
    print("|---|" + "---:|" * len(keys))
    for name, row in rows.items():
        print(f"| {name} | " + " | ".join(f"{row[k]:,}" for k in keys) + " |")


if __name__ == "__main__":
    main()
