"""The entry cache's key covers every module that loading runs: a change to any of them (or an
upgrade of a library they use) reloads the articles instead of reusing stale entries."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import generator
from generator.model import cache

REPO = Path(__file__).resolve().parents[2]


def test_every_module_the_loader_imports_is_in_the_key():
    script = ("import json, sys; import generator.model.load; "
              "print(json.dumps(sorted(m.__file__ for n, m in sys.modules.items() "
              "if n.startswith('generator') and getattr(m, '__file__', None))))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=REPO, env={"PYTHONPATH": str(REPO)}, check=True)
    imported = {Path(f).resolve() for f in json.loads(done.stdout)}
    keyed = {p.resolve() for p in cache.loader_sources()}
    assert imported <= keyed, sorted(imported - keyed)
    package = Path(generator.__file__).resolve().parent
    # what renders an article's HTML, imported by the Markdown layer when it is first used
    for rel in ("markup/highlight.py", "markup/limits.py", "markup/media.py", "session.py"):
        assert package / rel in keyed
    # and not the whole program: templates' and deploy's code leave loaded entries valid
    assert package / "render" / "env.py" not in keyed and package / "deploy" not in keyed


def test_the_key_follows_imports_written_in_every_form(tmp_path, monkeypatch):
    package = tmp_path / "generator"
    (package / "a").mkdir(parents=True)
    for rel, text in {
        "__init__.py": "",
        "a/__init__.py": "",
        "a/start.py": ("from generator.a import (\n    one,  # the first\n    two as b,\n)\n"
                       "import generator.three\n\ndef later():\n    from generator import four\n"),
        "a/one.py": "", "a/two.py": "", "three.py": "", "four.py": "", "unused.py": "",
    }.items():
        (package / rel).write_text(text, encoding="utf-8")
    monkeypatch.setattr(generator, "__file__", str(package / "__init__.py"))
    found = {p.relative_to(package).as_posix() for p in cache.loader_sources("generator.a.start")}
    assert found == {"__init__.py", "a/__init__.py", "a/start.py", "a/one.py", "a/two.py",
                     "three.py", "four.py"}
