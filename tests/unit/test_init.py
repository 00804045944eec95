"""`wenji init`: the files it writes, that they build, and that it never overwrites anything."""

import dataclasses
import re

import pytest
import yaml

from generator.config import SiteConfig, load_config
from generator.init import FILES, init
from tests.conftest import wenji as run


def test_init_writes_a_site_that_loads_and_builds(tmp_path):
    site = tmp_path / "archive"
    code, out, err = run("init", str(site), "--title", "我的存档: \"引号\"",
                         "--base-url", "https://example.org/archive")
    assert code == 0, err
    assert "wenji import" in out and "wenji serve" in out and f"cd {site}" in out
    for target in FILES.values():
        assert (site / target).is_file(), target
    cfg = load_config(site)
    assert cfg.title == "我的存档: \"引号\"" and cfg.base_url == "https://example.org/archive/"
    assert "/public/" in (site / ".gitignore").read_text(encoding="utf-8")
    workflow = yaml.safe_load((site / ".github/workflows/wenji-pages.yml").read_text("utf-8"))
    steps = [s.get("run", "") for s in workflow["jobs"]["build"]["steps"]]
    assert any(s.startswith("wenji build") for s in steps)
    code, out, err = run("build", "--site", str(site))
    assert code == 0, err
    assert "built 1 article:" in out
    page = next((site / "public").rglob("welcome*/index.html"), None) or next(
        p for p in (site / "public").rglob("index.html") if "欢迎使用文集" in p.read_text("utf-8")
        and "/20" in str(p))
    assert "欢迎使用文集" in page.read_text(encoding="utf-8")


def test_the_commented_site_yml_lists_every_key_with_its_default(tmp_path):
    init(tmp_path)
    text = (tmp_path / "site.yml").read_text(encoding="utf-8")
    # Uncomment every commented-out key: the file must still load, to the defaults.
    uncommented = re.sub(r"(?m)^# ?( *[a-z_]+:(?: |$))", r"\1", text)
    (tmp_path / "site.yml").write_text(uncommented, encoding="utf-8")
    cfg = load_config(tmp_path)
    defaults = SiteConfig()
    for f in dataclasses.fields(SiteConfig):
        if f.name == "site_dir":
            continue
        assert getattr(cfg, f.name) == getattr(defaults, f.name), f.name
        assert re.search(rf"(?m)^ *{f.name.rstrip('_')}:", uncommented), f"{f.name} not in site.yml"
    for section in ("import_", "search", "deploy"):
        for f in dataclasses.fields(getattr(defaults, section)):
            assert re.search(rf"(?m)^  +{f.name}:", uncommented), f"{section}.{f.name} missing"


def test_init_never_overwrites(tmp_path):
    (tmp_path / "site.yml").write_text("title: mine\n", encoding="utf-8")
    code, _, err = run("init", str(tmp_path))
    assert code == 2
    assert "already holds site.yml" in err and "never overwrites" in err
    assert (tmp_path / "site.yml").read_text(encoding="utf-8") == "title: mine\n"
    assert not (tmp_path / "content").exists()


def test_init_in_a_folder_with_other_files_keeps_them(tmp_path):
    (tmp_path / "README.md").write_text("notes", encoding="utf-8")
    code, out, _ = run("init", str(tmp_path))
    assert code == 0
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "notes"


def test_init_refuses_a_bad_base_url(tmp_path):
    code, _, err = run("init", str(tmp_path / "x"), "--base-url", "not a url")
    assert code == 2 and "not an absolute http(s) URL" in err
    assert not (tmp_path / "x").exists()
