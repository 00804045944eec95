"""The session-value scrubbing rule (generator.session): a table of the forms met, and a
property test — any nesting depth and encoding chain of a URL with session values → no value
survives anywhere in the output, and every other parameter is kept."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import quote, unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.clean.normalize import escape_text
from generator.session import CREDENTIALS, TENCENT_ONLY, scrub_text, scrub_url

WX = "https://mp.weixin.qq.com/s?__biz=MzA5&mid=1&idx=2"
INNER = WX + "&pass_ticket=PT%2B1&uin=MzE0&key=K3y&lang=zh_CN"


@pytest.mark.parametrize("text, expected", [
    # plain query strings, every position
    (WX + "&pass_ticket=PT&uin=MzE%3D#rd", WX + "#rd"),
    ("https://mp.weixin.qq.com/s?uin=U&__biz=B&key=K", "https://mp.weixin.qq.com/s?__biz=B"),
    ("https://mp.weixin.qq.com/s?uin=U", "https://mp.weixin.qq.com/s"),
    ("https://mp.weixin.qq.com/s?uin=&mid=1", "https://mp.weixin.qq.com/s?uin=&mid=1"),  # empty
    # credentials go on every host; the host-specific names only on Tencent's
    ("https://example.com/a?id=3&lang=en&key=k&uin=9&sharer_shareid=1&version=2",
     "https://example.com/a?id=3&lang=en&key=k&version=2"),
    ("https://mmbiz.qpic.cn/a/640?wx_fmt=png&from=appmsg&devicetype=iOS&lang=en",
     "https://mmbiz.qpic.cn/a/640?wx_fmt=png&from=appmsg"),
    ("https://mp.weixin.qq.com/mp/profile_ext?action=home&__biz=M=&scene=124&sharer_username=b"
     "#wechat_redirect", "https://mp.weixin.qq.com/mp/profile_ext?action=home&__biz=M=#wechat_redirect"),
    # HTML entities, JS and JSON escapes
    (html.escape(INNER), html.escape(WX)),
    (INNER.replace("&", "&#38;"), WX.replace("&", "&#38;")),
    (INNER.replace("&", "&#x26;"), WX.replace("&", "&#x26;")),
    (INNER.replace("&", "&amp;amp;"), WX.replace("&", "&amp;amp;")),
    (INNER.replace("&", "\\x26"), WX.replace("&", "\\x26")),
    (json.dumps(INNER).replace("&", "\\u0026").replace("/", "\\/"),
     json.dumps(WX).replace("&", "\\u0026").replace("/", "\\/")),
    # nested: percent-encoded once, twice, three times; an HTML-escaped URL percent-encoded
    ("https://example.com/r?url=" + quote(INNER, safe="") + "&lang=en&key=k",
     "https://example.com/r?url=" + quote(WX, safe="") + "&lang=en&key=k"),
    ("https://e.com/r?target=" + quote(quote(INNER, safe=""), safe="") + "&x=1",
     "https://e.com/r?target=" + quote(quote(WX, safe=""), safe="") + "&x=1"),
    ("https://e.com/r?u=" + quote("https://t.cn/?u=" + quote(quote(INNER, safe=""), safe=""),
                                  safe=""),
     "https://e.com/r?u=" + quote("https://t.cn/?u=" + quote(quote(WX, safe=""), safe=""),
                                  safe="")),
    ("https://e.com/r?redirect_uri=" + quote(html.escape(INNER), safe="") + "&amp;uin=U&amp;a=1",
     "https://e.com/r?redirect_uri=" + quote(html.escape(WX), safe="") + "&amp;a=1"),
    # a nested URL whose only parameter is a credential: its `?` goes, the outer `&` stays
    ("https://e.com/r?u=" + quote("https://e.org/?uin=U", safe="") + "&a=1",
     "https://e.com/r?u=" + quote("https://e.org/", safe="") + "&a=1"),
    # an encoded `&` inside a value at its own level goes with the value
    ("https://e.com/?pass_ticket=AB%26CD&a=1", "https://e.com/?a=1"),
    # Markdown: escaped names, links, pasted URLs in prose, several URLs in one text
    (r"见 https://mp.weixin.qq.com/s?\_\_biz=MzA==&mid=2&pass\_ticket=PT1&appmsg\_token=1351"
     r"\_TOK~~ 和 https://example.com/a?pass\_ticket=X&k=1。",
     r"见 https://mp.weixin.qq.com/s?\_\_biz=MzA==&mid=2 和 https://example.com/a?k=1。"),
    ("[链接](https://mp.weixin.qq.com/s?uin=U&key=K2)，![](https://mmbiz.qpic.cn/x?uin=U)",
     "[链接](https://mp.weixin.qq.com/s)，![](https://mmbiz.qpic.cn/x)"),
    ("https://mp.weixin.qq.com/s?uin=U正文", "https://mp.weixin.qq.com/s正文"),
    # bare query strings and case
    ("uin=SEC&key=KEEP", "key=KEEP"),
    ("https://mp.weixin.qq.com/s?Pass_Ticket=SEC", "https://mp.weixin.qq.com/s"),
    # what is not a parameter stays
    ("monkey=1&donkey=2 turnkey=3 keyword=4 a_uin=5", "monkey=1&donkey=2 turnkey=3 keyword=4 a_uin=5"),
    ("window.uin = '' ; var key = 1;", "window.uin = '' ; var key = 1;"),
    ("data:image/png;base64,QUJDuin=", "data:image/png;base64,QUJDuin="),
    ("", ""),
])
def test_table(text, expected):
    assert scrub_text(text) == expected


def test_scrub_url_keeps_none():
    assert scrub_url(None) is None and scrub_url("") == ""


# --- property: any nesting depth and encoding chain ------------------------------------------

SECRET = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=6, max_size=14)
"""Session values are upper case; nothing else in the generated text is (see `decoded`)."""
KEEP = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=4, max_size=8).map(
    lambda s: "keep" + s)
HOSTS = ["mp.weixin.qq.com", "mmbiz.qpic.cn", "example.com", "news.example.org"]
AMPS = ["&", "&amp;", "&#38;", "&#x26;", "\\x26", "\\u0026"]
NESTINGS = {  # how a child URL is written as a parameter value
    "percent": lambda u: quote(u, safe=""),
    "percent twice": lambda u: quote(quote(u, safe=""), safe=""),
    "percent three times": lambda u: quote(quote(quote(u, safe=""), safe=""), safe=""),
    "html then percent": lambda u: quote(html.escape(u), safe=""),
    "raw": lambda u: u,
}
WRAPS = {  # how the whole URL stands in a text
    "bare": lambda u: u,
    "html attribute": lambda u: f'<a href="{html.escape(u)}">x</a>',
    "json string": lambda u: json.dumps({"url": u}).replace("&", "\\u0026").replace("/", "\\/"),
    "markdown link": lambda u: f"[链接]({u})，后文",
    "escaped markdown text": lambda u: "正文 " + escape_text(u) + " 结束",
}


@st.composite
def session_url(draw, depth: int) -> tuple[str, list[str], list[str]]:
    """(url, session values in it, other values in it) with DEPTH nested URLs inside."""
    host = draw(st.sampled_from(HOSTS))
    tencent = host.endswith(("qq.com", "qpic.cn"))
    secret_names = draw(st.lists(st.sampled_from(sorted(CREDENTIALS)), min_size=1, max_size=3,
                                 unique=True))
    if tencent:
        secret_names += draw(st.lists(st.sampled_from(sorted(TENCENT_ONLY)), max_size=3,
                                      unique=True))
    params, secrets, keeps = [], [], []
    for name in secret_names:
        value = draw(SECRET)
        secrets.append(value)
        params.append((name, value))
    kept_names = ["mid"] + ([] if tencent else draw(st.lists(st.sampled_from(
        ["key", "lang", "version", "scene"]), max_size=2, unique=True)))
    for name in kept_names:
        value = draw(KEEP)
        keeps.append(value)
        params.append((name, value))
    params = draw(st.permutations(params))
    if depth:
        child, child_secrets, child_keeps = draw(session_url(depth - 1))
        nest = draw(st.sampled_from(sorted(NESTINGS)))
        at = len(params) if nest == "raw" else draw(st.integers(0, len(params)))  # raw: last
        params.insert(at, (draw(st.sampled_from(["url", "target", "redirect_uri"])),
                           NESTINGS[nest](child)))
        secrets, keeps = secrets + child_secrets, keeps + child_keeps
    amp = draw(st.sampled_from(AMPS))
    return f"https://{host}/s?" + amp.join(f"{k}={v}" for k, v in params), secrets, keeps


def decoded(text: str) -> str:
    """TEXT with every encoding the generator uses undone, until nothing changes."""
    while True:
        before = text
        text = html.unescape(text)
        text = re.sub(r"\\+(?:u00|x)([0-9a-fA-F]{2})", lambda m: chr(int(m.group(1), 16)), text)
        text = unquote(text).replace("\\", "")
        if text == before:
            return text


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 3).flatmap(session_url), st.sampled_from(sorted(WRAPS)))
def test_no_session_value_survives_any_nesting_or_encoding(generated, wrap):
    url, secrets, keeps = generated
    text = WRAPS[wrap](url)
    assert all(s in decoded(text) for s in secrets)  # the generator put them there
    out = decoded(scrub_text(text))
    assert not re.search(r"[A-Z]", out), (text, out)  # no session value, not even a part
    assert all(k in out for k in keeps), (text, out)
