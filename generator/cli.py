"""The `wenji` command line: parse arguments, call one function per subcommand, map to exit codes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import IO, Sequence

from generator import __version__
from generator.errors import GeneratorError
from generator.report import ExitStatus

FORMATS = ["auto", "text", "wechat-html", "markdown", "jsonl", "html", "feed", "saved"]


def port_number(text: str) -> int:
    """argparse type for --port: an integer 0–65535 (0 picks a free port)."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0–65535)") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (0–65535; 0 picks a free port)")
    return port


def _config(args: argparse.Namespace, **overrides):
    from generator.config import load_config, override

    return override(load_config(args.site), **overrides)


def cmd_init(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from generator.init import init

    site = Path(args.dir)
    result = init(site, title=args.title, base_url=args.base_url, language=args.language)
    print(result.summary(), file=out)
    here = [] if site.resolve() == Path.cwd().resolve() else [f"cd {args.dir}"]
    steps = [*here, "wenji import FOLDER_OR_FILES      # your scraped articles → content/",
             "wenji serve                       # preview on http://127.0.0.1:8000/",
             "wenji deploy --base-url https://… TARGET   # publish (see README: Deploying)"]
    print("next:\n" + "\n".join(f"  {step}" for step in steps), file=out)
    return ExitStatus.OK


def cmd_import(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from generator.ingest import ingest

    cfg = _config(args)
    report = ingest(cfg, args.src, into=args.into, fmt=args.format, force=args.force,
                    dry_run=args.dry_run, auto_tags=args.auto_tags, progress=args.progress,
                    fetch_images=args.fetch_images, stream=err, exclude=args.exclude)
    for row in report.rows:
        if row.outcome in ("failed", "kept") or row.missing_images:
            detail = row.reason or f"missing images: {', '.join(row.missing_images)}"
            print(f"{row.outcome}: {row.where()}: {detail}", file=err)
        for warning in row.warnings:
            print(f"warning: {row.where()}: {warning}", file=err)
        if row.images_fetched or row.image_failures:
            print(f"images: {row.where()}: {_image_line(row)}", file=err)
    if args.report:
        report.write_json(Path(args.report))
    print(("(dry run) " if args.dry_run else "") + report.summary(), file=out)
    if report.images:
        print(f"images: {report.images}", file=out)
    return report.exit_code


def _image_line(row) -> str:
    from generator.imagefetch import Tally

    return Tally(row.images_fetched or 0, row.images_local or 0, 0, row.image_failures).report()


def cmd_fetch_images(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from generator.imagefetch.collection import fetch_collection

    result = fetch_collection(_config(args), force=args.force, dry_run=args.dry_run,
                              progress=args.progress, stream=err)
    print(("(dry run) " if args.dry_run else "") + result.summary(), file=out)
    return result.exit_code


def cmd_build(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from generator.build import build

    cfg = _config(args, output_dir=args.out, base_url=args.base_url,
                  drafts=True if args.drafts else None, strict=True if args.strict else None,
                  relative_links=True if args.relative_links else None)
    result = build(cfg, clean=args.clean, progress=args.progress, stream=err)
    print(result.summary(), file=out)
    return result.exit_code


def cmd_check(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from generator.check import check

    cfg = _config(args, output_dir=args.out)
    result = check(cfg, stream=err)
    print(result.summary(), file=out)
    return result.exit_code


def cmd_serve(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from generator.serve import serve

    cfg = _config(args, drafts=True if args.drafts else None)
    serve(cfg, host=args.host, port=args.port, open_browser=args.open, stream=err)
    return ExitStatus.OK


def cmd_deploy(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from generator.deploy import deploy

    cfg = _config(args, base_url=args.base_url)
    result = deploy(cfg, args.target, dry_run=args.dry_run, max_deletes=args.max_deletes,
                    yes=args.yes, force=args.force, build_first=not args.no_build,
                    base_url_given=args.base_url is not None, stream=err)
    print(result.summary(), file=out)
    return result.exit_code


def parser() -> argparse.ArgumentParser:
    """The argument parser for all subcommands."""
    return _parsers()[0]


def _parsers() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The top-level parser and each subcommand's parser by name."""
    p = argparse.ArgumentParser(
        prog="wenji", description="Wenji (文集): clean scraped articles into Markdown and build a "
        "fast, searchable static archive.")
    p.add_argument("--version", action="version", version=f"wenji {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--site", default=".", metavar="DIR",
                        help="folder holding site.yml (default: current folder)")

    ini = sub.add_parser("init", help="start a new site (site.yml, content/, .gitignore, CI workflow)",
                         description="Create a new Wenji site: a commented site.yml, content/ with an "
                         "example article, .gitignore and a GitHub Pages workflow. Never overwrites "
                         "a file.")
    ini.add_argument("dir", nargs="?", default=".", metavar="DIR",
                     help="folder for the new site, created if missing (default: current folder)")
    ini.add_argument("--title", default="文集", help="site title (default: 文集)")
    ini.add_argument("--base-url", default="http://localhost:8000/", metavar="URL",
                     help="address the site will be served under (default: a local preview address)")
    ini.add_argument("--language", default="zh-CN", help="site language (default: zh-CN)")
    ini.set_defaults(func=cmd_init)

    imp = sub.add_parser("import", parents=[common], help="clean raw scraped articles into content/",
                         description="Clean raw scraped articles (text dumps, saved WeChat pages, "
                         "Markdown, JSONL/CSV, other HTML) into Markdown files with front matter.")
    imp.add_argument("src", nargs="+", metavar="SRC",
                     help="files, folders (recursive) or - for stdin; a symbolic link is followed "
                     "only to a file inside the folder given (for a file named alone: the folder "
                     "holding it)")
    imp.add_argument("--into", metavar="DIR", help="output folder (default: the site's content folder)")
    imp.add_argument("--format", default="auto", choices=FORMATS, help="input format (default: auto-detect)")
    imp.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                     help="leave out inputs matching GLOB (repeatable): a name at any depth "
                          "(README.md, *.bak, drafts) or a path from the folder given (drafts/*)")
    imp.add_argument("--force", action="store_true", help="overwrite articles edited by hand since import")
    imp.add_argument("--dry-run", action="store_true", help="report what would happen, write nothing")
    imp.add_argument("--report", metavar="FILE.json", help="write a per-input JSON report")
    imp.add_argument("--auto-tags", type=int, metavar="N", default=None,
                     help="add N automatic keyword tags per article (default: site.yml import.auto_tags)")
    imp.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                     help="show a progress bar (default: on long runs in a terminal)")
    imp.add_argument("--fetch-images", action="store_true",
                     help="download the articles' remote images (body and cover, any http(s) "
                     "host) into content/images/ and link the local copies; an image that "
                     "cannot be fetched keeps its URL (settings: site.yml import.image_*)")
    imp.set_defaults(func=cmd_import)

    fi = sub.add_parser("fetch-images", parents=[common],
                        help="download the remote images of the articles already in content/",
                        description="Download every remote (http/https) image the articles in "
                        "content/ reference, in the body or as cover, into content/images/ (named "
                        "by content hash) and rewrite the links to the local copies. Resumable: "
                        "images already downloaded are not fetched again. An image that cannot be "
                        "fetched keeps its remote URL. Reports per article and in total; exits 1 "
                        "if any image failed. Settings: site.yml import.image_timeout, "
                        "image_retries, image_max_mb, image_workers.")
    fi.add_argument("--force", action="store_true",
                    help="also rewrite the image links of articles edited by hand since import "
                    "(they stay marked as edited)")
    fi.add_argument("--dry-run", action="store_true", help="count what would be fetched; change nothing")
    fi.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                    help="show a progress bar (default: on long runs in a terminal)")
    fi.set_defaults(func=cmd_fetch_images)

    b = sub.add_parser("build", parents=[common], help="render the static site",
                       description="Render content/ into a static website (atomic, deterministic).")
    b.add_argument("--out", metavar="DIR", help="output folder (default: site.yml output_dir, public/)")
    b.add_argument("--base-url", metavar="URL", help="absolute URL the site is served under")
    b.add_argument("--drafts", action="store_true", help="include articles with draft: true")
    b.add_argument("--clean", action="store_true", help="ignore the incremental cache; render everything")
    b.add_argument("--strict", action="store_true", help="fail on any bad article instead of leaving it out")
    b.add_argument("--relative-links", action="store_true", help="write page-relative links")
    b.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="show a progress bar (default: on large sites in a terminal)")
    b.set_defaults(func=cmd_build)

    c = sub.add_parser("check", parents=[common], help="verify internal links of the built site",
                       description="Check that every internal link and asset in the built site resolves.")
    c.add_argument("--out", metavar="DIR", help="built site folder (default: site.yml output_dir)")
    c.set_defaults(func=cmd_check)

    s = sub.add_parser("serve", parents=[common], help="preview with live reload",
                       description="Build, serve locally, rebuild on changes and reload open pages.")
    s.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    s.add_argument("--port", type=port_number, default=8000,
                   help="port, 0–65535 (default: 8000; 0 picks a free port)")
    s.add_argument("--open", action="store_true", help="open the site in a web browser")
    s.add_argument("--drafts", action="store_true", help="include drafts")
    s.set_defaults(func=cmd_serve)

    d = sub.add_parser("deploy", parents=[common], help="publish the built site",
                       description="Build, then publish to git+URL#branch, rsync://…, ssh://…, "
                       "rsync+file:///path, file:///path or s3://bucket/prefix (default: "
                       "site.yml deploy.target). "
                       "Prints the plan first; refuses a target that is not empty and not a "
                       "previous deployment, one that holds or lies in the site folder, and a "
                       "localhost base_url.")
    d.add_argument("target", nargs="?", help="target URL (default: site.yml deploy.target)")
    d.add_argument("--dry-run", action="store_true",
                   help="build into a temporary folder and print the plan; change nothing")
    d.add_argument("--max-deletes", type=int, metavar="N", default=None,
                   help="refuse more than N deletions (default: site.yml deploy.max_deletes)")
    d.add_argument("--yes", action="store_true", help="confirm deletions beyond --max-deletes")
    d.add_argument("--force", action="store_true",
                   help="replace the files of a target that is not a previous Wenji deployment")
    d.add_argument("--base-url", metavar="URL",
                   help="build for this URL (needed to publish a site whose base_url is localhost)")
    d.add_argument("--no-build", action="store_true", help="deploy the existing output without building")
    d.set_defaults(func=cmd_deploy)
    return p, dict(sub.choices)  # every add_parser above, by name: none listed twice


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse ARGV; an unknown option is reported with its subcommand's usage, not the top level's."""
    import difflib

    p, commands = _parsers()
    words = list(sys.argv[1:] if argv is None else argv)
    command = next((w for w in words if not w.startswith("-")), None)
    if command is not None and command not in commands:
        close = difflib.get_close_matches(command, list(commands), n=1)
        p.error(f"unknown command '{command}'" + (f" (did you mean '{close[0]}'?)" if close else
                                                  f"; choose from {', '.join(commands)}"))
    args, extra = p.parse_known_args(words)
    if extra:
        commands[args.command].error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def main(argv: Sequence[str] | None = None, out: IO[str] | None = None,
         err: IO[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    out = out or sys.stdout
    err = err or sys.stderr
    args = _parse(argv)
    try:
        return int(args.func(args, out, err))
    except GeneratorError as exc:
        print(f"error: {exc}", file=err)
        from generator.errors import ConfigError

        return ExitStatus.USAGE_ERROR if isinstance(exc, ConfigError) else ExitStatus.CONTENT_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=err)
        return ExitStatus.INTERRUPTED
