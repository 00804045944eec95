"""site.yml → SiteConfig (frozen dataclasses); the only place configuration is read and validated."""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_type_hints
from urllib.parse import urlsplit

import yaml

from generator.errors import ConfigError

CONFIG_NAME = "site.yml"


@dataclass(frozen=True)
class ImportConfig:
    tag_rules: dict[str, str] = field(default_factory=dict)
    """Keyword → tag: an imported article whose title or body contains the keyword gets the tag."""
    auto_tags: int = 0
    """How many automatic (jieba TF-IDF) keywords to add as tags; 0 turns it off."""
    image_timeout: int = 20
    """Seconds to wait for an image server (connect and each read) with --fetch-images."""
    image_retries: int = 2
    """Further tries of an image after a timeout, a dropped connection or a 5xx answer."""
    image_max_mb: int = 20
    """Largest image downloaded, in MB; a bigger one keeps its remote URL."""
    image_workers: int = 4
    """Images downloaded at the same time."""


@dataclass(frozen=True)
class SearchConfig:
    enabled: bool = True
    """Write the client-side search index and page under /search/."""
    shards: int = 0
    """Number of index shards; 0 picks one from the collection's size."""


@dataclass(frozen=True)
class DeployConfig:
    target: str = ""
    """Default deploy target URL: git+URL#branch, rsync://…, ssh://…, file:///path, s3://bucket/prefix."""
    endpoint: str = ""
    """S3-compatible endpoint URL for s3:// targets (default: AWS_ENDPOINT_URL, else AWS itself)."""
    cname: str = ""
    """Custom domain written to CNAME for GitHub Pages targets."""
    max_deletes: int = 256
    """Refuse to delete more files than this without --yes."""


@dataclass(frozen=True)
class SiteConfig:
    title: str = "文集"
    """Site title, shown in the header and feeds."""
    description: str = ""
    """One-line description for the home page and feeds."""
    author: str = ""
    """Default feed author."""
    base_url: str = "http://localhost:8000/"
    """Absolute URL the site is served under; may have a sub-path (https://example.org/archive/)."""
    language: str = "zh-CN"
    """HTML lang attribute."""
    content_dir: str = "content"
    """Folder of Markdown articles, relative to the site folder."""
    output_dir: str = "public"
    """Build output folder, relative to the site folder."""
    theme: str = "default"
    """Theme name under themes/."""
    theme_override: str = "theme"
    """Site folder whose templates/ and static/ override the theme's files."""
    per_page: int = 20
    """Articles per list page (home, archives, tags, accounts)."""
    archive_per_page: int | None = None
    """Articles per year and month archive page: None for per_page, 0 for all on one page."""
    feed_size: int = 50
    """Entries in each Atom feed."""
    related: int = 5
    """Related articles (shared tags) shown on each article page."""
    relative_links: bool = False
    """Write links relative to the page instead of absolute under base_url."""
    strict: bool = False
    """Fail the build on any bad article instead of leaving it out."""
    drafts: bool = False
    """Include articles with draft: true."""
    article_url: str = "/{yyyy}/{mm}/{slug}/"
    """Article URL pattern; {yyyy} {mm} {dd} {slug} are filled in (undated: /undated/{slug}/)."""
    chars_per_minute: int = 450
    """Reading speed for Chinese text, in Han characters per minute."""
    timeout: int = 30
    """Seconds one article may take to load, or one page to render; a slower one is left out
    and reported (0: no limit)."""
    site_dir: Path = Path(".")
    """Folder holding site.yml (set by load_config, not read from the file)."""
    import_: ImportConfig = field(default_factory=ImportConfig)
    search: SearchConfig = field(default_factory=SearchConfig)
    deploy: DeployConfig = field(default_factory=DeployConfig)

    @property
    def content_path(self) -> Path:
        return self.site_dir / self.content_dir

    @property
    def output_path(self) -> Path:
        return self.site_dir / self.output_dir

    @property
    def base_path(self) -> str:
        """The path part of base_url, always starting and ending with '/'."""
        from urllib.parse import urlsplit

        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"


_RENAMED = {"import": "import_"}


