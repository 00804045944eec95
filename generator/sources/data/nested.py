"""Articles nested in API responses and pipeline dumps → flat records with their context.

A record of a JSON dump is not always an article: WeChat's getmsg list wraps each post in
`{"comm_msg_info": {datetime…}, "app_msg_ext_info": {title, digest, content_url…,
"multi_app_msg_item_list": [secondary posts]}}`, the mp backend answers `{"app_msg_list": […]}`
or a JSON string in `general_msg_list`, and feed pipelines nest `{"accounts": [{"name": X,
"articles": […]}]}`. `unfold` walks any such value and returns every object that looks like an
article (a title and a body or a link), each with what its surroundings say about all of them:
the account (an enclosing object's name/nickname) and the date (a sibling's datetime).
"""

from __future__ import annotations

import json
from typing import Any

from generator.sources.data import fields

_TITLE = set(fields.TITLE)
_CONTENT = {*fields.HTML_BODY, *fields.MD_BODY, *fields.BODY, *fields.URL}
_INHERITED = {*fields.ACCOUNT, *fields.ACCOUNT_ID, "datetime", "create_time", "date", "pubdate",
              "pub_date", "publish_time", "author"}
_DEPTH = 8


def looks_like_article(value: object) -> bool:
    """A JSON object with a title and something of an article's: a body or a link."""
    if not isinstance(value, dict):
        return False
    keys = {str(k).strip().lower() for k, v in value.items() if v not in (None, "", [])}
    return bool(keys & _TITLE) and bool(keys & _CONTENT)


def unfold(value: Any) -> list[dict[str, Any]]:
    """The article objects in VALUE, each completed with the fields it inherits (context keys
    the object does not have itself). VALUE itself when it is an article or holds none."""
    found: list[dict[str, Any]] = []
    _walk(value, {}, found, 0)
    return found or [value]


def _walk(value: Any, context: dict[str, Any], found: list[dict[str, Any]], depth: int) -> None:
    if depth > _DEPTH:
        return
    if isinstance(value, str) and value.lstrip().startswith(("{", "[")):
        try:
            value = json.loads(value)  # a response that carries its list as a JSON string
        except ValueError:
            return
    if isinstance(value, list):
        for item in value:
            _walk(item, context, found, depth + 1)
        return
    if not isinstance(value, dict):
        return
    if looks_like_article(value):
        own = {str(k).strip().lower() for k in value}
        found.append({**{k: v for k, v in context.items() if k not in own}, **value})
        context = {k: v for k, v in context.items() if k not in own}  # secondary posts
    else:
        context = {**context, **_scalars(value)}
        for child in value.values():  # a sibling's metadata (comm_msg_info's datetime)
            if isinstance(child, dict) and not _holds_articles(child):
                context = {**context, **_scalars(child)}
    for child in value.values():
        if isinstance(child, (dict, list)) or isinstance(child, str) and child[:1] in "{[":
            _walk(child, context, found, depth + 1)


def _scalars(value: dict[str, Any]) -> dict[str, Any]:
    return {str(k).strip().lower(): v for k, v in value.items()
            if str(k).strip().lower() in _INHERITED and isinstance(v, (str, int, float))
            and v not in ("", None)}


def _holds_articles(value: dict[str, Any]) -> bool:
    return looks_like_article(value) or any(
        isinstance(v, (dict, list)) or isinstance(v, str) and v[:1] in "{[" for v in value.values())
