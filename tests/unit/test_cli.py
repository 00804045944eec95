"""The command line: help for every subcommand, --site handling, exit codes for usage errors."""

import subprocess
import sys

import pytest

from generator.cli import parser
from generator.config import load_config
from generator.errors import ConfigError
from tests.conftest import wenji as run

SUBCOMMANDS = ["import", "build", "check", "serve", "deploy"]


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_every_subcommand_has_complete_help_and_takes_site(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        parser().parse_args([command, "--help"])
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    assert "--site DIR" in text
    for line in text.splitlines():
        if line.strip().startswith("--") and "  " in line.strip():
            assert line.split("  ", 1)[1].strip(), f"option without help: {line}"


def test_python_dash_m_generator_runs():
    proc = subprocess.run([sys.executable, "-m", "generator", "--version"], capture_output=True,
                          text=True, check=True)
    assert proc.stdout.startswith("wenji ")


def test_missing_site_yml_is_a_usage_error(tmp_path):
    code, _, err = run("import", "--site", str(tmp_path), "x.txt")
    assert code == 2
    assert "no site.yml here" in err and str(tmp_path) in err


def test_unknown_config_key_is_named(tmp_path):
    (tmp_path / "site.yml").write_text("title: x\nper_pgae: 3\n", encoding="utf-8")
    code, _, err = run("import", "--site", str(tmp_path), str(tmp_path))
    assert code == 2
    assert "unknown key 'per_pgae'" in err and "site.yml" in err


@pytest.mark.parametrize("value, expected", [("null", None), ("0", 0), ("50", 50)])
def test_archive_page_size_is_read(tmp_path, value, expected):
    (tmp_path / "site.yml").write_text(f"archive_per_page: {value}\n", encoding="utf-8")
    assert load_config(tmp_path).archive_per_page == expected


@pytest.mark.parametrize("value", ["-1", "ten", "true", "1.5"])
def test_a_bad_archive_page_size_is_named(tmp_path, value):
    (tmp_path / "site.yml").write_text(f"archive_per_page: {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="'archive_per_page' must be a non-negative whole number"):
        load_config(tmp_path)
