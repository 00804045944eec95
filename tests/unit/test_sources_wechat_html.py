"""Format "wechat-html" on every real specimen: metadata, not-articles, clean bodies, goldens."""

import datetime as dt
import gzip
import re
from pathlib import Path

import pytest

from generator import sources
from generator.clean import chrome
from generator.clean.html_to_md import convert
from generator.config import load_config
from generator.errors import InputError
from generator.ingest import convert as ingest_convert
from generator.sources.wechat import adapter as wechat_html, js as wechat_js
from tests.golden import check_text

FIXTURES = Path(__file__).parent.parent / "fixtures" / "clean" / "wechat-html"
LAOPO = {
    "no1-35ef7421": "自然拼读法课程00 - 字母的发音", "no2-80d4ad34": "自然拼读法课程00 - 认识字母",
    "no3-5c7692a9": "自然拼读法免费课程01 - a的短音", "no4-616af458": "自然拼读法学习资料-a的短音小故事",
    "no5-011be5e7": "自然拼读法免费课程02 - e的短音", "no6-c64d106f": "自然拼读法学习资料-e的短音小故事",
    "no7-f92bfb86": "自然拼读法免费课程03 - 元音i的短音", "no8-3f73c363": "自然拼读法学习资料-i的短音小故事",
    "no9-4ee8ec21": "自然拼读法免费课程04 - o的短音", "no10-f7bfa026": "自然拼读法学习资料-o的短音小故事",
}
EX = "wechat-article__wechat-article-exporter__"
# file → (title, account, account_id, day) as the corpus notes and the pages say.
EXPECTED = {
    **{f"iq9891__laopo__{k}.html": (v, "安格努努", "drmammy", dt.date(2017, 1, 18))
       for k, v in LAOPO.items()},
    f"{EX}01-a257c3ef.html.gz": ("AI编程害死我了，给我的抓包软件埋了一个大雷！", "轩辕的编程宇宙",
                                  "xuanyuancoding", dt.date(2025, 11, 10)),
    f"{EX}01-ac58b705.html.gz": ("AI编程带给程序员的危与机", "轩辕的编程宇宙", "xuanyuancoding",
                                  dt.date(2025, 10, 7)),
    f"{EX}01-a5d00bb3.html.gz": ("新能源车均价创6年新低，价格战「寒气」侵蚀供应链", "36氪", "wow36kr",
                                  dt.date(2025, 11, 5)),
}
NOT_ARTICLES = {
    f"{EX}02-10e8605e.html": "deleted page",
    f"{EX}01-34704057.html": "removed for violation",
    f"{EX}01-e3f180b4.html": "content unavailable",
    f"{EX}biz-MjM5ODMxNzE2NQ-5dc5bd67.html": "account profile page",
}
GOLDEN = ["iq9891__laopo__no1-35ef7421.html", "iq9891__laopo__no10-f7bfa026.html",
          f"{EX}01-a257c3ef.html.gz", f"{EX}01-ac58b705.html.gz", f"{EX}01-a5d00bb3.html.gz"]
JS_FRAGMENTS = re.compile(r"\bfunction\s*\(|\bvar\s+\w+\s*=|\bwindow\.\w|\bdocument\.\w|=>|"
                          r"addEventListener|\}\)\(\)|<script|javascript:|\bon\w+\s*=|data:")
UI_STRINGS = ("轻点两下取消赞", "轻点两下取消在看", "微信扫一扫", "预览时标签不可点", "继续滑动看下一个",
              "轻触阅读原文", "关注该公众号", "Scan to Follow", "写留言", "分享你的想法")


def load(name: str) -> bytes:
    data = (FIXTURES / name).read_bytes()
    return gzip.decompress(data) if name.endswith(".gz") else data


def read_one(name: str):
    [raw] = list(wechat_html.read(Path(name.removesuffix(".gz")), load(name)))
    return raw


def test_every_specimen_is_covered():
    names = {p.name for p in FIXTURES.glob("*.htm*")}
    assert names == set(EXPECTED) | set(NOT_ARTICLES)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_metadata_matches_the_page(name):
    raw = read_one(name)
    title, account, account_id, day = EXPECTED[name]
    assert raw.not_article is None
    assert (raw.title, raw.account, raw.account_id) == (title, account, account_id)
    got = raw.date.astimezone(dt.timezone(dt.timedelta(hours=8))).date() \
        if isinstance(raw.date, dt.datetime) else raw.date
    assert got == day
    assert raw.url.startswith("https://mp.weixin.qq.com/s")
    assert not re.search(r"[?&](uin|key|pass_ticket|scene|srcid|chksm|mpshare)=", raw.url)
    assert raw.identity and raw.identity.startswith("wx:")
    assert raw.html and raw.text is None and raw.markdown is None


