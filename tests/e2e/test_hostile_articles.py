"""Hostile articles cost one article, never the build: crashes, overruns, dead workers.

Each case that once stopped a whole build is a regression test here (a stack overflow in the
Markdown parser, quadratic time in the sanitizer and in reference definitions, dates out of
range, unusable front-matter keys); a joint build of over a hundred bad files and twenty good
ones must build every good one and name every bad one; and a worker SIGKILLed while loading
or while rendering must neither hang the build nor cost an article. Builds run as real
`wenji build` subprocesses: a crash must not take the test runner with it.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import lxml.html
import pytest

from generator.outdir import staging_dir

REPO = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(REPO)}
GOOD_BODY = "正文第一段，有一些文字。\n\n> 一段引用\n\n- 列表一\n- 列表二\n"


def front(title: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\ndate: 2021-03-04\n{extra}---\n\n"


def write_site(root: Path, files: dict[str, str | bytes], timeout: int = 30) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "site.yml").write_text(f"title: 敌意\ntimeout: {timeout}\n", encoding="utf-8")
    for name, text in files.items():
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        (root / "content" / name).write_bytes(data)
    return root


def build(root: Path, *extra: str, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "build", "--site", str(root),
                           "--no-progress", *extra], capture_output=True, text=True, env=ENV,
                          timeout=timeout)


def errors(stderr: str) -> dict[str, str]:
    """File name → the error line naming it."""
    found: dict[str, str] = {}
    for line in stderr.splitlines():
        m = re.match(r"error: .*?/content/([^/:]+\.md)(:\d+)?: ", line)
        if m:
            assert m.group(1) not in found, f"reported twice: {line}"
            found[m.group(1)] = line
    return found


def page_text(root: Path, slug: str) -> str:
    [page] = list((root / "public").glob(f"**/{slug}/index.html"))
    return lxml.html.fromstring(page.read_bytes()).text_content()


# ---------------------------------------------------------------- each case alone

BAD = {  # file name → (text, the line the error must name, words the reason must contain)
    "date-year-one.md": ("---\ntitle: 早\ndate: 0001-01-01\n---\n\n正文\n", 3, "out of range"),
    "date-past-9999.md": ("---\ntitle: 晚\ndate: 9999-12-31T16:00:00Z\n---\n\n正文\n", 3,
                          "out of range"),
    "date-year-one-china.md": ("---\ntitle: 早\ndate: 0001-01-01T05:00:00+08:00\n---\n\n正文\n",
                               3, "out of range"),
    "date-tagged.md": ("---\ntitle: 早\ndate: !!timestamp 0001-01-01\n---\n\n正文\n", 3,
                       "out of range"),
    "list-key.md": ("---\ntitle: 键\n? [a, b]\n: c\n---\n\n正文\n", 3, "key must be text"),
    "mapping-key.md": ("---\ntitle: 键\n? {a: b}\n: c\n---\n\n正文\n", 3, "key must be text"),
    "too-long.md": ("---\ntitle: 长\n---\n\n" + "长" * 4_000_001, 4, "limit is 4,000,000"),
    # html5ever's time grows with the square of the depth: minutes for 150,000 nested divs
    "divs-150k.md": (front("深") + "开头\n\n<section>\n" + "<div>" * 150_000 + "\n", 9,
                     "nests more than 5,000 elements deep"),
}


def test_each_case_that_stopped_builds_costs_one_article(tmp_path):
    body_quotes = ">" * 100_000  # overflowed markdown-it-pyrs's stack: exit 139, no file named
    files = {**{name: text for name, (text, _, _) in BAD.items()},
             "quotes-100k.md": front("引用十万") + body_quotes + "\n",
             "quotes-50k.md": front("引用五万") + ">" * 50_000 + "\n",  # nh3 alone took 75 s
             "lists.md": front("列表") + "- " * 60_000 + "深\n",  # a stack overflow at ~40,000
             "ordered.md": front("序号") + "1. " * 40_000 + "深\n",
             "references.md": front("引用定义") + "[甲][r49999]\n\n" + "".join(
                 f"[r{i}]: https://example.com/{i}\n" for i in range(50_000)),  # > 60 s
             "good.md": front("好文章") + GOOD_BODY}
    root = write_site(tmp_path / "site", files)
    started = time.monotonic()
    done = build(root)
    took = time.monotonic() - started
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    found = errors(done.stderr)
    assert set(found) == set(BAD), done.stderr
    for name, (_, line, words) in BAD.items():
        assert f"/content/{name}:{line}: " in found[name] and words in found[name], found[name]
    assert f"built {len(files) - len(BAD)} articles" in done.stdout
    assert took < 60, f"took {took:.1f} s"
    quoted = lxml.html.fromstring(
        next((root / "public").glob("**/quotes-100k/index.html")).read_bytes())
    depth = len(quoted.xpath("//blockquote[not(ancestor::blockquote)][1]/descendant-or-self::"
                             "blockquote[not(blockquote)]/ancestor-or-self::blockquote"))
    assert depth == 100  # flattened at the limit; the excess markers are text
    assert page_text(root, "quotes-100k").count(">") == 100_000 - 100
    assert "深" in page_text(root, "lists") and "深" in page_text(root, "ordered")
    links = lxml.html.fromstring(
        next((root / "public").glob("**/references/index.html")).read_bytes())
    assert links.xpath("//a[@href='https://example.com/49999']/text()") == ["甲"]


def test_an_article_over_its_time_budget_is_left_out_and_named(tmp_path):
    """Raw HTML nested just within the bound, block after block up to the body limit, takes the
    sanitizer seconds. Its worker is ended when the budget runs out, the rest builds, the next
    build tries again."""
    block = "<div>" * 4999 + "x" + "</div>" * 4999
    slow = "\n".join([block] * (3_900_000 // len(block)))
    files = {"slow.md": front("慢") + slow + "\n", "good.md": front("好") + GOOD_BODY}
    root = write_site(tmp_path / "site", files, timeout=2)
    started = time.monotonic()
    done = build(root)
    assert time.monotonic() - started < 30
    assert done.returncode == 1
    found = errors(done.stderr)
    assert set(found) == {"slow.md"}
    assert "slow.md:5: cannot be built: took longer than its time budget of 2 s" in found["slow.md"]
    assert "正文第一段" in page_text(root, "good")
    again = build(root)  # an overrun is not remembered as the article's verdict
    assert "time budget" in again.stderr and again.returncode == 1


def test_an_exception_while_rendering_names_the_article(tmp_path):
    """Over 1,000 reference definitions go to the Python parser, whose recursion ends in
    RecursionError on 5,000 nested brackets: one article, its body's first line, a reason."""
    body = "[" * 5000 + "x" + "](u)" * 5000 + "\n\n" + "".join(
        f"[r{i}]: https://example.com/{i}\n" for i in range(1500))
    root = write_site(tmp_path / "site", {"deep.md": front("深") + body,
                                          "good.md": front("好") + GOOD_BODY})
    done = build(root)
    assert done.returncode == 1
    found = errors(done.stderr)
    assert set(found) == {"deep.md"}
    assert "deep.md:5: cannot be rendered: RecursionError" in found["deep.md"]
    strict = build(root, "--strict")
    assert strict.returncode == 1 and "deep.md:5" in strict.stderr
    assert "Traceback" not in strict.stderr


