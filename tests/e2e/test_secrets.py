"""Reader-session values (uin, key, pass_ticket, appmsg_token…) never reach content/ or the site.

Inputs: tests/fixtures/secrets/ (real specimens with distinctive values put in, see its README),
a 2025 exporter page derived here the same way, and a real profile page holding a real
appmsg_token. They go through `wenji import` and `wenji build`; then every file under the site
folder (content, built site, caches, the import report) is searched for every value, as UTF-8,
UTF-16 (search text), percent-encoded, and inside gzip files.
"""

from __future__ import annotations

import gzip
import html
import io
import shutil
from pathlib import Path
from urllib.parse import quote

from generator.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SECRETS = {
    "uin": "MzE0MTU5MjY1Mw==", "user_uin": "3141592653",
    "key": "7e3f1a0c9b8d4e6f2a5c7b9d1e3f5a7c9b1d3e5f7a9c1b3d5e7f9a1c3b5d7e9f",
    "pass_ticket": "Xq7Lp2Zr9Vt4Wm8Ks3Nd6Fh1Jg5Bc0YaQ",
    "appmsg_token": "1351_SeCrEtAppMsgToKeN9qWz~~",
    "wxtoken": "5150271828", "exportkey": "AZsEcReTeXpOrTkEy42xQ",
    "devicetype": "android-SECRETDEV29",
}
REAL_TOKEN = "1351_POqHaGSzm%2BiZUvj%2F6HX-2WlAp0Sj2wwrGrk9bw~~"
"""The appmsg_token in the script of the real profile page specimen."""
NEEDLES = {name: value.rstrip("=~") for name, value in SECRETS.items()} | {
    "real appmsg_token": "POqHaGSzm", "real appmsg_token (decoded)": "POqHaGSzm+iZUvj"}
PROFILE = "wechat-article__wechat-article-exporter__biz-MjM5ODMxNzE2NQ-5dc5bd67"
EXPORTER_2025 = "wechat-article__wechat-article-exporter__01-a5d00bb3.html.gz"


def session_query(amp: str = "&") -> str:
    return amp.join(f"{k}={SECRETS[k]}" for k in ("uin", "key", "pass_ticket", "appmsg_token",
                                                  "wxtoken", "exportkey", "devicetype"))


def exporter_page_with_session() -> str:
    """The 2025 exporter specimen with the values in its variables, URL and body text."""
    page = gzip.decompress((FIXTURES / "clean" / "wechat-html" / EXPORTER_2025).read_bytes()
                           ).decode("utf-8")
    swaps = {
        "window.uin = params['uin'] || \"\" || '';":
            f"window.uin = params['uin'] || \"{SECRETS['uin']}\" || '';",
        "window.key = params['key'] || \"\" || '';":
            f"window.key = params['key'] || \"{SECRETS['key']}\" || '';",
        "window.wxtoken = params['wxtoken'] || '';":
            f"window.wxtoken = params['wxtoken'] || '{SECRETS['wxtoken']}';",
        "window.pass_ticket = params['pass_ticket'] || '';":
            f"window.pass_ticket = params['pass_ticket'] || '{SECRETS['pass_ticket']}';",
        'window.appmsg_token = "" || "";':
            f'window.appmsg_token = "{SECRETS["appmsg_token"]}" || "";',
        "window.user_uin = ('0' || '') * 1;":
            f"window.user_uin = ('{SECRETS['user_uin']}' || '') * 1;",
        "https://mp.weixin.qq.com/s/JJyPUpHLM2bGvfk5FNvTUA":
            "https://mp.weixin.qq.com/s/JJyPUpHLM2bGvfk5FNvTUA?" + session_query(),
        "content_noencode: JsDecode('今年，": "content_noencode: JsDecode('会话链接 "
            "https://mp.weixin.qq.com/s?__biz=MzI2NDk5NzA0Mw==&mid=1&idx=1&" + session_query()
            + " 。今年，",
    }
    for old, new in swaps.items():
        assert old in page, old
        page = page.replace(old, new)
    return page


def leaks(folder: Path, needles: dict[str, str] = NEEDLES) -> dict[str, list[str]]:
    """Files under FOLDER holding any needle, in any of the encodings a site file may use."""
    found = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data += gzip.decompress(data)
        hits = [name for name, needle in needles.items()
                if any(form in data for form in (needle.encode(), needle.encode("utf-16-le"),
                                                 quote(needle, safe="").encode()))]
        if hits:
            found[path.relative_to(folder).as_posix()] = hits
    return found


