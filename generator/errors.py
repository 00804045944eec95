"""Errors that carry the file (and line) they are about, plus a hint for the fix."""

from __future__ import annotations

from pathlib import Path


class GeneratorError(Exception):
    """An error a user can act on: what went wrong, where, and how to fix it."""

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None,
                 hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.hint = hint

    def where(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line else self.path

    def __str__(self) -> str:
        text = f"{self.where()}: {self.message}" if self.path else self.message
        if self.hint:
            text += f" (hint: {self.hint})"
        return text


class ConfigError(GeneratorError):
    """site.yml is missing, malformed or has unknown keys."""


class FrontMatterError(GeneratorError):
    """An article's YAML front matter cannot be used."""


class ArticleCrash(GeneratorError):
    """An article's worker process died on it (a crash, or an overrun of its time budget)."""


class OutputCollisionError(GeneratorError):
    """Two sources would write the same output path."""


class InputError(GeneratorError):
    """An import input cannot be read or understood."""
