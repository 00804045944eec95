"""A browser-saved page's pictures survive the original host: import copies them, build serves them."""

import shutil
from pathlib import Path

from tests.conftest import wenji as run

SAVED = Path(__file__).parent.parent / "fixtures" / "clean" / "wechat-html" / "saved"


def test_localised_images_are_copied_into_the_site_and_resolve(tmp_path):
    (tmp_path / "site.yml").write_text("title: t\nbase_url: https://example.org/sub/\n",
                                       encoding="utf-8")
    shutil.copytree(SAVED, tmp_path / "in")
    assert run("import", "--site", str(tmp_path), str(tmp_path / "in"))[0] == 0
    images = sorted((tmp_path / "content" / "images").iterdir())
    assert images, "import copied no image"
    code, out, err = run("build", "--site", str(tmp_path))
    assert code == 0, err
    [page] = (tmp_path / "public" / "2017" / "01").glob("*/index.html")
    html = page.read_text(encoding="utf-8")
    for image in images:
        assert f'src="../../../images/{image.name}"' in html
        assert (tmp_path / "public" / "images" / image.name).read_bytes() == image.read_bytes()
    code, out, err = run("check", "--site", str(tmp_path))
    assert code == 0, out + err
    image, css = tmp_path / "public" / "images" / images[0].name, tmp_path / "public/css/style.css"
    inodes = image.stat().st_ino, css.stat().st_ino
    images[0].write_bytes(bytes(b ^ 0xFF for b in images[0].read_bytes()))  # same size
    assert run("build", "--site", str(tmp_path), "--clean")[0] == 0  # a full build
    assert image.read_bytes() == images[0].read_bytes() and image.stat().st_ino != inodes[0]
    assert css.stat().st_ino == inodes[1]  # copied files are rewritten only when they change
