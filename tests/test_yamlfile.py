"""pytest_hookrun.yamlfile: documents with lines, and the cache of what a text parsed to."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from pytest_hookrun import yamlfile
from pytest_hookrun.config import ConfigError, load_config
from pytest_hookrun.yamlfile import LineDict, YamlCache, YamlSyntaxError, load_yaml

from .conftest import Repo, git
from .test_plugin import LOCAL, hook, outcomes


def _lines(value: Any) -> Any:
    """The document with every mapping's line and key lines made visible."""
    if isinstance(value, LineDict):
        return ("map", value.line, [(k, value.key_lines[k], _lines(v)) for k, v in value.items()])
    if isinstance(value, list):
        return [_lines(v) for v in value]
    return (type(value).__name__, value)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=12),
)
keys = st.one_of(st.text(max_size=8), st.integers(), st.booleans())
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=20,
)


@given(documents, st.sampled_from([False, True]))
def test_a_cached_document_is_the_parsed_one_lines_and_all(
    tmp_path_factory: pytest.TempPathFactory, document: Any, flow: bool
) -> None:
    text = yaml.safe_dump(document, default_flow_style=flow)
    cache = YamlCache(tmp_path_factory.mktemp("yaml"))
    parsed = load_yaml(text, Path("x.yaml"), cache)  # a miss: parsed, then kept
    assert cache.get(text)[0]
    again = load_yaml(text, Path("x.yaml"), cache)  # a hit
    assert _lines(again) == _lines(parsed)
    assert _lines(parsed) == _lines(load_yaml(text, Path("x.yaml")))


def test_an_unchanged_config_is_not_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text("repos:\n- repo: local\n  hooks:\n  - id: a\n    name: a\n    entry: a\n"
                      "    language: system\n")  # fmt: skip
    cache = YamlCache(tmp_path / "cache")
    first = load_config(config, cache)

    def no_parse(text: str, path: Path) -> Any:
        raise AssertionError("parsed again")

    monkeypatch.setattr(yamlfile, "_parse", no_parse)
    second = load_config(config, cache)
    assert second.hooks == first.hooks
    assert second.hooks[0].line == first.hooks[0].line == 4
    config.write_text(config.read_text().replace("entry: a", "entry: b"))
    with pytest.raises(AssertionError, match="parsed again"):
        load_config(config, cache)  # another text, another entry


def test_errors_and_timestamps_are_not_kept(tmp_path: Path) -> None:
    cache = YamlCache(tmp_path / "cache")
    for _ in range(2):
        with pytest.raises(
            YamlSyntaxError, match=r"^bad\.yaml:2: invalid YAML: while parsing a flow sequence"
        ):
            load_yaml("a: [1, 2\n", Path("bad.yaml"), cache)
    dated = load_yaml("when: 2020-01-02\n", Path("d.yaml"), cache)
    assert str(dated["when"]) == "2020-01-02"
    assert not cache.get("when: 2020-01-02\n")[0]  # a date is no marshal type
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").iterdir())


def test_a_broken_cache_entry_is_a_miss(tmp_path: Path) -> None:
    cache = YamlCache(tmp_path / "cache")
    load_yaml("a: 1\n", Path("a.yaml"), cache)
    (entry,) = (tmp_path / "cache").iterdir()
    entry.write_bytes(b"\x00garbage")
    assert load_yaml("a: 1\n", Path("a.yaml"), cache) == {"a": 1}


