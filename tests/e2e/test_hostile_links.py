"""Hostile folders: symbolic links leading out of the folder given are never read or published.

A cloned archive or a scraped folder may hold `notes.txt → ~/.ssh/id_ed25519`; import and build
must leave the file alone (a warning names the link), and build everything else. Real links in
tmp_path; the secret's text must appear nowhere in content/ or the output.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from tests.conftest import wenji as run

SECRET = "SECRET-ssh-key-4f1c0a"
SAVED = Path(__file__).parent.parent / "fixtures" / "clean" / "wechat-html" / "saved"
ARTICLE = "---\ntitle: 好文章\ndate: 2024-01-02\n---\n\n正文在这里。\n\n![图](images/pic.png)\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def secret_files(tmp_path: Path) -> Path:
    """A folder outside the site and the import source, holding the user's private files."""
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_ed25519").write_text(SECRET + "\n", encoding="ascii")
    (home / "private.png").write_bytes(PNG + SECRET.encode())
    (home / "templates").mkdir()
    (home / "templates" / "base.html").write_text(SECRET, encoding="ascii")
    return home


def leaks(folder: Path) -> list[str]:
    """Files under FOLDER (links not followed) whose bytes hold the secret."""
    found = []
    for root, _, names in os.walk(folder):
        for name in names:
            path = Path(root) / name
            if not path.is_symlink() and SECRET.encode() in path.read_bytes():
                found.append(str(path))
    return found


def test_import_refuses_links_leading_out_of_the_source_folder(tmp_path):
    home = secret_files(tmp_path)
    site, src = tmp_path / "site", tmp_path / "src"
    site.mkdir()
    (site / "site.yml").write_text("title: t\n", encoding="utf-8")
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_text("第一篇文章\n\n2024-01-02\n\n" + "这是正文，足够长的一段话。" * 5, encoding="utf-8")
    (src / "notes.txt").symlink_to(home / ".ssh" / "id_ed25519")
    (src / "sub" / "home").symlink_to(home)  # a folder leading out
    (src / "sub" / "again.txt").symlink_to(src / "a.txt")  # stays inside: followed
    shutil.copytree(SAVED, src / "saved")  # a saved page whose pictures folder leads out
    shutil.move(src / "saved" / "no10_files", home / "no10_files")
    (src / "saved" / "no10_files").symlink_to(home / "no10_files")
    code, out, err = run("import", "--site", str(site), str(src), "--report",
                         str(tmp_path / "report.json"))
    assert code == 0, out + err
    assert f"warning: {src / 'notes.txt'}: symbolic link leads outside {src}" in err
    assert f"warning: {src / 'sub' / 'home'}: symbolic link leads outside" in err
    rows = {Path(r["input"]).name: r for r in json.loads((tmp_path / "report.json")
                                                         .read_text("utf-8"))["inputs"]}
    assert rows["notes.txt"]["outcome"] == "rejected"
    assert "symbolic link leads outside" in rows["notes.txt"]["reason"]
    assert rows["home"]["outcome"] == "rejected"
    assert {rows["a.txt"]["outcome"], rows["again.txt"]["outcome"]} == {"imported", "duplicate"}
    assert rows["no10.html"]["outcome"] == "imported"
    assert "no10_files/" in " ".join(rows["no10.html"]["missing_images"])
    assert not (site / "content" / "images").exists()  # nothing copied from the linked folder
    assert leaks(site) == []

    # a file named on its own: followed inside the folder holding it, refused out of it
    # (so `wenji import src/*` expanded by the shell is no way out either)
    (src / "same.txt").symlink_to("a.txt")
    code, out, err = run("import", "--site", str(site), str(src / "notes.txt"),
                         str(src / "same.txt"), str(src / "sub" / "again.txt"))
    assert f"warning: {src / 'notes.txt'}: symbolic link leads outside {src};" in err
    assert f"warning: {src / 'sub' / 'again.txt'}: symbolic link leads outside" in err
    assert out.startswith("1 unchanged, 2 rejected")  # same.txt read: a.txt, imported before
    assert leaks(site) == []


def test_build_never_reads_or_publishes_a_file_through_a_link_out_of_the_site(tmp_path):
    home = secret_files(tmp_path)
    site = tmp_path / "site"
    (site / "content" / "images").mkdir(parents=True)
    (site / "theme" / "static").mkdir(parents=True)
    (site / "theme" / "templates").mkdir()
    (site / "site.yml").write_text("title: t\n", encoding="utf-8")
    (site / "content" / "good.md").write_text(ARTICLE, encoding="utf-8")
    (site / "content" / "images" / "pic.png").write_bytes(PNG)
    (site / "content" / "alias.md").symlink_to("good.md")  # inside the site: built
    (site / "content" / "images" / "same.png").symlink_to(site / "content" / "images" / "pic.png")
    (site / "content" / "leak.md").symlink_to(home / ".ssh" / "id_ed25519")
    (site / "content" / "images" / "leak.png").symlink_to(home / "private.png")
    (site / "content" / "home").symlink_to(home)
    (site / "theme" / "static" / "key.txt").symlink_to(home / ".ssh" / "id_ed25519")
    (site / "theme" / "static" / "ssh").symlink_to(home / ".ssh")
    (site / "theme" / "templates" / "base.html").symlink_to(home / "templates" / "base.html")
    code, out, err = run("build", "--site", str(site))
    assert code == 0, err
    for link in ("content/leak.md", "content/images/leak.png", "content/home",
                 "theme/static/key.txt", "theme/static/ssh", "theme/templates/base.html"):
        assert f"warning: {link}: symbolic link leads outside the site folder" in err, link
    public = site / "public"
    assert "好文章" in (public / "2024" / "01" / "alias" / "index.html").read_text("utf-8")
    assert (public / "images" / "same.png").read_bytes() == PNG
    assert not (public / "images" / "leak.png").exists() and not (public / "key.txt").exists()
    assert "<html" in (public / "index.html").read_text("utf-8")  # the bundled base.html
    assert leaks(site) == []

    # the theme's static folder itself a link out; a link planted in the previous output
    shutil.rmtree(site / "theme" / "static")
    (site / "theme" / "static").symlink_to(home / ".ssh")
    (public / "images" / "same.png").unlink()
    (public / "images" / "same.png").symlink_to(home / "private.png")
    code, out, err = run("build", "--site", str(site), "--clean")
    assert code == 0 and "warning: theme/static: symbolic link leads outside" in err
    assert not (public / "images" / "same.png").is_symlink()
    assert not (public / "id_ed25519").exists() and leaks(site) == []
