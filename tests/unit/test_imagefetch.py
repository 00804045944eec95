"""The pure parts of image fetching: which references are remote, how links are rewritten, the
cover line, and what the resume map trusts."""

from generator.imagefetch.collection import _set_cover
from generator.imagefetch.http import request_url
from generator.imagefetch.localize import references, rewrite
from generator.imagefetch.store import ImageStore


def test_references_are_http_images_of_body_and_cover_in_order():
    body = ("![a](https://mmbiz.qpic.cn/x/640?wx_fmt=jpeg&amp;tp=webp)\n"
            "![b](images/abc.png) ![c](data:image/png;base64,AAAA) ![d](file:///etc/passwd)\n"
            '<img alt="e" src="http://h.example/e.gif"> [not an image](https://h.example/page)\n'
            "![a again](https://mmbiz.qpic.cn/x/640?wx_fmt=jpeg&amp;tp=webp \"t\")")
    assert references(body, "//h.example/protocol-relative.png") == [
        "https://mmbiz.qpic.cn/x/640?wx_fmt=jpeg&amp;tp=webp", "http://h.example/e.gif"]
    assert references("", "https://h.example/c.jpg") == ["https://h.example/c.jpg"]


def test_request_url_decodes_entities_and_quotes_what_a_request_cannot_carry():
    assert request_url("https://mmbiz.qpic.cn/x/640?wx_fmt=jpeg&amp;tp=webp") == \
        "https://mmbiz.qpic.cn/x/640?wx_fmt=jpeg&tp=webp"
    assert request_url("<http://h.example/图 1.png>") == "http://h.example/%E5%9B%BE%201.png"
    assert request_url("ftp://h.example/a.png") is None and request_url("images/a.png") is None


def test_rewrite_keeps_alt_titles_and_unknown_links():
    body = ('![一张图](https://h/a.png "说明") ![](https://h/a.png) ![x](https://h/other.png)\n'
            "<img src='https://h/a.png' alt=\"\">")
    local = {"https://h/a.png": "images/0123456789abcdef.png"}
    assert rewrite(body, local) == (
        '![一张图](images/0123456789abcdef.png "说明") ![](images/0123456789abcdef.png) '
        "![x](https://h/other.png)\n<img src='images/0123456789abcdef.png' alt=\"\">")


def test_cover_line_is_replaced_plain_or_quoted_only():
    for written in ("cover: https://h/c.png", "cover: 'https://h/c.png'", 'cover: "https://h/c.png"'):
        head = f"---\ntitle: t\n{written}\nurl: https://h/c.png\n---\n"
        new = _set_cover(head, "https://h/c.png", "images/c.png")
        assert new == head.replace("https://h/c.png", "images/c.png", 1)
    head = "---\ncover: >-\n  https://h/c.png\n---\n"
    assert _set_cover(head, "https://h/c.png", "images/c.png") == head


def test_the_resume_map_trusts_only_files_in_the_images_folder(tmp_path):
    content, cache = tmp_path / "content", tmp_path / ".wenji-cache"
    (content / "images").mkdir(parents=True)
    (content / "images" / "aaaa.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    cache.mkdir()
    (cache / "fetched-images.jsonl").write_text(
        '{"url": "https://h/1", "file": "images/aaaa.png"}\n'
        '{"url": "https://h/2", "file": "images/gone.png"}\n'
        '{"url": "https://h/3", "file": "images/../../site.yml"}\n'
        '{"url": "https://h/4", "file": "images/aa', encoding="utf-8")  # cut short by a kill
    store = ImageStore(content, cache, write=False)
    assert [store.lookup(f"https://h/{i}") for i in range(1, 5)] == ["images/aaaa.png", None, None, None]
