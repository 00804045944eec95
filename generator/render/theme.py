"""Theme lookup: template and static folders in order (override, theme, parents, default)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

import generator
from generator.config import SiteConfig
from generator.errors import ConfigError

DEFAULT = "default"
THEME_FILE = "theme.yml"


def bundled_themes() -> list[Path]:
    """Folders holding the themes that ship with Wenji (installed copy, then source checkout)."""
    package = Path(generator.__file__).resolve().parent
    return [p for p in (package / "themes", package.parent / "themes") if p.is_dir()]


def theme_roots(cfg: SiteConfig) -> list[Path]:
    """Where theme folders are looked up: the site's themes/ first, then the bundled ones."""
    return [cfg.site_dir / "themes", *bundled_themes()]


def find_theme(name: str, cfg: SiteConfig) -> Path:
    """The folder of theme NAME."""
    for root in theme_roots(cfg):
        if (root / name / "templates").is_dir():
            return root / name
    looked = ", ".join(str(r) for r in theme_roots(cfg))
    raise ConfigError(f"theme '{name}' not found", cfg.site_dir / "site.yml",
                      hint=f"a theme is a folder with templates/ under one of: {looked}")


def read_theme_file(folder: Path) -> dict[str, Any]:
    """The theme's theme.yml as a mapping (empty when absent)."""
    path = folder / THEME_FILE
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"cannot read theme file: {exc}", path) from None
    if not isinstance(data, dict):
        raise ConfigError("theme file must be a mapping", path)
    return data


@dataclass(frozen=True)
class Theme:
    """The ordered folders of a build's theme; the first one holding a file wins."""

    name: str
    chain: list[tuple[str, Path]]
    """(theme name, theme folder) from the chosen theme down to default."""
    override: Path | None
    """The site's override folder (holding templates/ and/or static/), if it exists."""
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def template_dirs(self) -> list[Path]:
        dirs = [self.override / "templates"] if self.override else []
        return [d for d in dirs + [p / "templates" for _, p in self.chain] if d.is_dir()]

    @property
    def static_dirs(self) -> list[Path]:
        dirs = [self.override / "static"] if self.override else []
        return [d for d in dirs + [p / "static" for _, p in self.chain] if d.is_dir()]

    @classmethod
    def load(cls, cfg: SiteConfig) -> "Theme":
        """Resolve cfg.theme, its `extends` parents and default, plus the site override."""
        chain: list[tuple[str, Path]] = []
        params: dict[str, Any] = {}
        name: str | None = cfg.theme
        while name and name not in [n for n, _ in chain]:
            folder = find_theme(name, cfg)
            data = read_theme_file(folder)
            chain.append((name, folder))
            params = {**(data.get("params") or {}), **params}
            name = data.get("extends") or (DEFAULT if name != DEFAULT else None)
        override = cfg.site_dir / cfg.theme_override if cfg.theme_override else None
        if override is not None and not override.is_dir():
            override = None
        return cls(cfg.theme, chain, override, params)

    def static_files(self) -> dict[str, Path]:
        """Output path → source file, lowest precedence first so overrides replace."""
        files: dict[str, Path] = {}
        for folder in reversed(self.static_dirs):
            for path in sorted(folder.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    files[path.relative_to(folder).as_posix()] = path
        return dict(sorted(files.items()))
