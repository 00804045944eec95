"""The one catalog of WeChat page chrome (UI strings of every era) and the rules that remove it.

Applied to every article after conversion to Markdown (see `generator.clean.body_markdown`),
whatever the input format; adapters may also ask `is_end` / `is_ui_text` where a page's text has
no structure left to tell article from UI. Only whole UI lines and blocks go: a sentence that
merely contains 分享 or 阅读原文 is the author's and stays.

Three kinds of entry:
- END_MARKERS: strings that open the page's trailing UI (reward box, comments, share sheets,
  related articles). From the first one on, the tail is dropped when no prose follows it.
- UI_STRINGS: strings distinctive enough to drop wherever a line or block is made of them.
- UI_WORDS: common words (分享, 赞, 取消…) that are UI only next to other UI: a block made of
  several of them goes; one alone goes only inside a run of UI blocks or in the header/tail.
"""

from __future__ import annotations

import re

# Compared with all whitespace removed (page text splits these across lines and spaces).
END_MARKERS = frozenset("""
预览时标签不可点 继续滑动看下一个 向上滑动看下一个 轻触阅读原文 轻触查看原文 微信扫一扫关注该公众号
喜欢此内容的人还喜欢 长按二维码向我转账 写下你的留言 精选留言 写留言 微信扫一扫使用小程序
微信扫一扫赞赏作者 上一篇下一篇 ScantoFollow 人赞赏 人划线 跳转微信打开 在小说阅读器中沉浸阅读
""".split())

UI_STRINGS = END_MARKERS | frozenset("""
已推荐到看一看 已推荐到看一看和朋友分享想法 分享想法到看一看 朋友将在看一看看到 分享你的想法...
最多200字，当前共字 最多40字，当前共字 网络异常，请稍后重试 已取消，“好看”想法已同步删除
你的朋友可以在“发现”-“看一看”看到你认为好看的文章。 轻点两下取消赞 轻点两下取消在看
受苹果公司新规定影响，微信iOS版的赞赏功能被关闭，可通过二维码转账支持公众号。 前往看一看
看一看入口已关闭 在“设置”-“通用”-“发现页管理”打开“看一看”入口 已同步到看一看 发送到看一看
前往“发现”-“看一看”浏览“朋友在看” 微信扫一扫可打开此内容，使用完整服务 长按识别前往小程序
发送给作者 已喜欢，对作者说句悄悄话 微信扫一扫 关注该公众号 使用小程序 留言功能已关闭 暂无留言
已无更多数据 赞赏作者 喜欢作者 如何关注公众号 最低赞赏¥0 收录于话题 收录于合集 发表于
ScanwithWeixintousethisMiniProgram KudostotheAuthor 视频小程序赞，轻点两下取消赞在看，轻点两下取消在看
，轻点两下取消赞 ，轻点两下取消在看
""".split())

# In page text, where no markup tells where the article stops, these words on a line of their
# own end it too (the first UI line after the article in every era's page).
PAGE_TEXT_END = END_MARKERS | frozenset("阅读原文 阅读全文 投诉 赞赏 喜欢作者 Readmore".split())

UI_WORDS = frozenset("""
阅读 阅读原文 阅读全文 好看 在看 点赞 赞 分享 收藏 留言 听过 视频 小程序 取消 允许 推荐 确定 发送
已发送 发送中 知道了 我知道了 返回 赞赏 其它金额 赞赏金额 上一页 下一页 投诉 看一看 复制链接 分析 ×
Readmore GotIt Cancel Allow Like Wow Share Comment Favorite Listen
""".split())

_PATTERNS = re.compile(
    r"(阅读|Views?|Reads?)(\d+|10万\+|100000\+|\d+万\+?)"       # read counts
    r"|收录于(话题|合集)(#\S+?(\d+个)?)*"                        # topic/collection boxes
    r"|(#[^#]+?\d+个)+"                                         # their tag lines (#渗透测试 53个)
    r"|(在看|赞|点赞|分享|留言)\d+"                              # counters
)
# A profile card: 微信号 <id>, 功能介绍 <bio> (only in the page header).
_CARD = re.compile(r"(微信号|WeChatID)\S*|功能介绍.*")
# QR prompts: 长按识别二维码关注, 扫描或长按二维码加关注：… (short, ending in what to do).
_QR = re.compile(r"[\W_§]*(长按|扫描|扫码|识别|微信扫)[^。！？!?]{0,16}(二维码|小程序码)"
                 r"([^。！？!?]{0,10}(关注|公众号|公号|小程序|好友|入群|加群)[^。！？!?]{0,4})?[\W_]*")

