"""`wenji serve`: a live-reloading preview that keeps the last good build and lists what went wrong.

Layers, each importing only those below it: command (the CLI entry, rebuilds on change) →
server (PreviewServer: builds, state) → connections (asyncio HTTP, limits) → responses (what to
answer) → files, request, panel, problems, state (pure pieces).
"""

from generator.serve.command import serve
from generator.serve.server import PreviewServer

__all__ = ["PreviewServer", "serve"]