def test_a_config_error_names_the_line_as_before(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("repos:\n  - [\n")
    with pytest.raises(ConfigError, match=r"c\.yaml:3: invalid YAML: "):
        load_config(config, YamlCache(tmp_path / "cache"))


def test_importing_the_config_module_imports_no_yaml_library() -> None:
    """PyYAML is imported when a text is parsed, not before (a cached rerun never)."""
    code = "import sys, pytest_hookrun.config; print('yaml' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_run_reads_the_config_as_it_is_now(repo: Repo, pytester: pytest.Pytester) -> None:
    """Parsed configs are kept by content: an edit between runs is always seen."""
    repo.write("a.txt", "a\n")
    repo.config(LOCAL + hook("check", "true"))
    repo.commit()
    first = pytester.runpytest("--hooks", "-v", "--hooks-no-cache")
    assert outcomes(first) == {"check": "PASSED"}
    assert list((Path(os.environ["HOOKRUN_HOME"]) / "yaml").iterdir())
    repo.config(LOCAL + hook("check", "false"))
    second = pytester.runpytest("--hooks", "-v", "--hooks-no-cache")
    assert outcomes(second) == {"check": "FAILED"}


def _counting_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the runs from now on parse (not those the cache answers for)."""
    parsed: list[str] = []
    real = yamlfile._parse

    def counting(text: str, path: Path) -> Any:
        parsed.append(text)
        return real(text, path)

    monkeypatch.setattr(yamlfile, "_parse", counting)
    return parsed


def test_a_clean_checkout_finds_the_parsed_config_in_the_store(
    repo: Repo, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parsed documents live in the store, not in the project: a run after
    ``git clean -fdx`` (pytest's cache gone) parses nothing, and ``--cache-clear``
    parses again."""
    repo.write("a.txt", "a\n")
    repo.config(LOCAL + hook("clean-checkout-check", "true"))  # a text of this test's own
    repo.commit()
    parsed = _counting_parses(monkeypatch)
    first = pytester.runpytest("--hooks", "-v", "--hooks-no-cache")
    assert outcomes(first) == {"clean-checkout-check": "PASSED"}
    assert parsed == [repo.read(".pre-commit-config.yaml")]
    git(repo.path, "clean", "-qfdx")
    assert not (repo.path / ".pytest_cache").exists()
    again = pytester.runpytest("--hooks", "-v", "--hooks-no-cache")
    assert outcomes(again) == {"clean-checkout-check": "PASSED"}
    assert len(parsed) == 1
    cleared = pytester.runpytest("--hooks", "-v", "--hooks-no-cache", "--cache-clear")
    assert outcomes(cleared) == {"clean-checkout-check": "PASSED"}
    assert len(parsed) == 2


def test_a_clean_checkout_with_a_warm_store_imports_no_yaml_library(
    repo: Repo, pytester: pytest.Pytester
) -> None:
    """What the store's parsed documents save: PyYAML's import, on the run after
    ``git clean -fdx`` too (a process of its own, to see its modules)."""
    repo.write("a.txt", "a\n")
    repo.config(LOCAL + hook("check", "true"))
    repo.commit()
    probe = repo.outside("modules")
    repo.write(
        "conftest.py",
        "import sys\n\n\ndef pytest_unconfigure(config):\n"
        f"    open({str(probe)!r}, 'w').write(str('yaml' in sys.modules))\n",
    )
    first = pytester.runpytest_subprocess("--hooks", "-v", "--hooks-no-cache")
    assert outcomes(first) == {"check": "PASSED"}
    git(repo.path, "clean", "-qfdx", "-e", "conftest.py")
    again = pytester.runpytest_subprocess("--hooks", "-v", "--hooks-no-cache")
    assert outcomes(again) == {"check": "PASSED"}
    assert probe.read_text() == "False"


def test_a_store_that_cannot_keep_documents_parses_every_time(
    repo: Repo, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store's directory for parsed documents cannot be made (here a file stands
    where it would go): the run parses the config as if there were no cache."""
    home = repo.outside("home")
    home.mkdir()
    (home / "yaml").write_text("not a directory\n")
    monkeypatch.setenv("HOOKRUN_HOME", str(home))
    repo.write("a.txt", "a\n")
    repo.config(LOCAL + hook("check", "true"))
    repo.commit()
    parsed = _counting_parses(monkeypatch)
    for _ in range(2):
        result = pytester.runpytest("--hooks", "-v", "--hooks-no-cache")
        assert outcomes(result) == {"check": "PASSED"}, result.stdout.str()
        assert "Traceback" not in result.stdout.str()
    assert len(parsed) == 2


def test_the_cache_keeps_the_documents_used_last(tmp_path: Path) -> None:
    cache = YamlCache(tmp_path / "cache", keep=3)
    texts = [f"a: {i}\n" for i in range(5)]
    for age, text in enumerate(texts[:3], start=1):
        load_yaml(text, Path("c.yaml"), cache)
        os.utime(tmp_path / "cache" / cache._key(text), ns=(age, age))  # long unused ...
    assert cache.get(texts[0])[0]  # ... the oldest until used now
    for text in texts[3:]:
        load_yaml(text, Path("c.yaml"), cache)
    kept = [text for text in texts if cache.get(text)[0]]
    assert kept == [texts[0], texts[3], texts[4]]
