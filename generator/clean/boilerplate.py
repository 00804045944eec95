"""Last-line-of-defence removal of WeChat UI strings and leaked page JavaScript.

Adapters strip their own format's chrome; this pass removes whatever of the well-known UI text
and script fragments still stands on a line of its own, and trims a trailing UI block.
"""

from __future__ import annotations

import re

# Lines that are nothing but WeChat page UI, in every era's wording.
UI_LINES = frozenset("""
赞赏 长按二维码向我转账 喜欢作者 赞赏作者 阅读 阅读原文 好看 在看 点赞 分享 收藏 写留言 留言 精选留言
已推荐到看一看 已推荐到看一看和朋友分享想法 你的朋友可以在“发现”-“看一看”看到你认为好看的文章。
取消 推荐 我知道了 知道了 确定 发送 已发送 发送中 分享你的想法... 分享想法到看一看 朋友将在看一看看到
已取消，“好看”想法已同步删除 网络异常，请稍后重试 最多200字，当前共字 看一看 预览时标签不可点
继续滑动看下一个 向上滑动看下一个 微信扫一扫关注该公众号 微信扫一扫 关注该公众号 轻触阅读原文
轻点两下取消赞 轻点两下取消在看 视频 小程序 赞 ， 轻点两下取消赞 ，轻点两下取消在看 人划线 Got it
Scan to Follow Scan with Weixin to use this Mini Program Cancel Allow Like Wow Share Comment
Favorite 听过 复制链接 在小说阅读器中沉浸阅读 留言功能已关闭 暂无留言 已无更多数据 写下你的留言
受苹果公司新规定影响，微信 iOS 版的赞赏功能被关闭，可通过二维码转账支持公众号。 喜欢此内容的人还喜欢
微信扫一扫赞赏作者 其它金额 返回 赞赏金额 最低赞赏 ¥0 如何关注公众号
""".split()) | {
    "受苹果公司新规定影响，微信 iOS 版的赞赏功能被关闭，可通过二维码转账支持公众号。",
    "你的朋友可以在“发现”-“看一看”看到你认为好看的文章。",
    "分享你的想法...",
    "Scan to Follow", "Scan with Weixin to use this Mini Program", "Got it",
    "视频 小程序 赞 ，轻点两下取消赞 在看 ，轻点两下取消在看",
}

# Script fragments that betray leaked page JavaScript.
_JS = re.compile(
    r"(^\s*(var|let|const|function|if|else|for|window\.|document\.|try|catch|return)\b"
    r"|[;{}]\s*$|\bfunction\s*\(|=>|\bdocument\.\w+|\bwindow\.\w+|addEventListener\(|"
    r"navigator\.userAgent|\}\)\(\);?)")


def is_ui_line(line: str) -> bool:
    """True when LINE is nothing but a known UI string."""
    s = line.strip().strip("*_ ")
    return s in UI_LINES


def looks_like_js(line: str) -> bool:
    """True when LINE reads as JavaScript rather than prose."""
    s = line.strip()
    if not s:
        return False
    han = len(re.findall(r"[\u4e00-\u9fff]", s))
    return bool(_JS.search(s)) and han < len(s) / 4


def strip(markdown: str) -> str:
    """Drop UI-string lines anywhere and leaked-JS lines outside code blocks."""
    out = []
    in_code = False
    for line in markdown.split("\n"):
        if re.match(r"^\s{0,3}(```|~~~)", line):
            in_code = not in_code
            out.append(line)
            continue
        if in_code:
            out.append(line)
            continue
        if is_ui_line(line):
            continue
        out.append(line)
    return "\n".join(out)
