"""The chrome catalog: UI lines and blocks of every era go, article sentences that use the
same words stay (generator.clean.chrome), whatever format the body came from."""

from __future__ import annotations

import pytest

from generator.clean import chrome

UI = [
    "预览时标签不可点",
    "继续滑动看下一个",
    "向上滑动看下一个",
    "轻触阅读原文",
    "微信扫一扫  \n关注该公众号",
    "微信扫一扫  \n使用小程序",
    "[知道了](javascript:;)",
    "[我知道了](javascript:;)",
    "[取消](javascript:void\\(0\\);) [允许](javascript:void\\(0\\);)",
    "： ， 。   视频 小程序 赞 ，轻点两下取消赞 在看 ，轻点两下取消在看",
    "收录于合集 #网络安全 166个",
    "收录于话题",
    "#渗透测试 53个",
    "**长按识别前往小程序**",
    "§扫描或长按二维码加关注：",
    "长按识别二维码关注我们",
    "喜欢此内容的人还喜欢",
    "写留言",
    "精选留言",
    "阅读 10万+",
    "受苹果公司新规定影响，微信 iOS 版的赞赏功能被关闭，可通过二维码转账支持公众号。",
    "Scan to Follow",
]

ARTICLE = [
    "欢迎朋友圈分享",
    "他没有藏私，努力去各地讲座，分享自己的经验。",
    "全文完。如果觉得好看，请顺手点个\"在看\"吧~",
    "（扫描二维码后可自由设置金额）",
    "知道了这些信息之后，就可以知道Git泄露攻击是如何进行的了。",
    "如英文不错的，`尽量阅读原文`。(点击原文跳转)",
    "## 功能介绍",
    "一看点赞，破百万。",
]


@pytest.mark.parametrize("text", UI)
def test_ui_strings_of_every_era_are_chrome(text):
    assert chrome.is_ui_text(chrome.text_of(text), alone_ok=True), text


@pytest.mark.parametrize("text", ARTICLE)
def test_sentences_using_ui_words_are_article_text(text):
    assert not chrome.is_ui_line(text), text
    body = f"第一段正文，讲的是一件事情，写得很长很长很长很长很长很长很长很长很长很长。\n\n{text}\n\n最后一段。\n"
    assert text in chrome.strip(body)


def test_a_lone_common_word_goes_only_among_ui():
    lone = "正文第一段，长到足以算作文章的正文内容，有句号结束，这里再多写几个字。\n\n分享\n\n正文第二段。\n"
    assert "分享" in chrome.strip(lone)
    among = "正文第一段，长到足以算作文章的正文内容，有句号结束，这里再多写几个字。\n\n分享\n\n写留言\n"
    assert chrome.strip(among) == "正文第一段，长到足以算作文章的正文内容，有句号结束，这里再多写几个字。\n"


def test_profile_card_and_fillers_in_the_header_go():
    md = ("**珂技知识分享** ![]()\n\n微信号 kezibei001\n\n功能介绍 分享自己的安全技术，拒绝转载，坚持原创。\n\n"
          "____\n\n___发表于_\n\n收录于合集\n\n在实战过程中，很多人只会使用工具，对反序列化的过程不太了解，"
          "因此依葫芦画瓢时如果失败了，一下子就不知道到底哪里出了问题。\n")
    assert chrome.strip(md) == md[md.index("在实战"):]


def test_trailing_ui_block_goes_but_prose_after_a_marker_stays():
    article = "这是文章的正文，有足够长的一段文字来说明这是一篇真正的文章，而不是页面的界面。\n\n"
    tail = ("预览时标签不可点\n\n微信扫一扫  \n关注该公众号\n\n[知道了](javascript:;)\n\n****\n\n"
            "[取消](javascript:void\\(0\\);) [允许](javascript:void\\(0\\);)\n\n  收藏\n")
    assert chrome.strip(article + tail) == article.rstrip("\n") + "\n"
    later = "继续滑动看下一个\n\n可是这之后还有作者自己写的一大段正文，说明这里并不是页面的结尾部分，必须保留下来。\n"
    out = chrome.strip(article + later)
    assert "可是这之后还有作者" in out and "继续滑动看下一个" not in out


def test_code_blocks_are_never_touched():
    md = "正文。\n\n```\n分享\n\n预览时标签不可点\n```\n"
    assert chrome.strip(md) == md