def test_raw_pages_have_timestamps_in_china_time():
    raw = read_one(f"{EX}01-a257c3ef.html.gz")
    assert raw.date == dt.datetime(2025, 11, 10, 12, 0, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert raw.author == "轩辕之风" and raw.tags == ["AI技术与AI编程"]
    assert raw.url == "https://mp.weixin.qq.com/s/KDWh_qGpFN5Vu1TR9t30Mw"
    assert raw.cover.startswith("https://mmbiz.qpic.cn/")


def test_browser_saved_page_reads_header_and_profile_card():
    raw = read_one("iq9891__laopo__no1-35ef7421.html")
    assert raw.author == "小王老师"
    assert raw.url == ("https://mp.weixin.qq.com/s?__biz=MzAwOTg2MTg5OA==&mid=503144422&idx=1"
                       "&sn=165f5fb28b61c7b9f818b50680e26f3c")
    assert raw.identity == "wx:MzAwOTg2MTg5OA==:503144422:1"


def test_share_posts_take_body_from_cgi_data():
    text = read_one(f"{EX}01-ac58b705.html.gz")
    md = convert(text.html)
    assert md.startswith("这两年经常听到AI编程要取代程序员的论调")
    assert md.rstrip().endswith("欢迎留言，我会逐一回答。")
    assert text.summary is None  # its digest is the whole text
    image = read_one(f"{EX}01-a5d00bb3.html.gz")
    md = convert(image.html)
    assert md.count("![](https://mmbiz.qpic.cn/") == 4
    assert "【作者丨徐蔡钰】" in md and image.tags == ["36氪透视图"]


@pytest.mark.parametrize("name", sorted(NOT_ARTICLES))
def test_error_and_profile_pages_are_not_articles(name):
    raw = read_one(name)
    assert raw.not_article == NOT_ARTICLES[name]
    assert raw.html is None


def test_violation_page_still_names_its_account():
    raw = read_one(f"{EX}01-34704057.html")
    assert (raw.account, raw.account_id) == ("神光的编程秘籍", "gh_7aed10cde089")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bodies_hold_no_ui_strings_js_or_raw_html(name):
    raw = read_one(name)
    body = convert(raw.html, base_url=raw.url)
    assert len(body) > 200
    for line in body.split("\n"):
        assert not chrome.is_ui_line(line), line
    assert not any(s in body for s in UI_STRINGS)
    assert not JS_FRAGMENTS.search(body), JS_FRAGMENTS.search(body)
    assert not re.search(r"(?<!\\)<[A-Za-z/!]", body)
    for url in re.findall(r"!\[[^\]]*\]\(([^)]*)\)", body):
        assert url.startswith(("http://mmbiz.qpic.cn/", "https://mmbiz.qpic.cn/")), url


@pytest.mark.parametrize("name", GOLDEN)
def test_golden(name, tmp_path):
    (tmp_path / "site.yml").write_text("title: t\n", encoding="utf-8")
    cfg = load_config(tmp_path)
    [item] = ingest_convert(Path(name.removesuffix(".gz")), load(name), None, cfg)
    stem = name.removesuffix(".gz").removesuffix(".html")
    check_text(item.text, FIXTURES / f"{stem}.out.md")


@pytest.mark.parametrize("name", sorted(set(EXPECTED) | set(NOT_ARTICLES)))
def test_sniffed_as_wechat_html(name):
    assert sources.detect(Path(name.removesuffix(".gz")), load(name)) == "wechat-html"


def test_sniff_refuses_other_formats():
    page = load("iq9891__laopo__no1-35ef7421.html")
    assert not wechat_html.sniff(Path("a.md"), b"[x](https://mp.weixin.qq.com/s/abc)\n")
    assert not wechat_html.sniff(Path("a.txt"), page)
    assert not wechat_html.sniff(Path("a.html"), b"<html><body><p>Hello</p></body></html>")
    assert wechat_html.sniff(Path("stdin"), page)


def test_truncated_and_empty_pages_fail_with_a_clear_message():
    page = load("iq9891__laopo__no1-35ef7421.html")
    with pytest.raises(InputError, match="truncated"):
        list(wechat_html.read(Path("t.html"), page[:3000]))
    with pytest.raises(InputError, match="empty"):
        list(wechat_html.read(Path("e.html"), b"  \n"))
    hollow = b'<html><body><div id="js_content"> </div><script>var msg_title = "x";</script></body></html>'
    with pytest.raises(InputError, match="no article content"):
        list(wechat_html.read(Path("h.html"), hollow))


RAW_2019 = """<!DOCTYPE html><html><head><meta property="og:title" content="og title">
<script>var uin = "MTIzNDU2Nzg5"; var key = "777secretkey"; var pass_ticket = "PTsecret";
var appmsg_token = "1234_tokensecret";
var msg_title = "A \\x26amp; B".html(false); var nickname = htmlDecode("测试号&amp;");
var ct = "1546300800"; var user_name = "gh_0123456789ab";
var msg_link = "http://mp.weixin.qq.com/s?__biz=MzA5&amp;mid=100&amp;idx=2&amp;sn=abc&amp;chksm=1&amp;scene=21&amp;uin=MTIzNDU2Nzg5&amp;key=777secretkey&amp;pass_ticket=PTsecret#rd";
var msg_source_url = 'https://example.com/read-more';
</script></head><body>
<div id="meta_content"><span class="rich_media_meta rich_media_meta_text">作者甲</span></div>
<div id="js_content"><p>正文第一段。<img data-src="https://mmbiz.qpic.cn/a/640?wx_fmt=png&amp;tp=webp&amp;wxfrom=5&amp;wx_lazy=1&amp;from;=appmsg" src="data:image/gif;base64,R0lG"></p>
<p onclick="steal()">第二段<a href="javascript:alert(1)">坏链接</a></p>
<p>来源：绍兴组工</p><p><br></p></div>
<div id="js_tags"><a class="article-tag__item">#红队评估</a></div>
<p>收录于合集 #红队评估 #内网渗透</p>
</body></html>"""


def test_session_values_never_reach_any_field_and_credit_becomes_source():
    [raw] = wechat_html.read(Path("raw.html"), RAW_2019.encode("utf-8"))
    assert raw.title == "A & B" and raw.account == "测试号&" and raw.account_id == "gh_0123456789ab"
    assert raw.date == dt.datetime(2019, 1, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert raw.url == "https://mp.weixin.qq.com/s?__biz=MzA5&mid=100&idx=2&sn=abc"
    assert raw.identity == "wx:MzA5:100:2" and raw.author == "作者甲"
    assert raw.source == "绍兴组工" and raw.tags == ["红队评估", "内网渗透"]
    body = convert(raw.html, base_url=raw.url)
    assert body == "正文第一段。![](https://mmbiz.qpic.cn/a/640?wx_fmt=png&from=appmsg)\n\n第二段坏链接\n"
    everything = repr(vars(raw)) + body
    for secret in ("MTIzNDU2Nzg5", "777secretkey", "PTsecret", "tokensecret", "read-more"):
        assert secret not in everything


def test_saved_page_with_assets_folder_maps_images_to_files():
    page = FIXTURES / "saved" / "no10.html"
    [raw] = wechat_html.read(page, page.read_bytes())
    assert raw.assets_dir == page.parent / "no10_files"
    files = raw.extra["image_files"]
    assert sorted(files.values()) == ["640(1)", "640(2)", "640(3)"]
    body = convert(raw.html, base_url=raw.url)
    assert all(url in body for url in files)


def test_js_literals_are_read_not_run():
    src = ("var a = '' || \"x\\x26y\\u4e2d\";\nwindow.b = htmlDecode('&lt;i&gt;') // c\n"
           "var c = {k: JsDecode('v\\x0a'), n: '3' * 1, list: [1, 'two', {z: null}], f: foo(1), "
           "g: 'ok'};\nvar d = evil();\nvar e = '1' ? 2 : 3;")
    js = wechat_js.Scripts(src)
    assert js.string("a") == "x&y中" and js.string("b") == "<i>"
    assert js.value("c") == {"k": "v\n", "n": "3", "list": [1, "two", {"z": None}], "f": None,
                             "g": "ok"}
    assert js.value("d") is None and js.value("e") is None
