"""Theme lookup: template and static folders in order (override, theme, parents, default)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import yaml
from jinja2.loaders import split_template_path

import generator
from generator import confine
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

    fence: confine.Fence = confine.Fence(())
    """Where theme files may be read from: the site folder and the bundled themes."""

    def _dirs(self, kind: str) -> list[Path]:
        dirs = [self.override / kind] if self.override else []
        return [d for d in dirs + [p / kind for _, p in self.chain] if d.is_dir()]

    @property
    def template_dirs(self) -> list[Path]:
        return [d for d in self._dirs("templates") if self.fence.admit(d)]

    @property
    def static_dirs(self) -> list[Path]:
        return [d for d in self._dirs("static") if self.fence.admit(d)]

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
        return cls(cfg.theme, chain, override, params,
                   confine.Fence.around(cfg.site_dir, *bundled_themes()))

    def files(self, kind: str) -> list[tuple[Path, list[tuple[str, str]]]]:
        """(folder, its files as (relative path, path to read)) for each KIND folder
        ('templates' or 'static'), highest precedence first; no link leaving the fence."""
        return [(d, confine.walk(d, self.fence).files) for d in self._dirs(kind)
                if self.fence.admit(d)]

    def loader(self) -> jinja2.BaseLoader:
        """Templates by name (the override, then the chain) and as 'THEME/name' (to extend a
        parent's template); one reached through a link leaving the fence is not found there."""
        return jinja2.ChoiceLoader([
            jinja2.ChoiceLoader([_Fenced(str(d), self.fence) for d in self.template_dirs]),
            jinja2.PrefixLoader({name: _Fenced(str(folder / "templates"), self.fence)
                                 for name, folder in self.chain}),
        ])

    def outside(self) -> list[str]:
        """Links in the theme's folders that lead outside the site folder (not followed)."""
        return [link for kind in ("templates", "static") for d in self._dirs(kind)
                for link in confine.walk(d, self.fence).outside]

    def static_files(self) -> dict[str, Path]:
        """Output path → source file, lowest precedence first so overrides replace."""
        files: dict[str, Path] = {}
        for _, found in reversed(self.files("static")):
            for rel, path in found:
                if not rel.rpartition("/")[2].startswith("."):
                    files[rel] = Path(path)
        return dict(sorted(files.items()))


class _Fenced(jinja2.FileSystemLoader):
    """A template folder whose files are read only when their real path stays inside FENCE."""

    def __init__(self, folder: str, fence: confine.Fence):
        super().__init__(folder)
        self.fence = fence

    def get_source(self, environment: jinja2.Environment, template: str) -> Any:
        path = os.path.join(self.searchpath[0], *split_template_path(template))
        if os.path.lexists(path) and self.fence.admit(path) is None:
            raise jinja2.TemplateNotFound(template)
        return super().get_source(environment, template)