# ---------------------------------------------------------------- many bad files at once

def bad_files() -> dict[str, str | bytes]:
    """Over a hundred bad articles: every case above and malformed front matter of all kinds,
    three of each (the reasons vary with the values)."""
    kinds: list[str | bytes] = [text for text, _, _ in BAD.values() if len(text) < 1000] + [
        "---\ntitle: [未闭合\n---\n\n正文\n",
        "---\ntitle: 缩进\n\ttags: [a]\n---\n\n正文\n",
        "---\ntitle: &a 别名\nauthor: *a\n---\n\n正文\n",
        "---\ntitle: 重复\ntitle: 又一次\n---\n\n正文\n",
        "---\n- 不是\n- 映射\n---\n\n正文\n",
        "---\nauthor: 没有标题\n---\n\n正文\n",
        "---\ntitle: 标签\ntags: {a: b}\n---\n\n正文\n",
        "---\ntitle: 草稿\ndraft: 也许\n---\n\n正文\n",
        "---\ntitle: [列, 表]\n---\n\n正文\n",
        "---\ntitle: 日期\ndate: 2018-13-45\n---\n\n正文\n",
        "---\ntitle: 日期\ndate: 昨天\n---\n\n正文\n",
        "---\ntitle: 日期\ndate: 0001-01-01T00:00:00\n---\n\n正文\n",
        "---\ntitle: 日期\ndate: 9999-12-31T23:59:59-01:00\n---\n\n正文\n",
        "---\ntitle: 作者\nauthor: {名: 字}\n---\n\n正文\n",
        "---\ntitle: 键\n? [1, 2]\n: 3\n---\n\n正文\n",
        "---\ntitle: 深\nx: " + "[" * 5000 + "\n---\n\n正文\n",
        "没有前言的文件\n",
        "",
        "---\ntitle: 没有结尾\n",
        b"---\ntitle: \xff\xfe\n---\n\n\xc3(\n",
        "---\ntitle: 空值\ndate: []\n---\n\n正文\n",
        "---\n\ufefftitle: 字节序\n? !!set {a, b}\n: c\n---\n\n正文\n",
        "---\ntitle: 布尔\ndraft: yes\n---\n\n正文\n",
        "---\ntitle: 链接\nurl: [https://a.b]\n---\n\n正文\n",
        "---\ntitle: 日期\ndate: 2020-02-30\n---\n\n正文\n",
        "---\ntitle: 日期\ndate: 2020-01-01T25:61:00\n---\n\n正文\n",
        "---\ntitle: 日期\ndate: 10000-01-01\n---\n\n正文\n",
        "---\ntitle: 标签\ntags: 3\n---\n\n正文\n",
        "---\ntitle: 摘要\nsummary: {甲: 乙}\n---\n\n正文\n",
        "---\ntitle: \"未闭合\n---\n\n正文\n",
        "---\ntitle: 键\n? {a: [b]}\n: c\n---\n\n正文\n",
        "---\n[不是, 映射]\n---\n\n正文\n",
        "---\ntitle: 标签\ntags: [[嵌套]]\nx: !!python/object:os.system ls\n---\n\n正文\n",
    ]
    files: dict[str, str | bytes] = {}
    for copy in range(3):
        for k, text in enumerate(kinds):
            tail = f"\n第{copy}份\n"
            files[f"bad-{copy}-{k:02d}.md"] = text + (tail.encode() if isinstance(text, bytes)
                                                      else tail)
    return files