def _build(cls: type, data: Any, path: Path, prefix: str = "") -> Any:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"'{prefix or 'top level'}' must be a mapping", path)
    hints = get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls) if f.name != "site_dir"}
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        name = _RENAMED.get(key, key)
        if name not in names:
            known = sorted(k.rstrip("_") for k in names)
            close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
            hint = f"did you mean '{prefix}{close[0]}'?" if close else f"known keys: {', '.join(known)}"
            raise ConfigError(f"unknown key '{prefix}{key}'", path, _line_of(path, prefix + str(key)),
                              hint=hint)
        kind = hints[name]
        if dataclasses.is_dataclass(kind):
            kwargs[name] = _build(kind, value, path, f"{prefix}{key}.")
        else:
            try:
                kwargs[name] = _coerce(kind, value, f"{prefix}{key}", path)
            except ConfigError as exc:
                exc.line = exc.line or _line_of(path, f"{prefix}{key}")
                raise
    return cls(**kwargs)


def _coerce(kind: Any, value: Any, key: str, path: Path) -> Any:
    if kind == int | None:
        return None if value is None else _coerce(int, value, key, path)
    origin = getattr(kind, "__origin__", kind)
    if origin is dict:
        if not isinstance(value, dict):
            raise ConfigError(f"'{key}' must be a mapping", path)
        return {str(k): str(v) for k, v in value.items()}
    if origin is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"'{key}' must be true or false, not {value!r}", path)
        return value
    if origin is int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(f"'{key}' must be a non-negative whole number, not {value!r}", path)
        return value
    if origin is str:
        if value is None:
            return ""
        if not isinstance(value, (str, int, float)):
            raise ConfigError(f"'{key}' must be text, not {value!r}", path)
        return str(value)
    return value


def _line_of(path: Path, dotted: str) -> int | None:
    """The line of site.yml where the (dotted) key DOTTED is written, if it can be found."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return None
    line = None
    for part in dotted.split("."):
        if not isinstance(node, yaml.MappingNode):
            return line
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == part:
                line, node = key.start_mark.line + 1, value
                break
        else:
            return line
    return line


def check_base_url(url: str, path: Path | None, key: str = "base_url") -> None:
    """Refuse a base URL that is not absolute http(s) with a host (PATH: the file it is from)."""
    try:
        parts = urlsplit(url)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in url
    except ValueError:
        ok = False
    if not ok:
        raise ConfigError(f"'{key}' is not an absolute http(s) URL: {url!r}", path,
                          _line_of(path, key) if path else None,
                          hint="write the address the site is served under, like "
                          "https://example.org/archive/")


def require_content(cfg: SiteConfig) -> None:
    """Refuse to build a site whose content folder does not exist (a typo builds nothing)."""
    content = cfg.content_path
    if not content.is_dir():
        path = cfg.site_dir / CONFIG_NAME
        raise ConfigError(f"content_dir '{cfg.content_dir}' is not a folder", path,
                          _line_of(path, "content_dir"),
                          hint=f"create {content} (wenji import writes articles there) or fix "
                          "content_dir in site.yml")


def load_config(site_dir: str | Path = ".") -> SiteConfig:
    """Read SITE_DIR/site.yml into a validated SiteConfig."""
    site = Path(site_dir)
    path = site / CONFIG_NAME
    if not path.is_file():
        raise ConfigError(f"no {CONFIG_NAME} here", site.resolve(),
                          hint="run wenji in the folder holding site.yml, or pass --site DIR")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise ConfigError(f"YAML error: {exc.problem}", path, line) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", path) from None
    cfg = _build(SiteConfig, data, path)
    if not cfg.base_url.endswith("/"):
        cfg = dataclasses.replace(cfg, base_url=cfg.base_url + "/")
    if cfg.per_page < 1:
        raise ConfigError("'per_page' must be at least 1", path, _line_of(path, "per_page"))
    check_base_url(cfg.base_url, path)
    return dataclasses.replace(cfg, site_dir=site)


def override(cfg: SiteConfig, **changes: Any) -> SiteConfig:
    """Apply command-line overrides (None means: not given)."""
    changes = {k: v for k, v in changes.items() if v is not None}
    if "base_url" in changes:
        check_base_url(changes["base_url"], None, "--base-url")
        if not changes["base_url"].endswith("/"):
            changes["base_url"] += "/"
    return dataclasses.replace(cfg, **changes)
