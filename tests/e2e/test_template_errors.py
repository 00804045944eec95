"""A broken template in a site's theme override: one line naming the file and line, no
traceback, and the previous output left as it was."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from generator.cli import main

FIXTURE = Path(__file__).parent.parent / "fixtures" / "site"


@pytest.mark.parametrize("body, message", [
    ("{% block content %}{{ 1 + }}{% endblock %}", "template error: unexpected 'end of print statement'"),
    ("{% block content %}{% if %}{% endblock %}", "template error:"),
])
def test_a_template_syntax_error_names_the_file_and_keeps_the_output(tmp_path, body, message):
    site = tmp_path / "site"
    shutil.copytree(FIXTURE, site)
    assert main(["build", "--site", str(site)], io.StringIO(), io.StringIO()) == 0
    before = (site / "public" / "index.html").read_bytes()
    override = site / "theme" / "templates"
    override.mkdir(parents=True)
    (override / "404.html").write_text('{% extends "default/base.html" %}\n' + body + "\n",
                                       encoding="utf-8")
    err = io.StringIO()
    assert main(["build", "--site", str(site)], io.StringIO(), err) == 1
    text = err.getvalue()
    assert "theme/templates/404.html:2: " + message in text, text
    assert "Traceback" not in text and text.count("\n") == 1
    assert (site / "public" / "index.html").read_bytes() == before