def test_a_joint_build_of_many_bad_files_builds_every_good_one(tmp_path):
    bad = bad_files()
    good = {f"good-{i:02d}.md": front(f"好文章{i}", f"tags: [标签{i % 3}]\n") + GOOD_BODY +
            f"\n第{i}篇的正文。\n" for i in range(20)}
    hostile_but_fine = {"quotes.md": front("十万个引用") + ">" * 100_000 + "\n",
                        "lists.md": front("六万层列表") + "- " * 60_000 + "深\n"}
    assert len(bad) > 100
    root = write_site(tmp_path / "site", {**bad, **good, **hostile_but_fine})
    done = build(root)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    found = errors(done.stderr)
    assert set(found) == set(bad), sorted(set(bad) ^ set(found))
    for name, line in found.items():
        assert re.search(rf"/content/{re.escape(name)}(:\d+)?: \S", line), line
    assert f"built {len(good) + len(hostile_but_fine)} articles" in done.stdout
    assert f"{len(bad)} bad articles left out" in done.stdout
    for i in range(20):
        assert f"第{i}篇的正文。" in page_text(root, f"good-{i:02d}")


# ---------------------------------------------------------------- dead workers

def children(pid: int) -> set[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return set()
    return {int(p) for p in text.split()}


@pytest.fixture(scope="module")
def big_site(tmp_path_factory) -> Path:
    """450 articles: loaded by two workers, over 400 pages rendered by two more."""
    body = "\n\n".join("这是一段让加载慢一点的文字，包含一些内容。" * 10 for _ in range(30))
    files = {f"a{i:03d}.md": front(f"第{i}篇", f"tags: [话题{i % 9}]\n") + body + f"\n\n尾{i}\n"
             for i in range(450)}
    return write_site(tmp_path_factory.mktemp("big") / "site", files)


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc")
@pytest.mark.parametrize("phase", ["load", "render"])
def test_a_worker_killed_mid_build_costs_nothing(big_site, phase):
    """SIGKILL (as the out-of-memory killer sends) one worker while articles load, or while
    pages render: its work is done again in a fresh worker and the build completes."""
    for old in (big_site / "public", big_site / ".wenji-cache"):
        subprocess.run(["rm", "-rf", str(old)], check=True)
    staging = staging_dir(big_site / "public")
    proc = subprocess.Popen([sys.executable, "-m", "generator", "build", "--site",
                             str(big_site), "--no-progress"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=ENV)
    killed = None
    try:
        deadline = time.monotonic() + 60
        while killed is None and time.monotonic() < deadline and proc.poll() is None:
            workers = children(proc.pid)
            writing = staging.is_dir()
            if workers and writing == (phase == "render"):
                time.sleep(0.05)  # into its work
                victim = min(workers)
                os.kill(victim, signal.SIGKILL)
                killed = (victim, staging.is_dir())
            time.sleep(0.002)
        out, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert killed is not None, "the build ended before a worker could be killed"
    assert killed[1] == (phase == "render"), "the kill landed in the other phase"
    assert proc.returncode == 0, err
    assert "built 450 articles" in out and "Traceback" not in err
    pages = list((big_site / "public").glob("**/a[0-9][0-9][0-9]/index.html"))
    assert len(pages) == 450
    assert all(f"尾{i}" in page_text(big_site, f"a{i:03d}") for i in (0, 225, 449))