def test_the_inputs_carry_the_values():
    for path in sorted((FIXTURES / "secrets").glob("*-with-session.*")):
        text = path.read_text("utf-8")
        for name in ("uin", "pass_ticket", "appmsg_token"):
            assert NEEDLES[name] in text, (path.name, name)
    page = exporter_page_with_session()
    missing = [name for name, needle in NEEDLES.items() if needle not in page]
    assert missing == ["real appmsg_token", "real appmsg_token (decoded)"]
    assert REAL_TOKEN in (FIXTURES / "clean" / "wechat-html" / f"{PROFILE}.html").read_text("utf-8")
    assert REAL_TOKEN in (FIXTURES / "clean" / "text" / f"{PROFILE}.txt").read_text("utf-8")


def test_no_session_value_survives_import_and_build(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(FIXTURES / "secrets", raw, ignore=shutil.ignore_patterns("nested"))
    (raw / "README.md").unlink()
    (raw / "exporter-2025-with-session.html").write_text(exporter_page_with_session(), "utf-8")
    shutil.copy(FIXTURES / "clean" / "wechat-html" / f"{PROFILE}.html", raw)
    shutil.copy(FIXTURES / "clean" / "text" / f"{PROFILE}.txt", raw)
    site = tmp_path / "site"
    site.mkdir()
    (site / "site.yml").write_text("title: 会话测试\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = main(["import", "--site", str(site), str(raw), "--report",
                 str(site / "import-report.json")], out, err)
    assert code == 0, err.getvalue()
    assert "8 imported" in out.getvalue() and "2 not articles" in out.getvalue()
    assert main(["build", "--site", str(site)], out, err) == 0, err.getvalue()
    assert len(list((site / "content").glob("*.md"))) == 8
    assert (site / "public" / "search").is_dir()
    assert leaks(site) == {}

    # what is not a session value stays: article ids, picture URLs, other sites' parameters
    content = "\n".join(p.read_text("utf-8") for p in (site / "content").glob("*.md"))
    assert "https://mp.weixin.qq.com/s?__biz=MzAwOTg2MTg5OA==&mid=503144501&idx=1" in content
    assert "https://example.com/read?ok=1" in content
    assert ("https://mmbiz.qpic.cn/mmbiz_jpg/D06ibj7IEUP7Mfl6ZgpGbWia0DzpylEmXQAuWHcnwUtfmRnib"
            "QVu96HibLjNGqfsSAibiaRY38icAvlVn2WyfE9tK21UA/0?wx_fmt=jpeg") in content
    assert "url: https://mp.weixin.qq.com/s/JJyPUpHLM2bGvfk5FNvTUA\n" in content


def test_the_search_is_done_in_every_encoding(tmp_path):
    """The leak search itself finds a value in UTF-8, UTF-16, percent-encoded and gzip form."""
    needle = NEEDLES["pass_ticket"]
    (tmp_path / "a.txt").write_text(f"x={needle}", "utf-8")
    (tmp_path / "b.bin").write_bytes(needle.encode("utf-16-le"))
    (tmp_path / "c.json.gz").write_bytes(gzip.compress(needle.encode()))
    decoded = NEEDLES["real appmsg_token (decoded)"]
    (tmp_path / "d.html").write_text(quote(decoded, safe=""), "utf-8")
    (tmp_path / "e.txt").write_text("nothing here", "utf-8")
    assert sorted(leaks(tmp_path)) == ["a.txt", "b.bin", "c.json.gz", "d.html"]


def test_pasted_urls_in_escaped_text_lose_their_session_values():
    """Regression: plain-text bodies are Markdown-escaped (pass\\_ticket) before the scrub ran."""
    from generator.session import scrub_text

    text = (r"见 https://mp.weixin.qq.com/s?\_\_biz=MzA==&mid=2&idx=1&pass\_ticket=PT1"
            r"&appmsg\_token=1351\_TOK~~&wxtoken=515&uin=MzE 和 "
            r"https://example.com/a?pass\_ticket=X&k=1")
    assert scrub_text(text) == (r"见 https://mp.weixin.qq.com/s?\_\_biz=MzA==&mid=2&idx=1 和 "
                                r"https://example.com/a?k=1")


# --- nested and encoded (issue 11: 42 values from 4 inputs survived percent-encoding) ---------

NESTED_NAMES = ("pass_ticket", "uin", "appmsg_token", "key", "exportkey", "wxtoken", "devicetype")
NESTED = {f"{tag} {name}": f"{tag}{name.replace('_', '').title()}Q{len(name)}Z"
          for tag in ("Mkd", "Jsl", "Txt", "Wxp", "Hnd") for name in NESTED_NAMES}
"""The values in tests/fixtures/secrets/nested/ (Mkd, Jsl, Txt), the WeChat page derived below
(Wxp) and the hand-written article (Hnd); e.g. `MkdPassticketQ11Z`."""
WX_QUERY = "__biz=MzAwOTg2MTg5OA==&mid=50314460{n}&idx=1"


