"""Image localisation: saved-page images copied once, content-addressed, links rewritten."""

import hashlib
import shutil
from pathlib import Path

from generator.clean.html_to_md import convert
from generator.clean.images import image_type, local_files, localize
from generator.sources.wechat import adapter as wechat_html

SAVED = Path(__file__).parent.parent / "fixtures" / "clean" / "wechat-html" / "saved"


def saved_page(tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(SAVED, folder)
    page = folder / "no10.html"
    [raw] = wechat_html.read(page, page.read_bytes())
    return raw, convert(raw.html, base_url=raw.url)


def test_saved_page_images_are_copied_once_and_linked_locally(tmp_path):
    raw, body = saved_page(tmp_path)
    dest = tmp_path / "content"
    new, missing = localize(body, raw.assets_dir, dest, dry_run=False,
                            files=raw.extra["image_files"])
    digest = hashlib.sha256((SAVED / "no10_files" / "640(1)").read_bytes()).hexdigest()[:16]
    local = f"images/{digest}.png"
    assert new.count(f"]({local})") == 2  # 640(1) and 640(2) hold the same picture
    assert [p.name for p in (dest / "images").iterdir()] == [f"{digest}.png"]
    assert missing == ["640(3)"]
    remote_of_missing = next(u for u, f in raw.extra["image_files"].items() if f == "640(3)")
    assert f"]({remote_of_missing})" in new
    assert new.count("](http://mmbiz.qpic.cn/") == body.count("](http://mmbiz.qpic.cn/") - 2
    again, missing_again = localize(new, raw.assets_dir, dest, dry_run=False,
                                    files=raw.extra["image_files"])
    assert again == new and missing_again == ["640(3)"]


def test_dry_run_rewrites_nothing_on_disk(tmp_path):
    raw, body = saved_page(tmp_path)
    new, missing = localize(body, raw.assets_dir, tmp_path / "content", dry_run=True,
                            files=raw.extra["image_files"])
    assert "](images/" in new and missing == ["640(3)"]
    assert not (tmp_path / "content").exists()


def test_without_a_folder_or_map_nothing_changes(tmp_path):
    _, body = saved_page(tmp_path)
    assert localize(body, None, tmp_path, dry_run=False) == (body, [])
    assert localize(body, tmp_path / "in" / "no10_files", tmp_path, dry_run=False) == (body, [])


def test_relative_saved_links_resolve_without_a_map(tmp_path):
    folder = tmp_path / "page_files"
    folder.mkdir()
    (folder / "a.gif").write_bytes(b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!"
                                   b"\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00"
                                   b"\x00\x02\x02D\x01\x00;")
    md = "![x](./page_files/a.gif) ![y](page_files/gone.png) ![z](https://e.com/a.png)"
    new, missing = localize(md, folder, tmp_path / "out", dry_run=False)
    assert new.startswith("![x](images/") and new.endswith("![y](page_files/gone.png) "
                                                            "![z](https://e.com/a.png)")
    assert missing == ["gone.png"]


def test_unsafe_or_non_raster_files_are_never_copied(tmp_path):
    folder = tmp_path / "p_files"
    folder.mkdir()
    (folder / "evil.svg").write_text('<svg onload="alert(1)"/>', encoding="utf-8")
    (tmp_path / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)
    files = {"https://e.com/1.svg": "evil.svg", "https://e.com/2.png": "../secret.png"}
    md = "![](https://e.com/1.svg)\n\n![](https://e.com/2.png)"
    new, missing = localize(md, folder, tmp_path / "out", dry_run=False, files=files)
    assert new == md and missing == ["evil.svg", "../secret.png"]
    assert not (tmp_path / "out").exists()
    assert image_type(b"<svg/>") is None and image_type(b"RIFF\0\0\0\0WEBPVP8 ") == "webp"


def test_local_files_reads_lazy_and_duplicate_src():
    html = ('<img data-src="https://mmbiz.qpic.cn/x/640?wx_fmt=jpeg" src="./p_files/640.jpeg">'
            '<img src="http://mmbiz.qpic.cn/y/0?wx_fmt=png" src="./p_files/640(1)">'
            '<img data-src="https://mmbiz.qpic.cn/z/0" src="data:image/png;base64,AAAA">')
    assert local_files(html) == {"https://mmbiz.qpic.cn/x/640?wx_fmt=jpeg": "640.jpeg",
                                 "http://mmbiz.qpic.cn/y/0?wx_fmt=png": "640(1)"}


def test_import_copies_the_saved_pictures_and_reports_the_missing_one(tmp_path):
    from generator.config import load_config
    from generator.ingest import ingest

    site = tmp_path / "site"
    site.mkdir()
    (site / "site.yml").write_text("title: t\n", encoding="utf-8")
    shutil.copytree(SAVED, tmp_path / "in")
    report = ingest(load_config(site), [str(tmp_path / "in")])
    [row] = report.rows
    assert row.outcome == "imported" and row.missing_images == ["640(3)"]
    text = (site / "content" / row.output).read_text(encoding="utf-8")
    [stored] = list((site / "content" / "images").iterdir())
    assert text.count(f"](images/{stored.name})") == 2
    again = ingest(load_config(site), [str(tmp_path / "in")])
    assert [r.outcome for r in again.rows] == ["unchanged"]