_LINK = re.compile(r"!?\[([^\]]*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)")
_MARKS = re.compile(r"\\(?=[^\w\s])|[*_`~]+|^\s{0,3}(#{1,6}|>|[-+]|\d+[.)])\s+", re.M)
_SPACE = re.compile(r"\s+")
_SPLIT = re.compile(r"[\s，。：；、,;:]+")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_SENTENCE = re.compile(r"[。！？!?]")
_JS = re.compile(
    r"(^\s*(var|let|const|function|if|else|for|window\.|document\.|try|catch|return)\b"
    r"|[;{}]\s*$|\bfunction\s*\(|=>|\bdocument\.\w+|\bwindow\.\w+|addEventListener\(|"
    r"navigator\.userAgent|\}\)\(\);?)")
_LONGEST = 400
"""No line or block of UI is longer than this (in visible characters, spaces and all)."""
_HEAD_BLOCKS = 14
"""How far into a body a page header (profile card, fillers) may reach."""


def text_of(markdown: str) -> str:
    """A line or block's visible text: links and images reduced to their text, marks removed."""
    return _MARKS.sub("", _LINK.sub(r" \1 ", markdown))


def key(text: str) -> str:
    """TEXT with all whitespace removed (how catalog entries are compared)."""
    return _SPACE.sub("", text)


def is_end(line: str) -> bool:
    """True when LINE (Markdown or page text) is a marker that opens a page's trailing UI."""
    s = line.strip()
    return len(s) <= 80 and key(text_of(s)) in END_MARKERS


def _tokens(text: str) -> list[str]:
    return [t for t in _SPLIT.split(text) if t]


def is_ui_text(text: str, *, alone_ok: bool = False) -> bool:
    """True when the visible TEXT of a line or block is nothing but UI strings.

    One common UI word standing alone (分享, 赞) counts only when ALONE_OK (inside a UI run,
    the page header or the tail); several together (取消 允许, 视频 小程序 赞) always count.
    """
    kind = _classify(text)
    return kind == "ui" or kind == "word" and alone_ok


def _classify(text: str) -> str | None:
    """"ui" (UI wherever it stands), "word" (one common UI word alone) or None (not UI)."""
    if len(text) > _LONGEST:
        return None
    k = key(text)
    if not k or len(k) > 120:
        return None
    if k in UI_STRINGS or _PATTERNS.fullmatch(k) or _QR.fullmatch(k) and len(k) <= 30:
        return "ui"
    if k in UI_WORDS:  # one common word, spaces and all (Read more)
        return "word"
    tokens = _tokens(text)
    if tokens and all(t in UI_STRINGS or t in UI_WORDS or _PATTERNS.fullmatch(t) for t in tokens):
        return "ui" if len(tokens) > 1 or tokens[0] not in UI_WORDS else "word"
    return None


def is_card(text: str) -> bool:
    """True when TEXT is a line of an account's profile card (微信号 X / 功能介绍 X)."""
    return bool(_CARD.fullmatch(key(text)))


def is_ui_line(line: str) -> bool:
    """True when a Markdown LINE is a UI string wherever it stands (a distinctive one)."""
    return is_ui_text(text_of(line))


def looks_like_js(line: str) -> bool:
    """True when LINE reads as JavaScript rather than prose."""
    s = line.strip()
    if not s:
        return False
    han = len(re.findall(r"[\u4e00-\u9fff]", s))
    return bool(_JS.search(s)) and han < len(s) / 4


def _blocks(markdown: str) -> list[list[str]]:
    """Blank-line separated blocks; a fenced code block is one block however many blanks it holds."""
    blocks: list[list[str]] = [[]]
    fence: str | None = None
    for line in markdown.split("\n"):
        m = _FENCE.match(line)
        if fence is not None:
            blocks[-1].append(line)
            if m and m.group(1).startswith(fence):
                fence = None
            continue
        if m:
            fence = m.group(1)[0] * 3
        if not line.strip() and fence is None:
            if blocks[-1]:
                blocks.append([])
            continue
        blocks[-1].append(line)
    return [b for b in blocks if b]


def _is_code(block: list[str]) -> bool:
    return bool(_FENCE.match(block[0])) or all(ln.startswith(("    ", "\t")) for ln in block)