def wx(tag: str, n: int, amp: str = "&") -> str:
    values = [f"{name}={NESTED[f'{tag} {name}']}" for name in NESTED_NAMES]
    return "https://mp.weixin.qq.com/s?" + amp.join([WX_QUERY.format(n=n), *values])


def nested_wechat_page() -> str:
    """A real saved WeChat page with nested, encoded session URLs in its body and og:url."""
    page = (FIXTURES / "clean" / "wechat-html" / "iq9891__laopo__no1-35ef7421.html").read_text(
        "utf-8")
    e, q = html.escape, lambda u: quote(u, safe="")
    links = (f'<p>跳转：<a href="https://link.example.cn/jump?url={q(e(wx("Wxp", 1)))}&amp;n=1">一层'
             f'</a>，<a href="https://link.example.cn/jump?u={q(q(wx("Wxp", 2)))}&#38;x=1">两层</a>，'
             f'<a href="https://t.example.cn/r?redirect_uri='
             f'{q("https://link.example.cn/jump?target=" + q(q(wx("Wxp", 3))))}&#x26;y=2">三层</a>，'
             f'<img src="https://mmbiz.qpic.cn/mmbiz_jpg/D06ibj/640?wx_fmt=jpeg&amp;'
             f'{"&amp;".join(wx("Wxp", 4).split("&")[3:])}">，贴出的 '
             f'{e(wx("Wxp", 5, amp="%26amp%3B"))} 结束。</p>')
    marker = 'id="js_content">'
    assert page.count(marker) == 1
    page = page.replace(marker, marker + links)
    og = f'<meta property="og:url" content="{e(wx("Wxp", 6))}">'
    return page.replace("</head>", og + "</head>", 1)


HAND_WRITTEN = f"""---
title: 手写的旧文章
date: 2022-01-02
url: https://link.example.cn/jump?url={quote(wx("Hnd", 7), safe="")}
source: "{wx("Hnd", 8, amp="&amp;")}"
original: https://t.example.cn/r?u={quote(quote(wx("Hnd", 9), safe=""), safe="")}
---

手写或旧版 Wenji 导入的文章，[链接]({wx("Hnd", 1, amp="&#38;")})，正文足够长，不应带出会话参数。
"""


def test_nested_and_encoded_session_values_never_reach_the_site(tmp_path):
    """Four inputs in four formats (Markdown, JSON Lines, text dump, saved WeChat page) and a
    hand-written article in content/ carry the values in URLs nested one to three levels deep,
    written with &amp;, &#38;, &#x26;, \\x26, \\u0026 and %26amp%3B: none reaches content/, a
    page, a feed, the search data or the report; the rest of each URL stays."""
    raw = tmp_path / "raw"
    shutil.copytree(FIXTURES / "secrets" / "nested", raw)
    (raw / "wechat-page.html").write_text(nested_wechat_page(), "utf-8")
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "site.yml").write_text("title: 嵌套会话测试\n", encoding="utf-8")
    (site / "content" / "hand-written.md").write_text(HAND_WRITTEN, "utf-8")
    for tag in ("Mkd", "Jsl", "Txt", "Wxp", "Hnd"):  # every value is in the inputs
        inputs = "".join(p.read_text("utf-8") for p in raw.iterdir()) + HAND_WRITTEN
        assert all(NESTED[f"{tag} {n}"] in inputs for n in NESTED_NAMES), tag
    out, err = io.StringIO(), io.StringIO()
    assert main(["import", "--site", str(site), str(raw), "--report",
                 str(site / "import-report.json")], out, err) == 0, err.getvalue()
    assert out.getvalue().strip() == "4 imported"
    assert main(["build", "--site", str(site)], out, err) == 0, err.getvalue()
    assert len(list((site / "public").rglob("index.html"))) > 5
    assert (site / "public" / "feed.xml").is_file() and (site / "public" / "search").is_dir()
    hand = sorted(k for k in NESTED if k.startswith("Hnd"))
    assert {k: sorted(v) for k, v in leaks(site, NESTED).items()} == {
        "content/hand-written.md": hand}  # only the user's own file, left as it is

    content = "\n".join(p.read_text("utf-8") for p in (site / "content").glob("*.md"))
    assert ("https://link.example.cn/jump?url=https%3A%2F%2Fmp.weixin.qq.com%2Fs%3F__biz%3D"
            "MzAwOTg2MTg5OA%3D%3D%26mid%3D503144621%26idx%3D1%26sn%3D9db145171fd8690bf38f546a4310495a"
            in content)  # the JSON Lines record's url: the nested article id stays
    [page] = (site / "public").rglob("hand-written/index.html")
    assert 'href="https://mp.weixin.qq.com/s?__biz=MzAwOTg2MTg5OA==&amp;mid=503144601&amp;idx=1"' \
        in page.read_text("utf-8")
