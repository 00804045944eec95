"""Remove a reader's WeChat session values (uin, key, pass_ticket, appmsg_token…) from text."""

from __future__ import annotations

import re

SESSION_PARAMS = ("uin", "key", "pass_ticket", "appmsg_token", "devicetype", "exportkey",
                  "wx_header", "sessionid", "clicktime", "enterid", "acctmode", "ascene",
                  "lang", "nettype", "version", "abtest_cookie", "cookie", "x5", "fontgear")
_PARAM = re.compile(r"([?&]|&amp;)(" + "|".join(SESSION_PARAMS) + r")=[^&#\s)\"'<>]*", re.I)


def scrub_url(url: str | None) -> str | None:
    """URL without reader-session query parameters."""
    if not url:
        return url
    cleaned = _PARAM.sub(lambda m: m.group(1), url)
    cleaned = re.sub(r"(&amp;|&)(?=&|#|$)", "", cleaned)
    cleaned = re.sub(r"\?(&amp;|&)+", "?", cleaned)
    cleaned = re.sub(r"\?(#|$)", r"\1", cleaned)
    return cleaned


def scrub_text(text: str) -> str:
    """Text with every URL's session query parameters removed."""
    return re.sub(r"https?://[^\s)\"'<>\]]+", lambda m: scrub_url(m.group(0)) or "", text)
