"""Command `wenji init`: a new site folder → site.yml, content/ with an example, .gitignore, CI."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from generator.config import CONFIG_NAME, check_base_url
from generator.errors import ConfigError

SCAFFOLD = Path(__file__).resolve().parent / "scaffold"

# scaffold file → where it goes in the new site (dot-files are stored without the dot so that
# packaging tools carry them).
FILES = {
    "site.yml": CONFIG_NAME,
    "gitignore": ".gitignore",
    "content/welcome.md": "content/welcome.md",
    "github-pages.yml": ".github/workflows/wenji-pages.yml",
}


@dataclass(frozen=True)
class InitResult:
    site: Path
    written: list[str]

    def summary(self) -> str:
        return f"created a Wenji site in {self.site}: {', '.join(self.written)}"


def init(site: Path, *, title: str = "文集", base_url: str = "http://localhost:8000/",
         language: str = "zh-CN", today: dt.date | None = None) -> InitResult:
    """Write a new site into SITE; refuse if any file it would write is already there."""
    check_base_url(base_url, None, "--base-url")
    if site.exists() and not site.is_dir():
        raise ConfigError("not a folder", site, hint="name a new or existing folder for the site")
    taken = [target for target in FILES.values() if (site / target).exists()]
    if taken:
        raise ConfigError(f"already holds {', '.join(taken)}", site,
                          hint="wenji init never overwrites files; choose an empty folder")
    values = {"title": json.dumps(title, ensure_ascii=False), "language": language,
              "base_url": json.dumps(base_url if base_url.endswith("/") else base_url + "/"),
              "date": (today or dt.date.today()).isoformat()}
    for name, target in FILES.items():
        text = (SCAFFOLD / name).read_text(encoding="utf-8")
        if name.endswith((".yml", ".md")) and name != "github-pages.yml":
            text = text.format(**values)
        path = site / target
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8") as f:  # never over a file that appeared meanwhile
            f.write(text)
    return InitResult(site, list(FILES.values()))
