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


# Parts of speech a tag may be (jieba's tags): nouns, names, places, organisations, other proper
# nouns, verbal nouns, idioms and abbreviations, English words. Verbs, adverbs, pronouns and
# numerals make poor tags (学习, 就是, 我们, 第二).
_POS = ("n", "nr", "nrt", "nrfg", "ns", "nt", "nz", "vn", "an", "l", "i", "j", "eng")
# Words every WeChat article has around it, or that say nothing on their own.
_STOP = frozenset("""
我们 你们 他们 她们 它们 大家 自己 这个 那个 一个 没有 什么 时候 今天 明天 昨天 问题 事情 情况
工作 方面 东西 地方 时间 文章 公众号 微信 原文 全文 阅读 点击 关注 打赏 点赞 在看 评论 留言 分享
转发 收藏 小编 编辑 记者 作者 来源 图片 视频 链接 网友 朋友 事件 内容 信息 朋友圈 二维码 本文
影响 生活 社会 建设 意见 部门 规定 关系 意义 利用 功能 用户 技术 工具 文件 数据 目录 资料 图文
私信 我会 建议 活动 全国 国家 中国 方式 过程 结果 原因 部分 能力 领域 行业 发展 服务 项目 系统
""".split())
_STOP_LATIN = frozenset("""
the there where what when which who this that these those with from into and for not but you your
are was were have has had will would can could about http https www com cn net org html htm pdf jpg
jpeg png gif amp nbsp wx mp qq weixin mmbiz title data export mm cm km kg px file files post
posts article text result size example txt xxx url content value name type
""".split())
_WORD = re.compile(r"[\u3400-\u9fff]{2,}|[A-Za-z][A-Za-z0-9+#.\-]*[A-Za-z0-9+#]")
_HAN = re.compile(r"[\u3400-\u9fff]")


def _fragment(word: str, text: str) -> bool:
    """WORD nearly always stands inside one longer word (兰兰 of 汤兰兰): a piece, not a word."""
    for side in (-1, len(word)):
        seen: dict[str, int] = {}
        total = 0
        for m in re.finditer(re.escape(word), text):
            total += 1
            at = m.start() - 1 if side < 0 else m.end()
            neighbour = text[at] if 0 <= at < len(text) else ""
            if _HAN.match(neighbour):
                seen[neighbour] = seen.get(neighbour, 0) + 1
        if total >= 2 and seen and max(seen.values()) >= 0.8 * total:
            return True
    return False


def candidates(title: str, text: str, n: int) -> list[str]:
    """Up to N keyword candidates of an article, strongest first (TF-IDF over nouns, names…),
    without stop words, Latin noise and pieces of longer words."""
    body = f"{title}\n{title}\n{text}"
    words = _jieba().extract_tags(body, topK=n * 3, allowPOS=_POS)
    keep = []
    for w in words:
        if not _WORD.fullmatch(w) or w in _STOP or w.casefold() in _STOP_LATIN:
            continue
        if _HAN.match(w) and _fragment(w, body):
            continue
        keep.append(w)
    return keep[:n]


def auto_tags(articles: list[tuple[str, str, list[str]]], n: int) -> list[list[str]]:
    """N automatic tags for each (title, text, tags it has) of one import, chosen together.

    A candidate must be a candidate of at least two articles of the import (when it holds more
    than one): a tag on one article links nothing. A candidate that contains, or is contained in,
    a tag the article already has or a stronger candidate is a near-duplicate (彩虹 of 彩虹徽章事件,
    肺炎 of 新冠肺炎) and is left out.
    """
    if n <= 0:
        return [[] for _ in articles]
    found = [candidates(title, text, n * 3) for title, text, _ in articles]
    counts: dict[str, int] = {}
    for words in found:
        for w in set(words):
            counts[w] = counts.get(w, 0) + 1
    least = 2 if len(articles) > 1 else 1
    chosen_all = []
    for words, (_, _, have) in zip(found, articles):
        chosen: list[str] = []
        taken = [t.casefold() for t in have]
        for w in words:
            folded = w.casefold()
            if counts[w] < least or any(folded in t or t in folded for t in taken):
                continue
            chosen.append(w)
            taken.append(folded)
            if len(chosen) == n:
                break
        chosen_all.append(chosen)
    return chosen_all


def merge(*groups: list[str]) -> list[str]:
    """Concatenate tag lists, normalised, without repeats (first spelling wins)."""
    seen: dict[str, str] = {}
    for group in groups:
        for tag in group:
            t = inline(str(tag).lstrip("#＃"))
            if t and t.casefold() not in seen:
                seen[t.casefold()] = t
    return list(seen.values())