def _is_prose(text: str) -> bool:
    """Article text: a sentence of some length (UI strings are short and unpunctuated)."""
    k = key(text)
    return len(k) > 20 and bool(_SENTENCE.search(text)) and not _CARD.fullmatch(k)


def _mark_only(block: list[str]) -> bool:
    """A block of emphasis/underline residue or empty images (`____`, `__ _ _ _`, `![]()`)."""
    joined = "\n".join(block)
    return not key(text_of(joined)) and not re.search(r"!\[[^\]]*\]\(\s*\S", joined) and not any(
        re.match(r"^\s{0,3}(-\s*){3,}$", ln) for ln in block)


def strip(markdown: str) -> str:
    """MARKDOWN without the page chrome of the catalog: UI lines and blocks, the profile card
    in the header, and a trailing UI block (from an end marker on, when no prose follows)."""
    blocks = _blocks(markdown)
    kinds: list[str] = []  # "code" | "ui" | "word" (common UI word alone) | "text"
    texts: list[str | None] = []  # each block's text_of, where it was needed
    for block in blocks:
        if _is_code(block):
            kinds.append("code")
            texts.append(None)
            continue
        joined = "\n".join(block)
        texts.append(text_of(joined) if len(joined) <= 2 * _LONGEST else None)
        kinds.append(texts[-1] is not None and _classify(texts[-1]) or "text")
    first_prose = next((i for i, b in enumerate(blocks)
                        if kinds[i] == "text" and _is_prose(_text(texts, blocks, i))), len(blocks))
    head = min(first_prose, _HEAD_BLOCKS)
    tail = _tail_start(blocks, kinds)
    out: list[str] = []
    for i, block in enumerate(blocks):
        kind = kinds[i]
        if i >= tail or kind == "ui":
            continue
        if kind == "word" and (i < head or _near_ui(kinds, i)):
            continue
        if kind == "text" and i < head and _header_residue(blocks, i):
            continue
        lines = block if kind == "code" or len(block) == 1 else [
            ln for ln in block if len(ln) > _LONGEST or not is_ui_line(ln)]
        if lines and (kind == "code" or key(_text(texts, blocks, i) if len(lines) == len(block)
                                            else text_of("\n".join(lines)))
                      or "![" in "".join(lines)
                      or not any(kinds[j] == "ui" for j in (i - 1, i + 1) if 0 <= j < len(kinds))):
            out.append("\n".join(lines))
    return "\n\n".join(out) + "\n" if out else ""


def _text(texts: list[str | None], blocks: list[list[str]], i: int) -> str:
    """text_of block I, computed once."""
    if texts[i] is None:
        texts[i] = text_of("\n".join(blocks[i]))
    return texts[i]


def _near_ui(kinds: list[str], i: int) -> bool:
    return any(kinds[j] in ("ui", "word") for j in (i - 1, i + 1) if 0 <= j < len(kinds))


def _header_residue(blocks: list[list[str]], i: int) -> bool:
    """A header block: the profile card (微信号 / 功能介绍, with the account name before it) or
    filler marks, before the article's first paragraph of prose."""
    block = blocks[i]
    text = key(text_of("\n".join(block)))
    if _mark_only(block):
        return True
    card = [j for j in range(max(0, i - 2), min(len(blocks), i + 3))
            if _CARD.fullmatch(key(text_of("\n".join(blocks[j])))) and
            key(text_of("\n".join(blocks[j]))).startswith(("微信号", "WeChatID"))]
    if not card:
        return False
    if _CARD.fullmatch(text):
        return True
    # The account's name (bold, maybe with its avatar) right above 微信号.
    raw = "\n".join(block).strip()
    return i + 1 in card and len(text) <= 30 and bool(re.fullmatch(r"(!\[[^\]]*\]\([^)]*\)\s*)*"
                                                                   r"\*\*[^*]+\*\*.*", raw))


def _tail_start(blocks: list[list[str]], kinds: list[str]) -> int:
    """Index of the block where the trailing UI begins, or len(blocks)."""
    for i, block in enumerate(blocks):
        if kinds[i] not in ("ui", "word") or not any(is_end(ln) for ln in block) and \
                not is_end("\n".join(block)):
            continue
        rest = [text_of("\n".join(b)) for b, k in zip(blocks[i + 1:], kinds[i + 1:]) if k == "text"]
        if not any(_is_prose(t) for t in rest):
            return i
    return len(blocks)
