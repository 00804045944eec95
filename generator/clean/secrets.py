"""Remove a reader's WeChat session values (uin, key, pass_ticket, appmsg_token…) from text."""

from __future__ import annotations

import re

# Secret anywhere: a reader's identity and credentials.
SECRET_PARAMS = ("uin", "pass_ticket", "appmsg_token", "exportkey", "wx_header", "sessionid",
                 "abtest_cookie", "cookie", "wxtoken")
# Session noise that only WeChat/Tencent URLs carry (other sites may use these names honestly).
SESSION_PARAMS = SECRET_PARAMS + ("key", "devicetype", "clicktime", "enterid", "acctmode",
                                  "ascene", "lang", "nettype", "version", "x5", "fontgear")


def _names(names: tuple[str, ...]) -> str:
    """Alternation of NAMES, also as escaped Markdown text writes them (`pass\\_ticket`)."""
    return "|".join(name.replace("_", r"\\?_") for name in names)


_SECRET = re.compile(r"([?&]|&amp;)(" + _names(SECRET_PARAMS) + r")=[^&#\s)\"'<>]*", re.I)
_PARAM = re.compile(r"([?&]|&amp;)(" + _names(SESSION_PARAMS) + r")=[^&#\s)\"'<>]*", re.I)
_TENCENT = re.compile(r"^(?:https?:)?//[^/?#]*(?:weixin\.qq\.com|qq\.com|qpic\.cn|wx\.qq\.com)"
                      r"(?:[/?#:]|$)", re.I)


def scrub_url(url: str | None) -> str | None:
    """URL without reader-session query parameters."""
    if not url:
        return url
    pattern = _PARAM if _TENCENT.match(url) else _SECRET
    cleaned = pattern.sub(lambda m: m.group(1), url)
    cleaned = re.sub(r"(&amp;|&)(?=&|#|$)", "", cleaned)
    cleaned = re.sub(r"\?(&amp;|&)+", "?", cleaned)
    cleaned = re.sub(r"\?(#|$)", r"\1", cleaned)
    return cleaned


def scrub_text(text: str) -> str:
    """Text with every URL's session query parameters removed."""
    return re.sub(r"https?://[^\s)\"'<>\]]+", lambda m: scrub_url(m.group(0)) or "", text)
