"""Bad configuration and bad command lines: one line naming the problem, a hint, exit 2."""


import pytest

from generator.cli import main
from tests.conftest import wenji as run


def site(tmp_path, config):
    (tmp_path / "content").mkdir()
    (tmp_path / "site.yml").write_text(config, encoding="utf-8")
    return str(tmp_path)


@pytest.mark.parametrize("config, expected", [
    ("title: x\nbase_url: not a url\n", "site.yml:2: 'base_url' is not an absolute http(s) URL"),
    ("base_url: example.org/archive/\n", "site.yml:1: 'base_url' is not an absolute http(s) URL"),
    ("base_url: ftp://example.org/\n", "'base_url' is not an absolute http(s) URL"),
    ("content_dir: nothere\n", "site.yml:1: content_dir 'nothere' is not a folder"),
    ("title: x\nper_pgae: 3\n", "site.yml:2: unknown key 'per_pgae' (hint: did you mean 'per_page'?)"),
    ("search:\n  enabeld: false\n", "site.yml:2: unknown key 'search.enabeld' (hint: did you mean "
                                     "'search.enabled'?)"),
    ("per_page: ten\n", "site.yml:1: 'per_page' must be a non-negative whole number"),
    ("title: [\n", "site.yml:2: YAML error"),
])
def test_bad_config_is_one_line_with_a_hint_and_exit_2(tmp_path, config, expected):
    code, out, err = run("build", "--site", site(tmp_path, config))
    assert code == 2
    assert expected in err, err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "public").exists()


def test_a_bad_base_url_on_the_command_line(tmp_path):
    code, _, err = run("build", "--site", site(tmp_path, ""), "--base-url", "localhost:8000")
    assert code == 2 and "'--base-url' is not an absolute http(s) URL: 'localhost:8000'" in err


@pytest.mark.parametrize("command", ["init", "import", "build", "check", "serve", "deploy"])
def test_an_unknown_option_prints_that_subcommands_usage(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--foo", *(["SRC"] if command == "import" else [])])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"usage: wenji {command} ") and "unrecognized arguments: --foo" in err


def test_a_misspelt_command_gets_a_suggestion(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["bild"])
    assert exit_.value.code == 2
    assert "unknown command 'bild' (did you mean 'build'?)" in capsys.readouterr().err
