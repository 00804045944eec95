"""Benchmark results: medians, Markdown tables, the machine they were measured on, files on disk."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import statistics
import subprocess
from dataclasses import asdict
from pathlib import Path
from typing import Iterable, Sequence

from measure import Measured
from tools import REPO

RESULTS = Path(__file__).resolve().parent / "results"
MB = 1024 * 1024


def median(values: Iterable[float]) -> float:
    """Median of VALUES (NaN if there are none)."""
    values = list(values)
    return statistics.median(values) if values else float("nan")


def secs(value: float) -> str:
    """Seconds, with precision that fits the size."""
    if value != value:  # NaN
        return "–"
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


def mb(value: float) -> str:
    """Bytes as whole MB."""
    return "–" if value != value else f"{value / MB:,.0f}"


def ratio(a: float, b: float) -> str:
    """a / b as '0.42×'."""
    if not b or a != a or b != b:
        return "–"
    r = a / b
    return f"{r:.2f}×" if r < 10 else f"{r:.0f}×"


def verdict(ok: bool | None) -> str:
    """✅ met, ❌ missed, – not measured."""
    return "–" if ok is None else ("✅" if ok else "❌")


def table(header: Sequence[str], rows: Iterable[Sequence[object]], right: int = 1,
          left: Sequence[int] = ()) -> str:
    """A Markdown table; columns from index RIGHT on are right-aligned, except those in LEFT."""
    align = ["---" if i < right or i in left or i - len(header) in left else "---:"
             for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _version(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "?"
    return out.splitlines()[0] if out else "?"


def machine(tool_versions: dict[str, list[str]] | None = None) -> dict[str, str]:
    """Where and with what the figures were measured."""
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem = next(int(l.split()[1]) * 1024 for l in Path("/proc/meminfo").read_text().splitlines()
                   if l.startswith("MemTotal"))
        ram = f"{mem / 1024**3:.0f} GB"
    except (OSError, StopIteration):
        ram = "?"
    commit = _version(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    info = {"date": dt.date.today().isoformat(), "cpu": f"{cpu}, {os.cpu_count()} cores, {ram} RAM",
            "os": f"{platform.system()} {platform.release()}",
            "python": platform.python_version(), "wenji commit": commit}
    for name, cmd in (tool_versions or {}).items():
        info[name] = _version(cmd)
    return info


def machine_lines(info: dict[str, str]) -> str:
    """The machine description as a Markdown list."""
    return "\n".join(f"- {k}: {v}" for k, v in info.items())


def write(name: str, markdown: str, data: dict) -> Path:
    """Write results/NAME.md and results/NAME.json; return the Markdown path."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    md = RESULTS / f"{name}.md"
    md.write_text(markdown.rstrip() + "\n", encoding="utf-8")
    (RESULTS / f"{name}.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True, default=str) + "\n",
        encoding="utf-8")
    return md


def run_record(m: Measured) -> dict:
    """One run as JSON-able data (without its output streams unless it failed)."""
    d = asdict(m)
    d["cmd"] = " ".join(Path(c).name if i == 0 else c for i, c in enumerate(m.cmd))
    if m.ok:
        d.pop("stdout")
        d.pop("stderr")
    else:
        d["stderr"] = m.stderr[-2000:]
        d["stdout"] = m.stdout[-2000:]
    return d


PLACES = ("--work", "--shared")
"""Options that name folders of this machine: left out of the command a results file shows."""


def shown_argv(argv: Sequence[str]) -> list[str]:
    """ARGV without the PLACES options and their values (results name no machine's paths)."""
    return [a for i, a in enumerate(argv)
            if a not in PLACES and (i == 0 or argv[i - 1] not in PLACES)]
