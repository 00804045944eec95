"""Report of an import run: one row per input article, counts, summary line, exit code."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from enum import IntEnum, StrEnum
from pathlib import Path


class ExitStatus(IntEnum):
    OK = 0
    CONTENT_ERROR = 1
    USAGE_ERROR = 2
    INTERRUPTED = 130


class Outcome(StrEnum):
    IMPORTED = "imported"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    KEPT = "kept"
    DUPLICATE = "duplicate"
    NOT_ARTICLE = "not article"
    EXCLUDED = "excluded"
    REJECTED = "rejected"
    FAILED = "failed"


# How each outcome reads in the summary line (singular, plural).
_WORDS = {
    Outcome.IMPORTED: ("imported", "imported"),
    Outcome.UPDATED: ("updated", "updated"),
    Outcome.UNCHANGED: ("unchanged", "unchanged"),
    Outcome.KEPT: ("kept (edited by hand)", "kept (edited by hand)"),
    Outcome.DUPLICATE: ("duplicate", "duplicates"),
    Outcome.NOT_ARTICLE: ("not an article", "not articles"),
    Outcome.EXCLUDED: ("excluded", "excluded"),
    Outcome.REJECTED: ("rejected", "rejected"),
    Outcome.FAILED: ("failed", "failed"),
}


@dataclass
class Row:
    """What happened to one input article."""

    input: str
    outcome: Outcome
    output: str | None = None
    reason: str | None = None
    record: int | None = None
    duplicate_of: str | None = None
    missing_images: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    """What was left out or repaired (the article itself was written)."""
    images_fetched: int | None = None
    images_local: int | None = None
    image_failures: list[str] = field(default_factory=list)
    """'URL: reason' for each remote image --fetch-images could not download (its URL stays)."""
    fields: dict[str, str] = field(default_factory=dict)
    """Where each metadata field came from (title → 'heading', date → 'byline', …)."""

    def where(self) -> str:
        return f"{self.input}:{self.record}" if self.record else self.input


@dataclass
class ImportReport:
    rows: list[Row] = field(default_factory=list)
    images: str | None = None
    """Remote images of the run (with --fetch-images): '40 fetched, 2 already local, 1 failed'."""

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        return row

    def counts(self) -> Counter:
        return Counter(r.outcome for r in self.rows)

    def summary(self) -> str:
        """One line, e.g. '312 imported, 4 duplicates, 2 not articles (deleted page), 1 failed'."""
        counts = self.counts()
        parts = []
        for outcome in Outcome:
            n = counts.get(outcome, 0)
            if not n:
                continue
            single, plural = _WORDS[outcome]
            text = f"{n} {single if n == 1 else plural}"
            if outcome in (Outcome.NOT_ARTICLE, Outcome.REJECTED):
                reasons = Counter(r.reason or "?" for r in self.rows if r.outcome == outcome)
                text += " (" + ", ".join(reason if c == 1 else f"{reason} ×{c}"
                                         for reason, c in sorted(reasons.items())) + ")"
            parts.append(text)
        missing = sum(len(r.missing_images) for r in self.rows)
        if missing:
            parts.append(f"{missing} missing image{'s' if missing != 1 else ''}")
        warned = sum(len(r.warnings) for r in self.rows)
        if warned:
            parts.append(f"{warned} warning{'s' if warned != 1 else ''}")
        return ", ".join(parts) if parts else "nothing to import"

    @property
    def exit_code(self) -> ExitStatus:
        failed = self.counts().get(Outcome.FAILED, 0)
        return ExitStatus.CONTENT_ERROR if failed else ExitStatus.OK

    def to_json(self) -> str:
        rows = []
        for r in self.rows:
            d = asdict(r)
            d["outcome"] = str(r.outcome)
            rows.append({k: v for k, v in d.items() if v not in (None, [], {})})
        data = {"summary": self.summary(), **({"images": self.images} if self.images else {}),
                "counts": {str(k): v for k, v in sorted(self.counts().items())},
                "inputs": rows}
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

    def write_json(self, path: Path) -> None:
        path.write_text(self.to_json(), encoding="utf-8")
